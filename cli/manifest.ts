import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import { UserError } from "../core/errors";

/** Lists every file Stackwright wrote into an output folder; nothing else there is ever touched. */
export const MARKER_FILE = "stackwright.json";

/** What a run is about to write; present only while a run writes (or after it was killed). */
export const JOURNAL_FILE = ".stackwright.pending.json";

/** One written file: its SHA-256 when written and the commands that produce it. */
export interface ManifestEntry {
  /** null for folders written by versions that did not record hashes. */
  readonly sha256: string | null;
  readonly commands: readonly string[];
}

export interface Manifest {
  readonly generator: "stackwright";
  readonly version: string;
  readonly files: Readonly<Record<string, ManifestEntry>>;
  /**
   * The model's records of tenants that left the design, by stack, while their stack's folder
   * stays beside its state: a tenant given one of their ids again takes that state, and the next
   * synth checks it against them as against the previous plan.
   */
  readonly retired?: Readonly<Record<string, readonly unknown[]>>;
}

/** A killed run's plan: the files it may have written, and the retired tenants it would keep. */
export interface Journal {
  readonly command: string;
  readonly files: Readonly<Record<string, string>>;
  readonly retired?: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * Terraform's working files and the user's variables: Stackwright never writes, moves or removes
 * a file of these names, whatever a manifest says.
 */
export const TERRAFORM_WORKING_FILES =
  /^(terraform\.tfstate(\.backup)?|terraform\.tfstate\.d|\.terraform|\.terraform\.lock\.hcl|terraform\.tfvars(\.json)?|.+\.auto\.tfvars(\.json)?|.+\.tfstate(\.backup)?)$/;

export const sha256 = (content: string | Buffer): string =>
  createHash("sha256").update(content).digest("hex");

/** Checks a relative output path: no absolute paths, no `..`, no NUL, nothing outside the folder. */
export function safeRelativePath(rel: string): string {
  const normalized = path.posix.normalize(rel);
  if (
    rel.length === 0 ||
    rel.includes("\0") ||
    rel.includes("\\") ||
    path.posix.isAbsolute(rel) ||
    normalized.startsWith("../") ||
    normalized === ".." ||
    normalized !== rel
  ) {
    throw new Error(`refusing to write outside the output folder: ${JSON.stringify(rel)}`);
  }
  return normalized;
}

/** A path Stackwright may own: inside the folder, not its own bookkeeping, not Terraform's files. */
export function isOwnablePath(rel: string): boolean {
  try {
    safeRelativePath(rel);
  } catch {
    return false;
  }
  return (
    rel !== MARKER_FILE &&
    // Nothing inside Terraform's working folders either (.terraform, terraform.tfstate.d).
    !rel
      .split("/")
      .some((part) => part.startsWith(".stackwright") || TERRAFORM_WORKING_FILES.test(part))
  );
}

function foreignMarker(shown: string, why: string): UserError {
  return new UserError(
    `--out ${shown}: ${MARKER_FILE} ${why}; Stackwright writes only into folders it wrote itself: choose another folder or remove ${MARKER_FILE}`,
  );
}

/**
 * The manifest of an output folder: undefined when there is none, a UserError when the marker is
 * a symbolic link, unreadable or not Stackwright's.
 */
export function readManifest(dir: string, shown = dir): Manifest | undefined {
  const file = path.join(dir, MARKER_FILE);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink()) throw foreignMarker(shown, "is a symbolic link");
  if (!stat.isFile()) throw foreignMarker(shown, "is not a regular file");
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw foreignMarker(shown, "is not a Stackwright manifest");
  }
  const marker = raw as { generator?: unknown; version?: unknown; files?: unknown };
  if (marker?.generator !== "stackwright")
    throw foreignMarker(shown, "was not written by Stackwright");
  const version = typeof marker.version === "string" ? marker.version : "unknown";
  const files: Record<string, ManifestEntry> = {};
  if (Array.isArray(marker.files)) {
    // Folders from versions that listed names only and held one command's output: hashes unknown.
    const names = marker.files as unknown[];
    const command = names.includes("model.json")
      ? "synth"
      : names.some((f) => typeof f === "string" && f.startsWith("proposal"))
        ? "proposal"
        : "docs";
    for (const f of names) {
      if (typeof f !== "string" || !isOwnablePath(f))
        throw foreignMarker(shown, `lists a path Stackwright never writes (${JSON.stringify(f)})`);
      files[f] = { sha256: null, commands: [command] };
    }
  } else if (marker.files && typeof marker.files === "object") {
    for (const [f, entry] of Object.entries(marker.files as Record<string, unknown>)) {
      const e = entry as { sha256?: unknown; commands?: unknown } | null;
      if (!isOwnablePath(f))
        throw foreignMarker(shown, `lists a path Stackwright never writes (${JSON.stringify(f)})`);
      if (
        (typeof e?.sha256 !== "string" && e?.sha256 !== null) ||
        !Array.isArray(e.commands) ||
        !e.commands.every((c) => typeof c === "string")
      )
        throw new UserError(
          `--out ${shown}: ${MARKER_FILE} has a damaged entry for ${JSON.stringify(f)} (Stackwright writes a sha256 and a list of commands): restore the file as Stackwright wrote it, from version control or a backup`,
        );
      files[f] = { sha256: e.sha256 as string | null, commands: e.commands as string[] };
    }
  } else throw foreignMarker(shown, "is not a Stackwright manifest");
  const retired = retiredOf((raw as { retired?: unknown }).retired);
  return { generator: "stackwright", version, files, ...(retired ? { retired } : {}) };
}

/**
 * The retired tenants' records of a folder: a killed run's journal's (what it was writing), else
 * its manifest's.
 */
export function retiredRecords(
  dir: string,
  shown = dir,
): Readonly<Record<string, readonly unknown[]>> {
  const journal = readJournal(dir);
  if (journal?.retired) return journal.retired;
  return readManifest(dir, shown)?.retired ?? {};
}

/** The retired tenants' records a manifest holds: lists by stack name, anything else ignored. */
function retiredOf(raw: unknown): Record<string, unknown[]> | undefined {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const lists = Object.entries(raw as Record<string, unknown>).filter(
    (e): e is [string, unknown[]] => Array.isArray(e[1]) && e[1].length > 0,
  );
  return lists.length ? Object.fromEntries(lists) : undefined;
}

/** The journal a killed run left, or undefined; a damaged journal counts as none. */
export function readJournal(dir: string): Journal | undefined {
  const file = path.join(dir, JOURNAL_FILE);
  try {
    if (!fs.lstatSync(file).isFile()) return undefined;
    const raw = JSON.parse(fs.readFileSync(file, "utf8")) as {
      command?: unknown;
      files?: unknown;
      retired?: unknown;
    };
    if (typeof raw.command !== "string" || !raw.files || typeof raw.files !== "object")
      return undefined;
    const files: Record<string, string> = {};
    for (const [f, h] of Object.entries(raw.files as Record<string, unknown>)) {
      if (isOwnablePath(f) && typeof h === "string") files[f] = h;
    }
    const retired = retiredOf(raw.retired);
    return { command: raw.command, files, ...(retired ? { retired } : {}) };
  } catch {
    return undefined;
  }
}

/** Serialized with sorted keys, so the same outputs give the same bytes. */
export function manifestText(manifest: Manifest): string {
  const files: Record<string, ManifestEntry> = {};
  for (const name of Object.keys(manifest.files).sort()) {
    const e = manifest.files[name];
    files[name] = { sha256: e.sha256, commands: [...e.commands].sort() };
  }
  const retired = Object.keys(manifest.retired ?? {})
    .sort()
    .map((stack) => [stack, manifest.retired![stack]] as const);
  return `${JSON.stringify(
    {
      generator: manifest.generator,
      version: manifest.version,
      files,
      ...(retired.length ? { retired: Object.fromEntries(retired) } : {}),
    },
    null,
    2,
  )}\n`;
}

/**
 * A file of the output folder, read only where it is a regular file: a link, pipe or device
 * standing there is neither followed nor waited on (the error's code is ELOOP or ENOTREG).
 */
export function readRegularFile(file: string): Buffer {
  const fd = fs.openSync(
    file,
    fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK,
  );
  try {
    if (!fs.fstatSync(fd).isFile())
      throw Object.assign(new Error(`${file}: not a regular file`), { code: "ENOTREG" });
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
