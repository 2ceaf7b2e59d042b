import { targetCovers } from "../../core/spec-targets";
import { checksFailed, runChecks } from "../../policy";
import { issuesOf } from "../support/fixtures";
import { modelOf } from "./helpers";
import { variant } from "../support/fixtures";

// The base spec runs Nova's default cpuAllocationRatio 4: SW-CAP-001 warns on az1-web and az2-app.
// Users are scoped so that SW-SEC-009 (endpoints open to the internet) stays quiet.
const suppressed = (suppressions: object[]) =>
  runChecks(
    modelOf((s) => {
      s.suppressions = suppressions;
      s.securityZones.userCidrs = ["10.0.0.0/8"];
    }),
    [],
  );

describe("suppressions", () => {
  test("a rule-wide suppression keeps every finding in the report, marked with the reason", () => {
    // GIVEN
    const reason = "dense web and app pools are accepted for this pilot";
    // WHEN
    const findings = suppressed([{ rule: "SW-CAP-001", reason }]);
    // THEN
    expect(findings.map((f) => [f.ruleId, f.target, f.suppressed])).toEqual([
      ["SW-CAP-001", "zones.az1.pools.web.cpuAllocationRatio", { reason }],
      ["SW-CAP-001", "zones.az2.pools.app.cpuAllocationRatio", { reason }],
    ]);
    expect(checksFailed(findings, { strict: true })).toBe(false);
  });

  test("a target suppresses that target and everything below it only", () => {
    const findings = suppressed([
      { rule: "SW-CAP-001", target: "zones.az1", reason: "web pool is dense by design" },
    ]);
    expect(findings.map((f) => [f.target, Boolean(f.suppressed)])).toEqual([
      ["zones.az1.pools.web.cpuAllocationRatio", true],
      ["zones.az2.pools.app.cpuAllocationRatio", false],
    ]);
    expect(checksFailed(findings, { strict: true })).toBe(true);
    expect(checksFailed(findings)).toBe(false);
  });

  test("a target prefix matches whole path segments, not the start of a name", () => {
    const findings = suppressed([
      { rule: "SW-CAP-001", target: "zones.az", reason: "meant for both zones at once" },
    ]);
    expect(findings.filter((f) => f.suppressed)).toEqual([]);
    expect(findings).toContainEqual(
      expect.objectContaining({ ruleId: "SW-META-001", target: "suppressions[0]" }),
    );
  });

  test("a name that starts with a digit is matched however the target writes it", () => {
    // GIVEN a zone named 1b, which findings write zones["1b"] (a path segment cannot start with
    // a digit)
    const reason = "the 1b zone is dense by design";
    const findings = (target: string) =>
      runChecks(
        modelOf((s) => {
          s.zones[1].name = "1b";
          s.securityZones.userCidrs = ["10.0.0.0/8"];
          s.suppressions = [{ rule: "SW-CAP-001", target, reason }];
        }),
        [],
      );
    // THEN the user's dotted form and the findings' own form both suppress its pool only
    for (const target of ["zones.1b", 'zones["1b"]', "zones.1b.pools.app", 'zones["1b"].pools']) {
      const found = findings(target);
      expect(found.map((f) => [f.ruleId, f.target, Boolean(f.suppressed)])).toEqual([
        ["SW-CAP-001", "zones.az1.pools.web.cpuAllocationRatio", false],
        ["SW-CAP-001", 'zones["1b"].pools.app.cpuAllocationRatio', true],
      ]);
    }
    // AND a name's start is no segment, and "." names nothing
    expect(findings("zones.1").some((f) => f.suppressed)).toBe(false);
    expect(findings(".").some((f) => f.suppressed)).toBe(false);
  });

  test("matches rule ids in any case", () => {
    const findings = suppressed([{ rule: "sw-cap-001", reason: "lower-case ids are fine too" }]);
    expect(findings.every((f) => f.suppressed)).toBe(true);
  });

  test("a suppression that matches nothing is reported as a warning", () => {
    const findings = suppressed([
      { rule: "SW-CAP-001", reason: "dense pools accepted for the pilot" },
      { rule: "SW-HA-001", target: "controlPlane", reason: "left over from the 1-controller lab" },
      { rule: "SW-NOPE-042", reason: "a typo in the rule id here" },
      { rule: "SW-SPEC-controlers-single", reason: "a typo in the validator's code" },
      { rule: "SW-SPEC-controllers-single", reason: "a code of the validator, not run here" },
    ]);
    const meta = findings.filter((f) => f.ruleId === "SW-META-001");
    expect(meta).toEqual([
      expect.objectContaining({
        severity: "warning",
        target: "suppressions[1]",
        message: "suppression of SW-HA-001 on controlPlane matches no finding",
      }),
      expect.objectContaining({
        target: "suppressions[2]",
        message: expect.stringContaining("there is no rule SW-NOPE-042"),
      }),
      expect.objectContaining({
        target: "suppressions[3]",
        message: expect.stringContaining("there is no rule SW-SPEC-controlers-single"),
      }),
    ]);
    expect(meta.every((f) => !f.suppressed)).toBe(true);
    expect(checksFailed(findings)).toBe(false);
    expect(checksFailed(findings, { strict: true })).toBe(true);
  });

  test("a file or construct path covers what lies below it by '/', names with dots and all", () => {
    const covers = (covering: string, target: string) => targetCovers(covering, target);
    expect(covers("terraform", "terraform/platform/extra.tf.json")).toBe(true);
    expect(covers("terraform/platform", "terraform/platform/extra.tf.json")).toBe(true);
    expect(covers("terraform/platform/", "terraform/platform/extra.tf.json")).toBe(true);
    expect(covers("terraform/plat", "terraform/platform/extra.tf.json")).toBe(false);
    expect(
      covers("platform/t/rule-ssh-10.1.100.0%2F24", "platform/t/rule-ssh-10.1.100.0%2F24"),
    ).toBe(true);
    expect(covers("platform/t", "platform/t/rule-ssh-10.1.100.0%2F24")).toBe(true);
  });

  test("SW-META-001 itself cannot be suppressed", () => {
    const findings = suppressed([
      { rule: "SW-CAP-001", reason: "dense pools accepted for the pilot" },
      { rule: "SW-META-001", reason: "trying to hide stale suppressions" },
    ]);
    expect(findings.filter((f) => f.ruleId === "SW-META-001")).toEqual([
      expect.objectContaining({
        target: "suppressions[1]",
        message: expect.stringContaining("SW-META-001 cannot be suppressed"),
      }),
    ]);
  });

  test("suppressions of rules in packs that did not run are left alone", () => {
    const model = modelOf((s) => {
      s.suppressions = [{ rule: "SW-CAP-001", reason: "dense pools accepted for the pilot" }];
    });
    expect(runChecks(model, [], { packs: ["ha"] })).toEqual([]);
  });

  test("fails when a suppression's reason is shorter than 10 characters", () => {
    const issues = issuesOf(
      variant((s) => (s.suppressions = [{ rule: "SW-CAP-001", reason: "because" }])),
    );
    expect(issues.map((i) => [i.path.join("."), i.severity])).toEqual([
      ["suppressions.0.reason", "error"],
    ]);
  });
});
