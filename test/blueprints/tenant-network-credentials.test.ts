import { architectureDocuments } from "../../documents/architecture";
import { terraformInventory } from "../../documents/view-model";
import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { synthesizeTerraform } from "../../synth/app";
import { stackReadme } from "../../synth/stack-readme";
import { formatPath } from "../../core/errors";
import { issuesOf, load, variant } from "../support/fixtures";

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ5Xc0vTq7Yb2l8lP3b2k5m6n7o8p9q0r1s2t3u4v5 ops@example";

describe("tenant network with project-scoped credentials", () => {
  const model = (credentials: "admin" | "project", region = "RegionOne") =>
    load(
      variant((s: any) => {
        s.cloud.region = region;
        s.output = { tenantStacks: { layout: "per-tenant", networkCredentials: credentials } };
        s.securityZones.firewall = true;
        s.tenants = [
          {
            name: "a",
            network: { cidr: "172.30.0.0/24" },
            // (the admin network's SSH, which its router then lets in by the platform's rule)
            sshCidrs: ["10.9.100.0/24"],
            keyPairs: [{ name: "ops", publicKey: KEY }],
          },
        ];
      }),
    ).model;

  test("the pool's server groups are the project's: made by its network stack, or by its members", async () => {
    // GIVEN a tenant on a pool with an anti-affinity group, in either layout
    const withGroup = (credentials: "admin" | "project") =>
      load(
        variant((s: any) => {
          s.output = { tenantStacks: { layout: "per-tenant", networkCredentials: credentials } };
          s.zones[0].pools[0].serverGroups = [{ name: "db", policy: "anti-affinity" }];
          s.tenants = [{ name: "a", pool: s.zones[0].pools[0].name }];
        }),
      ).model;
    const [project, admin] = await Promise.all(
      (["project", "admin"] as const).map(async (c) => {
        const m = withGroup(c);
        const stacks = await synthesizeTerraform(enterpriseReference, m, "json");
        return {
          m,
          stacks,
          byName: Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)])),
        };
      }),
    );
    const groupsIn = (stack: any) =>
      Object.values<any>(stack.resource.openstack_compute_servergroup_v2 ?? {});
    // THEN with project credentials the network stack makes it, and nothing else does
    expect(groupsIn(project.byName["network-a"])).toEqual([
      expect.objectContaining({ name: "sw-az1-web-db", policies: ["anti-affinity"] }),
    ]);
    for (const name of ["platform", "tenant-a"]) expect(groupsIn(project.byName[name])).toEqual([]);
    // AND as cloud admin no stack makes it (it would land in the admin project); the tenant's
    // stack README says how the project's members make it
    for (const stack of Object.values(admin.byName)) expect(groupsIn(stack)).toEqual([]);
    const readme = stackReadme(
      admin.stacks.find((s) => s.name === "tenant-a")!,
      admin.m,
    );
    expect(readme).toContain(
      "`openstack server group create --policy anti-affinity sw-az1-web-db`",
    );
    expect(
      stackReadme(
        project.stacks.find((s) => s.name === "tenant-a")!,
        project.m,
      ),
    ).not.toContain("server group create");
  });

  test("puts the network resources and key pairs in a stack of their own, on the project's clouds.yaml entry", async () => {
    // GIVEN output.tenantStacks.networkCredentials: project WHEN synthesized
    const m = model("project");
    expect(m.tenants[0].networkStack).toEqual({
      stack: "network-a",
      cloud: "test-a",
      credential: "stackwright-network-a",
    });
    const stacks = await synthesizeTerraform(enterpriseReference, m, "json");
    const byName = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)]));
    // THEN onboarding keeps admin credentials and holds no network resource nor key pair
    expect(Object.keys(byName).sort()).toEqual(["network-a", "platform", "tenant-a"]);
    expect(byName["tenant-a"].provider.openstack[0].cloud).toBe("test");
    expect(byName["tenant-a"].resource.openstack_networking_network_v2).toBeUndefined();
    expect(byName["tenant-a"].resource.openstack_compute_keypair_v2).toBeUndefined();
    expect(byName["tenant-a"].resource.openstack_identity_project_v3.a).toBeDefined();
    // AND the network stack authenticates as the project, at the same addresses as before
    const network = byName["network-a"];
    expect(network.provider.openstack[0].cloud).toBe("test-a");
    expect(network.resource.openstack_networking_network_v2.a_network.tenant_id).toBe(
      "${data.terraform_remote_state.tenant_a.outputs.a_project_id}",
    );
    // (its router's ingress policy is the project's own, holding the platform's shared rules)
    expect(network.resource.openstack_fw_group_v2.a_firewall.ingress_firewall_policy_id).toBe(
      "${openstack_fw_policy_v2.a_firewall_ingress.id}",
    );
    expect(network.resource.openstack_fw_policy_v2.a_firewall_ingress.rules[0]).toMatch(
      /^\$\{data\.terraform_remote_state\.platform\.outputs\.firewall_rule_admin_ssh_.*_id\}$/,
    );
    // (the platform's output says which rule in its own words, not the key's escapes)
    const described = Object.entries(
      byName.platform.output as Record<string, { description: string }>,
    )
      .filter(([name]) => name.startsWith("firewall_rule_admin_ssh_"))
      .map(([, o]) => o.description);
    expect(described).toHaveLength(1);
    expect(described[0]).toMatch(/: admin-ssh-[0-9a-f.:]+\/\d+: SSH from admin network /);
    expect(described[0]).not.toContain("%2F");
    expect(network.resource.openstack_fw_policy_v2.a_firewall_ingress.tenant_id).toBe(
      "${data.terraform_remote_state.tenant_a.outputs.a_project_id}",
    );
    // AND the key pair is created there, owned by the project member's credential
    expect(network.resource.openstack_compute_keypair_v2.a_keypair_ops).toMatchObject({
      name: "ops",
      public_key: KEY,
    });
    const readme = stackReadme(
      stacks.find((s) => s.name === "network-a")!,
      m,
    );
    expect(readme).toContain("`test-a` entry of `clouds.yaml`");
    expect(readme).toContain("the key pairs belong to that member");
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

  test("the runbook's clouds.yaml setting shows the region as it is, inside its code span", async () => {
    const named = model("project", "Region_One");
    const stacks = await synthesizeTerraform(enterpriseReference, named, "json");
    const runbook = String(
      (await architectureDocuments(named, terraformInventory(stacks), [])).get("RUNBOOK.md"),
    );
    // A Markdown escape inside a code span shows as a backslash: `Region\_One`.
    expect(runbook).toContain("`region_name: Region_One`");
  });

  test("the runbook says how to make the application credential and apply the stack with it", async () => {
    // GIVEN project credentials WHEN the documents are written
    const m = model("project");
    const stacks = await synthesizeTerraform(enterpriseReference, m, "json");
    const runbook = String(
      (await architectureDocuments(m, terraformInventory(stacks), [])).get("RUNBOOK.md"),
    );
    // THEN a fifth stage names the entry, the credential command and the stack's commands
    const stage = runbook.slice(runbook.indexOf("### 5. Tenant networks"));
    expect(stage).toContain("| Cloud (clouds.yaml entry) | test-a |");
    expect(stage).toContain(
      // (the member role only: without --role the credential carries every role of its
      // creator's token; the CA of Kolla's TLS endpoints comes with the auth_url)
      "- A member of project a has created an application credential in it, logged in to that project: `openstack application credential create --role member --expiration <YYYY-MM-DDTHH:MM:SS> stackwright-network-a`. The clouds.yaml entry test-a holds it: `auth_type: v3applicationcredential`, the `auth_url` of test and its `cacert` where it has one (Kolla's private CA), `region_name: RegionOne`,",
    );
    // AND the credential expires, and its rotation is said
    expect(stage).toContain(
      "create the next one, put it into the clouds.yaml entry and delete the old one",
    );
    expect(stage).toContain(
      "```sh\nterraform -chdir=terraform/network-a init\nterraform -chdir=terraform/network-a apply\n```",
    );
    // AND with admin credentials there is no such stage
    expect(model("admin").lifecycle.map((s) => s.id)).not.toContain("tenant-networks");
  });

  test("accepts the short layout form, with admin credentials", () => {
    const m = load(variant((s: any) => (s.output = { tenantStacks: "single" }))).model;
    expect(m.output.tenantStacks).toEqual({ layout: "single", networkCredentials: "admin" });
  });

  test("fails on the former output.tenantNetworkCredentials, naming the new path", () => {
    const issues = issuesOf(
      variant((s: any) => (s.output = { tenantNetworkCredentials: "project" })),
    );
    expect(issues.map((i) => [i.code, formatPath(i.path), i.message])).toEqual([
      [
        "schema-invalid-type",
        "output.tenantNetworkCredentials",
        "output.tenantNetworkCredentials moved: write output.tenantStacks: { networkCredentials: project } (with layout: per-tenant or single beside it)",
      ],
    ]);
  });
});

test("the admin's project's rule quota keeps counting the base groups' rules whatever credentials", () => {
  // GIVEN 30 tenants, each base group with SSH and ICMP from one source (4 rules)
  const used = (credentials: "admin" | "project") =>
    load(
      variant((s: any) => {
        s.output = { tenantStacks: { layout: "per-tenant", networkCredentials: credentials } };
        s.tenants = Array.from({ length: 30 }, (_, i) => ({
          name: `t${i}`,
          network: { cidr: `172.30.${i}.0/24` },
          sshCidrs: ["10.99.0.0/24"],
          quota: { cores: 4, ramGiB: 8 },
        }));
      }),
    ).model.deploy.neutron.quotas.find((q) => q.option === "quota_security_group_rule")?.used;
  // THEN a switch to project credentials lowers nothing: rules made before it, imported into the
  // network stacks, stay the admin's (an import changes no owner)
  expect(used("admin")).toBeGreaterThan(120);
  expect(used("project")).toBe(used("admin"));
});
