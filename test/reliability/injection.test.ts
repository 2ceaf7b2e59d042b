import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { architectureDocuments } from "../../documents/architecture";
import { terraformInventory } from "../../documents/view-model";
import { safeRelativePath, writeOutputFolder } from "../../cli/output";
import { synthesizeTerraform } from "../../synth/app";
import { CORE_SERVICES, issuesOf, load, variant } from "../support/fixtures";
import { cli } from "../support/cli";
import { tempDir } from "../support/temp";

const NASTY = 'x ${var.secret} %{if true}y%{endif} "q" \\b </script> <b>';

/** Every `${...}` reference in a Terraform JSON document, minus escaped `$${`. */
function references(json: string): string[] {
  return [...json.matchAll(/(?<!\$)\$\{([^}]*)\}/g)].map((m) => m[1]);
}

describe("user text stays inert", () => {
  const model = load(
    variant((s) => {
      s.metadata.customer = NASTY;
      s.metadata.project = NASTY;
      s.cloud.cloud = NASTY.slice(0, 60);
      s.cloud.undercloud = { cloud: `u ${NASTY.slice(0, 60)}`, network: 'prov "x" ${n}' };
      s.controlPlane.flavor = "bm ${path.root}";
      s.controlPlane.image = 'img "quoted" \\ %{x}';
      s.tenants = [
        {
          name: NASTY.slice(0, 64),
          id: "t1",
          description: NASTY,
          network: { cidr: "172.30.0.0/24" },
        },
      ];
      s.zones[0].pools[0].purpose = { custom: "batch ${jobs}" };
      s.controlPlane.services = [...CORE_SERVICES, "cinder", "swift"];
      s.storage = {
        backends: [{ name: "lvm1", kind: "lvm", volumeType: "fast ${x}", description: NASTY }],
        swift: {
          proxies: 2,
          proxyHardware: "ctrl",
          storageNodes: 3,
          storageHardware: "stor",
          disksPerNode: 2,
          diskSizeTB: 2,
          zones: 3,
          containers: [{ name: "c ${y}", purpose: "application", readers: ["p1:u ${z}"] }],
        },
      };
    }),
  ).model;

  test("in Terraform: escaped, and every reference points at a declared object", async () => {
    const stacks = await synthesizeTerraform(enterpriseReference, model, "json");
    for (const stack of stacks) {
      const json = JSON.parse(stack.content);
      expect(stack.content).not.toMatch(/(?<!\$)\$\{var\.secret\}/);
      expect(stack.content).toContain("$${var.secret}");
      expect(stack.content).toContain("%%{if true}");
      const declared = new Set<string>();
      for (const [type, items] of Object.entries(json.resource ?? {}))
        for (const name of Object.keys(items as object)) declared.add(`${type}.${name}`);
      for (const [type, items] of Object.entries(json.data ?? {}))
        for (const name of Object.keys(items as object)) declared.add(`data.${type}.${name}`);
      for (const name of Object.keys(json.variable ?? {})) declared.add(`var.${name}`);
      for (const ref of references(stack.content)) {
        if (ref === "terraform.workspace") continue;
        const target = ref
          .split(".")
          .slice(0, ref.startsWith("data.") ? 3 : 2)
          .join(".");
        expect(declared).toContain(target);
      }
    }
    const platform = JSON.parse(stacks.find((st) => st.name === "platform")!.content);
    expect(platform.provider.openstack[0].cloud).toBe(
      'x $${var.secret} %%{if true}y%%{endif} "q" \\b </script> <b>',
    );
  });

  test("in cloud-init YAML: the document parses and carries the values", async () => {
    const stacks = await synthesizeTerraform(enterpriseReference, model, "json");
    const baremetal = JSON.parse(stacks.find((st) => st.name === "baremetal")!.content);
    expect(baremetal.provider.openstack[0].cloud).toBe(
      'u x $${var.secret} %%{if true}y%%{endif} "q" \\b </script> <b>',
    );
    const instance = Object.values(baremetal.resource.openstack_compute_instance_v2).find(
      (i: any) => i.name === "ctrl-01",
    ) as { user_data: string; flavor_name: string; network: { name: string }[] };
    expect(instance.flavor_name).toBe("bm $${path.root}");
    expect(instance.network).toEqual([{ name: 'prov "x" $${n}' }]);
    const doc = parse(instance.user_data.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")) as {
      hostname: string;
    };
    expect(doc.hostname).toBe("ctrl-01");
  });

  test("in HTML and Markdown", async () => {
    const stacks = await synthesizeTerraform(enterpriseReference, model, "json");
    const files = await architectureDocuments(model, terraformInventory(stacks), []);
    const html = String(files.get("docs/architecture.html"));
    const md = String(files.get("docs/architecture.md"));
    expect(html).not.toContain("</script> <b>");
    expect(html).toContain("&lt;/script&gt; &lt;b&gt;");
    // Markdown escapes with backslashes (no HTML entities in Markdown)
    expect(md).toContain("\\</script\\> \\<b\\>");
    expect(md).not.toMatch(/<\/?(script|b)>/);
  });

  test("in spec YAML: control characters in names are rejected with the path", () => {
    const issues = issuesOf(variant((s) => (s.metadata.customer = "a\u0007b")));
    expect(issues.map((i) => i.path.join("."))).toContain("metadata.customer");
  });
});

describe("paths", () => {
  test("output paths never leave the output folder", async () => {
    for (const bad of ["../x", "/etc/passwd", "a/../../b", "a\u0000b", "a\\b", ""]) {
      expect(() => safeRelativePath(bad)).toThrow("refusing to write outside the output folder");
    }
    expect(safeRelativePath("terraform/platform/cdk.tf.json")).toBe(
      "terraform/platform/cdk.tf.json",
    );
    const out = path.join(tempDir("sw-path-"), "out");
    await expect(
      writeOutputFolder(out, new Map([["../escape.txt", "x"]]), { command: "synth", version: "0" }),
    ).rejects.toThrow();
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(path.join(out, "..", "escape.txt"))).toBe(false);
  });

  test("an output folder the user cannot write is a user error, exit 2", async () => {
    // Below a regular file nothing can be created, whoever runs the tests (root included).
    const file = path.join(tempDir("sw-unwritable-"), "file");
    fs.writeFileSync(file, "");
    const out = path.join(file, "out");
    const r = await cli(["docs", "examples/three-node.yaml", "--out", out, "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${out}: cannot write ${out} (ENOTDIR: not a directory)`);
  });

  test("names that become file names are identifiers", () => {
    const issues = issuesOf(variant((s) => (s.tenants = [{ name: "t", stack: "../evil" }])));
    expect(issues.map((i) => i.path.join("."))).toContain("tenants.0.stack");
    const domain = issuesOf(variant((s) => (s.identity = { domains: [{ name: "/etc" }] })));
    expect(domain.map((i) => i.path.join("."))).toContain("identity.domains.0.name");
  });
});

test("a run killed midway leaves the previous output untouched", async () => {
  const dir = tempDir("sw-kill-");
  const out = path.join(dir, "out");
  const small = path.join(dir, "small.yaml");
  fs.writeFileSync(small, stringify(variant(() => undefined)));
  expect(
    spawnSync(process.execPath, ["bin/stackwright.js", "synth", small, "--out", out, "-q"]).status,
  ).toBe(0);
  const before = fs.readFileSync(path.join(out, "terraform/platform/cdk.tf.json"), "utf8");
  // A large estate takes seconds to synthesize: kill it while it works.
  const big = path.join(dir, "big.json");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { estate } = require("../../bench/estate");
  fs.writeFileSync(big, JSON.stringify(estate({ zones: 20, tenants: 600 })));
  // (another design into the same folder: its hosts' new addresses and dropped pools accepted)
  const child = spawn(process.execPath, [
    "bin/stackwright.js",
    "synth",
    big,
    "--out",
    out,
    "-q",
    "--renumber",
    "--destroy-removed",
  ]);
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  await new Promise((r) => setTimeout(r, 1500));
  child.kill("SIGKILL");
  // Killed while it worked, not finished or refused before.
  expect(await exited).toBeNull();
  expect(fs.readFileSync(path.join(out, "terraform/platform/cdk.tf.json"), "utf8")).toBe(before);
  expect(fs.readdirSync(out).sort()).toEqual([
    "RUNBOOK.md",
    "config",
    "deploy",
    "docs",
    "model.json",
    "stackwright.json",
    "terraform",
  ]);
});
