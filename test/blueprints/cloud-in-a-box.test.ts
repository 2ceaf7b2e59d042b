import { resourcesOf, synthesizeExample, type SynthesizedExample } from "../support/blueprints";

describe("cloud-in-a-box blueprint", () => {
  let example: SynthesizedExample;
  let platform: any;
  let controllerRules: Record<string, any>[];
  beforeAll(async () => {
    // GIVEN the cloud-in-a-box example WHEN it is synthesized
    example = await synthesizeExample("cloud-in-a-box");
    platform = example.stacks["platform"];
    controllerRules = resourcesOf(platform, "openstack_networking_secgroup_rule_v2");
  });

  test("converges the UI, APIs, Galera and RabbitMQ on three HA control nodes", () => {
    // THEN
    const { model } = example.loaded;
    expect(model.nodes.filter((n) => n.role === "controller")).toHaveLength(3);
    expect(resourcesOf(platform, "openstack_compute_instance_v2")).toEqual([]);
    expect(model.controlPlane.services).toContain("horizon");
    const ha = Object.fromEntries(model.ha.map((r) => [r.component, r]));
    expect(ha["Database"]).toMatchObject({ nodes: 3, failuresTolerated: 1 });
    expect(ha["Message queue"]).toMatchObject({ nodes: 3, failuresTolerated: 1 });
    const galera = controllerRules.find(
      (r) => r.port_range_min === 4567 && r.protocol === "tcp" && r.direction === "ingress",
    );
    expect(galera?.remote_group_id).toBe(galera?.security_group_id);
  });

  test("lists its storage nodes as block-storage hosts serving both LVM backends", () => {
    // THEN
    const { model } = example.loaded;
    const storage = model.nodes.filter((n) => n.role === "block-storage");
    expect(storage.map((n) => n.name)).toEqual(["vol-01", "vol-02", "vol-03"]);
    for (const n of storage) expect(n.addresses.storage).toMatch(/^10\.70\.3\./);
    expect(model.inventory).toContainEqual(
      expect.objectContaining({ role: "block-storage", hardware: "storage-node", count: 3 }),
    );
    expect(model.storage.backends.map((b) => [b.name, b.targetProtocol, b.hosts])).toEqual([
      ["lvm-iscsi", "iscsi", ["vol-01", "vol-02", "vol-03"]],
      ["lvm-iser", "iser", ["vol-01", "vol-02", "vol-03"]],
    ]);
    expect(model.ha).toContainEqual(
      expect.objectContaining({ kind: "block-storage-nodes", nodes: 3, failuresTolerated: 0 }),
    );
  });

  test("runs the SDN overlay on Geneve tunnels, the control nodes as L3 gateway", () => {
    // THEN
    const { model } = example.loaded;
    expect(model.network.tenantNetworkType).toBe("geneve");
    expect(model.controlPlane.networkNodes).toEqual([]);
    expect(Object.keys(model.nodes.find((n) => n.role === "controller")?.addresses ?? {})).toEqual(
      expect.arrayContaining(["tunnel", "plant"]),
    );
    const geneve = controllerRules.filter((r) => r.protocol === "udp" && r.port_range_min === 6081);
    expect(geneve.length).toBeGreaterThan(0);
    // Tunnel traffic only from the other control nodes or from the tunnel network.
    for (const r of geneve)
      expect(
        r.remote_group_id === r.security_group_id || r.remote_ip_prefix === "10.70.2.0/24",
      ).toBe(true);
    const tenantNet = resourcesOf(example.stacks["tenant-mes"], "openstack_networking_network_v2");
    expect(tenantNet[0].mtu).toBe(9000 - 58);
  });

  test("filters with security groups, not with OVN's stateless router firewall", () => {
    // THEN
    expect(resourcesOf(platform, "openstack_fw_policy_v2")).toHaveLength(0);
    for (const name of ["tenant-mes", "tenant-plant-it"]) {
      expect(resourcesOf(example.stacks[name], "openstack_fw_group_v2")).toHaveLength(0);
      const ssh = resourcesOf(example.stacks[name], "openstack_networking_secgroup_rule_v2").filter(
        (r) => r.port_range_min === 22,
      );
      expect(ssh.map((r) => r.remote_ip_prefix)).toEqual(["10.1.100.0/24"]);
    }
  });

  test("serves volumes from LVM iSCSI and iSER targets over a jumbo-frame storage network", () => {
    // THEN
    const types = resourcesOf(platform, "openstack_blockstorage_volume_type_v3");
    expect(
      types.map((t) => [t.name, t.extra_specs.volume_backend_name, t.is_public]).sort(),
    ).toEqual([
      ["fast", "lvm-iser", false],
      ["standard", "lvm-iscsi", true],
    ]);
    expect(example.loaded.model.storage.backends.map((b) => b.kind)).toEqual(["lvm", "lvm"]);
    // The storage VLAN is host networking (netplan, Kolla), not a Neutron network.
    const storage = example.loaded.model.networks.find((n) => n.name === "storage");
    expect(storage).toMatchObject({ mtu: 9000, neutron: false });
    expect(
      resourcesOf(platform, "openstack_networking_network_v2").map((n) => n.name),
    ).not.toContain("box-storage");
    // Only the tenant that names the private iSER type gets access to it.
    expect(
      resourcesOf(example.stacks["tenant-mes"], "openstack_blockstorage_volume_type_access_v3"),
    ).toHaveLength(1);
    expect(
      resourcesOf(
        example.stacks["tenant-plant-it"],
        "openstack_blockstorage_volume_type_access_v3",
      ),
    ).toHaveLength(0);
  });

  test("puts the compute nodes in one aggregate with a spare host", () => {
    // THEN
    const aggregates = resourcesOf(platform, "openstack_compute_aggregate_v2");
    expect(aggregates).toHaveLength(1);
    expect(aggregates[0].hosts).toHaveLength(6);
    expect(example.loaded.model.pools[0].capacity.spareHosts).toBe(1);
  });
});
