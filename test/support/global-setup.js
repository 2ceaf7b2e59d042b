// Jest's global setup: a folder for the whole run (test/support/synth-cache.ts), named to the
// workers through the environment they inherit; global-teardown.js removes it.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async () => {
  process.env.STACKWRIGHT_TEST_RUN_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), "sw-test-run-"));
};
