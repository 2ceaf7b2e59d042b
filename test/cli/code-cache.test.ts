import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT, run, tmp } from "../support/cli";

const CODE_CACHE = path.join(ROOT, "dist", "cli", "code-cache.js");

/**
 * Runs a script in a fresh Node process (the cache hooks the process's module loader) that
 * counts the cached data V8 accepted and rejected, and prints its result as JSON.
 */
function node(
  script: string,
  codeCache = CODE_CACHE,
): { accepted: number; rejected: number; value?: unknown } {
  const counting = `
    const vm = require("vm");
    const Script = vm.Script;
    const counts = { accepted: 0, rejected: 0 };
    vm.Script = function (source, options) {
      const script = new Script(source, options);
      if (options && options.cachedData) counts[script.cachedDataRejected ? "rejected" : "accepted"]++;
      return script;
    };
    const cache = require(${JSON.stringify(codeCache)});
    ${script}
  `;
  const r = spawnSync(process.execPath, ["-e", counting], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { accepted: number; rejected: number; value?: unknown };
}

/** A dependency under a node_modules folder, recorded into a cache file. */
function recorded(): { module: string; file: string } {
  const dir = tmp();
  const module = path.join(dir, "node_modules", "probe", "index.js");
  fs.mkdirSync(path.dirname(module), { recursive: true });
  fs.writeFileSync(module, 'module.exports = (n) => "first:" + n;\n');
  const file = path.join(dir, "code.cache");
  node(`
    const write = cache.recordCodeCache();
    require(${JSON.stringify(module)})(1);
    write(${JSON.stringify(file)});
    console.log(JSON.stringify(counts));
  `);
  return { module, file };
}

const load = (module: string, file: string) =>
  node(`
    cache.useCodeCache(${JSON.stringify(file)});
    const value = require(${JSON.stringify(module)})(2);
    console.log(JSON.stringify({ ...counts, value }));
  `);

describe("code cache", () => {
  it("compiles an unchanged module from the recorded code", () => {
    // GIVEN a module recorded into a cache
    const { module, file } = recorded();
    // WHEN it is loaded through the cache
    const r = load(module, file);
    // THEN V8 took the cached data and the module behaves as before
    expect(r).toEqual({ accepted: 1, rejected: 0, value: "first:2" });
  });

  it("compiles a changed module of the same length from its new source", () => {
    // GIVEN a recorded module edited after recording, to a source of the same length (V8 only
    // checks the length)
    const { module, file } = recorded();
    fs.writeFileSync(module, 'module.exports = (n) => "other:" + n;\n');
    // WHEN it is loaded through the cache
    const r = load(module, file);
    // THEN its new source runs and no cached data was offered
    expect(r).toEqual({ accepted: 0, rejected: 0, value: "other:2" });
  });

  it("keeps the package's own modules cached once it is installed under node_modules", () => {
    // GIVEN a package's own module recorded where it was built
    const dir = tmp();
    const built = path.join(dir, "built");
    const installed = path.join(dir, "app", "node_modules", "stackwright");
    for (const root of [built, installed]) {
      fs.mkdirSync(path.join(root, "dist", "cli"), { recursive: true });
      fs.copyFileSync(CODE_CACHE, path.join(root, "dist", "cli", "code-cache.js"));
      fs.writeFileSync(path.join(root, "dist", "own.js"), "module.exports = (n) => n * 2;\n");
    }
    const inPackage = (root: string, script: string) =>
      node(script, path.join(root, "dist", "cli", "code-cache.js"));
    const file = path.join(built, "dist", "code-cache.bin");
    inPackage(
      built,
      `const write = cache.recordCodeCache();
       require(${JSON.stringify(path.join(built, "dist", "own.js"))})(1);
       write(${JSON.stringify(file)});
       console.log(JSON.stringify(counts));`,
    );
    fs.copyFileSync(file, path.join(installed, "dist", "code-cache.bin"));
    // WHEN the installed copy loads it
    const r = inPackage(
      installed,
      `cache.useCodeCache();
       const value = require(${JSON.stringify(path.join(installed, "dist", "own.js"))})(2);
       console.log(JSON.stringify({ ...counts, value }));`,
    );
    // THEN its cached code is taken
    expect(r).toEqual({ accepted: 1, rejected: 0, value: 4 });
  });

  it.each([
    ["is missing", (file: string) => fs.rmSync(file)],
    ["is not a cache", (file: string) => fs.writeFileSync(file, "not a code cache")],
    [
      "gives a header longer than the file",
      (file: string) => {
        const bytes = fs.readFileSync(file);
        bytes.writeUInt32LE(0xfffffff0, 0);
        fs.writeFileSync(file, bytes);
      },
    ],
    ["is cut short", (file: string) => fs.truncateSync(file, fs.statSync(file).size - 7)],
    [
      "has damaged code",
      (file: string) => {
        const bytes = fs.readFileSync(file);
        bytes[bytes.length - 9] ^= 0xff;
        fs.writeFileSync(file, bytes);
      },
    ],
    [
      "was recorded by another Node version",
      (file: string) => {
        const bytes = fs.readFileSync(file);
        const text = bytes
          .toString("latin1")
          .replace(process.version, "v0.0.00".padEnd(process.version.length, "0"));
        fs.writeFileSync(file, Buffer.from(text, "latin1"));
      },
    ],
  ])("compiles from source when the cache file %s", (_, spoil) => {
    // GIVEN a recorded module whose cache file is then spoiled
    const { module, file } = recorded();
    spoil(file);
    // WHEN it is loaded through the cache
    const r = load(module, file);
    // THEN the module still runs, compiled from its source
    expect(r).toEqual({ accepted: 0, rejected: 0, value: "first:2" });
  });

  it("leaves no scratch file when the cache cannot be written", () => {
    // GIVEN a cache to be written where a folder with content already is
    const dir = tmp();
    const file = path.join(dir, "code.cache");
    fs.mkdirSync(path.join(file, "taken"), { recursive: true });
    // WHEN the recording is written there
    const r = node(`
      const write = cache.recordCodeCache();
      let value = "written";
      try { write(${JSON.stringify(file)}); } catch (err) { value = err.code; }
      console.log(JSON.stringify({ ...counts, value }));
    `);
    // THEN the write fails and the folder holds only what was there before
    expect(r.value).not.toBe("written");
    expect(fs.readdirSync(dir)).toEqual(["code.cache"]);
  });

  it("is built with the CLI and taken by the modules validate loads", () => {
    // GIVEN the built CLI's cache
    const file = path.join(ROOT, "dist", "code-cache.bin");
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    // WHEN validate runs through it
    const r = node(`
      // Modules the cache passes on to Node's own compile: none are expected.
      const { Module } = require("module");
      const compile = Module.prototype._compile;
      const missed = [];
      Module.prototype._compile = function (content, filename, ...rest) {
        missed.push(filename);
        return compile.call(this, content, filename, ...rest);
      };
      cache.useCodeCache();
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = () => true;
      require(${JSON.stringify(path.join(ROOT, "dist", "cli", "main.js"))})
        .main(["validate", ${JSON.stringify(path.join(ROOT, "examples", "three-node.yaml"))}])
        .then((code) => write(JSON.stringify({ ...counts, value: { code, missed } })));
    `);
    // THEN every module it compiled came from the cache (zod, yaml, the spec and model code)
    expect(r.value).toEqual({ code: 0, missed: [] });
    expect(r.rejected).toBe(0);
    expect(r.accepted).toBeGreaterThan(100);
  });

  it("leaves the CLI's answers unchanged", () => {
    // GIVEN the built CLI, with and without its cache
    const example = path.join(ROOT, "examples", "three-node.yaml");
    const withCache = run(["validate", example, "--format", "json"]);
    const dir = tmp();
    const bare = path.join(dir, "bare.js");
    fs.writeFileSync(
      bare,
      `process.env.CHECKPOINT_DISABLE = "1";
       require(${JSON.stringify(path.join(ROOT, "dist", "cli", "main.js"))})
         .main(process.argv.slice(2)).then((code) => { process.exitCode = code; });`,
    );
    const without = spawnSync(process.execPath, [bare, "validate", example, "--format", "json"], {
      encoding: "utf8",
    });
    // THEN both answer the same
    expect(withCache.code).toBe(0);
    expect(withCache.stdout).toBe(without.stdout);
    expect(without.status).toBe(0);
  });
});
