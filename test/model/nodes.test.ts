import { formatPath } from "../../core/errors";
import * as fs from "fs";
import { parse } from "yaml";
import {
  CORE_SERVICES,
  cephAtSites,
  untaggedByRole,
  issuesOf,
  ldapDomainRoles,
  load,
  swiftCluster,
  variant,
} from "../support/fixtures";
import { ROLE_ORDER } from "../../model/nodes";
import type { Model } from "../../model/types";
import * as path from "path";
import { keystoneRestarts } from "../../model/lifecycle";
import { loadSpecFile, loadSpecText } from "../../model/load";
import { ROOT } from "../support/blueprints";
import { renderArchitecture } from "../support/documents";

const model: Model = load(variant(() => {})).model;

describe("node roles", () => {
  test("a design of one site has every server there, racked or not", () => {
    // GIVEN three-node: one site, controller and network node in no zone or rack
    const { model: lab } = loadSpecFile(path.join(ROOT, "examples", "three-node.yaml"));
    // THEN each stands at the site, and the sites table counts all three
    expect(lab.nodes.map((n) => [n.name, n.site])).toEqual([
      ["ctrl-01", "lab1"],
      ["net-01", "lab1"],
      ["lab-compute-01", "lab1"],
    ]);
    expect(lab.sites.map((s) => [s.name, s.servers])).toEqual([["lab1", 3]]);
  });

  test("warns of controllers spread over two sites, where one holds their quorum", () => {
    const quorumSites = (spec: Record<string, unknown>) =>
      load(spec).warnings.filter((w) => w.code === "quorum-sites");
    const twoSites = (edit: (s: any) => void) => {
      const s: any = structuredClone(cephAtSites(2));
      edit(s);
      return s;
    };
    // GIVEN two sites of two racks each: the three controllers go to dc1, dc2, dc1
    const issues = quorumSites(cephAtSites(2));
    // THEN the site holding two of them is named, and each controller's rack setting
    expect(issues.map((i) => [formatPath(i.path), i.severity])).toEqual([
      ["controlPlane.controllers", "warning"],
    ]);
    expect(issues[0].message).toContain(
      "the 3 controllers stand at sites dc1 (2), dc2 (1), and the loss of dc1 stops their quorum",
    );
    expect(issues[0].message).toContain(
      "keep them at one site (controlPlane.racks, or each one's hosts[].rack: ctrl-01, ctrl-02, ctrl-03)",
    );
    // AND five controllers: three at dc1
    const [five] = quorumSites(twoSites((s) => (s.controlPlane.controllers = 5)));
    expect(five.message).toContain("at sites dc1 (3), dc2 (2), and the loss of dc1 stops");
    // AND none over three sites, one each, nor with every controller kept at one site
    expect(quorumSites(cephAtSites(3))).toEqual([]);
    const kept = twoSites((s) => {
      s.hosts = ["ctrl-01", "ctrl-02", "ctrl-03"].map((name, i) => ({
        name,
        rack: `r${(i % 2) + 1}`,
      }));
    });
    expect(quorumSites(kept)).toEqual([]);
    const sites = load(kept)
      .model.nodes.filter((n) => n.role === "controller")
      .map((n) => n.site);
    expect(sites).toEqual(["dc1", "dc1", "dc1"]);
  });

  test("keeps controllers and storage hosts to the racks named, out of a compute-only zone's", () => {
    // GIVEN a store-hub zone of its own rack edge1, where round-robin would put a controller
    const design = (edit: (s: any) => void = () => {}) =>
      variant((s) => {
        s.zones.push({
          name: "stores",
          racks: ["edge1"],
          pools: [
            {
              name: "hub",
              purpose: { custom: "store hubs" },
              hosts: 2,
              hardware: "cmp",
              flavors: [],
            },
          ],
        });
        s.storage = {
          blockStorageNodes: { hosts: 2, hardware: "stor" },
          backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }],
        };
        edit(s);
      });
    const racksOf = (m: Model, role: string) =>
      m.nodes.filter((n) => n.role === role).map((n) => n.rack);
    const spread = load(design()).model;
    expect(racksOf(spread, "controller")).toContain("edge1");
    // WHEN the controllers and volume hosts are kept to az1's racks
    const kept = load(
      design((s) => {
        s.controlPlane.racks = ["r3", "r1"];
        s.storage.blockStorageNodes.racks = ["r2"];
      }),
    ).model;
    // THEN they spread over those racks alone, by name
    expect(racksOf(kept, "controller")).toEqual(["r1", "r3", "r1"]);
    expect(racksOf(kept, "block-storage")).toEqual(["r2", "r2"]);
    // AND a rack no zone declares, and a host pinned outside the racks named, are refused
    const refused = issuesOf(
      design((s) => {
        s.controlPlane.racks = ["r1", "r9"];
        s.hosts = [{ name: "ctrl-02", rack: "edge1" }];
      }),
    ).map((i) => [i.code, formatPath(i.path), i.message]);
    expect(refused).toEqual([
      [
        "unknown-reference",
        "controlPlane.racks[1]",
        'rack (zones[].racks) "r9" is not declared (declared: edge1, r1, r2, r3)',
      ],
    ]);
    const outside = issuesOf(
      design((s) => {
        s.controlPlane.racks = ["r1", "r2"];
        s.hosts = [{ name: "ctrl-02", rack: "edge1" }];
      }),
    ).map((i) => [i.code, formatPath(i.path), i.message]);
    expect(outside).toEqual([
      [
        "host-rack",
        "hosts[0].rack",
        "ctrl-02 stands in a rack of its controller hosts (r1, r2), not edge1: add edge1 to controlPlane.racks or choose one of them",
      ],
    ]);
    // AND a rack named twice is refused, one rack for several hosts warned
    expect(
      issuesOf(design((s) => (s.controlPlane.racks = ["r1", "r1"]))).map((i) => [
        i.code,
        formatPath(i.path),
      ]),
    ).toEqual([["duplicate-name", "controlPlane.racks[1]"]]);
    const single = load(design((s) => (s.controlPlane.racks = ["r1"]))).warnings.filter(
      (w) => w.code === "racks-single",
    );
    expect(single.map((w) => [formatPath(w.path), w.message])).toEqual([
      [
        "controlPlane.racks",
        "the 3 controllers are kept to rack r1 alone: its loss (power, top-of-rack switches) takes every one of them, where other racks at its site could hold some; name more racks",
      ],
    ]);
  });

  test("a zone of racks only takes a witness controller, with no pool, no aggregate, no diagram box", async () => {
    // GIVEN three sites: two zones of pools, and a witness room of one rack and no pool
    const spec = variant((s) => {
      s.sites = [{ name: "dc1" }, { name: "dc2" }, { name: "witness" }];
      s.zones[0].site = "dc1";
      s.zones[1].site = "dc2";
      s.zones[1].racks = ["r4"];
      s.zones.push({ name: "witness", site: "witness", racks: ["w1"], pools: [] });
      s.controlPlane.racks = ["r1", "r4", "w1"];
    });
    const { model, warnings } = load(spec);
    // THEN one controller stands at each site, and the quorum is no site's
    expect(model.nodes.filter((n) => n.role === "controller").map((n) => n.site)).toEqual([
      "dc1",
      "dc2",
      "witness",
    ]);
    expect(warnings.map((w) => w.code)).not.toContain("quorum-sites");
    expect(model.pools.some((p) => p.zone === "witness")).toBe(false);
    // AND the document says the zone has no pool, and draws no empty zone among the pools
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "### Zone witness\n\nSite: witness. Racks: w1.\n\nNo compute pool: a room of racks for the controllers and storage hosts placed there",
    );
    expect(markdown).not.toMatch(/subgraph n\d+\["Zone witness"\]\n {2}end/);
    expect(markdown).toContain("the compute hosts form 2 pools over 2 availability zones");
    // AND a zone of neither pools nor racks holds nothing: warned
    const empty = load(variant((s) => s.zones.push({ name: "spare", pools: [] }))).warnings.filter(
      (w) => w.code === "zone-empty",
    );
    expect(empty.map((w) => formatPath(w.path))).toEqual(["zones[2]"]);
  });

  test("spreads Swift proxies over the sites first, then the racks; volume hosts by rack", () => {
    // GIVEN two sites of two racks each (r1, r2 at dc1; r3, r4 at dc2), the proxies and volume
    // hosts over all four racks, listed in name order
    const spec = variant((s) => {
      Object.assign(s, cephAtSites(2));
      s.controlPlane.services.push("swift");
      s.storage.swift = swiftCluster({
        racks: ["r1", "r2", "r3", "r4"],
        storageNodes: 4,
        zones: 4,
      });
      s.storage.backends.push({ name: "lvm", kind: "lvm", volumeType: "local" });
      s.storage.blockStorageNodes = { hosts: 2, hardware: "stor", racks: ["r1", "r2", "r3", "r4"] };
    });
    const { model } = load(spec);
    const at = (role: string) =>
      model.nodes.filter((n) => n.role === role).map((n) => [n.rack, n.site]);
    // THEN each site has one of each, where rack order alone put both at dc1 (r1, r2)
    expect(at("swift-proxy")).toEqual([
      ["r1", "dc1"],
      ["r3", "dc2"],
    ]);
    // AND volume hosts stay by rack: a volume lives on one, so sites would keep none alive
    expect(at("block-storage")).toEqual([
      ["r1", "dc1"],
      ["r2", "dc1"],
    ]);
    // AND the storage nodes, which the ring weighs by rack, still go by rack alone
    expect(at("swift-storage").map(([rack]) => rack)).toEqual(["r1", "r2", "r3", "r4"]);
  });

  test("co-locates the network agents and the deployer on the controllers", () => {
    // GIVEN the base spec: three controllers, no network nodes, no deployer
    // THEN
    const controllers = model.nodes.filter((n) => n.role === "controller");
    expect(controllers.map((n) => n.roles)).toEqual([
      ["controller", "network", "deployer"],
      ["controller", "network"],
      ["controller", "network"],
    ]);
    expect(model.controlPlane.deployer).toBe("ctrl-01");
  });

  test("puts Ceph monitors on the first OSD hosts and LVM volumes on the controllers", () => {
    const m = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "cinder"];
        s.storage = {
          ceph: { nodes: 4, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "lvm", kind: "lvm", volumeType: "std" }],
        };
      }),
    ).model;
    expect(m.nodes.filter((n) => n.roles.includes("ceph-mon")).map((n) => n.name)).toEqual(
      m.storage.ceph?.monitors,
    );
    expect(m.nodes.find((n) => n.name === "ceph-04")?.roles).toEqual(["ceph-osd"]);
    expect(m.nodes.find((n) => n.name === "ctrl-02")?.roles).toContain("block-storage");
    expect(m.storage.backends[0].hosts).toEqual(["ctrl-01", "ctrl-02", "ctrl-03"]);
    // The bill of materials counts each server once, and says what it also runs.
    expect(m.inventory.filter((r) => r.role === "ceph-osd")).toEqual([
      {
        role: "ceph-osd",
        roles: ["ceph-mon", "ceph-osd"],
        hardware: "stor",
        count: 4,
        colocated: { "ceph-mon": 3 },
      },
    ]);
    expect(m.ha).toContainEqual(
      expect.objectContaining({ kind: "block-storage-controllers", nodes: 3 }),
    );
  });

  test("gives dedicated block-storage hosts and the deployer addresses, BOM lines and HA rows", () => {
    const m = load(
      variant((s) => {
        s.storage = {
          backends: [{ name: "zfs", kind: "zfs", volumeType: "zfs", targetProtocol: "iscsi" }],
          blockStorageNodes: { hosts: 2, hardware: "stor", hostnames: ["zfs-a", "zfs-b"] },
        };
        s.deployer = { hardware: "ctrl" };
      }),
    ).model;
    const byName = Object.fromEntries(m.nodes.map((n) => [n.name, n]));
    expect(Object.keys(byName["zfs-a"].addresses)).toEqual(["api", "mgmt", "storage"]);
    expect(Object.keys(byName["deploy-01"].addresses)).toEqual(["api", "mgmt"]);
    expect(byName["ctrl-01"].roles).not.toContain("deployer");
    expect(m.controlPlane.deployer).toBe("deploy-01");
    expect(m.inventory.slice(-2)).toEqual([
      {
        role: "block-storage",
        roles: ["block-storage"],
        hardware: "stor",
        count: 2,
        colocated: {},
      },
      { role: "deployer", roles: ["deployer"], hardware: "ctrl", count: 1, colocated: {} },
    ]);
    expect(m.ha.map((r) => r.kind)).toEqual(
      expect.arrayContaining(["block-storage-nodes", "deployer-dedicated"]),
    );
    expect(m.ports).toContainEqual(
      expect.objectContaining({ service: "iscsi", port: "3260", from: "compute" }),
    );
  });

  test("lets hypervisors reach LVM targets on the controllers from the storage network they attach on", () => {
    // GIVEN an LVM backend on the controllers of a design with a storage network
    const m = load(
      variant((s) => {
        s.storage = { backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }] };
      }),
    ).model;
    const storage = m.networks.find((n) => n.role === "storage")!;
    // THEN the controllers' iSCSI rule takes the storage network's block, where target_ip_address
    // and tgtd_interface_address put the targets
    const controllers = m.securityGroups.find((g) => g.name === "controllers")!;
    const iscsi = controllers.rules.filter((r) => r.portMin === 3260);
    expect(iscsi.map((r) => r.remoteIpPrefix)).toEqual([storage.cidr]);
    expect(m.deploy.cinder.backends[0].targetAddresses?.["ctrl-01"]).toBe(
      m.nodes.find((n) => n.name === "ctrl-01")?.addresses[storage.name],
    );
  });

  test("lists nodes in role order, every role with an address, a BOM line and an HA row", () => {
    const ranks = model.nodes.map((n) => ROLE_ORDER.indexOf(n.role));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const n of model.nodes) {
      expect(Object.keys(n.addresses).length).toBeGreaterThan(0);
      expect(model.inventory.some((r) => r.role === n.role && r.hardware === n.hardware)).toBe(
        true,
      );
    }
    expect(model.inventory.reduce((s, r) => s + r.count, 0)).toBe(model.nodes.length);
  });
});

describe("host networking", () => {
  test("puts every tagged network on a VLAN device of bond0 with its address, prefix and MTU", () => {
    const compute = model.nodes.find((n) => n.name === "az1-web-01");
    expect(compute?.interfaces).toEqual([
      expect.objectContaining({ network: "mgmt", device: "bond0.10", vlan: 10 }),
      {
        network: "api",
        role: "internal-api",
        device: "bond0.11",
        parent: "bond0",
        vlan: 11,
        address: compute?.addresses.api,
        prefixLength: 24,
        mtu: 9000,
      },
      expect.objectContaining({ network: "tunnel", device: "bond0.12", vlan: 12 }),
      expect.objectContaining({ network: "storage", device: "bond0.13", vlan: 13 }),
    ]);
    // No names given: one LACP bond over every Ethernet port, as large as its largest VLAN; no
    // Open vSwitch bridge on these computes (VXLAN tenants, no provider network), so no bridge.
    expect(compute?.links).toEqual([{ device: "bond0", members: [], mtu: 9000, mode: "802.3ad" }]);
    expect(compute?.defaultGateway).toEqual({ network: "mgmt", address: "10.0.0.1" });
  });

  test("routes controllers through the external network and gives its VLAN the external MTU", () => {
    const ctrl = model.nodes.find((n) => n.name === "ctrl-01");
    expect(ctrl?.interfaces.find((i) => i.network === "ext")).toMatchObject({
      device: "brbond0.20",
      mtu: 1500,
    });
    expect(ctrl?.defaultGateway).toEqual({ network: "ext", address: "198.51.100.1" });
  });

  test("without an external VIP no host takes an address on the external network", () => {
    // GIVEN the external network for the routers alone (an air-gapped site's network, say)
    const m = load(variant((s) => delete s.controlPlane.vips.external)).model;
    const ctrl = m.nodes.find((n) => n.name === "ctrl-01");
    // THEN the controllers keep Open vSwitch's bridge for it, take no address there, and route
    // by the management gateway
    expect(ctrl?.interfaces.map((i) => i.network)).not.toContain("ext");
    expect(ctrl?.links[0].bridge?.physicalNetworks).toEqual(["physnet-ext"]);
    expect(ctrl?.defaultGateway).toEqual({ network: "mgmt", address: "10.0.0.1" });
    expect(m.nodes.every((n) => n.addresses.ext === undefined)).toBe(true);
    expect(m.networks.find((n) => n.name === "ext")?.allocatedAddresses).toBe(0);
    expect(model.networks.find((n) => n.name === "ext")?.allocatedAddresses).toBe(3);
    // AND an untagged external network on ports of its own (three-node's public switch) keeps
    // its bond, without an address there
    const spec = parse(
      fs.readFileSync(path.join(ROOT, "examples", "three-node.yaml"), "utf8"),
    ) as any;
    delete spec.controlPlane.vips.external;
    const three = loadSpecText(JSON.stringify(spec), "spec.json");
    const net = three.model.nodes.find((n) => n.name === "net-01")!;
    expect(net.links.map((l) => [l.device, l.bridge?.physicalNetworks])).toEqual([
      ["bond0", ["physnet-private"]],
      ["bond1", ["physnet-public"]],
    ]);
    expect(net.interfaces.map((i) => i.device)).not.toContain("brbond1");
    // AND a fixed address there is refused saying why, with the external VIP or without
    spec.hosts = [{ name: "net-01", addresses: { public: "10.10.0.20" } }];
    const refused = issuesOf(spec).find((i) => formatPath(i.path) === "hosts[0].addresses.public");
    expect(refused?.message).toBe(
      "net-01 (network) takes no address on the external network public: its routers reach it through Open vSwitch, and only the hosts of the external VIP (the controllers) stand there; remove this address (a running host keeps it until its new netplan is installed)",
    );
    spec.controlPlane.vips.external = "10.10.0.10";
    expect(
      issuesOf(spec).find((i) => formatPath(i.path) === "hosts[0].addresses.public")?.message,
    ).toBe(refused?.message);
  });

  test("network nodes carry the external network for their routers, with no address there", () => {
    // GIVEN the base design (external VIP on ext, VLAN 20) with two network nodes
    const m = load(variant((s) => (s.controlPlane.networkNodes = 2))).model;
    const net = m.nodes.find((n) => n.role === "network")!;
    const ctrl = m.nodes.find((n) => n.role === "controller")!;
    // THEN only the controllers, which hold the external VIP, stand on ext
    expect(ctrl.addresses.ext).toBeDefined();
    expect(net.addresses.ext).toBeUndefined();
    expect(net.interfaces.map((i) => i.network)).not.toContain("ext");
    expect(m.networks.find((n) => n.name === "ext")?.allocatedAddresses).toBe(3);
    // AND the network node's default route goes by the management network, not the internet
    expect(net.defaultGateway).toEqual({ network: "mgmt", address: "10.0.0.1" });
    // AND its trunk still feeds the external network's physical network to Open vSwitch
    expect(net.links[0].bridge?.physicalNetworks).toContain("physnet-ext");
  });

  test("splits named ports over one bond per untagged network, management first", () => {
    // GIVEN controllers that also run the network agents, management and external untagged
    const m = load(
      variant((s) => {
        s.hardware[0].nicNames = ["ens1f0", "ens1f1", "ens2f0", "ens2f1"];
        delete s.network.networks.find((n: any) => n.name === "ext").vlan;
        delete s.network.networks.find((n: any) => n.name === "mgmt").vlan;
      }),
    ).model;
    const ctrl = m.nodes.find((n) => n.name === "ctrl-01");
    // THEN only bond1, which carries the external network, feeds br-ex through a Linux bridge
    expect(ctrl?.links).toEqual([
      { device: "bond0", members: ["ens1f0", "ens1f1"], mtu: 9000, mode: "802.3ad" },
      {
        device: "bond1",
        members: ["ens2f0", "ens2f1"],
        mtu: 1500,
        mode: "802.3ad",
        bridge: {
          device: "brbond1",
          patch: "p-brbond1-phy",
          ovsPatch: "p-brbond1-ovs",
          physicalNetworks: ["physnet-ext"],
        },
      },
    ]);
    expect(ctrl?.interfaces.map((i) => [i.network, i.device, i.parent])).toEqual([
      ["mgmt", "bond0", "bond0"],
      ["api", "bond0.11", "bond0"],
      ["tunnel", "bond0.12", "bond0"],
      ["storage", "bond0.13", "bond0"],
      ["ext", "brbond1", "brbond1"],
    ]);
    // AND the switches still see the external network on the hosts' bond1
    const bond1 = m.switches.filter((sw) => sw.link === "bond1");
    expect(bond1.length).toBeGreaterThan(0);
    for (const sw of bond1) expect([sw.networks, sw.untagged]).toEqual([["ext"], ["ext"]]);
    // AND bond0's switches carry management untagged beside the VLANs they trunk, every port
    // alike; the runbook names both untagged networks, bond1's too
    const bond0 = m.switches.find((sw) => sw.link === "bond0");
    expect(bond0?.untagged).toEqual(["mgmt"]);
    expect(bond0?.native).toBeUndefined();
    expect(bond0?.vlans).toEqual([11, 12, 13]);
    expect(m.lifecycle[0].prerequisites).toContainEqual({
      kind: "switches-native",
      params: {
        switches: m.switches.length,
        vlans: ["11", "12", "13"],
        native: ["ext", "mgmt"],
        mtu: 9000,
        frame: 9018,
      },
    });
    // AND each switch passes the MTU of the bonds cabled to it: 9000 on bond0, 1500 on bond1
    expect(bond0?.mtu).toBe(9000);
    for (const sw of bond1) expect(sw.mtu).toBe(1500);
  });

  test("racks named for controllers that run as VMs, with no network node, are warned as doing nothing", () => {
    const warned = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.deployment = "vm";
        s.controlPlane.racks = ["r1", "r2"];
      }),
    ).warnings.filter((w) => w.code === "racks-unused");
    expect(warned.map((w) => [formatPath(w.path), w.message])).toEqual([
      [
        "controlPlane.racks",
        "no controllers stand in racks (the controllers run as virtual machines on the undercloud), so the racks named do nothing; remove them",
      ],
    ]);
  });

  test("lists the segments controllers running as VMs need, which no switch of the design carries", () => {
    // GIVEN controllers as VMs that also run the network agents, with tenant VLANs on the
    // external physical network
    const loaded = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.deployment = "vm";
        s.network.tenantNetworkType = "vlan";
        s.network.tenantPhysicalNetwork = "physnet-ext";
        s.network.tenantVlanRange = { min: 1000, max: 1099 };
      }),
    );
    // THEN the warning names each host network with its VLAN and the tenant range
    const [found] = loaded.warnings.filter((w) => w.code === "controller-vms-networking");
    expect(formatPath(found.path)).toBe("controlPlane.deployment");
    expect(found.message).toContain(
      "their segments, mgmt (VLAN 10), api (VLAN 11), tunnel (VLAN 12), storage (VLAN 13), ext (VLAN 20), tenant VLANs 1000-1099 of physnet-ext, reach them through the undercloud's hypervisors",
    );
    // AND the design's switches carry none of it for them: they list only the servers' ports
    expect(loaded.model.switches.reduce((t, sw) => t + sw.hostPorts, 0)).toBe(2 * 7);
    // AND bare-metal controllers are not warned
    const metal = load(variant((s) => (s.cloud.undercloud = { cloud: "under" })));
    expect(metal.warnings.map((w) => w.code)).not.toContain("controller-vms-networking");
  });

  test("names the roles whose ports take each untagged network where a switch's ports differ", () => {
    // GIVEN management tagged, the external network untagged (the controllers' first untagged
    // network) and a replication network untagged on the Ceph nodes, in the same racks
    const m = load(untaggedByRole()).model;
    // THEN each rack's bond0 switches list both, each with the role whose ports take it, as a
    // port carries one untagged network
    const r1 = m.switches.filter((sw) => sw.rack === "r1");
    expect(r1.map((sw) => sw.name)).toEqual(["r1-sw-0a", "r1-sw-0b"]);
    for (const sw of r1) {
      expect(sw.untagged).toEqual(["ext", "repl"]);
      expect(sw.native).toEqual([
        { network: "ext", roles: ["controller"] },
        { network: "repl", roles: ["ceph-osd"] },
      ]);
    }
    // AND the unracked computes' switches, all of one kind, carry none
    expect(m.switches.filter((sw) => !sw.rack).every((sw) => !sw.untagged)).toBe(true);
  });

  test("gives a bond that feeds Open vSwitch the MTU of the Neutron networks it carries", () => {
    // GIVEN host networks of 1500 bytes on a 9000-byte underlay, and a provider VLAN on the
    // external physical network at the underlay MTU
    const m = load(
      variant((s) => {
        for (const n of s.network.networks) n.mtu = 1500;
        s.network.networks.push({
          name: "prov",
          role: "provider",
          cidr: "10.9.0.0/24",
          vlan: 30,
          physicalNetwork: "physnet-ext",
        });
      }),
    ).model;
    // THEN bond0, its Linux bridge and veth (netplan writes the link's MTU on each) take 9000:
    // at 1500 they would drop the provider network's full-size frames
    const bond0 = m.nodes.find((n) => n.name === "ctrl-01")?.links[0];
    expect(bond0).toMatchObject({ device: "bond0", bridge: { device: "brbond0" }, mtu: 9000 });
    expect(m.deploy.neutron.physicalNetworks).toEqual([
      expect.objectContaining({ name: "physnet-ext", mtu: 9000 }),
    ]);
  });

  test("warns when an untagged network's bond runs at a larger MTU for its VLANs", () => {
    // GIVEN management untagged at 1500 on bond0, whose VLANs run at the 9000 underlay
    const loaded = load(
      variant((s) => {
        delete s.network.networks[0].vlan;
        s.network.networks[0].mtu = 1500;
      }),
    );
    // THEN one warning at management's MTU, naming the bond and the size the hosts will send
    const found = loaded.warnings.filter((w) => w.code === "untagged-mtu-raised");
    expect(found.map((w) => w.path.join("."))).toEqual(["network.networks.0.mtu"]);
    expect(found[0].message).toMatch(
      /^network mgmt is untagged on bond0 of ctrl-01, ctrl-02, ctrl-03 and \d+ more, which runs at MTU 9000 for the other networks on it, so the hosts send up to 9000 bytes on mgmt, not 1500; /,
    );
    expect(loaded.model.nodes[0].links[0].mtu).toBe(9000);
  });

  test("plans a switch pair per rack for the LACP bonds, trunking the VLANs of the hosts there", () => {
    expect(model.switches.map((s) => s.name)).toEqual([
      "sw-0a",
      "sw-0b",
      "r1-sw-0a",
      "r1-sw-0b",
      "r2-sw-0a",
      "r2-sw-0b",
      "r3-sw-0a",
      "r3-sw-0b",
    ]);
    expect(model.switches[2]).toMatchObject({
      rack: "r1",
      link: "bond0",
      vlans: [10, 11, 12, 13, 20],
    });
  });
});

describe("lifecycle", () => {
  test("orders the stages bare metal, deploy, platform, tenants", () => {
    expect(model.lifecycle.map((s) => s.id)).toEqual([
      "baremetal",
      "deploy",
      "platform",
      "tenants",
    ]);
    expect(model.lifecycle[0].skipped?.kind).toBe("no-undercloud");
    expect(model.lifecycle[0].tool).toBe("existing-hosts");
    expect(model.lifecycle[2]).toMatchObject({ clouds: ["test"], folders: ["terraform/platform"] });
  });

  test("installed hosts with Ceph: root must take the deployment host's key, as cephadm logs in as root", () => {
    const withCeph = load(cephAtSites(3)).model;
    const existing = withCeph.lifecycle[0];
    expect(existing.tool).toBe("existing-hosts");
    expect(existing.prerequisites).toContainEqual({ kind: "root-ssh-ceph", params: { hosts: 6 } });
    // (the undercloud's user data lets root in itself; without Ceph nothing logs in as root)
    expect(model.lifecycle[0].prerequisites.some((p) => p.kind === "root-ssh-ceph")).toBe(false);
  });

  test("the deploy stage asks first for a Kolla-Ansible that reads per-host physical networks", () => {
    // neutron_physical_networks and Ubuntu 24.04 hosts came in Kolla-Ansible 19.0.0 (its
    // prechecks take jammy and noble); 20.0.0 takes noble alone
    const deploy = model.lifecycle.find((s) => s.id === "deploy")!;
    expect(deploy.prerequisites[0]).toEqual({
      kind: "kolla-release",
      params: {
        minimum: "19.0.0 (2024.2)",
        noble: "19.0.0 (2024.2)",
        jammyDropped: "20.0.0 (2025.1)",
      },
    });
  });

  test("runs the bare-metal stage on the undercloud entry when one is declared", () => {
    const m = load(variant((s) => (s.cloud.undercloud = { cloud: "under" }))).model;
    expect(m.lifecycle[0]).toMatchObject({
      id: "baremetal",
      tool: "terraform-undercloud",
      clouds: ["under"],
      commands: [
        "terraform -chdir=terraform/baremetal init",
        "terraform -chdir=terraform/baremetal apply",
      ],
    });
  });

  test("the nodes get the controllers' key pair when the undercloud names none", () => {
    // GIVEN an undercloud without a key pair, and one with its own
    const inherited = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.keyPair = "ops";
      }),
    ).model;
    const own = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under", keyPair: "metal" };
        s.controlPlane.keyPair = "ops";
      }),
    ).model;
    // WHEN / THEN the key pair falls back like the image, and the runbook names its owner
    expect([inherited.undercloud?.keyPair, own.undercloud?.keyPair]).toEqual(["ops", "metal"]);
    expect(inherited.lifecycle[0].prerequisites).toContainEqual({
      kind: "undercloud-key-pair",
      params: { keyPair: "ops", cloud: "under" },
    });
  });

  test("warns of a network untagged on the bond the servers PXE-boot on", () => {
    const warned = (edit: (s: any) => void) =>
      load(variant(edit))
        .warnings.filter((w) => w.code === "untagged-on-pxe-bond")
        .map((w) => [formatPath(w.path), w.message.split(",")[0]]);
    // GIVEN an undercloud, and the management network without a VLAN id
    const untagged = (s: any) => {
      s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
      delete s.network.networks.find((n: any) => n.role === "management").vlan;
    };
    const [[path, message]] = warned(untagged);
    expect(path).toMatch(/^network\.networks\[\d+\]$/);
    expect(message).toMatch(/^network \S+ is untagged on bond0 of /);
    // THEN the provisioning network itself, planned as a host network, is that native VLAN
    expect(
      warned((s) => {
        untagged(s);
        s.cloud.undercloud.network = s.network.networks.find(
          (n: any) => n.role === "management",
        ).name;
      }),
    ).toEqual([]);
    // AND hosts installed otherwise have no provisioning network to share it with
    expect(
      warned((s) => {
        untagged(s);
        delete s.cloud.undercloud;
      }),
    ).toEqual([]);
    // AND a flat Neutron network leaves Open vSwitch untagged on that bond too: its instances
    // would share the provisioning segment
    const flat = warned((s) => {
      s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
      s.network.networks.push({
        name: "prov",
        role: "provider",
        cidr: "10.50.0.0/24",
        physicalNetwork: "physnet-ext",
      });
    });
    expect(flat).toEqual([
      [
        expect.stringMatching(/^network\.networks\[\d+\]$/),
        "flat network prov leaves Open vSwitch untagged on bond0 of ctrl-01",
      ],
    ]);
  });

  test("asks for undercloud quota for every server, by flavor", () => {
    // GIVEN an undercloud deploying the fixture's 3 controllers and 7 computes (Nova's default
    // quota stops at 10 instances and 20 cores)
    const m = load(variant((s) => (s.cloud.undercloud = { cloud: "under" }))).model;
    const quota = m.lifecycle[0].prerequisites.find((p) => p.kind === "undercloud-quota");
    expect(quota?.params).toEqual({
      cloud: "under",
      instances: m.nodes.length,
      flavors: ["7 × baremetal-cmp", "3 × bm-ctrl"],
    });
    const perFlavor = (quota?.params.flavors as string[]).map((f) => Number(f.split(" × ")[0]));
    expect(perFlavor.reduce((a, b) => a + b)).toBe(m.nodes.length);
  });

  test("asks for steady servers before a plan: the provider's read fails on a rebooting one", async () => {
    // (resource_openstack_compute_instance_v2.go reads power_state active, shutoff, error,
    // migrating, shelved, shelved_offloaded, build or paused; anything else is an error)
    const m = load(variant((s) => (s.cloud.undercloud = { cloud: "under" }))).model;
    expect(m.lifecycle[0].prerequisites.map((p) => p.kind)).toContain("baremetal-steady");
    const runbook = String((await renderArchitecture(m)).files.get("RUNBOOK.md"));
    expect(runbook).toContain(
      "Plan and apply this stack while every server is ACTIVE or SHUTOFF: terraform-provider-openstack fails its read of a server that is rebooting, rebuilding, rescued or suspended",
    );
  });

  test("says the image must admit the deployer when no key pair is injected", () => {
    // GIVEN an undercloud and no key pair anywhere
    const m = load(variant((s) => (s.cloud.undercloud = { cloud: "under" }))).model;
    // WHEN / THEN
    expect(m.undercloud?.keyPair).toBeUndefined();
    expect(m.lifecycle[0].prerequisites.map((p) => p.kind)).toContain("undercloud-no-key-pair");
  });

  test("restarts Keystone after the platform stack makes LDAP domains, before any group lookup", () => {
    // GIVEN an LDAP domain with a role on the whole domain and one on a tenant's project
    const m = ldapDomainRoles();
    const [platform, tenants] = ["platform", "tenants"].map((id) =>
      m.lifecycle.find((s) => s.id === id)!,
    );
    // THEN the platform stage ends with a rolling restart of Keystone's containers: each
    // controller's, then a wait until Keystone answers on its API address (systemd returns once
    // the container starts, Apache listens before Keystone answers) before the next
    expect(platform.prerequisites.map((p) => p.kind)).toContain("keystone-domain-drivers");
    const api = (host: string) => m.nodes.find((n) => n.name === host)!.addresses.api;
    expect(platform.commands).toEqual([
      "terraform -chdir=terraform/platform init",
      "terraform -chdir=terraform/platform apply",
      ...m.controlPlane.controllers.map(
        (host) =>
          `ansible -i deploy/kolla/inventory ${host} --become -m ansible.builtin.systemd -a "name=kolla-keystone-container.service state=restarted" && ansible -i deploy/kolla/inventory ${host} -m ansible.builtin.shell -a "timeout 300 sh -c 'until curl -sf http://${api(host)}:5000/v3 >/dev/null; do sleep 5; done'"`,
      ),
    ]);
    expect(m.controlPlane.controllers).toHaveLength(3);
    // (without an internal-API network Kolla's API interface is management's, the internal
    // VIP's: waited for there)
    const onMgmt = keystoneRestarts({
      ...m,
      vips: m.vips.map((v) => (v.name === "internal" ? { ...v, network: "mgmt" } : v)),
    });
    expect(onMgmt[0]).toContain(
      `until curl -sf http://${m.nodes.find((n) => n.name === m.controlPlane.controllers[0])!.addresses.mgmt}:5000/v3 >/dev/null`,
    );
    // AND the roles on the whole domain come first in the tenants stage, which waits for it
    expect(m.identity.domainRoleStack).toBe("domain-roles");
    expect(tenants.folders[0]).toBe("terraform/domain-roles");
    expect(tenants.commands.slice(0, 2)).toEqual([
      "terraform -chdir=terraform/domain-roles init",
      "terraform -chdir=terraform/domain-roles apply",
    ]);
    expect(tenants.prerequisites).toEqual([
      { kind: "platform-applied-keystone-restarted", params: {} },
    ]);
    // AND without directories or domain-wide roles, neither the restart nor the stack
    expect(model.identity.domainRoleStack).toBeUndefined();
    expect(model.lifecycle.find((s) => s.id === "platform")!.commands).toHaveLength(2);
    expect(model.lifecycle.find((s) => s.id === "tenants")!.folders).not.toContain(
      "terraform/domain-roles",
    );
  });

  test("asks for the aggregate filter when flavors are pinned to pools", () => {
    const m = load(
      variant((s) => (s.zones[0].pools[0].flavors = [{ name: "f1", vcpus: 1, ramGiB: 1 }])),
    ).model;
    expect(m.lifecycle[2].prerequisites.map((p) => p.kind)).toContain("aggregate-filter");
    const none = load(
      variant((s) => s.zones.forEach((z: any) => z.pools.forEach((p: any) => (p.flavors = [])))),
    ).model;
    expect(none.lifecycle[2].prerequisites.map((p) => p.kind)).not.toContain("aggregate-filter");
  });
});
