import * as fs from "fs";
import * as path from "path";
import { UserError } from "./errors";

/** Templates, catalogs and stylesheets are text of a few hundred KiB at most. */
export const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/**
 * A file of a folder the user gives (templates, branding), or undefined when there is none.
 * Only a regular file inside that folder is read: a link out of it would put any file of the
 * machine into a document, a FIFO would block for ever, a device never end. Every refusal is a
 * UserError naming the file.
 */
export function readFolderFile(root: string, rel: string, maxBytes: number): Buffer | undefined {
  const file = path.join(root, rel);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (err) {
    if (code(err) === "ENOENT") return undefined;
    throw new UserError(`${file}: cannot be read (${code(err)})`);
  }
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch (err) {
    throw new UserError(`${root}: cannot be read (${code(err)})`);
  }
  const inside = path.relative(realRoot, real);
  if (inside === ".." || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside))
    throw new UserError(`${file}: a link out of ${root}; copy the file into the folder instead`);
  const stat = fs.statSync(real);
  if (!stat.isFile()) throw new UserError(`${file}: not a regular file`);
  if (stat.size > maxBytes)
    throw new UserError(`${file}: ${stat.size} bytes, more than the ${maxBytes} allowed`);
  try {
    return fs.readFileSync(real);
  } catch (err) {
    throw new UserError(`${file}: cannot be read (${code(err)})`);
  }
}

/**
 * A text file of such a folder as UTF-8, without a byte order mark and with Unix line ends
 * (an editor on Windows writes both), or undefined when there is none.
 */
export function readFolderText(root: string, rel: string): string | undefined {
  const data = readFolderFile(root, rel, MAX_TEMPLATE_BYTES);
  if (data === undefined) return undefined;
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw new UserError(`${path.join(root, rel)}: not UTF-8 text; save it as UTF-8`);
  }
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}
