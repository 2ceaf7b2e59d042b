import { parse } from "yaml";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import {
  ROOT,
  SEED_BLUEPRINTS,
  synthesizeExample,
  type SynthesizedExample,
} from "../support/blueprints";
import {
  CORE_SERVICES,
  adDirectory,
  cephCluster,
  erasureCodedStorage,
  issuesOf,
  ldapDomainRoles,
  load,
  variant,
  swiftCluster,
} from "../support/fixtures";
import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { synthesizeTerraform } from "../../synth/app";
import { jsonToHcl } from "../../synth/hcl";
import { terraformName, uniqueTerraformNames } from "../../core/terraform-names";
import { tempDir } from "../support/temp";
import { findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile } from "../../model/load";

/** Every `type.name` address of a stack's resources and data sources. */
function addresses(stack: any): string[] {
  const out: string[] = [];
  for (const [type, items] of Object.entries(stack.resource ?? {}))
    for (const name of Object.keys(items as object)) out.push(`${type}.${name}`);
  for (const [type, items] of Object.entries(stack.data ?? {}))
    for (const name of Object.keys(items as object)) out.push(`data.${type}.${name}`);
  return out.sort();
}

const resources = (stack: any, type: string): [string, any][] =>
  Object.entries(stack.resource?.[type] ?? {});

describe("every example", () => {
  const examples: Record<string, SynthesizedExample> = {};
  beforeAll(async () => {
    for (const name of SEED_BLUEPRINTS) examples[name] = await synthesizeExample(name);
  }, 120_000);

  test("has no resource address with a hash suffix, only valid Terraform identifiers", () => {
    for (const [name, example] of Object.entries(examples))
      for (const stack of Object.values(example.stacks))
        for (const address of addresses(stack)) {
          const last = address.split(".").pop() as string;
          expect([name, last]).toEqual([name, expect.stringMatching(/^[a-z_][a-z0-9_]*$/)]);
          expect([name, address]).not.toEqual([name, expect.stringMatching(/_[0-9A-F]{8}$/)]);
          expect([name, address]).not.toEqual([name, expect.stringMatching(/[0-9a-f]{12}/)]);
        }
  });

  test("describes every output, and marks none sensitive (they are plain ids)", () => {
    for (const example of Object.values(examples))
      for (const stack of Object.values(example.stacks))
        for (const [name, output] of Object.entries<any>(stack.output ?? {})) {
          expect([name, typeof output.description]).toEqual([name, "string"]);
          expect(output.description.length).toBeGreaterThan(10);
          expect([name, output.sensitive]).toEqual([name, undefined]);
        }
  });

  test("reads through remote state only outputs its source stack declares", () => {
    let reads = 0;
    for (const example of Object.values(examples))
      for (const [stackName, stack] of Object.entries<any>(example.stacks)) {
        const text = JSON.stringify(stack);
        for (const m of text.matchAll(
          /data\.terraform_remote_state\.([a-z0-9_]+)\.outputs\.([a-z0-9_]+)/g,
        )) {
          expect(stack.data.terraform_remote_state[m[1]]).toBeDefined();
          const from = Object.keys(example.stacks).find((s) => terraformName([s]) === m[1]) ?? "";
          expect([stackName, from, m[2], Boolean(example.stacks[from]?.output?.[m[2]])]).toEqual([
            stackName,
            from,
            m[2],
            true,
          ]);
          reads++;
        }
      }
    expect(reads).toBeGreaterThan(0);
  });

  test("protects projects and domains from destroy", () => {
    for (const example of Object.values(examples))
      for (const stack of Object.values(example.stacks))
        for (const [, project] of resources(stack, "openstack_identity_project_v3"))
          expect(project.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("shares the admin project's FWaaS policies and their rules with the tenant firewall groups", () => {
    let groups = 0;
    for (const example of Object.values(examples)) {
      const platform = example.stacks.platform;
      for (const type of ["openstack_fw_policy_v2", "openstack_fw_rule_v2"])
        for (const [name, r] of resources(platform, type))
          expect([name, r.shared]).toEqual([name, true]);
      for (const stack of Object.values(example.stacks))
        for (const [name, group] of resources(stack, "openstack_fw_group_v2")) {
          groups++;
          // (the provider learns the group's id only once the L3 agent has it active)
          expect([name, group.timeouts]).toEqual([name, { create: "30m", update: "30m" }]);
        }
    }
    expect(groups).toBeGreaterThan(0);
  });
});

describe("apply-time defects", () => {
  let example: SynthesizedExample;
  beforeAll(async () => {
    example = await synthesizeExample("enterprise-reference");
  });

  test("the VPN site connection waits for the router interface of its subnet", () => {
    const platform = example.stacks.platform;
    const [[ifaceName]] = resources(platform, "openstack_networking_router_interface_v2");
    const [[, connection]] = resources(platform, "openstack_vpnaas_site_connection_v2");
    expect(connection.depends_on).toContain(
      `openstack_networking_router_interface_v2.${ifaceName}`,
    );
  });

  test("the legacy router waits for the external subnet its VPN service takes its address from", () => {
    const platform = example.stacks.platform;
    const external = example.loaded.model.networks.find((n) => n.external);
    const [[subnetAddress]] = resources(platform, "openstack_networking_subnet_v2").filter(
      ([, sn]) => sn.cidr === external?.cidr,
    );
    const [[, router]] = resources(platform, "openstack_networking_router_v2").filter(
      ([, r]) => r.enable_snat === false,
    );
    // Neutron leaves a gateway port made before the subnet without an address, and the VPN
    // service records the router's external address once, when it is created.
    expect(router.depends_on).toEqual([`openstack_networking_subnet_v2.${subnetAddress}`]);
    expect(resources(platform, "openstack_vpnaas_service_v2")).toHaveLength(1);
    // AND the address Neutron gives it, which the remote site peers with, is an output
    const [[service]] = resources(platform, "openstack_vpnaas_service_v2");
    expect(platform.output.legacy_vpn_local_address.value).toBe(
      `\${openstack_vpnaas_service_v2.${service}.external_v4_ip}`,
    );
  });

  test("the legacy host routes' next hop lies outside the bridge subnet's DHCP pool", () => {
    const platform = example.stacks.platform;
    const [[, route]] = resources(platform, "openstack_networking_subnet_route_v2");
    expect(route.next_hop).toBe("10.20.50.254");
    const bridge = resources(platform, "openstack_networking_subnet_v2").find(
      ([, s]) => s.cidr === "10.20.50.0/24",
    )?.[1];
    expect(bridge.allocation_pool).toEqual([{ start: "10.20.50.11", end: "10.20.50.253" }]);
    const net = example.loaded.model.networks.find((n) => n.name === "unix-bridge");
    expect(net?.reservations).toContainEqual({
      address: "10.20.50.254",
      purpose: "legacyUnix.nextHop",
      kind: "legacy-next-hop",
    });
  });

  test("tenant subnets inside the default subnet pool are allocated from it", () => {
    const tenant = example.stacks["tenant-core-banking"];
    const [[, subnet]] = resources(tenant, "openstack_networking_subnet_v2");
    expect(subnet.subnetpool_id).toBe(
      "${data.terraform_remote_state.platform.outputs.tenant_subnet_pool_id}",
    );
    expect(example.stacks.platform.output.tenant_subnet_pool_id.value).toBe(
      "${openstack_networking_subnetpool_v2.cloud_network_tenant_pool.id}",
    );
    // AND a pool added to (or removed from) a running cloud replaces no subnet: Neutron cannot
    // change a subnet's pool, and the provider's replacement fails while instances use it
    let tenantSubnets = 0;
    for (const [stack, s] of Object.entries<any>(example.stacks))
      for (const [name, sn] of stack === "platform"
        ? []
        : resources(s, "openstack_networking_subnet_v2")) {
        tenantSubnets++;
        expect([name, sn.lifecycle?.ignore_changes]).toEqual([name, ["subnetpool_id"]]);
      }
    expect(tenantSubnets).toBeGreaterThan(1);
  });

  test("per-volume-type quotas ignore Cinder's extra keys and are replaced when the spec changes them", () => {
    const tenant = example.stacks["tenant-retail-banking"];
    const [[, quota]] = resources(tenant, "openstack_blockstorage_quotaset_v3");
    expect(quota.volume_type_quota).toEqual({
      volumes_standard: "120",
      gigabytes_standard: "20000",
    });
    // A bare address: Terraform reads JSON `replace_triggered_by` entries as references, and
    // rejects cdktf's "${terraform_data...}" with "Invalid character".
    expect(quota.lifecycle).toEqual({
      ignore_changes: ["volume_type_quota"],
      replace_triggered_by: ["terraform_data.retail_banking_volume_type_quota"],
    });
    expect(tenant.resource.terraform_data.retail_banking_volume_type_quota.input).toEqual(
      quota.volume_type_quota,
    );
  });

  test("a per-volume-type limit dropped from the spec is set back to unlimited, not left in force", () => {
    // GIVEN two volume types, a tenant limiting one of them, then the same tenant limiting none
    const quotaOf = (perVolumeType?: object) =>
      load(
        variant((s) => {
          s.storage = {
            backends: [
              { name: "lvm-a", kind: "lvm", volumeType: "standard", deviceClass: "hdd" },
              { name: "lvm-b", kind: "lvm", volumeType: "archive", deviceClass: "ssd" },
            ],
          };
          s.tenants = [
            { name: "t", quota: { volumeGiB: 500, ...(perVolumeType ? { perVolumeType } : {}) } },
          ];
        }),
      ).model.tenants[0].quota.perVolumeType;
    // THEN every type of the design has both limits, Cinder's -1 where none is set: the
    // provider never clears a key it stops declaring, and the quota set is replaced (created
    // with these values) when they change
    expect(quotaOf({ standard: { gigabytes: 100 } })).toEqual({
      archive: { volumes: -1, gigabytes: -1 },
      standard: { volumes: -1, gigabytes: 100 },
    });
    expect(quotaOf()).toEqual({
      archive: { volumes: -1, gigabytes: -1 },
      standard: { volumes: -1, gigabytes: -1 },
    });
  });

  test("placement is never opened to users", async () => {
    const m = load(variant(() => undefined)).model;
    expect(m.ports.filter((p) => p.service === "placement").map((p) => p.from)).not.toContain(
      "users",
    );
    const [platform] = await synthesizeTerraform(enterpriseReference, m, "json");
    const rules = Object.values<any>(
      JSON.parse(platform.content).resource.openstack_networking_secgroup_rule_v2,
    ).filter((r) => r.port_range_min === 8780);
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.remote_ip_prefix).not.toBe("0.0.0.0/0");
  });

  test("no Cinder quota set is written when the cloud runs no Cinder", async () => {
    const m = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES];
        s.tenants = [{ name: "a" }];
      }),
    ).model;
    const stacks = await synthesizeTerraform(enterpriseReference, m, "json");
    const tenant = JSON.parse(stacks[1].content);
    expect(tenant.resource.openstack_blockstorage_quotaset_v3).toBeUndefined();
    expect(tenant.resource.openstack_compute_quotaset_v2).toBeDefined();
  });

  test("no stack looks a group up in a domain it makes: Keystone reads the directory only after a restart", async () => {
    // GIVEN an LDAP domain with roles on the whole domain and on a tenant's project
    const model = ldapDomainRoles();
    // WHEN
    const stacks = Object.fromEntries(
      (await synthesizeTerraform(enterpriseReference, model, "json")).map((st) => [
        st.name,
        JSON.parse(st.content),
      ]),
    );
    // THEN the platform makes the domain and looks no group up
    expect(resources(stacks.platform, "openstack_identity_project_v3")).toContainEqual([
      expect.any(String),
      expect.objectContaining({ name: "corp", is_domain: true }),
    ]);
    expect(stacks.platform.data?.openstack_identity_group_v3).toBeUndefined();
    expect(resources(stacks.platform, "openstack_identity_role_assignment_v3")).toEqual([]);
    // AND no stack reads a group from a domain of its own
    for (const [name, stack] of Object.entries<any>(stacks))
      for (const [, g] of Object.entries<any>(stack.data?.openstack_identity_group_v3 ?? {}))
        expect([name, g.domain_id]).not.toEqual([
          name,
          expect.stringContaining("openstack_identity_project_v3."),
        ]);
    // AND the role on the whole domain is in the domain-roles stack, on the platform's domain id
    const roles = stacks["domain-roles"];
    const [[address, assignment]] = resources(roles, "openstack_identity_role_assignment_v3");
    // (the address it had in the platform stack, so state-moves.sh carries an applied one over)
    expect(address).toBe("cloud_identity_domain_corp_group_cloud_admins_admin_domain");
    expect(assignment.domain_id).toBe(
      "${data.terraform_remote_state.platform.outputs.domain_corp_id}",
    );
    expect(Object.values<any>(roles.data.openstack_identity_group_v3)).toEqual([
      expect.objectContaining({ name: "cloud-admins", domain_id: assignment.domain_id }),
    ]);
    expect(stacks.platform.output.domain_corp_id.value).toBe(
      "${openstack_identity_project_v3.cloud_identity_domain_corp.id}",
    );
  });
});

describe("groups Keystone keeps itself", () => {
  test("the platform makes them beside their domain; the stacks with their roles look them up", async () => {
    // GIVEN a tenant group in Keystone's Default domain, groups of a domain without a directory
    // (one role on a project, one on the whole domain) and a directory group
    const model = load(
      variant((s) => {
        s.identity = {
          domains: [{ name: "partners" }, { name: "corp", ldap: adDirectory }],
          groupRoleMappings: [
            { domain: "partners", group: "partner-ops", role: "member", tenant: "payments" },
            { domain: "partners", group: "partner-leads", role: "reader" },
            { domain: "corp", group: "Cloud Readers", role: "reader" },
          ],
        };
        s.tenants = [
          { name: "demo", groups: [{ name: "demo-users", role: "member" }] },
          { name: "payments", domain: "partners" },
        ];
      }),
    ).model;
    // WHEN
    const stacks = Object.fromEntries(
      (await synthesizeTerraform(enterpriseReference, model, "json")).map((st) => [
        st.name,
        JSON.parse(st.content),
      ]),
    );
    // THEN the platform makes the Default and partners groups, not the directory's: a lookup of
    // a group nobody made fails the plan ("query returned no results")
    const made = resources(stacks.platform, "openstack_identity_group_v3").map(([, g]) => [
      g.name,
      g.domain_id,
    ]);
    expect(made).toEqual([
      ["demo-users", "default"],
      ["partner-leads", "${openstack_identity_project_v3.cloud_identity_domain_partners.id}"],
      ["partner-ops", "${openstack_identity_project_v3.cloud_identity_domain_partners.id}"],
    ]);
    // AND every group a stack looks up is made by the platform or lives in the directory
    const looked = Object.entries<any>(stacks).flatMap(([, st]) =>
      Object.values<any>(st.data?.openstack_identity_group_v3 ?? {}).map((g) => g.name),
    );
    expect([...new Set(looked)].sort()).toEqual([
      "Cloud Readers",
      "demo-users",
      "partner-leads",
      "partner-ops",
    ]);
    expect(stacks.platform.data?.openstack_identity_group_v3).toBeUndefined();
    // AND the runbook says so before the platform's apply: a group made by hand must be imported
    expect(model.lifecycle.find((st) => st.id === "platform")?.prerequisites).toContainEqual({
      kind: "keystone-groups",
      params: {
        groups: ["demo-users (default)", "partner-leads (partners)", "partner-ops (partners)"],
        folder: "terraform/platform",
      },
    });
    // AND a Default-domain group is looked up there: without domain-specific drivers Keystone
    // lists every domain's groups, and a name in two domains would fail the lookup
    expect(Object.values<any>(stacks["tenant-demo"].data.openstack_identity_group_v3)).toEqual([
      expect.objectContaining({ name: "demo-users", domain_id: "default" }),
    ]);
  });

  test("tenant ids Terraform names read alike are refused, not a crash of synth", () => {
    const issues = issuesOf(
      variant((s) => {
        s.tenants = [
          { name: "Ops Team", id: "ops-team" },
          { name: "Ops Team 2", id: "ops--team" },
        ];
      }),
    );
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["duplicate-name", "tenants.1.id"],
    ]);
  });

  test("two spellings of one name are refused: Keystone's database compares names without case", () => {
    const issues = issuesOf(
      variant((s) => {
        s.tenants = [
          { name: "a", groups: [{ name: "Ops", role: "member" }] },
          { name: "b", groups: [{ name: "ops", role: "reader" }] },
        ];
      }),
    );
    expect(issues.map((i) => [i.code, i.path.join("."), i.message])).toEqual([
      [
        "duplicate-name",
        "tenants.1.groups.0.name",
        'group "ops" of domain default is group "Ops" to Keystone, whose database compares names without case; spell it one way',
      ],
    ]);
  });
});

describe("names that validate always synthesize", () => {
  const fromExample = (name: string, edit: (s: any) => void) => {
    const blueprint = findBlueprint(name)!;
    const spec = parse(fs.readFileSync(path.join(ROOT, blueprint.example!), "utf8"));
    edit(spec);
    return { blueprint, spec };
  };

  test("a backend named like another construct of the tenant synthesizes", async () => {
    // GIVEN a backend called `quota` with a per-type quota (the quota's own data resource was
    // `volume-type-quota`, as the grant of that type)
    const { blueprint, spec } = fromExample("cloud-in-a-box", (s) => {
      s.storage.backends[1].name = "quota";
      s.tenants[0].volumeTypes = ["lvm-iscsi", "quota"];
      s.tenants[0].quota.perVolumeType = { quota: { volumes: 10 } };
    });
    // THEN it synthesizes, each element under its own address
    const stacks = await synthesizeTerraform(blueprint, load(spec).model, "json");
    expect(stacks.length).toBeGreaterThan(1);
  });

  test("names the outputs, Ceph or Kolla's inventory would take for another are refused", () => {
    const codes = (edit: (s: any) => void) =>
      issuesOf(variant(edit)).map((i) => [i.code, i.path.join(".")]);
    // domains and backends whose outputs (domain_<name>_id, volume_type_<name>_id) would be one
    expect(
      codes((s) => (s.identity = { domains: [{ name: "cust-a" }, { name: "cust--a" }] })),
    ).toEqual([["duplicate-name", "identity.domains.1.name"]]);
    expect(
      codes(
        (s) =>
          (s.storage = {
            backends: [
              { name: "lvm-iser", kind: "lvm", volumeType: "fast", deviceClass: "nvme" },
              { name: "lvm--iser", kind: "lvm", volumeType: "faster", deviceClass: "ssd" },
            ],
          }),
      ),
    ).toEqual([["duplicate-name", "storage.backends.1.name"]]);
    // a pool named as the erasure-coded data pool pools.sh makes for an RBD pool
    expect(
      codes(
        (s) =>
          (s.storage = erasureCodedStorage({
            pools: [
              { name: "volumes", application: "volumes", dataShare: 0.5 },
              { name: "volumes-data", application: "images", dataShare: 0.5 },
            ],
          })),
      ),
    ).toEqual([["name-reserved", "storage.ceph.pools.1.name"]]);
    // a pool called gnocchi while Ceilometer's measures get Kolla's default pool of that name
    expect(
      codes((s) => {
        s.controlPlane.services.push("ceilometer");
        s.storage = {
          ceph: cephCluster({
            pools: [
              { name: "volumes", application: "volumes", dataShare: 0.5 },
              { name: "gnocchi", application: "images", dataShare: 0.5 },
            ],
          }),
        };
      }),
    ).toContainEqual(["name-reserved", "storage.ceph.pools.1.name"]);
    // a server called localhost, which Kolla's inventory holds as the deployment host
    expect(codes((s) => (s.controlPlane.hostnames = ["localhost", "ctrl-02", "ctrl-03"]))).toEqual([
      ["name-reserved", "controlPlane.hostnames.0"],
    ]);
    // servers called like a group of the inventory: a host name wins over a group in Ansible's
    // patterns, so Kolla's keystone play would run on that controller alone
    for (const name of ["keystone", "control", "compute", "all", "ungrouped", "manila-share"])
      expect(codes((s) => (s.controlPlane.hostnames = [name, "ctrl-02", "ctrl-03"]))).toEqual([
        ["name-reserved", "controlPlane.hostnames.0"],
      ]);
    // (a host outside Kolla's inventory, the deployment host here, may take such a name)
    const { spec: deployer } = fromExample("enterprise-reference", (s) => {
      s.deployer.hostname = "keystone";
    });
    expect(load(deployer).model.controlPlane.deployer).toBe("keystone");
    // a project Kolla-Ansible makes in the Default domain, and Cinder's own volume type
    expect(codes((s) => (s.tenants = [{ name: "Service" }]))).toEqual([
      ["name-reserved", "tenants.0.name"],
    ]);
    expect(
      codes(
        (s) =>
          (s.storage = { backends: [{ name: "lvm", kind: "lvm", volumeType: "__DEFAULT__" }] }),
      ),
    ).toEqual([["name-reserved", "storage.backends.0.volumeType"]]);
    // a host called as the controllers' server group of the bare-metal stack
    const { spec: vms } = fromExample("enterprise-reference", (s) => {
      s.controlPlane.deployment = "vm";
      s.controlPlane.flavor = "baremetal-controller";
      s.controlPlane.image = "ubuntu-24.04";
      s.deployer.hostname = "controllers";
    });
    expect(issuesOf(vms).map((i) => [i.code, i.path.join(".")])).toEqual([
      ["name-reserved", "deployer.hostname"],
    ]);
  });
});

describe("services gating", () => {
  const error = (edit: (s: any) => void) =>
    issuesOf(variant(edit))
      .filter((i) => i.code === "service-missing")
      .map((i) => [i.path.join("."), i.message]);

  test.each([
    ["fwaas", (s: any) => (s.securityZones.firewall = true), "securityZones.firewall"],
    [
      "cinder",
      (s: any) => (s.tenants = [{ name: "a", quota: { volumeGiB: 10 } }]),
      "tenants.0.quota.volumeGiB",
    ],
    [
      "octavia",
      (s: any) => (s.tenants = [{ name: "a", quota: { loadBalancers: 2 } }]),
      "tenants.0.quota.loadBalancers",
    ],
  ])("fails when %s is not among the services", (service, edit, path) => {
    const issues = error((s) => {
      edit(s);
      s.controlPlane.services = s.controlPlane.services.filter((x: string) => x !== service);
    });
    expect(issues).toContainEqual([path, expect.stringContaining("controlPlane.services")]);
    // (Cinder, refused without a volume backend, is asked for with one)
    if (service === "cinder")
      expect(issues).toContainEqual([
        path,
        expect.stringContaining("add cinder to controlPlane.services with a volume backend"),
      ]);
  });

  test("fails when the legacy VPN has no VPNaaS", () => {
    const issues = error((s) => {
      s.controlPlane.services = [...CORE_SERVICES];
      s.network.networks.push({
        name: "bridge",
        role: "provider",
        cidr: "10.0.50.0/24",
        vlan: 50,
        physicalNetwork: "physnet-ext",
      });
      s.legacyUnix = {
        network: "bridge",
        subnets: ["192.168.9.0/24"],
        nextHop: "10.0.50.254",
        systems: [{ name: "aix1", architecture: "ppc64", os: "AIX 7.2", address: "192.168.9.10" }],
        vpn: { peerAddress: "198.51.100.20", peerCidrs: ["192.168.60.0/24"] },
      };
    });
    expect(issues.map(([p]) => p)).toContain("legacyUnix.vpn");
  });

  test("fails when a tenant subnet straddles the subnet pool's edge", () => {
    const issues = issuesOf(
      variant((s: any) => {
        s.network.tenantSubnetPool = { prefixes: ["10.50.0.0/17"], defaultPrefixLength: 24 };
        s.tenants = [{ name: "a", network: { cidr: "10.50.0.0/16" } }];
      }),
    );
    expect(issues.map((i) => [i.code, i.path.join(".")])).toContainEqual([
      "tenant-network-subnet-pool",
      "tenants.0.network.cidr",
    ]);
  });

  test("fails when a backup container is versioned", () => {
    const issues = issuesOf(
      variant((s: any) => {
        s.controlPlane.services = [...CORE_SERVICES, "cinder", "swift"];
        s.storage = {
          swift: {
            ...swiftCluster(),
            containers: [{ name: "bk", purpose: "backups", versioning: true }],
          },
        };
      }),
    );
    expect(issues.map((i) => [i.code, i.path.join(".")])).toContainEqual([
      "swift-backup-versioning",
      "storage.swift.containers.0.versioning",
    ]);
  });

  // Image and backup containers are made by Glance and cinder-backup, never by Terraform: one the
  // service would not use, or a setting neither applies, is refused.
  test.each([
    [
      "an images container while Glance keeps images in Ceph",
      { image: { backend: "ceph" } },
      [{ name: "img", purpose: "images" }],
      ["swift-container-unused", "storage.swift.containers.0.purpose", "keeps images in ceph"],
    ],
    [
      "a second images container",
      { image: { backend: "swift" } },
      [
        { name: "img", purpose: "images" },
        { name: "img2", purpose: "images" },
      ],
      ["swift-container-unused", "storage.swift.containers.1.purpose", "one (img)"],
    ],
    [
      "a backups container other than the one cinder-backup writes to",
      { backup: { service: "swift", container: "volbk" } },
      [{ name: "bk", purpose: "backups" }],
      ["swift-container-unused", "storage.swift.containers.0.name", "writes to volbk"],
    ],
    [
      "a backups container named after the default while none is named",
      { backup: { service: "swift" } },
      [{ name: "volumebackups", purpose: "backups" }],
      ["swift-container-unused", "storage.swift.containers.0.name", "writes to backups"],
    ],
    [
      "a backups container without Swift backups",
      {},
      [{ name: "bk", purpose: "backups" }],
      ["swift-container-unused", "storage.swift.containers.0.name", "do not go to Swift"],
    ],
    [
      "readers on a backups container",
      { backup: { service: "swift", container: "bk" } },
      [{ name: "bk", purpose: "backups", readers: ["acme:*"] }],
      [
        "swift-container-acl",
        "storage.swift.containers.0.readers",
        "stays with the project's members",
      ],
    ],
    [
      "a public images container",
      { image: { backend: "swift" } },
      [{ name: "img", purpose: "images", public: true }],
      [
        "swift-container-acl",
        "storage.swift.containers.0.public",
        "Glance sets from each image's visibility",
      ],
    ],
    [
      "a versioned images container",
      { image: { backend: "swift" } },
      [{ name: "img", purpose: "images", versioning: true }],
      ["swift-container-versioning", "storage.swift.containers.0.versioning", "made by Glance"],
    ],
    [
      "an images container too long for the names Glance makes from it (220 bytes)",
      { image: { backend: "swift" } },
      [{ name: "i".repeat(218) + "é", purpose: "images" }],
      [
        "swift-container-name-long",
        "storage.swift.containers.0.name",
        "is 220 bytes: Glance's multi-tenant store names each image's container iiiiiiiiiiii..._<image id>, 37 bytes more",
      ],
    ],
    [
      "a storage policy on an images container",
      { image: { backend: "swift" } },
      [{ name: "img", purpose: "images", storagePolicy: "gold" }],
      ["swift-container-policy", "storage.swift.containers.0.storagePolicy", "no storage policy"],
    ],
  ])("fails on %s", (_case, storage, containers, [code, at, words]) => {
    const issues = issuesOf(
      variant((s: any) => {
        s.controlPlane.services = [...CORE_SERVICES, "cinder", "swift"];
        s.storage = {
          ...storage,
          swift: {
            ...swiftCluster(),
            policies: [{ name: "gold", default: true }],
            containers,
          },
        };
      }),
    );
    const found = issues.filter((i) => i.code.startsWith("swift-container"));
    expect(found.map((i) => [i.code, i.path.join(".")])).toEqual([[code, at]]);
    expect(found[0].message).toContain(words);
  });

  test("accepts an images container of 219 bytes: with Glance's `_<image id>`, 256", () => {
    const { model } = load(
      variant((s: any) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = {
          image: { backend: "swift" },
          swift: { ...swiftCluster(), containers: [{ name: "i".repeat(219), purpose: "images" }] },
        };
      }),
    );
    expect(Buffer.byteLength(`${model.deploy.glance.swiftContainer}_${"0".repeat(36)}`)).toBe(256);
  });

  test("accepts the containers Glance and cinder-backup use, and sets the backups' policy", () => {
    // GIVEN images and backups in Swift, the backup container on policy gold
    const spec = variant((s: any) => {
      s.controlPlane.services = [...CORE_SERVICES, "cinder", "swift"];
      s.storage = {
        backends: [{ name: "gluster", kind: "glusterfs", volumeType: "shared" }],
        image: { backend: "swift" },
        backup: { service: "swift", container: "bk" },
        swift: {
          ...swiftCluster(),
          policies: [{ name: "standard", default: true }, { name: "gold" }],
          containers: [
            { name: "img", purpose: "images" },
            { name: "bk", purpose: "backups", storagePolicy: "gold" },
          ],
        },
      };
    });
    // THEN it loads, and cinder-backup creates its containers on gold
    const { model } = load(spec);
    expect(model.deploy.cinder.backup).toEqual({
      driver: "swift",
      container: "bk",
      storagePolicy: "gold",
      cephKeyrings: false,
    });
    expect(model.storage.swift?.containers.map((c) => [c.name, c.account])).toEqual([
      ["bk", "each-tenant"],
      ["img", "each-tenant"],
    ]);
  });
});

describe("addresses from spec keys", () => {
  test("names read as written and never collide, whatever the order", () => {
    expect(terraformName(["core-banking", "Resource"])).toBe("core_banking");
    expect(terraformName(["cloud", "block-storage", "ceph", "QosAssociation"])).toBe(
      "cloud_block_storage_ceph_qos_association",
    );
    expect(terraformName(["10.0.0.0%2F24"])).toBe("_10_0_0_0_24");
    const a = uniqueTerraformNames([
      ["g", "a-b"],
      ["g", "a_b"],
      ["g", "a.b"],
    ]);
    const b = uniqueTerraformNames([
      ["g", "a.b"],
      ["g", "a_b"],
      ["g", "a-b"],
    ]);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(new Set(a.values()).size).toBe(3);
  });

  test("reordering every list of the spec changes no address", async () => {
    const spec = (reverse: boolean) =>
      load(
        variant((s: any) => {
          s.securityZones.adminCidrs = ["10.9.100.0/24", "10.9.101.0/24"];
          s.tenants = [
            {
              name: "Core Banking",
              sshCidrs: ["10.9.100.0/24", "10.9.101.0/24"],
              groups: [
                { name: "dba", role: "member" },
                { name: "ops team", role: "reader" },
              ],
              network: { cidr: "172.30.0.0/24" },
            },
            { name: "b", network: { cidr: "172.30.1.0/24" } },
          ];
          if (reverse) {
            s.securityZones.adminCidrs.reverse();
            s.tenants.reverse();
            for (const t of s.tenants) {
              t.sshCidrs?.reverse();
              t.groups?.reverse();
            }
            s.zones.reverse();
            for (const z of s.zones) z.pools.reverse();
            s.network.networks.reverse();
          }
        }),
      ).model;
    const synth = async (reverse: boolean) =>
      (await synthesizeTerraform(enterpriseReference, spec(reverse), "json")).map((st) => [
        st.name,
        addresses(JSON.parse(st.content)),
      ]);
    expect(await synth(true)).toEqual(await synth(false));
  });

  /**
   * Tenant Core Banking with these groups of its LDAP domain, each a member: directory groups are
   * looked up, never made.
   */
  const withGroups = (names: readonly string[]) =>
    load(
      variant((s: any) => {
        s.identity = { domains: [{ name: "corp", ldap: adDirectory }] };
        s.tenants = [
          {
            name: "Core Banking",
            domain: "corp",
            groups: names.map((name) => ({ name, role: "member" })),
            network: { cidr: "172.30.0.0/24" },
          },
        ];
      }),
    ).model;

  test("groups whose names give the same address are refused, directory groups too", () => {
    // GIVEN directory groups that differ only in punctuation, with the same role
    // THEN they are refused: their grants would trade addresses as one comes or goes, and the
    // replaced one revoke the other's role
    const directory = issuesOf(
      variant((s: any) => {
        s.identity = { domains: [{ name: "corp", ldap: adDirectory }] };
        s.tenants = [
          {
            name: "Core Banking",
            domain: "corp",
            groups: ["ops-team", "ops team"].map((name) => ({ name, role: "member" })),
          },
        ];
      }),
    ).filter((i) => i.severity === "error");
    expect(directory.map((i) => [i.code, i.path.join("."), i.message])).toEqual([
      [
        "duplicate-name",
        "tenants.0.groups.1.name",
        'group "ops team" of domain corp and group "ops-team" read alike as Terraform names, which keep only letters a-z, digits and \'_\': their grants as member in tenant core-banking would trade Terraform addresses as grants come and go, and a replaced one revoke the other\'s role; grant one of them',
      ],
    ]);
    // AND in a domain without a directory, whose groups the platform makes under addresses from
    // their names, such names are refused: one coming or going would move the other's address
    // (and its members)
    const made = issuesOf(
      variant((s: any) => {
        s.tenants = [
          { name: "a", groups: [{ name: "ops-team", role: "member" }] },
          { name: "b", groups: [{ name: "ops team", role: "member" }] },
        ];
      }),
    );
    expect(made.map((i) => [i.code, i.path.join("."), i.message])).toEqual([
      [
        "duplicate-name",
        "tenants.1.groups.0.name",
        'group "ops team" of domain default and group "ops-team" read alike as Terraform names, which keep only letters a-z, digits and \'_\'; rename one',
      ],
    ]);
  });

  test("a directory's groups keep their addresses when the spec lists them in another order", async () => {
    // GIVEN three groups, listed in two orders
    const addressesOf = async (names: string[]) => {
      const stacks = await synthesizeTerraform(enterpriseReference, withGroups(names), "json");
      const stack = JSON.parse(stacks.find((st) => st.name === "tenant-core-banking")!.content);
      // Each group's role assignment address, by the group's name.
      const groupName = Object.fromEntries(
        Object.entries<any>(stack.data.openstack_identity_group_v3).map(([k, g]) => [k, g.name]),
      );
      return Object.fromEntries(
        resources(stack, "openstack_identity_role_assignment_v3").map(([address, a]) => [
          groupName[/openstack_identity_group_v3\.([a-z0-9_]+)\.id/.exec(a.group_id)![1]],
          address,
        ]),
      );
    };
    // WHEN / THEN every assignment keeps its address: no replacement on the next apply
    expect(await addressesOf(["ops", "dba", "audit"])).toEqual(
      await addressesOf(["audit", "ops", "dba"]),
    );
  });
});

describe("HCL output", () => {
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
  const hasTerraform = terraform.status === 0;

  (hasTerraform ? test : test.skip)("is accepted by terraform fmt -check", async () => {
    const m = load(variant((s: any) => (s.tenants = [{ name: "a" }]))).model;
    const dir = tempDir("sw-fmt-");
    try {
      const stacks = await synthesizeTerraform(enterpriseReference, m, "hcl");
      // Meta-arguments are blocks, not maps.
      expect(stacks.map((st) => st.content).join("\n")).toMatch(
        /\n {2}lifecycle \{\n {4}prevent_destroy = true\n {2}\}/,
      );
      for (const stack of stacks) {
        fs.mkdirSync(path.join(dir, stack.name));
        fs.writeFileSync(path.join(dir, stack.name, "cdk.tf"), stack.content);
      }
      const fmt = spawnSync("terraform", ["fmt", "-check", "-recursive", dir], {
        encoding: "utf8",
      });
      expect(fmt.stdout).toBe("");
      expect(fmt.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an output's value and depends_on are expressions in HCL, its description text", () => {
    const hcl = jsonToHcl({
      output: {
        o: {
          value: "${openstack_networking_network_v2.n.id}",
          description: "id of ${n}",
          depends_on: ["${openstack_networking_subnet_v2.s}"],
        },
      },
    });
    expect(hcl).toBe(
      [
        'output "o" {',
        "  value = openstack_networking_network_v2.n.id",
        '  description = "id of $${n}"',
        "  depends_on = [openstack_networking_subnet_v2.s]",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("descriptions, which Terraform's JSON reads as written, stay text in HCL", async () => {
    // GIVEN a private volume type whose name holds template sequences; its id is a platform
    // output whose description names it
    const blueprint = findBlueprint("cloud-in-a-box")!;
    const loaded = loadSpecFile(path.join(ROOT, blueprint.example));
    const spec = structuredClone(loaded.spec) as any;
    spec.storage.backends[1].volumeType = 'fast %{tier} ${x} "q" \\';
    const model = load(spec).model;
    // WHEN
    const [json, hcl] = await Promise.all(
      (["json", "hcl"] as const).map((format) => synthesizeTerraform(blueprint, model, format)),
    );
    // THEN the JSON description is the text as written, and HCL escapes what a template would read
    const description = Object.values<any>(
      JSON.parse(json.find((s) => s.name === "platform")!.content).output,
    )
      .map((o) => o.description as string)
      .find((d) => d.includes("fast %{tier}"));
    expect(description).toBe(
      'Cinder id of private volume type fast %{tier} ${x} "q" \\, shared with the tenants that name it',
    );
    const platform = hcl.find((s) => s.name === "platform")!.content;
    expect(platform).toContain(
      'description = "Cinder id of private volume type fast %%{tier} $${x} \\"q\\" \\\\, shared',
    );
    if (hasTerraform) {
      const dir = tempDir("sw-fmt-");
      fs.writeFileSync(path.join(dir, "cdk.tf"), platform);
      expect(spawnSync("terraform", ["fmt", "-check", dir], { encoding: "utf8" }).status).toBe(0);
    }
  });
});

test("a tenant router's policy reads each platform rule it holds, however alike their names read", async () => {
  // GIVEN two IPv6 admin sources whose rule keys differ only in punctuation
  const model = load(
    variant((s: any) => {
      s.securityZones = {
        ...s.securityZones,
        firewall: true,
        adminCidrs: ["2001:db8::5/128", "2001:db8:5::/128"],
      };
      // (SSH from both: its router holds their platform rules)
      s.tenants = [
        {
          name: "a",
          network: { cidr: "10.40.1.0/24" },
          sshCidrs: ["2001:db8::5/128", "2001:db8:5::/128"],
        },
      ];
    }),
  ).model;
  const stacks = await synthesizeTerraform(enterpriseReference, model, "json");
  const platform = JSON.parse(stacks.find((st) => st.name === "platform")!.content);
  const tenant = JSON.parse(stacks.find((st) => st.name === "tenant-a")!.content);
  // WHEN the tenant's policy's references are followed to the platform's rules
  const rules = Object.values<any>(tenant.resource.openstack_fw_policy_v2)[0].rules as string[];
  const sources = rules.map((ref) => {
    const output = /outputs\.([a-z0-9_]+)\}$/.exec(ref)![1];
    const rule = /openstack_fw_rule_v2\.([a-z0-9_]+)\.id/.exec(platform.output[output].value)![1];
    const r = platform.resource.openstack_fw_rule_v2[rule];
    return `${r.protocol} ${r.source_ip_address}`;
  });
  // THEN each source's SSH and ICMP rules are there, each once
  expect(sources.slice(0, 4).sort()).toEqual([
    "icmp 2001:db8:5::/128",
    "icmp 2001:db8::5/128",
    "tcp 2001:db8:5::/128",
    "tcp 2001:db8::5/128",
  ]);
  expect(new Set(rules).size).toBe(rules.length);
});

test("directory groups whose names read alike are refused only where their grants share an address", () => {
  const groupsIssues = (tenants: any[]) => {
    const spec = variant((s: any) => {
      s.identity = { domains: [{ name: "corp", ldap: adDirectory }] };
      s.tenants = tenants.map((t) => ({ domain: "corp", ...t }));
    });
    try {
      load(spec);
      return [];
    } catch {
      return issuesOf(spec).filter((i) => i.code === "duplicate-name");
    }
  };
  // GIVEN Chinese group names (nothing of them survives in a Terraform name) in two tenants,
  // and in one tenant under two roles: THEN their grants have addresses of their own
  expect(
    groupsIssues([
      { name: "a", groups: [{ name: "运维组", role: "member" }] },
      { name: "b", groups: [{ name: "审计组", role: "member" }] },
    ]),
  ).toEqual([]);
  expect(
    groupsIssues([
      {
        name: "a",
        groups: [
          { name: "运维组", role: "member" },
          { name: "审计组", role: "reader" },
        ],
      },
    ]),
  ).toEqual([]);
  // AND under one role in one tenant they would trade addresses: refused
  expect(
    groupsIssues([
      {
        name: "a",
        groups: [
          { name: "运维组", role: "member" },
          { name: "审计组", role: "member" },
        ],
      },
    ]).map((i) => i.path.join(".")),
  ).toEqual(["tenants.0.groups.1.name"]);
});
