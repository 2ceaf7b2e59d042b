// Jest's runtime, but each module's code is compiled once per worker: a test file gets fresh
// module instances as before, and reuses the code V8 compiled (with the functions it compiled
// while the module ran) for the same source in an earlier test file of the worker. Compiling
// the same cdktf, zod and binding modules again for every file took about 7 % of the suite's
// in-process CPU time. Falls back to Jest's own compile for what it does not handle.
"use strict";
const vm = require("vm");

// Graphviz and the HCL formatter (both wasm) run for well under a second per test: V8's
// background recompiles of their hot functions (TurboFan) cost more CPU than they save, ~6 CPU-s
// of the suite. Wasm computes the same on either tier; the CLI's own processes keep V8's default.
require("v8").setFlagsFromString("--liftoff-only");
const Runtime = require("jest-runtime").default;

/** filename -> the source last compiled for it in this worker, and its script */
const compiled = new Map();

class CompileOnceRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    if (typeof executor?.compile !== "function" || !executor.injectedModuleParameters) return;
    const jestCompile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null) return jestCompile(source, filename);
      const previous = compiled.get(filename);
      if (previous?.source === source) {
        if (!previous.script) return jestCompile(source, filename);
        previous.data ??= previous.script.createCachedData();
        return new vm.Script(previous.code, { filename, cachedData: previous.data }).runInContext(
          context,
        );
      }
      // Dynamic import needs Jest's module linker, which only its own compile sets up.
      if (/\bimport\s*\(/.test(source)) {
        compiled.set(filename, { source });
        return jestCompile(source, filename);
      }
      // The wrapper shares the first line, so only that line's columns shift.
      const code = `(function (${executor.injectedModuleParameters.join(",")}) {${source}\n})`;
      let script;
      try {
        script = new vm.Script(code, { filename });
      } catch {
        // Jest's compile reports a syntax error with its own hints.
        return jestCompile(source, filename);
      }
      compiled.set(filename, { source, code, script });
      return script.runInContext(context);
    };
  }
}

module.exports = CompileOnceRuntime;
