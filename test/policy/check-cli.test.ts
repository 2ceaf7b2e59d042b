import { execFileSync } from "child_process";
import { lockFolder } from "../../cli/output-lock";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { calm, variant } from "../support/fixtures";
import { sarifProblems } from "./helpers";

// Spawns the built CLI: run `npm run build` first (`npm test` does).
import { EXAMPLE, cli, spawnUntilWaiting } from "../support/cli";
import { tempDir } from "../support/temp";

/** Writes a variant of the base spec to a temporary file. */
function specFile(edit: (spec: any) => void): string {
  const file = path.join(tempDir("sw-check-"), "spec.yaml");
  fs.writeFileSync(file, stringify(variant(edit)));
  return file;
}

/** A design that accepts hand edits of its platform stack (SW-META-002 suppressed there). */
const editsAccepted = () =>
  specFile((s) => {
    calm(s);
    s.suppressions = [
      {
        rule: "SW-META-002",
        target: "terraform/platform",
        reason: "hand edits accepted by the board",
      },
    ];
  });

/**
 * That design synthesized: its platform stack's folder and configuration, and an ingress rule's key.
 */
async function editedPlatform() {
  const file = editsAccepted();
  const out = path.join(path.dirname(file), "out");
  expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
  const folder = path.join(out, "terraform/platform");
  const tf = JSON.parse(fs.readFileSync(path.join(folder, "cdk.tf.json"), "utf8"));
  const rules = tf.resource.openstack_networking_secgroup_rule_v2;
  const [key] = Object.keys(rules).filter((k) => rules[k].direction === "ingress");
  return { file, out, folder, tf, rules, key };
}

describe("stackwright check", () => {
  test("passes the shipped example with --strict: exit 0, suppressed findings listed", async () => {
    const r = await cli(["check", EXAMPLE, "--strict", "--no-quiet"]);
    expect(r.stderr).toContain("checks passed (strict)");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^\S+enterprise-reference\.yaml:\d+:\d+ {2}WARNING SW-CAP-002 \S+: .+ \(fix: .+\) \[suppressed: .{10,}\]$/m,
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

  test("--terraform waits while another run writes the folder, then reads it whole", async () => {
    // GIVEN a folder synth wrote, locked by a live run (this test) as a synth writing it would be
    const out = path.join(tempDir("sw-check-lock-"), "out");
    expect((await cli(["synth", EXAMPLE, "--out", out, "-q"])).code).toBe(0);
    const release = await lockFolder(out, out);
    const check = spawnUntilWaiting([
      "check",
      EXAMPLE,
      "--terraform",
      out,
      "--no-quiet",
      "-f",
      "json",
    ]);
    // WHEN the check starts THEN it waits for that run, and reads the folder once it is done
    await check.waiting;
    release();
    expect((await check.ended).code).toBe(0);
    expect(fs.existsSync(path.join(out, ".stackwright.lock"))).toBe(false);
    // AND a folder that is a loop of links is said to be no folder, not an internal error
    const loop = path.join(path.dirname(out), "loop");
    fs.symlinkSync(loop, loop);
    const looped = await cli(["check", EXAMPLE, "--terraform", loop]);
    expect([looped.code, looped.stderr]).toEqual([2, expect.stringContaining("no such folder")]);
    // AND a lock that is none a run writes is named by the option that named the folder
    fs.writeFileSync(path.join(out, ".stackwright.lock"), "not a lock\n");
    const foreign = await cli(["check", EXAMPLE, "--terraform", out]);
    expect([foreign.code, foreign.stderr]).toEqual([
      2,
      expect.stringContaining(
        `--terraform ${out}: ${path.join(out, ".stackwright.lock")} holds other text`,
      ),
    ]);
  });

  test("--terraform checks the folder synth wrote as it is: edits, missing and stray stacks", async () => {
    // GIVEN a small design synthesized into a folder, as JSON
    const file = specFile((s) => {
      calm(s);
      s.tenants = [{ name: "a", network: { cidr: "10.40.1.0/24" } }];
    });
    const out = path.join(path.dirname(file), "out");
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // THEN as written it passes, and reads the same as without --terraform
    const clean = await cli(["check", file, "--terraform", out, "-f", "json"]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe((await cli(["check", file, "-f", "json"])).stdout);
    // WHEN a rule of the platform stack is opened to the internet by hand, the tenant's stack
    // removed and a stack of no tenant left behind
    const platform = path.join(out, "terraform/platform/cdk.tf.json");
    const tf = JSON.parse(fs.readFileSync(platform, "utf8"));
    const rules = tf.resource.openstack_networking_secgroup_rule_v2;
    const [key] = Object.keys(rules).filter((k) => rules[k].direction === "ingress");
    rules[key] = { ...rules[key], protocol: "tcp", port_range_min: 22, port_range_max: 22 };
    rules[key].remote_ip_prefix = "0.0.0.0/0";
    delete rules[key].remote_group_id;
    fs.writeFileSync(platform, JSON.stringify(tf, null, 2));
    fs.rmSync(path.join(out, "terraform/tenant-a/cdk.tf.json"));
    fs.mkdirSync(path.join(out, "terraform/tenant-old"));
    fs.writeFileSync(path.join(out, "terraform/tenant-old/cdk.tf.json"), "{}");
    const r = await cli(["check", file, "--terraform", out, "-f", "json"]);
    // THEN each is an error at its file, and the rules read the edited configuration
    expect(r.code).toBe(3);
    const findings = JSON.parse(r.stdout).findings as { ruleId: string; target: string }[];
    const drift = findings.filter((f) => f.ruleId === "SW-META-002");
    expect(drift).toEqual([
      expect.objectContaining({
        target: "terraform/platform/cdk.tf.json",
        message: expect.stringMatching(
          new RegExp(
            `^not what the spec synthesizes: resource\\.openstack_networking_secgroup_rule_v2\\.${key}\\.`,
          ),
        ),
        location: { file: `${out}/terraform/platform/cdk.tf.json` },
      }),
      expect.objectContaining({
        target: "terraform/tenant-a/cdk.tf.json",
        message: "missing: the spec synthesizes stack tenant-a here",
      }),
      expect.objectContaining({
        target: "terraform/tenant-old/cdk.tf.json",
        message: expect.stringContaining("belongs to no stack of the spec"),
      }),
    ]);
    expect(findings.map((f) => f.ruleId)).toContain("SW-SEC-001");
    // AND every other Terraform file Terraform would load is one too: an override beside a
    // stack, the other format's file, a stack folder linked in, and a stack file no regular file
    fs.rmSync(path.join(out, "terraform/tenant-old"), { recursive: true });
    fs.writeFileSync(path.join(out, "terraform/tenant-a/cdk.tf.json"), "{}");
    fs.writeFileSync(platform, JSON.stringify(tf, null, 2));
    fs.writeFileSync(path.join(out, "terraform/platform/override.tf"), "# an override\n");
    fs.writeFileSync(path.join(out, "terraform/tenant-a/cdk.tf"), "# the other format\n");
    const linked = path.join(path.dirname(file), "linked");
    fs.mkdirSync(linked);
    fs.writeFileSync(path.join(linked, "main.tf"), "");
    fs.symlinkSync(linked, path.join(out, "terraform/tenant-linked"));
    const more = await cli(["check", file, "--terraform", out, "-f", "json"]);
    const drifted = (JSON.parse(more.stdout).findings as { ruleId: string; target: string }[])
      .filter((f) => f.ruleId === "SW-META-002")
      .map((f) => f.target);
    expect(drifted).toEqual(
      expect.arrayContaining([
        "terraform/platform/override.tf",
        "terraform/tenant-a/cdk.tf",
        "terraform/tenant-linked/main.tf",
      ]),
    );
    // (a FIFO in place of a stack file is not read, which would block for ever)
    fs.rmSync(path.join(out, "terraform/tenant-a/cdk.tf.json"));
    execFileSync("mkfifo", [path.join(out, "terraform/tenant-a/cdk.tf.json")]);
    const fifo = await cli(["check", file, "--terraform", out, "-f", "json"]);
    expect(JSON.parse(fifo.stdout).findings).toContainEqual(
      expect.objectContaining({
        target: "terraform/tenant-a/cdk.tf.json",
        message: "not read: not a regular file",
      }),
    );
    // AND a stack folder that is a file, or a stack file that links to itself, is reported, not
    // an internal error
    fs.rmSync(path.join(out, "terraform/tenant-a"), { recursive: true });
    fs.writeFileSync(path.join(out, "terraform/tenant-a"), "");
    const loop = path.join(out, "terraform/platform/cdk.tf.json");
    fs.rmSync(loop);
    fs.symlinkSync(loop, loop);
    const odd = await cli(["check", file, "--terraform", out, "-f", "json"]);
    expect(odd.code).toBe(3);
    expect(JSON.parse(odd.stdout).findings).toContainEqual(
      expect.objectContaining({
        target: "terraform/platform/cdk.tf.json",
        message: "not read: cannot be read (ELOOP)",
      }),
    );
    // AND a stray stack whose folder holds state is never to be destroyed on this advice alone
    fs.writeFileSync(path.join(linked, "terraform.tfstate"), "{}");
    const kept = await cli(["check", file, "--terraform", out, "-f", "json"]);
    expect(JSON.parse(kept.stdout).findings).toContainEqual(
      expect.objectContaining({
        target: "terraform/tenant-linked/main.tf",
        message: expect.stringContaining("its folder holds Terraform state"),
      }),
    );
    expect(kept.stdout).not.toContain("terraform destroy");
    // AND a folder without Terraform, or a file given as the folder, is refused as bad input
    expect((await cli(["check", file, "--terraform", file])).code).toBe(2);
    const none = await cli(["check", file, "--terraform", path.dirname(file)]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no terraform folder in it");
  });

  test("--terraform checks what Terraform loads: overrides, other files and HCL, drift suppressed", async () => {
    // GIVEN a design accepting hand edits of its platform stack (SW-META-002 suppressed there)
    const { file, out, folder, rules, key } = await editedPlatform();
    const errors = async () => {
      const r = await cli(["check", file, "--terraform", out, "-f", "json"]);
      return (
        JSON.parse(r.stdout).findings as { ruleId: string; severity: string; target: string }[]
      )
        .filter((f) => f.severity === "error" && !f.ruleId.startsWith("SW-META"))
        .map((f) => `${f.ruleId} ${f.target}`);
    };
    expect(await errors()).toEqual([]);
    // WHEN an override opens one of its rules to the internet on SSH, THEN the rules read it merged
    const world = {
      remote_ip_prefix: "0.0.0.0/0",
      protocol: "tcp",
      port_range_min: 22,
      port_range_max: 22,
    };
    fs.writeFileSync(
      path.join(folder, "override.tf.json"),
      JSON.stringify({ resource: { openstack_networking_secgroup_rule_v2: { [key]: world } } }),
    );
    expect(await errors()).toEqual([`SW-SEC-001 ${rules[key]["//"].metadata.path}`]);
    // AND a file of its own adding a rule in Terraform's list form of JSON blocks, or in HCL
    fs.rmSync(path.join(folder, "override.tf.json"));
    const added = { direction: "ingress", security_group_id: "x", ...world };
    fs.writeFileSync(
      path.join(folder, "extra.tf.json"),
      JSON.stringify({
        resource: [{ openstack_networking_secgroup_rule_v2: [{ listed: [added] }] }],
      }),
    );
    fs.writeFileSync(
      path.join(folder, "more.tf"),
      'resource "openstack_networking_secgroup_rule_v2" "hcl" {\n  direction = "ingress"\n  security_group_id = "x"\n  protocol = "tcp"\n  port_range_min = 3389\n  port_range_max = 3389\n  remote_ip_prefix = "0.0.0.0/0"\n}\n',
    );
    expect(await errors()).toEqual([
      "SW-SEC-001 platform/openstack_networking_secgroup_rule_v2.hcl",
      "SW-SEC-001 platform/openstack_networking_secgroup_rule_v2.listed",
    ]);
    // AND a provider's password given as a variable's default is clear text all the same
    fs.rmSync(path.join(folder, "more.tf"));
    fs.rmSync(path.join(folder, "extra.tf.json"));
    fs.writeFileSync(
      path.join(folder, "creds.tf.json"),
      JSON.stringify({
        variable: { pw: { default: "hunter2" } },
        provider: { openstack: [{ alias: "other", password: "${var.pw}" }] },
      }),
    );
    expect(await errors()).toEqual(["SW-SEC-004 platform/provider/openstack[1]"]);
    // AND a file the rules cannot read (past their bound) is an error no suppression accepts
    fs.rmSync(path.join(folder, "creds.tf.json"));
    fs.writeFileSync(path.join(folder, "z_override.tf.json"), "{}");
    fs.truncateSync(path.join(folder, "z_override.tf.json"), 65 * 1024 * 1024);
    const r = await cli(["check", file, "--terraform", out, "-f", "json"]);
    expect(r.code).toBe(3);
    expect(
      (JSON.parse(r.stdout).findings as { ruleId: string; target: string; suppressed?: object }[])
        .filter((f) => f.ruleId === "SW-META-003")
        .map((f) => [f.target, Boolean(f.suppressed)]),
    ).toEqual([["terraform/platform/z_override.tf.json", false]]);
  });

  test("--terraform reads files as Terraform does, and what it cannot read is an error", async () => {
    // GIVEN a design accepting hand edits of its platform stack
    const { file, out, folder, tf, rules, key } = await editedPlatform();
    const ssh = { protocol: "tcp", port_range_min: 22, port_range_max: 22 };
    const findings = async () => {
      const r = await cli(["check", file, "--terraform", out, "-f", "json"]);
      return (
        JSON.parse(r.stdout).findings as { ruleId: string; target: string; message: string }[]
      )
        .filter((f) => f.ruleId !== "SW-META-002" && f.ruleId !== "SW-META-001")
        .filter((f) => f.ruleId.startsWith("SW-SEC") || f.ruleId === "SW-META-003")
        .filter((f) => f.ruleId !== "SW-SEC-008")
        .map((f) => `${f.ruleId} ${f.target}`);
    };
    const write = (name: string, text: string) => fs.writeFileSync(path.join(folder, name), text);
    const clear = () =>
      fs
        .readdirSync(folder)
        .filter((f) => f !== "cdk.tf.json" && /\.tf(\.json)?$/.test(f))
        .forEach((f) => fs.rmSync(path.join(folder, f)));
    const opened = { [key]: { ...ssh, remote_ip_prefix: "0.0.0.0/0" } };
    // THEN a hidden file, which Terraform skips, is skipped; a root list of objects is read
    write(
      ".hidden_override.tf.json",
      JSON.stringify({ resource: { openstack_networking_secgroup_rule_v2: opened } }),
    );
    expect(await findings()).toEqual([]);
    clear();
    write(
      "z_override.tf.json",
      JSON.stringify([{ resource: { openstack_networking_secgroup_rule_v2: opened } }]),
    );
    expect(await findings()).toEqual([`SW-SEC-001 ${rules[key]["//"].metadata.path}`]);
    // AND a repeated key, which Terraform merges and JSON.parse drops, is not read but refused
    clear();
    write(
      "dup.tf.json",
      '{"resource":{"openstack_networking_secgroup_rule_v2":{"a":{"direction":"ingress"}}},"resource":{}}',
    );
    expect(await findings()).toEqual(["SW-META-003 terraform/platform/dup.tf.json"]);
    // AND a value Terraform computes where the rules read one (a template, each.value) is refused
    clear();
    write(
      "z_override.tf.json",
      JSON.stringify({
        resource: {
          openstack_networking_secgroup_rule_v2: {
            [key]: { remote_ip_prefix: "%{if true}0.0.0.0/0%{endif}" },
          },
        },
      }),
    );
    expect(await findings()).toEqual(["SW-META-003 terraform/platform/z_override.tf.json"]);
    // AND so is another block's attribute carrying a value there, and a provisioner
    clear();
    write(
      "carried.tf",
      [
        'resource "terraform_data" "p" {\n  input = "0.0.0.0/0"\n}',
        'resource "openstack_networking_secgroup_rule_v2" "carried" {\n  direction = "ingress"\n  security_group_id = "x"\n  protocol = "tcp"\n  port_range_min = 22\n  port_range_max = 22\n  remote_ip_prefix = terraform_data.p.output\n}',
        'resource "terraform_data" "run" {\n  provisioner "local-exec" {\n    command = "true"\n  }\n}',
      ].join("\n"),
    );
    const carried = await cli(["check", file, "--terraform", out, "-f", "json"]);
    const unread = (JSON.parse(carried.stdout).findings as { ruleId: string; message: string }[])
      .filter((f) => f.ruleId === "SW-META-003")
      .map((f) => f.message);
    expect(unread).toEqual([
      expect.stringContaining(
        "openstack_networking_secgroup_rule_v2.carried.remote_ip_prefix, terraform_data.run.provisioner are evaluated",
      ),
    ]);
    // AND so is a module, whose own folder's files Terraform loads and the rules do not read,
    // and a check block's data source
    clear();
    write("mod.tf", 'module "m" {\n  source = "./m"\n}\n');
    expect(await findings()).toEqual(["SW-META-003 terraform/platform/mod.tf"]);
    clear();
    write(
      "check.tf",
      'check "c" {\n  data "external" "x" {\n    program = ["true"]\n  }\n  assert {\n    condition = true\n    error_message = "x"\n  }\n}\n',
    );
    expect(await findings()).toEqual(["SW-META-003 terraform/platform/check.tf"]);
    // AND a variables file the rules cannot read leaves its values unchecked
    clear();
    fs.writeFileSync(
      path.join(folder, "terraform.tfvars"),
      `deep = ${"[".repeat(300)}${"]".repeat(300)}\n`,
    );
    write("empty.tf", "");
    expect(await findings()).toEqual(["SW-META-003 terraform/platform/terraform.tfvars"]);
    fs.rmSync(path.join(folder, "terraform.tfvars"));
    // AND Terraform's string booleans are read as it converts them; a file's own construct path
    // is not taken (a block of no construct is named by its address)
    clear();
    write(
      "z_override.tf.json",
      JSON.stringify({
        resource: {
          openstack_networking_network_v2: Object.fromEntries(
            Object.keys(tf.resource.openstack_networking_network_v2)
              .slice(0, 1)
              .map((n) => [n, { port_security_enabled: "0" }]),
          ),
        },
      }),
    );
    write(
      "forged.tf.json",
      JSON.stringify({
        resource: {
          openstack_networking_secgroup_rule_v2: {
            forged: {
              "//": { metadata: { path: "platform/cloud/anything" } },
              direction: "ingress",
              security_group_id: "x",
              ...ssh,
              remote_ip_prefix: "0/0",
            },
          },
        },
      }),
    );
    const network = Object.values(tf.resource.openstack_networking_network_v2)[0] as any;
    // (and a provider password from a local, or from terraform.tfvars, is clear text)
    write(
      "local.tf",
      'locals {\n  pw = "hunter2"\n}\nvariable "v" {}\nprovider "openstack" {\n  alias = "l"\n  password = local.pw\n}\nprovider "openstack" {\n  alias = "v"\n  password = var.v\n}\n',
    );
    fs.writeFileSync(path.join(folder, "terraform.tfvars"), 'v = "hunter3"\n');
    expect((await findings()).sort()).toEqual(
      [
        "SW-SEC-001 platform/openstack_networking_secgroup_rule_v2.forged",
        `SW-SEC-005 ${network["//"].metadata.path}`,
        "SW-SEC-004 platform/provider/openstack[1]",
        "SW-SEC-004 platform/provider/openstack[2]",
      ].sort(),
    );
  });

  test("--terraform reads an HCL stack as written: an edit is checked, drift suppressed", async () => {
    // GIVEN an HCL synthesis whose platform stack's hand edits the design accepts
    const file = editsAccepted();
    const out = path.join(path.dirname(file), "out");
    expect((await cli(["synth", file, "--out", out, "-q", "--terraform-format", "hcl"])).code).toBe(
      0,
    );
    // THEN as written it reads as the spec's synthesis (the suppression is unused as yet)
    const json = async (...terraform: string[]) =>
      (
        JSON.parse((await cli(["check", file, ...terraform, "-f", "json"])).stdout).findings as {
          ruleId: string;
          message: string;
        }[]
      ).filter((f) => f.ruleId !== "SW-META-001");
    expect(await json("--terraform", out)).toEqual(await json());
    // WHEN a rule's source is opened to the internet in the HCL
    const stack = path.join(out, "terraform/platform/cdk.tf");
    const hcl = fs.readFileSync(stack, "utf8");
    const edited = hcl.replace(
      /(resource "openstack_networking_secgroup_rule_v2" "[^"]+" \{[^}]*?direction\s*=\s*"ingress"[^}]*?)remote_ip_prefix\s*=\s*"[^"]+"/,
      '$1remote_ip_prefix = "0.0.0.0/0"',
    );
    expect(edited).not.toBe(hcl);
    fs.writeFileSync(stack, edited);
    // THEN a rule reads the edit
    const findings = await json("--terraform", out);
    expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(["SW-META-002"]));
    expect(
      findings.some((f) => f.ruleId.startsWith("SW-SEC") && /0\.0\.0\.0\/0/.test(f.message)),
    ).toBe(true);
  });

  test("--terraform names a synth stopped while it replaced the stacks, until synth runs again", async () => {
    // GIVEN a folder synth wrote, and the journal a synth killed while replacing stacks leaves
    const file = specFile((s) => calm(s));
    const out = path.join(path.dirname(file), "out");
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const journal = path.join(out, ".stackwright.pending.json");
    const planning = (files: string[]) =>
      fs.writeFileSync(
        journal,
        JSON.stringify({ command: "synth", files: Object.fromEntries(files.map((f) => [f, "0"])) }),
      );
    planning(["docs/architecture.md", "terraform/platform/cdk.tf.json"]);
    // WHEN the folder is checked
    const r = await cli(["check", file, "--terraform", out, "-f", "json"]);
    // THEN the stopped run is an error at its journal, though every stack file reads as written
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).findings).toEqual([
      expect.objectContaining({
        ruleId: "SW-META-002",
        target: ".stackwright.pending.json",
        message: expect.stringContaining("Terraform would apply the mix"),
        fix: expect.stringMatching(/^synthesize the spec into the folder again/),
      }),
    ]);
    // AND a journal planning no Terraform (docs stopped midway) leaves the stacks be
    planning(["docs/architecture.md"]);
    expect((await cli(["check", file, "--terraform", out])).code).toBe(0);
    // AND the next synth completes the run and the check passes
    planning(["terraform/platform/cdk.tf.json"]);
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    expect(fs.existsSync(journal)).toBe(false);
    expect((await cli(["check", file, "--terraform", out])).code).toBe(0);
  });

  test("--terraform compares HCL stacks with the HCL the spec synthesizes", async () => {
    const file = specFile((s) => calm(s));
    const out = path.join(path.dirname(file), "out");
    expect((await cli(["synth", file, "--out", out, "-q", "--terraform-format", "hcl"])).code).toBe(
      0,
    );
    expect((await cli(["check", file, "--terraform", out])).code).toBe(0);
    const platform = path.join(out, "terraform/platform/cdk.tf");
    fs.appendFileSync(
      platform,
      '\nresource "openstack_compute_keypair_v2" "extra" {\n  name = "x"\n}\n',
    );
    const r = await cli(["check", file, "--terraform", out, "-f", "json"]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).findings).toContainEqual(
      expect.objectContaining({
        ruleId: "SW-META-002",
        target: "terraform/platform/cdk.tf",
        message: "not what the spec synthesizes",
      }),
    );
  });
});
