import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { issuesOf, load, pathOf, variant } from "../support/fixtures";
import { synthesized } from "../support/synth-cache";

describe("flavors tenants list", () => {
  // GIVEN a shared flavor and one that tenants a and b list
  const spec = variant((s: any) => {
    s.zones[0].pools[0].flavors = [
      { name: "m1-small", vcpus: 2, ramGiB: 4 },
      { name: "gpu-8", vcpus: 8, ramGiB: 64 },
    ];
    s.tenants = [
      { name: "a", quota: { cores: 8 }, flavors: ["gpu-8"] },
      { name: "b", quota: { cores: 8 }, flavors: ["gpu-8"] },
      { name: "c", quota: { cores: 8 } },
    ];
  });

  test("are private, with an access grant in each listing tenant's stack; shared ones stay public", async () => {
    // WHEN synthesized
    const model = load(spec).model;
    const stacks = await synthesized(enterpriseReference, model, "json");
    const byName = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)]));
    // THEN the model and the platform stack make the listed flavor private
    expect(model.pools[0].flavors.map((f) => [f.name, f.public])).toEqual([
      ["gpu-8", false],
      ["m1-small", true],
    ]);
    const flavors = Object.values(
      byName.platform.resource.openstack_compute_flavor_v2 as Record<string, any>,
    );
    expect(flavors.map((f) => [f.name, f.is_public]).sort()).toEqual([
      ["app-medium", true],
      ["gpu-8", false],
      ["m1-small", true],
    ]);
    // AND each tenant that lists it gets access to it in its own stack, nobody else
    for (const t of ["a", "b"])
      expect(byName[`tenant-${t}`].resource.openstack_compute_flavor_access_v2).toEqual({
        [`${t}_flavor_gpu_8`]: expect.objectContaining({
          flavor_id: "${data.terraform_remote_state.platform.outputs.flavor_gpu_8_id}",
          tenant_id: `\${openstack_identity_project_v3.${t}.id}`,
        }),
      });
    expect(byName["tenant-c"].resource.openstack_compute_flavor_access_v2).toBeUndefined();
  });

  test("fails when a flavor a tenant lists is declared public", () => {
    // GIVEN public: true on a flavor tenant a lists
    const issues = issuesOf(
      variant((s: any) => {
        s.zones[0].pools[0].flavors = [{ name: "gpu-8", vcpus: 8, ramGiB: 64, public: true }];
        s.tenants = [{ name: "a", quota: { cores: 8 }, flavors: ["gpu-8"] }];
      }),
    );
    // THEN the spec is refused at the flavor's public key
    expect(issues.map((i) => [i.code, pathOf(i)])).toEqual([
      ["flavor-public-listed", "zones[0].pools[0].flavors[0].public"],
    ]);
  });

  test("take Nova's dotted names; names Terraform reads alike are refused", async () => {
    // GIVEN a private flavor named as Nova's defaults are
    const dotted = load(
      variant((s: any) => {
        s.zones[0].pools[0].flavors = [{ name: "m1.small", vcpus: 2, ramGiB: 4 }];
        s.tenants = [{ name: "a", quota: { cores: 8 }, flavors: ["m1.small"] }];
      }),
    ).model;
    // WHEN synthesized
    const stacks = await synthesized(enterpriseReference, dotted, "json");
    const byName = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)]));
    // THEN Nova gets the name as written, and the tenant its grant through the platform's output
    expect(
      Object.values(
        byName.platform.resource.openstack_compute_flavor_v2 as Record<string, any>,
      ).map((f) => f.name),
    ).toEqual(["m1.small", "app-medium"]);
    expect(byName.platform.output.flavor_m1_small_id).toBeDefined();
    expect(byName["tenant-a"].resource.openstack_compute_flavor_access_v2).toEqual({
      a_flavor_m1_small: expect.objectContaining({
        flavor_id: "${data.terraform_remote_state.platform.outputs.flavor_m1_small_id}",
      }),
    });
    // AND two names that differ only in '.', '_' or '-' would share that output: refused, as is
    // a name every JavaScript object has
    const issues = issuesOf(
      variant((s: any) => {
        s.zones[0].pools[0].flavors = [
          { name: "m1.small", vcpus: 2, ramGiB: 4 },
          { name: "m1-small", vcpus: 2, ramGiB: 8 },
          { name: "constructor", vcpus: 2, ramGiB: 8 },
        ];
      }),
    );
    expect(issues.map((i) => [i.code, pathOf(i), i.message])).toEqual([
      [
        "schema-invalid-format",
        "zones[0].pools[0].flavors[2].name",
        '"constructor" is a reserved word; choose another name',
      ],
    ]);
    const alike = issuesOf(
      variant((s: any) => {
        s.zones[0].pools[0].flavors = [
          { name: "m1.small", vcpus: 2, ramGiB: 4 },
          { name: "m1-small", vcpus: 2, ramGiB: 8 },
        ];
      }),
    );
    expect(alike.map((i) => [i.code, pathOf(i)])).toEqual([
      ["duplicate-name", "zones[0].pools[0].flavors[1].name"],
    ]);
  });
});
