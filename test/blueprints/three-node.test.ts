import {
  resourcesInAll,
  resourcesOf,
  synthesizeExample,
  type SynthesizedExample,
} from "../support/blueprints";

describe("three-node blueprint", () => {
  let example: SynthesizedExample;
  let platform: any;
  beforeAll(async () => {
    // GIVEN the three-node example WHEN it is synthesized
    example = await synthesizeExample("three-node");
    platform = example.stacks["platform"];
  });

  test("has exactly the three roles: one controller, one network node, one compute node", () => {
    // THEN
    const roles = example.loaded.model.nodes.map((n) => `${n.role}:${n.name}`);
    expect(roles).toEqual(["controller:ctrl-01", "network:net-01", "compute:lab-compute-01"]);
    expect(example.loaded.warnings.map((w) => w.code)).toEqual(["controllers-single"]);
  });

  test("creates no instance: without an undercloud the three hosts already exist", () => {
    // THEN
    expect(resourcesInAll(example.stacks, "openstack_compute_instance_v2")).toHaveLength(0);
    expect(Object.keys(example.stacks).sort()).toEqual(["platform", "tenant-demo"]);
  });

  test("has a network node and a compute node in the inventory, the IP plan and the BOM", () => {
    // THEN
    const { model } = example.loaded;
    for (const role of ["network", "compute"] as const) {
      const node = model.nodes.find((n) => n.role === role);
      expect(node?.addresses["private"]).toMatch(/^172\.16\.0\./);
      expect(model.inventory).toContainEqual(expect.objectContaining({ role, count: 1 }));
    }
    const privateNet = model.networks.find((n) => n.name === "private");
    // controller, network node and compute node each hold an address of the plan
    expect(privateNet?.allocatedAddresses).toBe(3);
    expect(model.inventory.map((r) => [r.role, r.roles, r.hardware, r.count])).toEqual([
      ["controller", ["controller", "deployer"], "controller", 1],
      ["network", ["network"], "network-node", 1],
      ["compute", ["compute"], "compute", 1],
    ]);
  });

  test("puts each switch on its own bond: private on bond0, public on bond1", () => {
    // THEN
    const { model } = example.loaded;
    const controller = model.nodes.find((n) => n.role === "controller");
    expect(controller?.interfaces.map((i) => [i.network, i.device, i.parent, i.address])).toEqual([
      ["private", "bond0", "bond0", "172.16.0.11"],
      ["public", "bond1", "bond1", "10.10.0.11"],
    ]);
    expect(controller?.links.map((l) => [l.device, l.members, l.mode])).toEqual([
      ["bond0", ["eno1"], "active-backup"],
      ["bond1", ["eno2"], "active-backup"],
    ]);
    expect(model.switches.map((sw) => [sw.name, sw.networks])).toEqual([
      ["sw-0a", ["private"]],
      ["sw-1a", ["public"]],
    ]);
  });

  test("the private switch trunks the tenant VLAN range its bonds feed into Open vSwitch", () => {
    // GIVEN tenant VLANs on physnet-private, which rides bond0 (the private switch)
    const { model } = example.loaded;
    // THEN that switch trunks 1000-1999, the public one nothing, and the runbook says so
    expect(model.switches.map((sw) => [sw.name, sw.vlans, sw.vlanRanges])).toEqual([
      ["sw-0a", [], [{ min: 1000, max: 1999 }]],
      ["sw-1a", [], undefined],
    ]);
    // (with the hosts' private network untagged on its ports, their native VLAN, and the
    // public network untagged on the public switch's)
    const cabling = model.lifecycle
      .flatMap((s) => s.prerequisites)
      .find((i) => i.kind === "switches-native");
    expect(cabling?.params).toMatchObject({ vlans: ["1000-1999"], native: ["private", "public"] });
  });

  test("hands Open vSwitch a veth per bond on the network node; its addresses move to bridges", () => {
    // THEN each bond of net-01 joins a Linux bridge with a veth whose OVS end feeds the bridge of
    // the physical network on that switch; the untagged addresses sit on the Linux bridges
    const { model } = example.loaded;
    const net = model.nodes.find((n) => n.name === "net-01");
    expect(net?.links.map((l) => [l.device, l.mtu, l.bridge])).toEqual([
      [
        "bond0",
        1500,
        {
          device: "brbond0",
          patch: "p-brbond0-phy",
          ovsPatch: "p-brbond0-ovs",
          physicalNetworks: ["physnet-private"],
        },
      ],
      [
        "bond1",
        1500,
        {
          device: "brbond1",
          patch: "p-brbond1-phy",
          ovsPatch: "p-brbond1-ovs",
          physicalNetworks: ["physnet-public"],
        },
      ],
    ]);
    // (the public network's routers reach it through br-ex2: the host has no address there)
    expect(net?.interfaces.map((i) => [i.network, i.device, i.address])).toEqual([
      ["private", "brbond0", "172.16.0.12"],
    ]);
    expect(
      model.deploy.hosts.find((h) => h.name === "net-01")?.bridges.map((b) => [b.bridge, b.device]),
    ).toEqual([
      ["br-ex", "p-brbond0-ovs"],
      ["br-ex2", "p-brbond1-ovs"],
    ]);
  });

  test("creates the public switch in Neutron; the private switch stays host networking", () => {
    // THEN only the external network is a Neutron network: the management network is configured
    // on the hosts (netplan, Kolla), tenant VLANs ride its physical network
    const networks = resourcesOf(platform, "openstack_networking_network_v2");
    expect(networks.map((n) => [n.name, n.external, n.segments[0].network_type])).toEqual([
      ["poc-public", true, "flat"],
    ]);
    const subnets = resourcesOf(platform, "openstack_networking_subnet_v2");
    expect(subnets.map((s) => [s.name, s.cidr, s.enable_dhcp])).toEqual([
      ["poc-public-subnet", "10.10.0.0/24", false],
    ]);
    expect(subnets[0].allocation_pool).toEqual([{ start: "10.10.0.100", end: "10.10.0.200" }]);
  });

  test("puts the one hypervisor in one aggregate with no spare host", () => {
    // THEN
    const aggregates = resourcesOf(platform, "openstack_compute_aggregate_v2");
    expect(aggregates).toHaveLength(1);
    expect(aggregates[0].hosts).toEqual(["lab-compute-01"]);
    expect(example.loaded.model.pools[0].capacity.spareHosts).toBe(0);
  });

  test("runs the DHCP, L3 and metadata agents on the network node, on both switches", () => {
    // THEN
    const { model } = example.loaded;
    expect(model.nodes.find((n) => n.role === "network")?.addresses).toEqual({
      private: "172.16.0.12",
    });
    expect(model.ha.find((r) => r.component === "Neutron L3/DHCP agents")?.mechanism).toMatch(
      /on network nodes/,
    );
    expect(model.ports).toContainEqual(
      expect.objectContaining({ service: "nova-metadata", from: "network-nodes" }),
    );
  });

  test("routes the demo tenant to the public switch", () => {
    // THEN
    const routers = resourcesOf(example.stacks["tenant-demo"], "openstack_networking_router_v2");
    expect(routers).toHaveLength(1);
    expect(routers[0].external_network_id).toBe(
      "${data.terraform_remote_state.platform.outputs.external_network_id}",
    );
    expect(example.stacks.platform.output.external_network_id.value).toBe(
      "${openstack_networking_network_v2.cloud_network_public.id}",
    );
  });
});
