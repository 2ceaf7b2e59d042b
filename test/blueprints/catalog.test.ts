import * as fs from "fs";
import * as path from "path";
import { BLUEPRINTS, DEFAULT_BLUEPRINT, findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile, loadSpecText } from "../../model/load";
import type { Model } from "../../model/types";
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
    // GIVEN the public-cloud blueprint over a design without Ceph, Swift, Ceilometer, FWaaS,
    // Octavia, Heat, customer domains or a subnet pool
    const model = load(variant((s) => (s.blueprint = "public-cloud"))).model;
    // WHEN its architecture document is rendered
    const { markdown } = await renderArchitecture(model);
    // THEN those points are marked, with what the design lacks; the others keep their text
    const row = (id: string) => markdown.split("\n").find((l) => l.startsWith(`| ${id} |`));
    expect(row("multi-tenancy")).toBe(
      "| multi-tenancy | Customers isolated from each other | **Not in this design**, which lacks securityZones.firewall, storage.backends\\[\\].qos; the blueprint's reference design has it | Terraform: platform stack; Terraform: tenant stacks |",
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
    // (each point its own target below the blueprint, which a suppression of it covers)
    expect(findings.map((f) => [f.severity, f.target])).toEqual([
      ["warning", "blueprint.designPoints.multi-tenancy"],
      ["warning", 'blueprint.designPoints["SLA 99.9%"]'],
      ["warning", 'blueprint.designPoints["diagram: management"]'],
      ["warning", 'blueprint.designPoints["diagram: metering"]'],
      ["warning", 'blueprint.designPoints["diagram: self-service"]'],
    ]);
    expect(findings.map((f) => /^design point "([^"]+)"/.exec(f.message)?.[1]).sort()).toEqual([
      "SLA 99.9%",
      "diagram: management",
      "diagram: metering",
      "diagram: self-service",
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

  test("overlays, a subnet pool and customers' own domains are claimed only where the design has them", () => {
    const point = (blueprint: string, id: string, spec: any) =>
      findBlueprint(blueprint)!
        .designPoints.find((d) => d.id === id)!
        .needs?.(loadSpecText(JSON.stringify(spec), "spec.json").model);
    // GIVEN the enterprise reference with VLAN tenant networks and no subnet pool
    const enterprise = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml"))
      .spec as any;
    const vlan = structuredClone(enterprise);
    vlan.network.tenantNetworkType = "vlan";
    vlan.network.tenantVlanRange = { min: 1000, max: 1999 };
    delete vlan.network.tenantSubnetPool;
    for (const t of vlan.tenants) delete t.network?.fromSubnetPool;
    // THEN L3/SDN networking is not claimed
    expect(point("enterprise-reference", "9", vlan)).toEqual([
      "network.tenantNetworkType: vxlan | gre | geneve",
      "network.tenantSubnetPool",
    ]);
    // AND public-cloud's customers in Keystone's built-in domain are not in domains of their own
    const pub = loadSpecFile(path.join(ROOT, "examples/public-cloud.yaml")).spec as any;
    expect(point("public-cloud", "diagram: self-service", pub)).toEqual([]);
    const builtIn = structuredClone(pub);
    for (const t of builtIn.tenants) t.domain = "default";
    expect(point("public-cloud", "diagram: self-service", builtIn)).toContain("tenants[].domain");
  });

  test("every claim of a design point is one the design holds: desktops without its parts", () => {
    // GIVEN the desktop example with every flavor public, volumes for every tenant and no QoS
    const spec = loadSpecFile(path.join(ROOT, "examples/desktop-cloud.yaml")).spec as any;
    for (const z of spec.zones)
      for (const p of z.pools) for (const f of p.flavors ?? []) f.public = true;
    for (const t of spec.tenants) if (t.quota?.volumes === 0) t.quota.volumes = 10;
    for (const b of spec.storage.backends) delete b.qos;
    for (const t of spec.tenants) delete t.flavors;
    const model = load(spec).model;
    // THEN each point whose text no longer holds names what the design lacks
    const lacking = Object.fromEntries(
      findBlueprint("desktop-cloud")!
        .designPoints.map((d) => [d.id, d.needs?.(model) ?? []])
        .filter(([, needs]) => needs.length),
    );
    expect(lacking).toEqual({
      "diagram: desktop flavors": ["a private flavor (zones[].pools[].flavors[].public: false)"],
      "diagram: pooled images": ["storage.backends[].qos on a Ceph backend"],
      "mobile reading room": ["a tenant with quota.volumes: 0"],
    });
    // AND the enterprise design claims volume types with QoS only where it has them
    const point4 = findBlueprint("enterprise-reference")!.designPoints.find((d) => d.id === "4")!;
    const enterprise = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml"))
      .spec as any;
    expect(point4.needs!(load(enterprise).model)).toEqual([]);
    for (const b of enterprise.storage.backends) delete b.qos;
    expect(point4.needs!(load(enterprise).model)).toEqual(["storage.backends[].qos"]);
    expect(point4.needs!(load(variant(() => undefined)).model)).toEqual([
      "storage.backends",
      "storage.backends[].qos",
    ]);
  });

  test("object storage from Ceph's RADOS Gateways realizes the enterprise point as Swift does", () => {
    // GIVEN the enterprise example with Swift's cluster (and the backups it keeps) swapped for
    // gateways over Ceph
    const spec = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml")).spec as any;
    const objectPoint = findBlueprint("enterprise-reference")!.designPoints.find(
      (d) => d.id === "7",
    )!;
    const withoutSwift = { ...spec, storage: { ...spec.storage } };
    delete withoutSwift.storage.swift;
    delete withoutSwift.storage.backup;
    const needs = (s: unknown) =>
      objectPoint.needs!(loadSpecText(JSON.stringify(s), "spec.json").model);
    // THEN the swift service on Ceph is object storage; without it, the point is missing
    expect(needs(withoutSwift)).toEqual([]);
    expect(
      needs({
        ...withoutSwift,
        controlPlane: {
          ...withoutSwift.controlPlane,
          services: withoutSwift.controlPlane.services.filter((x: string) => x !== "swift"),
        },
      }),
    ).toEqual(["storage.swift | storage.ceph + controlPlane.services: swift"]);
  });

  test("a point's prose holds only with the settings it names", () => {
    // GIVEN the trystack and devtest examples with the settings their prose names taken away
    const edited = (example: string, edit: (s: any) => void) => {
      const spec = loadSpecFile(path.join(ROOT, `examples/${example}.yaml`)).spec as any;
      edit(spec);
      return loadSpecText(JSON.stringify(spec), "spec.json").model;
    };
    const needs = (blueprint: string, id: string, model: Model) =>
      findBlueprint(blueprint)!.designPoints.find((d) => d.id === id)!.needs!(model);
    const trystack = edited("trystack", (s) => {
      for (const b of s.storage.backends) delete b.qos;
      for (const p of s.zones[0].pools) [p.cpuAllocationRatio, p.spareHosts] = [2, 0];
      delete s.network.tenantSubnetPool;
    });
    const devtest = edited("devtest-cloud", (s) => {
      s.output = { ...s.output, tenantStacks: "single" };
      for (const t of s.tenants) t.flavors = [];
      for (const z of s.zones)
        for (const p of z.pools) for (const f of p.flavors ?? []) f.public = true;
    });
    // THEN "front-end QoS limits", "heavy CPU overcommit and a spare host", "a shared subnet
    // pool", "its own Terraform stack" and "private pre-production flavors" are marked missing
    expect(needs("trystack", "diagram: ZFS", trystack)).toEqual(["storage.backends[].qos"]);
    expect(needs("trystack", "diagram: KVM hosts", trystack)).toEqual([
      "zones[].pools[].cpuAllocationRatio ≥ 4",
      "zones[].pools[].spareHosts ≥ 1",
    ]);
    expect(needs("trystack", "sandbox", trystack)).toEqual(["network.tenantSubnetPool"]);
    expect(needs("devtest-cloud", "diagram: pipeline stages", devtest)).toEqual([
      "a Terraform stack per tenant (output.tenantStacks, tenants[].stack)",
    ]);
    expect(needs("devtest-cloud", "diagram: stage pools", devtest)).toEqual([
      "a private flavor in a preprod pool (public: false)",
    ]);
    // AND "HA" holds only with a highly available control plane (one database node is not)
    const ha =
      "controlPlane.controllers ≥ 3 + controlPlane.database: galera + controlPlane.messaging: rabbitmq-cluster";
    const single = (example: string) =>
      edited(example, (s) => (s.controlPlane.database = "single"));
    expect(needs("cloud-in-a-box", "diagram: control nodes", single("cloud-in-a-box"))).toEqual([
      ha,
    ]);
    expect(needs("enterprise-reference", "1", single("enterprise-reference"))).toEqual([ha]);
    expect(needs("public-cloud", "SLA 99.9%", single("public-cloud"))).toEqual([ha]);
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
