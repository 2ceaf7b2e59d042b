import "cdktf/lib/testing/adapters/jest";
import { Testing, TerraformStack } from "cdktf";
import { BlockstorageQuotasetV3 } from "../../.gen/providers/openstack/blockstorage-quotaset-v3";
import { ComputeFlavorAccessV2 } from "../../.gen/providers/openstack/compute-flavor-access-v2";
import { ComputeKeypairV2 } from "../../.gen/providers/openstack/compute-keypair-v2";
import { ComputeQuotasetV2 } from "../../.gen/providers/openstack/compute-quotaset-v2";
import { FwGroupV2 } from "../../.gen/providers/openstack/fw-group-v2";
import { FwPolicyV2 } from "../../.gen/providers/openstack/fw-policy-v2";
import { FwRuleV2 } from "../../.gen/providers/openstack/fw-rule-v2";
import { IdentityProjectV3 } from "../../.gen/providers/openstack/identity-project-v3";
import { IdentityRoleAssignmentV3 } from "../../.gen/providers/openstack/identity-role-assignment-v3";
import { NetworkingNetworkV2 } from "../../.gen/providers/openstack/networking-network-v2";
import { NetworkingQuotaV2 } from "../../.gen/providers/openstack/networking-quota-v2";
import { NetworkingRouterV2 } from "../../.gen/providers/openstack/networking-router-v2";
import { NetworkingSecgroupRuleV2 } from "../../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSubnetV2 } from "../../.gen/providers/openstack/networking-subnet-v2";
import { Tenant } from "../../constructs/tenant";
import { CORE_SERVICES, load, variant } from "../support/fixtures";
import { sshSource, tenantBaseRules } from "../../model/resolve";
import { testApp } from "../support/synth";

Testing.setupJest();

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ5Xc0vTq7Yb2l8lP3b2k5m6n7o8p9q0r1s2t3u4v5 ops@example";

const model = load(
  variant((s) => {
    s.tenants = [
      {
        name: "Team A",
        quota: {
          instances: 10,
          cores: 20,
          ramGiB: 40,
          volumes: 5,
          volumeGiB: 500,
          floatingIps: 2,
          perVolumeType: { "rbd-ssd": { volumes: 2, gigabytes: 200 } },
        },
        groups: [{ name: "team-a-ops", role: "member" }],
        network: { cidr: "172.30.1.0/24" },
        sshCidrs: ["10.9.100.0/24"],
        keyPairs: [{ name: "ops", publicKey: KEY }],
        flavors: ["private-4"],
      },
      { name: "Team B", id: "team-b", quota: { cores: 8 } },
    ];
    s.zones[0].pools[0].flavors = [{ name: "private-4", vcpus: 4, ramGiB: 8, public: false }];
    s.controlPlane.services = [...CORE_SERVICES, "cinder"];
    s.storage = {
      ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
      backends: [{ name: "rbd-ssd", kind: "ceph", volumeType: "fast" }],
    };
  }),
).model;

function synth(index: number, extra: Partial<ConstructorParameters<typeof Tenant>[2]> = {}) {
  const stack = new TerraformStack(testApp(), "t");
  new Tenant(stack, model.tenants[index].id, {
    tenant: model.tenants[index],
    namingPrefix: "sw",
    externalNetworkId: "ext-net-id",
    flavors: { "private-4": { id: "flavor-id", public: false } },
    ...extra,
  });
  return Testing.synth(stack);
}

describe("Tenant", () => {
  const a = synth(0, {
    firewall: {
      policy: {
        tenant: "team-a",
        platformRules: ["admin-ssh"],
        ownRules: [
          {
            key: "ssh-bastion",
            name: "ssh-10.1.200.0/24",
            description: "SSH from tenant source 10.1.200.0/24",
            action: "allow",
            protocol: "tcp",
            ipVersion: 4,
            sourceIpAddress: "10.1.200.0/24",
            destinationPort: 22,
          },
        ],
        publishes: false,
      },
      platformRuleIds: ["platform-rule-id"],
      egressPolicyId: "out-id",
    },
  });

  test("leaves room in Nova's server group quotas for a pool's instances in one group", () => {
    // GIVEN a tenant allowed 40 instances, in a pool that offers an anti-affinity group
    const m = load(
      variant((s) => {
        s.zones[0].pools[0].serverGroups = [{ name: "spread", policy: "anti-affinity" }];
        s.tenants = [{ name: "big", pool: "web", quota: { instances: 40 } }];
      }),
    ).model;
    // THEN Nova's default of 10 members per group is raised to the 40 instances it may put there
    expect(m.tenants[0].quota).toMatchObject({ serverGroups: 10, serverGroupMembers: 40 });
    const stack = new TerraformStack(testApp(), "big");
    new Tenant(stack, "big", { tenant: m.tenants[0], namingPrefix: "sw", externalNetworkId: "x" });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(ComputeQuotasetV2, {
      instances: 40,
      server_groups: 10,
      server_group_members: 40,
    });
  });

  test("creates what the model counts against its Neutron quota", () => {
    // GIVEN Team A: a network, one SSH source
    const json = JSON.parse(a);
    const count = (type: string) => Object.keys(json.resource[type] ?? {}).length;
    // THEN the stack's networks, subnets, routers, groups and rules are the model's usage, less
    // what Neutron makes itself (the default group and its 4 rules, 2 egress rules per new group)
    expect(model.tenants[0].stackUsage).toEqual({
      networks: count("openstack_networking_network_v2"),
      subnets: count("openstack_networking_subnet_v2"),
      routers: count("openstack_networking_router_v2"),
      securityGroups: count("openstack_networking_secgroup_v2") + 1,
      securityGroupRules: count("openstack_networking_secgroup_rule_v2") + 4 + 2,
    });
  });

  test("creates the project with its quotas", () => {
    expect(a).toHaveResourceWithProperties(IdentityProjectV3, {
      name: "Team A",
      enabled: true,
    });
    expect(a).toHaveResourceWithProperties(ComputeQuotasetV2, {
      instances: 10,
      cores: 20,
      ram: 40960,
    });
    expect(a).toHaveResourceWithProperties(BlockstorageQuotasetV3, {
      volumes: 5,
      gigabytes: 500,
      volume_type_quota: { volumes_fast: "2", gigabytes_fast: "200" },
      // a backup of each volume: Cinder's defaults (10 backups, 1000 GB) say nothing of the design
      backups: 5,
      backup_gigabytes: 500,
    });
    expect(a).toHaveResourceWithProperties(NetworkingQuotaV2, { floatingip: 2, network: 5 });
  });

  test("leaves a port for every instance the compute quota allows", () => {
    // GIVEN a tenant allowed 200 instances and no port quota of its own
    const big = load(
      variant((s) => (s.tenants = [{ name: "Big", quota: { instances: 200, cores: 400 } }])),
    ).model.tenants[0];
    // WHEN
    const stack = new TerraformStack(testApp(), "t");
    new Tenant(stack, big.id, { tenant: big, namingPrefix: "sw" });
    // THEN 200 instance ports, 4 per subnet (router interface, DHCP), 1 per network, 1 per LB VIP
    expect(Testing.synth(stack)).toHaveResourceWithProperties(NetworkingQuotaV2, {
      port: 200 + 4 * 10 + 5 + 2,
    });
    // and a small tenant keeps the default
    expect(a).toHaveResourceWithProperties(NetworkingQuotaV2, { port: 100 });
  });

  test("routes its network to the external network with the overlay MTU", () => {
    expect(a).toHaveResourceWithProperties(NetworkingNetworkV2, {
      name: "sw-team-a-net",
      mtu: 8950,
    });
    expect(a).toHaveResourceWithProperties(NetworkingSubnetV2, {
      cidr: "172.30.1.0/24",
      gateway_ip: "172.30.1.1",
    });
    expect(a).toHaveResourceWithProperties(NetworkingRouterV2, {
      external_network_id: "ext-net-id",
    });
    // AND the router's own ingress policy: the platform's rule, then its own, in its project
    expect(a).toHaveResourceWithProperties(FwRuleV2, {
      name: "sw-team-a-fw-ssh-10.1.200.0/24",
      source_ip_address: "10.1.200.0/24",
      destination_port: "22",
      tenant_id: "${openstack_identity_project_v3.team-a_F3D9FF27.id}",
    });
    expect(a).toHaveResourceWithProperties(FwPolicyV2, {
      name: "sw-team-a-fw-ingress",
      rules: [
        "platform-rule-id",
        "${openstack_fw_rule_v2.team-a_firewall-rule-ssh-bastion_C549E2DA.id}",
      ],
      tenant_id: "${openstack_identity_project_v3.team-a_F3D9FF27.id}",
    });
    expect(a).toHaveResourceWithProperties(FwGroupV2, {
      ingress_firewall_policy_id: "${openstack_fw_policy_v2.team-a_firewall-ingress_0253EB63.id}",
      egress_firewall_policy_id: "out-id",
    });
  });

  test("opens SSH only from the declared networks", () => {
    expect(a).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      protocol: "tcp",
      port_range_min: 22,
      remote_ip_prefix: "10.9.100.0/24",
    });
    const rules = Object.values(
      JSON.parse(a).resource.openstack_networking_secgroup_rule_v2,
    ) as Record<string, unknown>[];
    for (const r of rules)
      expect(Boolean(r.remote_ip_prefix) !== Boolean(r.remote_group_id)).toBe(true);
  });

  test("maps directory groups to roles and shares private flavors", () => {
    expect(a).toHaveResourceWithProperties(IdentityRoleAssignmentV3, {
      group_id: expect.stringContaining("data.openstack_identity_group_v3"),
      role_id: expect.stringContaining("data.openstack_identity_role_v3"),
      project_id: expect.stringContaining("openstack_identity_project_v3"),
    });
    expect(a).toHaveResourceWithProperties(ComputeFlavorAccessV2, { flavor_id: "flavor-id" });
    expect(a).toHaveResourceWithProperties(ComputeKeypairV2, { name: "ops", public_key: KEY });
  });

  test("uses the default quotas for what the spec leaves out", () => {
    const b = synth(1);
    expect(b).toHaveResourceWithProperties(ComputeQuotasetV2, {
      cores: 8,
      instances: 20,
      ram: 80 * 1024,
    });
    expect(b).not.toHaveResource(NetworkingNetworkV2);
  });

  test("fails when a network has no external network for its router", () => {
    const stack = new TerraformStack(testApp(), "t");
    expect(() => new Tenant(stack, "x", { tenant: model.tenants[0], namingPrefix: "sw" })).toThrow(
      "tenant team-a has a network but no external network was given for its router",
    );
  });
});

describe("Tenant edge cases", () => {
  const edge = load(
    variant((s) => {
      s.network.dnsServers = ["10.9.0.53", "2001:db8::53"];
      s.tenants = [
        {
          name: "Six",
          network: { cidr: "2001:db8:1::/64" },
          groups: [
            { name: "a", role: "b-c" },
            { name: "a-b", role: "c" },
          ],
        },
      ];
    }),
  ).model;
  const tenant = edge.tenants[0];
  // (the tenant with other SSH sources, its base rules made from them as the model makes them)
  const withSsh = (sources: readonly string[]) => {
    const ssh = sources.map(sshSource);
    return { ...tenant, ssh, baseRules: tenantBaseRules(ssh, tenant.baseGroupOpen) };
  };
  const synthTenant = (
    t = tenant,
    extra: Partial<ConstructorParameters<typeof Tenant>[2]> = {},
  ) => {
    const stack = new TerraformStack(testApp(), "t");
    new Tenant(stack, t.id, { tenant: t, namingPrefix: "sw", externalNetworkId: "ext", ...extra });
    return Testing.synth(stack);
  };

  test("gives an IPv6 subnet SLAAC and only the IPv6 DNS servers", () => {
    // WHEN
    const json = synthTenant();
    // THEN
    expect(json).toHaveResourceWithProperties(NetworkingSubnetV2, {
      cidr: "2001:db8:1::/64",
      ip_version: 6,
      ipv6_address_mode: "slaac",
      ipv6_ra_mode: "slaac",
      dns_nameservers: ["2001:db8::53"],
    });
  });

  test("writes the subnet CIDR as Neutron stores it, so the subnet is not replaced", () => {
    // GIVEN the tenant block in capitals and with a zero group spelled out
    const m = load(
      variant((s) => (s.tenants = [{ name: "Six", network: { cidr: "2001:DB8:1:0::/64" } }])),
    ).model;
    // WHEN
    const json = synthTenant(m.tenants[0]);
    // THEN cidr is ForceNew in provider 3.4 and Neutron returns netaddr's compact lower case
    expect(json).toHaveResourceWithProperties(NetworkingSubnetV2, {
      cidr: "2001:db8:1::/64",
      gateway_ip: "2001:db8:1::1",
    });
  });

  test("keeps group a-b as role c apart from group a as role b-c", () => {
    // GIVEN group names and roles that join to the same text with '-'
    expect(tenant.groups.map((g) => [g.name, g.role])).toEqual([
      ["a", "b-c"],
      ["a-b", "c"],
    ]);
    // WHEN
    const json = JSON.parse(synthTenant());
    // THEN
    expect(Object.keys(json.resource.openstack_identity_role_assignment_v3)).toHaveLength(2);
  });

  test("SSH rules carry the block as Neutron stores it, so a plan compares equal", () => {
    // GIVEN sources written in long IPv6 form, upper case, and with host bits
    const written = ["2001:0DB8:0009::/48", "10.9.100.5/24"];
    // WHEN
    const json = JSON.parse(synthTenant(withSsh(written)));
    // THEN the rules hold netaddr's form (network address, short lower-case IPv6)
    const rules = Object.values(json.resource.openstack_networking_secgroup_rule_v2) as {
      protocol?: string;
      remote_ip_prefix?: string;
      ethertype: string;
    }[];
    expect(
      rules
        .filter((r) => r.protocol !== undefined)
        .map((r) => [r.protocol, r.remote_ip_prefix, r.ethertype])
        .sort(),
    ).toEqual([
      ["icmp", "10.9.100.0/24", "IPv4"],
      ["ipv6-icmp", "2001:db8:9::/48", "IPv6"],
      ["tcp", "10.9.100.0/24", "IPv4"],
      ["tcp", "2001:db8:9::/48", "IPv6"],
    ]);
  });

  test("SSH rules read the same however their block is spelt, so a respelling changes nothing", () => {
    // GIVEN one block spelt with host bits, then as its network address
    const rules = (source: string) =>
      JSON.parse(synthTenant(withSsh([source]))).resource.openstack_networking_secgroup_rule_v2;
    // WHEN both are synthesized THEN the rules, their addresses and descriptions are the same
    expect(rules("10.9.100.5/24")).toEqual(rules("10.9.100.0/24"));
    expect(rules("2001:0DB8:0009::/48")).toEqual(rules("2001:db8:9::/48"));
  });

  test("fails when a key pair is listed twice", () => {
    const key = { name: "ops", publicKey: KEY };
    expect(() => synthTenant({ ...tenant, keyPairs: [key, key] })).toThrow(
      'tenant six lists key pair "ops" twice; list it once',
    );
  });

  test("fails when an SSH CIDR is listed twice in another case", () => {
    expect(() => synthTenant(withSsh(["2001:db8:9::/48", "2001:0DB8:9::/48"]))).toThrow(
      'tenant six lists SSH CIDR "2001:0DB8:9::/48" twice; list it once',
    );
  });

  test("fails when a volume type is named by its backend and by its type", () => {
    const gold = { id: "gold-id", public: false };
    expect(() =>
      synthTenant(
        { ...tenant, volumeTypes: ["gold", "Gold"] },
        { volumeTypes: { gold, Gold: gold } },
      ),
    ).toThrow("tenant six names volume type Gold and gold, which are the same volume type");
  });
});
