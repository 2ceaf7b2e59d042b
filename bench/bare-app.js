"use strict";
// Writes a bare cdktf app that declares exactly the stacks and resources of a Stackwright output
// folder through the same generated bindings: what a team writing the same Terraform by hand
// with cdktf would run. Resource bodies become literal props; references stay literal strings.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const schema = JSON.parse(
  fs.readFileSync(path.join(root, "providers", "openstack", "schema.json"), "utf8"),
);
const provider = Object.values(schema.provider_schemas)[0];

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (s) => camel(s).replace(/^./, (c) => c.toUpperCase());

/** Terraform JSON attributes to binding props, following the schema's blocks. */
function props(body, block) {
  const out = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "//" || key === "depends_on" || key === "provider") continue;
    if (key === "lifecycle") {
      out.lifecycle = Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), v]));
      continue;
    }
    const nested = block?.block_types?.[key];
    if (nested) {
      const convert = (v) => props(v, nested.block);
      out[camel(key)] = Array.isArray(value) ? value.map(convert) : convert(value);
    } else {
      out[camel(key)] = value;
    }
  }
  return out;
}

function bindingOf(kind, type) {
  const bare = type.replace(/^openstack_/, "");
  const dir =
    kind === "data" ? `data-openstack-${bare.replace(/_/g, "-")}` : bare.replace(/_/g, "-");
  const cls = kind === "data" ? `DataOpenstack${pascal(bare)}` : pascal(bare);
  return { dir, cls };
}

/** The stacks of a synth output folder: the folders under terraform/ (beside files such as addresses.json). */
function stackNames(outDir) {
  const stacksDir = path.join(outDir, "terraform");
  return fs
    .readdirSync(stacksDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(stacksDir, e.name, "cdk.tf.json")))
    .map((e) => e.name)
    .sort();
}

/** The app's source for the output folder `outDir`; it synthesizes into `synthDir`. */
function bareApp(outDir, synthDir) {
  const gen = path.join(root, "dist", ".gen", "providers", "openstack");
  const requires = new Map();
  const body = [];
  const use = (kind, type) => {
    const { dir, cls } = bindingOf(kind, type);
    const file = path.join(gen, dir, "index.js");
    if (!requires.has(file)) requires.set(file, `b${requires.size}`);
    return `${requires.get(file)}.${cls}`;
  };
  const stacksDir = path.join(outDir, "terraform");
  for (const stack of stackNames(outDir)) {
    const config = JSON.parse(fs.readFileSync(path.join(stacksDir, stack, "cdk.tf.json"), "utf8"));
    body.push(`{ const s = new cdktf.TerraformStack(app, ${JSON.stringify(stack)});`);
    const openstack = config.provider?.openstack?.[0] ?? {};
    body.push(
      `new (require(${JSON.stringify(path.join(gen, "provider", "index.js"))}).OpenstackProvider)(s, "openstack", ${JSON.stringify(props(openstack))});`,
    );
    const local = config.terraform?.backend?.local;
    if (local) body.push(`new cdktf.LocalBackend(s, ${JSON.stringify(local)});`);
    for (const [name, v] of Object.entries(config.variable ?? {})) {
      body.push(
        `new cdktf.TerraformVariable(s, ${JSON.stringify(name)}, ${JSON.stringify(props(v))});`,
      );
    }
    for (const kind of ["resource", "data"]) {
      for (const [type, items] of Object.entries(config[kind] ?? {})) {
        if (!type.startsWith("openstack_")) continue;
        const block =
          provider[kind === "data" ? "data_source_schemas" : "resource_schemas"][type]?.block;
        const cls = use(kind, type);
        for (const [name, item] of Object.entries(items)) {
          body.push(
            `new ${cls}(s, ${JSON.stringify(`${type}.${name}`)}, ${JSON.stringify(props(item, block))});`,
          );
        }
      }
    }
    for (const [name, v] of Object.entries(config.output ?? {})) {
      body.push(
        `new cdktf.TerraformOutput(s, ${JSON.stringify(name)}, ${JSON.stringify(props(v))});`,
      );
    }
    body.push("}");
  }
  return [
    '"use strict";',
    `const cdktf = require(${JSON.stringify(require.resolve("cdktf", { paths: [root] }))});`,
    ...[...requires].map(([file, v]) => `const ${v} = require(${JSON.stringify(file)});`),
    `const app = new cdktf.App({ outdir: ${JSON.stringify(synthDir)}, skipValidation: true, context: { excludeStackIdFromLogicalIds: true, allowSepCharsInLogicalIds: true } });`,
    ...body,
    "app.synth();",
    "",
  ].join("\n");
}

module.exports = { bareApp, stackNames };
