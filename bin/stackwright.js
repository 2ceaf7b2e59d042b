#!/usr/bin/env node
"use strict";
process.env.CHECKPOINT_DISABLE = "1";
// (--debug prints stack traces: compiled from source, their frames name this install's files)
if (!process.argv.includes("--debug")) require("../dist/cli/code-cache.js").useCodeCache();
const { main } = require("../dist/cli/main.js");
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
