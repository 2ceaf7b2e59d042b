/**
 * V8 code cache for the CLI's modules and its dependencies. Node 20 compiles every CommonJS
 * module from source on each start (a quarter of a short command's time); the build records the
 * compiled code once (scripts/record-code-cache.js) and each run reads it back. A module is
 * taken from the cache only when the SHA-256 of its source matches the recorded one (V8 itself
 * checks only the source's length); a module that is not in the cache, a changed module, another
 * Node version or V8 flags all compile from source as usual.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import { Module } from "module";

/** The file the build writes, next to the built CLI. */
export const CODE_CACHE_FILE = path.resolve(__dirname, "..", "code-cache.bin");

const MAGIC = "stackwright-code-cache/1";
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

interface Entry {
  /** SHA-256 of the module's source. */
  readonly source: string;
  /** SHA-256 of the cached data: V8 release builds do not checksum it themselves. */
  readonly data: string;
  readonly offset: number;
  readonly length: number;
}

/** The head of the file: entries by module key, then the cached data, back to back. */
interface Header {
  readonly magic: string;
  readonly node: string;
  readonly arch: string;
  readonly entries: Readonly<Record<string, Entry>>;
}

/** The Node internals a CommonJS module's own `require` is made of (as Node makes it). */
interface ModuleStatics {
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: object): string;
  _resolveLookupPaths(request: string, parent: Module): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeModule>;
}
type Compile = (this: Module, content: string, filename: string, ...rest: unknown[]) => unknown;
const prototype = Module.prototype as unknown as { _compile: Compile };
const statics = Module as unknown as ModuleStatics;

/**
 * Where a module is the same wherever the package is installed: a dependency by its path under
 * the nearest node_modules (npm may hoist it), the CLI's own modules relative to the package.
 */
function keyOf(filename: string): string | undefined {
  // The package itself may be installed under a node_modules folder.
  const rel = path.relative(PACKAGE_ROOT, filename);
  const own = !rel.startsWith("..") && !path.isAbsolute(rel);
  if (own && !`${path.sep}${rel}`.includes(NODE_MODULES)) return rel.split(path.sep).join("/");
  const at = filename.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  return `npm:${filename
    .slice(at + NODE_MODULES.length)
    .split(path.sep)
    .join("/")}`;
}

const sha256 = (content: string | Buffer) =>
  createHash("sha256")
    .update(typeof content === "string" ? Buffer.from(content, "utf16le") : content)
    .digest("base64");

/** Compiles a module the way Node wraps it, with V8's cached data when there is some. */
function compile(content: string, filename: string, cachedData?: Buffer): vm.Script {
  const body = content.startsWith("#!") ? `//${content.slice(2)}` : content;
  return new vm.Script(
    `(function (exports, require, module, __filename, __dirname) { ${body}\n})`,
    {
      filename,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  );
}

/** Runs a compiled module with the `require` Node would give it. */
function run(module: Module, script: vm.Script, filename: string): unknown {
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void;
  const req = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    statics._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => statics._resolveLookupPaths(request, module);
  req.resolve = resolve;
  req.main = require.main;
  req.extensions = statics._extensions;
  req.cache = statics._cache;
  return wrapper.call(
    module.exports,
    module.exports,
    req,
    module,
    filename,
    path.dirname(filename),
  );
}

/** Only plain CommonJS goes through the cache; ES modules loaded by require keep Node's path. */
const cacheable = (rest: readonly unknown[]) => rest[0] === undefined || rest[0] === "commonjs";

function readHeader(fd: number): { header: Header; base: number } | undefined {
  const size = Buffer.alloc(4);
  if (fs.readSync(fd, size, 0, 4, 0) !== 4) return undefined;
  const length = size.readUInt32LE(0);
  // A damaged length must not make this allocate gigabytes.
  if (4 + length > fs.fstatSync(fd).size) return undefined;
  const text = Buffer.alloc(length);
  if (fs.readSync(fd, text, 0, length, 4) !== length) return undefined;
  const header = JSON.parse(text.toString("utf8")) as Header;
  if (header.magic !== MAGIC || header.node !== process.version || header.arch !== process.arch)
    return undefined;
  return { header, base: 4 + length };
}

/** An entry's cached data, or nothing when it cannot be read whole and intact. */
function cachedData(fd: number, base: number, entry: Entry): Buffer | undefined {
  const data = Buffer.alloc(entry.length);
  try {
    if (fs.readSync(fd, data, 0, entry.length, base + entry.offset) !== entry.length)
      return undefined;
  } catch {
    return undefined;
  }
  return sha256(data) === entry.data ? data : undefined;
}

/**
 * Compiles the modules recorded in `file` from their cached code from now on. Without a usable
 * cache file it changes nothing: the cache only ever saves time.
 */
export function useCodeCache(file = CODE_CACHE_FILE): void {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return;
  }
  let found: { header: Header; base: number } | undefined;
  try {
    found = readHeader(fd);
  } catch {
    found = undefined;
  }
  if (!found) {
    fs.closeSync(fd);
    return;
  }
  const { header, base } = found;
  const original = prototype._compile;
  prototype._compile = function (content, filename, ...rest) {
    const key = keyOf(filename);
    const entry =
      key !== undefined && Object.hasOwn(header.entries, key) ? header.entries[key] : undefined;
    if (!entry || !cacheable(rest) || sha256(content) !== entry.source)
      return original.call(this, content, filename, ...rest);
    // V8 compiles from source when it rejects the data (another V8 build or other flags).
    return run(this, compile(content, filename, cachedData(fd, base, entry)), filename);
  };
}

/**
 * Records every module loaded from now on; the returned function writes their compiled code
 * (with every function run so far) to `file`, replacing it whole.
 */
export function recordCodeCache(): (file?: string) => number {
  const scripts = new Map<string, { script: vm.Script; source: string }>();
  const original = prototype._compile;
  prototype._compile = function (content, filename, ...rest) {
    const key = keyOf(filename);
    if (key === undefined || !cacheable(rest))
      return original.call(this, content, filename, ...rest);
    const script = compile(content, filename);
    scripts.set(key, { script, source: sha256(content) });
    return run(this, script, filename);
  };
  return (file = CODE_CACHE_FILE) => {
    const entries: Record<string, Entry> = {};
    const blobs: Buffer[] = [];
    let offset = 0;
    for (const key of [...scripts.keys()].sort()) {
      const { script, source } = scripts.get(key)!;
      const data = script.createCachedData();
      entries[key] = { source, data: sha256(data), offset, length: data.length };
      blobs.push(data);
      offset += data.length;
    }
    const header: Header = { magic: MAGIC, node: process.version, arch: process.arch, entries };
    const head = Buffer.from(JSON.stringify(header), "utf8");
    const size = Buffer.alloc(4);
    size.writeUInt32LE(head.length, 0);
    const scratch = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(scratch, Buffer.concat([size, head, ...blobs]));
      fs.renameSync(scratch, file);
    } catch (err) {
      // A disk that filled up keeps neither a cut-short file nor the scratch.
      fs.rmSync(scratch, { force: true });
      throw err;
    }
    return scripts.size;
  };
}
