import { resourcesOf, synthesizeExample, type SynthesizedExample } from "../support/blueprints";

const STAGES = {
  smoke: { name: "Smoke Test", pool: "dev", cores: 80 },
  component: { name: "Component Test", pool: "dev", cores: 240 },
  system: { name: "System Test", pool: "test", cores: 400 },
  performance: { name: "Performance Test", pool: "preprod", cores: 160 },
  "manual-test": { name: "Manual Test", pool: "test", cores: 200 },
  "pre-release": { name: "Pre-release", pool: "preprod", cores: 96 },
} as const;

describe("devtest-cloud blueprint", () => {
  let example: SynthesizedExample;
  let platform: any;
  beforeAll(async () => {
    // GIVEN the devtest-cloud example WHEN it is synthesized
    example = await synthesizeExample("devtest-cloud");
    platform = example.stacks["platform"];
  });

  test("gives every pipeline stage its own tenant stack with one project", () => {
    // THEN
    expect(Object.keys(example.stacks).sort()).toEqual(
      ["platform", ...Object.keys(STAGES).map((s) => `tenant-${s}`)].sort(),
    );
    for (const [id, stage] of Object.entries(STAGES)) {
      const projects = resourcesOf(example.stacks[`tenant-${id}`], "openstack_identity_project_v3");
      expect(projects.map((p) => p.name)).toEqual([stage.name]);
    }
  });

  test("sets each stage's quota and lands it on its stage pool", () => {
    // THEN
    for (const [id, stage] of Object.entries(STAGES)) {
      const quota = resourcesOf(example.stacks[`tenant-${id}`], "openstack_compute_quotaset_v2");
      expect(quota).toEqual([expect.objectContaining({ cores: stage.cores })]);
      expect(example.loaded.model.tenants.find((t) => t.id === id)?.pool).toBe(stage.pool);
    }
  });

  test("has one aggregate per business stage, with the stage in its metadata", () => {
    // THEN
    const aggregates = resourcesOf(platform, "openstack_compute_aggregate_v2");
    expect(aggregates.map((a) => [a.metadata.pool, a.metadata.stage]).sort()).toEqual([
      ["devtest-dev", "dev"],
      ["devtest-preprod", "preprod"],
      ["devtest-test", "test"],
    ]);
  });

  test("makes each stage's flavors private to the tenants that list them", () => {
    // THEN every flavor is listed by some tenant, so none is public
    const flavors = resourcesOf(platform, "openstack_compute_flavor_v2");
    expect(flavors.filter((f) => f.is_public !== false)).toEqual([]);
    const grants = Object.fromEntries(
      Object.keys(STAGES).map((id) => [
        id,
        resourcesOf(example.stacks[`tenant-${id}`], "openstack_compute_flavor_access_v2").length,
      ]),
    );
    expect(grants).toEqual({
      smoke: 2,
      component: 2,
      system: 2,
      performance: 2,
      "manual-test": 2,
      "pre-release": 1,
    });
  });

  test("promotes builds through versioned Swift containers the pipeline reaches in every stage", () => {
    // THEN
    const containers = resourcesOf(platform, "openstack_objectstorage_container_v1");
    expect(
      containers
        .filter((c) => c.versioning)
        .map((c) => c.name)
        .sort(),
    ).toEqual(["build-artifacts", "release-candidates"]);
    for (const id of Object.keys(STAGES)) {
      const groups = Object.values(
        example.stacks[`tenant-${id}`].data.openstack_identity_group_v3,
      ) as { name: string }[];
      expect(groups.map((g) => g.name)).toContain("ci-pipeline");
    }
  });

  test("puts every stage behind the platform's firewall policy", () => {
    // THEN
    for (const id of Object.keys(STAGES))
      expect(resourcesOf(example.stacks[`tenant-${id}`], "openstack_fw_group_v2")).toHaveLength(1);
  });
});
