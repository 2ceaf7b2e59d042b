#!/usr/bin/env node
// Generates the L1 OpenStack bindings in .gen/ from the committed provider schema,
// offline, so installs never need Terraform or network access.
"use strict";
process.env.CHECKPOINT_DISABLE = "1";
// @cdktf/commons probes `terraform version` at import; generation needs no terraform binary.
process.env.TERRAFORM_BINARY_NAME = "stackwright-generation-needs-no-terraform";

const fs = require("fs");
const path = require("path");
const { CodeMaker } = require("codemaker");
const {
  ConstructsMakerProviderTarget,
  TerraformProviderConstraint,
  Language,
} = require("@cdktf/commons");
// The package index pulls in jsii-pacmak; the generator module alone does not.
const {
  TerraformProviderGenerator,
} = require("@cdktf/provider-generator/lib/get/generator/provider-generator");

const root = path.resolve(__dirname, "..");
const cdktfConfig = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));

async function main() {
  const outdir = path.join(root, cdktfConfig.codeMakerOutput);
  const staging = `${outdir}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  for (const spec of cdktfConfig.terraformProviders) {
    const constraint = new TerraformProviderConstraint(spec);
    const schemaFile = path.join(root, "providers", constraint.name, "schema.json");
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    const code = new CodeMaker();
    const generator = new TerraformProviderGenerator(code, schema);
    generator.generate(new ConstructsMakerProviderTarget(constraint, Language.TYPESCRIPT));
    await generator.save(staging);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(staging, outdir);
}

main().catch((err) => {
  console.error(`provider generation failed: ${err.message}`);
  process.exitCode = 1;
});
