#!/usr/bin/env node
"use strict";
// Benchmarks validate and synth over estates of growing size and prints a table: wall time, peak
// memory and resources per second, next to a baseline that writes the same resource set as plain
// JSON without cdktf, so cdktf's overhead shows as a ratio.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { estate } = require("./estate");

const root = path.resolve(__dirname, "..");
const bin = path.join(root, "bin", "stackwright.js");
const sizes = (process.env.BENCH_SIZES || "3x10,10x100,30x1000,30x1400")
  .split(",")
  .map((s) => s.split("x").map(Number))
  .map(([zones, tenants]) => ({ zones, tenants }));

function measure(args, cwd) {
  // GNU time reports the child's peak resident set size.
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  if (r.status !== 0) throw new Error(`stackwright ${args[0]} failed: ${r.stderr.slice(-2000)}`);
  const [secs, kb] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  return { secs, mb: kb / 1024 };
}

function baseline(outDir) {
  // The same resources, serialized without cdktf: one JSON object per resource, written per stack.
  const t0 = process.hrtime.bigint();
  let count = 0;
  for (const stack of fs.readdirSync(path.join(outDir, "terraform"))) {
    const file = path.join(outDir, "terraform", stack, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    const plain = {};
    for (const [type, items] of Object.entries(json.resource || {})) {
      plain[type] = {};
      for (const [name, body] of Object.entries(items)) {
        plain[type][name] = { ...body };
        count++;
      }
    }
    fs.writeFileSync(
      path.join(os.tmpdir(), `stackwright-baseline-${stack}.json`),
      JSON.stringify({ resource: plain }, null, 2),
    );
  }
  return { secs: Number(process.hrtime.bigint() - t0) / 1e9, count };
}

if (!fs.existsSync(path.join(root, "dist", "cli", "main.js"))) {
  console.error("run `npm run build` first");
  process.exit(1);
}
const rows = [];
for (const size of sizes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackwright-bench-"));
  const specFile = path.join(dir, "spec.json");
  fs.writeFileSync(specFile, JSON.stringify(estate(size)));
  const validate = measure(["validate", specFile], dir);
  const synth = measure(["synth", specFile, "--out", path.join(dir, "out"), "--quiet"], dir);
  const base = baseline(path.join(dir, "out"));
  rows.push({
    estate: `${size.zones} zones, ${size.tenants} tenants`,
    resources: base.count,
    validateS: validate.secs.toFixed(2),
    synthS: synth.secs.toFixed(2),
    peakMB: synth.mb.toFixed(0),
    resPerS: Math.round(base.count / synth.secs),
    baselineS: base.secs.toFixed(3),
    ratio: (synth.secs / Math.max(base.secs, 0.001)).toFixed(0),
  });
  fs.rmSync(dir, { recursive: true, force: true });
}
const headers = [
  "estate",
  "resources",
  "validateS",
  "synthS",
  "peakMB",
  "resPerS",
  "baselineS",
  "ratio",
];
const titles = [
  "Estate",
  "Resources",
  "validate (s)",
  "synth (s)",
  "synth peak (MB)",
  "resources/s",
  "plain JSON (s)",
  "synth / plain",
];
console.log(`| ${titles.join(" | ")} |`);
console.log(`| ${titles.map(() => "---").join(" | ")} |`);
for (const r of rows) console.log(`| ${headers.map((h) => r[h]).join(" | ")} |`);
console.log(
  `\nmachine: ${os.cpus().length} x ${os.cpus()[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
const largest = rows[rows.length - 1];
if (largest && (Number(largest.synthS) > 30 || Number(largest.peakMB) > 1536)) {
  console.log(
    `target missed for the largest estate: synth ${largest.synthS} s (target 30), ${largest.peakMB} MB (target 1536)`,
  );
  process.exitCode = 1;
}
