import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { calm, variant } from "../support/fixtures";
import { cli } from "../support/cli";
import { loadSpecText } from "../../model/load";
import { sarifProblems, synth } from "./helpers";
import { namedPath, parseTarget, runChecks, specFindings, type SpecSource } from "../../policy";
import { tempDir } from "../support/temp";

/** The base spec with seven controllers: the validator warns (controllers-many), nothing fails. */
const SEVEN = stringify(
  variant((s) => {
    calm(s);
    s.controlPlane.controllers = 7;
  }),
);
/** The 1-based line of the first line of `text` that holds `needle`. */
const lineOf = (text: string, needle: string) =>
  text.split("\n").findIndex((l) => l.includes(needle)) + 1;
/** Where the validator points for the seven controllers: the value `7`. */
const SEVEN_AT = {
  line: lineOf(SEVEN, "controllers: 7"),
  column: SEVEN.split("\n")[lineOf(SEVEN, "controllers: 7") - 1].indexOf("7") + 1,
};

function writeSpec(text: string): string {
  const dir = tempDir("sw-specf-");
  fs.writeFileSync(path.join(dir, "spec.yaml"), text);
  return path.join(dir, "spec.yaml");
}

const source = (text: string, file = "spec.yaml"): SpecSource => {
  const loaded = loadSpecText(text, file);
  return { file, spec: loaded.spec, issues: loaded.warnings, locate: loaded.locate };
};

describe("validator warnings as findings", () => {
  test("a warning is an SW-SPEC finding at the spec's line and column", () => {
    // GIVEN a spec the validator warns about
    // WHEN its warnings become findings
    const [finding] = specFindings(source(SEVEN));
    // THEN the finding names the rule, the path, the advice and the position
    expect(finding).toEqual({
      ruleId: "SW-SPEC-controllers-many",
      severity: "warning",
      target: "controlPlane.controllers",
      message: expect.stringContaining("7 controllers add quorum traffic"),
      fix: "3 or 5 is usual",
      location: { file: "spec.yaml", ...SEVEN_AT },
    });
  });

  test("runChecks counts them, places policy findings and applies suppressions to both", async () => {
    // GIVEN the warning and a pool without a spare host
    const text = stringify(
      variant((s) => {
        calm(s);
        s.controlPlane.controllers = 7;
        s.zones[0].pools[0].spareHosts = 0;
        s.suppressions = [
          {
            rule: "sw-spec-controllers-many",
            reason: "seven controllers for a regulator's demand",
          },
        ];
      }),
    );
    const loaded = loadSpecText(text, "spec.yaml");
    // WHEN
    const all = runChecks(loaded.model, await synth(loaded.model), { spec: source(text) });
    // THEN the validator's warning is suppressed, the policy finding placed on its key
    expect(all.find((f) => f.ruleId === "SW-SPEC-controllers-many")?.suppressed).toEqual({
      reason: "seven controllers for a regulator's demand",
    });
    const spare = all.find((f) => f.ruleId === "SW-CAP-003");
    expect(spare?.location).toEqual({
      file: "spec.yaml",
      line: lineOf(text, "spareHosts: 0"),
      column: expect.any(Number),
    });
    expect(all.some((f) => f.ruleId === "SW-META-001")).toBe(false);
  });

  test("construct findings point at the spec file without a line", async () => {
    // GIVEN a design whose report has model and construct findings
    const loaded = loadSpecText(SEVEN, "spec.yaml");
    const stacks = await synth(loaded.model);
    const findings = runChecks(loaded.model, stacks, { spec: source(SEVEN) });
    // THEN every finding has a location, spec-path ones a line
    for (const f of findings) expect(f.location?.file).toBe("spec.yaml");
    expect(findings.find((f) => f.ruleId.startsWith("SW-SPEC-"))?.location?.line).toBeGreaterThan(
      0,
    );
  });
});

describe("targets and paths", () => {
  test("parseTarget reads what formatPath writes", () => {
    expect(parseTarget("zones.zone-a.pools.web.spareHosts")).toEqual([
      "zones",
      "zone-a",
      "pools",
      "web",
      "spareHosts",
    ]);
    expect(parseTarget('suppressions[2].x["a.b"]')).toEqual(["suppressions", 2, "x", "a.b"]);
    expect(parseTarget("platform/cloud/x")).toBeUndefined();
  });

  test("namedPath names array elements by id or name", () => {
    const data = { zones: [{ name: "az1", pools: [{ name: "web" }] }], tenants: [{ id: "t1" }] };
    expect(namedPath(data, ["zones", 0, "pools", 0, "hosts"])).toEqual([
      "zones",
      "az1",
      "pools",
      "web",
      "hosts",
    ]);
    expect(namedPath(data, ["tenants", 0])).toEqual(["tenants", "t1"]);
    expect(namedPath(data, ["hardware", 3])).toEqual(["hardware", 3]);
  });
});

describe("stackwright check with a validator warning", () => {
  test("fails --strict with exit 3; SARIF places the warning on its YAML line", async () => {
    // GIVEN a spec with the controllers-many warning
    const file = writeSpec(SEVEN);
    // WHEN
    const lenient = await cli(["check", file]);
    const strict = await cli(["check", file, "--strict", "--no-quiet"]);
    const sarif = await cli(["check", file, "--format", "sarif"]);
    const json = JSON.parse((await cli(["check", file, "--format", "json"])).stdout);
    // THEN the warning is counted and placed
    expect(lenient.code).toBe(0);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toContain("checks failed (strict): 0 errors, 1 warning,");
    const { line, column } = SEVEN_AT;
    expect(strict.stdout).toContain(
      `${file}:${line}:${column}  WARNING SW-SPEC-controllers-many controlPlane.controllers: `,
    );
    expect(json.summary.warning).toBe(1);
    expect(json.findings[0]).toMatchObject({
      ruleId: "SW-SPEC-controllers-many",
      location: { file, line, column },
    });
    expect(sarifProblems(sarif.stdout)).toEqual([]);
    const log = JSON.parse(sarif.stdout);
    const result = log.runs[0].results.find((r: any) => r.ruleId === "SW-SPEC-controllers-many");
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: new URL(`file://${file}`).href },
      region: { startLine: line, startColumn: column },
    });
    const rule = log.runs[0].tool.driver.rules[result.ruleIndex];
    expect(rule).toMatchObject({ id: "SW-SPEC-controllers-many" });
  });

  test("SARIF of a relative spec path is a relative URI reference", async () => {
    const file = writeSpec(SEVEN);
    const sarif = await cli(["check", "spec.yaml", "--format", "sarif"], path.dirname(file));
    const result = JSON.parse(sarif.stdout).runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "spec.yaml" });
  });
});
