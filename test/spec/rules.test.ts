import { formatPath } from "../../spec/errors";
import { baseSpec, issuesOf, load, variant } from "../support/fixtures";

/** The errors of a spec as `path: message [code]`, for exact assertions. */
const errors = (spec: ReturnType<typeof baseSpec>) =>
  issuesOf(spec)
    .filter((i) => i.severity === "error")
    .map((i) => ({ path: formatPath(i.path), code: i.code, message: i.message }));

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
      "a VLAN used twice on one physical network",
      (s: any) => (s.network.networks[3].vlan = 10),
      {
        path: "network.networks[3].vlan",
        code: "vlan-duplicate",
        message: "VLAN 10 on physnet1 is already used by network mgmt",
      },
    ],
    [
      "an inverted VNI range",
      (s: any) => (s.network.vniRange = { min: 5000, max: 100 }),
      { path: "network.vniRange", code: "vni-range", message: "min 5000 is above max 100" },
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
          "tenant core quotas on pool app add up to 500, but it offers 496 vCPUs after allocation ratios and N+1 headroom",
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
        s.controlPlane.services = ["keystone", "swift"];
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
        s.controlPlane.services = ["keystone", "swift"];
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
      "a single NTP server",
      (s: any) => (s.ntp.servers = ["10.9.0.123"]),
      {
        path: "ntp.servers",
        code: "ntp-sources",
        message: "controllers need at least 2 NTP sources; 1 declared",
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
        message: 'zone "az1" is already declared at index 0',
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
