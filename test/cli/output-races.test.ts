import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { folderStamp, readManifest, writeFileAtomic, writeOutputFolder } from "../../cli/output";
import { lockFolder } from "../../cli/output-lock";
import { UserError } from "../../core/errors";
import { tmp } from "../support/cli";

// Renames and access checks go through mocks that call the real functions unless a test says
// otherwise: what another process does between two steps of a run, and what root may not do.
jest.mock("fs", () => {
  const actual = jest.requireActual<typeof import("fs")>("fs");
  return {
    ...actual,
    renameSync: jest.fn(actual.renameSync),
    accessSync: jest.fn(actual.accessSync),
    readFileSync: jest.fn(actual.readFileSync),
    openSync: jest.fn(actual.openSync),
  };
});
const actual = jest.requireActual<typeof import("fs")>("fs");

const write = (out: string, files: Record<string, string>) =>
  writeOutputFolder(out, new Map(Object.entries(files)), { command: "synth", version: "1.0.0" });

afterEach(() => {
  jest.mocked(fs.renameSync).mockImplementation(actual.renameSync);
  jest.mocked(fs.accessSync).mockImplementation(actual.accessSync);
  jest.mocked(fs.readFileSync).mockImplementation(actual.readFileSync);
  jest.mocked(fs.openSync).mockImplementation(actual.openSync);
});

test("a file the user saves while a run writes is kept, not removed as no longer produced", async () => {
  // GIVEN a folder whose stack b the next design drops
  const out = path.join(tmp(), "out");
  await write(out, { "a.txt": "a", "b/README.md": "b" });
  // WHEN the user saves an edit to it while the run puts the new files in place
  jest.mocked(fs.renameSync).mockImplementationOnce((from, to) => {
    actual.appendFileSync(path.join(out, "b/README.md"), "my note\n");
    actual.renameSync(from, to);
  });
  const { kept } = await write(out, { "a.txt": "a2" });
  // THEN the edit stays, said as the user's, and the manifest no longer claims it
  expect(actual.readFileSync(path.join(out, "b/README.md"), "utf8")).toBe("bmy note\n");
  expect(kept).toEqual(["b/README.md"]);
  expect(Object.keys(readManifest(out)!.files)).toEqual(["a.txt"]);
});

test("a folder it cannot remove a dropped file from is refused before anything is written", async () => {
  // GIVEN a dropped stack whose folder is read-only (as root only a mock can say so)
  const out = path.join(tmp(), "out");
  await write(out, { "a.txt": "a", "b/README.md": "b" });
  jest.mocked(fs.accessSync).mockImplementation((file, mode) => {
    if (String(file).endsWith(`${path.sep}b`))
      throw Object.assign(new Error("EACCES"), { code: "EACCES" });
    actual.accessSync(file, mode);
  });
  // WHEN the next design drops it
  const err = await write(out, { "a.txt": "a2", "c.txt": "c" }).catch((e: unknown) => e);
  // THEN the run is refused, naming the file, and the folder holds the previous design alone
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toContain(
    `${path.join(out, "b/README.md")} is no longer produced, but Stackwright may not remove it from its folder`,
  );
  expect(actual.readFileSync(path.join(out, "a.txt"), "utf8")).toBe("a");
  expect(actual.existsSync(path.join(out, "c.txt"))).toBe(false);
  expect(actual.readdirSync(out).sort()).toEqual(["a.txt", "b", "stackwright.json"]);
});

test("a dropped file it cannot read is the user's: kept, and said so", async () => {
  const out = path.join(tmp(), "out");
  await write(out, { "a.txt": "a", "b/README.md": "b" });
  // (files of the folder are read through a descriptor opened first: refused there)
  jest.mocked(fs.openSync).mockImplementation((file, flags, mode) => {
    if (String(file).endsWith("README.md"))
      throw Object.assign(new Error("EACCES"), { code: "EACCES" });
    return actual.openSync(file, flags, mode);
  });
  const { kept } = await write(out, { "a.txt": "a2" });
  expect(kept).toEqual(["b/README.md"]);
  expect(actual.existsSync(path.join(out, "b/README.md"))).toBe(true);
});

test("a stack configuration already gone lets the other format be written", async () => {
  // GIVEN a stack's JSON configuration removed by hand (or by a killed run switching formats)
  const out = path.join(tmp(), "out");
  await write(out, { "terraform/p/cdk.tf.json": "{}" });
  actual.rmSync(path.join(out, "terraform/p/cdk.tf.json"));
  // WHEN the design is written as HCL THEN it is, with nothing said to be in the way
  await write(out, { "terraform/p/cdk.tf": "# hcl" });
  expect(actual.readdirSync(path.join(out, "terraform/p"))).toEqual(["cdk.tf"]);
});

test("a lock and scratch files left by an earlier process of this process's id are taken over", async () => {
  // GIVEN what a killed run of the same pid left (a container gives every run the same id)
  const out = tmp();
  actual.writeFileSync(
    path.join(out, ".stackwright.lock"),
    `${process.pid}\n${os.hostname()}\nold\n`,
  );
  actual.writeFileSync(
    path.join(out, ".stackwright.lock.break"),
    `${process.pid}\n${os.hostname()}\nold\n`,
  );
  actual.writeFileSync(path.join(out, `.a.txt.stackwright-tmp-${process.pid}-0123abcd`), "half");
  // WHEN this process writes THEN it neither waits for itself nor keeps the old scratch
  await write(out, { "a.txt": "a" });
  expect(actual.readdirSync(out).sort()).toEqual(["a.txt", "stackwright.json"]);
  // AND one of this pid in another PID namespace (another container's run, alive or not: it
  // cannot be told from here) is left to it, as another host's
  const other = tmp();
  actual.writeFileSync(
    path.join(other, ".stackwright.lock"),
    `${process.pid}\n${os.hostname()}\nold\npid:[1]\n`,
  );
  await expect(lockFolder(other, other, { waitMs: 150 })).rejects.toThrow(
    "another Stackwright run",
  );
  // AND a lock it holds itself still makes a second taker wait
  const release = await lockFolder(out, out);
  try {
    await expect(lockFolder(out, out, { waitMs: 150 })).rejects.toThrow("another Stackwright run");
  } finally {
    release();
  }
});

test("a lock file no run wrote is refused at once, not waited on", async () => {
  // GIVEN a folder whose lock is a dangling link, and one whose lock holds other text
  const dangling = tmp();
  actual.symlinkSync(path.join(dangling, "gone"), path.join(dangling, ".stackwright.lock"));
  const other = tmp();
  actual.writeFileSync(path.join(other, ".stackwright.lock"), "not a lock\n");
  // WHEN a run takes the lock THEN it stops at once (a wait of 60 s would pass the test's time),
  // saying what to do
  for (const [dir, why] of [
    [dangling, "is a symbolic link"],
    [other, "holds other text"],
  ]) {
    await expect(lockFolder(dir, dir, { waitMs: 60_000 })).rejects.toThrow(
      `${path.join(dir, ".stackwright.lock")} ${why}, no lock a Stackwright run writes; delete it if no Stackwright run is writing to this folder`,
    );
  }
  // AND an empty or half-written one (a run's lock being written in place) is waited on
  for (const text of ["", "12", `${process.pid + 1}\nsome-ho`]) {
    const busy = tmp();
    actual.writeFileSync(path.join(busy, ".stackwright.lock"), text);
    await expect(lockFolder(busy, busy, { waitMs: 150 })).rejects.toThrow(
      "another Stackwright run",
    );
  }
});

test("a run that planned against what another run has since replaced stops before writing", async () => {
  // GIVEN a synth that read the folder's previous plan (its day-2 checks judged it)
  const out = path.join(tmp(), "out");
  await write(out, { "a.txt": "a" });
  const plannedAgainst = folderStamp(out);
  // WHEN another run writes another design first
  await write(out, { "b.txt": "b" });
  const err = await writeOutputFolder(out, new Map([["c.txt", "c"]]), {
    command: "synth",
    version: "1.0.0",
    plannedAgainst,
  }).catch((e: unknown) => e);
  // THEN it stops, asking to run again, and the other run's files stand alone
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toContain(
    "another Stackwright run wrote to this folder while this one was planning",
  );
  expect(actual.readdirSync(out).sort()).toEqual(["b.txt", "stackwright.json"]);
  // AND a docs run meanwhile, which writes nothing synth judges, does not stop it
  const beforeDocs = folderStamp(out);
  await writeOutputFolder(out, new Map([["docs/a.md", "a"]]), {
    command: "docs",
    version: "1.0.0",
  });
  expect(folderStamp(out)).toBe(beforeDocs);
  // AND a stamp of the folder as it is lets the run write
  await writeOutputFolder(out, new Map([["c.txt", "c"]]), {
    command: "synth",
    version: "1.0.0",
    plannedAgainst: folderStamp(out),
  });
  expect(actual.readdirSync(out).sort()).toEqual(["c.txt", "docs", "stackwright.json"]);
});

test("a killed run's temporary copy of a single file goes with the next write of that file", () => {
  // GIVEN what a killed `init` left beside the spec (pid 999999999 is no process), and another
  // file's temporary copy, not this one's
  const dir = tmp();
  actual.writeFileSync(path.join(dir, ".cloud.yaml.stackwright-tmp-999999999-0123abcd"), "half");
  actual.writeFileSync(path.join(dir, ".other.yaml.stackwright-tmp-999999999-0123abcd"), "x");
  // WHEN the file is written again
  writeFileAtomic(path.join(dir, "cloud.yaml"), "spec\n", { overwrite: false });
  // THEN its stale copy is gone, the other file's is not this write's to judge
  expect(actual.readdirSync(dir).sort()).toEqual([
    ".other.yaml.stackwright-tmp-999999999-0123abcd",
    "cloud.yaml",
  ]);
});

test("a dropped file in a sticky folder of another owner is refused before anything is written", async () => {
  // GIVEN a dropped stack whose folder is sticky (like /tmp), it and the file another user's
  const out = path.join(tmp(), "out");
  await write(out, { "a.txt": "a", "b/README.md": "b" });
  actual.chmodSync(path.join(out, "b"), 0o1777);
  const geteuid = jest.spyOn(process, "geteuid").mockReturnValue(4242);
  try {
    // WHEN the next design drops it THEN the run stops first, as unlink would be refused
    const err = await write(out, { "a.txt": "a2" }).catch((e: unknown) => e);
    expect((err as Error).message).toContain(
      "is no longer produced, but Stackwright may not remove it from its folder",
    );
    expect(actual.readFileSync(path.join(out, "a.txt"), "utf8")).toBe("a");
  } finally {
    geteuid.mockRestore();
  }
  // AND its owner (here root) removes it as before
  await write(out, { "a.txt": "a2" });
  expect(actual.existsSync(path.join(out, "b"))).toBe(false);
});
