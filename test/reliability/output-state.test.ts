import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { BIN, ROOT, listFiles, cli, tmp } from "../support/cli";

function snapshotOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]),
  );
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THREE_NODE = path.join(ROOT, "examples", "three-node.yaml");

/** The three-node example with its tenant renamed, so a synth adds one stack and drops another. */
function renamedTenantSpec(dir: string): string {
  const file = path.join(dir, "renamed.yaml");
  fs.writeFileSync(
    file,
    fs
      .readFileSync(THREE_NODE, "utf8")
      .replace("  - name: demo\n    id: demo\n", "  - name: lab\n    id: lab\n")
      // Another block: on demo's, lab would be demo renamed, which synth refuses.
      .replace("network: { cidr: 192.168.1.0/24 }", "network: { cidr: 192.168.2.0/24 }"),
  );
  return file;
}

/** Terraform's working files, one set per stack folder, each with distinct bytes. */
function plantState(out: string, stacks: readonly string[]): Map<string, Buffer> {
  const planted = new Map<string, Buffer>();
  for (const stack of stacks) {
    const dir = path.join(out, "terraform", stack);
    fs.mkdirSync(path.join(dir, ".terraform", "providers"), { recursive: true });
    for (const [name, body] of [
      ["terraform.tfstate", `{"version":4,"serial":7,"lineage":"${stack}"}`],
      ["terraform.tfstate.backup", `{"version":4,"serial":6,"lineage":"${stack}"}`],
      [".terraform.lock.hcl", `# lock ${stack}`],
      ["terraform.tfvars", `secret = "${stack}"`],
      [".terraform/providers/plugin.bin", `plugin ${stack}`],
    ]) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, body);
      planted.set(file, Buffer.from(body));
    }
  }
  return planted;
}

function expectIntact(planted: ReadonlyMap<string, Buffer>): void {
  for (const [file, bytes] of planted) {
    expect(fs.existsSync(file) ? fs.readFileSync(file).equals(bytes) : `${file} is gone`).toBe(
      true,
    );
  }
}

/** No lock, journal or temporary file left behind. */
function expectNoScratch(out: string): void {
  const leftovers = listFiles(out).filter((f) => /(^|\/)\.stackwright|\.stackwright-tmp-/.test(f));
  expect(leftovers).toEqual([]);
}

const STACKS = ["platform", "tenant-demo", "tenant-lab"];

/**
 * One synth of the three-node example, shared: a test that needs a fresh synth's output, as the
 * reference or as the folder to start from, reads it or copies it rather than synthesizing again.
 */
let reference: string;
beforeAll(async () => {
  reference = path.join(tmp(), "reference");
  expect((await cli(["synth", THREE_NODE, "--out", reference, "-q"])).code).toBe(0);
});

/** A copy of the reference synth at `out`. */
function synthesized(out: string): string {
  fs.cpSync(reference, out, { recursive: true });
  return out;
}

test("50 SIGKILLs while synth writes lose no state file, and the next synth completes", async () => {
  // GIVEN two synth outputs that differ (a stack added, a stack removed, files changed)
  const dir = tmp();
  const a = reference;
  const b = path.join(dir, "b");
  expect((await cli(["synth", renamedTenantSpec(dir), "--out", b, "-q"])).code).toBe(0);
  const snapshots = [a, b].map((from, i) => {
    const file = path.join(dir, `snapshot-${i}.json`);
    const files = snapshotOf(from);
    delete files["stackwright.json"];
    fs.writeFileSync(file, JSON.stringify(files));
    return file;
  });
  const out = synthesized(path.join(dir, "out"));
  const planted = plantState(out, STACKS);

  // WHEN the writer synth uses is killed 50 times at seeded random points
  const random = seeded(18);
  const writer = path.join(ROOT, "test", "support", "write-output.js");
  for (let i = 0; i < 50; i++) {
    const child = spawn(process.execPath, [writer, out, snapshots[i % 2]], { stdio: "ignore" });
    // Listen before the delay: the writer may finish, and exit, before the kill.
    const exited = new Promise((r) => child.once("exit", r));
    const delay = Math.floor(random() * 250);
    await new Promise((r) => setTimeout(r, delay));
    child.kill("SIGKILL");
    await exited;
    // THEN every state file is byte-identical after every kill
    expectIntact(planted);
  }

  // AND the next synth succeeds and leaves the same files as a fresh synth, beside the state
  let next = await cli(["synth", THREE_NODE, "--out", out, "-q"]);
  // The kills leave either run's files, by timing: after the renamed tenant's run its stack
  // leaves the design while its folder holds state, which synth refuses until told.
  if (next.code === 2) {
    expect(next.stderr).toContain(
      "stack tenant-lab leaves the design while its folder holds Terraform state",
    );
    next = await cli(["synth", THREE_NODE, "--out", out, "-q", "--destroy-removed"]);
  }
  // A stack of the other layout whose folder holds (planted) state keeps its configuration.
  for (const line of next.stderr.split("\n").filter(Boolean)) {
    expect(line).toMatch(
      /its stack is no longer in the design but its folder holds Terraform state|^Terraform changes in stack tenant-demo /,
    );
  }
  expect(next.code).toBe(0);
  expectIntact(planted);
  expectNoScratch(out);
  const ours = snapshotOf(out);
  // The manifest also lists those kept files; every file of a fresh synth is there as written.
  for (const [file, content] of Object.entries(snapshotOf(a))) {
    if (file !== "stackwright.json") expect(ours[file]).toEqual(content);
  }
});

test("a synth killed at seeded points of its own run loses no state file", async () => {
  const dir = tmp();
  const out = synthesized(path.join(dir, "out"));
  const renamed = renamedTenantSpec(dir);
  const planted = plantState(out, STACKS);
  const random = seeded(1818);
  const lock = path.join(out, ".stackwright.lock");
  for (let i = 0; i < 4; i++) {
    const spec = i % 2 ? THREE_NODE : renamed;
    const child = spawn(process.execPath, [BIN, "synth", spec, "--out", out, "-q"], {
      stdio: "ignore",
    });
    const exited = new Promise((r) => child.once("exit", r));
    // Kill once writing has begun (the lock appears), after a seeded extra delay.
    const start = Date.now();
    while (!fs.existsSync(lock) && child.exitCode === null && Date.now() - start < 60_000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, Math.floor(random() * 40)));
    child.kill("SIGKILL");
    await exited;
    expectIntact(planted);
  }
  expect((await cli(["synth", THREE_NODE, "--out", out, "-q"])).code).toBe(0);
  expectIntact(planted);
  expectNoScratch(out);
});

test("a synth killed while it builds its stacks leaves nothing new in the temp folder", async () => {
  // GIVEN a temp folder of the test's own for the CLI
  const temp = tmp();
  const out = path.join(tmp(), "out");
  const child = spawn(process.execPath, [BIN, "synth", THREE_NODE, "--out", out, "-q"], {
    env: { ...process.env, TMPDIR: temp },
    stdio: "ignore",
  });
  const exited = new Promise((r) => child.once("exit", r));
  // WHEN it is killed once cdktf's output folder is there (the stacks are being built)
  const building = () =>
    fs
      .readdirSync(temp)
      .some(
        (f) => f.startsWith("stackwright-synth-") && fs.existsSync(path.join(temp, f, "stacks")),
      );
  const start = Date.now();
  while (!building() && child.exitCode === null && Date.now() - start < 60_000) {
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill("SIGKILL");
  await exited;
  // THEN the temp folder holds only the user's empty folder that every synth reuses
  const app = `stackwright-synth-${process.getuid?.() ?? "user"}`;
  expect(fs.readdirSync(temp, { recursive: true, encoding: "utf8" }).sort()).toEqual([
    app,
    path.join(app, "stacks"),
  ]);
});

/** Synths started at once into one folder: more than the cores (up to 6), so they contend for the lock. */
const SIMULTANEOUS = Math.min(6, os.cpus().length + 1);

test(`${SIMULTANEOUS} simultaneous synths into one folder keep every state file and leave one run's output`, async () => {
  const out = synthesized(path.join(tmp(), "out"));
  const planted = plantState(out, STACKS);
  const results = await Promise.all(
    Array.from(
      { length: SIMULTANEOUS },
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, "synth", THREE_NODE, "--out", out, "-q"], {
            env: { ...process.env, NO_COLOR: "1" },
          });
          let stderr = "";
          child.stderr.on("data", (d) => (stderr += String(d)));
          child.once("exit", (code) => resolve({ code, stderr }));
        }),
    ),
  );
  expect(results).toEqual(Array.from({ length: SIMULTANEOUS }, () => ({ code: 0, stderr: "" })));
  expectIntact(planted);
  expectNoScratch(out);
  const ours = snapshotOf(out);
  for (const file of planted.keys()) delete ours[path.relative(out, file)];
  expect(ours).toEqual(snapshotOf(reference));
});

test("a stack written in the other format replaces its old configuration beside its state", async () => {
  // GIVEN an applied stack written as JSON
  const dir = tmp();
  const out = synthesized(path.join(dir, "out"));
  const stack = path.join(out, "terraform", "platform");
  fs.writeFileSync(path.join(stack, "terraform.tfstate"), '{"version": 4}\n');
  // WHEN the same design is written as HCL
  const r = await cli([
    "synth",
    THREE_NODE,
    "--out",
    out,
    "--terraform-format",
    "hcl",
    "--no-quiet",
  ]);
  // THEN the HCL replaces the JSON (both would declare everything twice, and terraform init
  // refuses such a folder), the state stays, and no stack is said to have left the design
  expect(r.code).toBe(0);
  expect(
    fs
      .readdirSync(stack)
      .filter((f) => f.startsWith("cdk.tf"))
      .sort(),
  ).toEqual(["cdk.tf"]);
  expect(fs.readFileSync(path.join(stack, "terraform.tfstate"), "utf8")).toBe('{"version": 4}\n');
  expect(r.stderr).not.toContain("no longer in the design");
});

test("an edited stack configuration is not left beside the same stack in the other format", async () => {
  // GIVEN a stack written as JSON that the user edited
  const dir = tmp();
  const out = synthesized(path.join(dir, "out"));
  const json = path.join(out, "terraform", "platform", "cdk.tf.json");
  fs.appendFileSync(json, "\n");
  const before = snapshotOf(out);
  // WHEN the same design is written as HCL, quietly
  const r = await cli(["synth", THREE_NODE, "--out", out, "--terraform-format", "hcl", "-q"]);
  // THEN it is refused, naming the file (Terraform would read both), and nothing is written
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    `${json} changed since Stackwright wrote it, and the stack's configuration is now written in the other format beside it`,
  );
  expect(snapshotOf(out)).toEqual(before);
});

test("a stack whose tenants moved to another keeps its state until moved: never destroyed there", async () => {
  // GIVEN a synth whose tenant stack has been applied, and the design with its tenants in one
  // stack, synthesized with --move-state, whose state-moves.sh the user deleted unrun
  const dir = tmp();
  const out = synthesized(path.join(dir, "out"));
  const stack = path.join(out, "terraform", "tenant-demo");
  fs.writeFileSync(path.join(stack, "terraform.tfstate"), '{"version": 4, "resources": [{}]}\n');
  const single = path.join(dir, "single.yaml");
  fs.writeFileSync(
    single,
    fs.readFileSync(THREE_NODE, "utf8").replace(/^output:\n/m, "output:\n  tenantStacks: single\n"),
  );
  expect((await cli(["synth", single, "--out", out, "-q", "--move-state"])).code).toBe(0);
  fs.rmSync(path.join(out, "terraform", "state-moves.sh"), { force: true });
  const r = await cli(["synth", single, "--out", out, "--no-quiet"]);
  // THEN the folder is kept, and the note says its tenant's resources wait there for the move,
  // not that the tenant left (whose advice is a destroy)
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    "its tenant demo is now in tenants, and its resources still in this state: move them there before applying that stack",
  );
  expect(r.stderr).toContain("never terraform destroy here");
  expect(r.stderr).not.toContain("if tenant demo was renamed");
});

test("a stack that leaves the design keeps its configuration while its folder holds state", async () => {
  // GIVEN a synth whose tenant stack has been applied (state beside its configuration)
  const dir = tmp();
  const out = synthesized(path.join(dir, "out"));
  const stack = path.join(out, "terraform", "tenant-demo");
  fs.writeFileSync(path.join(stack, "terraform.tfstate"), '{"version": 4}\n');
  // WHEN the design no longer has that tenant THEN synth refuses, writing nothing, until told
  const refused = await cli(["synth", renamedTenantSpec(dir), "--out", out]);
  expect([refused.code, refused.stderr]).toEqual([
    2,
    expect.stringContaining(
      "stack tenant-demo leaves the design while its folder holds Terraform state",
    ),
  ]);
  const r = await cli([
    "synth",
    renamedTenantSpec(dir),
    "--out",
    out,
    "--no-quiet",
    "--destroy-removed",
  ]);
  // AND told, the configuration stays, so the stack can still be destroyed, and the user is told
  expect(r.code).toBe(0);
  expect(fs.existsSync(path.join(stack, "cdk.tf.json"))).toBe(true);
  // (once for the folder, naming the files kept)
  expect(r.stderr).toContain(`${stack}: its stack is no longer in the design`);
  expect(r.stderr).toContain("kept (README.md, cdk.tf.json, terraform.tfvars.example):");
  expect(r.stderr.split(`${stack}: its stack`)).toHaveLength(2);
  // (its project is protected from destroy: the note says how to keep it or remove it)
  expect(r.stderr).toContain(
    "if tenant demo was renamed, give it id: demo in the spec and synth again to keep its project",
  );
  expect(r.stderr).toContain("terraform state rm");
  // (before the platform stack, which stops exporting what this stack reads, is applied again)
  expect(r.stderr).toContain("destroy there before applying the platform stack again");
  // AND once the state is gone, the next run removes it
  fs.rmSync(path.join(stack, "terraform.tfstate"));
  expect((await cli(["synth", renamedTenantSpec(dir), "--out", out, "-q"])).code).toBe(0);
  expect(fs.existsSync(path.join(stack, "cdk.tf.json"))).toBe(false);
});
