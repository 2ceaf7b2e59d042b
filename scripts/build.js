#!/usr/bin/env node
// Transpiles the TypeScript sources (and the generated bindings in .gen/) to dist/ with swc.
// Type checking is separate (`tsc --noEmit`), so this stays fast.
"use strict";
const fs = require("fs");
const path = require("path");
const swc = require("@swc/core");

const root = path.resolve(__dirname, "..");
const SOURCES = [
  "core",
  "spec",
  "model",
  "artifacts",
  "deployer",
  "proposal",
  "constructs",
  "blueprints",
  "synth",
  "documents",
  "policy",
  "cli",
  ".gen",
];
const options = JSON.parse(fs.readFileSync(path.join(root, ".swcrc"), "utf8"));
delete options.$schema;

/** Every file under a folder whose name `keep` accepts. */
function* filesUnder(dir, keep) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full, keep);
    else if (keep(entry.name)) yield full;
  }
}

/**
 * Every module a file imports values from, to be required on first use rather than at load:
 * a command then loads only what it runs (`--version` no cdktf, `validate` no Graphviz).
 * Imports for side effects and `export ... from` stay eager.
 */
function valueImports(source) {
  const specs = new Set();
  for (const m of source.matchAll(/^import\s+(?!type\s)[^"';]*?\sfrom\s+"([^"]+)"/gm))
    specs.add(m[1]);
  return [...specs];
}

const out = path.join(root, "dist");
const staging = `${out}.tmp`;
fs.rmSync(staging, { recursive: true, force: true });
let count = 0;
for (const dir of SOURCES) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) continue;
  for (const file of filesUnder(abs, (n) => n.endsWith(".ts") && !n.endsWith(".d.ts"))) {
    const rel = path.relative(root, file);
    const { code } = swc.transformFileSync(file, {
      ...options,
      module: { ...options.module, lazy: valueImports(fs.readFileSync(file, "utf8")) },
      filename: file,
      swcrc: false,
    });
    const dest = path.join(staging, rel.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, code);
    count++;
  }
}
// The built-in templates precompiled, keyed as documents/compiled-templates.ts looks them up.
const { precompileTemplate, sourceKey } = require(
  path.join(staging, "documents", "compiled-templates.js"),
);
const specs = [];
for (const file of [
  ...filesUnder(path.join(root, "templates"), (n) => n.endsWith(".hbs")),
].sort()) {
  const source = fs.readFileSync(file, "utf8");
  specs.push(`${JSON.stringify(sourceKey(source))}: ${precompileTemplate(source)}`);
}
fs.writeFileSync(
  path.join(staging, "documents", "precompiled-templates.js"),
  `"use strict";\nmodule.exports = {\n${specs.join(",\n")}\n};\n`,
);
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(staging, out);
// The compiled code the CLI starts from, recorded by running the built CLI (cli/code-cache.ts).
const recorded = require("child_process").spawnSync(
  process.execPath,
  [path.join(__dirname, "record-code-cache.js"), ...process.argv.slice(2)],
  { stdio: "inherit" },
);
if (recorded.status !== 0) {
  console.error("recording the code cache failed");
  process.exit(1);
}
if (process.argv.includes("--verbose")) console.log(`built ${count} files into dist/`);
