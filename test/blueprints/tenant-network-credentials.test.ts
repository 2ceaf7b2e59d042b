import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { synthesizeTerraform } from "../../synth/app";
import { stackReadme } from "../../synth/stack-readme";
import { load, variant } from "../support/fixtures";

describe("tenant network with project-scoped credentials", () => {
  const model = (credentials: "admin" | "project") =>
    load(
      variant((s: any) => {
        s.output = { tenantNetworkCredentials: credentials };
        s.securityZones.firewall = true;
        s.tenants = [{ name: "a", network: { cidr: "172.30.0.0/24" } }];
      }),
    ).model;

  test("puts the network resources in a stack of their own, on the project's clouds.yaml entry", async () => {
    // GIVEN output.tenantNetworkCredentials: project WHEN synthesized
    const m = model("project");
    const stacks = await synthesizeTerraform(enterpriseReference, m, "json");
    const byName = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)]));
    // THEN onboarding keeps admin credentials and holds no network resource
    expect(Object.keys(byName).sort()).toEqual(["network-a", "platform", "tenant-a"]);
    expect(byName["tenant-a"].provider.openstack[0].cloud).toBe("test");
    expect(byName["tenant-a"].resource.openstack_networking_network_v2).toBeUndefined();
    expect(byName["tenant-a"].resource.openstack_identity_project_v3.a).toBeDefined();
    // AND the network stack authenticates as the project, at the same addresses as before
    const network = byName["network-a"];
    expect(network.provider.openstack[0].cloud).toBe("test-a");
    expect(network.resource.openstack_networking_network_v2.a_network.tenant_id).toBe(
      "${data.terraform_remote_state.tenant_a.outputs.a_project_id}",
    );
    expect(network.resource.openstack_fw_group_v2.a_firewall.ingress_firewall_policy_id).toBe(
      "${data.terraform_remote_state.platform.outputs.firewall_inside_ingress_policy_id}",
    );
    const readme = stackReadme(
      stacks.find((s) => s.name === "network-a")!,
      m,
    );
    expect(readme).toContain("`test-a` entry of `clouds.yaml`");
    expect(readme).toContain("- Stack `tenant-a`: this one reads its outputs");
  });

  test("keeps every address when switching, so the switch is a state move", async () => {
    const addresses = async (credentials: "admin" | "project") =>
      (await synthesizeTerraform(enterpriseReference, model(credentials), "json"))
        .flatMap((s) => {
          const json = JSON.parse(s.content);
          return Object.entries(json.resource ?? {}).flatMap(([type, items]) =>
            Object.keys(items as object).map((n) => `${type}.${n}`),
          );
        })
        .sort();
    expect(await addresses("project")).toEqual(await addresses("admin"));
  });
});
