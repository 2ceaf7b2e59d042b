// Jest's Node environment, removing the temporary folders a test file made (test/support/temp.ts)
// once the file is done: after its own afterAll hooks, which may still use them.
"use strict";
const fs = require("fs");
const path = require("path");
const { TestEnvironment } = require("jest-environment-node");

const TEMP_DIRS = Symbol.for("stackwright.test.tempDirs");

/**
 * Removes a folder, first making writable what a test made read-only. A folder that cannot be
 * removed is reported, not failed: the tests have passed or failed already.
 */
function remove(dir) {
  const rm = () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  try {
    rm();
  } catch {
    try {
      const writable = (d) => {
        fs.chmodSync(d, 0o700);
        for (const e of fs.readdirSync(d, { withFileTypes: true }))
          if (e.isDirectory()) writable(path.join(d, e.name));
      };
      writable(dir);
      rm();
    } catch (err) {
      process.stderr.write(`could not remove the test folder ${dir}: ${err.message}\n`);
    }
  }
}

class TestEnvironmentWithTempDirs extends TestEnvironment {
  async setup() {
    await super.setup();
    this.global[TEMP_DIRS] = [];
  }

  async teardown() {
    for (const dir of this.global?.[TEMP_DIRS] ?? []) remove(dir);
    await super.teardown();
  }
}

module.exports = TestEnvironmentWithTempDirs;
