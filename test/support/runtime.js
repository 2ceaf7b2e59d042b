// Jest's runtime, but each module's code is compiled once per worker: a test file gets fresh
// module instances as before, and reuses the code V8 compiled (with the functions it compiled
// while the module ran) for the same source in an earlier test file of the worker. Compiling
// the same cdktf, zod and binding modules again for every file was about a third of the suite's
// CPU time. Falls back to Jest's own compile for what it does not handle.
"use strict";
const vm = require("vm");
const Runtime = require("jest-runtime").default;

/** filename -> the script compiled for it in this worker and the code it was compiled from */
const compiled = new Map();

class CompileOnceRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    if (typeof executor?.compile !== "function" || !executor.injectedModuleParameters) return;
    const jestCompile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      // Dynamic import needs Jest's module linker, which only its own compile sets up.
      if (context == null || /\bimport\s*\(/.test(source)) return jestCompile(source, filename);
      // The wrapper shares the first line, so only that line's columns shift.
      const code = `(function (${executor.injectedModuleParameters.join(",")}) {${source}\n})`;
      const previous = compiled.get(filename);
      const same = previous?.code === code;
      if (same) previous.data ??= previous.script.createCachedData();
      let script;
      try {
        script = new vm.Script(code, { filename, cachedData: same ? previous.data : undefined });
      } catch {
        // Jest's compile reports a syntax error with its own hints.
        return jestCompile(source, filename);
      }
      if (!same) compiled.set(filename, { code, script });
      return script.runInContext(context);
    };
  }
}

module.exports = CompileOnceRuntime;
