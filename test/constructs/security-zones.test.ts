import "cdktf/lib/testing/adapters/jest";
import { Testing, TerraformStack } from "cdktf";
import { FwPolicyV2 } from "../../.gen/providers/openstack/fw-policy-v2";
import { FwRuleV2 } from "../../.gen/providers/openstack/fw-rule-v2";
import { NetworkingSecgroupRuleV2 } from "../../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSecgroupV2 } from "../../.gen/providers/openstack/networking-secgroup-v2";
import { SecurityZones } from "../../constructs/security-zones";
import { opensSensitivePortToWorld } from "../../model/security";
import { load, variant } from "../support/fixtures";

Testing.setupJest();

function synth(model: ReturnType<typeof load>["model"]) {
  const stack = new TerraformStack(Testing.app(), "test");
  new SecurityZones(stack, "sec", { model });
  return Testing.synth(stack);
}

describe("SecurityZones", () => {
  const model = load(variant((s) => (s.securityZones.userCidrs = ["192.0.2.0/24"]))).model;
  const out = synth(model);
  const rules = Object.values(
    JSON.parse(out).resource.openstack_networking_secgroup_rule_v2,
  ) as Record<string, unknown>[];

  test("creates the controllers group with rules from the port matrix", () => {
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupV2, { name: "sw-controllers" });
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: "10.9.100.0/24",
      description: "ssh from admin",
    });
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      protocol: "tcp",
      port_range_min: 5000,
      remote_ip_prefix: "192.0.2.0/24",
      description: "keystone from users",
    });
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      protocol: "vrrp",
      remote_group_id: expect.stringContaining("openstack_networking_secgroup_v2"),
    });
  });

  test("compute reaches the APIs from the API network and tunnels on the tunnel network", () => {
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      port_range_min: 8778,
      remote_ip_prefix: "10.0.1.0/24",
    });
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      protocol: "udp",
      port_range_min: 4789,
      remote_ip_prefix: "10.0.2.0/24",
    });
  });

  test("never leaves a source empty or opens a sensitive port to the internet", () => {
    for (const r of rules) {
      expect(Boolean(r.remote_ip_prefix) !== Boolean(r.remote_group_id)).toBe(true);
      expect(typeof r.description).toBe("string");
    }
    const world = load(variant(() => undefined)).model; // userCidrs default to 0.0.0.0/0
    for (const g of world.securityGroups)
      for (const r of g.rules) expect(opensSensitivePortToWorld(r)).toBe(false);
    const open = rules.filter((r) => r.remote_ip_prefix === "0.0.0.0/0");
    expect(open).toEqual([]);
  });

  test("adds FWaaS v2 policies when the firewall is enabled", () => {
    const fw = synth(load(variant((s) => (s.securityZones.firewall = true))).model);
    expect(fw).toHaveResourceWithProperties(FwRuleV2, {
      action: "allow",
      protocol: "tcp",
      source_ip_address: "10.9.100.0/24",
      destination_port: "22",
      ip_version: 4,
    });
    expect(fw).toHaveResourceWithProperties(FwPolicyV2, {
      name: "sw-fw-inside-ingress",
      audited: true,
    });
    expect(out).not.toHaveResource(FwPolicyV2);
  });
});
