// Writes a snapshot of a synth's files (JSON: path -> content) with the built output writer, as
// synth does; the kill test interrupts it at random points.
"use strict";
const fs = require("fs");
const path = require("path");
const { writeOutputFolder } = require(path.join(__dirname, "..", "..", "dist", "cli", "output.js"));

const [out, snapshot] = process.argv.slice(2);
const files = new Map(Object.entries(JSON.parse(fs.readFileSync(snapshot, "utf8"))));
const { version } = require(path.join(__dirname, "..", "..", "package.json"));
void writeOutputFolder(out, files, { command: "synth", version });
