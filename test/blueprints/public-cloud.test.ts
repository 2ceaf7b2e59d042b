import {
  refTo,
  resourcesOf,
  synthesizeExample,
  type SynthesizedExample,
} from "../support/blueprints";

describe("public-cloud blueprint", () => {
  let example: SynthesizedExample;
  let platform: any;
  let tenantStacks: [string, any][];
  beforeAll(async () => {
    // GIVEN the public-cloud example WHEN it is synthesized
    example = await synthesizeExample("public-cloud");
    platform = example.stacks["platform"];
    tenantStacks = Object.entries(example.stacks).filter(([name]) => name.startsWith("tenant-"));
  });

  test("onboards many self-service customers in their own Keystone domain", () => {
    // THEN
    expect(tenantStacks).toHaveLength(8);
    expect(resourcesOf(platform, "openstack_identity_project_v3")).toEqual([
      expect.objectContaining({ name: "customers", is_domain: true }),
    ]);
    for (const [, stack] of tenantStacks) {
      const [project] = resourcesOf(stack, "openstack_identity_project_v3");
      expect(project.domain_id).toBe(
        "${data.terraform_remote_state.platform.outputs.domain_customers_id}",
      );
      expect(resourcesOf(stack, "openstack_compute_quotaset_v2")).toHaveLength(1);
      expect(resourcesOf(stack, "openstack_lb_quota_v2")).toHaveLength(1);
    }
  });

  test("lifts the service project's limits, where Octavia boots every load balancer's amphorae", () => {
    // (Kolla-Ansible sets no quota there: Nova's 10 instances and Neutron's 10 security groups
    // would stop the load balancers the tenants' quotas allow past about ten)
    const [service] = Object.values(platform.data.openstack_identity_project_v3) as any[];
    expect(service).toMatchObject({ name: "service", domain_id: "default" });
    const project = expect.stringMatching(/^\$\{data\.openstack_identity_project_v3\.\w+\.id\}$/);
    expect(resourcesOf(platform, "openstack_compute_quotaset_v2")).toEqual([
      expect.objectContaining({ project_id: project, instances: -1, cores: -1, ram: -1 }),
    ]);
    expect(resourcesOf(platform, "openstack_networking_quota_v2")).toEqual([
      expect.objectContaining({ project_id: project, port: -1, security_group: -1 }),
    ]);
  });

  test("lets customers build networks from a shared default subnet pool, exported for them", () => {
    // THEN
    expect(resourcesOf(platform, "openstack_networking_subnetpool_v2")).toEqual([
      expect.objectContaining({ prefixes: ["10.60.128.0/17"], is_default: true, shared: true }),
    ]);
    expect(platform.output.tenant_subnet_pool_id.value).toBe(
      refTo(platform, "openstack_networking_subnetpool_v2", () => true),
    );
    // A customer without a starter network still gets its project and quotas.
    expect(
      resourcesOf(example.stacks["tenant-harbor-labs"], "openstack_networking_network_v2"),
    ).toEqual([]);
  });

  test("is HA everywhere: five controllers apart, network nodes, replicated storage", () => {
    // THEN
    const { model } = example.loaded;
    // Five controllers, each its own Ironic node of the undercloud.
    const controllers = resourcesOf(
      example.stacks["baremetal"],
      "openstack_compute_instance_v2",
    ).filter((i) => i.metadata.role === "controller");
    expect(controllers.map((c) => c.name)).toEqual([
      "ctrl-01",
      "ctrl-02",
      "ctrl-03",
      "ctrl-04",
      "ctrl-05",
    ]);
    expect(resourcesOf(platform, "openstack_compute_instance_v2")).toEqual([]);
    const tolerated = Object.fromEntries(model.ha.map((r) => [r.component, r.failuresTolerated]));
    expect(tolerated).toMatchObject({
      Database: 2,
      "Message queue": 2,
      "Neutron L3/DHCP agents": 2,
      "Ceph data": 1,
      "Swift objects": 2,
    });
    expect(model.storage.ceph?.failureDomain).toBe("rack");
  });

  test("keeps a spare host in every pool (N+1)", () => {
    // THEN
    for (const pool of example.loaded.model.pools) {
      expect(pool.capacity.spareHosts).toBeGreaterThanOrEqual(1);
      expect(pool.capacity.usableRamGiB).toBeLessThan(pool.capacity.schedulableRamGiB);
    }
  });

  test("is metering-ready with Ceilometer in the control plane", () => {
    // THEN
    expect(example.loaded.model.controlPlane.services).toContain("ceilometer");
  });

  test("isolates customers: firewall on every customer router, QoS on every volume", () => {
    // THEN
    for (const [, stack] of tenantStacks) {
      const routers = resourcesOf(stack, "openstack_networking_router_v2");
      expect(resourcesOf(stack, "openstack_fw_group_v2")).toHaveLength(routers.length);
    }
    expect(resourcesOf(platform, "openstack_blockstorage_qos_association_v3")).toHaveLength(1);
  });
});
