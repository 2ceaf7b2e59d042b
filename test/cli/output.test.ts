import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { printOutputNotes, readManifest, writeOutputFolder } from "../../cli/output";
import { sha256 } from "../../cli/manifest";
import { lockFolder, processStarted } from "../../cli/output-lock";
import { UserError } from "../../core/errors";
import { spawnSync } from "child_process";
import { BIN, ROOT, cli, spawnUntilWaiting, tmp } from "../support/cli";

const EXAMPLE = path.join(ROOT, "examples", "three-node.yaml");

const write = (out: string, files: Record<string, string>, command = "synth") =>
  writeOutputFolder(out, new Map(Object.entries(files)), { command, version: "1.0.0" });

const read = (out: string, rel: string) => fs.readFileSync(path.join(out, rel), "utf8");

/** The plan (journal) a synth killed midway leaves: the files it meant to write, hashed. */
const killedPlan = (out: string, files: Record<string, string>) =>
  fs.writeFileSync(
    path.join(out, ".stackwright.pending.json"),
    JSON.stringify({
      command: "synth",
      files: Object.fromEntries(Object.entries(files).map(([rel, text]) => [rel, sha256(text)])),
    }),
  );

async function errorOf(fn: () => unknown): Promise<UserError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error("expected a UserError");
}

describe("output folders", () => {
  test("user files at any depth survive a re-synth; state and plugins are never touched", async () => {
    // GIVEN a synth folder with the user's files at every depth
    const out = path.join(tmp(), "out");
    expect((await cli(["synth", EXAMPLE, "--out", out, "-q"])).code).toBe(0);
    const mine = {
      "NOTES.md": "top",
      "docs/NOTES.md": "notes",
      "docs/diagrams/deep/er/sketch.txt": "deep",
      "terraform/platform/override.tf": "# override",
      "terraform/platform/terraform.tfstate": '{"version":4}',
      "terraform/platform/.terraform/providers/p": "plugin",
      "templates/partials/summary.hbs": "{{meta.customer}}",
    };
    for (const [rel, body] of Object.entries(mine)) {
      fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      fs.writeFileSync(path.join(out, rel), body);
    }
    // WHEN synth runs again (with templates from inside the folder)
    const r = await cli(["synth", EXAMPLE, "--out", out, "-q"]);
    // THEN every user file is still there, unchanged
    expect(r.code).toBe(0);
    for (const [rel, body] of Object.entries(mine)) expect(read(out, rel)).toBe(body);
    expect(fs.existsSync(path.join(out, "terraform/platform/cdk.tf.json"))).toBe(true);
  });

  test("docs into a synth folder keeps the Terraform, configuration and model", async () => {
    const out = path.join(tmp(), "out");
    expect((await cli(["synth", EXAMPLE, "--out", out, "-q"])).code).toBe(0);
    const before = read(out, "terraform/platform/cdk.tf.json");
    expect((await cli(["docs", EXAMPLE, "--out", out, "-q"])).code).toBe(0);
    expect(read(out, "terraform/platform/cdk.tf.json")).toBe(before);
    expect(fs.existsSync(path.join(out, "model.json"))).toBe(true);
    expect(fs.existsSync(path.join(out, "config/chrony/controller.conf"))).toBe(true);
    const manifest = readManifest(out)!;
    expect(manifest.files["docs/architecture.md"].commands).toEqual(["docs", "synth"]);
    expect(manifest.files["model.json"].commands).toEqual(["synth"]);
  });

  test("fails when stackwright.json is a symbolic link, naming it", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    await write(out, { "a.txt": "a" });
    const elsewhere = path.join(dir, "elsewhere.json");
    fs.renameSync(path.join(out, "stackwright.json"), elsewhere);
    fs.symlinkSync(elsewhere, path.join(out, "stackwright.json"));
    const r = await cli(["synth", EXAMPLE, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${out}: stackwright.json is a symbolic link`);
    expect(read(out, "a.txt")).toBe("a");
  });

  test("fails when a foreign folder is not empty, naming what it holds", async () => {
    const out = tmp();
    fs.writeFileSync(path.join(out, "precious.txt"), "keep");
    const err = await errorOf(() => write(out, { "a.txt": "a" }));
    expect(err.message).toContain("was not written by Stackwright");
    expect(err.message).toContain("precious.txt");
    expect(fs.readdirSync(out)).toEqual(["precious.txt"]);
  });

  test("fails when a user's file or a symbolic link stands where a file goes, naming it", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    await write(out, { "a.txt": "a" });
    fs.mkdirSync(path.join(out, "docs"));
    fs.writeFileSync(path.join(out, "docs", "guide.md"), "mine");
    expect(
      (await errorOf(() => write(out, { "a.txt": "a", "docs/guide.md": "ours" }))).message,
    ).toContain("docs/guide.md");
    expect(read(out, "docs/guide.md")).toBe("mine");

    fs.mkdirSync(path.join(dir, "target"));
    fs.symlinkSync(path.join(dir, "target"), path.join(out, "linked"));
    const linked = await errorOf(() => write(out, { "a.txt": "a", "linked/x.txt": "x" }));
    expect(linked.message).toContain("linked (a symbolic link or special file)");
    expect(fs.readdirSync(path.join(dir, "target"))).toEqual([]);
  });

  test("removes what it no longer produces, keeps what the user changed since, and empty folders go", async () => {
    const out = path.join(tmp(), "out");
    await write(out, { "a.txt": "a", "old/b.txt": "b", "edited/c.txt": "c" });
    fs.writeFileSync(path.join(out, "edited", "c.txt"), "my edit");
    const { kept } = await write(out, { "a.txt": "a2" });
    expect(read(out, "a.txt")).toBe("a2");
    expect(fs.existsSync(path.join(out, "old"))).toBe(false);
    expect(kept).toEqual(["edited/c.txt"]);
    expect(read(out, "edited/c.txt")).toBe("my edit");
    expect(Object.keys(readManifest(out)!.files)).toEqual(["a.txt"]);
  });

  test("fails when a file it writes again changed since it wrote it, and replaces nothing", async () => {
    // GIVEN a folder whose globals the user edited by hand
    const out = path.join(tmp(), "out");
    await write(out, { "globals.yml": "a: 1\n", "b.txt": "b" });
    fs.writeFileSync(path.join(out, "globals.yml"), "a: 1\nmine: 2\n");
    // WHEN written again THEN it refuses, naming the file, and nothing changes
    const err = await errorOf(() => write(out, { "globals.yml": "a: 2\n", "b.txt": "b2" }));
    expect(err.message).toContain(
      `${path.join(out, "globals.yml")} changed since Stackwright wrote it`,
    );
    expect([read(out, "globals.yml"), read(out, "b.txt")]).toEqual(["a: 1\nmine: 2\n", "b"]);
    // AND line ends alone are no edit (a Git checkout on Windows turns them into CRLF)
    fs.writeFileSync(path.join(out, "globals.yml"), "a: 1\r\n");
    await write(out, { "globals.yml": "a: 2\n", "b.txt": "b2" });
    expect(read(out, "globals.yml")).toBe("a: 2\n");
    // AND a document edited is refused with the advice for documents
    fs.writeFileSync(path.join(out, "globals.yml"), "a: 2\nmine: 3\n");
    const docs = await errorOf(() => write(out, { "globals.yml": "a: 3\n" }, "docs"));
    expect(docs.message).toContain("a --templates folder for the documents");
    expect(docs.message).toContain("run docs again");
    // AND a file already holding what this run writes is no edit (a killed run wrote it)
    fs.writeFileSync(path.join(out, "globals.yml"), "a: 2\n");
    await write(out, { "globals.yml": "a: 2\n", "b.txt": "b2" });
    expect(read(out, "b.txt")).toBe("b2");
    // AND once the user deletes the edited file, it is written again
    fs.writeFileSync(path.join(out, "globals.yml"), "mine\n");
    fs.rmSync(path.join(out, "globals.yml"));
    await write(out, { "globals.yml": "a: 3\n" });
    expect(read(out, "globals.yml")).toBe("a: 3\n");
  });

  test.each([
    ["terraform.tfstate"],
    ["terraform.tfstate.d/prod/terraform.tfstate"],
    [".terraform/terraform.tfstate"],
  ])(
    "a stack that leaves the design keeps its configuration beside %s, so it can be destroyed",
    async (state) => {
      // GIVEN a stack whose state (the default workspace's, another workspace's, or a backend's
      // cache) sits beside its configuration
      const out = path.join(tmp(), "out");
      await write(out, { "terraform/gone/cdk.tf.json": "{}", "a.txt": "a" });
      fs.mkdirSync(path.dirname(path.join(out, "terraform/gone", state)), { recursive: true });
      fs.writeFileSync(path.join(out, "terraform/gone", state), "{}");
      // WHEN the design no longer has the stack
      await write(out, { "a.txt": "a" });
      // THEN its configuration stays with its state
      expect(read(out, "terraform/gone/cdk.tf.json")).toBe("{}");
      expect(read(out, path.join("terraform/gone", state))).toBe("{}");
    },
  );

  test("each command owns its files: one never removes what another wrote", async () => {
    const out = path.join(tmp(), "out");
    await write(out, { "terraform/x/cdk.tf.json": "{}", "docs/a.md": "a" }, "synth");
    await write(out, { "docs/a.md": "a", "docs/b.md": "b" }, "docs");
    await write(out, { "proposal/p.md": "p" }, "proposal");
    await write(out, { "docs/a.md": "a" }, "docs");
    expect(read(out, "terraform/x/cdk.tf.json")).toBe("{}");
    expect(fs.existsSync(path.join(out, "docs/b.md"))).toBe(false);
    expect(read(out, "proposal/p.md")).toBe("p");
    expect(readManifest(out)!.files["docs/a.md"].commands).toEqual(["docs", "synth"]);
  });

  test("a killed run's journal, files and temporary files are completed and cleaned by the next run", async () => {
    const out = path.join(tmp(), "out");
    await write(out, { "a.txt": "a" });
    // GIVEN what a run killed midway leaves: its plan, one new file written, a temporary file
    killedPlan(out, { "a.txt": "a", "n/new.txt": "new" });
    fs.mkdirSync(path.join(out, "n"));
    fs.writeFileSync(path.join(out, "n", "new.txt"), "new");
    fs.writeFileSync(path.join(out, "n", ".x.txt.stackwright-tmp-999999999-0123abcd"), "half");
    fs.writeFileSync(path.join(out, ".stackwright.lock"), `999999999\n${os.hostname()}\nabc\n`);
    // WHEN the next run writes a different set
    await write(out, { "a.txt": "a" });
    // THEN the file the killed run wrote is recognized as ours and removed, scratch is gone
    expect(fs.readdirSync(out).sort()).toEqual(["a.txt", "stackwright.json"]);
  });

  test("a folder a killed run made for a file it never put there is removed by the next run", async () => {
    const out = path.join(tmp(), "out");
    await write(out, { "a.txt": "a" });
    // GIVEN a run killed after making terraform/lab/ for its first file, before the file
    killedPlan(out, { "terraform/lab/cdk.tf.json": "{}" });
    fs.mkdirSync(path.join(out, "terraform", "lab"), { recursive: true });
    // AND a folder of the user's, empty too, that no plan names
    fs.mkdirSync(path.join(out, "mine"));
    // WHEN the next run writes a design without that stack
    await write(out, { "a.txt": "a" });
    // THEN the empty folders the killed run made are gone, the user's stays
    expect(fs.readdirSync(out).sort()).toEqual(["a.txt", "mine", "stackwright.json"]);
  });

  test("a killed run's files stay known when the next run fails or is killed too", async () => {
    // GIVEN a run killed after putting b.txt in place (its journal names it)
    const out = path.join(tmp(), "out");
    await write(out, { "a.txt": "a" });
    fs.writeFileSync(path.join(out, "b.txt"), "b");
    fs.writeFileSync(
      path.join(out, ".stackwright.pending.json"),
      JSON.stringify({ command: "synth", files: { "b.txt": sha256("b") } }),
    );
    // AND a next run whose write fails before it replaces anything, as on a full disk (the file
    // new/c.txt hashes, then cannot be written)
    let reads = 0;
    const failing = new (class extends Map<string, string> {
      get(key: string) {
        if (key === "new/c.txt" && reads++ > 0) return 42 as unknown as string;
        return super.get(key);
      }
    })([
      ["b.txt", "b"],
      ["new/c.txt", "c"],
    ]);
    await expect(
      writeOutputFolder(out, failing, { command: "synth", version: "1.0.0" }),
    ).rejects.toThrow();
    // THEN that run left no temporary file and no folder of its own
    expect(fs.readdirSync(out).sort()).toEqual(["a.txt", "b.txt", "stackwright.json"]);
    // AND the run after it still knows b.txt as Stackwright's and replaces it
    await write(out, { "a.txt": "a", "b.txt": "b2" });
    expect(read(out, "b.txt")).toBe("b2");
    expect(Object.keys(readManifest(out)!.files)).toEqual(["a.txt", "b.txt"]);
  });

  test("a folder without a manifest is taken over only when a killed first run's plan names all it holds", async () => {
    // GIVEN a first run killed before its manifest, and the same folder with a file of the user's
    const killed = path.join(tmp(), "out");
    fs.mkdirSync(path.join(killed, "docs"), { recursive: true });
    fs.writeFileSync(path.join(killed, "docs", "a.md"), "a");
    fs.writeFileSync(
      path.join(killed, ".stackwright.pending.json"),
      JSON.stringify({ command: "docs", files: { "docs/a.md": sha256("a") } }),
    );
    const foreign = path.join(tmp(), "foreign");
    fs.cpSync(killed, foreign, { recursive: true });
    fs.writeFileSync(path.join(foreign, "notes.txt"), "mine");
    // WHEN / THEN the first is completed, the second refused, naming the user's file
    await write(killed, { "docs/a.md": "a2" }, "docs");
    expect(read(killed, "docs/a.md")).toBe("a2");
    const err = await errorOf(() => write(foreign, { "docs/a.md": "a2" }, "docs"));
    expect(err.message).toContain("not written by Stackwright");
    expect(err.message).toContain("notes.txt");
    expect(read(foreign, "notes.txt")).toBe("mine");
  });

  test("a manifest that names files through a link, or inside Terraform's folders, removes nothing there", async () => {
    // GIVEN a folder whose manifest was edited to list a file under a link to another folder,
    // which holds what looks like a dead run's temporary file
    const out = path.join(tmp(), "out");
    await write(out, { "a.txt": "a" });
    const outside = path.join(tmp(), "outside");
    fs.mkdirSync(path.join(outside, "sub"), { recursive: true });
    const scratch = path.join(outside, "sub", ".x.stackwright-tmp-999999999-deadbeef");
    fs.writeFileSync(scratch, "not Stackwright's");
    fs.symlinkSync(outside, path.join(out, "link"));
    const manifest = JSON.parse(read(out, "stackwright.json"));
    manifest.files["link/sub/x"] = { sha256: sha256("x"), commands: ["synth"] };
    fs.writeFileSync(path.join(out, "stackwright.json"), JSON.stringify(manifest));
    // WHEN the next run writes
    await write(out, { "a.txt": "a" });
    // THEN nothing behind the link is touched
    expect(fs.readFileSync(scratch, "utf8")).toBe("not Stackwright's");
    // AND a manifest naming a file inside a workspace's state folder is refused, the file kept
    const state = path.join(out, "terraform", "p", "terraform.tfstate.d", "ws");
    fs.mkdirSync(state, { recursive: true });
    fs.writeFileSync(path.join(state, "notes"), "mine");
    manifest.files = {
      "terraform/p/terraform.tfstate.d/ws/notes": { sha256: sha256("mine"), commands: ["synth"] },
    };
    fs.writeFileSync(path.join(out, "stackwright.json"), JSON.stringify(manifest));
    const err = await errorOf(() => write(out, { "a.txt": "a" }));
    expect(err.message).toContain("lists a path Stackwright never writes");
    expect(read(out, "terraform/p/terraform.tfstate.d/ws/notes")).toBe("mine");
    // AND an entry of a path it does write, damaged, is said to be damaged
    manifest.files = { "a.txt": { sha256: sha256("a"), commands: "synth" } };
    fs.writeFileSync(path.join(out, "stackwright.json"), JSON.stringify(manifest));
    expect((await errorOf(() => write(out, { "a.txt": "a" }))).message).toBe(
      `--out ${out}: stackwright.json has a damaged entry for "a.txt" (Stackwright writes a sha256 and a list of commands): restore the file as Stackwright wrote it, from version control or a backup`,
    );
  });

  test("temporary files a killed run left in a folder only its plan names are cleaned by the next run", async () => {
    const out = path.join(tmp(), "out");
    await write(out, { "a.txt": "a" });
    // GIVEN a run killed before its first file was in place: its plan and a temporary file in a
    // folder that neither the last finished run nor the next one writes to, beside a state file
    fs.writeFileSync(
      path.join(out, ".stackwright.pending.json"),
      JSON.stringify({
        command: "synth",
        files: { "a.txt": "0".repeat(64), "m/new.txt": "0".repeat(64) },
      }),
    );
    fs.mkdirSync(path.join(out, "m"));
    fs.writeFileSync(path.join(out, "m", "terraform.tfstate"), "{}");
    fs.writeFileSync(path.join(out, "m", ".new.txt.stackwright-tmp-999999999-0123abcd"), "half");
    // WHEN the next run writes
    await write(out, { "a.txt": "a" });
    // THEN the temporary file is gone and the state file stays
    expect(fs.readdirSync(path.join(out, "m"))).toEqual(["terraform.tfstate"]);
  });

  test("a second run waits for the lock and refuses clearly when it is not released", async () => {
    const out = tmp();
    const release = await lockFolder(out, out);
    try {
      const waits: string[] = [];
      const err = await errorOf(() =>
        lockFolder(out, out, { waitMs: 200, onWait: (m) => waits.push(m) }),
      );
      expect(waits).toEqual([
        `waiting for another Stackwright run (pid ${process.pid}) to finish writing to ${out} (up to 0 s)\n`,
      ]);
      expect(err.message).toContain(`another Stackwright run (pid ${process.pid}) is writing`);
      expect(err.message).toContain(".stackwright.lock");
    } finally {
      release();
    }
    (await lockFolder(out, out, { waitMs: 200 }))();
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("a run killed between breaking a dead run's lock and dropping its break lock leaves nothing for the next", async () => {
    // GIVEN the killed run removed the dead lock but not its own break lock (pid 999999999 is no process)
    const out = tmp();
    fs.writeFileSync(
      path.join(out, ".stackwright.lock.break"),
      `999999999\n${os.hostname()}\nab\n`,
    );
    // WHEN the next run takes and releases the lock
    (await lockFolder(out, out, { waitMs: 200 }))();
    // THEN the folder is as empty as before either run
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("a live run's break lock is left to it", async () => {
    const out = tmp();
    // (the parent of this test process: alive, and not this process)
    const live = `${process.ppid}\n${os.hostname()}\nab\n`;
    fs.writeFileSync(path.join(out, ".stackwright.lock.break"), live);
    (await lockFolder(out, out, { waitMs: 200 }))();
    expect(fs.readFileSync(path.join(out, ".stackwright.lock.break"), "utf8")).toBe(live);
  });

  test("a dead run's lock is broken even when a later process was given its pid", async () => {
    // GIVEN a lock whose pid now belongs to a live process (this test's parent) that started
    // after the run that wrote it (pids wrap, and restart at boot)
    const ns = fs.readlinkSync("/proc/self/ns/pid");
    const started = processStarted(process.ppid);
    expect(started).toMatch(/^[0-9a-f-]{36}:time:\[\d+\]:\d+$/);
    const lock = (start: string) => `${process.ppid}\n${os.hostname()}\nab\n${ns}\n${start}\n`;
    const out = tmp();
    fs.writeFileSync(path.join(out, ".stackwright.lock"), lock(`${started}0`));
    // WHEN a run takes the folder THEN it does not wait for that process
    (await lockFolder(out, out, { waitMs: 200 }))();
    expect(fs.readdirSync(out)).toEqual([]);
    // AND a lock that process really holds is waited for
    fs.writeFileSync(path.join(out, ".stackwright.lock"), lock(started));
    await expect(lockFolder(out, out, { waitMs: 150 })).rejects.toThrow("another Stackwright run");
    // AND so is one whose start was read in another time namespace or boot (ticks shifted), or
    // in an earlier version's lock without a start: nothing tells them from a live holder
    const tick = started.slice(started.lastIndexOf(":"));
    for (const other of [
      `${started.split(":")[0]}:time:[1]${tick}0`,
      `0-0-0-0-0:time:[1]${tick}0`,
      "",
    ]) {
      fs.writeFileSync(path.join(out, ".stackwright.lock"), lock(other));
      await expect(lockFolder(out, out, { waitMs: 100 })).rejects.toThrow(
        "another Stackwright run",
      );
    }
  });

  test("an empty lock a killed run left is taken over once it has stood a while, never blamed on pid 0", async () => {
    // GIVEN an empty lock file (a run killed between creating and writing it, where the file
    // system has no hard links)
    const out = tmp();
    const lock = path.join(out, ".stackwright.lock");
    fs.writeFileSync(lock, "");
    // THEN while it is new it may be a run's lock being written: waited on, naming no pid
    const err = await lockFolder(out, out, { waitMs: 100 }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `--out ${out}: another Stackwright run is writing to this folder; try again when it has finished, or delete ${lock} if no such run is active`,
    );
    // AND once it has stood unchanged for seconds, it is a killed run's: taken over
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    // (even where a killed run also left its break lock)
    fs.writeFileSync(`${lock}.break`, `999999999\n${os.hostname()}\nx\n\n\n`);
    (await lockFolder(out, out, { waitMs: 1000 }))();
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("a run waiting for the lock says so and ends on SIGINT, leaving the other run's lock", async () => {
    // GIVEN a folder locked by a live run (this test process)
    const out = tmp();
    const lock = path.join(out, ".stackwright.lock");
    fs.writeFileSync(lock, `${process.pid}\n${os.hostname()}\nother\n`);
    // WHEN synth waits for it and is interrupted (piped: said with --no-quiet, as warnings are)
    const synth = spawnUntilWaiting(["synth", EXAMPLE, "--out", out, "--no-quiet"]);
    await synth.waiting;
    synth.child.kill("SIGINT");
    // THEN it ends by the signal, having written nothing, and the other run's lock stays
    expect((await synth.ended).signal).toBe("SIGINT");
    expect(synth.stderr()).toContain(
      `waiting for another Stackwright run (pid ${process.pid}) to finish writing to ${out}`,
    );
    expect(fs.readFileSync(lock, "utf8")).toBe(`${process.pid}\n${os.hostname()}\nother\n`);
    expect(fs.readdirSync(out)).toEqual([".stackwright.lock"]);
  });

  test("docs that judged the folder's plan before a synth wrote it stops, writing nothing", async () => {
    // GIVEN a folder synth wrote from the example, locked meanwhile by a live run (this test)
    const out = path.join(tmp(), "out");
    expect((await cli(["synth", EXAMPLE, "--out", out, "-q"])).code).toBe(0);
    const release = await lockFolder(out, out);
    const docs = spawnUntilWaiting(["docs", EXAMPLE, "--out", out, "--no-quiet"]);
    // WHEN, while docs waits for the lock, the run holding it writes another plan
    await docs.waiting;
    const manifest = path.join(out, "stackwright.json");
    const record = JSON.parse(fs.readFileSync(manifest, "utf8"));
    record.files["model.json"].sha256 = sha256("another plan");
    fs.writeFileSync(manifest, JSON.stringify(record, null, 2));
    const architecture = fs.readFileSync(path.join(out, "docs", "architecture.md"));
    release();
    // THEN docs stops before writing: its documents would describe the plan it judged
    expect((await docs.ended).code).toBe(2);
    expect(docs.stderr()).toContain(
      "another Stackwright run wrote to this folder while this one was planning against what it held before; nothing was written",
    );
    expect(fs.readFileSync(path.join(out, "docs", "architecture.md"))).toEqual(architecture);
  });

  const BOOK = path.join(ROOT, "examples", "price-books", "standard.yaml");
  test.each([
    ["synth", "SIGTERM", []],
    ["docs", "SIGINT", []],
    ["proposal", "SIGTERM", ["--price-book", BOOK]],
  ] as const)(
    "%s interrupted (%s) while it works ends by the signal, having written nothing",
    (command, signal, more) => {
      // GIVEN a run whose signal arrives while its synchronous work runs: the process signals
      // itself as soon as the command has started, so no timing decides it
      const out = path.join(tmp(), "out");
      const script = [
        `const { main } = require(${JSON.stringify(path.join(ROOT, "dist", "cli", "main.js"))});`,
        `main(${JSON.stringify([command, EXAMPLE, "--out", out, "-q", ...more])}).then((c) => { process.exitCode = c; });`,
        `process.kill(process.pid, ${JSON.stringify(signal)});`,
      ].join("\n");
      const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      // THEN it ends by that signal, not with success, and the folder was never made
      expect([r.signal, r.status, r.stderr]).toEqual([signal, null, ""]);
      expect(fs.existsSync(out)).toBe(false);
    },
  );

  // (an immutable file, which even root cannot remove: where the file system has the flag)
  const immutable = (file: string, on: boolean) =>
    spawnSync("chattr", [on ? "+i" : "-i", file]).status === 0;
  test("a file that cannot be removed after the new ones are in place is said so, and a rerun completes", async () => {
    // GIVEN an earlier run's b.txt that this run no longer writes, made immutable
    const out = path.join(tmp(), "out");
    await write(out, { "a.txt": "a", "b.txt": "b" });
    const b = path.join(out, "b.txt");
    if (!immutable(b, true)) return; // (no such flag here)
    try {
      // THEN the run says it could not remove it, and that the folder holds part of its files
      await expect(write(out, { "a.txt": "A" })).rejects.toThrow(
        `--out ${out}: cannot remove ${b} (EPERM: operation not permitted); the folder holds part of this run's files: run the same command again once that is mended, and it completes them`,
      );
      expect(read(out, "a.txt")).toBe("A");
    } finally {
      immutable(b, false);
    }
    // AND once mended, the same run completes
    await write(out, { "a.txt": "A" });
    expect(fs.existsSync(b)).toBe(false);
    expect(Object.keys(readManifest(out)!.files)).toEqual(["a.txt"]);
  });

  test("a file size limit stops synth naming the file it was writing, and writes nothing", () => {
    const out = path.join(tmp(), "out");
    const r = spawnSync(
      "sh",
      [
        "-c",
        'ulimit -f 20; exec "$@"',
        "sh",
        process.execPath,
        BIN,
        "synth",
        EXAMPLE,
        "--out",
        out,
      ],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^error: --out ${out}: cannot write ${out}/\\S+ \\(EFBIG: file too large\\)\\n$`),
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  test.each([
    ["a pipe", (file: string) => spawnSync("mkfifo", [file]).status === 0],
    ["a link to a device", (file: string) => (fs.symlinkSync("/dev/zero", file), true)],
  ])("a model.json that is %s is refused, never read", async (_, make) => {
    // GIVEN a synthesized folder whose model.json was replaced by something no file
    const out = path.join(tmp(), "out");
    expect((await cli(["synth", EXAMPLE, "--out", out, "-q"])).code).toBe(0);
    const model = path.join(out, "model.json");
    fs.rmSync(model);
    expect(make(model)).toBe(true);
    // THEN synth names it at once (a pipe would have held it forever, a device filled memory)
    const r = spawnSync(process.execPath, [BIN, "synth", EXAMPLE, "--out", out], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${model} is no regular file (a symbolic link, a pipe or a device), while the folder's stackwright.json lists it`,
    );
  });

  test("a TMPDIR that does not exist is the user's to mend: exit 2, naming it", () => {
    const out = path.join(tmp(), "out");
    const missing = path.join(tmp(), "no-such-folder");
    const r = spawnSync(process.execPath, [BIN, "synth", EXAMPLE, "--out", out], {
      encoding: "utf8",
      env: { ...process.env, TMPDIR: missing },
    });
    expect([r.status, r.stderr]).toEqual([
      2,
      `error: the temporary folder ${missing} cannot hold cdktf's scratch folder (ENOENT); set TMPDIR to a folder you may write to\n`,
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  // (as root, another user is needed for a folder it may not list)
  const asNobody = process.getuid?.() === 0 && fs.existsSync("/usr/sbin/runuser");
  (asNobody ? test : test.skip)(
    "a folder whose parent may be passed through but not listed (0711) is written",
    () => {
      // GIVEN nobody's own folder in a parent nobody may pass through but not list
      const parent = tmp();
      const out = path.join(parent, "out");
      fs.mkdirSync(out);
      fs.chmodSync(parent, 0o711);
      fs.chownSync(out, 65534, 65534);
      // WHEN nobody synthesizes into it
      const r = spawnSync(
        "/usr/sbin/runuser",
        ["-u", "nobody", "--", process.execPath, BIN, "synth", EXAMPLE, "--out", out, "-q"],
        { encoding: "utf8", env: { ...process.env, HOME: os.tmpdir(), TMPDIR: os.tmpdir() } },
      );
      // THEN it writes there: nothing of the run goes in the parent
      expect([r.status, r.stderr]).toEqual([0, ""]);
      expect(fs.existsSync(path.join(out, "model.json"))).toBe(true);
    },
  );

  test("the same files give the same manifest bytes; unchanged files are not rewritten", async () => {
    const out = path.join(tmp(), "out");
    await write(out, { "b.txt": "b", "a.txt": "a" });
    const manifest = read(out, "stackwright.json");
    const inode = fs.statSync(path.join(out, "a.txt")).ino;
    await write(out, { "a.txt": "a", "b.txt": "b" });
    expect(read(out, "stackwright.json")).toBe(manifest);
    expect(fs.statSync(path.join(out, "a.txt")).ino).toBe(inode);
  });

  test("a folder written by an earlier version (names only) is taken over", async () => {
    const out = path.join(tmp(), "out");
    fs.mkdirSync(path.join(out, "docs"), { recursive: true });
    fs.writeFileSync(path.join(out, "docs", "old.md"), "old");
    fs.writeFileSync(path.join(out, "model.json"), "{}");
    fs.writeFileSync(
      path.join(out, "stackwright.json"),
      JSON.stringify({
        generator: "stackwright",
        version: "0.0.1",
        files: ["docs/old.md", "model.json"],
      }),
    );
    const result = await write(out, { "model.json": "{ }" });
    // Without a hash nothing tells a generated file from the user's edit of it: kept, reported.
    expect(fs.existsSync(path.join(out, "docs", "old.md"))).toBe(true);
    expect(result.kept).toEqual(["docs/old.md"]);
    expect(read(out, "model.json")).toBe("{ }");
  });

  test("scratch folders of earlier versions are reported and kept, whatever they hold", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    const withState = path.join(dir, ".out.stackwright-tmp-999999999-0123abcd");
    const generated = path.join(dir, ".out.stackwright-old-999999998-0123abcd");
    fs.mkdirSync(path.join(withState, "terraform", "platform"), { recursive: true });
    fs.writeFileSync(path.join(withState, "terraform", "platform", "terraform.tfstate"), "{}");
    fs.mkdirSync(path.join(generated, "docs"), { recursive: true });
    fs.writeFileSync(path.join(generated, "docs", "a.md"), "a");
    const result = await write(out, { "a.txt": "a" });
    expect(result.stranded).toEqual([generated, withState]);
    expect(fs.existsSync(path.join(withState, "terraform", "platform", "terraform.tfstate"))).toBe(
      true,
    );
    expect(fs.existsSync(path.join(generated, "docs", "a.md"))).toBe(true);
  });
});

/** What printOutputNotes writes to stderr, line by line. */
function notesOf(...args: Parameters<typeof printOutputNotes>): string[] {
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((text: string) => lines.push(text) > 0) as typeof process.stderr.write;
  try {
    printOutputNotes(...args);
  } finally {
    process.stderr.write = write;
  }
  return lines;
}

test("a dropped tenant's kept stacks are destroyed network stack first, as it reads the tenant stack", () => {
  // GIVEN a tenant whose network stack (project credentials) and tenant stack both leave
  const lines = notesOf(
    "out",
    {
      kept: [],
      stranded: [],
      orphaned: ["terraform/network-a/cdk.tf.json", "terraform/tenant-a/cdk.tf.json"],
    },
    true,
    (stack) => (stack === "tenant-a" ? ["a"] : []),
  );
  // THEN the tenant stack's advice names the network stack's destroy first
  expect(lines.find((l) => l.includes("tenant-a:"))).toContain(
    "to remove it, first run terraform destroy in network-a, which reads this stack's project id, then destroy there before applying the platform stack again",
  );
});

test("a kept stack of no tenant, a state move's source, is never to be applied again", () => {
  const lines = notesOf("out", {
    kept: [],
    stranded: [],
    orphaned: ["terraform/tenants/cdk.tf.json"],
  });
  expect(lines.join("")).toContain(
    "never terraform apply there: once its resources moved to other stacks, its configuration would create them all again",
  );
});

test("a network stack left by a switch to admin credentials is emptied by state rm, never applied", () => {
  // GIVEN tenant retail's network stack, kept beside state, its tenant now in tenant-retail
  const lines = notesOf(
    "out",
    { kept: [], stranded: [], orphaned: ["terraform/network-retail/cdk.tf.json"] },
    false,
    () => [],
    (t) => (t === "retail" ? "tenant-retail" : undefined),
  );
  // THEN the note says what stayed behind and how to let go of it, not how to remove a tenant
  const note = lines.join("");
  expect(note).toContain(
    "tenant retail's network is now made in tenant-retail (output.tenantStacks.networkCredentials)",
  );
  expect(note).toContain(
    "never terraform apply here, which would create the moved network again, nor destroy, which would delete the server groups",
  );
  expect(note).not.toContain("to remove the tenant");
});

test("a kept stack whose local state the state moves emptied may simply be deleted", () => {
  // GIVEN two kept stacks: one whose state holds no resource, one whose state holds one
  const out = tmp();
  const state = (stack: string, resources: unknown[]) => {
    fs.mkdirSync(path.join(out, "terraform", stack), { recursive: true });
    fs.writeFileSync(
      path.join(out, "terraform", stack, "terraform.tfstate"),
      JSON.stringify({ version: 4, resources }),
    );
  };
  // (a data source's read stays in the emptied one: it builds nothing)
  state("emptied", [{ mode: "data", type: "terraform_remote_state", name: "platform" }]);
  state("held", [{ mode: "managed", type: "openstack_identity_project_v3" }]);
  // (and one initialized, never applied: no state file beside its cached local backend; and one
  // whose state is in another workspace, which is not read here)
  fs.mkdirSync(path.join(out, "terraform", "inited", ".terraform"), { recursive: true });
  fs.mkdirSync(path.join(out, "terraform", "workspace", ".terraform"), { recursive: true });
  fs.writeFileSync(path.join(out, "terraform", "workspace", ".terraform", "environment"), "prod");
  // (terraform init, which state-moves.sh needs, left its providers and the local backend it
  // set up in both: a cached local backend is no remote state)
  for (const stack of ["emptied", "held", "inited", "workspace"]) {
    fs.mkdirSync(path.join(out, "terraform", stack, ".terraform", "providers"), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(out, "terraform", stack, ".terraform", "terraform.tfstate"),
      JSON.stringify({
        version: 3,
        backend: { type: "local", config: { path: "terraform.tfstate" } },
      }),
    );
  }
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((text: string) => lines.push(text) > 0) as typeof process.stderr.write;
  try {
    printOutputNotes(out, {
      kept: [],
      stranded: [],
      orphaned: [
        "terraform/emptied/cdk.tf.json",
        "terraform/held/cdk.tf.json",
        "terraform/inited/cdk.tf.json",
        "terraform/workspace/cdk.tf.json",
      ],
    });
  } finally {
    process.stderr.write = write;
  }
  // THEN only the emptied one is said to go; the other is to be destroyed first
  const said = (stack: string) => lines.find((l) => l.includes(`terraform/${stack}:`));
  expect(said("emptied")).toContain("its state holds no resource any more");
  expect(said("inited")).toContain("its state holds no resource any more");
  expect(said("workspace")).toContain("run terraform destroy there");
  expect(said("held")).toContain("run terraform destroy there");
});

const OPTIONS = { command: "synth", version: "1.0.0" };

test("a kept stack file this version respells stays known as ours when the run is killed after it", async () => {
  // GIVEN a stack that left the design but holds state, its configuration as an earlier run wrote it
  const out = path.join(tmp(), "out");
  await writeOutputFolder(out, new Map([["terraform/x/cdk.tf.json", "old"]]), OPTIONS);
  fs.writeFileSync(path.join(out, "terraform/x/terraform.tfstate"), "{}");
  // WHEN a run respells it: kept beside the state, in this version's text
  const respell = (_rel: string, text: string) => (text === "old" ? "new" : undefined);
  const run = await writeOutputFolder(out, new Map([["a.txt", "a"]]), { ...OPTIONS, respell });
  expect([run.kept, run.orphaned]).toEqual([[], ["terraform/x/cdk.tf.json"]]);
  expect(read(out, "terraform/x/cdk.tf.json")).toBe("new");
  // AND a run killed after rewriting it, before its manifest, left the old manifest and its plan,
  // which names the new text (as this run's plan did)
  const manifest = JSON.parse(read(out, "stackwright.json"));
  manifest.files["terraform/x/cdk.tf.json"].sha256 = sha256("old");
  fs.writeFileSync(path.join(out, "stackwright.json"), JSON.stringify(manifest));
  fs.writeFileSync(
    path.join(out, ".stackwright.pending.json"),
    JSON.stringify({ command: "synth", files: { "terraform/x/cdk.tf.json": sha256("new") } }),
  );
  // THEN the next run knows the respelt file as its own: kept beside the state, not taken for
  // an edit of yours
  const next = await writeOutputFolder(out, new Map([["a.txt", "a"]]), OPTIONS);
  expect([next.kept, next.orphaned]).toEqual([[], ["terraform/x/cdk.tf.json"]]);
});
