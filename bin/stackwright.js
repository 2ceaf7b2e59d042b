#!/usr/bin/env node
"use strict";
process.env.CHECKPOINT_DISABLE = "1";
const { main } = require("../dist/cli/main.js");
process.exitCode = main(process.argv.slice(2));
