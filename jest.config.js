const os = require("os");

/** @type {import('jest').Config} */
module.exports = {
  // Node's, removing the temporary folders each test file made once it is done.
  testEnvironment: "<rootDir>/test/support/environment.js",
  // Jest's default (cores - 1) runs a 2-core machine's tests one file at a time in one process,
  // leaving a core idle whenever a test waits on a CLI it spawned: use at least two workers.
  maxWorkers: Math.max(2, os.cpus().length - 1),
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Graphviz-as-wasm ships only as an ES module: let swc turn it into CommonJS for jest.
  transformIgnorePatterns: ["/node_modules/(?!@hpcc-js/)"],
  transform: {
    "^.+/node_modules/@hpcc-js/.+\\.js$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "ecmascript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022", keepClassNames: true },
        module: { type: "commonjs" },
      },
    ],
  },
  // The built-in templates as the build precompiled them (keyed by their source's hash, so an
  // edited template still compiles from source), instead of compiling them in every test file.
  moduleNameMapper: {
    "^\\./precompiled-templates\\.js$": "<rootDir>/dist/documents/precompiled-templates.js",
  },
  // A folder for the run: test files share the synth of a design (test/support/synth-cache.ts).
  globalSetup: "<rootDir>/test/support/global-setup.js",
  globalTeardown: "<rootDir>/test/support/global-teardown.js",
  // Compiles each module once per worker instead of once per test file.
  runtime: "<rootDir>/test/support/runtime.js",
  testTimeout: 120000,
  // The Go/wasm runtime behind the HCL tools keeps a timer alive after the last test.
  forceExit: true,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
