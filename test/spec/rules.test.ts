import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../support/blueprints";
import { formatPath } from "../../core/errors";
import {
  CORE_SERVICES,
  baseSpec,
  cephCluster,
  issuesOf,
  load,
  variant,
  swiftCluster,
  privateTypeQuota,
} from "../support/fixtures";
import { deployFiles } from "../../deployer";
import { withLegacyFlows } from "../support/legacy";
import { synthesized } from "../support/synth-cache";
import { filterNamePatterns } from "../../spec/rules/identity";
import { findBlueprint } from "../../blueprints/catalog";

/** The errors of a spec as `path: message [code]`, for exact assertions. */
const errors = (spec: ReturnType<typeof baseSpec>) =>
  issuesOf(spec)
    .filter((i) => i.severity === "error")
    .map((i) => ({ path: formatPath(i.path), code: i.code, message: i.message }));

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ5Xc0vTq7Yb2l8lP3b2k5m6n7o8p9q0r1s2t3u4v5 ops@example";

/** A DNS domain of exactly `length` characters (not a multiple of 64), in labels of at most 63. */
function domainOf(length: number): string {
  const labels: string[] = [];
  for (let left = length; left > 0; left -= 64) labels.push("d".repeat(Math.min(63, left)));
  return labels.join(".");
}

/** Adds a valid legacy bridge on a provider network `unix` (10.0.9.0/24), then edits it. */
function legacy(s: any, edit: (l: any) => void) {
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
    systems: [{ name: "aix1", architecture: "ppc64", os: "AIX 7.2", address: "192.168.9.10" }],
  };
  edit(s.legacyUnix);
}

/** Declares Swift with these containers. */
function swift(s: any, containers: unknown[]) {
  s.controlPlane.services = [...CORE_SERVICES, "swift"];
  s.storage = {
    swift: {
      ...swiftCluster(),
      containers,
    },
  };
}

describe("semantic rules", () => {
  test("the base spec is valid", () => {
    // GIVEN / WHEN
    const loaded = load(baseSpec());
    // THEN
    expect(loaded.model.pools.map((p) => p.id)).toEqual(["az1-web", "az2-app"]);
  });

  test.each([
    [
      "CIDR with host bits set",
      (s: any) => (s.network.networks[1].cidr = "10.0.1.7/24"),
      {
        path: "network.networks[1].cidr",
        code: "cidr-host-bits",
        message: "10.0.1.7/24 has host bits set; the network address is 10.0.1.0/24",
      },
    ],
    [
      "overlapping networks",
      (s: any) => (s.network.networks[2].cidr = "10.0.0.128/25"),
      {
        path: "network.networks[2].cidr",
        code: "cidr-overlap",
        message: "10.0.0.128/25 (network tunnel) overlaps 10.0.0.0/24 (network mgmt)",
      },
    ],
    [
      "a tenant subnet overlapping an infrastructure network",
      (s: any) => (s.tenants = [{ name: "t1", network: { cidr: "10.0.3.0/25" } }]),
      {
        path: "tenants[0].network.cidr",
        code: "cidr-overlap",
        message: "10.0.3.0/25 (tenant t1) overlaps 10.0.3.0/24 (network storage)",
      },
    ],
    [
      "an external VLAN that is also an infrastructure VLAN on another physical network name",
      (s: any) => (s.network.networks[4].vlan = 10),
      {
        path: "network.networks[4].vlan",
        code: "vlan-duplicate",
        message:
          "VLAN 10 is already used by network mgmt (network.networks[0].vlan); tagged networks share the hosts' trunk, so each needs a VLAN of its own",
      },
    ],
    [
      "the tenant VLAN range covers a tagged network of another physical network name",
      (s: any) => {
        s.network.tenantNetworkType = "vlan";
        s.network.tenantVlanRange = { min: 15, max: 25 };
      },
      {
        path: "network.networks[4].vlan",
        code: "vlan-in-tenant-range",
        message:
          "VLAN 20 of network ext lies inside the tenant VLAN range 15-25; tenant VLANs and tagged networks share the hosts' trunk, so keep them apart",
      },
    ],
    [
      "a VLAN used twice on the hosts' trunk",
      (s: any) => (s.network.networks[3].vlan = 10),
      {
        path: "network.networks[3].vlan",
        code: "vlan-duplicate",
        message:
          "VLAN 10 is already used by network mgmt (network.networks[0].vlan); tagged networks share the hosts' trunk, so each needs a VLAN of its own",
      },
    ],
    [
      "an inverted VNI range",
      (s: any) => (s.network.vniRange = { min: 5000, max: 100 }),
      { path: "network.vniRange", code: "vni-range", message: "min 5000 is above max 100" },
    ],
    [
      "a VXLAN segment ID past 24 bits",
      (s: any) => (s.network.vniRange = { min: 1, max: 20_000_000 }),
      {
        path: "network.vniRange.max",
        code: "vni-range",
        message:
          "a vxlan network's segment ID (VNI) has 24 bits: max must be at most 16777215 (GRE keys alone take up to 4294967295)",
      },
    ],
    [
      "more hosts than a subnet holds",
      (s: any) => {
        s.network.networks[2].cidr = "10.0.2.0/28";
        s.zones[0].pools[0].hosts = 20;
      },
      {
        path: "network.networks[2].cidr",
        code: "subnet-too-small",
        message:
          "10.0.2.0/28 has 14 free host addresses after the gateway, VIPs and floating range, but 26 nodes join network tunnel; use a larger prefix",
      },
    ],
    [
      "an even controller count",
      (s: any) => (s.controlPlane.controllers = 4),
      {
        path: "controlPlane.controllers",
        code: "controllers-even",
        message:
          "4 controllers cannot keep a Galera/RabbitMQ quorum through a split; use an odd count (3 or 5)",
      },
    ],
    [
      "a VIP outside the API network",
      (s: any) => (s.controlPlane.vips.internal = "10.0.0.10"),
      {
        path: "controlPlane.vips.internal",
        code: "vip-outside-network",
        message: "internal VIP 10.0.0.10 is outside network api (10.0.1.0/24)",
      },
    ],
    [
      "a VIP on the network address",
      (s: any) => (s.controlPlane.vips.internal = "10.0.1.0"),
      {
        path: "controlPlane.vips.internal",
        code: "address-not-host",
        message: "internal VIP 10.0.1.0 is the network address of 10.0.1.0/24",
      },
    ],
    [
      "a VIP on the external gateway",
      (s: any) => (s.controlPlane.vips.external = "198.51.100.1"),
      {
        path: "controlPlane.vips.external",
        code: "vip-reserved",
        message:
          "external VIP 198.51.100.1 is the default gateway (first host) of ext; choose another address or set the gateway",
      },
    ],
    [
      "an undefined hardware profile",
      (s: any) => (s.zones[1].pools[0].hardware = "nope"),
      {
        path: "zones[1].pools[0].hardware",
        code: "unknown-reference",
        message: 'hardware profile "nope" is not declared (declared: cmp, ctrl, stor)',
      },
    ],
    [
      "a tenant on an undefined pool",
      (s: any) => (s.tenants = [{ name: "t1", pool: "db" }]),
      {
        path: "tenants[0].pool",
        code: "unknown-reference",
        message: 'pool "db" is not declared (declared: app, az1-web, az2-app, web)',
      },
    ],
    [
      "a legacy bridge on an undefined network",
      (s: any) =>
        (s.legacyUnix = {
          network: "unix",
          subnets: ["192.168.9.0/24"],
          nextHop: "10.0.9.1",
          systems: [
            { name: "aix1", architecture: "ppc64", os: "AIX 7.2", address: "192.168.9.10" },
          ],
        }),
      {
        path: "legacyUnix.network",
        code: "unknown-reference",
        message: 'network "unix" is not declared (declared: api, ext, mgmt, storage, tunnel)',
      },
    ],
    [
      "tenant quotas beyond the pool after ratios and N+1",
      (s: any) => (s.tenants = [{ name: "big", pool: "app", quota: { cores: 500 } }]),
      {
        path: "tenants[0].quota.cores",
        code: "quota-exceeds-capacity",
        message:
          "tenant core quotas on pool az2-app add up to 500, but it offers 496 vCPUs after allocation ratios and N+1 headroom",
      },
    ],
    [
      "fewer Ceph OSD hosts than replicas",
      (s: any) =>
        (s.storage = { ceph: { nodes: 2, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } }),
      {
        path: "storage.ceph.nodes",
        code: "ceph-replicas",
        message:
          "2 OSD hosts cannot hold 3 replicas on separate hosts; add hosts or lower the replica size",
      },
    ],
    [
      "fewer Swift zones than replicas",
      (s: any) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = {
          swift: {
            proxies: 2,
            proxyHardware: "ctrl",
            storageNodes: 3,
            storageHardware: "stor",
            disksPerNode: 4,
            diskSizeTB: 4,
            zones: 2,
          },
        };
      },
      {
        path: "storage.swift.zones",
        code: "swift-zones",
        message: "2 zones cannot hold 3 replicas apart; use at least 3 zones",
      },
    ],
    [
      "more Swift disks than partitions",
      (s: any) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = {
          swift: {
            proxies: 2,
            proxyHardware: "ctrl",
            storageNodes: 4,
            storageHardware: "stor",
            disksPerNode: 40,
            diskSizeTB: 4,
            zones: 4,
            partitionPower: 7,
          },
        };
      },
      {
        path: "storage.swift.partitionPower",
        code: "swift-partition-power",
        message: "160 disks exceed 2^7 = 128 partitions; raise the partition power to at least 8",
      },
    ],
    [
      "a network MTU above the underlay",
      (s: any) => (s.network.networks[0].mtu = 9100),
      {
        path: "network.networks[0].mtu",
        code: "mtu-too-large",
        message: "network mgmt asks for MTU 9100, above the underlay MTU 9000",
      },
    ],
    [
      "a tenant network asking for more than the overlay MTU",
      (s: any) => (s.tenants = [{ name: "t1", network: { cidr: "172.30.0.0/24", mtu: 9000 } }]),
      {
        path: "tenants[0].network.mtu",
        code: "mtu-too-large",
        message: "tenant t1 asks for MTU 9000, above the vxlan overlay MTU 8950 (9000 - 50)",
      },
    ],
    [
      "a malformed CIDR",
      (s: any) => (s.network.networks[1].cidr = "10.0.1.0/33"),
      {
        path: "network.networks[1].cidr",
        code: "schema-invalid-union",
        message: "expected a CIDR such as 10.0.0.0/24 or 2001:db8::/64",
      },
    ],
    [
      "a VLAN ID outside 1-4094",
      (s: any) => (s.network.networks[0].vlan = 4095),
      { path: "network.networks[0].vlan", code: "schema-too-big", message: "VLAN IDs are 1-4094" },
    ],
    [
      "a group mapping to an undefined tenant",
      (s: any) => {
        s.identity = {
          domains: [{ name: "corp" }],
          groupRoleMappings: [{ domain: "corp", group: "ops", role: "member", tenant: "nope" }],
        };
      },
      {
        path: "identity.groupRoleMappings[0].tenant",
        code: "unknown-reference",
        message: 'tenant "nope" is not declared',
      },
    ],
    [
      "a per-type quota on an undefined volume type",
      (s: any) =>
        (s.tenants = [{ name: "t1", quota: { perVolumeType: { gold: { volumes: 1 } } } }]),
      {
        path: "tenants[0].quota.perVolumeType.gold",
        code: "unknown-reference",
        message: 'volume backend "gold" is not declared',
      },
    ],
    [
      "a tenant in an undefined domain",
      (s: any) => (s.tenants = [{ name: "t1", domain: "corp" }]),
      {
        path: "tenants[0].domain",
        code: "unknown-reference",
        message: 'domain "corp" is not declared (declared: default)',
      },
    ],
    [
      "SSH open to the internet for a tenant",
      (s: any) => (s.tenants = [{ name: "t1", sshCidrs: ["0.0.0.0/0"] }]),
      {
        path: "tenants[0].sshCidrs[0]",
        code: "ssh-cidr-open",
        message: "0.0.0.0/0 opens SSH to the whole internet; list the admin or bastion networks",
      },
    ],
    [
      "admin access from anywhere",
      (s: any) => (s.securityZones.adminCidrs = ["::/0"]),
      {
        path: "securityZones.adminCidrs[0]",
        code: "admin-cidr-open",
        message: "::/0 opens management ports to the whole internet; list the admin networks",
      },
    ],
    [
      "a dedicated flavor in a pool that does not pin",
      (s: any) =>
        (s.zones[0].pools[0].flavors = [{ name: "f1", vcpus: 2, ramGiB: 4, dedicated: true }]),
      {
        path: "zones[0].pools[0].flavors[0].dedicated",
        code: "flavor-dedicated",
        message:
          "flavor f1 asks for dedicated CPUs but pool web does not pin (set cpuPinning: true)",
      },
    ],
    [
      "duplicate zone names",
      (s: any) => (s.zones[1].name = "az1"),
      {
        path: "zones[1].name",
        code: "duplicate-name",
        message: 'zone "az1" is already declared at zones[0].name',
      },
    ],
    [
      "a tenant lists an SSH CIDR twice, differing only in case",
      (s: any) => (s.tenants = [{ name: "t1", sshCidrs: ["2001:db8::/32", "2001:DB8::/32"] }]),
      {
        path: "tenants[0].sshCidrs[1]",
        code: "duplicate-cidr",
        message: 'SSH CIDR "2001:DB8::/32" is already declared at tenants[0].sshCidrs[0]',
      },
    ],
    [
      "a tenant lists an SSH CIDR twice, once with host bits (Neutron stores both as one block)",
      (s: any) => (s.tenants = [{ name: "t1", sshCidrs: ["10.1.100.0/24", "10.1.100.7/24"] }]),
      {
        path: "tenants[0].sshCidrs[1]",
        code: "duplicate-cidr",
        message: 'SSH CIDR "10.1.100.7/24" is already declared at tenants[0].sshCidrs[0]',
      },
    ],
    [
      "a tenant maps a group to the same role twice",
      (s: any) =>
        (s.tenants = [
          {
            name: "t1",
            groups: [
              { name: "ops", role: "member" },
              { name: "ops", role: "member" },
            ],
          },
        ]),
      {
        path: "tenants[0].groups[1]",
        code: "duplicate-name",
        message: 'group "ops as member" is already declared at tenants[0].groups[0]',
      },
    ],
    [
      "a tenant declares a key pair twice",
      (s: any) =>
        (s.tenants = [
          {
            name: "t1",
            keyPairs: [
              { name: "ops", publicKey: KEY },
              { name: "ops", publicKey: KEY },
            ],
          },
        ]),
      {
        path: "tenants[0].keyPairs[1].name",
        code: "duplicate-name",
        message: 'key pair "ops" is already declared at tenants[0].keyPairs[0].name',
      },
    ],
    [
      "two tenants declare a key pair of the same name",
      (s: any) =>
        (s.tenants = [
          { name: "t1", keyPairs: [{ name: "ops", publicKey: KEY }] },
          { name: "t2", keyPairs: [{ name: "ops", publicKey: KEY }] },
        ]),
      {
        path: "tenants[1].keyPairs[0].name",
        code: "duplicate-name",
        message:
          'key pair "ops" is already declared by tenants[0] ("t1"); key pairs belong to the admin user that runs Terraform, so their names must be unique across tenants',
      },
    ],
    [
      "two pools declare one flavor name: the first is named by its path",
      (s: any) => {
        s.zones[1].pools[0].flavors.push({ name: "web-small", vcpus: 2, ramGiB: 4 });
      },
      {
        path: "zones[1].pools[0].flavors[1].name",
        code: "duplicate-name",
        message: 'flavor "web-small" is already declared at zones[0].pools[0].flavors[0].name',
      },
    ],
    [
      "a tenant lists a flavor twice",
      (s: any) => {
        s.zones[0].pools[0].flavors = [{ name: "f1", vcpus: 2, ramGiB: 4, public: false }];
        s.tenants = [{ name: "t1", flavors: ["f1", "f1"] }];
      },
      {
        path: "tenants[0].flavors[1]",
        code: "duplicate-name",
        message: 'flavor "f1" is already declared at tenants[0].flavors[0]',
      },
    ],
    [
      "a tenant names one volume backend by its name and by its volume type",
      (s: any) => {
        s.storage = { backends: [{ name: "lvm-ssd", kind: "lvm", volumeType: "fast" }] };
        s.tenants = [{ name: "t1", volumeTypes: ["lvm-ssd", "fast"] }];
      },
      {
        path: "tenants[0].volumeTypes[1]",
        code: "duplicate-name",
        message:
          '"fast" names the same volume backend (lvm-ssd) as "lvm-ssd" at tenants[0].volumeTypes[0]; keep one of them',
      },
    ],
    [
      "a group-role mapping repeats, the tenant named once by id and once by name",
      (s: any) => {
        s.identity = {
          domains: [{ name: "corp" }],
          groupRoleMappings: [
            { domain: "corp", group: "ops", role: "member", tenant: "retail" },
            { domain: "corp", group: "ops", role: "member", tenant: "Retail Banking" },
          ],
        };
        s.tenants = [{ name: "Retail Banking", id: "retail", domain: "corp" }];
      },
      {
        path: "identity.groupRoleMappings[1]",
        code: "duplicate-name",
        message:
          'group-role mapping "ops as member on tenant Retail Banking" is already declared at identity.groupRoleMappings[0]',
      },
    ],
    [
      "a volume type is the name of another backend",
      (s: any) =>
        (s.storage = {
          backends: [
            { name: "gold", kind: "lvm", volumeType: "fast" },
            { name: "fast", kind: "lvm", volumeType: "bulk" },
          ],
        }),
      {
        path: "storage.backends[0].volumeType",
        code: "duplicate-name",
        message:
          'volume type "fast" of backend gold is the name of backend fast; tenants name a backend by either, so give it another volume type',
      },
    ],
    [
      "a pool declares a server group twice",
      (s: any) =>
        (s.zones[0].pools[0].serverGroups = [
          { name: "db", policy: "anti-affinity" },
          { name: "db", policy: "affinity" },
        ]),
      {
        path: "zones[0].pools[0].serverGroups[1].name",
        code: "duplicate-name",
        message:
          'server group of pool az1-web: "db" is already declared at zones[0].pools[0].serverGroups[0].name',
      },
    ],
    [
      "maxServersPerHost is set on a policy other than anti-affinity",
      (s: any) =>
        (s.zones[0].pools[0].serverGroups = [
          { name: "db", policy: "soft-anti-affinity", maxServersPerHost: 2 },
        ]),
      {
        path: "zones[0].pools[0].serverGroups[0].maxServersPerHost",
        code: "server-group-max",
        message:
          "maxServersPerHost only applies to the anti-affinity policy; server group db is soft-anti-affinity: remove maxServersPerHost or use anti-affinity",
      },
    ],
    [
      "a legacy flow lists a system twice",
      (s: any) =>
        legacy(
          s,
          (l) =>
            (l.flows = [
              { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix1", "aix1"] },
            ]),
        ),
      {
        path: "legacyUnix.flows[0].systems[1]",
        code: "duplicate-name",
        message: 'system of flow mq: "aix1" is already declared at legacyUnix.flows[0].systems[0]',
      },
    ],
    [
      "the legacy next hop is the bridge network's gateway",
      (s: any) => legacy(s, (l) => (l.nextHop = "10.0.9.1")),
      {
        path: "legacyUnix.nextHop",
        code: "legacy-next-hop",
        message:
          "next hop 10.0.9.1 is the gateway of the bridge network unix, which the cloud's legacy router takes; set nextHop to the legacy side's router",
      },
    ],
    [
      "tenant networks without an external network",
      (s: any) => {
        s.network.networks = s.network.networks.filter((n: any) => n.role !== "external");
        delete s.controlPlane.vips.external;
        s.tenants = [{ name: "web", network: { cidr: "192.168.10.0/24" } }];
      },
      {
        path: "network.networks",
        code: "network-missing",
        message:
          "the routers of tenant web (each tenant network's router takes its gateway and floating IPs there; in a cloud without internet access, the site network users reach the cloud from) need a network with role external",
      },
    ],
    [
      "a legacy VPN without an external network",
      (s: any) => {
        legacy(s, (l) => (l.vpn = { peerAddress: "203.0.113.7", peerCidrs: ["10.0.9.0/24"] }));
        s.network.networks = s.network.networks.filter((n: any) => n.role !== "external");
        delete s.controlPlane.vips.external;
      },
      {
        path: "legacyUnix.vpn",
        code: "network-missing",
        message:
          "the legacy VPN runs on a router with an external gateway; declare a network with role external",
      },
    ],
    [
      "legacy VPN peer CIDRs of two IP versions",
      (s: any) =>
        legacy(
          s,
          (l) =>
            (l.vpn = { peerAddress: "203.0.113.7", peerCidrs: ["172.16.0.0/16", "2001:db8::/48"] }),
        ),
      {
        path: "legacyUnix.vpn.peerCidrs[1]",
        code: "legacy-ip-version",
        message:
          "IPv6 peer CIDR 2001:db8::/48, but the local subnet 10.0.9.0/24 is IPv4; VPNaaS needs every endpoint of a connection in one IP version",
      },
    ],
    [
      "a legacy VPN peer CIDR over the legacy subnets",
      (s: any) =>
        legacy(s, (l) => (l.vpn = { peerAddress: "203.0.113.7", peerCidrs: ["192.168.0.0/16"] })),
      {
        path: "legacyUnix.vpn.peerCidrs[0]",
        code: "legacy-vpn-peer-overlap",
        message:
          "peer CIDR 192.168.0.0/16 overlaps the legacy subnet 192.168.9.0/24: the tunnel and the bridge's routes would both claim it; list the remote site's own subnets",
      },
    ],
    [
      "a legacy VPN peer CIDR over a network of the cloud",
      (s: any) =>
        legacy(s, (l) => (l.vpn = { peerAddress: "203.0.113.7", peerCidrs: ["10.0.1.0/24"] })),
      {
        path: "legacyUnix.vpn.peerCidrs[0]",
        code: "legacy-vpn-peer-overlap",
        message:
          "peer CIDR 10.0.1.0/24 overlaps 10.0.1.0/24 (network api): the bridge's ports would send its traffic into the tunnel; list the remote site's own subnets",
      },
    ],
    [
      "a legacy VPN peer CIDR listed twice, which VPNaaS's endpoint group refuses",
      (s: any) =>
        legacy(
          s,
          (l) =>
            (l.vpn = { peerAddress: "203.0.113.7", peerCidrs: ["172.16.0.0/16", "172.16.0.1/16"] }),
        ),
      {
        path: "legacyUnix.vpn.peerCidrs[1]",
        code: "duplicate-cidr",
        message: 'peer CIDR "172.16.0.1/16" is already declared at legacyUnix.vpn.peerCidrs[0]',
      },
    ],
    [
      "a legacy VPN peer CIDR of loopback, which Neutron refuses as a route",
      (s: any) =>
        legacy(s, (l) => (l.vpn = { peerAddress: "203.0.113.7", peerCidrs: ["127.0.0.0/8"] })),
      {
        path: "legacyUnix.vpn.peerCidrs[0]",
        code: "cidr-reserved",
        message:
          "127.0.0.0/8 (VPN peer) overlaps 127.0.0.0/8, loopback, which no host network, route or Neutron subnet can use; list the remote site's own subnets",
      },
    ],
    [
      "more Swift regions than zones",
      (s: any) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = { swift: swiftCluster({ zones: 3, regions: 4 }) };
      },
      {
        path: "storage.swift.regions",
        code: "swift-zones",
        message: "4 regions cannot each hold one of 3 zones; use at most 3 regions",
      },
    ],
    [
      "an IPv6 legacy subnet behind the IPv4 next hop",
      (s: any) => legacy(s, (l) => l.subnets.push("2001:db8:9::/48")),
      {
        path: "legacyUnix.subnets[1]",
        code: "legacy-ip-version",
        message:
          "IPv6 subnet 2001:db8:9::/48 cannot be routed through the IPv4 next hop 10.0.9.254; list subnets of one IP version",
      },
    ],
    [
      "a Swift container name with a '/'",
      (s: any) => swift(s, [{ name: "logs/2024", purpose: "application" }]),
      {
        path: "storage.swift.containers[0].name",
        code: "schema-invalid-format",
        message: "must not contain '/'; Swift container names cannot",
      },
    ],
    [
      "a Ceph nearfull ratio above its backfillfull ratio",
      (s: any) =>
        (s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4, nearfullRatio: 0.91 },
        }),
      {
        path: "storage.ceph.nearfullRatio",
        code: "schema-too-big",
        message:
          "must be at most 0.90, Ceph's backfillfull ratio, where OSDs stop taking data to recover: above it the monitors report the ratios out of order (HEALTH_ERR)",
      },
    ],
    [
      "a Swift container name longer than 256 bytes in UTF-8",
      (s: any) => swift(s, [{ name: "é".repeat(130), purpose: "application" }]),
      {
        path: "storage.swift.containers[0].name",
        code: "schema-custom",
        message: "must be at most 256 bytes in UTF-8 (Swift's limit); this one is 260 bytes",
      },
    ],
    [
      "a backend declares qos without a limit",
      (s: any) =>
        (s.storage = { backends: [{ name: "gold", kind: "lvm", volumeType: "gold", qos: {} }] }),
      {
        path: "storage.backends[0].qos",
        code: "qos-empty",
        message:
          "backend gold declares qos without a limit; set readIopsSec, writeIopsSec or totalBytesSec, or remove qos",
      },
    ],
    [
      "a tenant is put in the platform stack",
      (s: any) => (s.tenants = [{ name: "t1", stack: "platform" }]),
      {
        path: "tenants[0].stack",
        code: "stack-reserved",
        message:
          'stack "platform" is the platform team\'s stack; choose another stack name for tenant t1',
      },
    ],
    [
      "a tenant is put in the stack of the roles on whole domains",
      (s: any) => (s.tenants = [{ name: "t1", stack: "domain-roles" }]),
      {
        path: "tenants[0].stack",
        code: "stack-reserved",
        message:
          'stack "domain-roles" holds the roles of groups on whole domains (identity.groupRoleMappings without a tenant); choose another stack name for tenant t1',
      },
    ],
    [
      "two tenant names derive the same id",
      (s: any) => (s.tenants = [{ name: "Foo Bar" }, { name: "foo-bar" }]),
      {
        path: "tenants[1].name",
        code: "duplicate-name",
        message:
          'tenant id "foo-bar" (derived from the name "foo-bar") is already the id of tenants[0] ("Foo Bar", derived from its name); set tenants[1].id to a distinct identifier',
      },
    ],
    [
      "an explicit tenant id is another tenant's derived id",
      (s: any) => (s.tenants = [{ name: "Foo Bar" }, { name: "Other", id: "foo-bar" }]),
      {
        path: "tenants[1].id",
        code: "duplicate-name",
        message:
          'tenant id "foo-bar" is already the id of tenants[0] ("Foo Bar", derived from its name); set tenants[1].id to a distinct identifier',
      },
    ],
    [
      "a tenant id names a construct its stack already holds",
      (s: any) => (s.tenants = [{ name: "OpenStack" }]),
      {
        path: "tenants[0].name",
        code: "tenant-id-reserved",
        message:
          'tenant id "openstack" (derived from the name "OpenStack") is reserved in a tenant\'s Terraform stack; set tenants[0].id to another identifier',
      },
    ],
    [
      "a name is a reserved word",
      (s: any) => (s.zones[0].pools[0].name = "constructor"),
      {
        path: "zones[0].pools[0].name",
        code: "schema-invalid-format",
        message: '"constructor" is a reserved word; choose another name',
      },
    ],
    [
      "a role is named like a member of every JavaScript object",
      (s: any) => (s.tenants = [{ name: "a", groups: [{ name: "ops", role: "toString" }] }]),
      {
        path: "tenants[0].groups[0].role",
        code: "schema-invalid-format",
        message: '"toString" is a reserved word; choose another name',
      },
    ],
    [
      "a domain takes the name Keystone keeps for federated users",
      (s: any) => (s.identity = { domains: [{ name: "federated" }] }),
      {
        path: "identity.domains[0].name",
        code: "name-reserved",
        message:
          '"federated" is the name Keystone keeps for federated users\' domain ([federation] federated_domain_name), and it refuses to create a domain of that name; choose another',
      },
    ],
    [
      "a network is named like the tenant subnet pool",
      (s: any) => {
        s.network.networks[2].name = "tenant-pool";
        s.network.tenantSubnetPool = { prefixes: ["172.30.0.0/16"] };
      },
      {
        path: "network.networks[2].name",
        code: "name-reserved",
        message:
          'network name "tenant-pool" is taken by the tenant subnet pool\'s resources; rename the network',
      },
    ],
    [
      "an IPv4 tenant network too small for a gateway and hosts",
      (s: any) => (s.tenants = [{ name: "t1", network: { cidr: "172.30.0.0/30" } }]),
      {
        path: "tenants[0].network.cidr",
        code: "tenant-network-prefix",
        message:
          "172.30.0.0/30 is too small for the router gateway and hosts; use a /29 or a larger block",
      },
    ],
    [
      "an IPv6 tenant network longer than /64",
      (s: any) => (s.tenants = [{ name: "t1", network: { cidr: "2001:db8:1::/80" } }]),
      {
        path: "tenants[0].network.cidr",
        code: "tenant-network-prefix",
        message:
          "2001:db8:1::/80 is too small for the router gateway and hosts; use a /64 or a larger block",
      },
    ],
    [
      "an IPv6 tenant network shorter than the /64 SLAAC needs",
      (s: any) => (s.tenants = [{ name: "t1", network: { cidr: "2001:db8:100::/56" } }]),
      {
        path: "tenants[0].network.cidr",
        code: "tenant-network-prefix",
        message: "2001:db8:100::/56: IPv6 tenant subnets use SLAAC, which needs exactly a /64",
      },
    ],
    [
      "a group-role mapping repeats one of the tenant's groups",
      (s: any) => {
        s.identity = {
          groupRoleMappings: [{ domain: "default", group: "ops", role: "member", tenant: "t1" }],
        };
        s.tenants = [{ name: "t1", groups: [{ name: "ops", role: "member" }] }];
      },
      {
        path: "identity.groupRoleMappings[0]",
        code: "duplicate-name",
        message:
          'group "ops" already has role member on tenant t1 through tenants[0].groups; remove one of them',
      },
    ],
    [
      "an IPv6 tenant network with an IPv4 DNS server",
      (s: any) =>
        (s.tenants = [
          { name: "t1", network: { cidr: "2001:db8:1::/64", dnsServers: ["10.9.0.53"] } },
        ]),
      {
        path: "tenants[0].network.dnsServers[0]",
        code: "dns-ip-version",
        message:
          "IPv4 DNS server 10.9.0.53 on the IPv6 network 2001:db8:1::/64; a subnet takes DNS servers of its own IP version",
      },
    ],
    [
      "a DNS server listed twice",
      (s: any) => (s.network.dnsServers = ["2001:db8::53", "2001:DB8:0::53"]),
      {
        path: "network.dnsServers[1]",
        code: "duplicate-address",
        message: 'DNS server "2001:DB8:0::53" is already declared at network.dnsServers[0]',
      },
    ],
    [
      "more than 5 DNS servers for a tenant",
      (s: any) =>
        (s.tenants = [
          {
            name: "t1",
            network: {
              cidr: "172.30.0.0/24",
              dnsServers: ["10.9.0.1", "10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6"],
            },
          },
        ]),
      {
        path: "tenants[0].network.dnsServers",
        code: "dns-servers-count",
        message: "6 DNS servers; Neutron accepts at most 5 per subnet (max_dns_nameservers)",
      },
    ],
    [
      "a subnet pool's default prefix length shorter than its prefix",
      (s: any) =>
        (s.network.tenantSubnetPool = {
          prefixes: ["172.30.0.0/16", "172.31.0.0/20"],
          defaultPrefixLength: 18,
        }),
      {
        path: "network.tenantSubnetPool.defaultPrefixLength",
        code: "subnet-pool-prefix-length",
        message: "/18 is larger than the pool prefix 172.31.0.0/20; use /20 or longer",
      },
    ],
    [
      "an IPv6 subnet pool's default prefix length longer than /64",
      (s: any) =>
        (s.network.tenantSubnetPool = { prefixes: ["2001:db8:100::/40"], defaultPrefixLength: 80 }),
      {
        path: "network.tenantSubnetPool.defaultPrefixLength",
        code: "subnet-pool-prefix-length",
        message: "/80 is too long for IPv6 tenant subnets; use at most /64 (SLAAC needs a /64)",
      },
    ],
    [
      "an IPv6 subnet pool's default prefix length shorter than /64, which Neutron refuses",
      (s: any) =>
        (s.network.tenantSubnetPool = { prefixes: ["2001:db8:100::/40"], defaultPrefixLength: 56 }),
      {
        path: "network.tenantSubnetPool.defaultPrefixLength",
        code: "subnet-pool-prefix-length",
        message:
          "/56 is too short for IPv6 tenant subnets: Neutron's pools hand out /64 at the shortest, and SLAAC needs a /64; use /64",
      },
    ],
    [
      "an IPv4 subnet pool's default prefix length longer than /30",
      (s: any) =>
        (s.network.tenantSubnetPool = { prefixes: ["172.30.0.0/16"], defaultPrefixLength: 31 }),
      {
        path: "network.tenantSubnetPool.defaultPrefixLength",
        code: "subnet-pool-prefix-length",
        message: "/31 is too long for IPv4 tenant subnets; use at most /30",
      },
    ],
    [
      "a per-type quota keyed by a backend and by its volume type",
      (s: any) => {
        s.storage = { backends: [{ name: "lvm-ssd", kind: "lvm", volumeType: "fast" }] };
        s.tenants = [
          {
            name: "t1",
            quota: { perVolumeType: { "lvm-ssd": { volumes: 1 }, fast: { volumes: 2 } } },
          },
        ];
      },
      {
        path: "tenants[0].quota.perVolumeType.fast",
        code: "duplicate-name",
        message: '"fast" and "lvm-ssd" name the same volume type "fast"; keep one of them',
      },
    ],
    [
      "more than 9 controllers",
      (s: any) => (s.controlPlane.controllers = 11),
      { path: "controlPlane.controllers", code: "schema-too-big", message: "must be at most 9" },
    ],
    [
      "an admin CIDR broader than /8",
      (s: any) => (s.securityZones.adminCidrs = ["10.0.0.0/7"]),
      {
        path: "securityZones.adminCidrs[0]",
        code: "admin-cidr-open",
        message:
          "10.0.0.0/7 opens management ports to a large part of the internet (broader than /8); list the admin networks",
      },
    ],
    [
      "a tenant SSH CIDR broader than /16",
      (s: any) => (s.tenants = [{ name: "t1", sshCidrs: ["2000::/3"] }]),
      {
        path: "tenants[0].sshCidrs[0]",
        code: "ssh-cidr-open",
        message:
          "2000::/3 opens SSH to a large part of the internet (broader than /16); list the admin or bastion networks",
      },
    ],
    [
      "a generated compute host name is longer than 63 characters",
      (s: any) => {
        s.zones[1].name = "availability-zone-frankfurt-east";
        s.zones[1].pools[0].name = "general-purpose-compute-large";
      },
      {
        path: "zones[1].pools[0].name",
        code: "hostname-too-long",
        message:
          'host name "availability-zone-frankfurt-east-general-purpose-compute-large-01", generated as <zone>-<pool>-<number> for the 3 hosts of pool general-purpose-compute-large in zone availability-zone-frankfurt-east, is 65 characters; a host name is one DNS label of at most 63 (RFC 1035; Linux takes 64): shorten the zone or pool name by 2 characters, or list shorter host names in zones[1].pools[0].hostnames',
      },
    ],
    [
      "a generated compute host's FQDN is longer than 253 characters",
      (s: any) => {
        s.zones[1].name = "availability-zone-frankfurt-east";
        s.zones[1].pools[0].name = "general-purpose-compute-big";
        s.network.domain = domainOf(190);
      },
      {
        path: "zones[1].pools[0].name",
        code: "fqdn-too-long",
        message: `FQDN "availability-zone-frankfurt-east-general-purpose-compute-big-01.${domainOf(190)}" of host name "availability-zone-frankfurt-east-general-purpose-compute-big-01", generated as <zone>-<pool>-<number> for the 3 hosts of pool general-purpose-compute-big in zone availability-zone-frankfurt-east, is 254 characters; a domain name is at most 253 (RFC 1035): shorten the zone or pool name or network.domain by 1 character, or list shorter host names in zones[1].pools[0].hostnames`,
      },
    ],
    [
      "a listed host name's FQDN is longer than 253 characters",
      (s: any) => {
        s.controlPlane.hostnames = ["c".repeat(53), "ctrl-b", "ctrl-c"];
        s.network.domain = domainOf(200);
      },
      {
        path: "controlPlane.hostnames[0]",
        code: "fqdn-too-long",
        message: `FQDN "${"c".repeat(53)}.${domainOf(200)}" of host name "${"c".repeat(53)}" is 254 characters; a domain name is at most 253 (RFC 1035): shorten the host name or network.domain by 1 character`,
      },
    ],
    [
      "tenants name one pool by its name and by its id, together beyond it",
      (s: any) =>
        (s.tenants = [
          { name: "a", pool: "app", quota: { cores: 250 } },
          { name: "b", pool: "az2-app", quota: { cores: 250 } },
        ]),
      {
        path: "tenants[0].quota.cores",
        code: "quota-exceeds-capacity",
        message:
          "tenant core quotas on pool az2-app add up to 500, but it offers 496 vCPUs after allocation ratios and N+1 headroom (the largest of the 2 quotas is tenant a's, 250)",
      },
    ],
    [
      "a tenant's default quota on a pool whose only host is its spare",
      (s: any) => {
        s.zones[1].pools[0].hosts = 1;
        s.tenants = [{ name: "a", pool: "az2-app" }];
      },
      {
        path: "tenants[0].quota.cores",
        code: "quota-exceeds-capacity",
        message:
          "tenant core quotas on pool az2-app add up to 40 (a tenant without quota.cores counts the default 40), but it offers 0 vCPUs after allocation ratios and N+1 headroom: its only host is kept spare (spareHosts); add hosts, or set spareHosts: 0",
      },
    ],
    [
      "tenants on a pool and tenants on none, together beyond the cloud",
      (s: any) =>
        (s.tenants = [
          { name: "a", pool: "app", quota: { cores: 400 } },
          { name: "b", quota: { cores: 900 } },
        ]),
      {
        path: "tenants[1].quota.cores",
        code: "quota-exceeds-capacity",
        message:
          "tenant core quotas on the cloud add up to 1300, but it offers 1240 vCPUs after allocation ratios and N+1 headroom (the largest of the 2 quotas is tenant b's, 900)",
      },
    ],
    [
      "tenants on no pool beyond the pools their flavors reach, though within the cloud",
      (s: any) => {
        // (az2-app's flavor is private to tenant a, on that pool: b boots only on az1-web)
        s.tenants = [
          { name: "a", pool: "app", flavors: ["app-medium"], quota: { cores: 100 } },
          { name: "b", quota: { cores: 900 } },
        ];
      },
      {
        path: "tenants[1].quota.cores",
        code: "quota-exceeds-capacity",
        message:
          "tenant core quotas on no pool, which boot only on the pools their flavors reach (az1-web), less what the tenants on those pools take there, add up to 900, but it offers 744 vCPUs after allocation ratios and N+1 headroom",
      },
    ],
    [
      "an admin CIDR listed twice",
      (s: any) => (s.securityZones.adminCidrs = ["2001:db8::/48", "2001:0DB8::/48"]),
      {
        path: "securityZones.adminCidrs[1]",
        code: "duplicate-cidr",
        message: 'CIDR "2001:0DB8::/48" is already declared at securityZones.adminCidrs[0]',
      },
    ],
  ])("fails when %s", (_what, edit, expected) => {
    // GIVEN
    const spec = variant(edit);
    // WHEN
    const found = errors(spec);
    // THEN
    expect(found).toContainEqual(expected);
  });

  test("an application container no ACL opens to a project is warned: only the admin's project reaches it", () => {
    const warned = (container: Record<string, unknown>) =>
      load(variant((s) => swift(s, [{ name: "data", purpose: "application", ...container }])))
        .warnings.filter((w) => w.code === "container-admin-only")
        .map((w) => formatPath(w.path));
    expect(warned({})).toEqual(["storage.swift.containers[0]"]);
    // (a reader, a writer or a public container reaches beyond it)
    expect(warned({ readers: ["0123456789abcdef0123456789abcdef:*"] })).toEqual([]);
    expect(warned({ writers: ["0123456789abcdef0123456789abcdef:*"] })).toEqual([]);
    expect(warned({ public: true })).toEqual([]);
  });

  test("a container ACL naming a project Swift cannot match by name is warned, with the way it can", () => {
    const warned = (tenant: Record<string, unknown>, reader: string) =>
      load(
        variant((s) => {
          s.identity = { domains: [{ name: "labs" }] };
          s.tenants = [tenant];
          swift(s, [{ name: "data", purpose: "application", readers: [reader] }]);
        }),
      ).warnings.filter((w) => w.code === "container-acl-project-name");
    // GIVEN a project of domain labs named in a read ACL: keystoneauth allows names only in the
    // default domain (allow_names_in_acls, _is_name_allowed_in_acl)
    const [byName] = warned({ name: "genomics", domain: "labs" }, "genomics:*");
    expect([formatPath(byName.path), byName.message]).toEqual([
      "storage.swift.containers[0].readers[0]",
      "container data names project genomics (tenant genomics) in its ACL, but Swift's keystoneauth matches a project by name only when it and the user are in the default domain, and genomics is in domain labs: the entry grants nothing; name the project's Keystone id (its tenant stack's project_id output) instead",
    ]);
    // AND the design's id of a tenant, which Keystone never sees
    const [byId] = warned({ name: "Genomics Lab", id: "genomics" }, "genomics:*");
    // (its fix, the message's last clause, says what to write)
    expect(byId.message).toBe(
      "container data names genomics in its ACL, the design's id of tenant Genomics Lab, which is no Keystone id: Swift matches a project's Keystone id or, in the default domain, its name, so the entry grants nothing; name the project's Keystone id (its tenant stack's project_id output) or its name, Genomics Lab",
    );
    // AND none for a project of the default domain by name, a role (no colon) or a Keystone id
    expect(warned({ name: "genomics" }, "genomics:*")).toEqual([]);
    expect(warned({ name: "genomics", domain: "labs" }, "genomics")).toEqual([]);
    expect(
      warned({ name: "genomics", domain: "labs" }, "4f1c0d7e9a2b4c3d8e5f6a7b8c9d0e1f:*"),
    ).toEqual([]);
    // AND an ACL element Swift refuses is said once
    const refused = issuesOf(
      variant((s) => swift(s, [{ name: "data", purpose: "application", readers: ["a:b,c:d"] }])),
    ).filter((i) => i.code === "container-acl-entry");
    expect(refused).toHaveLength(1);
  });

  test("a host name of 63 characters with an FQDN of 253 is accepted", () => {
    // GIVEN compute hosts named <zone>-<pool>-<number> at exactly 63 characters, in a long domain
    const { model } = load(
      variant((s) => {
        s.zones[1].name = "availability-zone-frankfurt-east";
        s.zones[1].pools[0].name = "general-purpose-compute-big";
        s.network.domain = domainOf(189);
      }),
    );
    // THEN the names reach the model as they are, at the limits
    const host = model.nodes.find(
      (n) => n.pool === "availability-zone-frankfurt-east-general-purpose-compute-big",
    );
    expect(host?.name).toBe("availability-zone-frankfurt-east-general-purpose-compute-big-01");
    expect(host?.name.length).toBe(63);
    expect(host?.fqdn.length).toBe(253);
  });

  test("a single controller is allowed but reported as not highly available", () => {
    const loaded = load(
      variant((s) => {
        s.controlPlane.controllers = 1;
        s.ntp.clients = "servers";
      }),
    );
    expect(loaded.warnings.map((w) => [formatPath(w.path), w.code])).toContainEqual([
      "controlPlane.controllers",
      "controllers-single",
    ]);
    expect(loaded.model.controlPlane.ha).toBe(false);
  });

  test("three controllers on one database or one queue node are not a highly available control plane", () => {
    // The documents, diagram and proposal say "highly available" from this one fact.
    expect(load(variant(() => undefined)).model.controlPlane.ha).toBe(true);
    for (const edit of [
      (s: { controlPlane: Record<string, unknown> }) => (s.controlPlane.database = "single"),
      (s: { controlPlane: Record<string, unknown> }) => (s.controlPlane.messaging = "single"),
    ]) {
      const loaded = load(variant(edit));
      expect(loaded.model.controlPlane.controllers).toHaveLength(3);
      expect(loaded.model.controlPlane.ha).toBe(false);
    }
  });

  test("fewer ports than instances in a tenant quota is reported: Nova would stop at the ports", () => {
    // GIVEN a tenant allowed 50 instances and 40 ports
    const loaded = load(
      variant((s) => {
        s.tenants = [{ name: "t1", quota: { instances: 50, ports: 40 } }];
      }),
    );
    // THEN a warning at the ports quota; the declared value is kept
    expect(
      loaded.warnings
        .filter((w) => w.code === "quota-ports-below-instances")
        .map((w) => formatPath(w.path)),
    ).toEqual(["tenants[0].quota.ports"]);
    expect(loaded.model.tenants[0].quota.ports).toBe(40);
  });

  test("a physical network on a host-only network is reported as having no effect", () => {
    // GIVEN management (host networking) naming a physical network, and the external one
    const loaded = load(
      variant((s) => {
        s.network.networks[0].physicalNetwork = "physnet1";
      }),
    );
    // THEN only the host-only network is reported; the design still validates
    const found = loaded.warnings.filter((w) => w.code === "physical-network-ignored");
    expect(found.map((w) => [formatPath(w.path), w.message])).toEqual([
      [
        "network.networks[0].physicalNetwork",
        "network mgmt (role management) is host networking, not a Neutron network, so physicalNetwork physnet1 has no effect; remove it",
      ],
    ]);
  });

  test("a group mapping may name a tenant by the id derived from its name", () => {
    const m = load(
      variant((s) => {
        s.identity = {
          domains: [{ name: "corp" }],
          groupRoleMappings: [
            { domain: "corp", group: "ops", role: "member", tenant: "retail-banking" },
          ],
        };
        s.tenants = [{ name: "Retail Banking" }];
      }),
    ).model;
    expect(m.tenants[0].groups).toEqual([{ name: "ops", role: "member", domain: "corp" }]);
  });

  test("reports every error of a spec in one run", () => {
    const spec = variant((s) => {
      s.controlPlane.controllers = 2;
      s.network.networks[3].vlan = 10;
      s.zones[1].pools[0].hardware = "nope";
    });
    const codes = errors(spec).map((e) => e.code);
    expect(codes).toEqual(
      expect.arrayContaining(["controllers-even", "vlan-duplicate", "unknown-reference"]),
    );
  });
});

describe("storage disks against the hardware profile", () => {
  test("a disk size in TiB is refused: the same disks must count the same TB", () => {
    // GIVEN Swift storage nodes of 4 x 4 TB disks, sized as 3.64 (their TiB)
    const spec = (diskSizeTB: number) =>
      variant((s) => {
        s.hardware[2].disks = [{ count: 4, sizeGB: 4000, kind: "hdd" }];
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = { swift: swiftCluster({ diskSizeTB }) };
      });
    // THEN it is refused, and 4 is not
    expect(issuesOf(spec(3.64)).map((i) => i.code)).toContain("swift-disks");
    expect(load(spec(4)).model.storage.swift?.rawTB).toBe(48);
  });

  test("OSDs of a size the profile's disks are not name the size, not a count of 0", () => {
    // GIVEN Ceph of 16 TB OSDs on hosts of 4 TB disks
    const issues = issuesOf(
      variant((s) => {
        s.hardware[2].disks = [{ count: 4, sizeGB: 4000, kind: "hdd" }];
        s.storage = { ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 16 } };
      }),
    );
    // THEN the message points at the size
    expect(issues.find((i) => i.code === "ceph-osd-disks")?.message).toBe(
      "hardware profile stor has no spinning disks of about 16 TB, where the design counts 4 OSDs; make osdSizeTB (and deviceClass) those of the profile's data disks, or change its disks",
    );
  });
});

test("Ceph without a storage network holds its cluster network to management's IP version", () => {
  // GIVEN monitors on management (no storage network) and an IPv6 cluster network
  const issues = issuesOf(
    variant((s) => {
      s.network.networks = s.network.networks.filter((n: { role: string }) => n.role !== "storage");
      s.network.networks.push({
        name: "repl",
        role: "storage-replication",
        cidr: "fd00:24::/64",
        vlan: 14,
      });
      s.storage = { ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } };
    }),
  );
  // THEN it is refused: cephadm would bind one version
  expect(issues.map((i) => i.code)).toContain("ceph-networks-family");
});

test("a cloud of provider networks only may say flat: no project network, no router", () => {
  // GIVEN flat tenant networks and tenants without networks of their own, no legacy bridge
  const model = load(
    variant((s) => {
      s.network.tenantNetworkType = "flat";
      s.tenants = [{ name: "lab" }];
    }),
  ).model;
  // THEN it loads, and Neutron is told flat for tenant networks
  expect(model.deploy.neutron.tenantNetworkTypes).toEqual(["flat"]);
  // AND no physical network is bridged for tenant networks projects cannot make
  expect(model.network.tenantPhysicalNetwork).toBeUndefined();
  expect(model.deploy.neutron.physicalNetworks.filter((p) => p.instances)).toEqual([]);
  // AND no HA router is promised: Neutron makes their VRRP network of a tenant type, and flat
  // gives none, so neutron.conf turns Kolla's l3_ha off and the HA table says so
  const neutronConf = deployFiles(model).get("deploy/kolla/config/neutron.conf") ?? "";
  expect(neutronConf).toMatch(/^l3_ha = false$/im);
  const l3 = model.ha.find((r) => r.kind.startsWith("l3-"));
  expect([l3?.kind, l3?.failuresTolerated]).toEqual(["l3-controllers-flat", 1]);
  expect(l3?.mechanism).toContain("no network for their VRRP traffic");
  expect(deployFiles(load(baseSpec()).model).get("deploy/kolla/config/neutron.conf")).not.toContain(
    "l3_ha",
  );
  // AND a legacy bridge on flat is built: its router runs on one agent, which the table says
  const bridged = load(
    variant((s) => {
      s.network.tenantNetworkType = "flat";
      withLegacyFlows(s, []);
    }),
  ).model;
  expect(deployFiles(bridged).get("deploy/kolla/config/neutron.conf") ?? "").toMatch(
    /^l3_ha = false$/im,
  );
  const legacyRow = bridged.ha.find((r) => r.kind.startsWith("l3-"));
  expect([legacyRow?.kind, legacyRow?.failuresTolerated]).toEqual([
    "l3-controllers-flat-legacy",
    0,
  ]);
  // AND three-node so, whose external network shares its computes' bond, is no error either
  const three = parse(fs.readFileSync(path.join(ROOT, "examples/three-node.yaml"), "utf8"));
  three.network.tenantNetworkType = "flat";
  delete three.network.tenantVlanRange;
  three.tenants = [];
  expect(() => load(three)).not.toThrow();
});

test("a tenant network of exactly a subnet pool prefix is no overlap: the pool may hand it out", () => {
  const spec = variant((s) => {
    s.network.tenantSubnetPool = { prefixes: ["172.30.0.0/24", "172.31.0.0/16"] };
    s.tenants = [{ name: "t1", network: { cidr: "172.30.0.0/24" } }];
  });
  expect(() => load(spec)).not.toThrow();
});

test("a controller named as a hypervisor, and a dual-stack list of CIDRs, say what is not supported", () => {
  // GIVEN a pool whose host takes a controller's name (a converged node), and a tenant network
  // of two CIDRs (dual stack)
  const converged = issuesOf(
    variant((s) => {
      s.controlPlane.hostnames = ["ctrl-a", "ctrl-b", "ctrl-c"];
      s.zones[0].pools[0].hosts = 1;
      s.zones[0].pools[0].hostnames = ["ctrl-a"];
    }),
  ).find((i) => i.code === "duplicate-hostname");
  expect(converged?.message).toContain(
    "a controller host cannot also be a compute host here (no converged nodes); give the pool servers of its own",
  );
  // AND so does a Ceph OSD host named as a controller
  const osdOnController = issuesOf(
    variant((s) => {
      s.controlPlane.hostnames = ["ctrl-a", "ctrl-b", "ctrl-c"];
      s.storage = {
        ceph: cephCluster({ nodes: 3, hostnames: ["ctrl-a", "ctrl-b", "ctrl-c"] }),
      };
    }),
  ).find((i) => i.code === "duplicate-hostname");
  expect(osdOnController?.message).toContain(
    "a controller host cannot also be a ceph-osd host here (no converged nodes); give the ceph-osd hosts servers of their own",
  );
  const dual = issuesOf(
    variant(
      (s) => (s.tenants = [{ name: "t", network: { cidr: ["10.9.0.0/24", "2001:db8::/64"] } }]),
    ),
  ).find((i) => i.path.join(".") === "tenants.0.network.cidr");
  expect(dual?.message).toBe(
    "expected one CIDR, not a list: a network here has one subnet, IPv4 or IPv6 (no dual stack)",
  );
});

test("a supernet holds the networks of its IP version only", () => {
  // GIVEN an IPv4 supernet and an IPv6 amphora network beside the IPv4 ones
  const spec = variant((s) => {
    s.network.supernet = "10.0.0.0/16";
    s.controlPlane.services = [...s.controlPlane.services, "octavia"];
    s.network.networks.push({ name: "lb-mgmt", role: "octavia", cidr: "fd00:60:8::/64", vlan: 30 });
  });
  const codes = (() => {
    try {
      return load(spec).warnings.map((w) => w.code);
    } catch (err) {
      return (err as { issues: { code: string }[] }).issues.map((i) => i.code);
    }
  })();
  // THEN the amphora network is not held to the IPv4 supernet
  expect(codes).not.toContain("cidr-outside-supernet");
});

test("a flavor named amphora is refused where Kolla-Ansible makes Octavia's own", () => {
  // GIVEN Octavia, and a pool flavor under the name of Kolla's octavia_amp_flavor
  const withOctavia = (flavor: string) =>
    variant((s) => {
      s.controlPlane.services = [...s.controlPlane.services, "octavia"];
      s.network.networks.push({ name: "lb-mgmt", role: "octavia", cidr: "10.0.60.0/24", vlan: 30 });
      s.zones[0].pools[0].flavors = [{ name: flavor, vcpus: 1, ramGiB: 1, diskGiB: 5 }];
    });
  // THEN Nova would refuse the platform's flavor (FlavorExists): the spec is refused first
  expect(issuesOf(withOctavia("amphora")).map((i) => [i.code, formatPath(i.path)])).toEqual([
    ["name-reserved", "zones[0].pools[0].flavors[0].name"],
  ]);
  expect(load(withOctavia("amphora-lb")).model.pools[0].flavors.map((f) => f.name)).toEqual([
    "amphora-lb",
  ]);
});

test("the default services take Cinder only into a design with volume backends or backups", () => {
  // GIVEN the base design with the default service list (none written)
  const services = (edit: (s: any) => void) =>
    load(
      variant((s) => {
        delete s.controlPlane.services;
        edit(s);
      }),
    ).spec.controlPlane.services;
  // THEN no volume backend leaves Cinder out (Kolla-Ansible deploys none without one)
  expect(services(() => undefined)).not.toContain("cinder");
  // AND a backend brings it in
  expect(
    services(
      (s) => (s.storage = { backends: [{ name: "g", kind: "glusterfs", volumeType: "v" }] }),
    ),
  ).toContain("cinder");
  // AND a list the spec writes is its own: Cinder there without a backend is refused
  expect(
    issuesOf(variant((s) => s.controlPlane.services.push("cinder"))).map((i) => i.code),
  ).toEqual(["cinder-backend-missing"]);
});

test("a tenant subnet's edge addresses bind only that tenant's own DNS servers", () => {
  // GIVEN the design's DNS server at 10.1.1.0, a host address in a corporate /16, where a
  // tenant's overlay subnet happens to start
  const tenantNet = (dnsServers?: string[]) =>
    variant((s) => {
      s.network.dnsServers = ["10.1.1.0"];
      s.tenants = [
        { name: "a", network: { cidr: "10.1.1.0/24", ...(dnsServers ? { dnsServers } : {}) } },
      ];
    });
  // THEN the hosts' server is theirs to reach: no edge error, but the tenant's instances, given
  // that server, would look for it on their own subnet
  expect(load(tenantNet()).warnings.map((i) => `${i.code} ${formatPath(i.path)}`)).toContain(
    "tenant-subnet-dns tenants[0].network.cidr",
  );
  // AND the tenant's own server cannot be its subnet's network address
  expect(
    issuesOf(tenantNet(["10.1.1.0"]))
      .filter((i) => i.code === "address-reserved")
      .map((i) => formatPath(i.path)),
  ).toEqual(["tenants[0].network.dnsServers[0]"]);
});

test("a group made admin of a domain is told admin on a domain is the whole cloud's too", () => {
  // GIVEN a directory group given admin on domain corp
  const { warnings } = load(
    variant((s) => {
      s.identity = {
        domains: [{ name: "corp" }],
        groupRoleMappings: [{ domain: "corp", group: "leads", role: "admin" }],
      };
    }),
  );
  // THEN the warning speaks of the domain, not of a project
  expect(warnings.find((w) => w.code === "group-cloud-admin")?.message).toBe(
    "group leads gets role admin on domain corp: under the default policies of Keystone and most services, admin on any domain or project is admin of the whole cloud; grant member (or manager, where the services know it) and keep admin to the cloud's operators",
  );
});

/** Domain corp, read from an Active Directory, with these settings of its directory besides. */
const corpDirectory = (ldap: Record<string, string> = {}) => ({
  name: "corp",
  ldap: {
    url: "ldaps://ad.example.com",
    activeDirectory: true,
    userTreeDn: "ou=Users,dc=example,dc=com",
    groupTreeDn: "ou=Groups,dc=example,dc=com",
    ...ldap,
  },
});

test("tenants listing one group of a domain without a directory are told they share it", () => {
  // GIVEN two customers of one SQL domain, each listing "admins", and a directory domain alike
  const design = (domain: string, mapped = false) =>
    variant((s) => {
      s.identity = {
        domains: [{ name: "customers" }, corpDirectory()],
        groupRoleMappings: mapped ? [{ domain, group: "ops", role: "member", tenant: "b" }] : [],
      };
      s.tenants = [
        {
          name: "a",
          domain,
          groups: [
            { name: "admins", role: "member" },
            { name: "ops", role: "reader" },
          ],
        },
        { name: "b", domain, groups: [{ name: "admins", role: "member" }] },
      ];
    });
  // THEN the second tenant's group is named, with the first tenant and the domain
  const { warnings } = load(design("customers"));
  expect(
    warnings.filter((w) => w.code === "tenant-group-shared").map((w) => [w.path, w.message]),
  ).toEqual([
    [
      ["tenants", 1, "groups", 0, "name"],
      "tenants a and b both list group admins of domain customers, which has no directory: the platform stack makes one Keystone group admins there, so whoever is added to it for one tenant gets its role on the other's project too; give each tenant's group a name of its own (b-admins), or, for the same people on several projects, grant the group in identity.groupRoleMappings",
    ],
  ]);
  // AND a directory's group (the directory's own) is not, nor a mapping (the designer's choice)
  const codes = (spec: Record<string, unknown>) => load(spec).warnings.map((w) => w.code);
  expect(codes(design("corp"))).not.toContain("tenant-group-shared");
  expect(codes(design("customers", true))).toContain("tenant-group-shared");
  expect(
    load(design("customers", true)).warnings.filter((w) => w.code === "tenant-group-shared"),
  ).toHaveLength(1);
});

test("a group a directory's group filter keeps out is named where the design names it", () => {
  const design = (groupFilter: string) =>
    variant((s) => {
      s.identity = {
        domains: [corpDirectory({ groupFilter })],
        groupRoleMappings: [{ domain: "corp", group: "Cloud-Ops", role: "reader" }],
      };
      s.tenants = [
        { name: "a", domain: "corp", groups: [{ name: "cardio-staff", role: "member" }] },
      ];
    });
  const warned = (filter: string) =>
    load(design(filter))
      .warnings.filter((w) => w.code === "ldap-group-filtered")
      .map((w) => [formatPath(w.path), w.message]);
  // THEN a name outside (cn=cloud-*) is named, one inside it (without case) is not
  expect(warned("(cn=cloud-*)")).toEqual([
    [
      "tenants[0].groups[0].name",
      "group cardio-staff of domain corp does not match the domain's groupFilter (cn=cloud-*), which Keystone adds to every group search: the stack's lookup finds no such group and its apply stops there; rename the group in the design to the directory's, or widen the filter",
    ],
  ]);
  expect(warned("(&(objectCategory=group)(cn=cloud-*))").map(([p]) => p)).toEqual([
    "tenants[0].groups[0].name",
  ]);
  // AND a filter it cannot read plainly (OR, other attributes alone) is left alone
  expect(warned("(|(cn=cloud-*)(cn=staff-*))")).toEqual([]);
  expect(warned("(objectCategory=group)")).toEqual([]);
  expect(filterNamePatterns("(cn=a\\2ab)")).toBeUndefined();
  // AND names are matched as LDAP does, in one pass: without case, runs of spaces as one, any
  // character under a wildcard, and many wildcards against a long name in no time
  const admits = (filter: string, name: string) =>
    filterNamePatterns(filter)!.every((m) => m(name));
  expect(admits("(cn=retail ops)", "Retail  Ops")).toBe(true);
  expect(admits("(cn=*)", "retail\u2028ops")).toBe(true);
  expect(admits("(cn=cloud-*-ops)", "cloud-a-b-ops")).toBe(true);
  expect(admits("(cn=cloud-*-ops)", "cloud-ops")).toBe(false);
  expect(admits("(cn=ab*ba)", "aba")).toBe(false);
  expect(admits(`(cn=${"*a".repeat(40)}*b)`, "a".repeat(128))).toBe(false);
});

test("key pairs made with the admin entry are said to be the admin's, not the project users'", () => {
  const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ5Xc0vTq7Yb2l8lP3b2k5m6n7o8p9q0r1s2t3u4v5";
  const design = (credentials?: "project") =>
    variant((s) => {
      s.tenants = [{ name: "a", keyPairs: [{ name: "ops", publicKey: KEY }] }];
      if (credentials) s.output = { tenantStacks: { networkCredentials: credentials } };
    });
  const warned = (spec: Record<string, unknown>) =>
    load(spec)
      .warnings.filter((w) => w.code === "tenant-key-pairs-admin")
      .map((w) => [formatPath(w.path), w.message]);
  expect(warned(design())).toEqual([
    [
      "tenants[0].keyPairs",
      "tenant a's key pairs are made with the admin entry (output.tenantStacks.networkCredentials: admin), and Nova keeps a key pair for the user that made it: they are the admin's, and the project's users cannot boot with them (Nova finds no key of that name for them); let each user upload their own, or set output.tenantStacks to { networkCredentials: project }, which makes them the keys of the user whose application credential applies the project's network stack (still that user's alone)",
    ],
  ]);
  expect(warned(design("project"))).toEqual([]);
});

test("a tenant given no load balancers is not told its people cannot use them", () => {
  const lbTenant = (quota: Record<string, number>) =>
    variant((s) => {
      s.controlPlane.services.push("octavia");
      s.network.networks.push({ name: "lb-mgmt", role: "octavia", cidr: "10.0.8.0/24", vlan: 30 });
      s.tenants = [{ name: "a", groups: [{ name: "devs", role: "member" }], quota }];
    });
  const codes = (quota: Record<string, number>) =>
    load(lbTenant(quota)).warnings.map((w) => w.code);
  expect(codes({})).toContain("load-balancer-member-missing");
  expect(codes({ loadBalancers: 0 })).not.toContain("load-balancer-member-missing");
});

test("a tenant charged to a pool is told when that pool offers it no flavor", () => {
  const codes = (tenantB: Record<string, unknown>) =>
    load(
      variant(
        (s) =>
          (s.tenants = [
            { name: "a", flavors: ["web-small"] },
            { name: "b", ...tenantB },
          ]),
      ),
    )
      .warnings.filter((w) => w.code === "tenant-pool-no-flavor")
      .map((w) => w.message);
  // GIVEN web's one flavor private to tenant a: b charged to web boots only app's public one
  expect(codes({ pool: "web" })).toEqual([
    "tenant b's quota is charged to pool web, but every flavor of that pool is private to the tenants that list it: its instances can run only on other pools' public flavors, whose capacity the quota check does not charge it to; list a flavor of web in tenants[1].flavors, or make one public",
  ]);
  // THEN a pool with a public flavor, or the flavor listed by b too, is fine
  expect(codes({ pool: "app" })).toEqual([]);
  expect(codes({ pool: "web", flavors: ["web-small"] })).toEqual([]);
});

test("a tenant whose derived id drops letters is offered one that spells them", () => {
  const message = (name: string) =>
    load(variant((s) => (s.tenants = [{ name }]))).warnings.find(
      (w) => w.code === "tenant-id-derived",
    )?.message;
  expect(message("Zentrale Notaufnahme Ärzte")).toBe(
    "tenant Zentrale Notaufnahme Ärzte has no id, and the one derived from its name, zentrale-notaufnahme-rzte, drops its letters outside ASCII; it names the tenant's stack and Terraform addresses for good: set tenants[0].id (e.g. zentrale-notaufnahme-arzte)",
  );
  expect(message("Straße Œuvre")).toContain("(e.g. strasse-oeuvre)");
  // (a name of no Latin letters keeps what it derives)
  expect(message("财务 team")).toContain("(e.g. team)");
  expect(message("Kırıkkale ﬁnance")).toContain("(e.g. kirikkale-finance)");
  // AND never an id a stack reserves or another tenant holds
  expect(message("Bäckend")).toContain("(e.g. backend-2)");
  const besides = load(
    variant(
      (s) =>
        (s.tenants = [{ name: "Ärzte" }, { name: "Doctors", id: "arzte" }, { name: "Arzte-2" }]),
    ),
  ).warnings.find((w) => w.code === "tenant-id-derived")?.message;
  expect(besides).toContain("(e.g. arzte-3)");
  // AND never another tenant's name, nor what another was offered
  const offered = load(
    variant(
      (s) =>
        (s.tenants = [
          { name: "Æ Team" },
          { name: "ae-team", id: "other" },
          { name: "Ñu Team" },
          { name: "Nu-Tëam" },
        ]),
    ),
  )
    .warnings.filter((w) => w.code === "tenant-id-derived")
    .map((w) => w.message.match(/\(e\.g\. ([^)]+)\)/)?.[1]);
  expect(offered).toEqual(["ae-team-2", "nu-team", "nu-team-2"]);
});

test("every flavor of a pinned pool is pinned and counted, whether it says dedicated or not", async () => {
  const pinned = { name: "web-pinned", vcpus: 6, ramGiB: 8, dedicated: true };
  const pool = (flavors: object[]) =>
    load(
      variant((s) => {
        s.zones[0].pools[0].cpuPinning = true;
        s.zones[0].pools[0].flavors = flavors;
      }),
    );
  const small = { name: "web-small", vcpus: 2, ramGiB: 4 };
  const { warnings, model } = pool([pinned, small]);
  expect(warnings.map((w) => w.code)).toEqual(["glance-file-single"]);
  expect(model.pools[0].flavors.find((f) => f.name === "web-small")?.dedicated).toBe(true);
  // (the 2-vCPU flavor fills the 6-vCPU guests' leftovers, as Nova places it pinned)
  expect(model.pools[0].capacity.usableDedicatedCpus).toBe(
    pool([pinned, { ...small, dedicated: true }]).model.pools[0].capacity.usableDedicatedCpus,
  );
  expect(model.pools[0].capacity.usableDedicatedCpus).toBeGreaterThan(
    pool([pinned]).model.pools[0].capacity.usableDedicatedCpus,
  );
  // AND its Nova flavor asks for dedicated CPUs
  const stacks = await synthesized(findBlueprint(model.blueprint)!, model);
  const platform = JSON.parse(stacks.find((st) => st.name === "platform")!.content);
  const flavor = Object.values(platform.resource.openstack_compute_flavor_v2).find(
    (f: any) => f.name === "web-small",
  ) as any;
  expect(flavor.extra_specs["hw:cpu_policy"]).toBe("dedicated");
});

test("a source CIDR written with host bits is warned: it opens the whole block", () => {
  // GIVEN an SSH source meant as one bastion, written with a /8
  const warned = (source: string) =>
    load(
      variant((s) => {
        s.tenants = [{ name: "shop", network: { cidr: "172.30.0.0/24" }, sshCidrs: [source] }];
      }),
    )
      .warnings.filter((w) => w.code === "source-host-bits")
      .map((w) => [formatPath(w.path), w.message]);
  expect(warned("10.1.2.3/8")).toEqual([
    [
      "tenants[0].sshCidrs[0]",
      "10.1.2.3/8 has host bits set, and Neutron and the firewall read it as the block 10.0.0.0/8 (more than a million addresses); write 10.0.0.0/8, or 10.1.2.3/32 for the one host",
    ],
  ]);
  expect(warned("10.1.2.3/30")[0][1]).toContain("as the block 10.1.2.0/30 (4 addresses)");
  // THEN none for the block itself or one host
  expect(warned("10.1.2.0/24")).toEqual([]);
  expect(warned("10.1.2.3/32")).toEqual([]);
});

test("a pool its reservations leave nothing of is refused once, not again for each flavor and quota", () => {
  // GIVEN 4,096 GiB reserved on a host of 256, a tenant charged to its pool
  const found = issuesOf(
    variant((s) => {
      s.zones[0].pools[0].reservedHostMemoryGiB = 4096;
      s.tenants = [{ name: "shop", pool: "web" }];
    }),
  ).map((i) => [i.code, formatPath(i.path)]);
  // THEN the reservation alone: no flavor "offered -3,845 GiB", no quota over "0 GiB"
  expect(found).toEqual([["reservation-too-large", "zones[0].pools[0].reservedHostMemoryGiB"]]);
  // AND another pool's tenant over its quota is still refused beside it
  const beside = issuesOf(
    variant((s) => {
      s.zones[0].pools[0].reservedHostMemoryGiB = 4096;
      s.tenants = [
        { name: "shop", pool: "web" },
        { name: "erp", pool: "app", quota: { cores: 100_000 } },
      ];
    }),
  ).map((i) => [i.code, formatPath(i.path)]);
  expect(beside).toContainEqual(["quota-exceeds-capacity", "tenants[1].quota.cores"]);
  expect(beside.filter(([, p]) => p.startsWith("tenants[0]"))).toEqual([]);
  // AND a flavor's CPUs, which the memory's reservation leaves whole, are still judged
  const cpus = issuesOf(
    variant((s) => {
      s.zones[0].pools[0].reservedHostMemoryGiB = 4096;
      s.zones[0].pools[0].flavors[0].vcpus = 500;
    }),
  ).map((i) => [i.code, formatPath(i.path)]);
  expect(cpus).toContainEqual(["flavor-too-large", "zones[0].pools[0].flavors[0].vcpus"]);
});

test("a host name two zones of one name both make names the first zone's pool", () => {
  const found = issuesOf(
    variant((s) => {
      s.zones[1] = structuredClone(s.zones[0]);
      delete s.zones[1].racks;
    }),
  ).find((i) => i.code === "duplicate-hostname");
  expect(found && formatPath(found.path)).toBe("zones[1].pools[0].hosts");
  expect(found?.message).toContain(
    "is already the name of another server (zones[0].pools[0].hosts)",
  );
});

test("pools whose generated host names meet are refused once, citing the pool written first", () => {
  // GIVEN zone zb-x's pool web (written first) and zone zb's pool x-web: both zb-x-web-NN
  const found = issuesOf(
    variant((s) => {
      s.zones = [
        { ...s.zones[0], name: "zb-x" },
        { ...s.zones[1], name: "zb", pools: [{ ...s.zones[1].pools[0], name: "x-web" }] },
      ];
    }),
  ).filter((i) => i.code === "duplicate-hostname");
  expect(found.map((i) => [formatPath(i.path), i.message.split(";")[0]])).toEqual([
    [
      "zones[1].pools[0].hosts",
      'host name "zb-x-web-01" is already the name of another server (zones[0].pools[0].hosts)',
    ],
  ]);
});

test("a ports quota the instances alone fit is warned where the network's own ports tip it", () => {
  // GIVEN 10 instances (no Octavia, no load balancer VIPs) and 10 ports: the router interface
  // and two DHCP ports take 3 more
  const warned = (ports: number, mechanism?: string) =>
    load(
      variant((s) => {
        if (mechanism) s.network.mechanism = mechanism;
        s.tenants = [
          {
            name: "shop",
            network: { cidr: "172.30.0.0/24" },
            quota: { instances: 10, ports },
          },
        ];
      }),
    )
      .warnings.filter((w) => w.code === "quota-ports-below-instances")
      .map((w) => w.message);
  expect(warned(10)).toEqual([
    "10 ports for 10 instances: each instance takes a port, and its network's router interface and DHCP ports take 3: 13 in all, so Nova refuses instances past the ports; raise quota.ports or leave it out to have it computed",
  ]);
  expect(warned(13)).toEqual([]);
  // AND under OVN, which runs no DHCP agent, its metadata port takes one, as the DHCP pool
  // check counts it too
  expect(warned(10, "ovn")).toEqual([
    "10 ports for 10 instances: each instance takes a port, and its network's router interface and metadata port take 2: 12 in all, so Nova refuses instances past the ports; raise quota.ports or leave it out to have it computed",
  ]);
  expect(warned(12, "ovn")).toEqual([]);
});

test("Swift images or backups in a Ceph design without Swift name what Ceph offers instead", () => {
  // GIVEN Ceph, whose gateways serve the object-store API, and no Swift
  const messages = issuesOf(
    variant((s) => {
      s.controlPlane.services.push("swift");
      s.storage = {
        ceph: cephCluster({ nodes: 3 }),
        image: { backend: "swift" },
        backup: { service: "swift" },
      };
    }),
  )
    .filter((i) => i.code === "storage-missing")
    .map((i) => [formatPath(i.path), i.message]);
  // THEN each refusal says the gateways are no target, and names Ceph's own
  expect(messages).toEqual([
    [
      "storage.image.backend",
      "the image backend is swift but storage.swift is not declared (Glance's swift store is written for Swift's own proxies, not the RADOS Gateways' Swift API); set backend: ceph to keep them in Ceph",
    ],
    [
      "storage.backup.service",
      "backups to swift need storage.swift (cinder-backup's Swift settings are written for Swift's own proxies, not the RADOS Gateways' Swift API); remove storage.backup and give storage.ceph a pool of application backups, where cinder-backup then writes",
    ],
  ]);
});

test("OSD hosts short of the memory their OSDs aim at are warned, with the figure they need", () => {
  const warned = (osdsPerNode: number) =>
    load(variant((s) => (s.storage = { ceph: cephCluster({ osdsPerNode }) }))).warnings.filter(
      (w) => w.code === "ceph-osd-memory",
    );
  // GIVEN 64 GiB hosts: 14 OSDs take 56 GiB and the host 8, which fits
  expect(warned(14)).toEqual([]);
  // THEN 15 OSDs do not: 60 GiB and 8 more
  expect(warned(15).map((w) => [formatPath(w.path), w.message])).toEqual([
    [
      "storage.ceph.hardware",
      "each OSD host (hardware profile stor) has 64 GiB for 15 OSDs, whose daemons grow to 4 GiB each (BlueStore's osd_memory_target), 60 GiB before the OS and the monitors, managers and gateways some hosts run: under load, and in recovery most, they outgrow it and the kernel kills OSDs; give the profile at least 68 GiB",
    ],
  ]);
});

test("compute hardware of no disks is warned once where its pools' flavors have local root disks", () => {
  const warned = (edit: (s: any) => void) =>
    load(
      variant((s) => {
        s.zones[0].pools[0].flavors[0].diskGiB = 40;
        s.zones[1].pools[0].flavors[0].diskGiB = 80;
        edit(s);
      }),
    )
      .warnings.filter((w) => w.code === "compute-disks-unstated")
      .map((w) => [formatPath(w.path), w.message]);
  // GIVEN two pools of cmp hosts, which list no disks, booting 40 and 80 GiB root disks locally
  expect(warned(() => {})).toEqual([
    [
      "hardware[1]",
      "hardware cmp lists no disks, where instance disks are local (storage.ephemeral) and flavor web-small of pool web has a 40 GiB root disk: the design cannot check that its root disks fit a host, nor the tenants' disk quotas against the hosts' disks, and the proposal prices no disk; list the hosts' disks (the operating system's with use: system)",
    ],
  ]);
  // THEN disks listed, or flavors booting from volumes, leave nothing to say
  expect(warned((s) => (s.hardware[1].disks = [{ count: 2, sizeGB: 960, kind: "ssd" }]))).toEqual(
    [],
  );
  expect(
    warned((s) => {
      s.zones[0].pools[0].flavors[0].diskGiB = 0;
      s.zones[1].pools[0].flavors[0].diskGiB = 0;
    }),
  ).toEqual([]);
});

test("a per-type quota of a private volume type is warned until the tenant lists the type", () => {
  const warned = (volumeTypes: string[]) =>
    load(
      variant((s) =>
        privateTypeQuota(s, { backend: "ceph-ssd", type: "performance", volumeTypes }),
      ),
    )
      .warnings.filter((w) => w.code === "quota-volume-type-private")
      .map((w) => [formatPath(w.path), w.message]);
  // GIVEN a quota of the private type performance, which the tenant does not list
  expect(warned([])).toEqual([
    [
      "tenants[0].quota.perVolumeType.ceph-ssd",
      'volume type "performance" (backend ceph-ssd) is private, and tenant bank does not list it in volumeTypes: its project cannot create volumes of it, so this quota grants nothing; add "ceph-ssd" to the tenant\'s volumeTypes, or remove the quota',
    ],
  ]);
  // THEN listed by its backend's name or its type's, the quota is the project's to use
  expect(warned(["ceph-ssd"])).toEqual([]);
  expect(warned(["performance"])).toEqual([]);
});

test("a legacy flow of no pools is warned by the pools' zone and name: two zones may share a name", () => {
  // GIVEN the base design's pools both named web, in zones az1 and az2, and a flow of no pools
  const warned = load(
    variant((s) => {
      s.zones[1].pools[0].name = "web";
      s.zones[1].pools[0].purpose = { tier: "web" };
      withLegacyFlows(s, [
        { name: "db2", port: 50000, direction: "to-legacy", systems: ["aix-a"] },
      ]);
    }),
  ).warnings.filter((w) => w.code === "legacy-flow-every-pool");
  // THEN it is warned, naming both
  expect(warned.map((w) => w.message)).toEqual([
    expect.stringContaining(
      "so the tenants of every pool (az1-web, az2-web) get the bridge network",
    ),
  ]);
});

test("a legacy flow of pools no tenant runs on is warned: no project gets its security group", () => {
  const warned = (tenantPool: string) =>
    load(
      variant((s) => {
        withLegacyFlows(s, [
          { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"], pools: ["web"] },
          { name: "cb", port: 8443, direction: "from-legacy", systems: ["aix-a"], pools: ["app"] },
        ]);
        s.tenants = [{ name: "t", pool: tenantPool }];
      }),
    )
      .warnings.filter((w) => w.code === "legacy-flow-no-tenant")
      .map((w) => [formatPath(w.path), w.message]);
  // GIVEN a tenant on web only, THEN the flow to app reaches nothing
  expect(warned("web")).toEqual([
    [
      "legacyUnix.flows[1]",
      "flow cb is limited to pool app, where no tenant runs (tenants[].pool or a flavor of the pool): no project gets the bridge network or its security group, so it reaches no instance; give a tenant one of those pools, or name the pools whose tenants take part",
    ],
  ]);
  // AND a tenant on app: the flow to web is the one left
  expect(warned("app").map(([at]) => at)).toEqual(["legacyUnix.flows[0]"]);
});

test("an IPv6 provider network takes its gateway and allocation range, canonical; the other family is refused", () => {
  const design = (gateway: string, start = "2001:DB8:20:70::1000") =>
    variant((s) =>
      s.network.networks.push({
        name: "v6",
        role: "provider",
        cidr: "2001:db8:20:70::/64",
        vlan: 370,
        physicalNetwork: "physnet-ext",
        gateway,
        allocationRange: { start, end: "2001:db8:20:70::1fff" },
      }),
    );
  // GIVEN the segment's router at ::fffe and a pool of its own, written in capitals
  const net = load(design("2001:DB8:20:70::FFFE")).model.networks.find((n) => n.name === "v6");
  // THEN Neutron's subnet gets them as Neutron writes them back (no diff on the next plan)
  expect([net?.gateway, net?.allocationPool]).toEqual([
    "2001:db8:20:70::fffe",
    { start: "2001:db8:20:70::1000", end: "2001:db8:20:70::1fff" },
  ]);
  // AND an IPv4 gateway or range start on it is outside the network
  expect(
    issuesOf(design("10.0.9.1", "10.0.9.10")).map((i) => [i.code, formatPath(i.path)]),
  ).toEqual(
    expect.arrayContaining([
      ["address-outside-network", "network.networks[5].gateway"],
      ["address-outside-network", "network.networks[5].allocationRange.start"],
    ]),
  );
});

test("IPv6 addresses written long or in capitals reach every output as Neutron writes them", () => {
  // GIVEN an IPv6 tunnel network, a host pinned on it and a DNS server, written long
  const model = load(
    variant((s) => {
      s.network.networks.find((n: { role: string }) => n.role === "tunnel").cidr = "fd00:2::/64";
      s.network.dnsServers = ["10.1.0.53", "2001:0DB8:1:0::53"];
      s.hosts = [{ name: "az1-web-01", addresses: { tunnel: "FD00:2:0:0:0:0:0:1B" } }];
    }),
  ).model;
  // THEN the model, which netplan, Kolla, Terraform and the documents read, has them compressed
  expect(model.nodes.find((n) => n.name === "az1-web-01")?.addresses.tunnel).toBe("fd00:2::1b");
  expect(model.network.dnsServers).toEqual(["10.1.0.53", "2001:db8:1::53"]);
});

test("an IPv4 /31 or /32 Neutron network is refused: Neutron takes none of its addresses as gateway", () => {
  const design = (cidr: string, dhcp = false) =>
    variant((s) =>
      s.network.networks.push({
        name: "p2p",
        role: "provider",
        cidr,
        vlan: 321,
        physicalNetwork: "physnet-ext",
        dhcp,
      }),
    );
  const refused = (cidr: string, dhcp = false) =>
    issuesOf(design(cidr, dhcp))
      .filter((i) => i.code === "subnet-too-small")
      .map((i) => [formatPath(i.path), i.message]);
  for (const cidr of ["10.20.70.0/31", "10.20.70.0/32"])
    expect(refused(cidr)).toEqual([
      [
        "network.networks[5].cidr",
        `${cidr} has no address Neutron takes as the gateway of network p2p's subnet (it refuses an IPv4 subnet's first and last addresses, which are all a /${cidr.split("/")[1]} has); use a /30 or larger prefix`,
      ],
    ]);
  // (with DHCP too, the one reason: no second error about the DHCP ports' addresses)
  expect(refused("10.20.70.0/31", true)).toEqual(refused("10.20.70.0/31"));
  expect(() => load(design("10.20.70.0/30"))).not.toThrow();
});

test("a provider network whose DHCP pool Neutron's own ports fill is refused, naming them", () => {
  const provider = (cidr: string) => ({
    name: "p",
    role: "provider",
    cidr,
    vlan: 30,
    physicalNetwork: "physnet-ext",
  });
  const refused = (cidr: string) =>
    issuesOf(variant((s) => s.network.networks.push(provider(cidr))))
      .filter((i) => i.code === "subnet-too-small")
      .map((i) => [formatPath(i.path), i.message]);
  // GIVEN the base design: Open vSwitch, the network agents on three controllers (agent HA)
  // (without Neutron's DHCP no port of its own takes an address)
  expect(() =>
    load(variant((s) => s.network.networks.push({ ...provider("10.0.9.0/29"), dhcp: false }))),
  ).not.toThrow();
  // THEN a /28 leaves room after the two DHCP ports
  expect(() =>
    load(variant((s) => s.network.networks.push(provider("10.0.9.0/28")))),
  ).not.toThrow();
  // AND a /29 leaves one address (beside the gateway and the hosts' own), which a DHCP
  // agent's port takes before any instance
  expect(refused("10.0.9.0/29")).toEqual([
    [
      "network.networks[5].cidr",
      "10.0.9.0/29 leaves 1 address (10.0.9.6) for Neutron's DHCP pool of network p, and its 2 DHCP agents' ports take 2: none is left for an instance; use a larger prefix, or widen the pool with network.networks[5].allocationRange",
    ],
  ]);
});

describe("LDAP distinguished names, as the directory parses them", () => {
  /** A design of one directory domain, with these settings of its directory. */
  const corp = (ldap: Record<string, unknown>) =>
    variant((s) => {
      s.identity = {
        domains: [
          {
            name: "corp",
            ldap: {
              url: "ldaps://dc.example.com",
              userTreeDn: "OU=Users,DC=example,DC=com",
              groupTreeDn: "OU=Groups,DC=example,DC=com",
              ...ldap,
            },
          },
        ],
        groupRoleMappings: [],
      };
    });
  const refusal = (ldap: Record<string, unknown>) =>
    issuesOf(corp(ldap)).map((i) => [formatPath(i.path), i.message]);

  test("a malformed DN is refused where it is written, saying how to write it", () => {
    // GIVEN a bind DN with an unescaped comma (AD's display names), and a trailing comma
    expect(
      refusal({
        bindDn: "CN=Doe, John,OU=Service,DC=example,DC=com",
        userTreeDn: "OU=Users,DC=x,",
      }),
    ).toEqual([
      ["identity.domains[0].ldap.userTreeDn", "not a DN: it ends in a separator"],
      [
        "identity.domains[0].ldap.bindDn",
        'not a DN: "John" is no attribute=value pair: a comma inside a value is written \\,',
      ],
    ]);
    expect(refusal({ groupTreeDn: "OU=Groups,,DC=x" })).toEqual([
      [
        "identity.domains[0].ldap.groupTreeDn",
        "not a DN: two separators hold nothing between them",
      ],
    ]);
    // (escaped bytes decode as UTF-8, as python-ldap reads the DN for Keystone)
    expect(refusal({ userTreeDn: "OU=caf\\e9,DC=x" })).toEqual([
      [
        "identity.domains[0].ldap.userTreeDn",
        "not a DN: its escaped or #hex bytes are no UTF-8 text (python-ldap, which Keystone reads DNs with, decodes them so)",
      ],
    ]);
    expect(refusal({ userTreeDn: "OU=a,\u00a0DC=x" })).toHaveLength(1);
  });

  test("escaped commas, hex escapes, multi-valued parts and AD's own bind names are taken", () => {
    for (const bindDn of [
      // (LDAPv2's forms python-ldap still reads: ; between parts, a quoted value)
      "OU=Service;DC=example;DC=com",
      'OU="Sales, EMEA",DC=example,DC=com',
      "cn;lang-en=x,1=y,dc=example",
      "OU=caf\\c3\\a9,DC=example,DC=com",
      "CN=Doe\\, John,OU=Service,DC=example,DC=com",
      "CN=Doe\\2C John,OU=Service,DC=example,DC=com",
      "cn=keystone+uid=ks,dc=example,dc=com",
      "svc-openstack@corp.example.com",
      "CORP\\svc-openstack",
      "CORP\\svc openstack",
    ])
      expect(() => load(corp({ bindDn }))).not.toThrow();
  });
});

test("a tenant's cores or RAM quota below a flavor meant for it is warned: Nova refuses its guests", () => {
  // GIVEN a pool offering a 48-vCPU flavor of 96 GiB, given to a tenant
  const warned = (quota: Record<string, number>, edit: (s: any) => void = () => undefined) =>
    load(
      variant((s) => {
        s.zones[0].pools[0].flavors.push({ name: "web-huge", vcpus: 48, ramGiB: 96 });
        s.tenants = [{ name: "shop", flavors: ["web-huge"], quota }];
        edit(s);
      }),
    )
      .warnings.filter((w) => w.code === "quota-below-flavor")
      .map((w) => [formatPath(w.path), w.message]);
  // THEN the default quotas (40 cores, 80 GiB) are said below it, at the tenant
  expect(warned({})).toEqual([
    [
      "tenants[0]",
      "tenant shop's quota of 40 vCPUs (the default: no quota.cores) is below what flavor web-huge (48 vCPUs) takes: Nova refuses every guest of it (quota exceeded for cores); set quota.cores to at least 48",
    ],
    [
      "tenants[0]",
      "tenant shop's quota of 80 GiB RAM (the default: no quota.ramGiB) is below what flavor web-huge (96 GiB RAM) takes: Nova refuses every guest of it (quota exceeded for ram); set quota.ramGiB to at least 96",
    ],
  ]);
  // AND a quota written is named at its key
  expect(warned({ cores: 48, ramGiB: 64 })).toEqual([
    [
      "tenants[0].quota.ramGiB",
      "tenant shop's quota of 64 GiB RAM (quota.ramGiB) is below what flavor web-huge (96 GiB RAM) takes: Nova refuses every guest of it (quota exceeded for ram); set quota.ramGiB to at least 96",
    ],
  ]);
  expect(warned({ cores: 48, ramGiB: 96 })).toEqual([]);
  // AND a tenant of no compute (a quota of 0) asks for none
  expect(warned({ cores: 0 })).toEqual([]);
  // AND a tenant given no flavor and no pool is told only where no public flavor fits it
  const unlisted = (quota: Record<string, number>) =>
    warned(quota, (s) => (s.tenants = [{ name: "shop", quota }]));
  expect(unlisted({})).toEqual([]);
  expect(unlisted({ cores: 1, ramGiB: 1 })).toEqual([
    [
      "tenants[0]",
      "tenant shop's quota of 1 vCPU and 1 GiB RAM fits no flavor it may boot: it lists none, and the smallest public flavor, web-small (2 vCPUs, 4 GiB RAM), takes more: Nova refuses every guest (quota exceeded); list a flavor that fits, or raise quota.cores and quota.ramGiB to hold web-small",
    ],
  ]);
});

test("a pinned pool whose reserved CPUs take a whole socket is warned: its memory serves no guest", () => {
  // GIVEN hosts of 2 sockets of 16 cores and 2 threads, pinned, 40 CPUs reserved (the first
  // socket's 32 and 8 of the second's)
  const warned = (reserved: number) =>
    load(
      variant((s) => {
        s.zones[0].pools[0].cpuPinning = true;
        s.zones[0].pools[0].reservedHostCpus = reserved;
        s.zones[0].pools[0].flavors = [{ name: "web-pinned", vcpus: 4, ramGiB: 8 }];
      }),
    )
      .warnings.filter((w) => w.code === "pinned-socket-empty")
      .map((w) => [formatPath(w.path), w.message]);
  expect(warned(40)).toEqual([
    [
      "zones[0].pools[0].reservedHostCpus",
      "pool web reserves 40 of a cmp host's 64 CPUs, taken from its first sockets: a socket keeps no dedicated CPU, so its memory serves no pinned guest (Nova places a guest node's CPUs and memory on one host node); reserve at most 30 CPUs (a socket's 32 less one core)",
    ],
  ]);
  expect(warned(30)).toEqual([]);
});

test("an amphora network left to the first physical network by name is warned where that is not the external one", () => {
  // GIVEN three-node (external on physnet-public, tenant VLANs on physnet-private) with Octavia
  // and a provider VLAN on physnet-private, first by name: the amphora VLAN's default
  const warned = (edit: (s: any) => void) => {
    const s = parse(fs.readFileSync(path.join(ROOT, "examples", "three-node.yaml"), "utf8"));
    s.controlPlane.services.push("octavia");
    s.network.networks.push(
      { name: "lb", role: "octavia", cidr: "10.20.8.0/24", vlan: 30 },
      {
        name: "apps",
        role: "provider",
        cidr: "10.20.9.0/24",
        vlan: 31,
        physicalNetwork: "physnet-private",
      },
    );
    edit(s);
    return load(s)
      .warnings.filter((w) => w.code === "octavia-physnet-default")
      .map((w) => [formatPath(w.path), w.message]);
  };
  expect(warned(() => undefined)).toEqual([
    [
      "network.networks[2]",
      "the octavia network lb names no physical network and takes physnet-private, the first by name of the external and provider networks', not physnet-public of the external network public, where the routers' segments go; set its physicalNetwork to the one whose bond should carry the amphora VLAN",
    ],
  ]);
  // AND none once it names one, the same one included
  expect(
    warned((s) => {
      s.network.networks.find((n: { role: string }) => n.role === "octavia").physicalNetwork =
        "physnet-private";
    }),
  ).toEqual([]);
});
