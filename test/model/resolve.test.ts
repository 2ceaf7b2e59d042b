import { renderArchitecture } from "../support/documents";
import * as fc from "fast-check";
import { contains, parseCidr } from "../../core/net";
import {
  CORE_SERVICES,
  baseSpec,
  issuesOf,
  load,
  swiftCluster,
  variant,
} from "../support/fixtures";
import { withLegacyFlows } from "../support/legacy";

const LDAP = {
  userTreeDn: "OU=Users,DC=example,DC=com",
  groupTreeDn: "OU=Groups,DC=example,DC=com",
};

describe("resolved model", () => {
  const model = load(baseSpec()).model;

  test("allocates every node an address on each network of its role", () => {
    const ctrl = model.nodes.find((n) => n.name === "ctrl-01");
    expect(ctrl?.addresses).toEqual({
      api: "10.0.1.11",
      ext: "198.51.100.11",
      mgmt: "10.0.0.11",
      storage: "10.0.3.11",
      tunnel: "10.0.2.11",
    });
    const compute = model.nodes.find((n) => n.name === "az1-web-01");
    expect(compute?.addresses).toEqual({
      api: "10.0.1.14",
      mgmt: "10.0.0.14",
      storage: "10.0.3.14",
      tunnel: "10.0.2.14",
    });
  });

  test("reserves gateways and VIPs", () => {
    const ext = model.networks.find((n) => n.name === "ext");
    expect(ext?.reservations).toEqual([
      { address: "198.51.100.1", purpose: "gateway", kind: "gateway" },
      { address: "198.51.100.10", purpose: "external VIP", kind: "vip-external" },
    ]);
    expect(ext?.allocationPool).toEqual({ start: "198.51.100.100", end: "198.51.100.200" });
    expect(model.vips).toEqual([
      { name: "internal", network: "api", address: "10.0.1.10", prefixLength: 24 },
      { name: "external", network: "ext", address: "198.51.100.10", prefixLength: 24 },
    ]);
  });

  test("computes pool capacity after ratios, reservations and N+1", () => {
    // cmp: 2 sockets x 16 cores x 2 threads = 64 threads, 256 GiB of which the kernel reports
    // 250.88 (98 %); defaults: ratio 4, 2 CPUs and 8 GiB reserved
    const web = model.pools.find((p) => p.id === "az1-web");
    expect(model.hardware.find((h) => h.name === "cmp")?.memoryVisibleGiB).toBe(250.88);
    expect(web?.capacity).toEqual({
      hosts: 4,
      spareHosts: 1,
      physicalCores: 128,
      threads: 256,
      memoryGiB: 1024,
      schedulableVcpus: 4 * 62 * 4,
      dedicatedCpus: 0,
      schedulableRamGiB: 4 * 242.88,
      usableVcpus: 3 * 62 * 4,
      usableDedicatedCpus: 0,
      usableCpus: 3 * 62 * 4,
      usableRamGiB: 3 * 242.88,
      // (no quota overcommit: the quotas may add up to the usable capacity)
      quotaOvercommit: 1,
      quotableCpus: 3 * 62 * 4,
      quotableRamGiB: 3 * 242.88,
    });
  });

  test("computes Ceph and Swift capacity", () => {
    const m = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = {
          ceph: {
            nodes: 4,
            hardware: "stor",
            osdsPerNode: 10,
            osdSizeTB: 4,
            protection: { erasureCoded: { k: 2, m: 2 } },
          },
          swift: {
            proxies: 2,
            proxyHardware: "ctrl",
            storageNodes: 5,
            storageHardware: "stor",
            disksPerNode: 10,
            diskSizeTB: 6,
            zones: 5,
          },
        };
      }),
    ).model;
    expect(m.storage.ceph).toMatchObject({
      osds: 40,
      rawTB: 160,
      usableTB: 80,
      usableAtNearfullTB: 68,
      failureDomain: "host",
    });
    expect(m.storage.swift).toMatchObject({
      disks: 50,
      rawTB: 300,
      usableTB: 100,
      partitionPower: 13,
      partitions: 8192,
    });
  });

  test("Ceph's usable capacity is what racks of unequal size can hold with a copy per rack", () => {
    // GIVEN 4 OSD hosts spread over 3 racks (2, 1, 1), 10 TB each, and 3 copies per object
    const cephOn = (protection: object) =>
      load(
        variant((s) => {
          s.zones = [{ ...s.zones[0], racks: ["r1", "r2", "r3"] }];
          s.storage = {
            ceph: { nodes: 4, hardware: "stor", osdsPerNode: 5, osdSizeTB: 2, protection },
            backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          };
        }),
      ).model.storage.ceph!;
    const replicated = cephOn({ replicated: 3 });
    // THEN each rack holds one copy: the smallest rack (10 TB) bounds it, not 40 / 3
    expect(replicated).toMatchObject({ rawTB: 40, failureDomain: "rack", usableTB: 10 });
    expect(replicated.usableAtNearfullTB).toBe(8.5);
    // AND with erasure coding 2+1 each rack holds one chunk: twice the smallest rack
    expect(cephOn({ erasureCoded: { k: 2, m: 1 } })).toMatchObject({ usableTB: 20 });
  });

  test("tenant MTU is the underlay minus the encapsulation overhead", () => {
    expect(model.network).toMatchObject({
      underlayMtu: 9000,
      tenantNetworkType: "vxlan",
      tenantMtu: 8950,
    });
    const gre = load(variant((s) => (s.network.tenantNetworkType = "gre"))).model;
    expect(gre.network.tenantMtu).toBe(8958);
    // OVN's chassis tunnel in Geneve (Kolla sets ovn-encap-type geneve) whatever the type: a
    // VXLAN network there loses Geneve's 58 bytes, not VXLAN's 50
    const ovn = load(variant((s) => (s.network.mechanism = "ovn"))).model;
    expect(ovn.network).toMatchObject({ tenantNetworkType: "vxlan", tenantMtu: 8942 });
    // AND Neutron, which sizes tenants' own VXLAN networks at path_mtu - 50, is told 8992, and
    // the hosts open Geneve's port, not VXLAN's
    expect(ovn.network.pathMtu).toBe(8992);
    // AND Geneve under Open vSwitch loses Neutron's default 50 bytes (20 of IP, max_header_size
    // 30: Kolla sets 38 under OVN only), so Terraform's networks match those Neutron sizes
    const geneveOvs = load(
      variant((s) => {
        s.network.tenantNetworkType = "geneve";
        s.network.mechanism = "ovs";
      }),
    ).model;
    expect(geneveOvs.network).toMatchObject({ tenantMtu: 8950 });
    const geneveOvn = load(variant((s) => (s.network.tenantNetworkType = "geneve"))).model;
    expect(geneveOvn.network).toMatchObject({ tenantMtu: 8942 });
    const tunnels = ovn.ports.filter((p) => ["vxlan", "geneve"].includes(p.service));
    expect(new Set(tunnels.map((p) => `${p.service} ${p.port}/${p.protocol}`))).toEqual(
      new Set(["geneve 6081/udp"]),
    );
  });

  test("a tunnel network of a smaller MTU than the underlay sizes the tenants' MTU", async () => {
    // GIVEN tunnels on a network of MTU 1500 under a 9000 underlay
    const m = load(
      variant((s) => (s.network.networks.find((n: any) => n.role === "tunnel").mtu = 1500)),
    ).model;
    // THEN tenants get 1500 - 50, and the document's arithmetic starts from the tunnels' MTU
    expect(m.network).toMatchObject({ underlayMtu: 9000, tunnelMtu: 1500, tenantMtu: 1450 });
    const { markdown } = await renderArchitecture(m);
    expect(markdown).toContain("vxlan, MTU 1450 (1500 - 50)");
  });

  test("port matrix keeps management ports away from users", () => {
    const fromUsers = model.ports.filter((p) => p.from === "users").map((p) => p.port);
    for (const port of ["22", "3306", "5672", "11211", "4567"])
      expect(fromUsers).not.toContain(port);
    expect(model.ports).toContainEqual({
      service: "keystone",
      port: "5000",
      protocol: "tcp",
      from: "users",
      to: "controllers",
    });
  });

  test("HA matrix states quorum tolerance", () => {
    expect(model.ha.find((r) => r.component === "Database")).toEqual({
      kind: "database-galera",
      params: {},
      component: "Database",
      mechanism: "MariaDB Galera multi-primary cluster (quorum)",
      nodes: 3,
      failuresTolerated: 1,
    });
  });

  test("orders names by code point, as every locale reads them", () => {
    // localeCompare follows the process's locale (LANG): outputs would differ between machines.
    const m = load(
      variant((s) => {
        s.controlPlane.services.push("swift");
        s.storage = {
          swift: swiftCluster({
            containers: ["b", "C", "a-b", "ab", "Ä"].map((name) => ({
              name,
              purpose: "application",
            })),
          }),
        };
      }),
    ).model;
    expect(m.storage.swift?.containers.map((c) => c.name)).toEqual(["C", "a-b", "ab", "b", "Ä"]);
  });

  test("is deterministic and ignores the order of zones and pools", () => {
    const again = load(baseSpec()).model;
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
    const reordered = load(variant((s) => s.zones.reverse())).model;
    expect(JSON.stringify(reordered)).toBe(JSON.stringify(model));
  });
});

describe("the enterprise's servers on a planned network", () => {
  test("keep their addresses: no host takes them unless pinned there, the plan lists them", () => {
    // GIVEN DNS, time and directory servers inside the management network, where hosts are
    // given addresses from offset 11 up
    const edit = (s: any) => {
      s.network.dnsServers = ["10.0.0.11"];
      s.ntp = { ...s.ntp, servers: ["10.0.0.12"] };
      s.identity = {
        domains: [{ name: "corp", ldap: { ...LDAP, url: "ldaps://10.0.0.13" } }],
      };
    };
    const m = load(variant(edit)).model;
    const mgmt = m.networks.find((n) => n.name === "mgmt")!;
    const given = m.nodes.map((n) => n.addresses.mgmt);
    // THEN no host holds them, and the network's reservations name them
    for (const a of ["10.0.0.11", "10.0.0.12", "10.0.0.13"]) expect(given).not.toContain(a);
    expect(mgmt.reservations).toEqual(
      expect.arrayContaining([
        { address: "10.0.0.11", purpose: "DNS server", kind: "dns" },
        { address: "10.0.0.12", purpose: "NTP server", kind: "ntp" },
        {
          address: "10.0.0.13",
          purpose: "LDAP server of domain corp",
          kind: "ldap",
          subject: "corp",
        },
      ]),
    );
    // AND a host pinned at one keeps it, as the server itself may be (a deployment host running
    // the DNS service), with a warning that says so; the plan no longer reserves it
    const pinned = load(
      variant((s) => {
        edit(s);
        s.hosts = [{ name: "ctrl-01", addresses: { mgmt: "10.0.0.11" } }];
      }),
    );
    expect(pinned.model.nodes.find((n) => n.name === "ctrl-01")?.addresses.mgmt).toBe("10.0.0.11");
    expect(pinned.warnings.map((w) => w.code)).toContain("host-at-enterprise-address");
    expect(
      pinned.model.networks.find((n) => n.name === "mgmt")?.reservations.map((r) => r.address),
    ).not.toContain("10.0.0.11");
  });
});

test("a Gluster server on the storage network keeps its address: no host takes it", () => {
  // GIVEN a GlusterFS backend whose servers stand on the storage network (hosts from .11 up)
  const m = load(
    variant((s) => {
      s.storage = {
        backends: [
          {
            name: "gluster",
            kind: "glusterfs",
            volumeType: "gluster",
            shares: ["10.0.3.11:/cinder", "[fd00::3]:/cinder"],
          },
        ],
      };
    }),
  ).model;
  // THEN no host holds it, and the plan lists it
  expect(m.nodes.map((n) => n.addresses.storage)).not.toContain("10.0.3.11");
  expect(m.networks.find((n) => n.name === "storage")?.reservations).toContainEqual({
    address: "10.0.3.11",
    purpose: "Gluster server of backend gluster",
    kind: "gluster",
    subject: "gluster",
  });
});

test("an enterprise server inside a floating IP range is refused: Neutron would hand it out", () => {
  const issues = issuesOf(variant((s) => (s.network.dnsServers = ["198.51.100.150"])));
  const network = baseSpec().network.networks.findIndex((n: any) => n.floatingIpRange);
  expect(issues.map((i) => [i.code, i.path.join(".")])).toContainEqual([
    "address-in-floating-range",
    `network.networks.${network}.floatingIpRange`,
  ]);
  // AND so is the legacy site's VPN peer: a router gateway or floating IP would take it
  const vpn = issuesOf(
    variant((s) => {
      s.controlPlane.services.push("vpnaas");
      withLegacyFlows(s, []);
      s.legacyUnix.vpn = { peerAddress: "198.51.100.150", peerCidrs: ["10.90.0.0/24"] };
    }),
  );
  expect(vpn.find((i) => i.code === "address-in-floating-range")?.message).toContain(
    "198.51.100.150 (the legacy site's VPN peer) lies in ext's floating IP range",
  );
});

describe("Octavia's amphora management network", () => {
  // GIVEN Octavia with its network, dedicated network hosts and the external network's physnet
  const model = load(
    variant((s) => {
      s.controlPlane.services.push("octavia");
      s.controlPlane.networkNodes = 2;
      s.controlPlane.networkNodeHardware = "ctrl";
      s.network.networks.push({ name: "lb-mgmt", role: "octavia", cidr: "10.0.8.0/24", vlan: 30 });
    }),
  ).model;

  test("controllers join it as a VLAN device with an address from the IP plan", () => {
    for (const [i, name] of model.controlPlane.controllers.entries()) {
      const node = model.nodes.find((n) => n.name === name)!;
      expect(node.interfaces.find((f) => f.network === "lb-mgmt")).toMatchObject({
        role: "octavia",
        device: "bond0.30",
        parent: "bond0",
        vlan: 30,
        address: `10.0.8.${11 + i}`,
        prefixLength: 24,
      });
    }
    expect(model.deploy.octavia?.healthManagers).toEqual([
      { host: "ctrl-01", address: "10.0.8.11" },
      { host: "ctrl-02", address: "10.0.8.12" },
      { host: "ctrl-03", address: "10.0.8.13" },
    ]);
  });

  test("Neutron hands the amphorae addresses above the controllers', with no gateway", () => {
    expect(model.networks.find((n) => n.name === "lb-mgmt")).toMatchObject({
      physicalNetwork: "physnet-ext",
      networkType: "vlan",
      neutron: false, // Kolla-Ansible creates it, not Terraform
      dhcp: true,
      routable: false,
      allocationPool: { start: "10.0.8.14", end: "10.0.8.254" },
    });
    expect(model.networks.find((n) => n.name === "lb-mgmt")?.gateway).toBeUndefined();
  });

  test("Neutron's pool stays above every host; a host pinned at the top or a subnet filled to it still leave one", () => {
    // The base design with Octavia's network lb-mgmt (10.0.8.0/24), edited further.
    const amphorae = (edit: (s: any) => void) =>
      variant((s) => {
        s.controlPlane.services.push("octavia");
        s.network.networks.push({
          name: "lb-mgmt",
          role: "octavia",
          cidr: "10.0.8.0/24",
          vlan: 30,
        });
        edit(s);
      });
    const lbMgmt = baseSpec().network.networks.length;
    const pool = (edit: (s: any) => void) =>
      load(amphorae(edit)).model.networks.find((n) => n.name === "lb-mgmt")?.allocationPool;
    // ctrl-02 pinned at .254: the pool runs above the addresses given out (.11, .12) and stops
    // short of .254 (without one Kolla leaves the subnet's whole range to Neutron)
    expect(
      pool((s) => (s.hosts = [{ name: "ctrl-02", addresses: { "lb-mgmt": "10.0.8.254" } }])),
    ).toEqual({ start: "10.0.8.13", end: "10.0.8.253" });
    // a pool above every host, as before: .201-.254 around ctrl-02 at .200
    expect(
      pool((s) => (s.hosts = [{ name: "ctrl-02", addresses: { "lb-mgmt": "10.0.8.200" } }])),
    ).toEqual({
      start: "10.0.8.201",
      end: "10.0.8.254",
    });
    // a /28 five controllers fill from .11 to .14, then .1: Neutron gets .2-.10, not all of it
    expect(
      pool((s) => {
        s.network.networks[lbMgmt].cidr = "10.0.8.0/28";
        s.controlPlane.controllers = 5;
      }),
    ).toEqual({ start: "10.0.8.2", end: "10.0.8.10" });
    // AND a subnet the hosts fill leaves Neutron nothing: refused, not handed out whole
    expect(
      issuesOf(
        amphorae((s) => {
          Object.assign(s.network.networks[lbMgmt], { cidr: "10.0.8.0/29", gateway: "10.0.8.6" });
          s.controlPlane.controllers = 5;
        }),
      ).map((i) => [i.code, i.path.join(".")]),
    ).toContainEqual(["subnet-too-small", `network.networks.${lbMgmt}.cidr`]);
  });

  test("computes and network hosts bridge its physical network; switches trunk its VLAN", () => {
    const physnet = model.deploy.neutron.physicalNetworks.find((p) => p.name === "physnet-ext");
    expect(physnet).toMatchObject({ networks: ["ext", "lb-mgmt"], vlan: true, instances: true });
    expect(model.deploy.neutron.computesNeedBridges).toBe(true);
    const bridged = (name: string) =>
      model.deploy.hosts.find((h) => h.name === name)?.bridges.map((b) => b.physicalNetwork);
    expect(bridged("az1-web-01")).toEqual(["physnet-ext"]);
    expect(bridged(model.controlPlane.networkNodes[0])).toEqual(["physnet-ext"]);
    // The computes join no address on it: amphorae are instances there.
    expect(model.nodes.find((n) => n.name === "az1-web-01")?.addresses["lb-mgmt"]).toBeUndefined();
    for (const sw of model.switches) expect(sw.vlans).toContain(30);
  });

  test("without the octavia service, the network stays off Open vSwitch: computes bridge nothing", () => {
    // GIVEN the same network, octavia not listed (a warning only)
    const unused = load(
      variant((s) => {
        s.network.networks.push({
          name: "lb-mgmt",
          role: "octavia",
          cidr: "10.0.8.0/24",
          vlan: 30,
        });
      }),
    );
    // THEN it has no physical network, and the computes need no bridge for it
    expect(unused.warnings.map((w) => w.code)).toContain("octavia-network-unused");
    expect(
      unused.model.networks.find((n) => n.name === "lb-mgmt")?.physicalNetwork,
    ).toBeUndefined();
    expect(unused.model.deploy.neutron.computesNeedBridges).toBe(false);
    expect(unused.model.deploy.octavia).toBeUndefined();
  });

  test("the port matrix opens the health manager and the amphora agent", () => {
    expect(model.ports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          port: "5555",
          protocol: "udp",
          from: "amphorae",
          to: "controllers",
        }),
        expect.objectContaining({
          port: "9443",
          protocol: "tcp",
          from: "controllers",
          to: "amphorae",
        }),
      ]),
    );
  });
});

describe("model properties", () => {
  const specArb = fc.record({
    web: fc.integer({ min: 1, max: 60 }),
    app: fc.integer({ min: 1, max: 60 }),
    controllers: fc.constantFrom(1, 3, 5),
    prefix: fc.integer({ min: 22, max: 25 }),
    ratio: fc.constantFrom(1, 2, 4, 8),
  });

  test("random valid specs resolve with unique addresses inside their subnets", () => {
    fc.assert(
      fc.property(specArb, ({ web, app, controllers, prefix, ratio }) => {
        const spec = variant((s) => {
          s.zones[0].pools[0].hosts = web;
          s.zones[1].pools[0].hosts = app;
          s.zones[0].pools[0].cpuAllocationRatio = ratio;
          s.controlPlane.controllers = controllers;
          if (controllers === 1) s.ntp.clients = "servers";
          s.network.networks
            .slice(0, 4)
            .forEach((n: any, i: number) => (n.cidr = `10.${i}.0.0/${prefix}`));
          s.controlPlane.vips.internal = "10.1.0.10";
        });
        const m = load(spec).model;
        // Gathered and compared once: an expect per address would cost more than resolving.
        const wrong: string[] = [];
        for (const net of m.networks) {
          const block = parseCidr(net.cidr);
          const seen = new Set(net.reservations.map((r) => r.address));
          for (const node of m.nodes) {
            const a = node.addresses[net.name];
            if (!a) continue;
            if (!contains(block, a)) wrong.push(`${node.name}: ${a} outside ${net.cidr}`);
            if (seen.has(a)) wrong.push(`${node.name}: ${a} on ${net.name} taken twice`);
            seen.add(a);
          }
        }
        expect(wrong).toEqual([]);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  test("capacity never shrinks when hosts are added", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 100 }),
        fc.integer({ min: 1, max: 20 }),
        (hosts, more) => {
          const cap = (n: number) =>
            load(variant((s) => (s.zones[0].pools[0].hosts = n))).model.capacity;
          const a = cap(hosts);
          const b = cap(hosts + more);
          expect(b.schedulableVcpus).toBeGreaterThanOrEqual(a.schedulableVcpus);
          expect(b.usableVcpus).toBeGreaterThanOrEqual(a.usableVcpus);
          expect(b.usableRamGiB).toBeGreaterThanOrEqual(a.usableRamGiB);
        },
      ),
      { seed: 7, numRuns: 40 },
    );
  });
});
