/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
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
  testTimeout: 120000,
  // The Go/wasm runtime behind the HCL tools keeps a timer alive after the last test.
  forceExit: true,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
