import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { findBlueprint } from "../../blueprints/catalog";
import { cephAcrossRacks } from "../../blueprints/private/needs";
import { loadSpecFile, loadSpecText } from "../../model/load";
import type { Model } from "../../model/types";
import { deployFiles, kollaGlobals } from "../../deployer";
import { iniValue } from "../../deployer/private/ini";
import { keystoneDomainConfigs } from "../../artifacts";
import { cpuList, parseCpuList } from "../../model/deploy";
import { gatewaysJoinApi } from "../../model/nodes";
import {
  CORE_SERVICES,
  cephAtSites,
  cephCluster,
  erasureCodedCeph,
  erasureCodedStorage,
  issuesOf,
  load,
  lvmBesideCeph,
  swiftCluster,
  twoClassCeph,
  variant,
  withOctavia,
} from "../support/fixtures";
import { formatPath } from "../../core/errors";
import { tempDir } from "../support/temp";
import { addressToBigInt } from "../../core/net";
import { ROOT } from "../support/blueprints";
import { renderArchitecture } from "../support/documents";
import variables from "../../deployer/kolla/variables.json";
import { PYTHON } from "../support/consumers";

const example = (name: string) =>
  loadSpecFile(path.join(ROOT, findBlueprint(name)?.example as string)).model;

/** `key = value` pairs of one section of an INI file. */
function section(text: string, name: string): Record<string, string> {
  const body = text.split(`[${name}]\n`)[1]?.split(/\n\[/)[0] ?? "";
  return Object.fromEntries([...body.matchAll(/^([a-z_]+) = ?(.*)$/gm)].map((m) => [m[1], m[2]]));
}

describe("CPU lists", () => {
  test("round-trip through Nova's range syntax", () => {
    expect(cpuList([0, 1, 2, 5, 32, 33])).toBe("0-2,5,32-33");
    expect(parseCpuList("0-2,5,32-33")).toEqual([0, 1, 2, 5, 32, 33]);
  });
});

describe("nova.conf per compute host", () => {
  test("a pinned pool keeps whole cores with their sibling threads for the host", () => {
    // GIVEN a 2 x 16-core host with SMT, 4 threads reserved
    const model = load(
      variant((s) => {
        s.zones[0].pools[0].cpuPinning = true;
        s.zones[0].pools[0].reservedHostCpus = 4;
      }),
    ).model;
    // WHEN
    const files = deployFiles(model);
    // THEN cores 0-1 and their siblings 32-33 stay with the host, the other 60 threads are
    // dedicated; no shared set, which Nova would report as VCPU for unpinned guests
    const conf = files.get("deploy/kolla/config/nova/az1-web-01/nova.conf") as string;
    expect(section(conf, "compute")).toEqual({ cpu_dedicated_set: "2-31,34-63" });
    expect(conf).toContain("# CPUs 0-1,32-33 stay with the host: no cpu_shared_set");
    expect(section(conf, "DEFAULT")).toEqual({
      cpu_allocation_ratio: "4",
      ram_allocation_ratio: "1",
      reserved_host_memory_mb: "8192",
    });
    const pool = model.pools.find((p) => p.id === "az1-web");
    expect(60 * (pool?.hostnames.length ?? 0)).toBe(pool?.capacity.dedicatedCpus);
  });

  test("a pinned pool gets the scheduler filter that fits its guests to one NUMA node", () => {
    // GIVEN a design with one pinned pool, and one without
    const pinned = load(variant((s) => (s.zones[0].pools[0].cpuPinning = true))).model;
    const shared = load(variant(() => {})).model;
    // WHEN
    const filters = (model: typeof pinned) =>
      section(
        deployFiles(model).get("deploy/kolla/config/nova/nova-scheduler.conf") as string,
        "filter_scheduler",
      ).enabled_filters.split(",");
    // THEN placement's PCPU count spans NUMA nodes; NUMATopologyFilter checks one node holds
    // the guest, before nova-compute's claim would refuse it
    expect(filters(pinned)).toContain("NUMATopologyFilter");
    expect(filters(shared)).not.toContain("NUMATopologyFilter");
  });

  test("an unpinned pool reserves host CPUs instead", () => {
    const files = deployFiles(load(variant(() => {})).model);
    const conf = files.get("deploy/kolla/config/nova/az2-app-01/nova.conf") as string;
    expect(section(conf, "DEFAULT").reserved_host_cpus).toBe("2");
    expect(conf).not.toContain("[compute]");
  });
});

/** OVN with neutron-fwaas running (the fixture lists it), but no router firewall of the design's. */
const ovnWithFwaas = () =>
  load(
    variant((s) => {
      s.network.mechanism = "ovn";
      s.securityZones.firewall = false;
    }),
  ).model;

describe("Neutron", () => {
  test("neutron-server under uwsgi (Kolla 2025.2, 2026.1) gets its service providers in neutron.conf", () => {
    // GIVEN firewall and VPN services on Open vSwitch, and FWaaS on OVN (for groups the design
    // does not make: a router firewall of its own is refused there)
    const ovs = deployFiles(example("enterprise-reference")).get(
      "deploy/kolla/config/neutron.conf",
    ) as string;
    const ovn = deployFiles(ovnWithFwaas()).get("deploy/kolla/config/neutron.conf") as string;
    // WHEN Kolla renders it for each release's Neutron role (its `wsgi` entry from 2025.2,
    // neutron_config_files from master, which passes fwaas_driver.ini to every service itself)
    const release = {
      "2025.1": { neutron_services: { "neutron-server": {} } },
      "2026.1": {
        neutron_services: { "neutron-server": { wsgi: "neutron.wsgi.api:application" } },
      },
      master: {
        neutron_services: { "neutron-server": { wsgi: "neutron.wsgi.api:application" } },
        neutron_config_files: [],
      },
    };
    const providers = (conf: string, vars: object) =>
      execFileSync(PYTHON, [
        "-c",
        "import jinja2,json,sys; sys.stdout.write(jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(sys.argv[1]).render(**json.loads(sys.argv[2])))",
        conf,
        JSON.stringify({ ...vars, kolla_base_distro: "ubuntu" }),
      ])
        .toString()
        .split("\n")
        .filter((l) => l.startsWith("service_provider = "))
        .map((l) => l.slice("service_provider = ".length).split(":").slice(0, 2).join(":"));
    // THEN only 2025.2 and 2026.1, whose uwsgi neutron-server reads neutron.conf and
    // ml2_conf.ini alone, get them: elsewhere fwaas_driver.ini and neutron_vpnaas.conf are read,
    // and a provider given twice stops neutron-server
    expect(providers(ovs, release["2025.1"])).toEqual([]);
    expect(providers(ovs, release["2026.1"])).toEqual(["FIREWALL_V2:fwaas_db", "VPN:openswan"]);
    expect(providers(ovs, release.master)).toEqual([]);
    expect(providers(ovn, release["2026.1"])).toEqual(["FIREWALL_V2:fwaas_db", "VPN:strongswan"]);
    expect(ovn).toContain("service_drivers.ovn.firewall_l3_driver.OVNFwaasDriver:default");
  });

  test("tunnels over IPv6: Kolla's tunnel family, and tenant MTUs short of the 40-byte header", () => {
    // GIVEN an IPv6 tunnel network beside IPv4 management, VXLAN tenant networks on 9000
    const m = load(
      variant((s) => {
        s.network.networks[2].cidr = "fd00:50:2::/64";
        s.tenants = [{ name: "t", network: { cidr: "172.30.0.0/24" } }];
      }),
    ).model;
    // THEN Kolla takes local_ip from the tunnel interface's IPv6 address (and writes
    // overlay_ip_version = 6), and Neutron's largest VXLAN MTU is 9000 - 40 - 30
    const globals = parse(deployFiles(m).get("deploy/kolla/globals.yml") as string);
    expect(globals.tunnel_address_family).toBe("ipv6");
    expect(globals.network_address_family).toBeUndefined();
    expect([
      m.network.overlayIpVersion,
      m.network.encapsulationOverhead,
      m.network.tenantMtu,
    ]).toEqual([6, 70, 8930]);
    expect(m.tenants[0].network?.mtu).toBe(8930);
    // AND a tenant asking for more is refused
    expect(
      issuesOf(
        variant((s) => {
          s.network.networks[2].cidr = "fd00:50:2::/64";
          s.tenants = [{ name: "t", network: { cidr: "172.30.0.0/24", mtu: 8950 } }];
        }),
      ).map((i) => [i.code, i.message.slice(-35)]),
    ).toEqual([["mtu-too-large", "8930 (9000 - 70, tunnels over IPv6)"]]);
    // AND IPv4 tunnels keep Kolla's default
    const v4 = parse(
      deployFiles(load(variant(() => undefined)).model).get("deploy/kolla/globals.yml") as string,
    );
    expect(v4.tunnel_address_family).toBeUndefined();
  });

  test("a tunnel network of a smaller MTU sizes the tenant networks: Neutron's path_mtu", () => {
    // GIVEN VXLAN over a tunnel network of MTU 1500 on a 9000 underlay
    const m = load(
      variant((s) => {
        s.network.networks[2].mtu = 1500;
        s.tenants = [{ name: "t", network: { cidr: "172.30.0.0/24" } }];
      }),
    ).model;
    // THEN tenant networks get 1500 - 50 and Neutron sizes its own by the same path MTU
    expect([m.network.tenantMtu, m.tenants[0].network?.mtu, m.network.pathMtu]).toEqual([
      1450, 1450, 1500,
    ]);
    expect(deployFiles(m).get("deploy/kolla/config/neutron/ml2_conf.ini")).toMatch(
      /\n\[ml2\]\npath_mtu = 1500\n/,
    );
    // AND VLAN tenant networks ride the underlay, whatever the tunnel network's MTU
    const vlan = load(
      variant((s) => {
        s.network.networks[2].mtu = 1500;
        s.network.tenantNetworkType = "vlan";
        s.network.tenantVlanRange = { min: 100, max: 199 };
        s.network.tenantPhysicalNetwork = "physnet-ext";
      }),
    ).model;
    expect([vlan.network.tenantMtu, vlan.network.pathMtu]).toEqual([9000, undefined]);
  });

  test("VPNaaS under OVN asks for Kolla-Ansible 2026.1, the first to deploy the OVN VPN agent", () => {
    const design = (mechanism: "ovn" | "ovs") =>
      load(
        variant((s) => {
          s.network.mechanism = mechanism;
          s.controlPlane.services = [...s.controlPlane.services, "vpnaas"];
        }),
      ).model;
    const prerequisites = (mechanism: "ovn" | "ovs") =>
      design(mechanism).lifecycle.find((st) => st.id === "deploy")?.prerequisites ?? [];
    // AND globals.yml names the same release (Ubuntu 24.04 hosts take 19.0.0 on)
    const header = (mechanism: "ovn" | "ovs") =>
      (deployFiles(design(mechanism)).get("deploy/kolla/globals.yml") as string).split("\n")[3];
    expect(header("ovn")).toContain("(Kolla-Ansible 22.0.0 (2026.1) or later):");
    expect(header("ovs")).toContain("(Kolla-Ansible 19.0.0 (2024.2) or later):");
    const ovn = prerequisites("ovn");
    expect(ovn.find((i) => i.kind === "kolla-release")?.params.minimum).toBe("22.0.0 (2026.1)");
    expect(ovn).toContainEqual({
      kind: "kolla-release-ovn-vpn",
      params: { release: "22.0.0 (2026.1)" },
    });
    // The L3 agents run IPsec under Open vSwitch on every release.
    const ovs = prerequisites("ovs");
    expect(ovs.find((i) => i.kind === "kolla-release")?.params.minimum).toBe("19.0.0 (2024.2)");
    expect(ovs.map((i) => i.kind)).not.toContain("kolla-release-ovn-vpn");
  });

  test("FWaaS under OVN gets OVN's service provider, not the L3 agent's Kolla writes", () => {
    // GIVEN FWaaS on an OVN cloud, and firewall groups on an Open vSwitch one
    const ovn = ovnWithFwaas();
    const ovs = load(
      variant((s) => {
        s.network.mechanism = "ovs";
        s.securityZones.firewall = true;
      }),
    ).model;
    expect([ovn.deploy.neutron.mechanism, ovs.deploy.neutron.mechanism]).toEqual(["ovn", "ovs"]);
    expect([ovn.deploy.services, ovs.deploy.services].every((s) => s.includes("fwaas"))).toBe(true);
    // WHEN
    const file = (m: typeof ovn) =>
      deployFiles(m).get("deploy/kolla/config/neutron/fwaas_driver.ini");
    // THEN Kolla's fwaas_driver.ini (agents' FirewallAgentDriver up to 2026.1, which needs an L3
    // agent OVN does not run) is overridden with neutron-fwaas's OVN driver
    expect(section(file(ovn) as string, "service_providers")).toEqual({
      service_provider:
        "FIREWALL_V2:fwaas_db:neutron_fwaas.services.firewall.service_drivers.ovn.firewall_l3_driver.OVNFwaasDriver:default",
    });
    // AND the L3 agent applies them under Open vSwitch, as Kolla's template says
    expect(file(ovs)).toBeUndefined();
  });

  test("neutron-server allows the design's MTUs: global_physnet_mtu is the underlay MTU", () => {
    // GIVEN a 9000-byte underlay whose VXLAN tenant networks ask for 8950
    const model = example("enterprise-reference");
    // WHEN
    const files = deployFiles(model);
    // THEN Neutron's cap (global_physnet_mtu less the VXLAN header) admits them; at its default
    // 1500 it would refuse them ("Requested MTU is too big, maximum is 1450"). It is in the file
    // every Neutron service merges: from 2025.2 Kolla runs neutron-rpc-server and periodic workers
    // beside neutron-server, which read no neutron-server.conf.
    const conf = files.get("deploy/kolla/config/neutron.conf") as string;
    expect(section(conf, "DEFAULT")).toEqual({ global_physnet_mtu: "9000" });
    expect(model.network.tenantMtu).toBe(9000 - model.network.encapsulationOverhead);
  });

  test("VLAN tenant networks: the range on the tenant physical network, flat external", () => {
    const files = deployFiles(example("three-node"));
    const ml2 = files.get("deploy/kolla/config/neutron/ml2_conf.ini") as string;
    expect(section(ml2, "ml2_type_vlan")).toEqual({
      network_vlan_ranges: "physnet-private:1000:1999",
    });
    expect(section(ml2, "ml2_type_flat")).toEqual({ flat_networks: "physnet-public" });
    const globals = parse(files.get("deploy/kolla/globals.yml") as string);
    expect(globals).toMatchObject({
      neutron_type_drivers: "flat,vlan",
      neutron_tenant_network_types: "vlan",
      enable_neutron_provider_networks: true,
    });
    // Bridges are per host (globals.yml's extra-vars would override the inventory's): the network
    // node serves both switches, each through the veth of its own bond; the compute only the
    // tenant VLANs' one.
    expect(globals.neutron_bridge_name).toBeUndefined();
    const inventory = files.get("deploy/kolla/inventory") as string;
    const vars = (host: string) =>
      inventory
        .split("\n")
        .find((l) => l.startsWith(`${host} `))
        ?.split(" ")
        .filter((v) => v.startsWith("neutron_"));
    expect(vars("net-01")).toEqual([
      `neutron_physical_networks='"physnet-private,physnet-public"'`,
      "neutron_bridge_name=br-ex,br-ex2",
      "neutron_external_interface=p-brbond0-ovs,p-brbond1-ovs",
    ]);
    expect(vars("lab-compute-01")).toEqual([
      `neutron_physical_networks='"physnet-private"'`,
      "neutron_bridge_name=br-ex",
      "neutron_external_interface=p-brbond0-ovs",
    ]);
    expect(vars("ctrl-01")).toEqual([]);
  });

  test("fails when two physical networks would share one bond: its veth joins one OVS bridge", () => {
    // GIVEN a provider VLAN on another physical network than the external VLAN, both on bond0
    const issues = issuesOf(
      variant((s) => {
        s.network.networks.push({
          name: "apps",
          role: "provider",
          cidr: "10.0.50.0/24",
          vlan: 50,
          physicalNetwork: "physnet-apps",
        });
      }),
    );
    // THEN one error at the second network's physical network, naming both paths
    expect(issues.map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["ovs-device-conflict", "network.networks[5].physicalNetwork"],
    ]);
    expect(issues[0].message).toBe(
      "physical networks physnet-ext (network.networks[4].physicalNetwork) and physnet-apps (network.networks[5].physicalNetwork) would share bond bond0 on ctrl-01, ctrl-02, ctrl-03: the bond reaches Open vSwitch through one veth, which OVS adds to one bridge only, so Kolla-Ansible cannot map both; put these networks on one physical network",
    );
  });

  test("fails when a flat network would share a bond's untagged segment with a host network", () => {
    // GIVEN untagged management on bond0, and a flat provider network on the external VLAN's
    // physical network, which rides bond0 too
    const issues = issuesOf(
      variant((s) => {
        delete s.network.networks[0].vlan;
        s.network.networks.push({
          name: "apps",
          role: "provider",
          cidr: "10.0.50.0/24",
          physicalNetwork: "physnet-ext",
        });
      }),
    );
    // THEN an error at the flat network, naming management and the controllers, which stand on
    // the external VLAN of its physical network, so carry both on one bond
    expect(issues.map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["nic-names-required", "hardware[1].nicNames"],
      ["flat-shares-host-segment", "network.networks[5]"],
    ]);
    expect(issues[1].message).toBe(
      "flat network apps would be untagged on the bond that carries management network mgmt untagged on ctrl-01, ctrl-02, ctrl-03: instances would share that network's segment with the hosts; give apps (network.networks[5].vlan) or mgmt a VLAN id",
    );
    // AND the compute hosts, on none of its networks, give it a bond of its own: they need ports
    expect(issues[0].message).toBe(
      "hosts of hardware cmp carry 2 untagged networks (mgmt, apps), one bond each; list at least 2 port names in hardware[1].nicNames so each bond gets its ports, or give the networks VLAN ids",
    );
  });

  test("gives a flat provider network of its own physical network a bond of its own", () => {
    // GIVEN untagged management on bond0 and a flat network on physnet-flat, four ports a host
    const { model } = load(
      variant((s) => {
        delete s.network.networks[0].vlan;
        for (const hw of s.hardware) hw.nicNames = ["eno1", "eno2", "eno3", "eno4"];
        s.network.networks.push({
          name: "flat",
          role: "provider",
          cidr: "10.0.60.0/24",
          physicalNetwork: "physnet-flat",
        });
      }),
    );
    // THEN each host serving it bonds two ports for it, and maps the physical network there
    const compute = model.nodes.find((n) => n.role === "compute")!;
    expect(compute.links.map((l) => [l.device, l.members, l.bridge?.physicalNetworks])).toEqual([
      ["bond0", ["eno1", "eno2"], undefined],
      ["bond1", ["eno3", "eno4"], ["physnet-flat"]],
    ]);
    const inventory = deployFiles(model).get("deploy/kolla/inventory") as string;
    expect(inventory).toMatch(
      new RegExp(
        `^${compute.name} .*neutron_physical_networks='"physnet-flat"' neutron_bridge_name=br-ex2 neutron_external_interface=p-brbond1-ovs$`,
        "m",
      ),
    );
  });

  test("a flat network beside tagged host networks leaves the trunk to another physical network", () => {
    // GIVEN every host network tagged, the external VLAN on physnet-ext (bond0, the trunk), and a
    // flat network on physnet-flat
    const spec = (nicNames?: string[]) =>
      variant((s) => {
        if (nicNames) for (const hw of s.hardware) hw.nicNames = nicNames;
        s.network.networks.push({
          name: "flat",
          role: "provider",
          cidr: "10.0.60.0/24",
          physicalNetwork: "physnet-flat",
        });
      });
    // THEN the controllers, which bridge both, give the flat network a bond of its own
    const ctrl = load(spec(["eno1", "eno2", "eno3", "eno4"])).model.nodes.find(
      (n) => n.role === "controller",
    )!;
    expect(ctrl.links.map((l) => [l.device, l.members, l.bridge?.physicalNetworks])).toEqual([
      ["bond0", ["eno1", "eno2"], ["physnet-ext"]],
      ["bond1", ["eno3", "eno4"], ["physnet-flat"]],
    ]);
    // AND without port names the hardware is asked for them, the trunk named
    expect(
      issuesOf(spec())
        .filter((i) => i.code === "nic-names-required")
        .map((i) => i.message),
    ).toContainEqual(
      "hosts of hardware ctrl carry an untagged network (flat) beside the trunk of their tagged networks and physical networks physnet-ext, one bond each; list at least 2 port names in hardware[0].nicNames so each bond gets its ports, or give the networks VLAN ids",
    );
  });

  test("fails when two flat networks share a physical network, which Neutron gives one", () => {
    // GIVEN two flat provider networks on one physical network (of their own)
    const issues = issuesOf(
      variant((s) => {
        for (const [name, cidr] of [
          ["flat-a", "10.0.60.0/24"],
          ["flat-b", "10.0.61.0/24"],
        ])
          s.network.networks.push({
            name,
            role: "provider",
            cidr,
            physicalNetwork: "physnet-flat",
          });
      }),
    ).filter((i) => i.code === "flat-physnet-shared");
    // THEN one error at the second, as ML2's flat type driver refuses it (FlatNetworkInUse)
    expect(issues.map((i) => formatPath(i.path))).toEqual(["network.networks[6]"]);
    expect(issues[0].message).toContain(
      "flat networks flat-a and flat-b are both on physical network physnet-flat",
    );
  });

  test("a flat external network on a bond of its own is its host segment: no error", () => {
    // GIVEN three-node: the public network is flat and untagged on bond1 of the network host
    const model = example("three-node");
    const net = model.nodes.find((n) => n.name === "net-01")!;
    // THEN bond1 feeds br-ex2 through its bridge, where the host takes no address of its own
    // (only the external VIP's hosts do), and the design is valid
    expect(net.interfaces.find((i) => i.network === "public")).toBeUndefined();
    expect(net.links.find((l) => l.device === "bond1")?.bridge?.physicalNetworks).toEqual([
      "physnet-public",
    ]);
  });

  test("switches trunk a provider VLAN no host joins, on the bonds that feed its bridge", () => {
    // GIVEN enterprise-reference: provider VLAN 300 (unix-bridge) on physnet-ext, Neutron only
    const model = example("enterprise-reference");
    // THEN every bond0 switch pair trunks it beside the hosts' VLANs
    for (const sw of model.switches) {
      expect(sw.vlans).toContain(300);
      expect(sw.networks).toContain("unix-bridge");
    }
  });

  test("OVN with Geneve: the VNI range, no Open vSwitch agent file", () => {
    const files = deployFiles(example("cloud-in-a-box"));
    const ml2 = files.get("deploy/kolla/config/neutron/ml2_conf.ini") as string;
    expect(section(ml2, "ml2_type_geneve")).toEqual({ vni_ranges: "1000:65535" });
    expect(files.has("deploy/kolla/config/neutron/openvswitch_agent.ini")).toBe(false);
    expect(parse(files.get("deploy/kolla/globals.yml") as string).neutron_plugin_agent).toBe("ovn");
  });

  test("VXLAN with Open vSwitch: the tunnel type and VNI range", () => {
    const files = deployFiles(example("enterprise-reference"));
    const agent = files.get("deploy/kolla/config/neutron/openvswitch_agent.ini") as string;
    expect(section(agent, "agent")).toEqual({ tunnel_types: "vxlan" });
    const ml2 = files.get("deploy/kolla/config/neutron/ml2_conf.ini") as string;
    expect(section(ml2, "ml2_type_vxlan")).toEqual({ vni_ranges: "1000:65535" });
  });
});

describe("Cinder", () => {
  test("several cinder-volume hosts are one cluster on Ceph, and independent hosts otherwise", () => {
    // GIVEN Ceph on three controllers, LVM on three block-storage hosts, one controller, GlusterFS
    const globalsOf = (m: ReturnType<typeof example>) =>
      Object.fromEntries(kollaGlobals(m).filter(([k]) => /cinder_cluster|etcd/.test(k)));
    const gluster = load(
      variant((s) => {
        s.storage = { backends: [{ name: "gluster", kind: "glusterfs", volumeType: "shared" }] };
      }),
    ).model;
    // THEN Kolla's precheck for several hosts is met: an active/active cluster with etcd for
    // Cinder's locks where the driver supports it (Ceph), its check skipped where it does not
    expect(globalsOf(example("enterprise-reference"))).toEqual({
      cinder_cluster_name: "efg-volume",
      enable_etcd: true,
    });
    expect(globalsOf(example("cloud-in-a-box"))).toEqual({ cinder_cluster_skip_precheck: true });
    expect(globalsOf(example("three-node"))).toEqual({});
    expect(globalsOf(gluster)).toEqual({ cinder_cluster_skip_precheck: true });
    // AND a Ceph backend beside another on several hosts keeps its locks in etcd too: Kolla's
    // precheck wants a coordination backend for Ceph on more than one cinder-volume host
    const mixed = load(
      variant((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [
            { name: "rbd", kind: "ceph", volumeType: "standard" },
            { name: "gluster", kind: "glusterfs", volumeType: "shared" },
          ],
        };
      }),
    ).model;
    expect(globalsOf(mixed)).toEqual({ cinder_cluster_skip_precheck: true, enable_etcd: true });
    expect(mixed.ports.filter((p) => p.service.startsWith("etcd"))).toEqual([
      {
        service: "etcd-client",
        port: "2379",
        protocol: "tcp",
        from: "controllers",
        to: "controllers",
      },
      {
        service: "etcd-peer",
        port: "2380",
        protocol: "tcp",
        from: "controllers",
        to: "controllers",
      },
    ]);
    // AND the HA table says what each gives: the cluster on 3 controllers outlives one, as the
    // database, the queue and etcd (its locks, the row after it) keep quorum with two
    const ha = example("enterprise-reference").ha;
    const at = ha.findIndex((r) => r.kind === "cinder-volume");
    expect(ha[at]).toMatchObject({ nodes: 3, failuresTolerated: 1 });
    expect(ha[at + 1]).toMatchObject({ kind: "etcd", nodes: 3, failuresTolerated: 1 });
    // (GlusterFS on the controllers: one row, its volumes reachable while their host is down)
    expect(
      gluster.ha.filter((r) => /cinder|block-storage/.test(r.kind)).map((r) => [r.kind, r.nodes]),
    ).toEqual([["block-storage-controllers-shared", 3]]);
    expect(gluster.ha.find((r) => r.kind === "block-storage-controllers-shared")).toMatchObject({
      failuresTolerated: 0,
      mechanism: expect.stringContaining("its volumes stay attached"),
    });
    // (one controller, GlusterFS on three block-storage hosts: no row puts it on the controller)
    const oneController = load(
      variant((s) => {
        s.controlPlane.controllers = 1;
        s.storage = {
          backends: [{ name: "gluster", kind: "glusterfs", volumeType: "shared" }],
          blockStorageNodes: { hosts: 3, hardware: "stor" },
        };
      }),
    ).model;
    expect(
      oneController.ha
        .filter((r) => /cinder|block-storage/.test(r.kind))
        .map((r) => [r.kind, r.nodes]),
    ).toEqual([["block-storage-nodes-shared", 3]]);
    for (const name of ["cinder_cluster_name", "cinder_cluster_skip_precheck", "enable_etcd"])
      expect(Object.keys(variables.variables)).toContain(name);
    // AND the port matrix opens etcd between the controllers exactly for the cluster
    const etcd = (m: ReturnType<typeof example>) =>
      m.ports.filter((p) => p.service.startsWith("etcd")).map((p) => `${p.port} ${p.from}>${p.to}`);
    expect(etcd(example("enterprise-reference"))).toEqual([
      "2379 controllers>controllers",
      "2380 controllers>controllers",
    ]);
    expect(etcd(example("cloud-in-a-box"))).toEqual([]);
    expect(etcd(gluster)).toEqual([]);
  });

  test("LVM volumes on the controllers get the iSCSI target there, and the initiator", () => {
    // GIVEN an LVM backend and no block-storage hosts: cinder-volume runs on the controllers
    const model = load(
      variant((s) => {
        s.storage = { backends: [{ name: "lvm", kind: "lvm", volumeType: "local" }] };
      }),
    ).model;
    const inventory = deployFiles(model).get("deploy/kolla/inventory") as string;
    const children = (group: string) =>
      inventory.split(`[${group}:children]\n`)[1].split("\n\n")[0].split("\n");
    // THEN tgtd (tgtadm exports the volumes) and iscsid run there too, not only on storage hosts
    expect(children("cinder-volume")).toEqual(["cinder"]);
    expect(children("tgtd")).toEqual(["storage", "cinder"]);
    // (and on Ironic's hosts only where Ironic runs)
    expect(children("iscsid")).toEqual(["compute", "storage", "cinder"]);
  });

  test("Ceph volumes with Swift backups: Kolla's backup backend name and keyrings still resolve", () => {
    // GIVEN enterprise-reference: Ceph volumes, cinder-backup writing to Swift
    const model = example("enterprise-reference");
    expect(model.deploy.cinder.backup?.driver).toBe("swift");
    const files = deployFiles(model);
    const globals = parse(files.get("deploy/kolla/globals.yml") as string);
    // THEN cinder_backup_ceph_backend finds its entry (external_ceph.yml resolves it beside any
    // Ceph volume backend; the "rbd-1" default names none)
    expect(globals.cinder_ceph_backends.map((b: { name: string }) => b.name)).toContain(
      globals.cinder_backup_backend_ceph_name,
    );
    // AND the cinder-backup keyrings Kolla copies exist: a user that reads no pool
    expect(files.get("deploy/ceph/pools.sh")).toContain(
      "ceph auth get-or-create client.cinder-backup -o /etc/ceph/ceph.client.cinder-backup.keyring\nchmod 0600 /etc/ceph/ceph.client.cinder-backup.keyring\nceph auth caps client.cinder-backup mon 'profile rbd'\n",
    );
    expect(files.get("deploy/README.md")).toContain(
      'install -D -m 0640 -t /etc/kolla/config/cinder/cinder-backup "$scratch/ceph.client.cinder.keyring" "$scratch/ceph.client.cinder-backup.keyring"\n',
    );
  });

  test("GlusterFS volumes go into the nfs_shares file Kolla copies into cinder-volume", () => {
    // GIVEN a GlusterFS backend with two Gluster volumes
    const model = load(
      variant((s) => {
        s.storage = {
          backends: [
            {
              name: "gluster",
              kind: "glusterfs",
              volumeType: "shared",
              shares: ["gl-01.example.net:/cinder", "[2001:db8::7]:/cinder2"],
            },
          ],
          blockStorageNodes: { hosts: 2, hardware: "stor" },
        };
      }),
    ).model;
    const files = deployFiles(model);
    // THEN config/cinder/nfs_shares lists them, one per line (Kolla's config.yml looks there),
    // and the backend reads that file
    expect(files.get("deploy/kolla/config/cinder/nfs_shares")).toBe(
      "gl-01.example.net:/cinder\n[2001:db8::7]:/cinder2\n",
    );
    const conf = files.get("deploy/kolla/config/cinder/cinder-volume.conf") as string;
    expect(section(conf, "gluster").nfs_shares_config).toBe("/etc/cinder/nfs_shares");
    expect(files.get("deploy/README.md")).toContain(
      "cinder-volume on vol-01, vol-02 mounts the Gluster volumes `gl-01.example.net:/cinder`, `[2001:db8::7]:/cinder2` through their NFS export",
    );
    // AND the runbook's deploy stage asks for the exports before Kolla runs
    const deploy = model.lifecycle.find((st) => st.id === "deploy")!;
    expect(deploy.prerequisites).toContainEqual({
      kind: "gluster-nfs-exports",
      params: {
        volumes: ["gl-01.example.net:/cinder", "[2001:db8::7]:/cinder2"],
        hosts: ["vol-01", "vol-02"],
        readme: "deploy/README.md",
      },
    });
  });

  test("cinder-volume runs on the hosts the backends name, whichever group Kolla picks", () => {
    // GIVEN GlusterFS served by two block-storage hosts, no LVM: Kolla takes `cinder-volume`,
    // upstream the controllers
    const model = load(
      variant((s) => {
        s.storage = {
          backends: [{ name: "gluster", kind: "glusterfs", volumeType: "shared" }],
          blockStorageNodes: { hosts: 2, hardware: "stor" },
        };
      }),
    ).model;
    const inventory = deployFiles(model).get("deploy/kolla/inventory") as string;
    const children = (group: string) =>
      inventory.split(`[${group}:children]\n`)[1].split("\n\n")[0].split("\n");
    // THEN every cinder-volume and cinder-backup group holds the storage hosts, as the model says
    expect(model.deploy.cinder.backends[0].hosts).toEqual(["vol-01", "vol-02"]);
    for (const g of ["cinder-volume", "cinder-volume-lvm", "cinder-volume-multiple"])
      expect(children(g)).toEqual(["storage"]);
    expect(children("cinder-backup")).toEqual(["storage"]);
    // AND with Ceph beside it, the controllers join for the Ceph backend
    const besideCeph = (kind: string) =>
      load(
        variant((s) => {
          s.storage = {
            ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
            backends: [
              { name: "rbd", kind: "ceph", volumeType: "standard" },
              { name: "local", kind, volumeType: "local" },
            ],
            blockStorageNodes: { hosts: 2, hardware: "stor" },
          };
        }),
      ).model;
    const both = besideCeph("glusterfs");
    expect(both.deploy.cinder.volumeGroups).toEqual(["cinder", "storage"]);
    // AND beside LVM, whose volume group Kolla's prechecks look for on every cinder-volume host,
    // the Ceph backend runs on the block-storage hosts too: no controller fails that check
    const lvm = besideCeph("lvm");
    expect(lvm.deploy.cinder.backends.map((b) => [b.name, b.hosts])).toEqual([
      ["local", ["vol-01", "vol-02"]],
      ["rbd", ["vol-01", "vol-02"]],
    ]);
    expect(lvm.deploy.cinder.volumeGroups).toEqual(["storage"]);
    const lvmFiles = deployFiles(lvm);
    const lvmInventory = lvmFiles.get("deploy/kolla/inventory") as string;
    for (const g of ["cinder-volume", "cinder-volume-lvm", "cinder-volume-multiple"])
      expect(lvmInventory.split(`[${g}:children]\n`)[1].split("\n\n")[0]).toBe("storage");
    expect(
      [...lvmFiles.keys()].filter((f) => /config\/cinder\/[^/]+\/cinder.conf$/.test(f)),
    ).toEqual([
      "deploy/kolla/config/cinder/vol-01/cinder.conf",
      "deploy/kolla/config/cinder/vol-02/cinder.conf",
    ]);
    // (with Cinder's locks in etcd, which the block-storage hosts reach, as they reach Ceph)
    expect(parse(lvmFiles.get("deploy/kolla/globals.yml") as string)).toMatchObject({
      enable_etcd: true,
    });
    const fromBlock = lvm.ports.filter((p) => p.from === "block-storage").map((p) => p.service);
    expect(fromBlock).toEqual(expect.arrayContaining(["ceph-mon", "ceph-osd", "etcd-client"]));
    // (and from the controllers, whose cinder-api takes the locks too)
    expect(lvm.ports).toContainEqual(
      expect.objectContaining({ service: "etcd-client", from: "controllers", to: "controllers" }),
    );
    expect(lvm.ha.find((r) => r.kind === "cinder-volume-shared-block-hosts")).toMatchObject({
      nodes: 2,
      failuresTolerated: 0,
    });
    // (ZFS rides Kolla's LVM backend, and its volume group check, alike)
    const zfs = besideCeph("zfs");
    expect(zfs.deploy.cinder.volumeGroups).toEqual(["storage"]);
  });

  test("Swift backups use the driver Kolla does not write, with the user's token, over the internal endpoint", () => {
    // GIVEN enterprise-reference: backups to the Swift container cinder-backups
    const conf = deployFiles(example("enterprise-reference")).get(
      "deploy/kolla/config/cinder/cinder-backup.conf",
    ) as string;
    // THEN
    expect(section(conf, "DEFAULT")).toEqual({
      backup_driver: "cinder.backup.drivers.swift.SwiftBackupDriver",
      swift_catalog_info: "object-store:swift:internalURL",
      // (the internal endpoint's certificate is signed by Kolla's CA, in the containers' bundle)
      backup_swift_ca_cert_file: "{{ openstack_cacert }}",
      backup_swift_container: "cinder-backups",
    });
  });

  test("every LVM backend gets a section with the volume type's backend name", () => {
    const model = example("cloud-in-a-box");
    const files = deployFiles(model);
    const conf = files.get("deploy/kolla/config/cinder/cinder-volume.conf") as string;
    for (const b of model.storage.backends)
      expect(section(conf, b.name).volume_backend_name).toBe(b.volumeBackendName);
    expect(section(conf, "lvm-iser").target_protocol).toBe("iser");
    expect(section(conf, "lvm-iscsi").target_protocol).toBe("iscsi");
    // A name is no transport: a ZFS backend named "appraiser" declares none and gets iSCSI.
    const named = load(
      variant((s) => {
        s.storage = { backends: [{ name: "appraiser", kind: "zfs", volumeType: "standard" }] };
      }),
    );
    expect(named.model.deploy.cinder.backends[0].targetProtocol).toBe("iscsi");
    // Each cinder-volume host serves the backends the model gives it, its targets on the
    // storage network: Kolla's my_ip, their default, is the API network's address.
    const storage = model.networks.find((n) => n.role === "storage")?.name as string;
    for (const host of model.deploy.cinder.backends[0].hosts) {
      const conf = files.get(`deploy/kolla/config/cinder/${host}/cinder.conf`) as string;
      const address = model.nodes.find((n) => n.name === host)?.addresses[storage];
      expect(address).toBeDefined();
      expect(section(conf, "DEFAULT")).toEqual({ enabled_backends: "lvm-iscsi,lvm-iser" });
      for (const b of ["lvm-iscsi", "lvm-iser"])
        expect(section(conf, b)).toEqual({ target_ip_address: address });
    }
    // AND the hypervisors on that network reach them there
    const compute = model.nodes.find((n) => n.role === "compute");
    expect(compute?.addresses[storage]).toBeDefined();
  });

  test("hypervisors reach iSCSI targets where cinder-volume runs, controllers included", () => {
    // GIVEN LVM volumes on block-storage hosts, and on the controllers of a design without any
    const blockHosts = example("cloud-in-a-box");
    const onControllers = load(
      variant((s) => {
        s.storage = { backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }] };
      }),
    ).model;
    const iscsi = (m: typeof blockHosts) =>
      m.ports.filter((p) => p.port === "3260").map((p) => `${p.from}>${p.to}`);
    // THEN the port matrix opens 3260 from the hypervisors to whichever hosts export them
    expect(iscsi(blockHosts)).toEqual(["compute>block-storage"]);
    expect(iscsi(onControllers)).toEqual(["compute>controllers"]);
  });

  test("Ceph backends go through Kolla's cinder_ceph_backends with the model's pool", () => {
    const model = example("enterprise-reference");
    const globals = Object.fromEntries(kollaGlobals(model));
    expect(globals.cinder_ceph_backends).toEqual([
      {
        name: "ceph-hdd",
        backend_name: "ceph-hdd",
        cluster: "ceph",
        user: "cinder",
        pool: "volumes",
        enabled: true,
      },
    ]);
    for (const item of globals.cinder_ceph_backends as Record<string, unknown>[])
      expect(Object.keys(item).sort()).toEqual(variables.structures.cinder_ceph_backends);
  });

  test("Ceph backups name the cinder_ceph_backends entry Kolla takes their cluster from", () => {
    // GIVEN a design whose volumes and backups are both on Ceph
    const model = example("desktop-cloud");
    // WHEN
    const globals = Object.fromEntries(kollaGlobals(model));
    // THEN Kolla's cinder_backup_ceph_backend (group_vars/all/cinder.yml) selects an entry by
    // cinder_backup_backend_ceph_name, "rbd-1" unless set: none of that name breaks its template
    expect(globals.cinder_backup_driver).toBe("ceph");
    const name = globals.cinder_backup_backend_ceph_name ?? "rbd-1";
    const backends = globals.cinder_ceph_backends as Record<string, unknown>[];
    expect(backends.filter((b) => b.name === name)).toHaveLength(1);
  });

  test("no backup goes to Ceph without a Ceph volume backend, where Kolla gives cinder-backup no Ceph", () => {
    // GIVEN volumes on LVM, images and ephemeral disks on Ceph, backups sent nowhere in particular
    const model = load(lvmBesideCeph([{ count: 4, sizeGB: 8000, kind: "hdd" }])).model;
    // WHEN
    const globals = Object.fromEntries(kollaGlobals(model));
    // THEN Kolla's cinder role mounts /etc/ceph into cinder-backup only with cinder_backend_ceph
    // (roles/cinder/tasks/config.yml, cinder-backup.json.j2): no backup service, no backups pool
    expect(globals.cinder_backend_ceph).not.toBe(true);
    expect(globals.enable_cinder_backup).toBe(false);
    expect(globals.cinder_backup_driver).toBeUndefined();
    expect(model.storage.ceph?.pools.map((p) => p.application)).not.toContain("backups");
  });

  test("volumes made without a type take the first public backend's, never Cinder's __DEFAULT__", () => {
    // GIVEN a private fast backend declared before a public standard one
    const model = load(
      variant((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 8 },
          backends: [
            { name: "rbd-fast", kind: "ceph", volumeType: "fast", public: false },
            { name: "rbd", kind: "ceph", volumeType: "standard" },
          ],
        };
        s.hardware[2].disks = [{ count: 4, sizeGB: 8000, kind: "hdd" }];
      }),
    ).model;
    // WHEN
    const conf = deployFiles(model).get("deploy/kolla/config/cinder.conf") as string;
    // THEN every Cinder service reads the public one as default_volume_type (cinder/common/config.py:
    // __DEFAULT__ has no extra specs, so the capabilities filter lets it onto any backend)
    expect(section(conf, "DEFAULT")).toEqual({ default_volume_type: "standard" });
    expect(model.storage.defaultVolumeType).toBe("standard");
  });

  test("no default volume type when every backend is private: Cinder would give it to every project", () => {
    // (volume_types.get_default_volume_type reads it with an admin context, no access check)
    const model = load(
      variant((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 8 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard", public: false }],
        };
        s.hardware[2].disks = [{ count: 4, sizeGB: 8000, kind: "hdd" }];
      }),
    ).model;
    expect(model.storage.defaultVolumeType).toBeUndefined();
    expect(deployFiles(model).has("deploy/kolla/config/cinder.conf")).toBe(false);
  });

  test("one VIP: TLS on both sides, as Kolla's prechecks ask when its public endpoints share it", () => {
    // GIVEN a design without an external VIP
    const model = load(
      variant((s) => {
        delete s.controlPlane.vips.external;
      }),
    ).model;
    // WHEN
    const files = deployFiles(model);
    const globals = parse(files.get("deploy/kolla/globals.yml") as string);
    // THEN kolla_external_vip_address defaults to the internal one (group_vars/all.yml), and
    // prechecks/tasks/service_checks.yml refuses one VIP with TLS on one side only
    expect(globals.kolla_external_vip_address).toBeUndefined();
    expect([globals.kolla_enable_tls_internal, globals.kolla_enable_tls_external]).toEqual([
      true,
      true,
    ]);
    // AND the operator is asked for both certificate files Kolla copies (loadbalancer/copy-certs.yml)
    const readme = files.get("deploy/README.md") as string;
    expect(readme).toContain("`/etc/kolla/certificates/haproxy.pem`");
    expect(readme).toContain("`/etc/kolla/certificates/haproxy-internal.pem`");
  });

  test("ZFS becomes LVM on a zvol, with a runbook step", () => {
    const files = deployFiles(example("trystack"));
    const conf = files.get("deploy/kolla/config/cinder/cinder-volume.conf") as string;
    expect(section(conf, "zfs")).toMatchObject({
      volume_driver: "cinder.volume.drivers.lvm.LVMVolumeDriver",
      volume_group: "cinder-volumes",
    });
    const readme = files.get("deploy/README.md") as string;
    expect(readme).toContain("zfs create -V");
    // AND the volume group comes before the commands that run prechecks, whose cinder check
    // runs vgs
    expect(readme.indexOf("zfs create -V")).toBeLessThan(readme.indexOf("prechecks -i"));
    // AND the zpool's disks are the ones the model counts (no disk kept for the system)
    expect(readme).toContain(
      "a zpool `cinder-volumes` of each host's 23 × 3.84 TB SSDs (the system is on another",
    );
    expect(readme).toContain("`zpool create cinder-volumes raidz2`");
    // AND a layout its disks can take: a mirror of two (raidz2 needs more than two)
    const two = fs
      .readFileSync(path.join(ROOT, "examples/trystack.yaml"), "utf8")
      .replace("{ count: 24, sizeGB: 3840, kind: ssd }", "{ count: 3, sizeGB: 3840, kind: ssd }");
    const mirrored = deployFiles(loadSpecText(two, "two.yaml").model).get("deploy/README.md");
    expect(mirrored).toContain("each host's 2 × 3.84 TB SSDs");
    expect(mirrored).toContain("`zpool create cinder-volumes mirror`");
  });

  test("each LVM volume group is named with the disks it takes on its hosts", () => {
    const readme = deployFiles(example("cloud-in-a-box")).get("deploy/README.md") as string;
    expect(readme).toContain(
      "- lvm-iscsi on vol-01, vol-02, vol-03: `vgcreate cinder-volumes` and the device paths of each host's 12 × 8 TB HDDs\n",
    );
    expect(readme).toContain(
      "- lvm-iser on vol-01, vol-02, vol-03: `vgcreate cinder-lvm-iser` and the device paths of each host's 3 × 3.84 TB NVMe disks (the system is on another of that kind: no disk is marked use: system)\n",
    );
    expect(readme).not.toMatch(/<disks>|<zpool>/);
  });
});

describe("Glance, Keystone and Swift", () => {
  test("a Swift image store is multi-tenant, so Glance holds no Swift credentials", () => {
    const files = deployFiles(example("trystack"));
    const conf = files.get("deploy/kolla/config/glance/glance-api.conf") as string;
    expect(section(conf, "swift")).toEqual({
      swift_store_multi_tenant: "true",
      swift_store_create_container_on_put: "true",
      // the catalog's internal endpoint, as cinder-backup's swift_catalog_info
      swift_store_endpoint_type: "internalURL",
      swift_store_cacert: "{{ openstack_cacert }}",
      swift_store_container: "glance-images",
    });
    // AND the stores Kolla enables itself stay enabled: the override replaces Kolla's
    // enabled_backends (http always, cinder with Cinder; roles/glance/defaults glance_backends),
    // and images registered by URL or on volumes would lose their store
    expect(section(conf, "DEFAULT")).toEqual({
      enabled_backends: "http:http, cinder:cinder, swift:swift",
    });
    expect(section(conf, "glance_store")).toEqual({ default_backend: "swift" });
    const readme = files.get("deploy/README.md") as string;
    expect(readme).toContain("Kolla-Ansible no longer deploys Swift");
    expect(readme).toContain("config/swift/rings.sh");
    // and how later storage nodes join the rings rings.sh will not build again, and a later
    // policy's ring goes to every host before the policy does
    expect(readme).toContain(
      "existing builders, then `swift-ring-builder <ring>.builder rebalance` (it moves at most one",
    );
    expect(readme).toContain(
      "since: copy that ring to every Swift host before the policy's section of `swift.conf` (a",
    );
  });

  test("images in Ceph show their location, which Nova's and Cinder's copy-on-write clones read", () => {
    // GIVEN images in Ceph (enterprise-reference), and on a controller's disk (three-node)
    const conf = deployFiles(example("enterprise-reference")).get(
      "deploy/kolla/config/glance/glance-api.conf",
    ) as string;
    // THEN Glance shows the rbd:// location (nova/image/glance.py reads direct_url), else every
    // boot and volume from an image copies it whole
    expect(section(conf, "DEFAULT")).toEqual({ show_image_direct_url: "true" });
    expect(
      deployFiles(example("three-node")).has("deploy/kolla/config/glance/glance-api.conf"),
    ).toBe(false);
  });

  test("Keystone's catalog region is the design's, as the stacks' providers ask for it", () => {
    const region = "eu-de_1.A";
    const m = load(variant((s) => (s.cloud.region = region))).model;
    const globals = parse(deployFiles(m).get("deploy/kolla/globals.yml") as string) as Record<
      string,
      string
    >;
    const rendered = execFileSync(PYTHON, [
      "-c",
      "import jinja2,sys; sys.stdout.write(jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(sys.argv[1]).render())",
      globals.openstack_region_name,
    ]).toString();
    expect(rendered).toBe(region);
    expect(Object.keys(variables.variables)).toContain("openstack_region_name");
  });

  test.each([
    // kolla_toolbox renders module arguments a second time: no escaping survives both renders.
    ["R{{ lookup('pipe','id') }}"],
    // Written unquoted into keystone-manage's command line, nova.conf and clouds.yaml.
    ["Region One"],
    ["St John's"],
    ["Region$One"],
    ["Region #1"],
    ["Zone: A"],
    [`Reg${String.fromCharCode(0xd800)}ion`],
  ])("a region Kolla-Ansible would misread or evaluate is refused: %j", (region) => {
    const issues = issuesOf(variant((s) => (s.cloud.region = region)));
    expect(issues.map((i) => `${i.path.join(".")}: ${i.message.slice(0, 25)}`)).toContainEqual(
      "cloud.region: expected a region name of",
    );
  });

  test("services trust the CA Kolla copies into the containers: the bundle of their image", () => {
    // GIVEN the design's globals, with internal TLS and the CA copied into the containers
    const globals = parse(
      deployFiles(example("enterprise-reference")).get("deploy/kolla/globals.yml") as string,
    ) as Record<string, unknown>;
    expect(globals.kolla_copy_ca_into_containers).toBe(true);
    // WHEN Jinja renders openstack_cacert for each of Kolla's base distributions
    const bundle = (distro: string) =>
      execFileSync(PYTHON, [
        "-c",
        "import jinja2,sys; sys.stdout.write(jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(sys.argv[1]).render(kolla_base_distro=sys.argv[2]))",
        String(globals.openstack_cacert),
        distro,
      ]).toString();
    // THEN it is the trust-store bundle Kolla's TLS guide names for that distribution
    expect(["rocky", "centos", "ubuntu", "debian"].map(bundle)).toEqual([
      "/etc/pki/tls/certs/ca-bundle.crt",
      "/etc/pki/tls/certs/ca-bundle.crt",
      "/etc/ssl/certs/ca-certificates.crt",
      "/etc/ssl/certs/ca-certificates.crt",
    ]);
  });

  test("the first stage that runs Terraform asks for the state store and its credentials", () => {
    // GIVEN state in S3 with an undercloud (public-cloud): the bare-metal stage comes first
    const first = (m: ReturnType<typeof example>) =>
      m.lifecycle.find((st) => st.commands.some((c) => c.startsWith("terraform")))!;
    expect(first(example("public-cloud")).prerequisites[0]).toEqual({
      kind: "state-s3",
      params: { bucket: "tfstate-north-1", endpoint: "https://rgw.north-1.example.net" },
    });
    // AND in PostgreSQL without one: the platform stage
    const pg = load(variant((s) => (s.output = { backend: { type: "pg" } }))).model;
    expect(first(pg).id).toBe("platform");
    expect(first(pg).prerequisites[0]).toEqual({ kind: "state-pg", params: {} });
    // AND local state asks for nothing
    const kinds = first(example("three-node")).prerequisites.map((i) => i.kind);
    expect(kinds.filter((k) => k.startsWith("state-"))).toEqual([]);
  });

  test("local instance disks: the runbook says where Kolla keeps them, which the capacity counts", async () => {
    // GIVEN instance disks on the hosts (storage.ephemeral: local), and the same in Ceph
    const local = load(variant((s) => (s.storage = { ephemeral: "local" }))).model;
    const kinds = (m: Model) =>
      m.lifecycle.find((st) => st.id === "deploy")!.prerequisites.map((i) => i.kind);
    // THEN the deploy stage asks for the disks to hold them before the deploy
    expect(kinds(local)).toContain("local-instance-disks");
    const { files } = await renderArchitecture(local);
    expect(String(files.get("RUNBOOK.md"))).toContain(
      "`nova_instance_datadir_volume` in /etc/kolla/globals.d, before the deploy",
    );
    expect(kinds(example("public-cloud"))).not.toContain("local-instance-disks");
  });

  test("local instance disks: deploy/README names each compute host's disks to combine", () => {
    // GIVEN hosts of a system disk and two 960 GB SSDs, others of two disks none marked, and
    // others of one disk the system shares
    const model = load(
      variant((s) => {
        s.storage = { ephemeral: "local" };
        s.hardware.find((h: { name: string }) => h.name === "cmp").disks = [
          { count: 1, sizeGB: 480, kind: "ssd", use: "system" },
          { count: 2, sizeGB: 960, kind: "ssd" },
        ];
        s.hardware.push({
          ...s.hardware.find((h: { name: string }) => h.name === "cmp"),
          name: "cmp-two",
          disks: [{ count: 2, sizeGB: 1920, kind: "nvme" }],
        });
        s.hardware.push({
          ...s.hardware.find((h: { name: string }) => h.name === "cmp"),
          name: "cmp-one",
          disks: [{ count: 1, sizeGB: 960, kind: "ssd" }],
        });
        s.zones[0].pools.push({
          name: "db",
          purpose: { tier: "db" },
          hosts: 2,
          hardware: "cmp-two",
          flavors: [{ name: "db-large", vcpus: 8, ramGiB: 32 }],
        });
        s.zones[1].pools[0].hardware = "cmp-one";
      }),
    ).model;
    const readme = deployFiles(model).get("deploy/README.md") as string;
    const hostsOf = (hw: string) =>
      model.nodes
        .filter((n) => n.roles.includes("compute") && n.hardware === hw)
        .map((n) => n.name)
        .join(", ");
    // THEN it says how to combine them, where to mount them and what Kolla reads
    expect(readme).toContain(
      "`vgcreate nova-instances <their device paths> && lvcreate -n instances -l 100%FREE nova-instances && mkfs.xfs /dev/nova-instances/instances`",
    );
    expect(readme).toContain(
      '`nova_instance_datadir_volume: "/var/lib/nova-instances"` in `/etc/kolla/globals.d/instances.yml`',
    );
    // AND each hardware's hosts with the disks the capacity counts: the system's apart, one
    // kept for it where none is marked, none where the system's disk is the only one
    expect(readme).toContain(`- ${hostsOf("cmp")}: 2 × 0.96 TB SSDs\n`);
    expect(readme).toContain(
      `- ${hostsOf("cmp-two")}: 1 × 1.92 TB NVMe disk (the system is on another NVMe disk of 1.92 TB: no disk is marked use: system)\n`,
    );
    expect(readme).not.toContain(hostsOf("cmp-one"));
    // AND with instance disks in Ceph it says nothing of them
    expect(deployFiles(example("public-cloud")).get("deploy/README.md")).not.toContain(
      "nova_instance_datadir_volume",
    );
  });

  test("LVM volume groups exist, and the hosts' own iscsid is off, before prechecks", () => {
    // GIVEN LVM backends on three volume hosts beside six compute hosts (cloud-in-a-box)
    const model = example("cloud-in-a-box");
    const stage = model.lifecycle.find((s) => s.id === "deploy");
    // THEN the runbook asks for each volume group (Kolla's cinder precheck runs vgs on it)
    expect(stage?.prerequisites).toContainEqual({
      kind: "lvm-volume-groups",
      params: {
        groups:
          "cinder-volumes on vol-01, vol-02, vol-03; cinder-lvm-iser on vol-01, vol-02, vol-03",
        readme: "deploy/README.md",
      },
    });
    // AND for the host iSCSI services to make room for Kolla's iscsid container on every
    // compute and volume host (its Cinder guide: Ubuntu mounts no configfs, runs open-iscsi)
    expect(stage?.prerequisites).toContainEqual({
      kind: "iscsi-host-services",
      params: { hosts: 9 },
    });
    // AND a design without LVM asks for neither
    const kinds = example("enterprise-reference")
      .lifecycle.find((s) => s.id === "deploy")
      ?.prerequisites.map((i) => i.kind);
    expect(kinds).not.toContain("lvm-volume-groups");
    expect(kinds).not.toContain("iscsi-host-services");
    // AND deploy/README.md asks for Ubuntu images where LVM needs them: the target on Ubuntu
    // hosts is tgtd (cinder_target_helper), of which Kolla builds no image for Rocky, its default
    const readme = (m: Model) => deployFiles(m).get("deploy/README.md") as string;
    expect(readme(model)).toMatch(
      /`ubuntu` for these Ubuntu hosts[^.]*LVM and ZFS backends need it/,
    );
    expect(readme(example("enterprise-reference"))).not.toContain("LVM and ZFS backends need it");
  });

  test("two LVM backends never share a volume group, whatever their names", () => {
    // GIVEN a second LVM backend named volumes, whose group would be the first one's name
    const model = load(
      variant((s) => {
        s.storage = {
          backends: [
            { name: "alpha", kind: "lvm", volumeType: "alpha", deviceClass: "hdd" },
            { name: "volumes", kind: "lvm", volumeType: "standard", deviceClass: "ssd" },
          ],
          blockStorageNodes: { hosts: 2, hardware: "stor" },
        };
      }),
    ).model;
    const groups = model.deploy.cinder.backends.map((b) => b.volumeGroup);
    // THEN Kolla's own backend keeps cinder-volumes and the other one a group of its own
    expect(groups).toEqual(["cinder-volumes", "cinder-volumes-lvm"]);
    expect(model.deploy.cinder.kollaLvmBackend).toBe("alpha");
  });

  test("the console URL is the one Nova hands out: HTTPS on the public name Kolla serves", () => {
    // GIVEN the base design (both VIPs) and one without an external VIP
    for (const [model, fqdnKey] of [
      [load(variant(() => {})).model, "kolla_external_fqdn"],
      [load(variant((s) => delete s.controlPlane.vips.external)).model, "kolla_internal_fqdn"],
    ] as const) {
      const globals = parse(deployFiles(model).get("deploy/kolla/globals.yml") as string);
      // THEN novncproxy_base_url as Kolla builds it (nova-cell's nova.conf.j2): public_protocol
      // (TLS is on), kolla_external_fqdn (the internal name without an external VIP), the port
      expect(model.deploy.consoleUrl).toBe(`https://${globals[fqdnKey]}:6080/vnc_lite.html`);
    }
  });

  test("TLS certificates are in place before prechecks; admin-openrc.sh trusts their CA", () => {
    // GIVEN the reference design: TLS on both VIPs
    const model = example("enterprise-reference");
    const files = deployFiles(model);
    const globals = parse(files.get("deploy/kolla/globals.yml") as string) as Record<
      string,
      unknown
    >;
    // THEN admin-openrc.sh's OS_CACERT is the CA Kolla copies into the containers
    expect(globals.kolla_admin_openrc_cacert).toBe("{{ kolla_certificates_dir }}/ca/root.crt");
    // AND the runbook's deploy stage asks for the certificates first: Kolla's load-balancer
    // precheck stops without them, and `kolla-ansible certificates` would replace one's own
    const stage = model.lifecycle.find((s) => s.id === "deploy");
    expect(stage?.prerequisites).toContainEqual({
      kind: "tls-certificates-both",
      params: {
        dir: "/etc/kolla/certificates",
        internal: model.deploy.vips.internal?.fqdn,
        external: model.deploy.vips.external?.fqdn,
        inventory: "deploy/kolla/inventory",
      },
    });
    expect(stage?.commands).not.toContain("kolla-ansible certificates -i deploy/kolla/inventory");
    // AND the DNS records those names need, as deploy/README.md lists them
    expect(stage?.prerequisites).toContainEqual({
      kind: "vip-dns-records",
      params: { records: ["api-int.efg.internal → 10.20.1.10", "api.efg.internal → 203.0.113.10"] },
    });
    // AND deploy/README.md says so before the commands that run the prechecks
    const readme = files.get("deploy/README.md") as string;
    const tls = readme.indexOf("before `prechecks` (Kolla's load-balancer check stops");
    expect(tls).toBeGreaterThan(0);
    expect(tls).toBeLessThan(readme.indexOf("kolla-ansible prechecks -i deploy/kolla/inventory"));
    // (Kolla's certificates role reads the VIPs' names and TLS switches from globals.yml)
    expect(readme).toContain(
      "once the first commands below have copied `globals.yml`, where\nit reads the VIPs' names and TLS settings, and run `install-deps`",
    );
  });

  test("Horizon offers the design's domains at login when it has any", () => {
    const globalsOf = (m: ReturnType<typeof example>) =>
      parse(deployFiles(m).get("deploy/kolla/globals.yml") as string) as Record<string, unknown>;
    // GIVEN a design whose tenants sit in an LDAP domain, and one with Keystone's Default only
    const corp = example("enterprise-reference");
    expect(corp.identity.domains.map((d) => d.name)).toContain("corp");
    expect(corp.deploy.services).toContain("horizon");
    const plain = example("three-node");
    expect(plain.identity.domains).toEqual([]);
    // THEN only the first asks for a domain on Horizon's login form (Default's users alone
    // could log in)
    expect(globalsOf(corp).horizon_keystone_multidomain).toBe(true);
    expect(globalsOf(plain).horizon_keystone_multidomain).toBeUndefined();
  });

  test("Keystone domain files are literal text to Kolla's template engine", () => {
    const files = deployFiles(
      ldapDomain({
        url: "ldaps://ad.example.com",
        // (the comma in the value escaped, as a DN writes it)
        userTreeDn: "OU={{ lookup('env'\\,'HOME') }},DC=example",
        groupTreeDn: "OU=Groups,DC=example",
      }).model,
    );
    const conf = files.get("deploy/kolla/config/keystone/domains/keystone.corp.conf") as string;
    expect(conf).toContain(
      "user_tree_dn = OU={{ '{' }}{{ '{' }} lookup('env'\\,'HOME') }},DC=example\n",
    );
  });

  test("the LDAP bind password is filled by Kolla from passwords.yml, never written", () => {
    // GIVEN the reference design: domain corp binds as a service account
    const files = deployFiles(
      loadSpecFile(path.join(ROOT, "examples", "enterprise-reference.yaml")).model,
    );
    // THEN its Kolla domain file takes the password from the variable, $ doubled for oslo.config
    const conf = files.get("deploy/kolla/config/keystone/domains/keystone.corp.conf") as string;
    expect(conf).toContain(
      "\npassword = \"{{ ldap_bind_password_corp | string | replace('$', '$$') }}\"\n",
    );
    // AND the deploy README says where the variable goes, single-quoted
    const readme = files.get("deploy/README.md") as string;
    const line = "ldap_bind_password_corp: '<bind password of domain corp>'";
    expect(readme).toContain(`\`\`\`yaml\n${line}\n\`\`\``);
    // AND any password so written reaches Keystone whole: YAML reads the line as passwords.yml
    // is read, Jinja renders the file as Kolla's template task does (Keystone's domain files
    // are not merged), and oslo.config reads it as Keystone does
    const passwords = ["pa$$w0rd$x", '"Quoted"', "'single'", " spaced ", "0123", "yes", "a=b;c#d"];
    const script = [
      "import json, os, sys, tempfile, jinja2, yaml",
      "from oslo_config import cfg",
      "req = json.load(sys.stdin)",
      "out = []",
      "for line in req['lines']:",
      "    text = jinja2.Environment().from_string(req['conf']).render(**yaml.safe_load(line))",
      "    with tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False) as f: f.write(text)",
      "    conf = cfg.ConfigOpts()",
      "    conf.register_opts([cfg.StrOpt('password', secret=True)], group='ldap')",
      "    conf(args=[], default_config_files=[f.name])",
      "    out.append(conf.ldap.password)",
      "    os.unlink(f.name)",
      "print(json.dumps(out))",
    ].join("\n");
    const lines = passwords.map((p) =>
      line.replace("<bind password of domain corp>", () => p.replace(/'/g, "''")),
    );
    const read = execFileSync(PYTHON, ["-c", script], { input: JSON.stringify({ conf, lines }) });
    expect(JSON.parse(read.toString())).toEqual(passwords);
  });

  test("the domain files say where a directory's CA goes, and plain LDAP is warned", () => {
    // GIVEN domain corp over StartTLS, then over plain LDAP
    const design = (tls: boolean) =>
      ldapDomain({
        url: "ldap://dir.example.com",
        tls,
        userTreeDn: "ou=People,dc=example",
        groupTreeDn: "ou=Groups,dc=example",
        bindDn: "cn=keystone,dc=example",
      });
    const kolla = deployFiles(design(true).model).get(
      "deploy/kolla/config/keystone/domains/keystone.corp.conf",
    ) as string;
    // THEN Kolla's file sends the CA to Kolla's certificates folder and names the containers'
    // bundle, which it joins: Keystone refuses TLS to a directory without a CA file (2023.2 on)
    expect(kolla).toContain("/etc/kolla/certificates/ca/");
    const globals = parse(
      deployFiles(design(true).model).get("deploy/kolla/globals.yml") as string,
    );
    const rendered = execFileSync(PYTHON, [
      "-c",
      "import jinja2,json,sys; sys.stdout.write(jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(sys.argv[1]).render(**json.loads(sys.argv[2])))",
      kolla.replace(/^password = .*$/m, ""),
      JSON.stringify({ openstack_cacert: globals.openstack_cacert, kolla_base_distro: "ubuntu" }),
    ]).toString();
    // (Kolla renders openstack_cacert before it fills the file: two passes here)
    const twice = execFileSync(PYTHON, [
      "-c",
      "import jinja2,sys; sys.stdout.write(jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(sys.argv[1]).render(kolla_base_distro='ubuntu'))",
      rendered,
    ]).toString();
    expect(twice).toMatch(/^tls_cacertfile = \/etc\/ssl\/certs\/ca-certificates\.crt$/m);
    // AND the file for a Keystone outside Kolla names the system bundle
    const own = keystoneDomainConfigs(design(true).model).get(
      "config/keystone/domains/keystone.corp.conf",
    );
    expect(own).toMatch(/^tls_cacertfile = \/etc\/ssl\/certs\/ca-certificates\.crt$/m);
    expect(design(true).warnings.map((w) => w.code)).not.toContain("ldap-cleartext");
    // AND plain LDAP is warned: every login password would cross the network in clear text
    const plain = design(false).warnings.find((w) => w.code === "ldap-cleartext");
    expect([plain?.path.join("."), plain?.message]).toEqual([
      "identity.domains.0.ldap.tls",
      expect.stringContaining("every login password and the bind password crosses the network"),
    ]);
  });

  test("INI values that could open a Jinja block or an oslo reference are made inert", () => {
    expect(iniValue("a{{b}}{% endraw %}$c")).toBe("a{{ '{' }}{{ '{' }}b}}{{ '{' }}% endraw %}$$c");
    expect(iniValue({ kollaVariable: "cinder_target_helper" })).toBe("{{ cinder_target_helper }}");
  });

  test("INI values in quotes keep them through merge_configs and the service (oslo.config twice)", () => {
    // oslo.config's parser drops a pair of matching quotes at each read: Kolla's merge_configs
    // reads the override with it and writes the value back, then the service reads that.
    const values = ["'cinder-backups'", '"OU=Groups"', '"', "'", "''", "a'b", "plain"];
    const script = [
      "import json, sys",
      "from oslo_config import iniparser",
      "class P(iniparser.BaseParser):",
      "    def __init__(self): super().__init__(); self.found = []",
      "    def assignment(self, key, value): self.found.append(value[0])",
      "    def new_section(self, section): pass",
      "    def parse_exc(self, msg, lineno, line=None): raise ValueError(msg)",
      "def read(text):",
      "    p = P(); p.parse(text.splitlines(True)); return p.found",
      "lines = sys.stdin.read()",
      "merged = ''.join('[s]\\nk = %s\\n' % v for v in read(lines))",
      "print(json.dumps(read(merged)))",
    ].join("\n");
    const ini = values.map((v) => `[s]\nk = ${iniValue(v)}\n`).join("");
    const read = JSON.parse(execFileSync(PYTHON, ["-c", script], { input: ini }).toString());
    expect(read).toEqual(values);
  });
});

/**
 * Three Ceph hosts with these disks: spinning OSDs of every disk of `osdSizeTB`, and a volumes
 * pool `fast` on the `fastClass` OSDs beside the spinning volumes and images pools.
 */
const spinningWithFastPool = (
  disks: readonly { count: number; sizeGB: number; kind: string; use?: string }[],
  osdSizeTB: number,
  fastClass: string,
) =>
  variant((s) => {
    s.hardware[2].disks = disks;
    const spinning = disks.find((d) => d.kind === "hdd" && d.sizeGB === osdSizeTB * 1000);
    s.storage = {
      ceph: {
        nodes: 3,
        hardware: "stor",
        osdsPerNode: spinning?.count,
        osdSizeTB,
        pools: [
          { name: "volumes", application: "volumes", dataShare: 0.7 },
          { name: "fast", application: "volumes", dataShare: 0.1, deviceClass: fastClass },
          { name: "images", application: "images", dataShare: 0.2 },
        ],
      },
      backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
    };
  });

/** The cephadm service specs of deploy/ceph/cluster.yaml, one object per document. */
function cephSpecs(files: ReadonlyMap<string, unknown>): any[] {
  return (files.get("deploy/ceph/cluster.yaml") as string)
    .split(/^---$/m)
    .map((d) => parse(d))
    .filter(Boolean);
}

/** The base spec with Ceph serving the Swift API and holding the images. */
const cephServingSwift = () =>
  load(
    variant((s) => {
      s.controlPlane.services = [...CORE_SERVICES, "swift"];
      s.storage = {
        ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
        image: { backend: "ceph" },
      };
    }),
  ).model;

describe("cephadm", () => {
  test("the OSD spec takes the disks the capacity counts: the class's spin, about the OSD size", () => {
    /** Ceph on 3 `stor` hosts counting 10 SSD OSDs of 7.68 TB, with the profile's disks. */
    const allFlash = (disks: object[]) =>
      variant((s) => {
        s.hardware[2].disks = disks;
        s.storage = {
          ceph: {
            nodes: 3,
            hardware: "stor",
            osdsPerNode: 10,
            osdSizeTB: 7.68,
            deviceClass: "ssd",
          },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      });
    // GIVEN an all-flash profile: 2 boot SSDs of 960 GB, 10 data SSDs of 7.68 TB
    const model = load(
      allFlash([
        { count: 2, sizeGB: 960, kind: "ssd" },
        { count: 10, sizeGB: 7680, kind: "ssd" },
      ]),
    ).model;
    // THEN it validates, and cephadm selects 6.5 to 8.1 TB solid-state disks (ceph-volume shows
    // the 7.68 TB disks as 6.99 TB), never the boot disks
    const osd = (deployFiles(model).get("deploy/ceph/cluster.yaml") as string)
      .split("---\n")
      .map((d) => parse(d))
      .find((d) => d?.service_type === "osd");
    expect(osd.spec.data_devices).toEqual({ rotational: 0, size: "6528G:8064G" });
    // AND an NVMe disk of that size would join them (cephadm tells disks apart by spin), so the
    // design must count it
    const issues = issuesOf(
      allFlash([
        { count: 10, sizeGB: 7680, kind: "ssd" },
        { count: 2, sizeGB: 7680, kind: "nvme" },
      ]),
    );
    expect(issues.map((i) => [i.code, formatPath(i.path)])).toContainEqual([
      "ceph-osd-disks",
      "storage.ceph.osdsPerNode",
    ]);
    // AND an OSD size in TiB, as Ceph reports it (6.98 for the 7.68 TB disks), is refused with
    // the disks' size: cephadm would take the disks, but capacity and the proposal count TB
    const tib = issuesOf(
      variant((s) => {
        s.hardware[2].disks = [{ count: 10, sizeGB: 7680, kind: "ssd" }];
        s.storage = {
          ceph: {
            nodes: 3,
            hardware: "stor",
            osdsPerNode: 10,
            osdSizeTB: 6.98,
            deviceClass: "ssd",
          },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    );
    expect(tib.map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["ceph-osd-disks", "storage.ceph.osdSizeTB"],
    ]);
    expect(tib[0].message).toContain("make osdSizeTB their size (7.68 TB)");
  });

  test("a pool on another device class gets the OSDs of that kind's disks, by their size", () => {
    // GIVEN spinning OSDs of 8 TB and a pool on the profile's 3.84 TB SSDs
    const model = load(
      spinningWithFastPool(
        [
          { count: 2, sizeGB: 480, kind: "ssd" },
          { count: 8, sizeGB: 8000, kind: "hdd" },
          { count: 2, sizeGB: 3840, kind: "ssd" },
        ],
        8,
        "ssd",
      ),
    ).model;
    // WHEN
    const osds = cephSpecs(deployFiles(model)).filter((d) => d.service_type === "osd");
    // THEN each spec takes its own disks: the SSD spec about 3.84 TB (3.49 TB as ceph-volume
    // shows it), not the 480 GB boot disks the spinning one's band leaves alone too
    expect(osds.map((o) => [o.service_id, o.spec.data_devices])).toEqual([
      ["hdd", { rotational: 1, size: "6800G:8400G" }],
      ["ssd", { rotational: 0, size: "3264G:4032G" }],
    ]);
  });

  test("spinning OSDs keep their RocksDB on the disks no class takes, never another class's OSD disks", () => {
    // GIVEN 16 TB HDD OSDs, 3.84 TB NVMe OSDs and SSDs of another size (boot or RocksDB)
    const hybrid = (ssdGB: number) =>
      load(
        spinningWithFastPool(
          [
            { count: 2, sizeGB: ssdGB, kind: "ssd" },
            { count: 12, sizeGB: 16000, kind: "hdd" },
            { count: 4, sizeGB: 3840, kind: "nvme" },
          ],
          16,
          "nvme",
        ),
      );
    const osds = (model: Model) =>
      cephSpecs(deployFiles(model))
        .filter((d) => d.service_type === "osd")
        .map((o) => [o.service_id, o.spec.db_devices]);
    // WHEN the SSDs are 960 GB THEN the HDD spec's db_devices takes about that size only: cephadm
    // gives a spec every free disk its filter matches, and the NVMe spec's disks are free too
    expect(osds(hybrid(960).model)).toEqual([
      ["hdd", { rotational: 0, size: "816G:1008G" }],
      ["nvme", undefined],
    ]);
    // WHEN there is one SSD, the only disk beside the OSDs' THEN it is the system's, which cephadm
    // skips: no db_devices (the filter took the boot disk alone)
    const one = load(
      spinningWithFastPool(
        [
          { count: 1, sizeGB: 480, kind: "ssd" },
          { count: 12, sizeGB: 16000, kind: "hdd" },
          { count: 4, sizeGB: 3840, kind: "nvme" },
        ],
        16,
        "nvme",
      ),
    ).model;
    expect(osds(one)).toEqual([
      ["hdd", undefined],
      ["nvme", undefined],
    ]);
    // WHEN they are the NVMe disks' size THEN the NVMe spec would make them OSDs the capacity
    // does not count (cephadm tells disks apart by spin and size): refused
    expect(
      issuesOf(
        spinningWithFastPool(
          [
            { count: 2, sizeGB: 480, kind: "ssd" },
            { count: 12, sizeGB: 16000, kind: "hdd" },
            { count: 4, sizeGB: 3840, kind: "nvme" },
            { count: 2, sizeGB: 3840, kind: "ssd" },
          ],
          16,
          "nvme",
        ),
      ).map((i) => [i.code, formatPath(i.path)]),
    ).toEqual([["ceph-db-disks-alike", "storage.ceph.hardware"]]);
  });

  test("RocksDB goes on the solid-state disks no OSD spec takes by size, of any kind, or the marked ones", () => {
    const dbOf = (disks: { count: number; sizeGB: number; kind: string; use?: string }[]) => {
      const loaded = load(spinningWithFastPool(disks, 16, "nvme"));
      const hdd = cephSpecs(deployFiles(loaded.model)).find(
        (d) => d.service_type === "osd" && d.service_id === "hdd",
      );
      return {
        db: hdd.spec.db_devices?.size,
        warned: loaded.warnings.filter((w) => /^ceph-db|^disk-use/.test(w.code)).map((w) => w.code),
      };
    };
    const hdd = { count: 12, sizeGB: 16000, kind: "hdd" };
    const nvmeOsds = { count: 2, sizeGB: 7680, kind: "nvme" };
    // GIVEN NVMe OSDs, smaller NVMe disks beside them and a SATA boot SSD THEN the small NVMe keep
    // RocksDB (1.6 TB shows as 1455 GB), not the boot disk, whose kind no class takes
    expect(
      dbOf([
        { count: 1, sizeGB: 480, kind: "ssd" },
        hdd,
        nvmeOsds,
        { count: 2, sizeGB: 1600, kind: "nvme" },
      ]),
    ).toEqual({ db: "1360G:1680G", warned: ["ceph-db-disks-guessed"] });
    // (said so, as the largest is a guess: marked, nothing is said)
    expect(
      dbOf([
        { count: 1, sizeGB: 480, kind: "ssd", use: "system" },
        hdd,
        nvmeOsds,
        { count: 2, sizeGB: 1600, kind: "nvme" },
      ]),
    ).toEqual({ db: "1360G:1680G", warned: [] });
    // GIVEN faster disks smaller than the boot SSDs THEN the largest are taken, and said to be
    const optane = { count: 2, sizeGB: 375, kind: "nvme" };
    const bootSsds = { count: 2, sizeGB: 960, kind: "ssd" };
    expect(dbOf([bootSsds, hdd, nvmeOsds, optane])).toEqual({
      db: "816G:1008G",
      warned: ["ceph-db-disks-guessed"],
    });
    // WHEN the disks say what they are for THEN RocksDB goes on the marked ones, and a share
    // under 1 % of each OSD is named (2 x 375 GB for 12 OSDs of 16 TB: 62 GB each)
    expect(
      dbOf([{ ...bootSsds, use: "system" }, hdd, nvmeOsds, { ...optane, use: "rocksdb" }]),
    ).toEqual({ db: "318G:394G", warned: ["ceph-db-small"] });
    // AND a disk marked for RocksDB never sizes an OSD spec: the NVMe OSDs stay the unmarked ones
    const marked = load(
      spinningWithFastPool(
        [
          { count: 1, sizeGB: 480, kind: "ssd", use: "system" },
          hdd,
          { count: 2, sizeGB: 1920, kind: "nvme" },
          { count: 1, sizeGB: 3200, kind: "nvme", use: "rocksdb" },
        ],
        16,
        "nvme",
      ),
    ).model;
    const specs = cephSpecs(deployFiles(marked)).filter((d) => d.service_type === "osd");
    expect(
      specs.map((o) => [o.service_id, o.spec.data_devices.size, o.spec.db_devices?.size]),
    ).toEqual([
      ["hdd", "13600G:16800G", "2720G:3360G"],
      ["nvme", "1632G:2016G", undefined],
    ]);
    // AND where every disk beside the OSDs' is in the RocksDB filter, the system takes one: the
    // document counts the others, and says so
    const shared = load(
      spinningWithFastPool(
        [{ count: 1, sizeGB: 1000, kind: "nvme" }, hdd, { count: 2, sizeGB: 960, kind: "ssd" }],
        16,
        "hdd",
      ),
    );
    const hddSpec = shared.model.deploy.ceph?.osdSpecs.find((o) => o.deviceClass === "hdd");
    expect([hddSpec?.dbDisks, hddSpec?.dbGBPerOsd]).toEqual([
      [{ count: 2, kind: "ssd", sizeGB: 960 }],
      160,
    ]);
    expect(shared.warnings.map((w) => w.code)).toContain("ceph-db-system-disk");
    // AND disks the user marked for RocksDB stay RocksDB's, even with no boot disk listed (that
    // is ceph-boot-disk-missing's to say)
    const marked2 = load(
      spinningWithFastPool(
        [hdd, { count: 2, sizeGB: 960, kind: "nvme", use: "rocksdb" }],
        16,
        "hdd",
      ),
    );
    const spec2 = marked2.model.deploy.ceph?.osdSpecs.find((o) => o.deviceClass === "hdd");
    expect(spec2?.dbDisks).toEqual([{ count: 2, kind: "nvme", sizeGB: 960 }]);
    expect(marked2.warnings.map((w) => w.code)).not.toContain("ceph-db-system-disk");
  });

  test("a Ceph profile keeps a disk for the system, and Ironic is told which one it is", () => {
    const warned = (
      disks: { count: number; sizeGB: number; kind: string; use?: string }[],
      osds: { deviceClass: string; osdsPerNode: number; osdSizeTB: number },
      undercloud = false,
    ) =>
      load(
        variant((s) => {
          s.hardware[2].disks = disks;
          if (undercloud) s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
          s.storage = {
            ceph: { nodes: 3, hardware: "stor", ...osds },
            backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          };
        }),
      ).warnings.filter((w) => w.code.startsWith("ceph-boot-disk"));
    const hdd = { count: 12, sizeGB: 8000, kind: "hdd" };
    const spinning = { deviceClass: "hdd", osdsPerNode: 12, osdSizeTB: 8 };
    // GIVEN OSD disks only: cephadm skips the one the system went onto, one OSD fewer per host
    expect(warned([hdd], spinning).map((w) => [w.code, formatPath(w.path)])).toEqual([
      ["ceph-boot-disk-missing", "storage.ceph.hardware"],
    ]);
    // AND a solid-state disk beside them (the system's, or a RocksDB one it takes: a DB device
    // fewer, no capacity) is enough
    expect(warned([{ count: 1, sizeGB: 240, kind: "ssd" }, hdd], spinning, true)).toEqual([]);
    expect(
      warned(
        [{ count: 1, sizeGB: 480, kind: "ssd" }, hdd, { count: 2, sizeGB: 1920, kind: "nvme" }],
        spinning,
        true,
      ),
    ).toEqual([]);
    // AND where the smallest disk is an OSD's (Ironic takes the smallest), the nodes need a root
    // device hint naming the boot disk by its size in GiB, as Ironic reports it
    const ssdOsds = { deviceClass: "ssd", osdsPerNode: 10, osdSizeTB: 1.92 };
    const bootHdd = [
      { count: 1, sizeGB: 4000, kind: "hdd" },
      { count: 10, sizeGB: 1920, kind: "ssd" },
    ];
    const [hint] = warned(bootHdd, ssdOsds, true);
    expect([hint?.code, formatPath(hint!.path)]).toEqual([
      "ceph-boot-disk-hint",
      "storage.ceph.hardware",
    ]);
    // (a standard 4 TB drive holds the IDEMA sector count: 3726 GiB, not 4e12 / 2^30 = 3725)
    expect(hint?.message).toContain(`'{"size": 3726}'`);
    expect(hint?.message).toContain("is an OSD disk");
    // AND where the smallest disk keeps RocksDB while a boot disk is listed, the hint names the
    // boot disk, never the RocksDB one
    const [dbHint] = warned(
      [{ count: 1, sizeGB: 1000, kind: "hdd" }, hdd, { count: 2, sizeGB: 960, kind: "nvme" }],
      spinning,
      true,
    );
    expect(dbHint?.code).toBe("ceph-boot-disk-hint");
    expect(dbHint?.message).toContain("(nvme 960 GB) is a RocksDB disk");
    expect(dbHint?.message).toContain("naming the boot disk (hdd 1000 GB)");
    // AND a smallest disk marked use: rocksdb is called one, beside a system disk marked so
    const [marked] = warned(
      [
        { count: 1, sizeGB: 3840, kind: "ssd", use: "system" },
        hdd,
        { count: 2, sizeGB: 1920, kind: "nvme", use: "rocksdb" },
      ],
      spinning,
      true,
    );
    expect(marked?.message).toContain("(nvme 1920 GB) is a RocksDB disk");
    // AND a RocksDB disk as small as the boot disk is warned in either order of the list
    const system = { count: 1, sizeGB: 480, kind: "ssd", use: "system" };
    const db = { count: 2, sizeGB: 480, kind: "nvme", use: "rocksdb" };
    for (const listed of [
      [system, hdd, db],
      [db, hdd, system],
    ])
      expect(warned(listed, spinning, true).map((w) => w.message)).toEqual([
        expect.stringContaining(
          "disk nvme 480 GB, as small as its boot disk, is a RocksDB disk, and Ironic installs the system onto the smallest disk",
        ),
      ]);
    // (no undercloud: the hosts' own installer chooses)
    expect(warned(bootHdd, ssdOsds)).toEqual([]);
  });

  test("any profile the undercloud deploys gets the root device hint its marked system disk needs", () => {
    const warned = (disks: object[], undercloud = true) =>
      load(
        variant((s) => {
          if (undercloud) s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
          s.hardware[1].disks = disks;
        }),
      ).warnings.filter((w) => w.code === "boot-disk-hint");
    // GIVEN compute hosts whose instance disks are smaller than the system's
    const [hint, ...more] = warned([
      { count: 2, sizeGB: 1920, kind: "ssd", use: "system" },
      { count: 4, sizeGB: 960, kind: "nvme" },
    ]);
    // THEN Ironic would install onto an instance disk: a hint names the system disk
    expect(more).toEqual([]);
    expect(formatPath(hint.path)).toBe("hardware[1].disks");
    expect(hint.message).toBe(
      'hardware profile cmp\'s nvme 960 GB disks are smaller than its system disk (ssd 1920 GB), and Ironic installs the system onto the smallest disk unless told otherwise: on the compute hosts of this profile it could take one of those instead; give their Ironic nodes a root device hint naming the system disk by its serial or WWN (openstack baremetal node set --property root_device=\'{"serial": "<serial>"}\'), or by its size as Ironic reports it, 1788 GiB for a standard 1920 GB drive (\'{"size": 1788}\')',
    );
    // AND of the same size as a data disk, the size names it no better
    expect(
      warned([
        { count: 1, sizeGB: 960, kind: "ssd", use: "system" },
        { count: 4, sizeGB: 960, kind: "ssd" },
      ])[0].message,
    ).toContain(
      'by its serial or WWN (openstack baremetal node set --property root_device=\'{"serial": "<serial>"}\') (its size names it no better than the others of that size)',
    );
    // AND the smallest disk the system's, no undercloud, or no disk marked: nothing to say
    const small = [
      { count: 1, sizeGB: 480, kind: "ssd", use: "system" },
      { count: 4, sizeGB: 960, kind: "nvme" },
    ];
    expect(warned(small)).toEqual([]);
    expect(warned(small.reverse(), false)).toEqual([]);
    expect(warned([{ count: 4, sizeGB: 960, kind: "nvme" }])).toEqual([]);
  });

  test("the RADOS Gateways stand on the internal VIP's network, where they check tokens", () => {
    // GIVEN Ceph serving the Swift API from its monitors, beside OSD hosts that are none
    const model = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = { ceph: { nodes: 7, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } };
      }),
    ).model;
    const api = model.networks.find((n) => n.role === "internal-api")!.name;
    expect(model.vips.find((v) => v.name === "internal")?.network).toBe(api);
    const gateways = model.deploy.ceph?.rgw?.hosts ?? [];
    expect(gateways).toHaveLength(5);
    // THEN each gateway has an address on the internal API network, the other OSD hosts none
    for (const n of model.nodes.filter((n) => n.roles.includes("ceph-osd")))
      expect([n.name, api in n.addresses]).toEqual([n.name, gateways.includes(n.name)]);
    // AND an untagged API network, which would take ports of their own from the monitors'
    // bonds, is joined by none (the gateways reach it through the management gateway)
    const { spec } = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = { ceph: { nodes: 7, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } };
      }),
    );
    expect(gatewaysJoinApi(spec)).toBe(true);
    const networks = spec.network.networks.map((n) =>
      n.role === "internal-api" ? { ...n, vlan: undefined } : n,
    );
    expect(gatewaysJoinApi({ ...spec, network: { ...spec.network, networks } })).toBe(false);
  });

  test("Ceph serving the Swift API gets RADOS Gateways and Kolla's load balancer for them", () => {
    const model = cephServingSwift();
    const files = deployFiles(model);
    expect(cephSpecs(files).find((d) => d.service_type === "rgw")).toEqual({
      service_type: "rgw",
      service_id: "swift",
      placement: { hosts: ["ceph-01", "ceph-02", "ceph-03"] },
      spec: { rgw_frontend_port: 8080 },
      // the host's CA bundle over the image's, which libcurl reads (Kolla's CA joins it)
      extra_container_args: [
        "-v",
        "/etc/ceph/rgw-ca-bundle.pem:/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem:ro,z",
      ],
      // Keystone's internal endpoint and the user Kolla registers for the gateways
      // (ceph_rgw_ks_users: ceph_rgw, project service, role admin)
      config: {
        rgw_keystone_url: `https://${model.deploy.vips.internal?.fqdn}:5000`,
        rgw_keystone_api_version: "3",
        rgw_keystone_admin_user: "ceph_rgw",
        rgw_keystone_admin_project: "service",
        rgw_keystone_admin_domain: "Default",
        rgw_keystone_accepted_roles: "member,admin",
        rgw_keystone_implicit_tenants: "true",
      },
    });
    const globals = parse(files.get("deploy/kolla/globals.yml") as string);
    expect(globals.enable_ceph_rgw).toBe(true);
    // Kolla's RadosGW guide: a reconfigure must not reset the password the gateways were given
    expect(globals.update_keystone_service_user_passwords).toBe(false);
    // AND the operator sets that password from Kolla's passwords.yml (its ceph_rgw_keystone_password)
    // through a pipe, never on a command line: the README's block, run by sh with ssh standing in
    // for the bootstrap host, removes the one set before (Ceph assimilates no value over another),
    // hands Ceph a configuration file of the password alone, and restarts the gateways
    const readme = files.get("deploy/README.md") as string;
    const lines = readme.split("\n");
    const start = lines.findIndex((l) => l.startsWith("if grep -q '^ceph_rgw_keystone_password"));
    const block = lines.slice(start, lines.indexOf("fi", start) + 1).join("\n");
    expect(block).not.toContain("$(");
    const dir = tempDir("sw-rgw-");
    fs.writeFileSync(
      path.join(dir, "ssh"),
      '#!/bin/sh\necho "$@" >> "$FAKE_ARGS"\ncat >> "$FAKE_CONF"\n',
      { mode: 0o755 },
    );
    const run = (passwords: string) => {
      fs.writeFileSync(path.join(dir, "passwords.yml"), passwords);
      for (const f of ["conf", "args"]) fs.writeFileSync(path.join(dir, f), "");
      const r = spawnSync(
        "/bin/sh",
        ["-c", block.replaceAll("/etc/kolla/passwords.yml", path.join(dir, "passwords.yml"))],
        {
          env: {
            PATH: `${dir}:/usr/bin:/bin`,
            FAKE_CONF: path.join(dir, "conf"),
            FAKE_ARGS: path.join(dir, "args"),
          },
          input: "",
          encoding: "utf8",
        },
      );
      return {
        stderr: r.stderr,
        conf: fs.readFileSync(path.join(dir, "conf"), "utf8"),
        args: fs.readFileSync(path.join(dir, "args"), "utf8").split("\n").filter(Boolean),
      };
    };
    const set = run("ceph_rgw_keystone_password: s3cretPW42\nkeystone_admin_password: other\n");
    expect(set.conf).toBe("[client.rgw.swift]\nrgw_keystone_admin_password = s3cretPW42\n");
    expect(set.args.map((a) => a.replace(/^root@\S+ /, ""))).toEqual([
      "ceph config rm client.rgw.swift rgw_keystone_admin_password",
      "ceph config assimilate-conf -i /dev/stdin -o /dev/null",
      "ceph orch restart rgw.swift",
    ]);
    expect(set.args.join("\n")).not.toContain("s3cret");
    // AND without the password in passwords.yml nothing is removed or restarted
    const missing = run("keystone_admin_password: other\n");
    expect(missing.args).toEqual([]);
    expect(missing.stderr).toContain("no ceph_rgw_keystone_password in");
    expect(globals.ceph_rgw_hosts).toHaveLength(3);
    for (const item of globals.ceph_rgw_hosts)
      expect(Object.keys(item).sort()).toEqual(variables.structures.ceph_rgw_hosts);
  });

  test("the gateways trust Kolla's CA: each host's bundle, with the CA once it exists", () => {
    // GIVEN Ceph serving the Swift API, and the README's commands run by sh with ssh running the
    // remote command here, on files standing in for the hosts' and Kolla's
    const readme = deployFiles(cephServingSwift()).get("deploy/README.md") as string;
    const lines = readme.split("\n");
    const seed = lines.filter((l) => l.includes("[ -s /etc/ceph/rgw-ca-bundle.pem ]"));
    const start = lines.indexOf("if [ -f /etc/kolla/certificates/ca/root.crt ]; then");
    const join = lines.slice(start, lines.indexOf("fi", start) + 1);
    expect([seed.length, join.length]).toEqual([3, 5]);
    const dir = tempDir("sw-rgw-ca-");
    fs.writeFileSync(path.join(dir, "ssh"), '#!/bin/sh\nshift\nexec sh -c "$1"\n', {
      mode: 0o755,
    });
    const here = (text: string) =>
      text
        .replaceAll("/etc/ceph", path.join(dir, "ceph"))
        .replaceAll("/etc/ssl/certs/ca-certificates.crt", path.join(dir, "host.pem"))
        .replaceAll("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", path.join(dir, "none"))
        .replaceAll("/etc/kolla/certificates/ca/root.crt", path.join(dir, "root.crt"));
    const sh = (block: string[]) =>
      spawnSync("/bin/sh", ["-c", here(block.join("\n"))], {
        env: { PATH: `${dir}:/usr/bin:/bin` },
        encoding: "utf8",
      });
    const bundle = () => fs.readFileSync(path.join(dir, "ceph", "rgw-ca-bundle.pem"), "utf8");
    fs.writeFileSync(path.join(dir, "host.pem"), "HOST CAS\n");
    // WHEN the hosts are prepared THEN the bundle is the host's own
    expect(sh(seed).status).toBe(0);
    expect(bundle()).toBe("HOST CAS\n");
    // AND without Kolla's CA the join changes nothing
    expect(sh(join).status).toBe(0);
    expect(bundle()).toBe("HOST CAS\n");
    // WHEN Kolla's CA exists THEN it joins the host's CAs
    fs.writeFileSync(path.join(dir, "root.crt"), "KOLLA CA\n");
    expect(sh(join).status).toBe(0);
    expect(bundle()).toBe("HOST CAS\nKOLLA CA\n");
    // AND preparing the hosts again keeps it
    sh(seed);
    expect(bundle()).toBe("HOST CAS\nKOLLA CA\n");
    // AND a host whose bundle cannot be read keeps the one it has
    fs.rmSync(path.join(dir, "host.pem"));
    expect(sh(join).status).not.toBe(0);
    expect(bundle()).toBe("HOST CAS\nKOLLA CA\n");
    // AND preparing a host whose bundle cannot be read leaves no empty file a later run keeps
    const file = path.join(dir, "ceph", "rgw-ca-bundle.pem");
    fs.rmSync(file);
    expect(sh(seed).status).not.toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(path.join(dir, "host.pem"), "HOST CAS\n");
    fs.writeFileSync(file, "");
    expect(sh(seed).status).toBe(0);
    expect(bundle()).toBe("HOST CAS\n");
    // AND the empty directory Docker makes for a missing mount gives way to the bundle
    fs.rmSync(file);
    fs.mkdirSync(file);
    expect(sh(seed).status).toBe(0);
    expect(bundle()).toBe("HOST CAS\n");
    fs.rmSync(file);
    fs.mkdirSync(file);
    expect(sh(join).status).toBe(0);
    expect(bundle()).toBe("HOST CAS\nKOLLA CA\n");
  });

  test("the object-store endpoint Kolla registers is the path the gateways serve Swift on", () => {
    // GIVEN Ceph serving the Swift API
    const model = cephServingSwift();
    // WHEN
    const files = deployFiles(model);
    const globals = parse(files.get("deploy/kolla/globals.yml") as string);
    const rgw = cephSpecs(files).find((d) => d.service_type === "rgw");
    // THEN Kolla's ceph_rgw_endpoint_path (roles/ceph-rgw/defaults) matches the gateways'
    // rgw_swift_url_prefix ("swift" unless the spec's config sets it; "/" serves Swift at /)
    const kollaPath = `${globals.ceph_rgw_swift_compatibility ? "/" : "/swift/"}v1`;
    const prefix: string = rgw.config?.rgw_swift_url_prefix ?? "swift";
    expect(kollaPath).toBe(prefix === "/" ? "/v1" : `/${prefix}/v1`);
  });

  test("a Ceph backend naming no device class takes the volumes pool on the cluster's, not the first by name", () => {
    // GIVEN an SSD volumes pool whose name sorts first, and the cluster's HDD one
    const model = load(
      twoClassCeph(
        {
          pools: [
            { name: "volumes-fast", application: "volumes", dataShare: 0.2, deviceClass: "ssd" },
            { name: "volumes-slow", application: "volumes", dataShare: 0.5, deviceClass: "hdd" },
            { name: "images", application: "images", dataShare: 0.3 },
          ],
        },
        [
          { name: "ceph-fast", kind: "ceph", volumeType: "fast", deviceClass: "ssd" },
          { name: "ceph-standard", kind: "ceph", volumeType: "standard" },
        ],
      ),
    );
    // THEN the unclassed backend's volumes go to HDD, and no pool is left unwritten
    expect(model.model.deploy.cinder.backends.map((b) => [b.name, b.cephPool])).toEqual([
      ["ceph-fast", "volumes-fast"],
      ["ceph-standard", "volumes-slow"],
    ]);
    expect(model.warnings.map((w) => w.code)).not.toContain("ceph-pool-unused");
    // AND the runbook asks for the first Kolla-Ansible whose cinder.conf takes each backend's
    // pool (19.x writes ceph_cinder_pool_name for all of them)
    const globals = parse(deployFiles(model.model).get("deploy/kolla/globals.yml") as string);
    const deploy = model.model.lifecycle.find((st) => st.id === "deploy")!.prerequisites;
    expect(deploy).toContainEqual({
      kind: "kolla-release-ceph-pools",
      params: { release: "20.0.0 (2025.1)", pool: globals.ceph_cinder_pool_name },
    });
    expect(deploy.find((i) => i.kind === "kolla-release")?.params.minimum).toBe("20.0.0 (2025.1)");
    // AND one Ceph backend, on the pool Kolla's variable names, needs nothing newer
    const one = example("devtest-cloud").lifecycle.find((st) => st.id === "deploy")!;
    expect(one.prerequisites.map((i) => i.kind)).not.toContain("kolla-release-ceph-pools");
  });

  test("client.cinder may use every pool a Ceph backend writes, one per device class", () => {
    // GIVEN two Ceph backends on two device classes, each with a volumes pool of its own, erasure-coded
    const model = load(
      twoClassCeph(
        {
          protection: { erasureCoded: { k: 2, m: 2 } },
          pools: [
            { name: "volumes-hdd", application: "volumes", dataShare: 0.5, deviceClass: "hdd" },
            { name: "volumes-ssd", application: "volumes", dataShare: 0.2, deviceClass: "ssd" },
            { name: "images", application: "images", dataShare: 0.3 },
          ],
        },
        [
          { name: "ceph-hdd", kind: "ceph", volumeType: "standard", deviceClass: "hdd" },
          { name: "ceph-ssd", kind: "ceph", volumeType: "performance", deviceClass: "ssd" },
        ],
      ),
    ).model;
    // WHEN
    const script = deployFiles(model).get("deploy/ceph/pools.sh") as string;
    const caps = /^ceph auth caps client\.cinder mon '[^']*' osd '([^']*)'/m.exec(script)?.[1];
    // THEN Kolla's cinder_ceph_backends pools (user cinder) and their erasure-coded data pools
    // are all in its caps: Ceph refuses the others
    expect(model.deploy.cinder.backends.map((b) => b.cephPool)).toEqual([
      "volumes-hdd",
      "volumes-ssd",
    ]);
    for (const pool of ["volumes-hdd", "volumes-hdd-data", "volumes-ssd", "volumes-ssd-data"])
      expect(caps?.split(", ")).toContain(`profile rbd pool=${pool}`);
    // AND the manager's rbd profile on the pools it writes, as Ceph's OpenStack guide gives
    // (not on the images it only reads)
    const mgr = /^ceph auth caps client\.cinder .* mgr '([^']*)'$/m.exec(script)?.[1];
    expect(mgr?.split(", ")).toEqual(caps?.split(", ").filter((c) => c.startsWith("profile rbd ")));
    expect(mgr).not.toContain("images");
  });

  test("a Ceph backend writes the pool of its device class, a pool without one having the cluster's", () => {
    // GIVEN an ssd pool that sorts first and a pool that takes the cluster's hdd class by default
    const model = load(
      twoClassCeph(
        {
          deviceClass: "hdd",
          pools: [
            { name: "fast-volumes", application: "volumes", dataShare: 0.2, deviceClass: "ssd" },
            { name: "volumes", application: "volumes", dataShare: 0.5 },
            { name: "images", application: "images", dataShare: 0.3 },
          ],
        },
        [
          { name: "ceph-hdd", kind: "ceph", volumeType: "standard", deviceClass: "hdd" },
          { name: "ceph-ssd", kind: "ceph", volumeType: "performance", deviceClass: "ssd" },
        ],
      ),
    ).model;
    expect(model.deploy.cinder.backends.map((b) => [b.name, b.cephPool])).toEqual([
      ["ceph-hdd", "volumes"],
      ["ceph-ssd", "fast-volumes"],
    ]);
  });

  test("placement groups are sized by the OSDs of the pool's own device class", () => {
    // GIVEN 16 hdd OSDs and 8 ssd OSDs (two per host; two small ssd disks boot each host), a
    // small pool alone on the ssd class
    const model = load(
      twoClassCeph(
        {
          deviceClass: "hdd",
          pools: [
            { name: "volumes", application: "volumes", dataShare: 0.5 },
            { name: "images", application: "images", dataShare: 0.3 },
            { name: "fast", application: "volumes", dataShare: 0.2, deviceClass: "ssd" },
          ],
        },
        [
          { name: "ceph-hdd", kind: "ceph", volumeType: "standard", deviceClass: "hdd" },
          { name: "ceph-ssd", kind: "ceph", volumeType: "performance", deviceClass: "ssd" },
        ],
        (s) => s.hardware[2].disks.push({ count: 2, sizeGB: 480, kind: "ssd" }),
      ),
    ).model;
    const ceph = model.storage.ceph;
    const pg = (name: string) => ceph?.pools.find((p) => p.name === name)?.pgNum;
    // THEN about 100 PG copies per OSD of each class, at the nearest power of two as Ceph's
    // autoscaler rounds: 8 x 100 / 3 = 267 copies gives the ssd pool 256 (it was 16 x 100 / 3 x
    // 0.2 = 107, from the hdd OSDs), the hdd pools split 16 x 100 / 3 by 0.5 and 0.3 of the 0.8 the
    // hdd class holds: 333 and 200, both 256 (the copies per OSD add .mgr's 3, spread)
    expect([pg("fast"), pg("volumes"), pg("images")]).toEqual([256, 256, 256]);
    // (each class with its own raw and usable TB, the same share of copies: the cluster's figures
    // add them up; the hosts stand in racks of 2, 1 and 1, and each single-host rack keeps a copy
    // of every PG: 256 x 3 / 8 = 96 ssd copies per OSD on average, 256 / 2 = 128 on those hosts)
    expect(ceph?.deviceClasses).toEqual([
      {
        deviceClass: "hdd",
        osds: 16,
        rawTB: 128,
        usableTB: 32,
        osdSizeTB: 8,
        pgsPerOsd: 97,
        pgsOnFullestOsd: 129,
      },
      {
        deviceClass: "ssd",
        osds: 8,
        rawTB: 30.72,
        usableTB: 7.68,
        // (the SSD class's OSDs: its disks' mean)
        osdSizeTB: 3.84,
        pgsPerOsd: 97,
        pgsOnFullestOsd: 129,
      },
    ]);
    expect(ceph).toMatchObject({ rawTB: 158.72, usableTB: 39.68 });
    // and pools.sh creates them with those counts on the class's rule
    const script = deployFiles(model).get("deploy/ceph/pools.sh") as string;
    expect(script).toContain("ceph osd pool create fast 256 256 replicated rack-ssd");
    expect(script).toContain("ceph osd pool create volumes 256 256 replicated rack-hdd");
  });

  test("a backend naming its pool keeps its volumes apart from another backend of its class", () => {
    // GIVEN two backends on hdd, the restricted one naming a pool of its own
    const pools = [
      { name: "volumes", application: "volumes", dataShare: 0.4 },
      { name: "volumes-restricted", application: "volumes", dataShare: 0.2 },
      { name: "images", application: "images", dataShare: 0.4 },
    ];
    const loaded = load(
      twoClassCeph({ deviceClass: "hdd", pools }, [
        { name: "ceph-hdd", kind: "ceph", volumeType: "standard" },
        {
          name: "ceph-restricted",
          kind: "ceph",
          volumeType: "restricted",
          cephPool: "volumes-restricted",
        },
      ]),
    );
    const model = loaded.model;
    // THEN Kolla's backends write one pool each, and the cinder user may write both
    const globals = parse(deployFiles(model).get("deploy/kolla/globals.yml") as string);
    expect(
      globals.cinder_ceph_backends.map((b: { name: string; pool: string }) => [b.name, b.pool]),
    ).toEqual([
      ["ceph-hdd", "volumes"],
      ["ceph-restricted", "volumes-restricted"],
    ]);
    expect(deployFiles(model).get("deploy/ceph/pools.sh")).toContain(
      "ceph osd pool create volumes-restricted ",
    );
    expect(deployFiles(model).get("deploy/ceph/pools.sh")).toMatch(
      /client\.cinder mon 'profile rbd' osd '[^']*profile rbd pool=volumes-restricted/,
    );
    // AND the pool is no longer said to be unused
    expect(loaded.warnings.map((w) => w.code)).not.toContain("ceph-pool-unused");
  });

  test("a pool naming the class wins, and Glance, Gnocchi and backups use Kolla's pool, which their caps name", () => {
    // GIVEN a pool per application that takes the cluster's hdd class by default, sorting first,
    // beside pools naming hdd and ssd
    const model = load(
      twoClassCeph(
        {
          deviceClass: "hdd",
          pools: [
            { name: "a-volumes", application: "volumes", dataShare: 0.2 },
            { name: "b-volumes", application: "volumes", dataShare: 0.2, deviceClass: "hdd" },
            { name: "a-images", application: "images", dataShare: 0.1, deviceClass: "ssd" },
            { name: "b-images", application: "images", dataShare: 0.1 },
            { name: "a-metrics", application: "metrics", dataShare: 0.1, deviceClass: "ssd" },
            { name: "b-metrics", application: "metrics", dataShare: 0.1 },
            { name: "vms", application: "vms", dataShare: 0.2 },
          ],
        },
        [{ name: "ceph-hdd", kind: "ceph", volumeType: "standard", deviceClass: "hdd" }],
        (s) => s.controlPlane.services.push("ceilometer"),
      ),
    ).model;
    expect(model.deploy.cinder.backends.map((b) => b.cephPool)).toEqual(["b-volumes"]);
    const k = model.deploy.ceph?.kollaPools;
    expect([model.deploy.glance.cephPool, model.deploy.gnocchi?.cephPool]).toEqual([
      k?.images,
      k?.metrics,
    ]);
    const script = deployFiles(model).get("deploy/ceph/pools.sh") as string;
    expect(script).toContain(`pool=${k?.metrics}`);
  });

  test("PG copies per OSD count the pools Ceph makes itself: .mgr and the gateways' zone pools", () => {
    // GIVEN Ceph serving the Swift API: 12 OSDs, replicated 3
    const ceph = cephServingSwift().storage.ceph!;
    const design = ceph.pools.reduce((t, p) => t + p.pgNum * 3, 0);
    // THEN .mgr's PG and six zone pools of 32 PGs, 3 copies each, are on the same OSDs (the
    // monitor counts them when pools.sh creates the design's pools)
    expect(ceph.deviceClasses).toEqual([
      {
        deviceClass: "hdd",
        osds: 12,
        rawTB: 48,
        usableTB: 16,
        osdSizeTB: 4,
        pgsPerOsd: Math.ceil((design + (1 + 6 * 32) * 3) / 12),
      },
    ]);
  });

  test("the gateways keep their objects in the design's pool, not one their zone makes", () => {
    // GIVEN Ceph serving the Swift API with the default pools
    const model = cephServingSwift();
    const pool = model.storage.ceph?.pools.find((p) => p.application === "rgw");
    expect(pool?.name).toBe("rgw");
    // WHEN
    const files = deployFiles(model);
    const script = files.get("deploy/ceph/pools.sh") as string;
    const lines = script.split("\n");
    const rgw = cephSpecs(files).find((d) => d.service_type === "rgw");
    // THEN pools.sh creates the pool, points the default zone's placement at it (the gateways
    // would otherwise write to default.rgw.buckets.data) and restarts cephadm's rgw service so
    // the zone change applies
    const created = lines.findIndex((l) => l.startsWith("ceph osd pool create rgw "));
    const placed = lines.indexOf(
      "radosgw-admin zone placement modify --rgw-zone default --placement-id default-placement --storage-class STANDARD --data-pool rgw",
    );
    expect(created).toBeGreaterThan(0);
    expect(placed).toBeGreaterThan(created);
    expect(lines[placed + 1]).toBe(`ceph orch restart rgw.${rgw.service_id}`);
    // AND it comes last, after the keyrings: a restart that fails (gateways not up yet) under
    // set -e leaves nothing else undone
    const keyrings = lines.map((l, i) => (l.startsWith("ceph auth ") ? i : -1));
    expect(Math.max(...keyrings)).toBeLessThan(placed);
    expect(lines.slice(placed + 2).filter(Boolean)).toEqual([]);
    expect(files.get("deploy/README.md")).toContain("objects in pool `rgw`");
  });

  test("an erasure-coded design keeps the gateways' data pool erasure-coded", () => {
    // GIVEN RADOS Gateways on an erasure-coded cluster with a declared object pool
    const model = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = {
          ceph: cephCluster({
            osdsPerNode: 4,
            protection: { erasureCoded: { k: 2, m: 2 } },
            pools: [
              { name: "images", application: "images", dataShare: 0.2 },
              { name: "objects", application: "rgw", dataShare: 0.8 },
            ],
          }),
        };
      }),
    ).model;
    // WHEN
    const script = deployFiles(model).get("deploy/ceph/pools.sh") as string;
    // THEN the pool the proposal counts at k/(k+m) is the one the zone writes to
    expect(script).toContain(
      "ceph osd pool create objects 256 256 erasure host-hdd --autoscale-mode=off\n",
    );
    expect(script).toContain("--storage-class STANDARD --data-pool objects\n");
    expect(model.storage.ceph?.objectShare).toBe(0.8);
  });

  test("a cluster of fewer than three copies has Ceph make its own pools at the design's size", () => {
    // GIVEN a one-host lab cluster keeping one copy, and a two-host one keeping two
    const design = (nodes: number, copies: number) =>
      load(
        variant((s) => {
          s.controlPlane.services = [...CORE_SERVICES, "swift"];
          s.storage = { ceph: cephCluster({ nodes, protection: { replicated: copies } }) };
        }),
      );
    const lab = design(1, 1);
    const pair = design(2, 2).model;
    // WHEN
    const files = deployFiles(lab.model);
    const readme = (files.get("deploy/README.md") as string).split("\n");
    const pools = (files.get("deploy/ceph/pools.sh") as string).split("\n");
    // THEN before the OSDs come, Ceph may keep one copy and makes .mgr and the gateways' pools
    // with one (at its default three they could never be placed on one host)
    const at = (line: string) => readme.indexOf(line);
    expect(at("ceph config set global mon_allow_pool_size_one true")).toBeGreaterThan(0);
    expect(at("ceph config set global mon_allow_pool_size_one true")).toBeLessThan(
      at("ceph config set global osd_pool_default_size 1"),
    );
    expect(at("ceph config set global osd_pool_default_min_size 1")).toBeLessThan(
      at("ceph orch apply -i stackwright-ceph/cluster.yaml"),
    );
    // AND pools.sh confirms size 1, which Ceph refuses without --yes-i-really-mean-it
    expect(pools).toContain("ceph osd pool set images size 1 --yes-i-really-mean-it");
    expect(lab.warnings.map((w) => [w.code, formatPath(w.path)])).toContainEqual([
      "ceph-single-copy",
      "storage.ceph.protection.replicated",
    ]);
    // AND two copies need no confirmation, only the smaller defaults
    expect(pair.deploy.ceph?.poolDefaults).toEqual({ size: 2, minSize: 1 });
    const pairReadme = deployFiles(pair).get("deploy/README.md") as string;
    expect(pairReadme).toContain("ceph config set global osd_pool_default_size 2\n");
    expect(pairReadme).not.toContain("mon_allow_pool_size_one");
  });

  test("users and services reach the gateways through Kolla's HAProxy on ceph_rgw_port", () => {
    // GIVEN Ceph serving the Swift API
    const model = cephServingSwift();
    const rows = (name: string) =>
      model.ports.filter((p) => p.service === name).map((p) => `${p.from}>${p.to}:${p.port}`);
    // THEN the VIPs answer on Kolla's 6780, HAProxy reaches the gateways on their own port, and
    // the gateways check tokens with Keystone; no Swift proxy is in the matrix
    expect(model.endpoints.filter((e) => e.service === "swift")).toEqual([
      { service: "swift", name: "ceph-rgw", port: 6780, public: true },
    ]);
    expect(rows("ceph-rgw")).toEqual([
      "users>controllers:6780",
      "controllers>controllers:6780",
      "controllers>ceph:8080",
    ]);
    expect(rows("keystone")).toContain("ceph>controllers:5000");
    expect(rows("swift-proxy")).toEqual([]);
  });

  test("copies spread across racks: each OSD host's CRUSH bucket goes under its rack", () => {
    // GIVEN a design whose Ceph hosts sit in enough racks for rack failure domains
    const model = example("enterprise-reference");
    expect(model.storage.ceph?.failureDomain).toBe("rack");
    // WHEN
    const files = deployFiles(model);
    const hosts = cephSpecs(files).filter((d) => d.service_type === "host");
    // THEN cephadm creates the rack buckets under the root the rules take (a rule of type rack
    // finds no OSD when the hosts hang straight off the root)
    const rack = (name: string) => model.nodes.find((n) => n.name === name)?.rack;
    for (const h of hosts.filter((x) => x.labels.includes("osd")))
      expect([h.hostname, h.location]).toEqual([
        h.hostname,
        { root: "default", rack: rack(h.hostname) },
      ]);
    expect(files.get("deploy/ceph/pools.sh")).toMatch(
      /^ceph osd crush rule create-replicated rack-hdd default rack hdd$/m,
    );
  });

  test("copies spread across sites: each OSD host goes under its site's datacenter and its rack", () => {
    // GIVEN Ceph's six hosts at three sites, two racks each, three copies
    const model = load(cephAtSites(3)).model;
    const ceph = model.storage.ceph!;
    expect([ceph.failureDomain, ceph.failureDomains]).toEqual(["datacenter", 3]);
    // WHEN
    const files = deployFiles(model);
    // THEN cephadm builds root > datacenter > rack > host, and the rules pick a site per copy
    const node = (name: string) => model.nodes.find((n) => n.name === name)!;
    const hosts = cephSpecs(files).filter((d) => d.service_type === "host");
    expect(hosts.length).toBe(6);
    for (const h of hosts)
      expect([h.hostname, h.location]).toEqual([
        h.hostname,
        { root: "default", datacenter: node(h.hostname).site, rack: node(h.hostname).rack },
      ]);
    const pools = (files.get("deploy/ceph/pools.sh") as string).split("\n");
    expect(pools).toEqual(
      expect.arrayContaining([
        "ceph osd crush rule create-replicated datacenter-hdd default datacenter hdd",
        "ceph osd pool create volumes 1024 1024 replicated datacenter-hdd --autoscale-mode=off",
        "ceph osd pool set volumes crush_rule datacenter-hdd",
        // AND the pools Ceph makes itself leave the default rule, which spreads by host only
        "ceph osd crush rule create-replicated datacenter-own-pools default datacenter",
        "if ceph osd pool ls | grep -qxF .mgr; then ceph osd pool set .mgr crush_rule datacenter-own-pools; fi",
      ]),
    );
  });

  test("Ceph's own pools take Ceph's rule by host again, and the gateways' are made on the domain's", () => {
    // GIVEN Ceph by host (a plan by rack or site may have moved .mgr onto its own rule)
    const byHost = deployFiles(erasureCodedCeph()).get("deploy/ceph/pools.sh") as string;
    // THEN pools.sh puts .mgr back on Ceph's own rule, and makes no rule of its own for it
    expect(byHost).toContain(
      "if ceph osd pool ls | grep -qxF .mgr; then ceph osd pool set .mgr crush_rule replicated_rule; fi",
    );
    expect(byHost).not.toContain("own-pools");
    // AND with RADOS Gateways by rack, their zone pools are made on the rack rule before the
    // gateways make them on Ceph's (the bucket index only at the first bucket)
    const rgw = cephServingSwift();
    expect(rgw.deploy.ceph?.rgw).toBeDefined();
    expect(rgw.deploy.ceph?.failureDomain).toBe("rack");
    const pools = deployFiles(rgw).get("deploy/ceph/pools.sh") as string;
    expect(pools).toContain(
      [
        "for pool in .rgw.root default.rgw.control default.rgw.meta default.rgw.log default.rgw.buckets.index default.rgw.buckets.non-ec; do",
        '  ceph osd pool create "$pool" 32 32 replicated rack-own-pools',
        '  ceph osd pool set "$pool" crush_rule rack-own-pools',
        '  ceph osd pool application enable "$pool" rgw',
        "done",
      ].join("\n"),
    );
  });

  test("Ceph by site: a site's loss keeps a copy of everything elsewhere; two sites keep racks", () => {
    // GIVEN three sites, each holding two of the six OSD hosts
    const model = load(cephAtSites(3)).model;
    // THEN no site stops block storage, and a failed host recovers within its site
    const site = model.recovery.find((r) => r.scenario === "one-of-sites")!;
    expect(site.stoppingSites).toBeUndefined();
    expect(site.outcome).not.toContain("storage");
    expect(model.ha.find((r) => r.kind === "ceph-replicated")?.mechanism).toBe(
      "3x replication across sites (min_size 2)",
    );
    expect(model.storage.ceph?.recoveryFillRatio).toBe(0.45);
    // AND a design point asking copies across racks holds: sites keep them apart as surely
    expect(cephAcrossRacks(model)).toEqual([]);
    // AND seven hosts (3, 2, 2 by site) hold what six would: each site takes a copy of all
    const seven = load(cephAtSites(3, { nodes: 7 })).model.storage.ceph!;
    expect([seven.rawTB, seven.usableTB]).toEqual([280, 80]);
    expect(seven.unevenDomains).toEqual({ hosts: { dc1: 3, dc2: 2, dc3: 2 }, evenUsableTB: 93.33 });
    expect(model.storage.ceph?.unevenDomains).toBeUndefined();
    // AND fewer sites than copies keep the copies apart by rack, where either site's loss may
    // take two copies of some placement groups and stops storage
    const two = load(cephAtSites(2)).model;
    expect(two.storage.ceph?.failureDomain).toBe("rack");
    expect(two.recovery.find((r) => r.scenario === "one-of-sites")?.stoppingSites).toEqual([
      "dc1",
      "dc2",
    ]);
  });

  test("a rack or site named like another CRUSH bucket is refused where it is written", () => {
    const clash = variant((s) => {
      s.sites = [{ name: "dc1" }, { name: "dc2" }, { name: "r1" }];
      s.zones = ["dc1", "dc2", "r1"].map((site, i) => ({
        name: `az${i + 1}`,
        site,
        racks: i === 1 ? ["r1", "default"] : [`x${i}`],
        pools: [{ name: `gen${i + 1}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
      }));
      s.storage = {
        ceph: cephCluster({ nodes: 6 }),
        backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
      };
    });
    const issues = issuesOf(clash).filter((i) => i.code === "ceph-bucket-name");
    expect(issues.map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        "zones[1].racks[1]",
        "rack default is a bucket of Ceph's CRUSH map, where the CRUSH root has the name default already, and CRUSH names are one namespace: cephadm could not place the OSD hosts; rename the rack",
      ],
      [
        "zones[1].racks[0]",
        "rack r1 is a bucket of Ceph's CRUSH map, where site r1 has the name r1 already, and CRUSH names are one namespace: cephadm could not place the OSD hosts; rename the rack",
      ],
    ]);
  });

  test("erasure-coded RBD pools: replicated metadata, images' data in an erasure-coded pool", () => {
    // GIVEN erasure-coded Ceph holding Cinder volumes
    const model = erasureCodedCeph({
      pools: [
        { name: "volumes", application: "volumes", dataShare: 0.9 },
        { name: "images", application: "images", dataShare: 0.1 },
      ],
    });
    const pgNum = model.storage.ceph?.pools.find((p) => p.name === "volumes")?.pgNum;
    // WHEN
    const pools = (deployFiles(model).get("deploy/ceph/pools.sh") as string).split("\n");
    // THEN RBD keeps image headers and its directory in omap, which erasure-coded pools lack
    expect(pools).toEqual(
      expect.arrayContaining([
        "ceph osd erasure-code-profile set host-hdd k=4 m=2 crush-failure-domain=host crush-device-class=hdd",
        `ceph osd pool create volumes-data ${pgNum} ${pgNum} erasure host-hdd --autoscale-mode=off`,
        "ceph osd pool set volumes-data allow_ec_overwrites true",
        "ceph osd pool create volumes 32 32 replicated host-hdd-replicated --autoscale-mode=off",
        "rbd pool init volumes",
        "rbd config pool set volumes rbd_default_data_pool volumes-data",
      ]),
    );
    expect(pools).not.toContain("rbd pool init volumes-data");
    // and Cinder's key reaches both pools
    expect(pools.find((l) => l.startsWith("ceph auth caps client.cinder "))).toContain(
      "osd 'profile rbd pool=volumes, profile rbd pool=volumes-data, profile rbd-read-only pool=images, profile rbd-read-only pool=images-data'",
    );
  });

  test("the document's pool table names every pool pools.sh makes, with its pg_num", async () => {
    // GIVEN erasure-coded Ceph, whose RBD pools keep their data in pools of their own, and a
    // replicated design
    for (const model of [erasureCodedCeph(), example("enterprise-reference")]) {
      const script = deployFiles(model).get("deploy/ceph/pools.sh") as string;
      const made = [...script.matchAll(/^ceph osd pool create (\S+) (\d+) \d+ (\S+)/gm)];
      expect(made.length).toBeGreaterThan(1);
      // WHEN the document is written
      const { markdown } = await renderArchitecture(model);
      // THEN each pool is a row with the pg_num and the kind of protection pools.sh gives it
      for (const [, name, pgNum, kind] of made)
        expect(markdown).toMatch(
          new RegExp(
            `^\\| ${name} \\|[^\\n]*\\| ${kind === "erasure" ? "erasure coded, k=\\d m=\\d" : "\\d copies \\(min_size \\d\\)"}[^|\\n]* \\| ${pgNum} \\|$`,
            "m",
          ),
        );
    }
  });

  test("copies spread across hosts: the hosts keep cephadm's default CRUSH location", () => {
    // GIVEN Ceph on fewer racks than erasure-coded chunks
    const model = erasureCodedCeph();
    expect(model.storage.ceph?.failureDomain).toBe("host");
    // WHEN
    const cluster = deployFiles(model).get("deploy/ceph/cluster.yaml") as string;
    // THEN
    expect(cluster).not.toContain("location:");
  });
});

describe("Octavia", () => {
  test("keeps Octavia's jobboard, on with Octavia in Kolla, in Valkey on the controllers", () => {
    // GIVEN a design with Octavia
    const model = example("public-cloud");
    expect(model.deploy.services).toContain("octavia");
    // WHEN
    const files = deployFiles(model);
    const globals = parse(files.get("deploy/kolla/globals.yml") as string);
    // THEN Kolla's octavia precheck holds: the jobboard, on unless set, has its Valkey
    expect(globals.enable_octavia).toBe(true);
    expect(globals.enable_octavia_jobboard).toBeUndefined();
    expect(globals.enable_valkey).toBe(true);
    // AND Kolla's valkey group is the controllers, which reach each other on its ports
    const inventory = files.get("deploy/kolla/inventory") as string;
    expect(inventory).toMatch(/^\[valkey:children\]\ncontrol$/m);
    expect(
      model.ports
        .filter((p) => p.service.startsWith("valkey"))
        .map((p) => `${p.port} ${p.from}>${p.to}`),
    ).toEqual(["6379 controllers>controllers", "26379 controllers>controllers"]);
    // AND the HA table says what survives: a flow a failed controller left is finished elsewhere
    const controllers = model.controlPlane.controllers.length;
    expect(model.ha.find((r) => r.kind === "valkey")).toMatchObject({
      nodes: controllers,
      failuresTolerated: Math.floor((controllers - 1) / 2),
    });
    expect(model.ha.find((r) => r.component === "Octavia control plane")?.mechanism).toContain(
      "Octavia's jobboard in Valkey",
    );
    // AND a design without Octavia has none of it
    const plain = example("enterprise-reference");
    expect(plain.deploy.valkey).toBe(false);
    expect(parse(deployFiles(plain).get("deploy/kolla/globals.yml") as string).enable_valkey).toBe(
      undefined,
    );
    expect(plain.ports.some((p) => p.service.startsWith("valkey"))).toBe(false);
  });

  test("Cinder's locks stay in etcd beside Valkey, which Kolla would otherwise prefer", () => {
    // GIVEN Ceph volumes on three controllers (etcd for the locks) and Octavia (Valkey)
    const model = load(
      withOctavia((s) => {
        s.storage = {
          ceph: cephCluster(),
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    expect([model.deploy.cinder.etcdLocks, model.deploy.valkey]).toEqual([true, true]);
    // WHEN
    const globals = parse(deployFiles(model).get("deploy/kolla/globals.yml") as string);
    // THEN cinder.conf's coordination backend is etcd, whose ports the matrix opens
    expect(globals.enable_etcd).toBe(true);
    expect(globals.cinder_coordination_backend).toBe("etcd");
    expect(model.ports.some((p) => p.service === "etcd-client")).toBe(true);
    for (const name of ["enable_valkey", "cinder_coordination_backend"])
      expect(Object.keys(variables.variables)).toContain(name);
    // AND Cinder without etcd keeps no coordination backend, not Valkey on ports nobody opened
    // for its volume hosts
    const lvm = load(
      withOctavia((s) => {
        s.storage = {
          backends: [{ name: "lvm", kind: "lvm", volumeType: "local" }],
          blockStorageNodes: { hosts: 2, hardware: "stor" },
        };
      }),
    ).model;
    expect(lvm.deploy.cinder.etcdLocks).toBe(false);
    const lvmGlobals = parse(deployFiles(lvm).get("deploy/kolla/globals.yml") as string);
    expect([lvmGlobals.enable_valkey, lvmGlobals.cinder_coordination_backend]).toEqual([true, ""]);
    // AND the runbook asks for the first Kolla-Ansible with Valkey
    const release = model.lifecycle
      .find((st) => st.id === "deploy")
      ?.prerequisites.find((i) => i.kind === "kolla-release");
    expect(release?.params.minimum).toBe("20.4.0 (2025.1)");
  });

  test("asks for the first Kolla-Ansible with OVN's southbound relays where the plan has them", () => {
    // GIVEN an OVN design, whose plan puts relays between the chassis and the southbound database
    const model = example("cloud-in-a-box");
    expect(model.deploy.neutron.mechanism).toBe("ovn");
    expect(model.ports.some((p) => p.port.startsWith("16641"))).toBe(true);
    // THEN the runbook asks for 20.0.0 (2025.1), which deploys them (19.x has no relay group)
    const deploy = model.lifecycle.find((st) => st.id === "deploy")!.prerequisites;
    expect(deploy.find((i) => i.kind === "kolla-release")?.params.minimum).toBe("20.0.0 (2025.1)");
    expect(deploy).toContainEqual({
      kind: "kolla-release-ovn-relays",
      params: { release: "20.0.0 (2025.1)" },
    });
    // AND an Open vSwitch design keeps 19.0.0
    const ovs = example("three-node");
    expect(ovs.deploy.neutron.mechanism).toBe("ovs");
    expect(
      ovs.lifecycle
        .find((st) => st.id === "deploy")!
        .prerequisites.find((i) => i.kind === "kolla-release")?.params.minimum,
    ).toBe("19.0.0 (2024.2)");
  });

  test("puts the amphorae on the design's VLAN provider network, not a tenant network", () => {
    // GIVEN the public cloud's octavia network
    const model = example("public-cloud");
    const net = model.networks.find((n) => n.role === "octavia")!;
    // WHEN
    const globals = parse(deployFiles(model).get("deploy/kolla/globals.yml") as string);
    // THEN Kolla creates lb-mgmt as that VLAN of the bridged physical network
    const amp = globals.octavia_amp_network;
    expect(amp).toEqual({
      name: net.name,
      provider_network_type: "vlan",
      provider_physical_network: net.physicalNetwork,
      provider_segmentation_id: net.vlan,
      mtu: net.mtu,
      external: false,
      shared: false,
      subnet: {
        name: `${net.name}-subnet`,
        cidr: net.cidr,
        allocation_pool_start: net.allocationPool!.start,
        allocation_pool_end: net.allocationPool!.end,
        no_gateway_ip: true,
        enable_dhcp: true,
      },
    });
    expect(variables.structures.octavia_amp_network).toEqual(
      expect.arrayContaining(Object.keys(amp)),
    );
    expect(variables.structures["octavia_amp_network.subnet"]).toEqual(
      expect.arrayContaining(Object.keys(amp.subnet)),
    );
    // The computes bridge it (Kolla maps physical networks on computes only with this on).
    expect(globals.enable_neutron_provider_networks).toBe(true);
    // The pool leaves every controller's address out.
    const controllers = model.controlPlane.controllers.map(
      (c) => model.nodes.find((n) => n.name === c)!.addresses[net.name],
    );
    for (const address of controllers)
      expect(addressToBigInt(address)).toBeLessThan(
        addressToBigInt(amp.subnet.allocation_pool_start),
      );
    // AND the amphora image is raw where Glance keeps images in Ceph: Nova clones only raw RBD
    // images, and would download and convert a qcow2 one on every host at each failover
    expect(model.deploy.glance?.cephPool).toBeDefined();
    // (with Kolla's CA, which octavia-openrc.sh does not name, for its https auth URL)
    expect(deployFiles(model).get("deploy/README.md")).toContain(
      ". /etc/kolla/octavia-openrc.sh\nexport OS_CACERT=/etc/kolla/certificates/ca/root.crt\nopenstack image create amphora-x64-haproxy --container-format bare --disk-format raw \\\n  --private --tag amphora --file amphora-x64-haproxy.raw\n",
    );
    // AND the tenants stage waits for the image: every load balancer goes to ERROR without it
    expect(model.lifecycle.find((st) => st.id === "tenants")?.prerequisites).toContainEqual({
      kind: "amphora-image",
      params: {},
    });
  });

  test("the amphora image waits for Swift where Glance keeps images there", () => {
    // GIVEN Octavia, and images in Swift
    const model = load(
      variant((s) => {
        s.controlPlane.services.push("octavia", "swift");
        s.network.networks.push({
          name: "lb-mgmt",
          role: "octavia",
          cidr: "10.0.8.0/24",
          vlan: 105,
          physicalNetwork: "physnet-ext",
        });
        s.storage = { swift: swiftCluster(), image: { backend: "swift" } };
      }),
    ).model;
    // WHEN / THEN the README registers it after the Swift section, not in Kolla's
    const readme = deployFiles(model).get("deploy/README.md") as string;
    expect(model.deploy.glance.store).toBe("swift");
    expect(readme.indexOf("openstack image create amphora")).toBeGreaterThan(
      readme.indexOf(". Swift\n"),
    );
    expect(readme).toMatch(
      /Once Swift answers \(Glance keeps images there\),\s+register an amphora image/,
    );
  });

  test("an IPv6 octavia network gets the gateway Kolla's router takes, and SLAAC", () => {
    // GIVEN Octavia on an IPv6 amphora network without a declared gateway
    const model = load(
      variant((s) => {
        s.controlPlane.services.push("octavia");
        s.network.networks.push({
          name: "lb-mgmt",
          role: "octavia",
          cidr: "fd00:10:8::/64",
          vlan: 105,
          physicalNetwork: "physnet-ext",
        });
      }),
    ).model;
    // WHEN
    const globals = parse(deployFiles(model).get("deploy/kolla/globals.yml") as string);
    // THEN Neutron can plug Kolla's IPv6 router into the subnet (it refuses a subnet without a
    // gateway), the router announces the prefix, and the gateway is kept from every host
    const subnet = globals.octavia_amp_network.subnet;
    expect(subnet).toMatchObject({
      ip_version: 6,
      gateway_ip: "fd00:10:8::1",
      ipv6_address_mode: "slaac",
      ipv6_ra_mode: "slaac",
    });
    expect(subnet.no_gateway_ip).toBeUndefined();
    const net = model.networks.find((n) => n.name === "lb-mgmt")!;
    expect(net.reservations).toContainEqual({
      address: "fd00:10:8::1",
      purpose: "gateway",
      kind: "gateway",
    });
    expect(model.nodes.map((n) => n.addresses["lb-mgmt"])).not.toContain("fd00:10:8::1");
    // (the headroom counts what is left exactly: ::2 to ::a, below the controllers and the pool)
    expect(model.headroom.networks.find((n) => n.network === "lb-mgmt")?.free).toBe(9);
    expect(variables.structures["octavia_amp_network.subnet"]).toEqual(
      expect.arrayContaining(Object.keys(subnet)),
    );
  });

  test("each controller names its device on the octavia network in the inventory", () => {
    const model = example("public-cloud");
    const inventory = deployFiles(model).get("deploy/kolla/inventory") as string;
    const net = model.networks.find((n) => n.role === "octavia")!;
    for (const name of model.controlPlane.controllers) {
      const device = model.nodes
        .find((n) => n.name === name)!
        .interfaces.find((f) => f.network === net.name)!.device;
      expect(inventory).toMatch(
        new RegExp(`^${name} .*octavia_network_interface=${device}(\\s|$)`, "m"),
      );
    }
    // Computes carry no octavia_network_interface: the amphorae there are Neutron ports.
    expect(inventory).not.toMatch(/^north-1a-general-01 .*octavia_network_interface/m);
  });

  test("active-standby load balancers get two amphorae on different compute hosts", () => {
    // GIVEN the public cloud, whose load balancers are active-standby pairs
    const model = example("public-cloud");
    // (its eight tenants may make 26 load balancers: 52 amphorae)
    expect(model.controlPlane.octavia).toEqual({
      topology: "active-standby",
      amphoraePerLoadBalancer: 2,
      amphorae: { count: 52, vcpus: 52, ramGiB: 52 },
    });
    // WHEN
    const files = deployFiles(model);
    // THEN Kolla writes the topology into octavia.conf, and Octavia asks Nova for anti-affinity,
    // which it leaves off by default
    const globals = parse(files.get("deploy/kolla/globals.yml") as string);
    expect(globals.octavia_loadbalancer_topology).toBe("ACTIVE_STANDBY");
    expect(files.get("deploy/kolla/config/octavia.conf")).toContain(
      "[nova]\nenable_anti_affinity = true\nanti_affinity_policy = anti-affinity\n",
    );
    // AND Nova's scheduler runs the filter that keeps a server group's members apart
    expect(model.deploy.nova.enabledFilters).toContain("ServerGroupAntiAffinityFilter");
    // AND the HA table says how a load balancer survives its amphora's host
    expect(model.ha.find((r) => r.component === "Octavia control plane")?.kind).toBe(
      "octavia-active-standby",
    );
  });

  test("single load balancers keep Kolla's default and Octavia's own configuration", () => {
    // GIVEN Octavia without a topology
    const model = load(withOctavia()).model;
    // THEN one amphora each, as Kolla deploys it unless told
    expect(model.controlPlane.octavia).toEqual({
      topology: "single",
      amphoraePerLoadBalancer: 1,
      amphorae: { count: 0, vcpus: 0, ramGiB: 0 },
    });
    const files = deployFiles(model);
    expect(parse(files.get("deploy/kolla/globals.yml") as string)).not.toHaveProperty(
      "octavia_loadbalancer_topology",
    );
    // (its override holds the heartbeat key only: no anti-affinity for one amphora)
    const conf = files.get("deploy/kolla/config/octavia.conf") as string;
    expect(conf).toContain("[health_manager]\nheartbeat_key = {{ octavia_heartbeat_key }}\n");
    expect(conf).not.toContain("[nova]");
    expect(files.get("deploy/README.md")).toContain(
      // (once: run again, it leaves the key as it is, which every running amphora holds)
      `grep -q '^octavia_heartbeat_key:' /etc/kolla/passwords.yml || echo "octavia_heartbeat_key: '$(openssl rand -hex 32)'" >> /etc/kolla/passwords.yml`,
    );
    // AND run twice, the command keeps the key it made
    const readme = files.get("deploy/README.md") as string;
    const line = readme.split("\n").find((l) => l.startsWith("grep -q '^octavia_heartbeat_key:'"))!;
    const dir = tempDir("sw-passwords-");
    const passwords = path.join(dir, "passwords.yml");
    fs.writeFileSync(passwords, "keystone_admin_password: x\n");
    const command = line.replaceAll("/etc/kolla/passwords.yml", passwords);
    execFileSync("/bin/sh", ["-c", command]);
    const first = fs.readFileSync(passwords, "utf8");
    execFileSync("/bin/sh", ["-c", command]);
    expect(fs.readFileSync(passwords, "utf8")).toBe(first);
    expect(first).toMatch(/^keystone_admin_password: x\noctavia_heartbeat_key: '[0-9a-f]{64}'\n$/);
    fs.rmSync(dir, { recursive: true, force: true });
    // AND the deploy stage asks for it: Kolla stops rendering the file without it
    expect(model.lifecycle.flatMap((st) => st.prerequisites)).toContainEqual({
      kind: "octavia-heartbeat-key",
      params: { variable: "octavia_heartbeat_key", dir: "/etc/kolla" },
    });
    expect(model.ha.find((r) => r.component === "Octavia control plane")?.kind).toBe("octavia");
  });

  test("amphorae pinned to a pool get Kolla's flavor asking for it, as the pools' flavors do", () => {
    // GIVEN Octavia's amphorae on pool app (the az2 pool), beside pool web
    const model = load(withOctavia((s) => (s.controlPlane.octaviaPool = "app"))).model;
    // THEN Kolla makes its amphora flavor with the pool's aggregate key, its sizes as its own
    const globals = parse(deployFiles(model).get("deploy/kolla/globals.yml") as string);
    expect(globals.octavia_amp_flavor).toEqual({
      name: "amphora",
      is_public: false,
      vcpus: 1,
      ram: 1024,
      disk: 5,
      extra_specs: { "aggregate_instance_extra_specs:pool": "az2-app" },
    });
    // AND without a pool Kolla keeps its own flavor, asking for none
    const free = parse(
      deployFiles(load(withOctavia()).model).get("deploy/kolla/globals.yml") as string,
    );
    expect(free.octavia_amp_flavor).toBeUndefined();
    // AND a pool that is not there, or pins CPUs, is refused where it is named
    const refused = (pool: string, edit: (s: any) => void = () => undefined) =>
      issuesOf(
        withOctavia((s) => {
          s.controlPlane.octaviaPool = pool;
          edit(s);
        }),
      ).map((i) => [i.code, formatPath(i.path), i.message]);
    expect(refused("db")).toEqual([
      [
        "octavia-pool",
        "controlPlane.octaviaPool",
        "no pool is named db (az1-web, az2-app): name one of them",
      ],
    ]);
    expect(refused("app", (s) => (s.zones[1].pools[0].cpuPinning = true))[0]?.slice(0, 2)).toEqual([
      "octavia-pool",
      "controlPlane.octaviaPool",
    ]);
    // AND pairs of amphorae need two hosts in that pool (Nova anti-affinity)
    expect(
      refused("app", (s) => {
        s.controlPlane.octaviaTopology = "active-standby";
        s.zones[1].pools[0].hosts = 1;
      }).map((r) => r.slice(0, 2)),
    ).toContainEqual(["octavia-standby-hosts", "controlPlane.octaviaTopology"]);
    // (a pool that pins CPUs is refused as such, not for its hosts)
    expect(
      refused("app", (s) => {
        s.controlPlane.octaviaTopology = "active-standby";
        s.zones[1].pools[0].cpuPinning = true;
      }).map((r) => r[0]),
    ).not.toContain("octavia-standby-hosts");
    // AND a pool kept for them alone, without flavors, is not said to place nothing
    const kept = load(
      withOctavia((s) => {
        s.zones[1].pools.push({
          name: "lb",
          purpose: { tier: "web" },
          hosts: 2,
          hardware: "cmp",
          flavors: [],
        });
        s.controlPlane.octaviaPool = "lb";
      }),
    );
    expect(kept.warnings.map((w) => w.code)).not.toContain("pool-no-flavors");
    // AND a pool for amphorae without Octavia does nothing, and says so
    const idle = load(variant((s) => (s.controlPlane.octaviaPool = "app")));
    expect(idle.warnings.map((w) => [w.code, formatPath(w.path)])).toContainEqual([
      "octavia-pool-unused",
      "controlPlane.octaviaPool",
    ]);
  });

  test("the amphorae the tenants' load-balancer quotas allow take their share of Octavia's pool", async () => {
    // GIVEN a tenant on pool app, where Octavia's amphorae are pinned, allowed 10 load balancers
    const design = (cores: number, loadBalancers: number) =>
      withOctavia((s) => {
        s.controlPlane.octaviaPool = "app";
        s.tenants = [{ name: "a", pool: "app", quota: { cores, ramGiB: 64, loadBalancers } }];
      });
    const { model } = load(design(16, 10));
    expect(model.controlPlane.octavia?.amphorae).toEqual({ count: 10, vcpus: 10, ramGiB: 10 });
    // THEN the pool's headroom counts them as it would 10 more cores of quota
    const row = (m: typeof model) => m.headroom.pools.find((p) => p.pool === "az2-app")!;
    expect(row(model)).toMatchObject({
      quotaVcpus: 16,
      amphorae: { count: 10, vcpus: 10, ramGiB: 10 },
    });
    expect(row(model).vcpuHeadroom).toBe(row(load(design(26, 0)).model).vcpuHeadroom);
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "Pool az2-app also runs Octavia's amphorae (controlPlane.octaviaPool): the tenants' load-balancer quotas let Octavia boot 10, which take 10 vCPUs and 10 GiB RAM there; its headroom counts them.",
    );
    // AND a quota that fits the pool alone is refused once the amphorae are counted beside it
    const room = model.pools.find((p) => p.id === "az2-app")!.capacity.quotableCpus;
    expect(load(design(room - 5, 0)).model.tenants).toHaveLength(1);
    expect(
      issuesOf(design(room - 5, 10))
        .filter((i) => i.code === "quota-exceeds-capacity")
        .map((i) => [formatPath(i.path), i.message]),
    ).toEqual([
      // (at the load balancers: the tenant's cores alone fit)
      [
        "tenants[0].quota.loadBalancers",
        `tenant core quotas on pool az2-app add up to ${room + 5}, with the 10 vCPUs of the 10 amphorae the tenants' load-balancer quotas let Octavia boot there (controlPlane.octaviaPool; fewer quota.loadBalancers, or another pool, leave the tenants more), but it offers ${room} vCPUs after allocation ratios and N+1 headroom (the tenants' quotas alone fit; the largest load-balancer quota is tenant a's, 10)`,
      ],
    ]);
    // AND cores past the pool alone are said at the cores
    expect(
      issuesOf(design(room + 1, 10))
        .filter((i) => i.code === "quota-exceeds-capacity")
        .map((i) => formatPath(i.path)),
    ).toEqual(["tenants[0].quota.cores"]);
  });

  test("amphorae that tip the cloud's sum over are said at the largest load-balancer quota", () => {
    // GIVEN two tenants on no pool whose cores fill the cloud but for 3 vCPUs, one with 4 load
    // balancers of active-standby pairs (8 amphorae)
    const design = (cores: number) =>
      withOctavia((s) => {
        s.tenants = [
          { name: "a", quota: { cores, ramGiB: 16, loadBalancers: 0 } },
          { name: "b", quota: { cores: 1, ramGiB: 16, loadBalancers: 4 } },
        ];
      });
    const { model } = load(design(1));
    const room = model.pools.reduce((t, p) => t + p.capacity.quotableCpus, 0);
    const lb = model.controlPlane.octavia!.amphorae;
    // THEN the error stands at tenant b's load balancers, not at a's cores
    const found = issuesOf(design(room - 1 - lb.vcpus + 1)).filter(
      (i) => i.code === "quota-exceeds-capacity",
    );
    expect(found.map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        "tenants[1].quota.loadBalancers",
        `tenant core quotas on the cloud add up to ${room + 1}, with the ${lb.vcpus} vCPUs of the ${lb.count} amphorae the tenants' load-balancer quotas let Octavia boot, but it offers ${room} vCPUs after allocation ratios and N+1 headroom (the tenants' quotas alone fit; the largest load-balancer quota is tenant b's, 4)`,
      ],
    ]);
  });

  test("a pool only the amphorae use is named at controlPlane.octaviaPool, in their words", () => {
    const design = (loadBalancers: number) =>
      withOctavia((s) => {
        s.controlPlane.octaviaPool = "app";
        s.tenants = [{ name: "a", pool: "web", quota: { cores: 8, ramGiB: 16, loadBalancers } }];
      });
    const room = load(design(0)).model.pools.find((p) => p.id === "az2-app")!.capacity.quotableCpus;
    // (each amphora takes 1 vCPU and 1 GiB: the pool's RAM runs short too)
    expect(
      issuesOf(design(room + 1))
        .filter((i) => i.code === "quota-exceeds-capacity")
        .map((i) => [formatPath(i.path), i.message])[0],
    ).toEqual([
      "controlPlane.octaviaPool",
      `Octavia's amphorae on pool az2-app, the ${room + 1} the tenants' load-balancer quotas let it boot, need ${room + 1} vCPUs, but it offers ${room} vCPUs after allocation ratios and N+1 headroom`,
    ]);
  });

  test("tenants on no pool get what their flavors' pools keep after the amphorae there", () => {
    // GIVEN the public cloud with its amphorae on pool general, whose tenants on no pool reach
    // only it and dedicated (the memory pool's flavors made private), Harbor Labs' cores raised
    const spec = parse(fs.readFileSync(path.join(ROOT, "examples/public-cloud.yaml"), "utf8"));
    spec.controlPlane.octaviaPool = "general";
    for (const z of spec.zones)
      for (const p of z.pools) if (p.name === "memory") for (const f of p.flavors) f.public = false;
    const harbor = spec.tenants.find((t: { name: string }) => t.name === "Harbor Labs");
    harbor.quota.cores = 5304;
    // THEN the 52 amphora vCPUs leave the quotas 28 vCPUs short
    expect(
      issuesOf(spec)
        .filter((i) => i.code === "quota-exceeds-capacity")
        .map((i) => i.message),
    ).toEqual([
      "tenant core quotas on no pool, which boot only on the pools their flavors reach (north-1a-dedicated, north-1a-general), less what the tenants on those pools and Octavia's amphorae take there, add up to 6640, but it offers 6612 vCPUs after allocation ratios and N+1 headroom (the largest of the 8 quotas is tenant Harbor Labs's, 5304)",
    ]);
  });

  test("the runbook names the heartbeat key's variable as it is spelt, underscores unescaped", async () => {
    const model = loadSpecFile(path.join(ROOT, "examples/public-cloud.yaml")).model;
    const { files } = await renderArchitecture(model);
    const runbook = String(files.get("RUNBOOK.md"));
    expect(runbook).toContain("`octavia_heartbeat_key` is in /etc/kolla/passwords.yml");
    expect(runbook).not.toContain("octavia\\_heartbeat");
  });
});

describe("Gnocchi, Ceilometer's metric store", () => {
  const telemetry = (edit: (s: any) => void = () => {}) =>
    load(
      variant((s) => {
        s.controlPlane.services.push("ceilometer");
        edit(s);
      }),
    ).model;

  test("public-cloud passes Kolla's ceilometer precheck with Gnocchi on a Ceph pool", () => {
    // GIVEN the public cloud, Ceilometer with Ceph
    const model = example("public-cloud");
    // WHEN
    const files = deployFiles(model);
    const globals = parse(files.get("deploy/kolla/globals.yml") as string);
    // THEN roles/ceilometer/tasks/precheck.yml holds: a publisher is on
    expect(globals.enable_ceilometer).toBe(true);
    expect(globals.enable_gnocchi || globals.enable_ceilometer_prometheus_pushgateway).toBe(true);
    expect(globals).toMatchObject({
      gnocchi_backend_storage: "ceph",
      ceph_gnocchi_pool_name: "gnocchi",
      ceph_gnocchi_user: "gnocchi",
    });
    // and the pool, its PGs and the keyring Kolla copies (external_ceph.yml) exist.
    const pool = model.storage.ceph?.pools.find((p) => p.application === "metrics");
    expect(pool).toMatchObject({ name: "gnocchi", pgNum: 32 });
    const pools = files.get("deploy/ceph/pools.sh") as string;
    expect(pools).toContain(
      "ceph osd pool create gnocchi 32 32 replicated rack-hdd --autoscale-mode=off\n",
    );
    expect(pools).toContain("ceph osd pool application enable gnocchi gnocchi\n");
    // (the key got or made alone, then its caps set: get-or-create refuses an existing user
    // whose caps differ, as on a cluster where a later design adds a pool)
    expect(pools).toContain(
      "ceph auth get-or-create client.gnocchi -o /etc/ceph/ceph.client.gnocchi.keyring\nchmod 0600 /etc/ceph/ceph.client.gnocchi.keyring\nceph auth caps client.gnocchi mon 'allow r' osd 'allow rwx pool=gnocchi'\n",
    );
    expect(files.get("deploy/README.md")).toContain(
      'install -D -m 0640 -t /etc/kolla/config/gnocchi "$scratch/ceph.conf" "$scratch/ceph.client.gnocchi.keyring"\n',
    );
    expect(files.has("deploy/kolla/config/gnocchi.conf")).toBe(false);
  });

  test("a declared metrics pool is Gnocchi's; on erasure-coded Ceph it is replicated (omap)", () => {
    // GIVEN erasure-coded Ceph with a metrics pool of the spec's own
    const model = telemetry((s) => {
      s.storage = erasureCodedStorage({
        pools: [
          { name: "volumes", application: "volumes", dataShare: 0.8 },
          { name: "images", application: "images", dataShare: 0.1 },
          { name: "metrics", application: "metrics", dataShare: 0.1 },
        ],
      });
    });
    // WHEN
    const files = deployFiles(model);
    // THEN
    expect(model.storage.ceph?.pools.map((p) => p.name)).toEqual(["images", "metrics", "volumes"]);
    expect(parse(files.get("deploy/kolla/globals.yml") as string).ceph_gnocchi_pool_name).toBe(
      "metrics",
    );
    const pools = files.get("deploy/ceph/pools.sh") as string;
    expect(pools).toContain(
      "ceph osd crush rule create-replicated host-hdd-replicated default host hdd\n",
    );
    expect(pools).toContain(
      "ceph osd pool create metrics 32 32 replicated host-hdd-replicated --autoscale-mode=off\n",
    );
    expect(pools).toContain("ceph osd pool set metrics size 3\n");
    expect(pools).toContain("ceph osd pool create volumes ");
    expect(pools).toContain(" erasure host-hdd --autoscale-mode=off\n");
  });

  test("without Ceph, Gnocchi writes to Swift through a gnocchi.conf override", () => {
    // GIVEN Swift and no Ceph
    const model = telemetry((s) => {
      s.controlPlane.services.push("swift");
      s.storage = { swift: swiftCluster() };
    });
    // WHEN
    const files = deployFiles(model);
    // THEN Kolla's template writes no Swift storage: the override does, with Kolla's variables
    expect(parse(files.get("deploy/kolla/globals.yml") as string)).toMatchObject({
      enable_gnocchi: true,
      gnocchi_backend_storage: "swift",
    });
    const conf = files.get("deploy/kolla/config/gnocchi.conf") as string;
    expect(section(conf, "storage")).toMatchObject({
      driver: "swift",
      swift_auth_version: "3",
      swift_authurl: "{{ keystone_internal_url ~ '/v3' }}",
      swift_key: "{{ gnocchi_keystone_password }}",
      swift_endpoint_type: "internalURL",
      // (gnocchi/storage/swift.py's option; the internal endpoint's certificate is Kolla's CA's)
      swift_cacert: "{{ openstack_cacert }}",
    });
    // AND the runbook deploys Gnocchi and Ceilometer once Swift answers: Gnocchi's bootstrap
    // makes its containers there, and Swift is installed after Kolla's post-deploy
    const stage = (id: string) => model.lifecycle.find((st) => st.id === id);
    expect(stage("deploy")?.commands).toContain(
      "kolla-ansible deploy -i deploy/kolla/inventory --skip-tags gnocchi,ceilometer",
    );
    expect(stage("platform")?.prerequisites.map((i) => i.kind)).toContain("swift-outside-kolla");
    expect(stage("platform")?.commands[0]).toBe(
      "kolla-ansible deploy -i deploy/kolla/inventory -t loadbalancer,gnocchi,ceilometer",
    );
    // (HAProxy takes Gnocchi's frontend only when the loadbalancer play restarts it, and the
    // services said to answer before that command leave Ceilometer out)
    expect(
      stage("platform")?.prerequisites.find((i) => i.kind === "services-enabled")?.params.services,
    ).not.toContain("ceilometer");
    expect(files.get("deploy/README.md")).toContain("operator_roles");
  });

  test("one controller without Ceph or Swift keeps the metrics on its disk", () => {
    const model = telemetry((s) => (s.controlPlane.controllers = 1));
    const globals = parse(deployFiles(model).get("deploy/kolla/globals.yml") as string);
    expect(globals).toMatchObject({ enable_gnocchi: true, gnocchi_backend_storage: "file" });
    expect(globals.ceph_gnocchi_pool_name).toBeUndefined();
  });

  test("fails when controllers could not share the metrics: names the ceilometer entry", () => {
    const issues = issuesOf(variant((s) => s.controlPlane.services.push("ceilometer")));
    expect(issues.map((i) => [i.code, formatPath(i.path)])).toContainEqual([
      "metric-store-missing",
      "controlPlane.services[8]",
    ]);
  });

  test("no Ceilometer, no Gnocchi: other designs' globals do not change", () => {
    const globals = parse(
      deployFiles(load(variant(() => {})).model).get("deploy/kolla/globals.yml") as string,
    );
    expect(Object.keys(globals).filter((k) => k.includes("gnocchi"))).toEqual([]);
  });
});

describe("all deploy files", () => {
  test("are byte-identical run to run and hold no secret", () => {
    for (const name of ["enterprise-reference", "trystack", "public-cloud"]) {
      const a = deployFiles(example(name));
      const b = deployFiles(example(name));
      expect([...a]).toEqual([...b]);
      for (const [file, content] of a) {
        // A value Kolla fills from a passwords.yml variable is no secret of the output.
        const secret =
          /^\s*(password|secret|key)\s*=(?!\s*"\{\{ \w+ \| string \| replace\('\$', '\$\$'\) \}\}"$)/im;
        expect([file, secret.test(content)]).toEqual([file, false]);
      }
      expect(a.get("deploy/README.md")).toContain("kolla-genpwd");
      expect(a.get("deploy/README.md")).toContain("passwords.yml");
    }
  });

  test("globals.yml names no interface: extra-vars would override the inventory's per host", () => {
    const globals = parse(
      deployFiles(example("enterprise-reference")).get("deploy/kolla/globals.yml") as string,
    );
    expect(Object.keys(globals).filter((k) => k.endsWith("_interface"))).toEqual([]);
  });
});

/** The base design with one domain, corp, on the given directory. */
function ldapDomain(ldap: Record<string, unknown>) {
  return load(
    variant((s) => {
      s.identity = { domains: [{ name: "corp", ldap }] };
    }),
  );
}

test("Swift servers on an IPv6 storage network are told to bind ::, which their rings' addresses reach", () => {
  // GIVEN Swift with its storage network IPv6 (swift.common.wsgi.get_socket: 0.0.0.0 is IPv4 only)
  const design = (cidr: string) =>
    load(
      variant((s) => {
        s.network.networks.find((n: { role: string }) => n.role === "storage").cidr = cidr;
        s.controlPlane.services.push("swift");
        s.storage = { swift: swiftCluster() };
      }),
    ).model;
  const readme = (cidr: string) => deployFiles(design(cidr)).get("deploy/README.md") as string;
  // THEN IPv6 asks for ::, IPv4 keeps Swift's default
  expect(design("fd00:3::/64").storage.swift?.bindIp).toBe("::");
  expect(readme("fd00:3::/64")).toContain("`bind_ip` to `::`");
  expect(readme("10.0.3.0/24")).not.toContain("`::`");
});

test("an IPv6-only Ceph binds no IPv4 address, an IPv4 one keeps Ceph's defaults", () => {
  // GIVEN Ceph on an IPv6 storage network
  const design = (cidr: string) =>
    load(
      variant((s) => {
        s.network.networks.find((n: { role: string }) => n.role === "storage").cidr = cidr;
        s.storage = {
          ceph: cephCluster({ nodes: 3 }),
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
  const v6 = design("fd00:3::/64");
  expect(v6.deploy.ceph?.ipv6Only).toBe(true);
  // THEN after cephadm's bootstrap (which turns on ms_bind_ipv6) IPv4 binding goes off, or the
  // daemons look for an IPv4 address on the IPv6 networks
  const readme = deployFiles(v6).get("deploy/README.md") as string;
  expect(readme).toMatch(
    /cephadm bootstrap --mon-ip fd00:3::[0-9a-f]+\n[^`]*ceph config set global ms_bind_ipv4 false\n/,
  );
  // AND an IPv4 cluster is left as Ceph binds by default
  expect(deployFiles(design("10.0.3.0/24")).get("deploy/README.md")).not.toContain("ms_bind");
});
