import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./cli";
import { tempDir } from "./temp";

// The suite's own Jest runtime and environment (jest.config.js), run on test files made here.

const COUNTER =
  "let count = 0;\nexports.next = () => ++count;\nexports.file = () => globalThis.testFile;\n";

/** Two test files that each take a number from the same module and note a temp folder. */
function project(): { dir: string; folders: string } {
  const dir = tempDir("sw-jest-");
  const folders = path.join(dir, "folders.txt");
  fs.writeFileSync(path.join(dir, "counter.js"), COUNTER);
  for (const name of ["a", "b"]) {
    fs.writeFileSync(
      path.join(dir, `${name}.test.js`),
      `const fs = require("fs");
       globalThis.testFile = "${name}";
       const counter = require("./counter");
       test("${name} gets a fresh module in its own context", () => {
         const folder = fs.mkdtempSync(require("path").join(${JSON.stringify(dir)}, "made-"));
         (globalThis[Symbol.for("stackwright.test.tempDirs")] ??= []).push(folder);
         fs.appendFileSync(${JSON.stringify(folders)}, folder + "\\n");
         expect(counter.next()).toBe(1);
         expect(counter.file()).toBe("${name}");
       });`,
    );
  }
  fs.writeFileSync(
    path.join(dir, "jest.config.js"),
    `module.exports = ${JSON.stringify({
      rootDir: dir,
      testEnvironment: path.join(ROOT, "test", "support", "environment.js"),
      runtime: path.join(ROOT, "test", "support", "runtime.js"),
      transform: {},
      cacheDirectory: path.join(dir, "cache"),
    })};`,
  );
  return { dir, folders };
}

test("test files of one worker share compiled code but not module state or globals, and their temp folders go", () => {
  // GIVEN two test files that load the same module in one worker
  const { dir, folders } = project();
  // WHEN Jest runs them with the suite's runtime and environment
  const r = spawnSync(
    process.execPath,
    [require.resolve("jest/bin/jest"), "--config", path.join(dir, "jest.config.js"), "--runInBand"],
    { cwd: dir, encoding: "utf8" },
  );
  // THEN each file counts from 1 and sees its own globals (its own instance of the module)
  expect(r.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
  expect(r.status).toBe(0);
  // AND each file's registered temp folder is gone once the file is done
  const made = fs.readFileSync(folders, "utf8").trim().split("\n");
  expect(made).toHaveLength(2);
  for (const folder of made) expect(fs.existsSync(folder)).toBe(false);
});
