import * as fs from "fs";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile } from "../../model/load";
import { synthesizeTerraform } from "../../synth/app";
import { schemaProblems } from "../support/provider-schema";
import { synthesized } from "../support/synth-cache";

const examples = fs
  .readdirSync(path.join(__dirname, "..", "..", "examples"))
  .filter((f) => f.endsWith(".yaml"));

describe.each(examples)("example %s", (file) => {
  const loaded = loadSpecFile(path.join("examples", file));
  const blueprint = findBlueprint(loaded.model.blueprint);
  let stacks: Awaited<ReturnType<typeof synthesizeTerraform>> = [];
  beforeAll(async () => {
    if (blueprint) stacks = await synthesized(blueprint, loaded.model, "json");
  });

  test("synthesizes with its blueprint", () => {
    expect(blueprint).toBeDefined();
    expect(stacks.length).toBeGreaterThan(0);
  });

  test("uses only attributes of terraform-provider-openstack v3.4.0, typed right, required ones set", () => {
    for (const stack of stacks) expect(schemaProblems(JSON.parse(stack.content))).toEqual([]);
  });

  test("opens no sensitive port to the internet and leaves no rule without a source", () => {
    const sensitive = [
      22, 3389, 3306, 5432, 5672, 25672, 4369, 11211, 4567, 4444, 4568, 6789, 3300, 16509,
    ];
    for (const stack of stacks) {
      const rules = Object.values(
        JSON.parse(stack.content).resource?.openstack_networking_secgroup_rule_v2 ?? {},
      ) as Record<string, any>[];
      for (const r of rules) {
        expect(r.remote_ip_prefix !== undefined || r.remote_group_id !== undefined).toBe(true);
        if (r.direction === "ingress" && ["0.0.0.0/0", "::/0"].includes(r.remote_ip_prefix)) {
          expect(r.port_range_min).toBeDefined();
          for (const p of sensitive)
            expect(p >= r.port_range_min && p <= r.port_range_max).toBe(false);
        }
      }
    }
  });

  test("routes no management or storage subnet to the outside", () => {
    const isolated = new Set(loaded.model.networks.filter((n) => !n.routable).map((n) => n.name));
    for (const stack of stacks) {
      const json = JSON.parse(stack.content);
      const subnets = json.resource?.openstack_networking_subnet_v2 ?? {};
      const isolatedIds = Object.entries(subnets)
        .filter(([, v]: [string, any]) =>
          isolated.has(
            String(v.name)
              .replace(`${loaded.model.naming.prefix}-`, "")
              .replace(/-subnet$/, ""),
          ),
        )
        .map(([k]) => `\${openstack_networking_subnet_v2.${k}.id}`);
      const interfaces = Object.values(
        json.resource?.openstack_networking_router_interface_v2 ?? {},
      ) as { subnet_id?: string }[];
      for (const i of interfaces) expect(isolatedIds).not.toContain(i.subnet_id);
    }
  });

  test("pins Terraform and the provider, and keeps credentials out", () => {
    for (const stack of stacks) {
      const json = JSON.parse(stack.content);
      expect(json.terraform.required_providers.openstack).toEqual({
        source: "terraform-provider-openstack/openstack",
        version: "~> 3.4",
      });
      expect(json.terraform.required_version).toBe(">= 1.10.0");
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
