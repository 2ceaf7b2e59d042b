#!/usr/bin/env node
// `prepare` for a clone (npm install, a git dependency, npm pack): generates the provider
// bindings and builds dist/. A packed package already holds dist/ and ships without the build
// scripts or their devDependencies, so there it does nothing.
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const root = path.resolve(__dirname, "..");
if (fs.existsSync(path.join(root, "scripts", "build.js"))) {
  const node = process.execPath;
  execFileSync(node, [path.join(root, "scripts", "get-providers.js")], { stdio: "inherit" });
  execFileSync(node, [path.join(root, "scripts", "build.js")], { stdio: "inherit" });
}
