#!/usr/bin/env node
"use strict";
// Hostile specs (most at the 16 MiB size limit): each must be taken or refused (exit 0 or 2)
// within seconds. Prints one row per shape; exits 1 when a shape misses the target or crashes.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = path.join(root, "bin", "stackwright.js");
const LIMIT = 16 * 1024 * 1024;
const TARGET_S = 10;

/** Repeats `unit` until the text is exactly `LIMIT` bytes, after `head` and before `tail`. */
function fill(head, unit, tail = "") {
  const room = LIMIT - head.length - tail.length;
  const body = unit.repeat(Math.floor(room / unit.length));
  return head + body + " ".repeat(room - body.length) + tail;
}

const shapes = {
  "100,000+ keys in one map": () => {
    let s = "version: 1\nmetadata:\n";
    for (let i = 0; s.length < LIMIT - 40; i++) s += `  k${i}: ${i}\n`;
    return s.padEnd(LIMIT, " ");
  },
  // Unknown keys near the spec's, whose hints weigh edits against every known key.
  "99,000 unknown keys of 60 characters": () => {
    let s = "version: 1\nmetadata:\n";
    for (let i = 0; s.length < LIMIT - 80 && i < 99000; i++)
      s += `  customerNam${"e".repeat(48)}${i}: x\n`;
    return s.padEnd(LIMIT, " ");
  },
  "one 16 MiB quoted string": () => fill('version: 1\nmetadata: { customer: "', "x", '" }\n'),
  "99,000 lines of long values": () => {
    const line = (i) => `  k${i}: ${"y".repeat(160)}\n`;
    let s = "version: 1\nmetadata:\n";
    for (let i = 0; i < 99000 && s.length < LIMIT - 200; i++) s += line(i);
    return s.padEnd(LIMIT, "#");
  },
  "deep flow nesting": () => fill("a: ", "[", ""),
  "deep block nesting": () => {
    let s = "";
    for (let i = 0; s.length < LIMIT / 4; i++) s += `${" ".repeat(i % 4000)}a${i}:\n`;
    return s;
  },
  "old Mac line endings": () => fill("version: 1\r", "# comment\r"),
  "16 MiB + 1 byte": () => `${fill("version: 1\n", "#")}\n`,
  // Text the URL-credential and number-token checks scan: long runs without a match.
  "one long scheme-like run": () => fill('$schema: "', "a", ':/"\nversion: 1\n'),
  "URL after URL, no space": () => fill('$schema: "', "a://", 'u:p@h"\nversion: 1\n'),
  "one long run of digits": () => fill('$schema: "', "1", 'e"\nversion: 1\n'),
  "a long backend address": () =>
    fill('version: 1\noutput: { backend: { type: http, address: "https://', "a", ' x" } }\n'),
  // Swift's zone advice lays the ring out once per zone count it weighs.
  "10,000 Swift storage nodes": () =>
    fs
      .readFileSync(path.join(root, "examples", "enterprise-reference.yaml"), "utf8")
      .replace(/^ {4}storageNodes: \d+$/m, "    storageNodes: 10000"),
};

if (!fs.existsSync(path.join(root, "dist", "cli", "main.js"))) {
  console.error("run `npm run build` first");
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackwright-parse-bench-"));
console.log("| Shape | bytes | exit | CPU s | wall s | first error line |");
console.log("| --- | --- | --- | --- | --- | --- |");
let failed = false;
for (const [name, make] of Object.entries(shapes)) {
  const file = path.join(dir, "spec.yaml");
  fs.writeFileSync(file, make());
  // GNU time reports the child's CPU seconds, which a busy machine does not inflate.
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%e %U %S", process.execPath, bin, "validate", file],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const lines = r.stderr.trim().split("\n");
  const [wall, user, sys] = lines.pop().split(" ").map(Number);
  const secs = user + sys;
  const status = Number(/Command exited with non-zero status (\d+)/.exec(r.stderr)?.[1] ?? 0);
  const line = (lines.find((l) => /\[[a-z-]+\]$/.test(l)) || "").replace(dir, "");
  console.log(
    `| ${name} | ${fs.statSync(file).size} | ${status} | ${secs.toFixed(2)} | ${wall.toFixed(2)} | ${line.slice(0, 90)} |`,
  );
  if ((status !== 0 && status !== 2) || secs > TARGET_S) failed = true;
}
fs.rmSync(dir, { recursive: true, force: true });
if (failed) {
  console.log(
    `target missed: every shape must be taken or refused (exit 0 or 2) within ${TARGET_S} CPU seconds`,
  );
  process.exitCode = 1;
}
