import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { UserError } from "../core/errors";

/** Written into every output folder; its presence is what lets a later run replace the folder. */
export const MARKER_FILE = "stackwright.json";

const pending = new Set<string>();

/** Removes half-written scratch folders when the process is interrupted. */
export function cleanupPendingOutput(): void {
  for (const dir of pending) fs.rmSync(dir, { recursive: true, force: true });
  pending.clear();
}

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

/**
 * Writes a complete output folder atomically: everything goes into a scratch folder beside the
 * target, which then replaces the target in one rename. A failure leaves the old folder as it was.
 */
export function writeOutputFolder(
  outDir: string,
  files: ReadonlyMap<string, string | Buffer>,
  version: string,
  inputs: readonly string[] = [],
): void {
  try {
    replaceFolder(outDir, files, version, inputs);
  } catch (err) {
    throw asUserError(err, `--out ${outDir}`);
  }
}

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
  ];
  if (code && known.includes(code)) {
    return new UserError(
      `${what}: cannot write there (${code}: ${(err as Error).message.split(",")[0]})`,
    );
  }
  return err;
}

/** Terraform's working files in a stack folder: state, plugins, lock file, the user's variables. */
const TERRAFORM_WORKING_FILES =
  /^(terraform\.tfstate(\.backup)?|terraform\.tfstate\.d|\.terraform|\.terraform\.lock\.hcl|terraform\.tfvars(\.json)?|.+\.auto\.tfvars(\.json)?)$/;

/** The files a previous run wrote, from its marker; undefined when the folder is not ours. */
function previousRun(target: string): string[] | undefined {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(target, MARKER_FILE), "utf8")) as {
      generator?: unknown;
      files?: unknown;
    };
    if (marker.generator !== "stackwright" || !Array.isArray(marker.files)) return undefined;
    return marker.files.filter((f): f is string => typeof f === "string");
  } catch {
    return undefined;
  }
}

function replaceFolder(
  outDir: string,
  files: ReadonlyMap<string, string | Buffer>,
  version: string,
  inputs: readonly string[],
): void {
  if (outDir.trim() === "") throw new UserError("--out: the path is empty");
  if (outDir.includes("\0")) throw new UserError("--out: the path contains a NUL byte");
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  for (const input of inputs) {
    const rel = path.relative(target, path.resolve(input));
    if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) {
      throw new UserError(
        `--out ${outDir}: holds the input ${input}, which replacing the folder would delete`,
      );
    }
  }
  if (fs.existsSync(target)) {
    const stat = fs.lstatSync(target);
    if (!stat.isDirectory()) throw new UserError(`--out ${outDir}: exists and is not a folder`);
    const entries = fs.readdirSync(target);
    const previous = previousRun(target);
    if (entries.length > 0 && !previous) {
      throw new UserError(
        `--out ${outDir}: the folder is not empty and was not written by Stackwright; choose another folder or empty it`,
      );
    }
    // Everything at the top level must come from the previous run.
    const ours = new Set([MARKER_FILE, ...(previous ?? []).map((f) => f.split("/")[0])]);
    const foreign = entries.filter((e) => !ours.has(e));
    if (foreign.length) {
      throw new UserError(
        `--out ${outDir}: holds files Stackwright did not write (${foreign.slice(0, 5).join(", ")}); move them or choose another folder`,
      );
    }
  }
  fs.mkdirSync(parent, { recursive: true });
  const token = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const scratch = path.join(parent, `.${path.basename(target)}.stackwright-tmp-${token}`);
  const old = path.join(parent, `.${path.basename(target)}.stackwright-old-${token}`);
  pending.add(scratch);
  // Terraform state and plugins carried over from the old folder, to move back on failure.
  const carried: { from: string; to: string }[] = [];
  try {
    fs.mkdirSync(scratch);
    const names = [...files.keys()].map(safeRelativePath).sort();
    for (const rel of names) {
      const dest = path.join(scratch, rel);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, files.get(rel) as string | Buffer);
    }
    const marker = { generator: "stackwright", version, files: names };
    fs.writeFileSync(path.join(scratch, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    const existed = fs.existsSync(target);
    if (existed) {
      // A stack's state survives a new synth, even when the stack itself is gone from the design.
      const stacks = path.join(target, "terraform");
      for (const stack of fs.existsSync(stacks) ? fs.readdirSync(stacks) : []) {
        const dir = path.join(stacks, stack);
        if (!fs.lstatSync(dir).isDirectory()) continue;
        for (const entry of fs.readdirSync(dir)) {
          if (!TERRAFORM_WORKING_FILES.test(entry)) continue;
          const to = path.join(scratch, "terraform", stack, entry);
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.renameSync(path.join(dir, entry), to);
          carried.push({ from: path.join(dir, entry), to });
        }
      }
      fs.renameSync(target, old);
    }
    try {
      fs.renameSync(scratch, target);
    } catch (err) {
      if (existed) fs.renameSync(old, target);
      throw err;
    }
    carried.length = 0;
    pending.delete(scratch);
    if (existed) fs.rmSync(old, { recursive: true, force: true });
  } finally {
    for (const { from, to } of carried.reverse()) {
      if (fs.existsSync(to) && !fs.existsSync(from)) fs.renameSync(to, from);
    }
    if (pending.has(scratch)) {
      fs.rmSync(scratch, { recursive: true, force: true });
      pending.delete(scratch);
    }
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
): void {
  try {
    replaceFile(file, content, options);
  } catch (err) {
    throw asUserError(err, `--out ${file}`);
  }
}

function replaceFile(
  file: string,
  content: string,
  options: { readonly overwrite: boolean },
): void {
  if (file.includes("\0")) throw new UserError("--out: the path contains a NUL byte");
  const target = path.resolve(file);
  const exists = () => {
    if (!fs.existsSync(target)) return false;
    if (fs.statSync(target).isDirectory())
      throw new UserError(`--out ${file}: is a folder; name the file to write`);
    return true;
  };
  const refuse = () =>
    new UserError(
      `--out ${file}: the file exists; choose another name or pass --force to replace it`,
    );
  if (exists() && !options.overwrite) throw refuse();
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
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
