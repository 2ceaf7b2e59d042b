#!/usr/bin/env node
// Every stack of every example through real Terraform core (init, validate, apply, and a second
// plan that must find nothing to change), with the test stand-in for terraform-provider-openstack:
// test/synth/terraform-core.test.ts in its whole mode. The suite runs a covering subset.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
if (terraform.status !== 0) {
  process.stderr.write("terraform-core: needs Terraform (>= 1.10) on the PATH\n");
  process.exit(2);
}
const jest = spawnSync(
  process.execPath,
  [require.resolve("jest/bin/jest"), "--runTestsByPath", "test/synth/terraform-core.test.ts"],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, STACKWRIGHT_TERRAFORM_CORE: "all" },
  },
);
process.exit(jest.status ?? 1);
