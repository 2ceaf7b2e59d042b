import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { variant } from "../support/fixtures";
import { sarifProblems } from "./helpers";

// Spawns the built CLI: run `npm run build` first (`npm test` does).
import { EXAMPLE, run } from "../support/cli";

/** Writes a variant of the base spec to a temporary file. */
function specFile(edit: (spec: any) => void): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sw-check-")), "spec.yaml");
  fs.writeFileSync(file, stringify(variant(edit)));
  return file;
}

/** Every pool at a CPU ratio the capacity pack accepts, so only the test's own finding remains. */
const calm = (spec: any) => {
  for (const z of spec.zones) for (const p of z.pools) p.cpuAllocationRatio = 2;
  spec.securityZones.userCidrs = ["10.0.0.0/8"];
};

describe("stackwright check", () => {
  test("passes the shipped example with --strict: exit 0, suppressed findings listed", () => {
    const r = run(["check", EXAMPLE, "--strict", "--no-quiet"]);
    expect(r.stderr).toContain("checks passed (strict)");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^\S+enterprise-reference\.yaml:\d+:\d+ {2}WARNING SW-CAP-001 \S+: .+ \(fix: .+\) \[suppressed: .{10,}\]$/m,
    );
  });

  test("fails with exit 3 and an ERROR line when a rule is broken", () => {
    // GIVEN production tiers on one controller
    const file = specFile((s) => {
      calm(s);
      s.controlPlane.controllers = 1;
      s.ntp.clients = "servers";
    });
    // WHEN
    const r = run(["check", file]);
    // THEN
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /^\S+spec\.yaml:\d+:\d+ {2}ERROR SW-HA-001 controlPlane\.controllers: /m,
    );
    expect(r.stderr).toContain("checks failed");
  });

  test("fails on warnings only with --strict", () => {
    const file = specFile((s) => {
      calm(s);
      s.zones[0].pools[0].spareHosts = 0;
    });
    const lenient = run(["check", file]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain("WARNING SW-CAP-003 zones.az1.pools.web.spareHosts");
    expect(run(["check", file, "--strict"]).code).toBe(3);
  });

  test("passes a clean design with an empty report", () => {
    const r = run(["check", specFile(calm), "--strict", "--no-quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("0 errors, 0 warnings, 0 info, 0 suppressed");
  });

  test("writes JSON and valid SARIF 2.1.0 on stdout", () => {
    const json = JSON.parse(run(["check", EXAMPLE, "--format", "json"]).stdout);
    expect(json.summary).toMatchObject({ error: 0, warning: 0 });
    expect(json.findings.length).toBeGreaterThan(0);
    const sarif = run(["check", EXAMPLE, "-f", "sarif"]).stdout;
    expect(sarifProblems(sarif)).toEqual([]);
    expect(JSON.parse(sarif).runs[0].tool.driver.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("keeps exit 2 for invalid input and arguments", () => {
    expect(run(["check", EXAMPLE, "--format", "xml"]).code).toBe(2);
    const missing = run(["check", "does-not-exist.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does-not-exist.yaml");
  });

  test("documents the exit codes in its help", () => {
    const help = run(["check", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}3 {2}the checks failed/m);
    expect(help.stdout).toContain("--strict");
  });
});
