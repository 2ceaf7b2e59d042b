import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { deployFiles } from "../../deployer";
import { load, variant } from "../support/fixtures";
import { withLegacyFlows } from "../support/legacy";
import { synthesized } from "../support/synth-cache";

describe("the legacy UNIX bridge, shared with the tenants of its flows", () => {
  // GIVEN a flow to the legacy systems from pool app, and one from them to every pool
  const spec = (fromLegacyPools: string[]) =>
    variant((s: any) => {
      withLegacyFlows(s, [
        { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"], pools: ["app"] },
        {
          name: "callback",
          port: 8443,
          direction: "from-legacy",
          systems: ["aix-a"],
          pools: fromLegacyPools,
        },
      ]);
      s.tenants = [
        { name: "apps", pool: "app" },
        { name: "web", pool: "web" },
      ];
    });

  test("each tenant gets the bridge network and the groups of its flows' directions, by RBAC", async () => {
    // WHEN the callback flow names no pool (every pool takes part)
    const model = load(spec([])).model;
    const stacks = await synthesized(enterpriseReference, model, "json");
    const byName = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)]));
    const shares = (tenant: string) =>
      Object.values(
        (byName[`tenant-${tenant}`].resource.openstack_networking_rbac_policy_v2 ?? {}) as Record<
          string,
          any
        >,
      ).map((r) => [r.object_type, r.object_id, r.action, r.target_tenant]);
    const platform = (output: string) =>
      `\${data.terraform_remote_state.platform.outputs.${output}}`;
    // THEN apps (pool app: both flows) gets the network and both groups, shared into its project
    expect(model.tenants.map((t) => [t.id, t.legacyGroups])).toEqual([
      ["apps", ["ingress", "egress"]],
      ["web", ["ingress"]],
    ]);
    expect(shares("apps").sort()).toEqual(
      [
        ["network", platform("legacy_bridge_network_id")],
        ["security_group", platform("legacy_egress_group_id")],
        ["security_group", platform("legacy_ingress_group_id")],
      ]
        .map(([type, id]) => [
          type,
          id,
          "access_as_shared",
          "${openstack_identity_project_v3.apps.id}",
        ])
        .sort(),
    );
    // AND web (only the callback flow) gets the network and the ingress group, not the egress one
    expect(
      shares("web")
        .map((s) => s[1])
        .sort(),
    ).toEqual([platform("legacy_bridge_network_id"), platform("legacy_ingress_group_id")]);
    // AND the admin's project, which owns the 5 RBAC entries, may own them beside Neutron's
    // default 10 (quota_rbac_policy counts per owning project)
    expect(model.deploy.neutron.rbacPolicyQuota).toBe(15);
    expect(deployFiles(model).get("deploy/kolla/config/neutron.conf")).toContain(
      "[quotas]\nquota_rbac_policy = 15\n",
    );
    // AND the runbook asks for Kolla-Ansible 2025.1: Nova boots servers with a security group
    // shared by RBAC only from Nova 31 on
    const deploy = model.lifecycle.find((st) => st.id === "deploy")?.prerequisites ?? [];
    expect(deploy).toContainEqual({
      kind: "kolla-release",
      params: { minimum: "20.0.0 (2025.1)", noble: "20.0.0 (2025.1)" },
    });
    expect(deploy.map((i) => i.kind)).toContain("kolla-release-shared-groups");
    // AND the platform publishes what they read
    expect(Object.keys(byName.platform.output)).toEqual(
      expect.arrayContaining([
        "legacy_bridge_network_id",
        "legacy_egress_group_id",
        "legacy_ingress_group_id",
      ]),
    );
  });

  test("a tenant on no pool of any flow gets nothing shared", async () => {
    // WHEN both flows are app's only
    const model = load(spec(["app"])).model;
    const stacks = await synthesized(enterpriseReference, model, "json");
    const web = JSON.parse(stacks.find((s) => s.name === "tenant-web")!.content);
    // THEN web's stack has no share and reads nothing of the bridge
    expect(model.tenants.find((t) => t.id === "web")?.legacyGroups).toEqual([]);
    expect(web.resource.openstack_networking_rbac_policy_v2).toBeUndefined();
    expect(JSON.stringify(web)).not.toContain("legacy_");
    expect(model.deploy.neutron.rbacPolicyQuota).toBe(10 + 3);
  });

  test("a design sharing nothing keeps Kolla-Ansible 2024.2 as its minimum", () => {
    const model = load(
      variant((s: any) => {
        Object.assign(s, spec(["app"]));
        s.tenants = [{ name: "web", pool: "web" }];
      }),
    ).model;
    expect(model.tenants[0].legacyGroups).toEqual([]);
    const deploy = model.lifecycle.find((st) => st.id === "deploy")?.prerequisites ?? [];
    expect(deploy.find((i) => i.kind === "kolla-release")?.params.minimum).toBe("19.0.0 (2024.2)");
    expect(deploy.map((i) => i.kind)).not.toContain("kolla-release-shared-groups");
  });

  test("a tenant on the bridge may have a port there for each instance", () => {
    // GIVEN the two tenants, each allowed 80 instances, apps on the bridge, web not
    const model = load(
      variant((s: any) => {
        Object.assign(s, spec(["app"]));
        for (const t of s.tenants) t.quota = { instances: 80, cores: 160, ramGiB: 320 };
      }),
    ).model;
    const ports = (id: string) => model.tenants.find((t) => t.id === id)?.quota.ports;
    // THEN apps' port quota holds each instance's second port, on the bridge network (Nova
    // charges it to the instance's project), beside what web's holds
    const q = model.tenants.find((t) => t.id === "web")!.quota;
    expect(ports("web")).toBe(80 + 4 * q.subnets + q.networks + q.loadBalancers);
    expect(ports("apps")).toBe((ports("web") as number) + 80);
    // AND a declared quota below two ports per instance warns for apps, not for web
    const declared = load(
      variant((s: any) => {
        Object.assign(s, spec(["app"]));
        for (const t of s.tenants) t.quota = { instances: 20, cores: 40, ramGiB: 80, ports: 30 };
      }),
    );
    expect(
      declared.warnings
        .filter((w) => w.code === "quota-ports-below-instances")
        .map((w) => [w.path.join("."), w.message]),
    ).toEqual([
      [
        "tenants.0.quota.ports",
        "30 ports for 20 instances: each instance takes two ports, one on the legacy bridge, and the router, DHCP and metadata take more, so Nova refuses instances past the ports; raise quota.ports or leave it out to have it computed",
      ],
    ]);
  });
});
