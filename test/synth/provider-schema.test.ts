import * as fs from "fs";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile } from "../../spec/load";
import { synthesizeTerraform } from "../../synth/app";
import { schemaProblems } from "../support/provider-schema";

const examples = fs
  .readdirSync(path.join(__dirname, "..", "..", "examples"))
  .filter((f) => f.endsWith(".yaml"));

describe.each(examples)("example %s", (file) => {
  const loaded = loadSpecFile(path.join("examples", file));
  const blueprint = findBlueprint(loaded.model.blueprint);
  const stacks = blueprint ? synthesizeTerraform(blueprint, loaded.model, "json") : [];

  test("synthesizes with its blueprint", () => {
    expect(blueprint).toBeDefined();
    expect(stacks.length).toBeGreaterThan(0);
  });

  test("uses only attributes of terraform-provider-openstack v3.4.0, typed right, required ones set", () => {
    for (const stack of stacks) expect(schemaProblems(JSON.parse(stack.content))).toEqual([]);
  });

  test("pins Terraform and the provider, and keeps credentials out", () => {
    for (const stack of stacks) {
      const json = JSON.parse(stack.content);
      expect(json.terraform.required_providers.openstack).toEqual({
        source: "terraform-provider-openstack/openstack",
        version: "~> 3.4",
      });
      expect(json.terraform.required_version).toBe(">= 1.6.0");
      expect(Object.keys(json.provider.openstack[0]).sort()).toEqual(["cloud", "region"]);
    }
  });
});

test("the schema check catches unknown, mistyped and missing attributes", () => {
  const problems = schemaProblems({
    resource: {
      openstack_compute_flavor_v2: { f: { name: "x", vcpus: "2", ram: 1024, colour: "red" } },
      openstack_compute_secgroup_v2: { s: {} },
    },
  });
  expect(problems).toEqual([
    'openstack_compute_flavor_v2.f.vcpus: "2" is not "number"',
    "openstack_compute_flavor_v2.f.colour is not an attribute of the provider schema",
    "openstack_compute_flavor_v2.f.disk is required",
    "openstack_compute_secgroup_v2 is not a resource of provider v3.4.0",
  ]);
});
