import * as fs from "fs";
import * as path from "path";
import { BLUEPRINTS, DEFAULT_BLUEPRINT, findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile } from "../../model/load";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";
import { renderArchitecture } from "../support/documents";
import { load, variant } from "../support/fixtures";
import { specReport } from "../../cli/pipeline";
import { specRuleInfo } from "../../policy/spec-findings";

describe("blueprint catalogue", () => {
  test("ships the seven architectures of the seed, the enterprise reference first", () => {
    expect(BLUEPRINTS.map((b) => b.name)).toEqual(SEED_BLUEPRINTS);
    expect(DEFAULT_BLUEPRINT).toBe("enterprise-reference");
    expect(findBlueprint("nope")).toBeUndefined();
  });

  test("each example realizes every design point of its blueprint", () => {
    for (const b of BLUEPRINTS) {
      const model = loadSpecFile(path.join(ROOT, b.example)).model;
      expect([b.name, b.designPoints.flatMap((d) => d.needs?.(model) ?? [])]).toEqual([b.name, []]);
    }
  });

  test("the document says which design points a spec leaves out, instead of claiming them", async () => {
    // GIVEN the public-cloud blueprint over a design without Ceph, Swift, Ceilometer or FWaaS
    const model = load(variant((s) => (s.blueprint = "public-cloud"))).model;
    // WHEN its architecture document is rendered
    const { markdown } = await renderArchitecture(model);
    // THEN those points are marked, with what the design lacks; the others keep their text
    const row = (id: string) => markdown.split("\n").find((l) => l.startsWith(`| ${id} |`));
    expect(row("multi-tenancy")).toBe(
      "| multi-tenancy | Customers isolated from each other | **Not in this design**, which lacks securityZones.firewall; the blueprint's reference design has it | Terraform: platform stack; Terraform: tenant stacks |",
    );
    expect(row("SLA 99.9%")).toContain(
      "**Not in this design**, which lacks controlPlane.networkNodes ≥ 1, storage.ceph, storage.swift;",
    );
    expect(row("diagram: metering")).toContain(
      "lacks controlPlane.services: ceilometer, storage.ceph",
    );
    expect(row("SLA 99.9%: capacity")).toContain("Spare hosts in every pool");
    expect(markdown).not.toContain("FWaaS v2 policies on every customer router");
    // AND validate warns about each, at the spec's blueprint, suppressible like any warning
    const unmet = (edit: (s: any) => void, blueprint: string) =>
      specReport({ loaded: load(variant(edit)), blueprint: findBlueprint(blueprint)! }).filter(
        (f) => f.ruleId === specRuleInfo("design-point-unmet").id,
      );
    const findings = unmet((s) => (s.blueprint = "public-cloud"), "public-cloud");
    expect(findings.map((f) => [f.severity, f.target])).toEqual(
      Array(3).fill(["warning", "blueprint"]),
    );
    expect(findings.map((f) => /^design point "([^"]+)"/.exec(f.message)?.[1]).sort()).toEqual([
      "SLA 99.9%",
      "diagram: metering",
      "multi-tenancy",
    ]);
    expect(findings.map((f) => f.message)).toContain(
      'design point "diagram: metering" of blueprint public-cloud (Metering-ready: usage data for billing) needs controlPlane.services: ceilometer, storage.ceph, which this design lacks, and the document says so',
    );
    expect(findings[0].fix).toBe(
      "set them, choose another blueprint, or suppress this finding with a reason",
    );
    // (a spec naming no blueprint takes the default one's document without choosing its design)
    expect(unmet(() => undefined, "enterprise-reference")).toEqual([]);
  });

  test("a point holds only with all it names: Ceph without a Ceph volume backend is no RBD backend", () => {
    // GIVEN Ceph for images only, and controllers as VMs
    const model = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.deployment = "vm";
        s.storage = { ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } };
      }),
    ).model;
    const point = (id: string) =>
      findBlueprint("enterprise-reference")!.designPoints.find((d) => d.id === id)!.needs!(model);
    // THEN the distributed block storage and the one-controller-per-machine points do not hold
    expect(point("6")).toEqual(["storage.backends[].kind: ceph"]);
    expect(point("1")).toEqual(["controlPlane.deployment: baremetal"]);
  });

  test("has an example per blueprint, and every example spec names its own blueprint", () => {
    for (const b of BLUEPRINTS) {
      expect(b.example).toBe(`examples/${b.name}.yaml`);
      expect(loadSpecFile(path.join(ROOT, b.example)).model.blueprint).toBe(b.name);
    }
    // Other YAML files (price books, ...) may live beside the specs; specs declare a blueprint.
    for (const f of fs
      .readdirSync(path.join(ROOT, "examples"))
      .filter((x) => x.endsWith(".yaml"))) {
      const declared = /^blueprint: (\S+)$/m.exec(
        fs.readFileSync(path.join(ROOT, "examples", f), "utf8"),
      )?.[1];
      if (declared) expect(findBlueprint(declared)?.example).toBe(`examples/${f}`);
    }
  });

  test.each(BLUEPRINTS.map((b) => [b.name, b] as const))(
    "%s describes itself in one line and maps its design points",
    (_name, b) => {
      expect(b.description).not.toMatch(/\n/);
      expect(b.description.length).toBeLessThanOrEqual(160);
      expect(b.designPoints.length).toBeGreaterThanOrEqual(5);
      const ids = b.designPoints.map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const d of b.designPoints) {
        expect(d.title.trim()).not.toBe("");
        expect(d.realization.trim()).not.toBe("");
      }
    },
  );
});
