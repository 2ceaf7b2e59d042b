#!/usr/bin/env node
// The static checks of `npm test`: type check, lint and format check, run at once (each is
// mostly one thread) and reported one after another; exits non-zero when any fails.
// The type check is TypeScript 7's native compiler (package typescript-native), called by path:
// typescript-eslint parses with the JavaScript TypeScript (package typescript), and both install
// a `tsc` command.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const CHECKS = [
  [
    "tsc --noEmit",
    process.execPath,
    // One thread: its checkers would share the cores with lint and the format check anyway
    // (same time, 4 CPU-s instead of 6).
    [
      path.join(root, "node_modules", "typescript-native", "bin", "tsc"),
      "--noEmit",
      "--singleThreaded",
    ],
  ],
  ["eslint .", bin("eslint"), ["."]],
  ["prettier --check .", bin("prettier"), ["--check", "."]],
];

function run([title, command, args]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const output = [];
    child.stdout.on("data", (d) => output.push(d));
    child.stderr.on("data", (d) => output.push(d));
    child.on("error", (err) => resolve({ title, code: 1, text: `${err.message}\n` }));
    child.on("close", (code, signal) =>
      resolve({ title, code: code ?? 1, text: Buffer.concat(output).toString(), signal }),
    );
  });
}

Promise.all(CHECKS.map(run)).then((results) => {
  for (const { title, code, text, signal } of results) {
    process.stdout.write(`\n> ${title}\n${text}`);
    if (code !== 0) process.stdout.write(`${title}: failed (${signal ?? `exit ${code}`})\n`);
  }
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
});
