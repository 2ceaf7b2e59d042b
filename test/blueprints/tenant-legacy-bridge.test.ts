import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { deployFiles } from "../../deployer";
import { load, variant } from "../support/fixtures";
import { TEST_KEY, withLegacyBridge, withLegacyEstate, withLegacyFlows } from "../support/legacy";
import { synthesized } from "../support/synth-cache";
import { renderArchitecture } from "../support/documents";

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
    // AND the admin's project, which owns the 5 RBAC entries and the one Neutron makes for the
    // external network, may own them beside Neutron's default 10 (quota_rbac_policy counts per
    // owning project)
    expect(model.deploy.neutron.quotas).toEqual([
      { option: "quota_rbac_policy", used: 5 + 1, value: 10 + 5 + 1 },
    ]);
    expect(deployFiles(model).get("deploy/kolla/config/neutron.conf")).toContain(
      "#   quota_rbac_policy: 6.\n[quotas]\nquota_rbac_policy = 16\n",
    );
    // AND the runbook asks for Kolla-Ansible 2025.1: Nova boots servers with a security group
    // shared by RBAC only from Nova 31 on
    const deploy = model.lifecycle.find((st) => st.id === "deploy")?.prerequisites ?? [];
    expect(deploy).toContainEqual({
      kind: "kolla-release",
      params: {
        minimum: "20.0.0 (2025.1)",
        noble: "19.0.0 (2024.2)",
        jammyDropped: "20.0.0 (2025.1)",
      },
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

  test("a tenant is shared the groups of its pools' flows only: Neutron adds up every group", async () => {
    // GIVEN flows to the legacy systems for pool app (mq) and for pool web (nfs), and the
    // callback from them to every pool
    const model = load(
      variant((s: any) => {
        Object.assign(s, spec([]));
        s.legacyUnix.flows.push({
          name: "nfs",
          port: 2049,
          protocol: "udp",
          direction: "to-legacy",
          systems: ["aix-a"],
          pools: ["web"],
        });
      }),
    ).model;
    const stacks = await synthesized(enterpriseReference, model, "json");
    const byName = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)]));
    // THEN each pool's flows have a group of their own, holding only their rules
    const groups = byName.platform.resource.openstack_networking_secgroup_v2 as Record<string, any>;
    const rules = Object.values(
      byName.platform.resource.openstack_networking_secgroup_rule_v2 as Record<string, any>,
    );
    const legacy = Object.entries(groups).filter(([, g]) => /legacy/.test(g.name));
    const rulesOf = (name: string) => {
      const [address] = legacy.find(([, g]) => g.name.endsWith(name)) ?? [];
      return rules
        .filter((r) => r.security_group_id === `\${openstack_networking_secgroup_v2.${address}.id}`)
        .map((r) => [r.direction, r.protocol, r.port_range_min]);
    };
    expect(legacy.map(([, g]) => g.name).sort()).toEqual([
      "sw-legacy-egress-app",
      "sw-legacy-egress-web",
      "sw-legacy-ingress",
    ]);
    expect(rulesOf("legacy-egress-app")).toEqual([["egress", "tcp", 1414]]);
    expect(rulesOf("legacy-egress-web")).toEqual([["egress", "udp", 2049]]);
    expect(rulesOf("legacy-ingress")).toEqual([["ingress", "tcp", 8443]]);
    // AND a tenant of pool web is shared web's group, not app's
    expect(model.tenants.map((t) => [t.id, t.legacyGroups])).toEqual([
      ["apps", ["ingress", "egress+app"]],
      ["web", ["ingress", "egress+web"]],
    ]);
    const shared = (tenant: string) =>
      Object.values(
        byName[`tenant-${tenant}`].resource.openstack_networking_rbac_policy_v2 as Record<
          string,
          any
        >,
      )
        .map((r) => r.object_id)
        .sort();
    // (a split group's Terraform names carry a digest of its key: adding a flow moves no group,
    // and pools read alike never meet)
    const web = model.legacyUnix?.groups.find((g) => g.key === "egress+web")?.id;
    expect(web).toMatch(/^egress-web-[0-9a-f]{8}$/);
    expect(shared("web")).toEqual([
      "${data.terraform_remote_state.platform.outputs.legacy_bridge_network_id}",
      `\${data.terraform_remote_state.platform.outputs.legacy_${web?.replace(/-/g, "_")}_group_id}`,
      "${data.terraform_remote_state.platform.outputs.legacy_ingress_group_id}",
    ]);
    // AND the admin project's quota counts the three groups it owns
    expect(model.deploy.neutron.quotas.map((q) => q.option)).toContain("quota_rbac_policy");
  });

  test("tenants given the bridge for different flows are warned: one subnet holds them all", () => {
    // GIVEN apps on both flows, web on the callback only (the mq flow is pool app's)
    const warned = (fromLegacyPools: string[]) =>
      load(spec(fromLegacyPools))
        .warnings.filter((w) => w.code === "legacy-bridge-mixed")
        .map((w) => [w.path.join("."), w.message]);
    // THEN a port web's members attach with groups of their own reaches aix-a on any port:
    // only the legacy side's firewall sees that
    expect(warned([])).toEqual([
      [
        "legacyUnix.flows",
        "tenants given the bridge network unix-bridge for different flows share its one segment and subnet (apps: callback, mq; web: callback); a project member may attach a port to it with any of the project's own security groups (Neutron allows it), and the instance then reaches every legacy system through the next hop 10.20.50.254 on any port, the flows' security groups binding only the ports made with them; a firewall there cannot tell the tenants apart on one subnet, so each still reaches the others' declared flows; admit at the legacy side's firewall only the declared flows, from the bridge network's subnet, by destination and port",
      ],
    ]);
    // AND none where the bridge is given for the same flows only (apps alone)
    expect(warned(["app"])).toEqual([]);
  });

  test("the document's tenant table lists the bridge among each given tenant's networks", async () => {
    const { markdown } = await renderArchitecture(load(spec(["app"])).model);
    const row = (tenant: string) =>
      markdown.split("\n").find((l) => l.startsWith(`| ${tenant} | default |`)) ?? "";
    expect(row("apps")).toContain("| unix-bridge |");
    expect(row("web")).not.toContain("unix-bridge");
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
    expect(model.deploy.neutron.quotas).toEqual([
      { option: "quota_rbac_policy", used: 3 + 1, value: 10 + 3 + 1 },
    ]);
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
        "30 ports for 20 instances: each instance takes two ports (one on the legacy bridge): 40 in all, so Nova refuses instances past the ports; raise quota.ports or leave it out to have it computed",
      ],
    ]);
  });
});

describe("the admin's own quotas cover what the stacks make as admin", () => {
  // GIVEN 35 legacy systems on 40 subnets, flows from and to all of them, and 110 key pairs
  // uploaded by the admin through two tenants' stacks
  const big = variant((s: any) => {
    withLegacyEstate(s, [8443, 8444, 8445, 8446, 1414, 1415], 4);
    // (the router on the bridge's gateway: it routes every legacy subnet)
    s.legacyUnix.subnetGateway = true;
    s.securityZones.firewall = true;
    s.tenants = [60, 50].map((keys, t) => ({
      name: `t${t}`,
      pool: "app",
      // (routed: the legacy flows reach their networks through the firewall)
      network: { cidr: `10.40.${t}.0/24` },
      keyPairs: Array.from({ length: keys }, (_, k) => ({
        name: `t${t}-k${k}`,
        publicKey: TEST_KEY,
      })),
    }));
  });

  test("Neutron's and Nova's limits are raised past what Terraform creates", async () => {
    const model = load(big).model;
    const stacks = await synthesized(enterpriseReference, model, "json");
    // The platform stack's objects are the admin project's; the tenant stacks' groups are their
    // projects' (tenant_id), their key pairs the admin user's.
    const count = (type: string, only?: string) =>
      stacks
        .filter((s) => only === undefined || s.name === only)
        .reduce(
          (n, s) =>
            n + Object.keys(JSON.parse(s.content).resource?.[`openstack_${type}`] ?? {}).length,
          0,
        );
    const files = deployFiles(model);
    const option = (file: string, name: string) =>
      Number(new RegExp(`^${name} = (\\d+)$`, "m").exec(files.get(file) ?? "")?.[1] ?? NaN);
    const neutron = "deploy/kolla/config/neutron.conf";
    const groups = count("networking_secgroup_v2", "platform");
    // THEN every group and rule fits, with Neutron's two egress rules per group and the
    // project's default group of four rules
    expect(groups).toBe(3);
    expect(count("networking_secgroup_rule_v2", "platform")).toBeGreaterThan(100);
    // (and the tenant stacks' rules without a tenant_id, which Neutron files under the project
    // of the credentials: the admin's)
    const unowned = stacks
      .filter((s) => s.name !== "platform")
      .flatMap((s) =>
        Object.values(
          (JSON.parse(s.content).resource?.openstack_networking_secgroup_rule_v2 ?? {}) as Record<
            string,
            { tenant_id?: string }
          >,
        ),
      )
      .filter((r) => r.tenant_id === undefined).length;
    expect(unowned).toBeGreaterThan(0);
    const used = (quota: string) =>
      model.deploy.neutron.quotas.find((q) => q.option === quota)?.used ?? 0;
    expect(used("quota_security_group_rule")).toBe(
      count("networking_secgroup_rule_v2", "platform") + 2 * groups + 4 + unowned,
    );
    expect(option(neutron, "quota_security_group_rule")).toBe(
      100 + used("quota_security_group_rule"),
    );
    // (and the admin's project's own quota in the platform stack, so a tenant added later takes
    // a platform apply, not a Neutron restart)
    const [quota] = Object.values(
      JSON.parse(stacks.find((s) => s.name === "platform")!.content).resource
        .openstack_networking_quota_v2 as Record<string, Record<string, unknown>>,
    ).filter((q) => String(q.project_id).includes("admin"));
    expect(quota).toMatchObject({
      security_group_rule: 100 + used("quota_security_group_rule"),
    });
    // AND the firewall rules beside the 4 of the project's default firewall group
    expect(count("fw_rule_v2", "platform")).toBeGreaterThan(100);
    expect(used("quota_firewall_rule")).toBe(count("fw_rule_v2", "platform") + 4);
    expect(option(neutron, "quota_firewall_rule")).toBe(100 + used("quota_firewall_rule"));
    // AND the legacy router's 40 routes (Neutron's max_routes is 30 per router)
    expect(count("networking_router_route_v2", "platform")).toBe(40);
    expect(option(neutron, "max_routes")).toBe(40);
    // AND the bridge subnet's 40 host routes (max_subnet_host_routes is 20 per subnet)
    expect(count("networking_subnet_route_v2", "platform")).toBe(40);
    expect(option(neutron, "max_subnet_host_routes")).toBe(40);
    // AND the admin's 110 key pairs (Nova's key_pairs quota is per user)
    expect(count("compute_keypair_v2")).toBe(110);
    expect(option("deploy/kolla/config/nova/nova-api.conf", "key_pairs")).toBe(100 + 110);
  });

  test("under OVN the VPN's peer CIDRs count against the legacy router's max_routes", () => {
    // GIVEN 28 legacy subnets the router routes (it is the bridge's gateway) and a VPN to 4 peer
    // CIDRs: OVN's VPN driver routes each peer CIDR on the same router, and Neutron checks all 32
    // routes against max_routes (30)
    const legacy = (mechanism: "ovn" | "ovs") =>
      deployFiles(
        load(
          variant((s: any) => {
            s.network.mechanism = mechanism;
            if (mechanism === "ovn") s.network.tenantNetworkType = "geneve";
            s.controlPlane.services.push("vpnaas");
            withLegacyBridge(s, {
              subnets: Array.from({ length: 28 }, (_, i) => `192.168.${50 + i}.0/24`),
              systems: [
                { name: "aix-a", architecture: "ppc64", os: "AIX 7.2", address: "192.168.50.10" },
              ],
              flows: [],
              vpn: {
                peerAddress: "203.0.113.7",
                peerCidrs: ["10.90.0.0/24", "10.90.1.0/24", "10.90.2.0/24", "10.90.3.0/24"],
              },
            });
            s.legacyUnix.subnetGateway = true;
          }),
        ).model,
      ).get("deploy/kolla/config/neutron.conf") ?? "";
    // THEN OVN's neutron.conf raises max_routes to 32, and says why
    expect(legacy("ovn")).toMatch(/^max_routes = 32$/m);
    expect(legacy("ovn")).toContain("its legacy subnets and the VPN's peer CIDRs");
    // AND under Open vSwitch the IPsec agent routes in its namespace: 28 routes, the default
    expect(legacy("ovs")).not.toContain("max_routes");
  });

  test("a small design keeps Neutron's and Nova's defaults", () => {
    const files = deployFiles(load(spec0()).model);
    expect(files.get("deploy/kolla/config/neutron.conf")).not.toMatch(
      /quota_security_group|quota_firewall_rule|max_routes|max_subnet_host_routes/,
    );
    expect(files.has("deploy/kolla/config/nova/nova-api.conf")).toBe(false);
  });
});

const spec0 = () =>
  variant((s: any) =>
    withLegacyFlows(s, [
      { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"], pools: ["app"] },
    ]),
  );
