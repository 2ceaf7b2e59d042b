#!/usr/bin/env node
// Records the V8 code cache the CLI starts from (dist/code-cache.bin; see cli/code-cache.ts):
// runs the everyday commands on a built-in example in this one process, so every module they
// load and every function they run is compiled once, then writes the compiled code.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
process.env.CHECKPOINT_DISABLE = "1";
const write = require(path.join(root, "dist", "cli", "code-cache.js")).recordCodeCache();
const { main } = require(path.join(root, "dist", "cli", "main.js"));

async function record() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "stackwright-code-cache-"));
  const example = path.join(root, "examples", "enterprise-reference.yaml");
  const out = path.join(work, "out");
  const runs = [
    ["--version"],
    ["validate", example],
    ["synth", example, "--out", out, "--quiet"],
    ["docs", example, "--out", path.join(work, "docs"), "--quiet"],
    ["check", example],
    [
      "proposal",
      example,
      "--price-book",
      path.join(root, "examples", "price-books", "standard.yaml"),
      "--out",
      path.join(work, "proposal"),
      "--quiet",
    ],
  ];
  // The commands' own output is not what this run is for.
  const stdout = process.stdout.write;
  process.stdout.write = () => true;
  try {
    for (const args of runs) {
      const code = await main(args);
      if (code !== 0) throw new Error(`stackwright ${args.join(" ")} exited ${code}`);
    }
  } finally {
    process.stdout.write = stdout;
    fs.rmSync(work, { recursive: true, force: true });
  }
  return write();
}

record().then(
  (count) => {
    if (process.argv.includes("--verbose")) console.log(`code cache: ${count} modules`);
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
