import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { calm, variant } from "../support/fixtures";
import { sarifProblems } from "./helpers";

// Spawns the built CLI: run `npm run build` first (`npm test` does).
import { EXAMPLE, cli } from "../support/cli";
import { tempDir } from "../support/temp";

/** Writes a variant of the base spec to a temporary file. */
function specFile(edit: (spec: any) => void): string {
  const file = path.join(tempDir("sw-check-"), "spec.yaml");
  fs.writeFileSync(file, stringify(variant(edit)));
  return file;
}

describe("stackwright check", () => {
  test("passes the shipped example with --strict: exit 0, suppressed findings listed", async () => {
    const r = await cli(["check", EXAMPLE, "--strict", "--no-quiet"]);
    expect(r.stderr).toContain("checks passed (strict)");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^\S+enterprise-reference\.yaml:\d+:\d+ {2}WARNING SW-CAP-001 \S+: .+ \(fix: .+\) \[suppressed: .{10,}\]$/m,
    );
  });

  test("fails with exit 3 and an ERROR line when a rule is broken", async () => {
    // GIVEN production tiers on one controller
    const file = specFile((s) => {
      calm(s);
      s.controlPlane.controllers = 1;
      s.ntp.clients = "servers";
    });
    // WHEN
    const r = await cli(["check", file]);
    // THEN
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /^\S+spec\.yaml:\d+:\d+ {2}ERROR SW-HA-001 controlPlane\.controllers: /m,
    );
    expect(r.stderr).toContain("checks failed");
  });

  test("validate reports a failing model rule at its spec line with exit 3, as synth refuses it", async () => {
    // GIVEN production tiers on one controller: the spec validates, the HA pack refuses it
    const file = specFile((s) => {
      calm(s);
      s.controlPlane.controllers = 1;
      s.ntp.clients = "servers";
    });
    // WHEN validated
    const r = await cli(["validate", file]);
    // THEN the finding is an error with the line and column of controlPlane.controllers
    expect(r.code).toBe(3);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const line = lines.findIndex((l) => l.trim() === "controllers: 1");
    const column = lines[line].indexOf("1") + 1;
    expect(r.stderr).toContain(
      `${file}:${line + 1}:${column}  ERROR SW-HA-001 controlPlane.controllers: 1 controller for production pools az1-web and az2-app: the control plane does not survive the loss of a controller (fix: set controlPlane.controllers to 3 or 5)`,
    );
    expect(r.stderr).toContain(`${file}: the design fails its policy checks`);
    expect(r.stdout).toBe("");
    // AND the JSON report holds it with the same severity and location
    const json = JSON.parse((await cli(["validate", file, "-f", "json"])).stdout);
    expect(json.findings).toContainEqual(
      expect.objectContaining({
        ruleId: "SW-HA-001",
        severity: "error",
        target: "controlPlane.controllers",
        location: { file, line: line + 1, column },
      }),
    );
  });

  test("a design validate accepts after a suppression synthesizes", async () => {
    // GIVEN the same design with the finding accepted for a reason
    const file = specFile((s) => {
      calm(s);
      s.controlPlane.controllers = 1;
      s.ntp.clients = "servers";
      s.suppressions = [{ rule: "SW-HA-001", reason: "single-controller lab by design" }];
    });
    // WHEN / THEN validate passes and synth writes the output
    expect((await cli(["validate", file])).code).toBe(0);
    const out = path.join(path.dirname(file), "out");
    expect((await cli(["synth", file, "-o", out, "--quiet"])).code).toBe(0);
    expect(fs.existsSync(path.join(out, "model.json"))).toBe(true);
  });

  test("fails on warnings only with --strict", async () => {
    const file = specFile((s) => {
      calm(s);
      s.zones[0].pools[0].spareHosts = 0;
    });
    const lenient = await cli(["check", file]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain("WARNING SW-CAP-003 zones.az1.pools.web.spareHosts");
    expect((await cli(["check", file, "--strict"])).code).toBe(3);
  });

  test("passes a clean design with an empty report", async () => {
    const r = await cli(["check", specFile(calm), "--strict", "--no-quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("0 errors, 0 warnings, 0 info, 0 suppressed");
  });

  test("writes JSON and valid SARIF 2.1.0 on stdout", async () => {
    const json = JSON.parse((await cli(["check", EXAMPLE, "--format", "json"])).stdout);
    expect(json.summary).toMatchObject({ error: 0, warning: 0 });
    expect(json.findings.length).toBeGreaterThan(0);
    const sarif = (await cli(["check", EXAMPLE, "-f", "sarif"])).stdout;
    expect(sarifProblems(sarif)).toEqual([]);
    expect(JSON.parse(sarif).runs[0].tool.driver.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("keeps exit 2 for invalid input and arguments", async () => {
    expect((await cli(["check", EXAMPLE, "--format", "xml"])).code).toBe(2);
    const missing = await cli(["check", "does-not-exist.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does-not-exist.yaml");
  });

  test("documents the exit codes in its help", async () => {
    const help = await cli(["check", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}3 {2}the checks failed/m);
    expect(help.stdout).toContain("--strict");
  });
});
