import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { UserError } from "../core/errors";
import { STAGE_FOLDERS } from "../model/lifecycle";
import { networkStackName } from "../core/naming";
import { someOf } from "../core/lists";
import {
  isOwnablePath,
  JOURNAL_FILE,
  manifestText,
  MARKER_FILE,
  readJournal,
  type Journal,
  readManifest,
  readRegularFile,
  safeRelativePath,
  sha256,
  type ManifestEntry,
} from "./manifest";
import {
  LOCK_FILE,
  lockFolder,
  processAlive,
  releaseHeldLock,
  SCRATCH_NAME,
  scratchName,
} from "./output-lock";

export { MARKER_FILE, readManifest, safeRelativePath, type Manifest } from "./manifest";

const pending = new Set<string>();

/**
 * A turn of the event loop: a SIGINT or SIGTERM that arrived meanwhile runs its handler there
 * (which ends the run), where synchronous work would otherwise carry the run to its end.
 */
export const signalsHeard = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Removes this run's temporary files and lock when the process is interrupted. */
export function cleanupPendingOutput(): void {
  for (const file of pending) fs.rmSync(file, { force: true });
  pending.clear();
  releaseHeldLock();
}

export interface OutputOptions {
  /** The command writing ("synth", "docs", "proposal"); each owns its files in the manifest. */
  readonly command: string;
  readonly version: string;
  /** Files the run read (spec, price book): never overwritten or removed. */
  readonly inputs?: readonly string[];
  /** Told when the run waits for another run writing to the same folder (unless --quiet: a silent wait looks hung). */
  readonly onWait?: (message: string) => void;
  /**
   * Files put in place after all others: what the next run compares with (an index of the
   * output), so a run killed before it leaves the earlier one.
   */
  readonly last?: readonly string[];
  /**
   * Folders whose files no longer produced stay anyway: stacks a pending state move still reads
   * (it runs terraform in them), removed by a later run once the move is done.
   */
  readonly keepFolders?: readonly string[];
  /**
   * Files kept though no longer produced (beside state, or in `keepFolders`) that this version
   * writes differently: their new text, put in place while they are still as an earlier run wrote
   * them, or undefined to leave one as it is.
   */
  readonly respell?: (rel: string, text: string) => string | undefined;
  /**
   * The records of tenants leaving the design, by stack (synth only): the manifest keeps those
   * whose stack's folder stays beside its state. Commands that do not give them keep the
   * manifest's as they are.
   */
  readonly retired?: Readonly<Record<string, readonly unknown[]>>;
  /**
   * The folder's stamp when the run read what it holds to plan against it (folderStamp): another
   * run that wrote since makes this one stop, as its checks judged what is no longer there.
   */
  readonly plannedAgainst?: string;
}

/** A folder's sticky bit (S_ISVTX): only owners and root remove files there. */
const STICKY_BIT = 0o1000;

/**
 * What synth's day-2 checks judge in the folder, hashed: the manifest's record of synth's files
 * (model.json, the addresses, the stacks, the deploy and config files) and retired tenants.
 * `docs` and `proposal` write beside them and leave the stamp as it is.
 */
export function folderStamp(outDir: string): string {
  let manifest: ReturnType<typeof readManifest>;
  try {
    manifest = readManifest(outDir);
  } catch {
    // (a manifest the run will refuse anyway: any change to it is a change)
    return sha256(readOr(path.join(outDir, MARKER_FILE)));
  }
  const synthFiles = Object.entries(manifest?.files ?? {})
    .filter(([rel, e]) => e.commands.includes("synth") && !/^(docs|proposal)\//.test(rel))
    .map(([rel, e]) => [rel, e.sha256]);
  return sha256(JSON.stringify([synthFiles, manifest?.retired ?? null]));
}

const readOr = (file: string) => {
  try {
    return readRegularFile(file);
  } catch {
    return Buffer.alloc(0);
  }
};

export interface OutputResult {
  /** Files no longer produced that were kept because they changed since Stackwright wrote them. */
  readonly kept: readonly string[];
  /**
   * Scratch folders beside the output that earlier versions left when killed and that hold
   * Terraform state: kept, for the user to move the state back.
   */
  readonly stranded: readonly string[];
  /** Configuration no longer produced, kept because its stack folder holds Terraform state. */
  readonly orphaned: readonly string[];
}

/**
 * Writes a command's files into an output folder, file by file, under the folder's lock. Each
 * file goes to a temporary file beside it and is renamed into place; files an earlier run of the
 * same command wrote and this one no longer produces are removed if unchanged. Nothing
 * Stackwright did not write (Terraform state, plugins, variables, the user's files) is ever
 * moved, copied or removed. The manifest is written last: a killed run is completed by the next.
 */
export async function writeOutputFolder(
  outDir: string,
  files: ReadonlyMap<string, string | Buffer>,
  options: OutputOptions,
): Promise<OutputResult> {
  // (interrupted while the files were made: nothing is written)
  await signalsHeard();
  try {
    return await replaceFiles(outDir, files, options);
  } catch (err) {
    const user = asUserError(err, `--out ${outDir}`);
    // Some files replaced: the journal names the rest, which the next run puts in place.
    throw user instanceof UserError && PARTLY_WRITTEN.has(err as object)
      ? new UserError(
          `${user.message}; the folder holds part of this run's files: run the same command again once that is mended, and it completes them`,
        )
      : user;
  }
}

/** Errors thrown after a run replaced some files of the folder. */
const PARTLY_WRITTEN = new WeakSet<object>();
/** Errors of removing a file an earlier run wrote (said as such, not as a write). */
const REMOVING = new WeakSet<object>();

/** File-system refusals (permissions, read-only, missing parents, full disk) are the user's to fix. */
export function asUserError(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  const known = [
    "EACCES",
    "EPERM",
    "EROFS",
    "ENOENT",
    "ENOTDIR",
    "EISDIR",
    "ENOSPC",
    "EEXIST",
    "ENAMETOOLONG",
    "ELOOP",
    "EXDEV",
    "EBUSY",
    "EDQUOT",
    "EFBIG",
  ];
  if (code && known.includes(code)) {
    // Node's message starts with the code again ("ENOSPC: no space left on device, write").
    const detail = (err as Error).message
      .split(",")[0]
      .replace(new RegExp(`^${code}:\\s*`), "")
      .trim();
    // The file or folder it concerns, when Node names one (writes inside the folder do): the
    // user's file, not the temporary copy written beside it.
    const named = (err as NodeJS.ErrnoException).path;
    const scratch = named ? SCRATCH_NAME.exec(path.basename(named))?.groups?.file : undefined;
    const where = named && scratch ? path.join(path.dirname(named), scratch) : named;
    return new UserError(
      `${what}: cannot ${REMOVING.has(err as object) ? "remove" : "write"} ${where ? `${where} ` : "there "}(${code}: ${detail})`,
    );
  }
  return err;
}

/** Which files the folder's earlier runs own, with a killed run's journal folded in. */
function priorFiles(
  target: string,
  shown: string,
  journal: Journal | undefined,
): Map<string, ManifestEntry> {
  const manifest = readManifest(target, shown);
  if (!manifest) {
    // A first run killed before its manifest leaves a journal and what its plan names, no more.
    const planned = new Set(Object.keys(journal?.files ?? {}).map((f) => f.split("/")[0]));
    const entries = fs
      .readdirSync(target)
      .filter((e) => e !== LOCK_FILE && !e.startsWith(`${LOCK_FILE}.`) && !SCRATCH_NAME.test(e))
      .filter((e) => !(journal && (e === JOURNAL_FILE || planned.has(e))));
    if (entries.length > 0) {
      throw new UserError(
        `--out ${shown}: the folder is not empty and was not written by Stackwright (no ${MARKER_FILE}; it holds ${entries.sort().slice(0, 5).join(", ")}); choose another folder or empty it`,
      );
    }
  }
  const owned = new Map<string, ManifestEntry>(Object.entries(manifest?.files ?? {}));
  // A killed run may have written any file of its plan; those that hold its content are its.
  for (const [rel, hash] of Object.entries(journal?.files ?? {})) {
    if (hashOf(path.join(target, rel)) !== hash) continue;
    const before = owned.get(rel)?.commands ?? [];
    owned.set(rel, { sha256: hash, commands: [...new Set([...before, journal!.command])] });
  }
  return owned;
}

/**
 * Whether a file the run writes again holds other content than Stackwright wrote (`before`) or
 * writes now (`next`: a killed run's): line ends alone do not count (a Git checkout on Windows
 * turns them into CRLF), and a file that cannot be read may hold anything.
 */
function editedSince(file: string, before: string, next: string | undefined): boolean {
  if (kindOf(file) === "none") return false;
  let data: Buffer;
  try {
    data = readRegularFile(file);
  } catch {
    return true;
  }
  const now = sha256(data);
  if (now === before || now === next) return false;
  const lf = sha256(data.toString("utf8").replace(/\r\n/g, "\n"));
  return lf !== before && lf !== next;
}

/** SHA-256 of a regular file, or undefined when there is none (or it is not a regular file). */
function hashOf(file: string): string | undefined {
  try {
    return sha256(readRegularFile(file));
  } catch {
    return undefined;
  }
}

/** What stands at a path: nothing, a regular file, a folder, or something else (links, devices). */
function kindOf(file: string): "none" | "file" | "folder" | "other" {
  try {
    const st = fs.lstatSync(file);
    return st.isFile() ? "file" : st.isDirectory() ? "folder" : "other";
  } catch {
    return "none";
  }
}

/** Removes temporary files of runs that died (their process id is gone) from the given folders. */
function removeScratch(target: string, folders: Iterable<string>): void {
  for (const folder of folders) {
    const dir = path.join(target, folder);
    // Every folder on the way is a real one: a link could lead outside the output.
    if (!throughFolders(target, `${folder}/-`) || kindOf(dir) !== "folder") continue;
    for (const name of fs.readdirSync(dir)) {
      const m = SCRATCH_NAME.exec(name);
      // (of this process's id: an earlier process's, as this run has made none yet)
      const pid = Number(m?.groups?.pid);
      if (m && (pid === process.pid || !processAlive(pid)))
        fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

async function replaceFiles(
  outDir: string,
  files: ReadonlyMap<string, string | Buffer>,
  options: OutputOptions,
): Promise<OutputResult> {
  if (outDir.trim() === "") throw new UserError("--out: the path is empty");
  if (outDir.includes("\0")) throw new UserError("--out: the path contains a NUL byte");
  const last = new Set(options.last ?? []);
  const names = [...files.keys()]
    .map(safeRelativePath)
    .sort()
    .sort((a, b) => Number(last.has(a)) - Number(last.has(b)));
  for (const rel of names) {
    if (!isOwnablePath(rel)) throw new Error(`refusing to write a reserved file: ${rel}`);
  }
  const resolved = path.resolve(outDir);
  if (fs.existsSync(resolved) && !fs.statSync(resolved).isDirectory())
    throw new UserError(`--out ${outDir}: exists and is not a folder`);
  const created = makeFolders(resolved);
  const target = fs.realpathSync(resolved);
  try {
    const release = await lockFolder(target, outDir, { onWait: options.onWait });
    try {
      if (options.plannedAgainst !== undefined && folderStamp(target) !== options.plannedAgainst)
        throw new UserError(
          `--out ${outDir}: another Stackwright run wrote to this folder while this one was planning against what it held before; nothing was written: run again, so that this design is judged against what the folder holds now`,
        );
      const stranded = legacyScratch(resolved);
      return { ...replaceLocked(target, outDir, names, files, options), stranded };
    } finally {
      release();
    }
  } catch (err) {
    // A refused run into a new folder leaves nothing behind.
    if (created)
      removeEmptyParents(path.dirname(created), path.relative(path.dirname(created), resolved));
    throw err;
  }
}

function replaceLocked(
  target: string,
  shown: string,
  names: readonly string[],
  files: ReadonlyMap<string, string | Buffer>,
  { command, version, inputs = [], keepFolders = [], respell, retired }: OutputOptions,
): OutputResult {
  const journal = readJournal(target);
  const prior = priorFiles(target, shown, journal);
  const priorRetired = journal?.retired ?? readManifest(target, shown)?.retired;
  const hashes = new Map(names.map((rel) => [rel, sha256(files.get(rel) as string | Buffer)]));

  // The next manifest: this command's files replace what it produced before.
  const next = new Map<string, ManifestEntry>();
  const stale: string[] = [];
  for (const [rel, entry] of prior) {
    const others = entry.commands.filter((c) => c !== command);
    if (hashes.has(rel)) continue;
    if (others.length) next.set(rel, { sha256: entry.sha256, commands: others });
    else stale.push(rel);
  }
  for (const rel of names) {
    const others = (prior.get(rel)?.commands ?? []).filter((c) => c !== command);
    next.set(rel, { sha256: hashes.get(rel)!, commands: [...others, command] });
  }

  refuseConflicts(target, shown, names, prior, [...names, ...stale], inputs);
  // A file changed since Stackwright wrote it holds the user's edits: replacing it would lose them.
  // (folders of versions that recorded no hashes say nothing of edits)
  const edited = names.filter((rel) => {
    const before = prior.get(rel)?.sha256;
    return (
      typeof before === "string" && editedSince(path.join(target, rel), before, hashes.get(rel))
    );
  });
  // The previous plan is no settings file: what restores it is its own copy, or no plan at all.
  if (edited.length === 1 && edited[0] === "model.json")
    throw new UserError(
      `--out ${shown}: ${path.join(shown, "model.json")} changed since Stackwright wrote it: it is the plan synth compares each run with to keep the running cloud's hosts, projects and data; restore it as written (from version control or a backup), or delete it and pass --renumber and --destroy-removed to take this design's plan unchecked`,
    );
  if (edited.length)
    throw new UserError(
      `--out ${shown}: ${someOf(
        edited.map((rel) => path.join(shown, rel)),
        5,
      )} changed since Stackwright wrote ${edited.length === 1 ? "it" : "them"}, and this run would replace ${edited.length === 1 ? "it" : "them"}, losing the changes: keep them where your own settings go (${command === "synth" ? "Kolla-Ansible's /etc/kolla/globals.d and config overrides, a Terraform override.tf.json beside a stack" : "a --templates folder for the documents"}), then delete ${edited.length === 1 ? "the file" : "the files"} and run ${command} again`,
    );
  // A stack configuration you edited would stay beside the one now written in the other format:
  // Terraform reads both folders' files and refuses every definition made twice.
  const doubled = stale.filter((rel) => {
    const now = inOtherFormat(rel, files) && throughFolders(target, rel);
    const before = prior.get(rel)?.sha256;
    // (a file no longer there declares nothing twice: it was removed, by hand or by a killed run)
    if (!now || kindOf(path.join(target, rel)) === "none") return false;
    return before === null || hashOf(path.join(target, rel)) !== before;
  });
  if (doubled.length)
    throw new UserError(
      `--out ${shown}: ${doubled.map((rel) => path.join(shown, rel)).join(", ")} changed since Stackwright wrote ${doubled.length === 1 ? "it" : "them"}, and the stack's configuration is now written in the other format beside ${doubled.length === 1 ? "it" : "them"}: Terraform would read both and refuse every definition made twice. Move your changes into an override file (override.tf.json or override.tf) and delete the file, or keep the previous format (--terraform-format)`,
    );
  // A killed run's plan names folders it may have left only temporary files in.
  const planned = Object.keys(journal?.files ?? {});
  const folders = new Set(
    [".", ...prior.keys(), ...names, ...planned].map((f) => path.posix.dirname(f)),
  );
  removeScratch(target, folders);

  // The killed run's files found in place join the manifest before its journal is replaced:
  // if this run is killed or fails too, the next one still knows them.
  if (journal)
    writeAtomic(
      path.join(target, MARKER_FILE),
      manifestText({
        generator: "stackwright",
        version,
        files: Object.fromEntries(prior),
        ...(priorRetired ? { retired: priorRetired } : {}),
      }),
    );
  // What becomes of each file no longer produced, decided before anything is written.
  const fates = new Map(stale.map((rel) => [rel, fateOf(rel)] as const));
  function fateOf(rel: string): "gone" | "yours" | "kept" | "orphaned" | "removed" {
    const here = throughFolders(target, rel) ? kindOf(path.join(target, rel)) : "none";
    if (here === "none") return "gone";
    // A file Stackwright cannot read (or no longer a file) is not its to judge: the user's.
    const now = hashOf(path.join(target, rel));
    if (now === undefined) return "yours";
    // Unknown or changed content is the user's; a stack folder that holds state keeps the
    // configuration that state belongs to, so the stack can still be planned or destroyed.
    const entry = prior.get(rel)!;
    if (entry.sha256 === null || now !== entry.sha256) return "yours";
    // The same stack in the other Terraform format replaces it: both in one folder would declare
    // everything twice, and Terraform would refuse the folder.
    if (inOtherFormat(rel, files)) return "removed";
    if (keepFolders.some((folder) => rel.startsWith(`${folder}/`))) return "kept";
    // A later run may replace it, or remove it once the state is gone.
    return besideState(target, rel) ? "orphaned" : "removed";
  }
  // Files to remove are removed after every new one is in place: a folder they cannot leave
  // would stop the run there, between two designs, so it is refused before anything is written.
  const stuck = [...fates].filter(([rel, fate]) => {
    if (fate !== "removed") return false;
    const dir = path.dirname(path.join(target, rel));
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      return true;
    }
    // In a sticky folder (like /tmp) only the file's or the folder's owner, or root, removes it.
    const me = process.geteuid?.();
    if (me === undefined || me === 0) return false;
    const folder = fs.statSync(dir);
    return (
      (folder.mode & STICKY_BIT) !== 0 &&
      folder.uid !== me &&
      fs.lstatSync(path.join(target, rel)).uid !== me
    );
  });
  if (stuck.length)
    throw new UserError(
      `--out ${shown}: ${stuck.map(([rel]) => path.join(shown, rel)).join(", ")} ${stuck.length === 1 ? "is" : "are"} no longer produced, but Stackwright may not remove ${stuck.length === 1 ? "it from its folder" : "them from their folders"} (read-only, or sticky and another user's); make the folder writable by you (or remove the files yourself) and run again`,
    );
  // Retired tenants stay known while their stack's folder stays (journalled too: a run killed
  // after model.json is replaced still keeps them).
  const orphanedStacks = new Set(
    [...fates].flatMap(([rel, fate]) =>
      fate === "orphaned" ? (/^terraform\/([^/]+)\//.exec(rel)?.[1] ?? []) : [],
    ),
  );
  const stillRetired = retired
    ? Object.entries(retired).filter(([stack]) => orphanedStacks.has(stack))
    : Object.entries(priorRetired ?? {});
  // Kept files this version writes differently, planned with the rest: the journal names their
  // new content, so a run killed after rewriting one still knows it as its own.
  const respelt = new Map<string, string>();
  for (const [rel, fate] of respell ? fates : []) {
    if (fate !== "kept" && fate !== "orphaned") continue;
    const text = respell!(rel, fs.readFileSync(path.join(target, rel), "utf8"));
    if (text !== undefined) respelt.set(rel, text);
  }
  // Folders this run made (the deepest, and the first mkdir created on the way to it).
  const madeFolders: [string, string][] = [];
  const journalled = [
    ...hashes,
    ...[...respelt].map(([rel, text]) => [rel, sha256(text)] as const),
  ];
  writeAtomic(
    path.join(target, JOURNAL_FILE),
    `${JSON.stringify({
      command,
      files: Object.fromEntries(journalled),
      ...(stillRetired.length ? { retired: Object.fromEntries(stillRetired) } : {}),
    })}\n`,
  );
  // Every new file is complete on disk before the first one replaces anything.
  const temps: [string, string][] = [];
  let replaced = false;
  try {
    for (const rel of names) {
      const dest = path.join(target, rel);
      if (hashOf(dest) === hashes.get(rel)) continue;
      const made = fs.mkdirSync(path.dirname(dest), { recursive: true });
      if (made) madeFolders.push([path.dirname(dest), made]);
      temps.push([writeTemp(dest, files.get(rel) as string | Buffer), dest]);
    }
    for (const [temp, dest] of temps) {
      fs.renameSync(temp, dest);
      replaced = true;
      pending.delete(temp);
    }
  } catch (err) {
    // Nothing replaced yet (a full disk, say): the folder is as it was, so the plan goes too,
    // with the folders this run made for its files.
    if (replaced && typeof err === "object" && err !== null) PARTLY_WRITTEN.add(err);
    if (!replaced) {
      for (const [temp] of temps) if (pending.delete(temp)) fs.rmSync(temp, { force: true });
      for (const [deepest, first] of madeFolders.reverse()) removeMadeFolders(deepest, first);
      fs.rmSync(path.join(target, JOURNAL_FILE), { force: true });
    }
    throw err;
  } finally {
    for (const [temp] of temps) {
      if (pending.delete(temp)) fs.rmSync(temp, { force: true });
    }
  }

  const kept: string[] = [];
  const orphaned: string[] = [];
  // From here the folder holds this run's files: an error leaves the journal for the next run.
  try {
    for (const [rel, fate] of fates) {
      const file = path.join(target, rel);
      if (fate === "gone") continue;
      if (fate === "yours") {
        kept.push(rel);
        continue;
      }
      if (fate === "removed") {
        // Saved by the user while this run wrote: theirs now, as any changed file.
        if (hashOf(file) !== prior.get(rel)!.sha256) {
          if (kindOf(file) !== "none") kept.push(rel);
          continue;
        }
        try {
          fs.unlinkSync(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
            if (typeof err === "object" && err !== null) REMOVING.add(err);
            throw err;
          }
        }
        removeEmptyParents(target, path.posix.dirname(rel));
        continue;
      }
      // Still Stackwright's: kept as it is, or as this version writes it.
      const entry = prior.get(rel)!;
      const text = respelt.get(rel);
      if (text !== undefined) writeAtomic(file, text);
      next.set(rel, text === undefined ? entry : { ...entry, sha256: sha256(text) });
      if (fate === "orphaned") orphaned.push(rel);
    }
    // Folders a killed run made for files it never put in place stay empty: they go.
    for (const folder of new Set(planned.map((f) => path.posix.dirname(f))))
      if (throughFolders(target, `${folder}/-`)) removeEmptyParents(target, folder);

    writeAtomic(
      path.join(target, MARKER_FILE),
      manifestText({
        generator: "stackwright",
        version,
        files: Object.fromEntries(next),
        ...(stillRetired.length ? { retired: Object.fromEntries(stillRetired) } : {}),
      }),
    );
    fs.rmSync(path.join(target, JOURNAL_FILE), { force: true });
    return { kept, orphaned, stranded: [] };
  } catch (err) {
    if (typeof err === "object" && err !== null) PARTLY_WRITTEN.add(err);
    throw err;
  }
}

/** Terraform configuration files of a stack, one per format (cdktf's JSON and HCL output). */
export const STACK_FILES = ["cdk.tf.json", "cdk.tf"];

/** True when a stack's configuration is being written beside this one in the other format. */
function inOtherFormat(rel: string, files: ReadonlyMap<string, unknown>): boolean {
  const name = path.posix.basename(rel);
  const dir = path.posix.dirname(rel);
  return (
    STACK_FILES.includes(name) &&
    STACK_FILES.some((other) => other !== name && files.has(path.posix.join(dir, other)))
  );
}

/** True when a stack's folder holds Terraform state (or Terraform's working files). */
export function stackHoldsState(outDir: string, stack: string): boolean {
  return besideState(outDir, `terraform/${stack}/-`);
}

/** True when the file's folder holds Terraform state (local state or an initialized stack). */
function besideState(target: string, rel: string): boolean {
  const dir = path.join(target, path.posix.dirname(rel));
  // terraform.tfstate.d holds the state of workspaces other than default.
  return [
    "terraform.tfstate",
    "terraform.tfstate.backup",
    "terraform.tfstate.d",
    ".terraform",
  ].some((name) => fs.existsSync(path.join(dir, name)));
}

/**
 * Whether a stack folder's state is local and holds no resource (the state moves emptied it, or
 * it was initialized and never applied): no other workspace's, no remote backend's, a
 * terraform.tfstate whose resources are none but data sources' reads (a remote state, a role
 * looked up), which build nothing.
 */
export function emptyLocalState(dir: string): boolean {
  if (fs.existsSync(path.join(dir, "terraform.tfstate.d"))) return false;
  // (terraform init caches the backend it set up: a remote one's state is not here; the local
  // one's is at its path)
  let file = "terraform.tfstate";
  if (fs.existsSync(path.join(dir, ".terraform", "terraform.tfstate"))) {
    try {
      const cached = JSON.parse(
        readRegularFile(path.join(dir, ".terraform", "terraform.tfstate")).toString("utf8"),
      ) as { backend?: { type?: unknown; config?: { path?: unknown; workspace_dir?: unknown } } };
      if (cached.backend?.type !== "local") return false;
      // (another workspace's state is elsewhere: not read here)
      if (cached.backend.config?.workspace_dir) return false;
      const at = cached.backend.config?.path;
      if (typeof at === "string" && at !== "") file = at;
    } catch {
      return false;
    }
  }
  // (a workspace other than default keeps its state elsewhere)
  let workspace = "default";
  try {
    if (fs.existsSync(path.join(dir, ".terraform", "environment")))
      workspace =
        readRegularFile(path.join(dir, ".terraform", "environment"))
          .toString("utf8")
          .trim() || "default";
  } catch {
    return false;
  }
  if (workspace !== "default") return false;
  // (initialized, never applied: no state file, nothing built)
  if (fs.lstatSync(path.resolve(dir, file), { throwIfNoEntry: false }) === undefined)
    return fs.existsSync(path.join(dir, ".terraform"));
  try {
    const state = JSON.parse(readRegularFile(path.resolve(dir, file)).toString("utf8")) as {
      resources?: unknown;
    };
    return (
      Array.isArray(state.resources) &&
      state.resources.every((r) => (r as { mode?: unknown } | null)?.mode === "data")
    );
  } catch {
    return false;
  }
}

/**
 * Earlier versions built the whole folder beside it (`.<out>.stackwright-tmp-*`, `-old-*`) and
 * moved Terraform state through it; a killed run could leave state there. Such folders of dead
 * runs are reported for the user to sort out.
 */
function legacyScratch(resolved: string): string[] {
  const parent = path.dirname(resolved);
  const prefix = `.${path.basename(resolved)}.stackwright-`;
  const pattern = /^(?:tmp|old)-(\d+)-[0-9a-f]{8}$/;
  const stranded: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return []; // (a parent the user may pass through but not list, 0711: nothing to report)
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = pattern.exec(name.slice(prefix.length));
    const dir = path.join(parent, name);
    if (!m || processAlive(Number(m[1])) || kindOf(dir) !== "folder") continue;
    // Whatever it holds may be the user's (state, their own files): reported, never removed.
    stranded.push(dir);
  }
  return stranded.sort();
}

/**
 * Refuses, naming them, paths where a file would replace something Stackwright did not write or
 * pass through a symbolic link, and inputs of the run that writing would overwrite or remove.
 */
function refuseConflicts(
  target: string,
  shown: string,
  names: readonly string[],
  prior: ReadonlyMap<string, ManifestEntry>,
  touched: readonly string[],
  inputs: readonly string[],
): void {
  const problems: string[] = [];
  const checkedFolders = new Set<string>();
  for (const rel of names) {
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      if (checkedFolders.has(folder)) continue;
      checkedFolders.add(folder);
      const kind = kindOf(path.join(target, folder));
      if (kind === "other") problems.push(`${folder} (a symbolic link or special file)`);
      else if (kind === "file")
        problems.push(`${folder} (a file where Stackwright writes a folder)`);
    }
    const kind = kindOf(path.join(target, rel));
    if (kind === "folder" || kind === "other") problems.push(`${rel} (not a regular file)`);
    else if (kind === "file" && !prior.has(rel)) problems.push(rel);
  }
  if (problems.length) {
    throw new UserError(
      `--out ${shown}: holds files Stackwright did not write where it would write its own: ${problems.slice(0, 5).join(", ")}${problems.length > 5 ? `, and ${problems.length - 5} more` : ""}; move them or choose another folder`,
    );
  }
  const real = (file: string) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };
  const ours = new Set(touched.map((rel) => path.join(target, rel)));
  for (const input of inputs) {
    if (ours.has(real(input))) {
      throw new UserError(
        `--out ${shown}: the input ${input} is a file Stackwright writes there; keep inputs outside the output files`,
      );
    }
  }
}

/**
 * Creates a folder and its missing parents one by one and returns the first it created. (Node's
 * recursive mkdir retries forever where mkdir fails with ENOENT under an existing parent, as
 * in /proc.)
 */
function makeFolders(dir: string): string | undefined {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return missing[0];
}

/** True when every folder on the way to `rel` is a real folder (no symbolic link leads elsewhere). */
function throughFolders(target: string, rel: string): boolean {
  const parts = rel.split("/");
  for (let i = 1; i < parts.length; i++) {
    if (kindOf(path.join(target, ...parts.slice(0, i))) !== "folder") return false;
  }
  return true;
}

/** Removes folders left empty by a removed file, up to the output folder; a folder in use stays. */
function removeEmptyParents(target: string, folder: string): void {
  for (let dir = folder; dir !== "." && dir !== ""; dir = path.posix.dirname(dir)) {
    try {
      fs.rmdirSync(path.join(target, dir));
    } catch {
      return;
    }
  }
}

/** Empty folders from `deepest` up to `first`, which one mkdir made: nothing else is removed. */
function removeMadeFolders(deepest: string, first: string): void {
  for (let dir = deepest; dir.length >= first.length; dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === first) return;
  }
}

/** Writes content into a new temporary file beside `dest` and flushes it; returns its path. */
function writeTemp(dest: string, content: string | Buffer): string {
  const temp = scratchName(dest);
  pending.add(temp);
  const fd = fs.openSync(temp, "wx");
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } catch (err) {
    // A full disk or a size limit: the partial file goes at once, and the error names the file
    // the user asked for, not the temporary one.
    fs.closeSync(fd);
    pending.delete(temp);
    fs.rmSync(temp, { force: true });
    // (writes to a descriptor name no file: the error names the one being written)
    if (err && typeof err === "object") (err as NodeJS.ErrnoException).path = dest;
    throw err;
  }
  try {
    // NFS reports a full disk or a quota at close.
    fs.closeSync(fd);
  } catch (err) {
    pending.delete(temp);
    fs.rmSync(temp, { force: true });
    if (err && typeof err === "object") (err as NodeJS.ErrnoException).path = dest;
    throw err;
  }
  return temp;
}

function writeAtomic(dest: string, content: string): void {
  const temp = writeTemp(dest, content);
  try {
    fs.renameSync(temp, dest);
  } finally {
    pending.delete(temp);
    fs.rmSync(temp, { force: true });
  }
}

/** Codes of file systems that cannot hard-link; writing then falls back to exists-check + rename. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK"]);

/**
 * Writes one file atomically: a temporary file in the same folder, then a rename (or, when the
 * file must not be replaced, a hard link, which fails if another process created the file
 * meanwhile). A failure or interruption leaves an existing file as it was.
 */
export function writeFileAtomic(
  file: string,
  content: string,
  options: { readonly overwrite: boolean },
  /** How errors name the destination: the file, or the folder the user gave. */
  shown = `--out ${file}`,
): void {
  try {
    replaceFile(file, content, options);
  } catch (err) {
    throw asUserError(err, shown);
  }
}

/** The file a path names, through any links; a link that leads nowhere is refused. */
function linkedFile(target: string, shown: string): string {
  if (!fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) return target;
  try {
    return fs.realpathSync(target);
  } catch {
    throw new UserError(`--out ${shown}: is a link to nothing; name the file to write`);
  }
}

function replaceFile(
  file: string,
  content: string,
  options: { readonly overwrite: boolean },
): void {
  if (file.includes("\0")) throw new UserError("--out: the path contains a NUL byte");
  if (/[/\\]$/.test(file))
    throw new UserError(`--out ${file}: names a folder; name the file to write`);
  // A link to a file is written through (the link stays); a device, FIFO or socket is never
  // replaced by a file, even with --force.
  const target = linkedFile(path.resolve(file), file);
  const exists = () => {
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    if (!stat) return false;
    if (stat.isDirectory())
      throw new UserError(`--out ${file}: is a folder; name the file to write`);
    if (!stat.isFile())
      throw new UserError(
        `--out ${file}: is not a regular file (a device, FIFO or socket); name a file to write`,
      );
    return true;
  };
  const refuse = () =>
    new UserError(
      `--out ${file}: the file exists; choose another name or pass --force to replace it`,
    );
  if (exists() && !options.overwrite) throw refuse();
  const dir = path.dirname(target);
  makeFolders(dir);
  // A killed earlier run's temporary copy of this very file goes (dead, or of this pid).
  const prefix = `.${path.basename(target)}.stackwright-tmp-`;
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    // A folder one may write to but not list: nothing to sweep that can be seen.
  }
  for (const name of names) {
    const m = SCRATCH_NAME.exec(name);
    const pid = Number(m?.groups?.pid);
    if (m && name.startsWith(prefix) && (pid === process.pid || !processAlive(pid)))
      fs.rmSync(path.join(dir, name), { force: true });
  }
  const temp = path.join(
    dir,
    `.${path.basename(target)}.stackwright-tmp-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  pending.add(temp);
  try {
    const fd = fs.openSync(temp, "wx");
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } catch (err) {
      // (writes to a descriptor name no file: the error names the one being written)
      if (err && typeof err === "object") (err as NodeJS.ErrnoException).path = target;
      throw err;
    } finally {
      fs.closeSync(fd);
    }
    if (options.overwrite) {
      fs.renameSync(temp, target);
      return;
    }
    try {
      fs.linkSync(temp, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "";
      if (code === "EEXIST") throw refuse();
      if (!NO_HARD_LINKS.has(code)) throw err;
      if (exists()) throw refuse();
      fs.renameSync(temp, target);
    }
  } finally {
    fs.rmSync(temp, { force: true });
    pending.delete(temp);
  }
}

/**
 * Tells the user about files an earlier run wrote that were kept because they changed, and
 * (even when quiet) about Terraform state an earlier version left in a scratch folder.
 */
export function printOutputNotes(
  out: string,
  result: OutputResult,
  quiet?: boolean,
  /** The tenants the previous synth kept in a stack, by stack name. */
  tenantsOf: (stack: string) => readonly string[] = () => [],
  /** The stack a tenant is in now, where the design still has it. */
  stackOf: (tenant: string) => string | undefined = () => undefined,
): void {
  for (const rel of quiet ? [] : result.kept) {
    process.stderr.write(
      `${path.join(out, rel)}: no longer produced, kept because it changed since Stackwright wrote it; delete it if it is not needed\n`,
    );
  }
  const orphanedStacks = new Set(
    result.orphaned.flatMap((rel) => /^terraform\/([^/]+)\//.exec(rel)?.[1] ?? []),
  );
  // One warning per stack folder, whichever of its files were kept.
  const folders = new Map<string, string[]>();
  for (const rel of result.orphaned) {
    const folder = path.posix.dirname(rel);
    folders.set(folder, [...(folders.get(folder) ?? []), path.posix.basename(rel)]);
  }
  for (const [folder, files] of folders) {
    const rel = `${folder}/`;
    // A tenant's project is protected (prevent_destroy): destroy stops there by design.
    const stack = /^terraform\/([^/]+)\//.exec(rel)?.[1];
    // A tenant's own stack (tenant-<id>) holds it even where the previous plan had moved it on.
    const own = /^tenant-(.+)$/.exec(stack ?? "")?.[1];
    const listed = stack === undefined ? [] : tenantsOf(stack);
    const tenants = listed.length || own === undefined || !stackOf(own) ? listed : [own];
    // A network stack reads its tenant stack's project id: destroyed after it, it can no longer
    // be planned.
    const readers = tenants.map(networkStackName).filter((s) => orphanedStacks.has(s));
    const ids = tenants.map((t) => `id: ${t}`).join(", ");
    // The bare-metal stack's resources are the cloud's own servers: a destroy wipes every one.
    // A tenant's own network stack (project credentials): its tenant's stack reads nothing of it.
    const network = stack?.startsWith("network-") ? stack.slice("network-".length) : undefined;
    // Tenants still in the design, in other stacks: their resources wait in this state.
    const movedTo = [...new Set(tenants.flatMap((t) => stackOf(t) ?? []))].filter(
      (s) => s !== stack,
    );
    const advice = emptyLocalState(path.join(out, folder))
      ? "its state holds no resource any more (nothing was applied, or the state moves emptied it): delete the folder"
      : tenants.length && tenants.every((t) => stackOf(t) !== undefined) && movedTo.length
        ? `its ${tenants.length === 1 ? "tenant" : "tenants"} ${tenants.join(", ")} ${tenants.length === 1 ? "is" : "are"} now in ${movedTo.join(", ")}, and ${tenants.length === 1 ? "its" : "their"} resources still in this state: move them there before applying ${movedTo.length === 1 ? "that stack" : "those stacks"} (run terraform/state-moves.sh where it is still there; else terraform state mv each resource of this folder's state into that stack's), never terraform destroy here, which would delete them, nor apply here`
        : rel.startsWith(`${STAGE_FOLDERS.baremetal}/`)
          ? "the servers it deployed keep running and stay in its state; never run terraform destroy there, which would delete every one of them on the undercloud: keep the folder, or take them out of the state (terraform state rm) before deleting it"
          : network !== undefined && !tenants.length && stackOf(network) !== undefined
            ? `tenant ${network}'s network is now made in ${stackOf(network)} (output.tenantStacks.networkCredentials): once terraform/state-moves.sh has run, what this state still holds stayed behind on purpose: its key pairs (the project's user's, which ${stackOf(network)} makes anew for its own credentials: delete each with openstack keypair delete under the project's application credential) and its server groups (which instances may be in: keep them); take each out of this state with terraform state rm (terraform state list shows them), then delete the folder; never terraform apply here, which would create the moved network again, nor destroy, which would delete the server groups`
            : network !== undefined && !tenants.length
              ? `tenant ${network}'s own network stack: to remove the tenant, run terraform destroy there first, with the project's application credential (its clouds.yaml entry), before its tenant stack's destroy, then delete the folder; if the tenant was renamed, give it id: ${network} in the spec and synth again`
              : tenants.length
                ? `if ${tenants.length === 1 ? `tenant ${tenants[0]} was` : `tenants ${tenants.join(", ")} were`} renamed, give ${tenants.length === 1 ? "it" : "them"} ${ids} in the spec and synth again to keep ${tenants.length === 1 ? "its project" : "their projects"}; to remove ${tenants.length === 1 ? "it" : "them"}, ${readers.length ? `first run terraform destroy in ${readers.join(", ")}, which ${readers.length === 1 ? "reads" : "read"} this stack's project ${tenants.length === 1 ? "id" : "ids"}, then ` : ""}destroy there before applying the platform stack again (it stops exporting ids this stack reads, and Terraform could no longer plan it): terraform destroy stops at the protected projects, so take them out of the state first (terraform state rm), run terraform destroy, delete the projects with openstack project delete once empty, then delete the folder`
                : "run terraform destroy there (or move the state) before applying the other stacks again, whose outputs it may read, and before deleting the folder; never terraform apply there: once its resources moved to other stacks, its configuration would create them all again";
    process.stderr.write(
      `warning: ${path.join(out, folder)}: its stack is no longer in the design but its folder holds Terraform state; kept (${files.join(", ")}): ${advice}\n`,
    );
  }
  for (const dir of result.stranded) {
    process.stderr.write(
      `warning: ${dir}: left by an interrupted run of an earlier version; move any Terraform state in it back into ${out} and delete the folder\n`,
    );
  }
}
