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
    expect(roles).toEqual(["controller:ctrl-01", "network:net-01", "compute:nova-compute-01"]);
    expect(example.loaded.warnings.map((w) => w.code)).toEqual(["controllers-single"]);
  });

  test("provisions exactly one controller instance", () => {
    // THEN
    const instances = resourcesInAll(example.stacks, "openstack_compute_instance_v2");
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({ name: "poc-ctrl-01", metadata: { role: "controller" } });
  });

  test("has exactly two networks: the public switch and the private switch", () => {
    // THEN
    const networks = resourcesOf(platform, "openstack_networking_network_v2");
    expect(networks.map((n) => [n.name, n.external, n.segments[0].network_type])).toEqual([
      ["poc-private", false, "flat"],
      ["poc-public", true, "flat"],
    ]);
    const subnets = resourcesOf(platform, "openstack_networking_subnet_v2");
    expect(subnets.map((s) => [s.name, s.cidr]).sort()).toEqual([
      ["poc-private-subnet", "172.16.0.0/24"],
      ["poc-public-subnet", "10.10.0.0/24"],
    ]);
    expect(subnets.find((s) => s.cidr === "10.10.0.0/24")?.allocation_pool).toEqual([
      { start: "10.10.0.100", end: "10.10.0.200" },
    ]);
  });

  test("puts the one hypervisor in one aggregate with no spare host", () => {
    // THEN
    const aggregates = resourcesOf(platform, "openstack_compute_aggregate_v2");
    expect(aggregates).toHaveLength(1);
    expect(aggregates[0].hosts).toEqual(["nova-compute-01"]);
    expect(example.loaded.model.pools[0].capacity.spareHosts).toBe(0);
  });

  test("runs the DHCP, L3 and metadata agents on the network node, on both switches", () => {
    // THEN
    const { model } = example.loaded;
    expect(model.nodes.find((n) => n.role === "network")?.addresses).toEqual({
      private: "172.16.0.12",
      public: "10.10.0.12",
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
    expect(routers[0].external_network_id).toContain("cloud_network_public");
  });
});
