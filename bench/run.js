#!/usr/bin/env node
"use strict";
// Compares whole processes the way a user choosing Stackwright would: synth against a bare cdktf
// app declaring the same stacks and resources through the same bindings (generated from
// Stackwright's own output) and against writing the same JSON without cdktf; docs against
// synth; validate against parsing the same spec alone, as YAML and as JSON; --version against
// `node -e 0`. Runs are paired and repeated (BENCH_RUNS, default 3); the table shows medians
// and ratios.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { estate } = require("./estate");
const { bareApp, stackNames } = require("./bare-app");
const { stringify } = require("yaml");

const root = path.resolve(__dirname, "..");
const bin = path.join(root, "bin", "stackwright.js");
const runs = Math.max(1, Number(process.env.BENCH_RUNS || 3));
const sizes = (process.env.BENCH_SIZES || "3x10,10x100,30x1000,30x1400")
  .split(",")
  .map((s) => s.split("x").map(Number))
  .map(([zones, tenants]) => ({ zones, tenants }));

/** Wall seconds and peak resident MB of one process (GNU time). */
function measure(args, cwd) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, ...args], {
    cwd,
    encoding: "utf8",
    // Every measured process keeps its temporary files in the bench's folder, removed at the end.
    env: { ...process.env, CI: "1", TMPDIR: work },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr.slice(-2000)}`);
  const [secs, kb] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  return { secs, mb: kb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs each named command `runs` times, rotating the order every round; medians per name. */
function paired(commands) {
  const names = Object.keys(commands);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    const order = names.map((_, j) => names[(i + j) % names.length]);
    for (const n of order) samples[n].push(commands[n]());
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      { secs: median(samples[n].map((s) => s.secs)), mb: median(samples[n].map((s) => s.mb)) },
    ]),
  );
}

function resourceCount(outDir) {
  let count = 0;
  for (const stack of stackNames(outDir)) {
    const json = JSON.parse(
      fs.readFileSync(path.join(outDir, "terraform", stack, "cdk.tf.json"), "utf8"),
    );
    for (const items of Object.values(json.resource || {})) count += Object.keys(items).length;
  }
  return count;
}

/** A script that writes the same stacks as plain JSON, without cdktf. */
function plainWriter(outDir, target) {
  const stacks = stackNames(outDir).map((s) => [
    s,
    fs.readFileSync(path.join(outDir, "terraform", s, "cdk.tf.json"), "utf8"),
  ]);
  return [
    '"use strict";',
    'const fs = require("fs"); const path = require("path");',
    `const stacks = ${JSON.stringify(Object.fromEntries(stacks.map(([s, t]) => [s, JSON.parse(t)])))};`,
    "for (const [name, config] of Object.entries(stacks)) {",
    `  const dir = path.join(${JSON.stringify(target)}, name); fs.mkdirSync(dir, { recursive: true });`,
    '  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(config, null, 2));',
    "}",
    "",
  ].join("\n");
}

if (!fs.existsSync(path.join(root, "dist", "cli", "main.js"))) {
  console.error("run `npm run build` first");
  process.exit(1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "stackwright-bench-"));
const rows = [];
try {
  for (const size of sizes) {
    const dir = path.join(work, `${size.zones}x${size.tenants}`);
    fs.mkdirSync(dir);
    const spec = path.join(dir, "spec.json");
    fs.writeFileSync(spec, JSON.stringify(estate(size)));
    // The same spec as people write it: block YAML.
    const yamlSpec = path.join(dir, "spec.yaml");
    fs.writeFileSync(yamlSpec, stringify(estate(size), { lineWidth: 0 }));
    const out = path.join(dir, "out");
    const synthArgs = [bin, "synth", spec, "--out", out, "--quiet"];
    measure(synthArgs, dir); // the bare app and the plain writer are generated from this output
    fs.writeFileSync(path.join(dir, "bare.js"), bareApp(out, path.join(dir, "bare-out")));
    fs.writeFileSync(path.join(dir, "plain.js"), plainWriter(out, path.join(dir, "plain-out")));
    fs.writeFileSync(
      path.join(dir, "parse.js"),
      `JSON.parse(require("fs").readFileSync(${JSON.stringify(spec)}, "utf8"));\n`,
    );
    fs.writeFileSync(
      path.join(dir, "parse-yaml.js"),
      `require(${JSON.stringify(require.resolve("yaml"))}).parse(require("fs").readFileSync(${JSON.stringify(yamlSpec)}, "utf8"));\n`,
    );
    const m = paired(
      {
        synth: () => measure(synthArgs, dir),
        bare: () => measure([path.join(dir, "bare.js")], dir),
        plain: () => measure([path.join(dir, "plain.js")], dir),
        docs: () => measure([bin, "docs", spec, "--out", path.join(dir, "docs"), "--quiet"], dir),
        validate: () => measure([bin, "validate", spec], dir),
        parse: () => measure([path.join(dir, "parse.js")], dir),
        validateYaml: () => measure([bin, "validate", yamlSpec], dir),
        parseYaml: () => measure([path.join(dir, "parse-yaml.js")], dir),
      },
      dir,
    );
    rows.push({
      estate: `${size.zones} zones, ${size.tenants} tenants`,
      resources: resourceCount(out),
      ...m,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const start = paired(
    {
      version: () => measure([bin, "--version"], work),
      node: () => measure(["-e", "0"], work),
    },
    work,
  );

  const f = (x, d = 2) => x.toFixed(d);
  const table = (titles, lines) => {
    console.log(`| ${titles.join(" | ")} |`);
    console.log(`| ${titles.map(() => "---").join(" | ")} |`);
    for (const l of lines) console.log(`| ${l.join(" | ")} |`);
    console.log("");
  };
  table(
    [
      "Estate",
      "Resources",
      "synth (s)",
      "bare cdktf (s)",
      "synth / bare",
      "synth peak (MiB)",
      "bare peak (MiB)",
      "peak ratio",
      "plain JSON (s)",
      "docs (s)",
      "docs / synth",
    ],
    rows.map((r) => [
      r.estate,
      r.resources,
      f(r.synth.secs),
      f(r.bare.secs),
      f(r.synth.secs / r.bare.secs),
      f(r.synth.mb, 0),
      f(r.bare.mb, 0),
      f(r.synth.mb / r.bare.mb),
      f(r.plain.secs),
      f(r.docs.secs),
      f(r.docs.secs / r.synth.secs),
    ]),
  );
  table(
    [
      "Estate",
      "YAML: validate (s)",
      "yaml.parse only (s)",
      "ratio",
      "JSON: validate (s)",
      "JSON.parse only (s)",
      "ratio",
      "validate peak (MiB)",
    ],
    rows.map((r) => [
      r.estate,
      f(r.validateYaml.secs),
      f(r.parseYaml.secs),
      f(r.validateYaml.secs / r.parseYaml.secs),
      f(r.validate.secs),
      f(r.parse.secs),
      f(r.validate.secs / r.parse.secs),
      f(Math.max(r.validate.mb, r.validateYaml.mb), 0),
    ]),
  );
  table(
    ["Start-up", "stackwright --version (s)", "node -e 0 (s)", "ratio"],
    [
      [
        "median",
        f(start.version.secs),
        f(start.node.secs),
        f(start.version.secs / start.node.secs),
      ],
    ],
  );
  const steps = [];
  for (let i = 1; i < rows.length; i++) {
    const growth = rows[i].resources / rows[i - 1].resources;
    const cost = rows[i].synth.secs / rows[i - 1].synth.secs;
    steps.push(
      `${rows[i - 1].resources} -> ${rows[i].resources} resources: x${f(growth, 1)} work, x${f(cost, 1)} time`,
    );
  }
  console.log(steps.join("\n"));
  console.log(
    `\n${runs} paired runs per cell, medians; machine: ${os.cpus().length} x ${os.cpus()[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );

  const largest = rows[rows.length - 1];
  const missed = [];
  if (largest.synth.secs > 1.25 * largest.bare.secs) missed.push("synth wall > 1.25x bare cdktf");
  if (largest.synth.mb > 1.5 * largest.bare.mb) missed.push("synth peak > 1.5x bare cdktf");
  if (largest.docs.secs > 0.5 * largest.synth.secs) missed.push("docs > 0.5x synth");
  if (largest.validateYaml.secs > 2 * largest.parseYaml.secs)
    missed.push("validate of a YAML spec > 2x yaml.parse");
  if (largest.validate.secs > 2 * largest.parse.secs)
    missed.push("validate of a JSON spec > 2x JSON.parse");
  if (start.version.secs > 3 * start.node.secs) missed.push("--version > 3x node -e 0");
  for (let i = 1; i < rows.length; i++) {
    const growth = rows[i].resources / rows[i - 1].resources;
    if (
      rows[i].synth.secs / rows[i - 1].synth.secs > Math.max(growth, 1) * 1.0 + 1e-9 &&
      growth >= 10
    ) {
      missed.push(`synth grows faster than resources from ${rows[i - 1].resources}`);
    }
  }
  if (missed.length) {
    console.log(`targets missed: ${missed.join("; ")}`);
    process.exitCode = 1;
  } else {
    console.log("every target met");
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
