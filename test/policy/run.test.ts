import {
  compareFindings,
  PACKS,
  RULES,
  runChecks,
  ruleCatalog,
  SEVERITIES,
  type Finding,
} from "../../policy";
import type { SynthesizedStack } from "../../synth/app";
import { findBlueprint } from "../../blueprints/catalog";
import { bent, editStack, modelOf, resourceAt, synth } from "./helpers";
import { synthesized } from "../support/synth-cache";

describe("runChecks", () => {
  const model = bent(
    modelOf((s) => {
      s.zones[0].pools[0].spareHosts = 0;
      s.cloud.undercloud = { cloud: "under" };
    }),
    (m) => (m.vips = m.vips.filter((v: any) => v.name === "external")),
  );
  let stacks: SynthesizedStack[] = [];
  beforeAll(async () => {
    stacks = editStack(await synth(model), "baremetal", (c) => {
      resourceAt(c, "openstack_compute_instance_v2", "ctrl-01/Resource").admin_pass = "x";
    });
  });

  test("reports model and construct findings sorted by severity, rule, target", () => {
    const findings = runChecks(model, stacks);
    expect(findings.map((f) => `${f.severity} ${f.ruleId} ${f.target}`)).toEqual([
      "error SW-HA-006 controlPlane.vips.internal",
      "error SW-SEC-003 baremetal/nodes/ctrl-01/Resource",
      "warning SW-CAP-001 zones.az1.pools.web.cpuAllocationRatio",
      "warning SW-CAP-001 zones.az2.pools.app.cpuAllocationRatio",
      "warning SW-CAP-003 zones.az1.pools.web.spareHosts",
      "warning SW-SEC-009 securityZones.userCidrs",
    ]);
  });

  test("gives the same report for the same input", () => {
    expect(runChecks(model, [...stacks].reverse())).toEqual(runChecks(model, stacks));
  });

  test("runs only the packs asked for", () => {
    expect(new Set(runChecks(model, stacks, { packs: ["security"] }).map((f) => f.ruleId))).toEqual(
      new Set(["SW-SEC-003", "SW-SEC-009"]),
    );
  });

  test("reads each stack's configuration object, whatever format was written", async () => {
    const hcl = await synthesized(findBlueprint(model.blueprint)!, model, "hcl");
    expect(hcl[0].content).toMatch(/^terraform \{/);
    expect(runChecks(model, hcl)).toEqual(runChecks(model, await synth(model)));
  });
});

describe("rule catalogue", () => {
  test("has unique ids SW-<PACK>-<NNN> in three packs, each rule described", () => {
    expect(PACKS.map((p) => p.name)).toEqual(["ha", "security", "capacity"]);
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const prefix = { ha: "SW-HA-", security: "SW-SEC-", capacity: "SW-CAP-" } as const;
    for (const pack of PACKS) {
      for (const rule of pack.rules) {
        expect(rule.id).toMatch(new RegExp(`^${prefix[pack.name]}\\d{3}$`));
        expect(SEVERITIES).toContain(rule.severity);
        expect(rule.title.length).toBeGreaterThan(10);
        expect(rule.help.length).toBeGreaterThan(40);
      }
    }
    expect(ruleCatalog().map((r) => r.id)).toContain("SW-META-001");
  });
});

describe("report order", () => {
  test("takes the indexes of targets in number order", () => {
    const at = (target: string): Finding => ({
      ruleId: "SW-META-001",
      severity: "warning",
      target,
      message: "m",
      fix: "f",
    });
    const targets = ["suppressions[10]", "suppressions[6]", "suppressions[2]", "zones.az1"];
    expect([...targets.map(at)].sort(compareFindings).map((f) => f.target)).toEqual([
      "suppressions[2]",
      "suppressions[6]",
      "suppressions[10]",
      "zones.az1",
    ]);
  });
});
