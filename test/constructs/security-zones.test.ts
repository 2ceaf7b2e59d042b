import "cdktf/lib/testing/adapters/jest";
import { Testing, TerraformStack } from "cdktf";
import { FwPolicyV2 } from "../../.gen/providers/openstack/fw-policy-v2";
import { FwRuleV2 } from "../../.gen/providers/openstack/fw-rule-v2";
import { NetworkingSecgroupRuleV2 } from "../../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSecgroupV2 } from "../../.gen/providers/openstack/networking-secgroup-v2";
import { SecurityZones } from "../../constructs/security-zones";
import { opensSensitivePortToWorld } from "../../model/security";
import { load, variant } from "../support/fixtures";
import { testApp } from "../support/synth";
import { withLegacyFlows } from "../support/legacy";
import * as path from "path";
import { loadSpecFile } from "../../model/load";
import { ROOT } from "../support/blueprints";

Testing.setupJest();

function synth(model: ReturnType<typeof load>["model"]) {
  const stack = new TerraformStack(testApp(), "test");
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
      port_range_min: 8780,
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
      // The CIDR as written in the name operators see, not as escaped for a construct id.
      name: "sw-fw-admin-ssh-10.9.100.0/24",
      action: "allow",
      protocol: "tcp",
      source_ip_address: "10.9.100.0/24",
      destination_port: "22",
      ip_version: 4,
    });
    expect(fw).not.toMatch(/%2F/);
    expect(fw).toHaveResourceWithProperties(FwPolicyV2, { name: "sw-fw-inside-ingress" });
    expect(out).not.toHaveResource(FwPolicyV2);
  });

  test("leaves the policies' audited flag to the auditor", () => {
    // GIVEN neutron-fwaas resets `audited` on any policy update that does not send it
    // WHEN
    const fw = synth(load(variant((s) => (s.securityZones.firewall = true))).model);
    // THEN no policy sets it, so a change of rules converges in one apply
    const policies = Object.values(JSON.parse(fw).resource.openstack_fw_policy_v2) as Record<
      string,
      unknown
    >[];
    expect(policies).toHaveLength(2);
    for (const p of policies) expect(p).not.toHaveProperty("audited");
  });

  test("writes rule sources as Neutron stores them, so the ForceNew rules stay put", () => {
    // GIVEN an admin network written in capitals with leading and zero groups spelled out
    const m = load(
      variant((s) => {
        s.securityZones.adminCidrs = ["2001:0DB8:0009:0000::/64"];
        s.securityZones.firewall = true;
      }),
    ).model;
    // WHEN
    const fw = synth(m);
    // THEN
    expect(fw).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      ethertype: "IPv6",
      port_range_min: 22,
      remote_ip_prefix: "2001:db8:9::/64",
    });
    expect(fw).toHaveResourceWithProperties(FwRuleV2, {
      destination_port: "22",
      ip_version: 6,
      source_ip_address: "2001:db8:9::/64",
    });
  });

  test("lets IPv6 out as well as IPv4 when the firewall is enabled", () => {
    // WHEN
    const fw = synth(load(variant((s) => (s.securityZones.firewall = true))).model);
    // THEN
    expect(fw).toHaveResourceWithProperties(FwRuleV2, {
      name: "sw-fw-egress-all-ipv6",
      action: "allow",
      protocol: "any",
      ip_version: 6,
    });
    const policies = Object.values(JSON.parse(fw).resource.openstack_fw_policy_v2) as {
      name: string;
      rules: string[];
    }[];
    expect(policies.find((p) => p.name === "sw-fw-inside-egress")?.rules).toHaveLength(2);
  });

  test("keeps flow a-b to system c apart from flow a to system b-c", () => {
    // GIVEN flow and system names that join to the same text with '-'
    const m = load(
      variant((s) => {
        s.securityZones.firewall = true;
        s.network.networks.push({
          name: "unix",
          role: "provider",
          cidr: "10.0.9.0/24",
          vlan: 30,
          physicalNetwork: "physnet-ext",
        });
        s.legacyUnix = {
          network: "unix",
          subnets: ["192.168.9.0/24"],
          nextHop: "10.0.9.254",
          systems: [
            { name: "c", architecture: "ppc64", os: "AIX", address: "192.168.9.10" },
            { name: "b-c", architecture: "ppc64", os: "AIX", address: "192.168.9.11" },
          ],
          flows: [
            { name: "a-b", port: 1414, direction: "from-legacy", systems: ["c"] },
            { name: "a", port: 8443, direction: "from-legacy", systems: ["b-c"] },
          ],
        };
      }),
    ).model;
    // WHEN
    const fw = JSON.parse(synth(m));
    // THEN
    const legacy = (Object.values(fw.resource.openstack_fw_rule_v2) as Record<string, unknown>[])
      .filter((r) => String(r.name).startsWith("sw-fw-legacy-"))
      .map((r) => [r.source_ip_address, r.destination_port]);
    expect(legacy.sort()).toEqual([
      ["192.168.9.10/32", "1414"],
      ["192.168.9.11/32", "8443"],
    ]);
  });

  test("fails at once when a rule opens a sensitive port to the internet", () => {
    // GIVEN a model whose port matrix was bent after resolution
    const open = {
      ...model,
      securityGroups: model.securityGroups.map((g) => ({
        ...g,
        rules: [
          ...g.rules,
          {
            direction: "ingress" as const,
            ethertype: "IPv4" as const,
            protocol: "tcp" as const,
            portMin: 22,
            portMax: 22,
            remoteIpPrefix: "0.0.0.0/0",
            description: "ssh from anywhere",
          },
        ],
      })),
    };
    // WHEN / THEN: synthesis skips construct validation, so the constructor must throw
    expect(() => synth(open)).toThrow(
      'security group controllers: rule "ssh from anywhere" has an open or empty source',
    );
  });
});

test("reordering admin networks keeps the firewall rules' Terraform addresses", () => {
  const ids = (cidrs: string[]) =>
    Object.keys(
      JSON.parse(
        synth(
          load(
            variant((s) => {
              s.securityZones.firewall = true;
              s.securityZones.adminCidrs = cidrs;
            }),
          ).model,
        ),
      ).resource.openstack_fw_rule_v2,
    ).sort();
  expect(ids(["10.9.100.0/24", "10.9.101.0/24"])).toEqual(ids(["10.9.101.0/24", "10.9.100.0/24"]));
});

describe("each tenant router's own outside-to-inside policy", () => {
  // GIVEN a flow from the legacy systems for pool app only, one open to every pool, a tenant on
  // app with a bastion of its own, one on web whose SSH source is the admin network
  const m = load(
    variant((s) => {
      s.securityZones.firewall = true;
      withLegacyFlows(s, [
        {
          name: "callback",
          port: 8443,
          direction: "from-legacy",
          systems: ["aix-a"],
          pools: ["app"],
        },
        { name: "mq", port: 1414, direction: "from-legacy", systems: ["aix-a"] },
      ]);
      s.tenants = [
        {
          name: "apps",
          pool: "app",
          network: { cidr: "10.40.1.0/24" },
          sshCidrs: ["10.1.200.9/24"],
        },
        {
          name: "webs",
          pool: "web",
          network: { cidr: "10.40.2.0/24" },
          sshCidrs: ["10.9.100.0/24"],
        },
        { name: "nonet", pool: "web" },
      ];
    }),
  ).model;
  const firewall = m.securityZones.firewall!;
  const admin = ["admin-ssh-10.9.100.0%2F24", "admin-icmp-10.9.100.0%2F24"];
  const users = ["users-http-0.0.0.0%2F0", "users-https-0.0.0.0%2F0"];

  test("holds the platform's rules but the legacy flows of other pools and admin networks its group keeps out, then the tenant's own SSH sources", () => {
    const keys = (rules: readonly { key: string }[]) => rules.map((r) => r.key);
    const [callback, mq] = keys(firewall.ingress).filter((k) => k.startsWith("legacy-"));
    // THEN apps lets in the callback, and SSH and ICMP from its bastion (as Neutron stores it)
    const [apps, webs] = firewall.tenantPolicies;
    expect(apps.tenant).toBe("apps");
    // (no admin SSH or ICMP: its base group admits them from its own sources alone)
    expect(apps.platformRules).toEqual([...users, callback, mq]);
    expect(apps.ownRules.map((r) => [r.name, r.sourceIpAddress, r.destinationPort])).toEqual([
      ["ssh-10.1.200.0/24", "10.1.200.0/24", 22],
      ["ssh-10.1.200.0/24".replace("ssh", "icmp"), "10.1.200.0/24", undefined],
    ]);
    // AND web's tenant no callback, and no rule of its own: the admin network's allow as much
    expect(webs).toEqual({
      tenant: "webs",
      platformRules: [...admin, ...users, mq],
      ownRules: [],
      publishes: false,
    });
    // AND a tenant without a network has no router, so no policy
    expect(firewall.tenantPolicies).toHaveLength(2);
  });

  test("the platform's policy holds every platform rule, for routers outside the design", () => {
    const fw = JSON.parse(synth(m)).resource;
    const policies = Object.values(fw.openstack_fw_policy_v2) as {
      name: string;
      rules: string[];
    }[];
    expect(policies.map((p) => p.name).sort()).toEqual([
      "sw-fw-inside-egress",
      "sw-fw-inside-ingress",
    ]);
    expect(policies.find((p) => p.name === "sw-fw-inside-ingress")?.rules).toHaveLength(
      firewall.ingress.length,
    );
    expect(firewall.ingress).toHaveLength(admin.length + users.length + 2);
  });
});

test("SSH to the controllers from the deployment host is from its address, not its network", () => {
  // GIVEN a design with a deployment host of its own (enterprise-reference)
  const { model } = loadSpecFile(path.join(ROOT, "examples", "enterprise-reference.yaml"));
  const deployer = model.nodes.find((n) => n.role === "deployer")!;
  const ssh = model.securityGroups
    .find((g) => g.name === "controllers")!
    .rules.filter((r) => r.portMin === 22);
  // THEN the port matrix's row allows that one host, as the matrix says, and the admin networks
  expect(ssh.map((r) => [r.remoteIpPrefix, r.description])).toEqual([
    ["10.1.100.0/24", "ssh from admin"],
    [`${deployer.addresses.mgmt}/32`, "ssh from deployer"],
  ]);
});
