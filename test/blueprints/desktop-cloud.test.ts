import { resourcesOf, synthesizeExample, type SynthesizedExample } from "../support/blueprints";

const DEPARTMENTS = ["engineering", "finance", "humanities", "reading-room"];

describe("desktop-cloud blueprint", () => {
  let example: SynthesizedExample;
  let platform: any;
  beforeAll(async () => {
    // GIVEN the desktop-cloud example WHEN it is synthesized
    example = await synthesizeExample("desktop-cloud");
    platform = example.stacks["platform"];
  });

  test("has a desktop pool with the desktop flavors pinned to it", () => {
    // THEN
    const [aggregate] = resourcesOf(platform, "openstack_compute_aggregate_v2");
    expect(aggregate.metadata).toMatchObject({
      custom: "virtual desktops",
      pool: "campus-desktops",
    });
    const flavors = resourcesOf(platform, "openstack_compute_flavor_v2");
    // Every desktop flavor is listed by the departments that use it, so each is private.
    expect(flavors.map((f) => [f.name, f.is_public]).sort()).toEqual([
      ["desktop-power", false],
      ["desktop-reading", false],
      ["desktop-standard", false],
    ]);
    for (const f of flavors)
      expect(f.extra_specs["aggregate_instance_extra_specs:pool"]).toBe("campus-desktops");
  });

  test("gives console access through noVNC, open to the campus only, and exports its URL", () => {
    // THEN the URL Nova hands out: HTTPS on the external VIP's name (kolla_external_fqdn), which
    // Kolla's certificate carries, not its address
    expect(platform.output.console_proxy_endpoint.value).toBe(
      "https://api.vdi.internal:6080/vnc_lite.html",
    );
    const novnc = resourcesOf(platform, "openstack_networking_secgroup_rule_v2").filter(
      (r) => r.port_range_min === 6080 && r.direction === "ingress",
    );
    expect(novnc.map((r) => r.remote_ip_prefix)).toEqual(["10.0.0.0/8"]);
  });

  test("pools images and desktop disks in Ceph, so desktops are copy-on-write clones", () => {
    // THEN
    const { storage } = example.loaded.model;
    expect([storage.imageBackend, storage.ephemeralBackend]).toEqual(["ceph", "ceph"]);
    expect(resourcesOf(platform, "openstack_blockstorage_volume_type_v3")).toEqual([
      expect.objectContaining({
        name: "profile-disk",
        extra_specs: { volume_backend_name: "ceph-profiles" },
      }),
    ]);
  });

  test("has one tenant per department in the campus directory domain", () => {
    // THEN
    expect(Object.keys(example.stacks).sort()).toEqual([
      "baremetal",
      "platform",
      ...DEPARTMENTS.map((d) => `tenant-${d}`),
    ]);
    for (const d of DEPARTMENTS) {
      const stack = example.stacks[`tenant-${d}`];
      const [project] = resourcesOf(stack, "openstack_identity_project_v3");
      expect(project.domain_id).toBe(
        "${data.terraform_remote_state.platform.outputs.domain_campus_id}",
      );
      expect(example.stacks.platform.output.domain_campus_id.value).toBe(
        "${openstack_identity_project_v3.cloud_identity_domain_campus.id}",
      );
      expect(resourcesOf(stack, "openstack_identity_role_assignment_v3")).toHaveLength(1);
      expect(resourcesOf(stack, "openstack_compute_quotaset_v2")).toHaveLength(1);
    }
  });

  test("grants each department exactly the desktop flavors it lists", () => {
    // THEN one access grant per listed flavor, in the department's own stack
    const flavorIds = Object.fromEntries(
      Object.entries(example.stacks.platform.output as Record<string, { value: string }>)
        .filter(([name]) => name.startsWith("flavor_"))
        .map(([name]) => [`\${data.terraform_remote_state.platform.outputs.${name}}`, name]),
    );
    const grants = DEPARTMENTS.map((d) =>
      resourcesOf(example.stacks[`tenant-${d}`], "openstack_compute_flavor_access_v2")
        .map((g) => flavorIds[g.flavor_id])
        .sort(),
    );
    expect(grants).toEqual([
      ["flavor_desktop_power_id", "flavor_desktop_standard_id"],
      ["flavor_desktop_standard_id"],
      ["flavor_desktop_reading_id", "flavor_desktop_standard_id"],
      ["flavor_desktop_reading_id"],
    ]);
  });
});
