#!/usr/bin/env node
"use strict";
process.env.CHECKPOINT_DISABLE = "1";
require("../dist/cli/code-cache.js").useCodeCache();
const { main } = require("../dist/cli/main.js");
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
