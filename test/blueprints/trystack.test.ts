import {
  refTo,
  resourcesOf,
  synthesizeExample,
  type SynthesizedExample,
} from "../support/blueprints";
import { renderArchitecture } from "../support/documents";
import { stackReadme } from "../../synth/stack-readme";

describe("trystack blueprint", () => {
  let example: SynthesizedExample;
  let platform: any;
  beforeAll(async () => {
    // GIVEN the trystack example WHEN it is synthesized
    example = await synthesizeExample("trystack");
    platform = example.stacks["platform"];
  });

  test("fronts the APIs with keepalived VIPs the deployer configures on the controllers", () => {
    // THEN
    const { model } = example.loaded;
    expect(model.vips.map((v) => v.address)).toEqual(["10.40.1.10", "198.51.100.10"]);
    expect(model.controlPlane.loadBalancer).toBe("keepalived");
    expect(model.controlPlane.virtualRouterId).toBe(51);
    const controllers = model.nodes.filter((n) => n.role === "controller");
    expect(controllers).toHaveLength(3);
    // Each controller holds an address on the VIPs' networks, where keepalived runs.
    for (const c of controllers) expect(Object.keys(c.addresses)).toContain("api");
    expect(resourcesOf(platform, "openstack_compute_instance_v2")).toEqual([]);
  });

  test("lists its ZFS volume hosts in the inventory, the IP plan, the BOM and the HA table", () => {
    // THEN
    const { model } = example.loaded;
    const zfs = model.nodes.filter((n) => n.role === "block-storage");
    expect(zfs.map((n) => [n.name, n.hardware])).toEqual([
      ["vol-01", "zfs-storage"],
      ["vol-02", "zfs-storage"],
    ]);
    for (const n of zfs) expect(n.addresses.storage).toMatch(/^10\.40\.3\./);
    expect(model.inventory).toContainEqual(
      expect.objectContaining({ role: "block-storage", hardware: "zfs-storage", count: 2 }),
    );
    expect(model.ha).toContainEqual(
      expect.objectContaining({ kind: "block-storage-nodes", nodes: 2 }),
    );
    expect(model.storage.backends[0]).toMatchObject({
      kind: "zfs",
      targetProtocol: "iscsi",
      hosts: ["vol-01", "vol-02"],
    });
  });

  test("opens the Nova, Keystone, Neutron, Cinder, Glance and Swift proxy endpoints to users", () => {
    // THEN
    const open = resourcesOf(platform, "openstack_networking_secgroup_rule_v2")
      .filter((r) => r.direction === "ingress" && r.remote_ip_prefix === "0.0.0.0/0")
      .map((r) => r.port_range_min);
    expect(open).toEqual(expect.arrayContaining([8774, 5000, 9696, 8776, 9292, 8080]));
  });

  test("backs volumes with ZFS through a volume type with QoS limits", () => {
    // THEN
    expect(resourcesOf(platform, "openstack_blockstorage_volume_type_v3")).toEqual([
      expect.objectContaining({ name: "zfs", extra_specs: { volume_backend_name: "zfs" } }),
    ]);
    expect(example.loaded.model.storage.backends.map((b) => b.kind)).toEqual(["zfs"]);
    const qos = refTo(platform, "openstack_blockstorage_qos_v3", (q) => q.name === "zfs-qos");
    expect(resourcesOf(platform, "openstack_blockstorage_qos_association_v3")).toEqual([
      expect.objectContaining({ qos_id: qos }),
    ]);
  });

  test("puts the KVM hosts in one overcommitted aggregate with a spare host", () => {
    // THEN
    const aggregates = resourcesOf(platform, "openstack_compute_aggregate_v2");
    expect(aggregates).toHaveLength(1);
    expect(aggregates[0].hosts).toHaveLength(12);
    expect(aggregates[0].metadata).toMatchObject({ cpu_allocation_ratio: "16" });
    expect(example.loaded.model.pools[0].capacity.spareHosts).toBe(1);
  });

  test("stores images and backups in Swift", () => {
    // THEN
    const { storage } = example.loaded.model;
    expect(storage.imageBackend).toBe("swift");
    expect(storage.swift?.storageNodes).toHaveLength(3);
    expect(storage.swift?.proxies).toHaveLength(2);
    // Glance and each tenant's cinder-backup create their containers in their own accounts.
    expect(resourcesOf(platform, "openstack_objectstorage_container_v1")).toEqual([]);
    expect(storage.swift?.containers.map((c) => [c.name, c.account])).toEqual([
      ["cinder-backups", "each-tenant"],
      ["glance-images", "each-tenant"],
    ]);
    // (Glance's multi-tenant store names each image's container after glance-images)
    expect(example.loaded.model.deploy.glance.swiftContainer).toBe("glance-images");
  });

  test("says in the document who makes each container, and where", async () => {
    // WHEN its architecture document is rendered
    const { markdown, stacks } = await renderArchitecture(example.loaded.model);
    // THEN the container table names the service and the account of each
    const rows = markdown
      .split("\n")
      .filter((l) => /^\| (glance-images|cinder-backups) \|/.test(l));
    expect(rows).toEqual([
      "| cinder-backups | backups | cinder-backup, in the account of each project, on its first backup | no | no |",
      "| glance-images | images | Glance, on upload: one per image, named glance-images_ and the image id, in the account of the image's project | no | no |",
    ]);
    // AND the platform stack's README says why it makes neither
    const readme = stackReadme(
      stacks.find((st) => st.name === "platform")!,
      example.loaded.model,
    );
    expect(readme).toContain(
      "Swift containers `glance-images_<image id>`: Glance's multi-tenant store (`swift_store_multi_tenant`) writes each image to a container of its own",
    );
    expect(readme).toContain("Swift container `cinder-backups` lives in each tenant's account");
  });

  test("gives each sandbox tenant its own stack with small quotas", () => {
    // THEN
    expect(Object.keys(example.stacks).sort()).toEqual([
      "platform",
      "tenant-trial",
      "tenant-workshops",
    ]);
    const quota = resourcesOf(example.stacks["tenant-trial"], "openstack_compute_quotaset_v2");
    expect(quota).toEqual([expect.objectContaining({ instances: 60, cores: 120 })]);
  });
});
