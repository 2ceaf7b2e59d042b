import * as path from "path";
import {
  formatJson,
  FINGERPRINT,
  formatSarif,
  formatText,
  ruleCatalog,
  runChecks,
  SARIF_SCHEMA,
  type Finding,
} from "../../policy";
import { loadSpecFile } from "../../model/load";
import { sarifProblems, synth } from "./helpers";

const findings: Finding[] = [
  {
    ruleId: "SW-SEC-001",
    severity: "error",
    target: "platform/cloud/security/controllers/ingress-tcp-22-0_0_0_0_0",
    message: "ingress from 0.0.0.0/0 opens tcp 22 (SSH) to the whole internet",
    fix: "allow SSH from securityZones.adminCidrs",
  },
  {
    ruleId: "SW-CAP-002",
    severity: "warning",
    target: "zones.zone-b.pools.devtest.ramAllocationRatio",
    message: "pool zone-b-devtest overcommits RAM 1.5x",
    fix: "set ramAllocationRatio of pool devtest to 1.0",
    suppressed: { reason: "development VMs leave most of their memory idle" },
  },
  {
    ruleId: "SW-CAP-006",
    severity: "info",
    target: "storage.swift.zones",
    message: "3 replicas over 3 zones",
    fix: "use 5 zones for 3 replicas",
  },
];

describe("text report", () => {
  test("prints one line per finding with the fix, and the reason of a suppression", () => {
    expect(formatText(findings)).toBe(
      "ERROR SW-SEC-001 platform/cloud/security/controllers/ingress-tcp-22-0_0_0_0_0: ingress from 0.0.0.0/0 opens tcp 22 (SSH) to the whole internet (fix: allow SSH from securityZones.adminCidrs)\n" +
        "WARNING SW-CAP-002 zones.zone-b.pools.devtest.ramAllocationRatio: pool zone-b-devtest overcommits RAM 1.5x (fix: set ramAllocationRatio of pool devtest to 1.0) [suppressed: development VMs leave most of their memory idle]\n" +
        "INFO SW-CAP-006 storage.swift.zones: 3 replicas over 3 zones (fix: use 5 zones for 3 replicas)\n",
    );
  });

  test("keeps a finding on one line whatever its text holds", () => {
    for (const message of ["two\nlines", "two\r\nlines", "two\u2028lines", "two\u2029lines"]) {
      const text = formatText([{ ...findings[0], message }]);
      expect(text.split(/[\n\u2028\u2029]/)).toHaveLength(2);
    }
    // AND a target naming a file whose name holds a line break or an escape sequence (a drift
    // finding's) is written escaped
    const odd = formatText([{ ...findings[0], target: "terraform/a\nb\u001b[31m/cdk.tf" }]);
    expect(odd.split("\n")).toHaveLength(2);
    expect(odd).toContain("terraform/a\\u000ab\\u001b[31m/cdk.tf");
    // (and a right-to-left override or an 8-bit CSI, which reorder or drive what follows)
    expect(formatText([{ ...findings[0], target: "t/\u202eb\u009b2J/cdk.tf" }])).toContain(
      "t/\\u202eb\\u009b2J/cdk.tf",
    );
  });
});

describe("JSON report", () => {
  test("holds a summary and every finding", () => {
    const report = JSON.parse(formatJson(findings));
    expect(report.summary).toEqual({ error: 1, warning: 0, info: 1, suppressed: 1 });
    expect(report.findings).toEqual(findings);
  });
});

describe("SARIF report", () => {
  test("the subset schema rejects what SARIF 2.1.0 rejects", () => {
    const log = JSON.parse(formatSarif(findings));
    expect(sarifProblems(JSON.stringify({ ...log, version: "2.0.0" }))).not.toEqual([]);
    const result = log.runs[0].results[1];
    result.level = "info";
    result.suppressions = [{ justification: "no kind" }];
    expect(sarifProblems(JSON.stringify(log))).toEqual(
      expect.arrayContaining([
        expect.stringContaining("/runs/0/results/1/level"),
        expect.stringContaining("/runs/0/results/1/suppressions/0"),
      ]),
    );
  });

  test("brackets of user text are not embedded links: escaped as SARIF asks", () => {
    // GIVEN a finding naming a tenant whose description reads like a link
    const linked: Finding = {
      ...findings[0],
      message: "tenant [click here](https://evil.example) opens a\\[b]",
    };
    const [result] = JSON.parse(formatSarif([linked])).runs[0].results;
    // THEN (SARIF 2.1.0, 3.11.6) every bracket is escaped, and the backslash before one
    expect(result.message.text).toBe(
      "tenant \\[click here\\](https://evil.example) opens a\\\\\\[b\\] (fix: allow SSH from securityZones.adminCidrs)",
    );
  });

  test("validates against SARIF 2.1.0 and maps findings to results", () => {
    // WHEN
    const text = formatSarif(findings, { version: "1.2.3", informationUri: "https://example.com" });
    // THEN
    expect(sarifProblems(text)).toEqual([]);
    const log = JSON.parse(text);
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe("2.1.0");
    const { driver } = log.runs[0].tool;
    expect(driver).toMatchObject({
      name: "stackwright",
      version: "1.2.3",
      informationUri: "https://example.com",
    });
    expect(driver.rules.map((r: any) => r.id)).toEqual(ruleCatalog().map((r) => r.id));
    expect(driver.rules.find((r: any) => r.id === "SW-SEC-001")).toEqual({
      id: "SW-SEC-001",
      shortDescription: { text: expect.stringContaining("0.0.0.0/0") },
      fullDescription: { text: expect.any(String) },
      help: { text: expect.stringContaining("SSH 22") },
      defaultConfiguration: { level: "error" },
    });
    const [error, suppressed, info] = log.runs[0].results;
    expect(error).toMatchObject({
      ruleId: "SW-SEC-001",
      level: "error",
      message: { text: expect.stringContaining("tcp 22 (SSH)") },
      locations: [
        {
          logicalLocations: [
            {
              fullyQualifiedName: "platform/cloud/security/controllers/ingress-tcp-22-0_0_0_0_0",
              kind: "resource",
            },
          ],
        },
      ],
      suppressions: [],
    });
    expect(suppressed.suppressions).toEqual([
      {
        kind: "inSource",
        status: "accepted",
        justification: "development VMs leave most of their memory idle",
      },
    ]);
    expect(suppressed.locations[0].logicalLocations[0].kind).toBe("property");
    expect(info.level).toBe("note");
  });

  test("validates for a whole design", async () => {
    const loaded = loadSpecFile(path.join("examples", "enterprise-reference.yaml"));
    const text = formatSarif(runChecks(loaded.model, await synth(loaded.model)));
    expect(sarifProblems(text)).toEqual([]);
  });

  test("fingerprints each result by its rule, file and target, whatever its line or wording", () => {
    // GIVEN findings in a spec, the same reworded and moved to other lines, the same in another
    // spec, and two alike in rule, file and target
    const at = (file: string, line: number) =>
      findings.map((f) => ({ ...f, location: { file, line } }));
    const moved = at("spec.yaml", 40).map((f) => ({ ...f, message: `${f.message}, reworded` }));
    const twice = [findings[0], findings[0]];
    const prints = (fs: readonly Finding[]) =>
      JSON.parse(formatSarif(fs)).runs[0].results.map(
        (r: any) => r.partialFingerprints[FINGERPRINT],
      );
    // THEN each result keeps its fingerprint, and no two results share one
    expect(prints(moved)).toEqual(prints(at("spec.yaml", 12)));
    expect(prints(at("other/spec.yaml", 12))).not.toContain(prints(moved)[0]);
    expect(new Set(prints(findings)).size).toBe(3);
    expect(prints(twice)[0]).toBe(prints(findings)[0]);
    expect(prints(twice)[1]).not.toBe(prints(twice)[0]);
    expect(prints(findings)[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  test("describes a rule it does not know instead of pointing nowhere", () => {
    const text = formatSarif([{ ...findings[0], ruleId: "SW-X-001" }], { rules: [] });
    expect(sarifProblems(text)).toEqual([]);
  });

  test("is an empty run when there is nothing to report", () => {
    const log = JSON.parse(formatSarif([]));
    expect(sarifProblems(JSON.stringify(log))).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
  });
});
