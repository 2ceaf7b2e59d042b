import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { variant } from "../support/fixtures";
import { EXAMPLE, ROOT, cli, tmp } from "../support/cli";

const THREE_NODE = path.join(ROOT, "examples", "three-node.yaml");

/** A spec with one unsuppressed policy warning (no spare host) and nothing that fails. */
function warningSpec(): string {
  const file = path.join(tmp(), "spec.yaml");
  fs.writeFileSync(
    file,
    stringify(
      variant((s) => {
        for (const z of s.zones) for (const p of z.pools) p.cpuAllocationRatio = 2;
        s.zones[0].pools[0].spareHosts = 0;
      }),
    ),
  );
  return file;
}

describe("one flag vocabulary", () => {
  test("--format picks the report format of blueprints, validate and check", async () => {
    // blueprints: text or json (--json stays as the former spelling)
    const blueprints = JSON.parse((await cli(["blueprints", "--format", "json"])).stdout);
    expect(blueprints.map((b: { name: string }) => b.name)).toContain("three-node");
    expect(JSON.parse((await cli(["blueprints", "--json"])).stdout)).toEqual(blueprints);
    expect((await cli(["blueprints", "--format", "sarif"])).code).toBe(2);
    // validate: the validator's warnings and the model's policy findings
    const json = JSON.parse((await cli(["validate", THREE_NODE, "-f", "json"])).stdout);
    expect(json.summary).toEqual({ error: 0, warning: 0, info: 0, suppressed: 2 });
    expect(
      json.findings.find((f: { ruleId: string }) => f.ruleId.startsWith("SW-SPEC-")),
    ).toMatchObject({
      ruleId: "SW-SPEC-controllers-single",
      suppressed: { reason: expect.any(String) },
      location: { file: THREE_NODE, line: expect.any(Number) },
    });
    const sarif = JSON.parse((await cli(["validate", THREE_NODE, "--format", "sarif"])).stdout);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      "SW-CAP-003",
      "SW-SPEC-controllers-single",
    ]);
    // (each described as check describes it: its title and help, not a finding's fix)
    const checked = JSON.parse((await cli(["check", THREE_NODE, "--format", "sarif"])).stdout);
    const describe = (log: any, id: string) =>
      log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === id);
    expect(describe(sarif, "SW-CAP-003")).toEqual(describe(checked, "SW-CAP-003"));
    expect(describe(sarif, "SW-CAP-003").shortDescription.text).not.toBe("SW-CAP-003");
    // (and the validator's warnings by the title the documents give them)
    expect(describe(sarif, "SW-SPEC-controllers-single").shortDescription.text).toBe(
      JSON.parse(fs.readFileSync(path.join(ROOT, "templates/i18n/en.json"), "utf8"))[
        "rule.SW-SPEC-controllers-single.title"
      ],
    );
  });

  test("validate --format sarif reports every error of an invalid spec, exit 2", async () => {
    // GIVEN a spec with a schema error
    const file = path.join(tmp(), "bad.yaml");
    fs.writeFileSync(
      file,
      fs.readFileSync(THREE_NODE, "utf8").replace("controllers: 1 ", "controllers: 0 "),
    );
    // WHEN
    const r = await cli(["validate", file, "--format", "sarif"]);
    // THEN the report places the error on its line, and stderr says it too
    expect(r.code).toBe(2);
    const result = JSON.parse(r.stdout).runs[0].results[0];
    expect(result).toMatchObject({ ruleId: "SW-SPEC-schema-too-small", level: "error" });
    // (an error is changed, never suppressed: the fix says so)
    expect(result.properties.fix).toBe("change the spec");
    const line = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => l.includes("controllers: 0"));
    expect(result.locations[0].physicalLocation.region.startLine).toBe(line + 1);
    expect(r.stderr).toContain("1 error in the spec");
    // AND check reports it the same way: a CI job uploading its SARIF gets the error, not nothing
    const checked = await cli(["check", file, "--format", "sarif"]);
    expect(checked.code).toBe(2);
    expect(JSON.parse(checked.stdout).runs[0].results[0]).toEqual({
      ...result,
      // (its rules are the whole catalog, the spec's issue after them)
      ruleIndex: expect.any(Number),
    });
  });

  test("validate --format sarif or json reports a spec it cannot read, exit 2", async () => {
    const missing = path.join(tmp(), "missing.yaml");
    const code = "spec-unreadable";
    const sarif = await cli(["validate", missing, "--format", "sarif"]);
    expect(sarif.code).toBe(2);
    expect(JSON.parse(sarif.stdout).runs[0].results[0]).toMatchObject({
      ruleId: `SW-SPEC-${code}`,
      level: "error",
      message: {
        text: `${missing}: no such file (fix: name a spec file that exists and can be read)`,
      },
    });
    const json = await cli(["validate", missing, "--format", "json"]);
    expect(JSON.parse(json.stdout).findings).toEqual([
      expect.objectContaining({
        ruleId: "SW-SPEC-spec-unreadable",
        message: `${missing}: no such file`,
      }),
    ]);
    expect(json.stderr).toBe(`error: ${missing}: no such file\n`);
  });

  test("a spec refused for an error keeps its suppressed warnings suppressed", async () => {
    // GIVEN the three-node design (its single controller accepted by a suppression) with an
    // empty site accepted by name, whose reason holds a line separator, and a second tenant of
    // the first one's id
    const tenant = "    network: { cidr: 192.168.1.0/24 }\n";
    const site = "  - name: lab1\n    description: Lab rack\n";
    const edited = fs
      .readFileSync(THREE_NODE, "utf8")
      .replace(site, `${site}  - name: spare\n`)
      .replace(
        "suppressions:\n",
        'suppressions:\n  - rule: SW-SPEC-site-empty\n    target: sites.spare\n    reason: "planned for a later\u2028phase"\n',
      );
    const file = path.join(tmp(), "spec.yaml");
    const results = async () =>
      JSON.parse((await cli(["validate", file, "--format", "sarif"])).stdout).runs[0].results;
    const siteEmpty = (rs: any[]) => rs.find((r) => r.ruleId === "SW-SPEC-site-empty");
    fs.writeFileSync(file, edited);
    const ok = siteEmpty(await results());
    fs.writeFileSync(
      file,
      edited.replace(
        tenant,
        `${tenant}  - name: demo2\n    id: demo\n    network: { cidr: 192.168.2.0/24 }\n`,
      ),
    );
    // WHEN
    const text = await cli(["validate", file, "--no-quiet"]);
    const json = await cli(["validate", file, "--format", "json"]);
    // THEN each warning is shown with the reason accepted, on one line, and counted apart
    expect(text.code).toBe(2);
    expect(text.stderr).toContain("1 error and 2 suppressed warnings in the spec");
    expect(text.stderr).toMatch(/\[controllers-single\] \[suppressed: a lab on three nodes/);
    expect(text.stderr).toContain("warning sites.spare.name: site spare holds no zone");
    expect(text.stderr).toContain("[suppressed: planned for a later phase]");
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report.summary).toEqual({ error: 1, warning: 0, info: 0, suppressed: 2 });
    expect(
      report.findings.find((f: { ruleId: string }) => f.ruleId === "SW-SPEC-controllers-single"),
    ).toMatchObject({ suppressed: { reason: expect.stringContaining("a lab on three nodes") } });
    // AND a warning has the target and fingerprint it had when the spec was accepted
    const refused = siteEmpty(await results());
    expect(refused.locations[0].logicalLocations).toEqual(ok.locations[0].logicalLocations);
    expect(refused.partialFingerprints).toEqual(ok.partialFingerprints);
    // AND --quiet leaves the errors only, as a pipe does without --no-quiet (as when accepted)
    for (const args of [["--quiet"], [], ["--no-quiet", "-q"]]) {
      const quiet = await cli(["validate", file, ...args]);
      expect(quiet.stderr).toContain("1 error and 2 suppressed warnings in the spec");
      expect(quiet.stderr).not.toContain("warning ");
    }
  });

  test("synth names the Terraform format --terraform-format; --format hcl still works", async () => {
    const out = path.join(tmp(), "out");
    expect((await cli(["synth", EXAMPLE, "--out", out, "--terraform-format", "hcl"])).code).toBe(0);
    expect(fs.existsSync(path.join(out, "terraform", "platform", "cdk.tf"))).toBe(true);
    const old = await cli(["synth", EXAMPLE, "--out", out, "--format", "hcl", "--no-quiet"]);
    expect(old.code).toBe(0);
    expect(old.stderr).toContain("synth --format is deprecated; use --terraform-format hcl");
    const both = await cli([
      "synth",
      EXAMPLE,
      "--out",
      out,
      "--format",
      "hcl",
      "--terraform-format",
      "json",
    ]);
    expect(both.code).toBe(2);
    expect((await cli(["synth", EXAMPLE, "--out", out, "--terraform-format", "xml"])).code).toBe(2);
  });

  test("every command that prints notes takes --quiet", async () => {
    for (const command of ["init", "validate", "check", "synth", "docs", "proposal"]) {
      expect((await cli([command, "--help"])).stdout).toContain("-q, --quiet");
    }
  });
});

describe("quiet when stdout is not a terminal", () => {
  test("synth into a pipe prints nothing; --no-quiet prints warnings and a counted summary", async () => {
    // GIVEN a spec with a policy warning, run with stdout and stderr piped
    const spec = warningSpec();
    const out = path.join(tmp(), "out");
    // WHEN
    const piped = await cli(["synth", spec, "--out", out]);
    const told = await cli(["synth", spec, "--out", out, "--no-quiet"]);
    // THEN
    expect(piped).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(told.code).toBe(0);
    expect(told.stderr).toMatch(/spec\.yaml:\d+:\d+ {2}WARNING SW-CAP-003 /);
    expect(told.stderr).toMatch(/^wrote \d+ files for 1 stack to /m);
  });

  test("validate still prints its summary on stdout; --quiet drops it", async () => {
    const r = await cli(["validate", THREE_NODE]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      `${THREE_NODE}: valid (three-node): 1 zone, 1 pool, 1 compute host, 1 controller, 2 networks, 1 tenant, 2 suppressed\n`,
    );
    expect((await cli(["validate", THREE_NODE, "--quiet"])).stdout).toBe("");
  });

  test("errors are printed whatever the flags", async () => {
    const r = await cli(["validate", "does-not-exist.yaml", "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does-not-exist.yaml: no such file");
  });
});

describe("counts", () => {
  test("the headline counts the issue lines that follow it", async () => {
    // GIVEN two errors (an even controller count, an unknown hardware profile) and a warning
    const file = path.join(tmp(), "spec.yaml");
    fs.writeFileSync(
      file,
      stringify(
        variant((s) => {
          s.controlPlane.controllers = 4;
          s.controlPlane.hardware = "nope";
          s.controlPlane.networkNodes = 1;
        }),
      ),
    );
    // WHEN
    const r = await cli(["validate", file, "--no-quiet"]);
    // THEN
    expect(r.code).toBe(2);
    const [headline, ...issues] = r.stderr.trimEnd().split("\n");
    const counted = /(\d+) errors? and (\d+) warnings? in the spec$/.exec(headline);
    expect(counted).not.toBeNull();
    const [errors, warnings] = [Number(counted![1]), Number(counted![2])];
    expect(issues.filter((l) => !/ warning /.test(l))).toHaveLength(errors);
    expect(issues.filter((l) => / warning /.test(l))).toHaveLength(warnings);
    expect(errors).toBe(2);
    // AND in a pipe, the headline says where the warnings went
    const piped = await cli(["validate", file]);
    expect(piped.stderr.split("\n")[0]).toMatch(
      /2 errors and 2 warnings in the spec \(2 not shown: --no-quiet shows them\)$/,
    );
    expect(piped.stderr).not.toContain(" warning ");
  });

  test("file errors name the code once", async () => {
    const file = path.join(tmp(), "file");
    fs.writeFileSync(file, "");
    const r = await cli(["init", "three-node", "--out", path.join(file, "spec.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\b(E[A-Z]+): \1:/);
  });
});
