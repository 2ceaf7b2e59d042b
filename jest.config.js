/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
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
