import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { BIN, EXAMPLE, ROOT, cli, listFiles, run, tmp, type CliResult } from "../support/cli";
import { deployFiles } from "../../deployer";
import { loadSpecFile } from "../../model/load";
import { designFindings, documentFiles, inspectedStacks, loadDesign } from "../../cli/pipeline";
import { sourceKey } from "../../documents/compiled-templates";

/** Every built-in template and partial. */
function builtinTemplateFiles(dir = path.join(ROOT, "templates")): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? builtinTemplateFiles(path.join(dir, e.name))
        : e.name.endsWith(".hbs")
          ? [path.join(dir, e.name)]
          : [],
    );
}

const stackTrace = /\n\s+at .+\(.+:\d+:\d+\)/;

/**
 * One synth of the example, shared: the tests that read its output or need an existing output
 * folder start from it (or a copy) instead of synthesizing the same design again.
 */
let shared: { out: string; run: CliResult };
beforeAll(async () => {
  const out = path.join(tmp(), "out");
  shared = { out, run: await cli(["synth", EXAMPLE, "--out", out]) };
});

/** A copy of the shared synth output in a new folder (`dir/out`). */
function copyOfSynth(dir = tmp()): string {
  const out = path.join(dir, "out");
  fs.cpSync(shared.out, out, { recursive: true });
  return out;
}

describe("stackwright CLI", () => {
  test("--version and --help exit 0", () => {
    expect(run(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = run(["synth", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--out <dir>");
  });

  test("blueprints lists names and descriptions, also as JSON", async () => {
    const text = await cli(["blueprints"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^enterprise-reference\s+General enterprise/m);
    const json = JSON.parse((await cli(["blueprints", "--json"])).stdout) as { name: string }[];
    expect(json.map((b) => b.name)).toContain("enterprise-reference");
  });

  test("validate prints a one-line summary", async () => {
    const r = await cli(["validate", EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "valid (enterprise-reference): 2 zones, 4 pools, 20 compute hosts, 3 controllers, 8 networks",
    );
  });

  test("a missing file is exit 2 without a stack trace", () => {
    const r = run(["validate", "does-not-exist.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does-not-exist.yaml: no such file");
    expect(r.stderr).not.toMatch(stackTrace);
  });

  test("invalid YAML is exit 2 with line and column", async () => {
    const dir = tmp();
    const file = path.join(dir, "bad.yaml");
    fs.writeFileSync(file, "metadata:\n  customer: [oops\n");
    const r = await cli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+ {2}\(root\): .+\[yaml-syntax\]/);
  });

  test("a schema error names the spec path and line", async () => {
    const dir = tmp();
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(
      file,
      fs
        .readFileSync(EXAMPLE, "utf8")
        .replace(
          "hosts: 6\n        hardware: compute-2s\n        cpuAllocationRatio: 4",
          "hosts: -1\n        hardware: compute-2s\n        cpuAllocationRatio: 4",
        ),
    );
    const r = await cli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /spec\.yaml:\d+:\d+ {2}zones\[0\]\.pools\[0\]\.hosts: expected a positive integer/,
    );
    expect(r.stderr).not.toMatch(stackTrace);
  });

  test("unknown options and commands are exit 2", () => {
    expect(run(["synth", EXAMPLE, "--out", "x", "--format", "xml"]).code).toBe(2);
    expect(run(["frobnicate"]).code).toBe(2);
    expect(run(["synth", EXAMPLE]).code).toBe(2);
  });

  test("synth writes Terraform per stack, the document and the model", () => {
    const { out, run: r } = shared;
    expect(r.code).toBe(0);
    const files = listFiles(out);
    // One netplan file per node of the inventory, named by its host name.
    expect(files.filter((f) => f.startsWith("config/netplan/"))).toEqual(
      JSON.parse(fs.readFileSync(path.join(out, "model.json"), "utf8"))
        .nodes.map((n: { name: string }) => `config/netplan/${n.name}.yaml`)
        .sort(),
    );
    const deploy = files.filter((f) => f.startsWith("deploy/"));
    expect(deploy).toEqual([...deployFiles(loadSpecFile(EXAMPLE).model).keys()].sort());
    expect(deploy).toContain("deploy/kolla/inventory");
    expect(
      files.filter((f) => !f.startsWith("config/netplan/") && !f.startsWith("deploy/")),
    ).toEqual([
      "RUNBOOK.md",
      "config/chrony/ceph-osd.conf",
      "config/chrony/compute.conf",
      "config/chrony/controller.conf",
      "config/chrony/deployer.conf",
      "config/chrony/swift-proxy.conf",
      "config/chrony/swift-storage.conf",
      "config/keystone/domains/keystone.corp.conf",
      "config/swift/rings.sh",
      "docs/architecture.html",
      "docs/architecture.md",
      "docs/diagrams/logical.dot",
      "docs/diagrams/logical.svg",
      "docs/diagrams/physical.dot",
      "docs/diagrams/physical.svg",
      "model.json",
      "stackwright.json",
      "terraform/addresses.json",
      "terraform/baremetal/README.md",
      "terraform/baremetal/cdk.tf.json",
      "terraform/baremetal/terraform.tfvars.example",
      "terraform/platform/README.md",
      "terraform/platform/cdk.tf.json",
      "terraform/platform/terraform.tfvars.example",
      "terraform/tenant-core-banking/README.md",
      "terraform/tenant-core-banking/cdk.tf.json",
      "terraform/tenant-core-banking/terraform.tfvars.example",
      "terraform/tenant-retail-banking/README.md",
      "terraform/tenant-retail-banking/cdk.tf.json",
      "terraform/tenant-retail-banking/terraform.tfvars.example",
    ]);
    const tf = JSON.parse(
      fs.readFileSync(path.join(out, "terraform/platform/cdk.tf.json"), "utf8"),
    );
    expect(tf.terraform.backend.local.path).toBe("terraform.tfstate");
    const model = JSON.parse(fs.readFileSync(path.join(out, "model.json"), "utf8"));
    expect(model.capacity.hosts).toBe(20);
  });

  test("synth is deterministic, byte for byte, from any working directory", () => {
    const a = shared.out;
    const b = path.join(tmp(), "b");
    expect(shared.run.code).toBe(0);
    expect(run(["synth", EXAMPLE, "--out", b], os.tmpdir()).code).toBe(0);
    // The built CLI in a process of its own writes what the shared in-process run wrote.
    expect(listFiles(b)).toEqual(listFiles(a));
    const differing = listFiles(a).filter(
      (f) => !fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f))),
    );
    expect(differing).toEqual([]);
  });

  test("a failed run leaves an existing output folder untouched", async () => {
    const dir = tmp();
    const out = copyOfSynth(dir);
    const before = listFiles(out).map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")]);
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(bad, "version: 1\nmetadata: {}\n");
    expect((await cli(["synth", bad, "--out", out])).code).toBe(2);
    expect(listFiles(out).map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")])).toEqual(
      before,
    );
    expect(fs.readdirSync(dir).sort()).toEqual(["bad.yaml", "out"]);
  });

  test("refuses to replace a folder it did not write", async () => {
    const out = tmp();
    fs.writeFileSync(path.join(out, "precious.txt"), "keep me");
    const r = await cli(["synth", EXAMPLE, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("was not written by Stackwright");
    expect(fs.readdirSync(out)).toEqual(["precious.txt"]);
  });

  test("--format hcl writes cdk.tf", async () => {
    const out = path.join(tmp(), "out");
    expect((await cli(["synth", EXAMPLE, "--out", out, "--format", "hcl"])).code).toBe(0);
    const hcl = fs.readFileSync(path.join(out, "terraform/platform/cdk.tf"), "utf8");
    expect(hcl).toMatch(/resource "openstack_compute_aggregate_v2"/);
  });

  test("docs into a synth's folder is refused when the documents would stop matching its Terraform", async () => {
    // GIVEN a folder synthesized from the example
    const dir = tmp();
    const out = path.join(dir, "out");
    expect((await cli(["synth", EXAMPLE, "--out", out])).code).toBe(0);
    // THEN docs of the same spec says nothing, and of another design is refused, writing nothing
    const same = await cli(["docs", EXAMPLE, "--out", out, "--no-quiet"]);
    expect(same.stderr).not.toContain("warning: ");
    const other = path.join(dir, "other.yaml");
    fs.writeFileSync(
      other,
      fs.readFileSync(EXAMPLE, "utf8").replace(/^( {2}project: ).*$/m, "$1Another Cloud"),
    );
    const before = fs.readFileSync(path.join(out, "docs/architecture.md"), "utf8");
    const drift = await cli(["docs", other, "--out", out, "-q"]);
    expect([drift.code, drift.stderr]).toEqual([
      2,
      `error: --out ${out}: its model.json is not this design's model: synth wrote it from another design, or another Stackwright version wrote it (whose Terraform may read the same), and documents of this one beside it could describe other Terraform than the folder's; run synth with ${other} (it writes the documents too), or write them to another folder\n`,
    ]);
    expect(fs.readFileSync(path.join(out, "docs/architecture.md"), "utf8")).toBe(before);
  });

  test("docs writes only the document", async () => {
    const out = path.join(tmp(), "out");
    expect((await cli(["docs", EXAMPLE, "--out", out])).code).toBe(0);
    // (no runbook: its commands run the files synth writes beside it)
    expect(listFiles(out)).toEqual([
      "docs/architecture.html",
      "docs/architecture.md",
      "docs/diagrams/logical.dot",
      "docs/diagrams/logical.svg",
      "docs/diagrams/physical.dot",
      "docs/diagrams/physical.svg",
      "stackwright.json",
    ]);
    // The built CLI renders from the build's precompiled templates, one for every built-in
    // template; what it writes is what compiling the templates here renders.
    const precompiled = Object.keys(
      (await import(path.join(ROOT, "dist/documents/precompiled-templates.js"))) as object,
    ).filter((k) => k !== "default");
    expect(precompiled.sort()).toEqual(
      builtinTemplateFiles()
        .map((f) => sourceKey(fs.readFileSync(f, "utf8")))
        .sort(),
    );
    const design = loadDesign(EXAMPLE);
    const stacks = inspectedStacks(design);
    const files = await documentFiles(design, stacks, { findings: designFindings(design, stacks) });
    for (const doc of ["docs/architecture.md", "docs/architecture.html"])
      expect(fs.readFileSync(path.join(out, doc), "utf8")).toBe(files.get(doc));
    // AND docs into a folder synth wrote keeps synth's runbook there
    const synthesized = path.join(tmp(), "synth");
    expect((await cli(["synth", EXAMPLE, "--out", synthesized, "-q"])).code).toBe(0);
    expect((await cli(["docs", EXAMPLE, "--out", synthesized, "-q"])).code).toBe(0);
    expect(fs.readFileSync(path.join(synthesized, "RUNBOOK.md"), "utf8")).toBe(
      files.get("RUNBOOK.md"),
    );
  });

  test("schema prints zod's JSON Schema of the spec", async () => {
    const r = await cli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.required).toEqual(
      expect.arrayContaining(["metadata", "cloud", "hardware", "zones", "controlPlane", "network"]),
    );
  });
});

test("the committed stackwright.schema.json is the current schema", async () => {
  const committed = fs.readFileSync(path.join(ROOT, "stackwright.schema.json"), "utf8");
  expect((await cli(["schema"])).stdout).toBe(committed);
});

test("every example starts with the yaml-language-server schema line", () => {
  for (const f of fs.readdirSync(path.join(ROOT, "examples")).filter((x) => x.endsWith(".yaml"))) {
    const first = fs.readFileSync(path.join(ROOT, "examples", f), "utf8").split("\n")[0];
    expect(first).toBe("# yaml-language-server: $schema=../stackwright.schema.json");
  }
});

test("cdktf.json's app synthesizes the default example for the cdktf CLI", () => {
  const outdir = tmp();
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8"));
  const [, , ...args] = (config.app as string).split(" ");
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir },
  });
  expect(r.status).toBe(0);
  const stack = JSON.parse(
    fs.readFileSync(path.join(outdir, "stacks", "platform", "cdk.tf.json"), "utf8"),
  );
  expect(stack.terraform.required_providers.openstack.source).toBe(
    "terraform-provider-openstack/openstack",
  );
});

// Needs Chromium, which CI installs: without it this fails rather than passing untested.
test("docs --pdf writes the PDF beside the HTML", async () => {
  // The same bytes every run, from any browser: documents/print.test.ts. Here the smallest
  // example (12 pages, the enterprise one has 18) shows the command prints.
  const out = path.join(tmp(), "out");
  const home = tmp();
  const spec = path.join(ROOT, "examples", "three-node.yaml");
  // (with the browser folder a killed run left, holding a page, and a link named like one)
  const temp = tmp();
  const dead = path.join(temp, "stackwright-chromium-999999999-Ab12Cd");
  fs.mkdirSync(dead);
  fs.writeFileSync(path.join(dead, "page-1.html"), "<p>the customer's document</p>");
  const kept = tmp();
  fs.writeFileSync(path.join(kept, "notes"), "mine");
  fs.symlinkSync(kept, path.join(temp, "stackwright-chromium-999999998-link"));
  // (a whole process, as Chromium starts from the built command with its environment)
  expect(run(["docs", spec, "--out", out, "--pdf"], ROOT, { HOME: home, TMPDIR: temp }).code).toBe(
    0,
  );
  const pdf = fs.readFileSync(path.join(out, "docs/architecture.pdf"));
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(listFiles(out)).toContain("docs/architecture.html");
  // AND Chromium's crash reports and caches stayed in its temporary profile, not the home
  expect(fs.readdirSync(home)).toEqual([]);
  // AND its folder went with it, and so did the dead run's; the link and what it leads to stay
  expect(fs.readdirSync(temp).filter((n) => n.startsWith("stackwright-chromium-"))).toEqual([
    "stackwright-chromium-999999998-link",
  ]);
  expect(fs.readdirSync(kept)).toEqual(["notes"]);
});

test("docs --pdf stopped by a signal takes its browser and the document's copy with it", async () => {
  // GIVEN a PDF run, in a temp folder of its own
  const temp = tmp();
  const out = path.join(tmp(), "out");
  const child = spawn(
    process.execPath,
    [BIN, "docs", path.join(ROOT, "examples", "three-node.yaml"), "--out", out, "--pdf", "-q"],
    { cwd: ROOT, env: { ...process.env, TMPDIR: temp }, stdio: "ignore" },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  );
  // WHEN Ctrl-C's signal arrives while its browser prints (its folder holds a page)
  const printing = () =>
    fs
      .readdirSync(temp)
      .filter((n) => n.startsWith("stackwright-chromium-"))
      .some((n) => fs.readdirSync(path.join(temp, n)).some((f) => f.startsWith("page-")));
  while (!printing() && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
  child.kill("SIGINT");
  // THEN the run ends by that signal, and nothing of the browser is left (its temporary files
  // included: Chromium's TMPDIR is inside its folder)
  expect(await exited).toBe("SIGINT");
  expect(fs.readdirSync(temp).filter((n) => !n.startsWith("stackwright-synth-"))).toEqual([]);
});

test("synth and proposal refuse a design that fails its policy checks, writing nothing", async () => {
  const dir = tmp();
  const spec = path.join(dir, "weak.yaml");
  fs.writeFileSync(
    spec,
    fs
      .readFileSync(EXAMPLE, "utf8")
      .replace("protection: { replicated: 3 }", "protection: { replicated: 2 }"),
  );
  const out = path.join(dir, "out");
  const r = await cli(["synth", spec, "--out", out]);
  expect(r.code).toBe(3);
  expect(r.stderr).toContain("SW-CAP-004");
  expect(r.stderr).toContain("nothing was written");
  expect(fs.existsSync(out)).toBe(false);
  // A proposal would price a design synth refuses to build: it stops the same way.
  const book = path.join(ROOT, "examples/price-books/standard.yaml");
  const p = await cli(["proposal", spec, "--price-book", book, "--out", out]);
  expect(p.code).toBe(3);
  expect(p.stderr).toContain("SW-CAP-004");
  expect(fs.existsSync(out)).toBe(false);
});

test("a missing or broken template folder is a user error", async () => {
  const out = path.join(tmp(), "out");
  const missing = await cli([
    "docs",
    EXAMPLE,
    "--out",
    out,
    "--templates",
    "/nonexistent-templates",
  ]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("--templates /nonexistent-templates: no such folder");
  const dir = tmp();
  fs.mkdirSync(path.join(dir, "partials"));
  fs.writeFileSync(path.join(dir, "partials", "summary.hbs"), "{{#each}} {{nope.field}}");
  const broken = await cli(["docs", EXAMPLE, "--out", out, "--templates", dir]);
  expect(broken.code).toBe(2);
  // (naming the file, with Handlebars' whole message: the line, a pointer and what it expected)
  expect(broken.stderr).toContain(
    `--templates ${dir}: ${path.join(dir, "partials", "summary.hbs")}: Parse error on line 1:`,
  );
  expect(broken.stderr).toContain("Expecting ");
  fs.writeFileSync(path.join(dir, "partials", "summary.hbs"), "{{meta.unknownField}}");
  expect((await cli(["docs", EXAMPLE, "--out", out, "--templates", dir])).code).toBe(2);
  expect(fs.existsSync(out)).toBe(false);
});

test("a new synth keeps each stack's Terraform state, plugins and variables", async () => {
  const out = copyOfSynth();
  const stack = path.join(out, "terraform", "platform");
  fs.writeFileSync(path.join(stack, "terraform.tfstate"), '{"version": 4}');
  fs.writeFileSync(path.join(stack, "terraform.tfvars"), 'legacy_vpn_psk = "from-the-vault"');
  fs.mkdirSync(path.join(stack, ".terraform", "providers"), { recursive: true });
  fs.writeFileSync(path.join(stack, ".terraform.lock.hcl"), "# lock");
  // A stack that is no longer in the design keeps its state too.
  fs.mkdirSync(path.join(out, "terraform", "tenant-gone"));
  fs.writeFileSync(
    path.join(out, "terraform", "tenant-gone", "terraform.tfstate"),
    '{"version": 4}',
  );
  // (kept as it is, which the run is told to do)
  expect((await cli(["synth", EXAMPLE, "--out", out, "-q", "--destroy-removed"])).code).toBe(0);
  expect(fs.readFileSync(path.join(stack, "terraform.tfstate"), "utf8")).toBe('{"version": 4}');
  expect(fs.readFileSync(path.join(stack, "terraform.tfvars"), "utf8")).toContain("from-the-vault");
  expect(fs.existsSync(path.join(stack, ".terraform", "providers"))).toBe(true);
  expect(fs.existsSync(path.join(stack, ".terraform.lock.hcl"))).toBe(true);
  expect(fs.existsSync(path.join(out, "terraform", "tenant-gone", "terraform.tfstate"))).toBe(true);
  expect(fs.existsSync(path.join(stack, "cdk.tf.json"))).toBe(true);
});

test("refuses folders with a foreign marker, foreign files where it writes, inputs it would overwrite, or an empty path", async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, "stackwright.json"), "{}");
  fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
  const foreign = await cli(["synth", EXAMPLE, "--out", dir]);
  expect(foreign.code).toBe(2);
  expect(foreign.stderr).toContain("stackwright.json was not written by Stackwright");
  expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("mine");

  const out = copyOfSynth();
  // A user's file elsewhere stays; an input inside the folder stays.
  fs.writeFileSync(path.join(out, "extra.txt"), "mine");
  const spec = path.join(out, "docs", "spec.yaml");
  fs.copyFileSync(EXAMPLE, spec);
  expect((await cli(["synth", spec, "--out", out, "-q"])).code).toBe(0);
  expect(fs.readFileSync(path.join(out, "extra.txt"), "utf8")).toBe("mine");
  expect(fs.existsSync(spec)).toBe(true);
  // An input that is one of the files synth writes is refused, naming it.
  const owned = path.join(out, "docs", "architecture.md");
  fs.copyFileSync(EXAMPLE, owned);
  const own = await cli(["synth", owned, "--out", out]);
  expect(own.code).toBe(2);
  expect(own.stderr).toContain(`the input ${owned} is a file Stackwright writes there`);
  expect(fs.readFileSync(owned, "utf8")).toBe(fs.readFileSync(EXAMPLE, "utf8"));
  expect((await cli(["synth", EXAMPLE, "--out", ""])).code).toBe(2);
});

test("a reader that closes the pipe early (| head) ends nothing in a trace", async () => {
  // GIVEN the schema, whose reader has gone before the first byte
  const child = spawn(process.execPath, [BIN, "schema"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.stdout.destroy();
  const code = await new Promise((resolve) => child.on("close", resolve));
  // THEN it exits as it would have, without Node's unhandled EPIPE error
  expect([code, stderr]).toEqual([0, ""]);
});

test("help of no command, an empty spec path and a missing --terraform folder are said as such", async () => {
  expect(await cli(["help", "bogus"])).toMatchObject({
    code: 2,
    stderr: "error: unknown command 'bogus'\n(run with --help for usage)\n",
  });
  expect((await cli(["help", "synth"])).code).toBe(0);
  expect(await cli(["validate", ""])).toMatchObject({
    code: 2,
    stderr: "error: the spec path is empty: name a spec file\n",
  });
  const missing = path.join(tmp(), "nope");
  expect(await cli(["check", EXAMPLE, "--terraform", missing])).toMatchObject({
    code: 2,
    stderr: `error: ${missing}: no such folder; give --terraform the folder synth wrote into (its --out)\n`,
  });
});

test("a stdout that refuses writes (a full disk) is one line on stderr, exit 1, no trace", async () => {
  // GIVEN stdout on /dev/full, where every write fails with ENOSPC
  const fd = fs.openSync("/dev/full", "w");
  const child = spawn(process.execPath, [BIN, "schema"], { stdio: ["ignore", fd, "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on("close", resolve));
  fs.closeSync(fd);
  // THEN
  expect([code, stderr]).toEqual([1, "error: cannot write to stdout (ENOSPC)\n"]);
});

test("the output pipes are guarded once, however often the CLI's module is loaded in a process", async () => {
  // GIVEN the CLI loaded anew three times in this process, as Jest does for each test file
  const counts = () => [process.stdout, process.stderr].map((s) => s.listenerCount("error"));
  const before = counts();
  for (let i = 0; i < 3; i++) {
    let main: ((argv: readonly string[]) => Promise<number>) | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      main = (require("../../cli/main") as typeof import("../../cli/main")).main;
    });
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await main!(["--version"])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
  }
  // THEN each stream has one guard at most more than before: eleven test files in one worker
  // made Node warn of a listener leak, into a test's captured output
  const after = counts();
  for (let s = 0; s < 2; s++) expect(after[s] - before[s]).toBeLessThanOrEqual(1);
});
