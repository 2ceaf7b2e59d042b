import * as fs from "fs";
import * as path from "path";
import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { formatPath } from "../../core/errors";
import { deployFiles } from "../../deployer";
import { droppedProviderShares, planOf, unsharedNetworks } from "../../cli/day-two";
import { issuesOf, load, variant } from "../support/fixtures";
import { withLegacyFlows } from "../support/legacy";
import { synthesized } from "../support/synth-cache";
import { renderArchitecture } from "../support/documents";
import { cli, tmp } from "../support/cli";

const DMZ = {
  name: "dmz",
  role: "provider",
  cidr: "10.0.9.0/24",
  vlan: 30,
  physicalNetwork: "physnet-ext",
};

/** The base design with a DMZ provider network and two tenants, `web` listing it. */
const dmzDesign = (edit: (s: any) => void = () => {}) =>
  variant((s) => {
    s.network.networks.push({ ...DMZ });
    s.tenants = [
      { name: "web", network: { cidr: "192.168.10.0/24" }, providerNetworks: ["dmz"] },
      { name: "back office", id: "back-office", network: { cidr: "192.168.11.0/24" } },
    ];
    edit(s);
  });

const findings = (spec: ReturnType<typeof variant>, severity: "error" | "warning") =>
  (severity === "error" ? issuesOf(spec) : load(spec).warnings)
    .filter((i) => i.severity === severity)
    .map((i) => ({ path: formatPath(i.path), code: i.code, message: i.message }));

const platform = (output: string) => `\${data.terraform_remote_state.platform.outputs.${output}}`;

describe("a provider network given to the tenants that list it", () => {
  test("each listing tenant gets an RBAC share of the network, read from the platform stack", async () => {
    // GIVEN tenant web listing the DMZ network, back-office not
    const model = load(dmzDesign()).model;
    const stacks = await synthesized(enterpriseReference, model, "json");
    const byName = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)]));
    // THEN web's stack shares the platform's network with web's project, as Neutron's RBAC entry
    expect(byName["tenant-web"].resource.openstack_networking_rbac_policy_v2).toEqual({
      web_network_dmz_share: expect.objectContaining({
        action: "access_as_shared",
        object_type: "network",
        object_id: platform("network_dmz_id"),
        target_tenant: "${openstack_identity_project_v3.web.id}",
      }),
    });
    expect(byName["tenant-web"].data.terraform_remote_state.platform).toBeDefined();
    // AND the platform stack gives the network's id as an output, of the network it makes
    expect(byName.platform.output.network_dmz_id.value).toBe(
      "${openstack_networking_network_v2.cloud_network_dmz.id}",
    );
    expect(byName.platform.resource.openstack_networking_network_v2.cloud_network_dmz.shared).toBe(
      false,
    );
    // AND back-office's stack shares nothing
    expect(
      byName["tenant-back-office"].resource.openstack_networking_rbac_policy_v2,
    ).toBeUndefined();
    // AND the model says who has it
    expect(model.networks.find((n) => n.name === "dmz")?.tenants).toEqual(["web"]);
    expect(model.tenants.map((t) => [t.id, t.providerNetworks])).toEqual([
      ["back-office", []],
      ["web", ["dmz"]],
    ]);
  });

  test("a network shared with every project still gets its listing tenants' shares", async () => {
    // GIVEN the DMZ network shared with every project, web listing it
    const model = load(dmzDesign((s) => (s.network.networks.at(-1).shared = true))).model;
    const stacks = await synthesized(enterpriseReference, model, "json");
    const web = JSON.parse(stacks.find((s) => s.name === "tenant-web")!.content);
    // THEN web keeps a share of its own: the network can stop being shared while web has ports
    // on it (Neutron removes the wildcard share only while every port is covered by another)
    expect(Object.keys(web.resource.openstack_networking_rbac_policy_v2)).toEqual([
      "web_network_dmz_share",
    ]);
  });

  test("the admin's project owns the shares: its RBAC quota counts them", () => {
    // GIVEN both tenants listing the DMZ network
    const model = load(dmzDesign((s) => (s.tenants[1].providerNetworks = ["dmz"]))).model;
    // THEN Neutron's RBAC quota of the admin's project holds the 2 shares and the one Neutron
    // makes for the external network, beside its default 10
    expect(model.deploy.neutron.quotas).toEqual([
      { option: "quota_rbac_policy", used: 2 + 1, value: 10 + 2 + 1 },
    ]);
    expect(deployFiles(model).get("deploy/kolla/config/neutron.conf")).toContain(
      "[quotas]\nquota_rbac_policy = 13\n",
    );
  });

  test("an instance on its own network and on the given one takes two ports of the quota", () => {
    // GIVEN web with 200 instances on its own network and the DMZ network
    const model = load(dmzDesign((s) => (s.tenants[0].quota = { instances: 200 }))).model;
    const web = model.tenants.find((t) => t.id === "web")!;
    // THEN its ports quota holds two per instance with the router, DHCP and metadata ports
    const { subnets, networks, loadBalancers } = web.quota;
    expect(web.quota.ports).toBe(2 * 200 + 4 * subnets + networks + loadBalancers);
    // AND with the legacy bridge too, three per instance, each said in the warning
    const three = findings(
      dmzDesign((s) => {
        withLegacyFlows(s, [
          { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"] },
        ]);
        s.tenants[0].quota = { instances: 10, ports: 15 };
      }),
      "warning",
    ).filter((w) => w.code === "quota-ports-below-instances");
    expect(three.map((w) => w.message)).toEqual([
      "15 ports for 10 instances: each instance takes three ports (one on the legacy bridge and one on a provider network it is given), and its network's router interface and DHCP ports take 3: 33 in all, so Nova refuses instances past the ports; raise quota.ports or leave it out to have it computed",
    ]);
    // AND a quota set below that is warned with why
    const warned = findings(
      dmzDesign((s) => (s.tenants[0].quota = { instances: 10, ports: 15 })),
      "warning",
    ).filter((w) => w.code === "quota-ports-below-instances");
    expect(warned).toEqual([
      {
        path: "tenants[0].quota.ports",
        code: "quota-ports-below-instances",
        message:
          "15 ports for 10 instances: each instance takes two ports (one on a provider network it is given), and its network's router interface and DHCP ports take 3: 23 in all, so Nova refuses instances past the ports; raise quota.ports or leave it out to have it computed",
      },
    ]);
  });

  test("the document says who may attach to each provider network", async () => {
    // GIVEN the DMZ network given to web, and a second one nobody is given
    const model = load(
      dmzDesign((s) => {
        s.network.networks.push({ ...DMZ, name: "backup", cidr: "10.0.10.0/24", vlan: 31 });
        s.suppressions = [{ rule: "SW-SPEC-provider-network-unused", reason: "admin only" }];
      }),
    ).model;
    const { markdown } = await renderArchitecture(model);
    // THEN each network's users are listed, and web's row names the network beside its subnet
    expect(markdown).toContain(
      "- backup: the admin's project only.\n- dmz: only the tenants that list it, an RBAC share each (web).\n",
    );
    expect(markdown).toMatch(/\| web \| default \|[^\n]*\| 192\.168\.10\.0\/24, dmz \|/);
    // AND a shared network listed by a tenant, and the legacy bridge, are said as such
    const shared = await renderArchitecture(
      load(
        dmzDesign((s) => {
          s.network.networks.at(-1).shared = true;
          withLegacyFlows(s, [
            { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"] },
          ]);
        }),
      ).model,
    );
    expect(shared.markdown).toContain(
      "- dmz: every project (shared), with an RBAC share of their own for the tenants that list it, so that it can stop being shared (web).\n",
    );
    expect(shared.markdown).toContain(
      "- unix-bridge: the tenants of the legacy flows, with the flows' security groups (back office, web).\n",
    );
  });
});

describe("the rules of provider network grants", () => {
  test("a network that is not a provider network, or the legacy bridge, is refused", () => {
    // GIVEN a tenant listing the external network, a host network and the legacy bridge
    const spec = variant((s) => {
      withLegacyFlows(s, [
        { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"], pools: ["app"] },
      ]);
      s.tenants = [{ name: "a", providerNetworks: ["ext", "mgmt", s.legacyUnix.network, "nope"] }];
    });
    const bridge = spec.legacyUnix?.network;
    // THEN each is refused with why, and the unknown one is an unknown reference
    expect(
      findings(spec, "error").filter((e) => e.path.startsWith("tenants[0].providerNetworks")),
    ).toEqual([
      {
        path: "tenants[0].providerNetworks[3]",
        code: "unknown-reference",
        message: 'provider network "nope" is not declared (provider networks: unix-bridge)',
      },
      {
        path: "tenants[0].providerNetworks[0]",
        code: "tenant-network-not-provider",
        message:
          "network ext has role external: a tenant is given provider networks only (their instances attach there); tenant routers reach the external network without a grant; remove it from tenants[0].providerNetworks",
      },
      {
        path: "tenants[0].providerNetworks[1]",
        code: "tenant-network-not-provider",
        message:
          "network mgmt has role management: a tenant is given provider networks only (their instances attach there); the hosts' networks are not Neutron's; remove it from tenants[0].providerNetworks",
      },
      {
        path: "tenants[0].providerNetworks[2]",
        code: "tenant-network-legacy-bridge",
        message: `network ${bridge} is the legacy bridge (legacyUnix.network): it is shared with the tenants whose pools take part in its flows, with the flows' security groups; remove it from tenants[0].providerNetworks and declare the flow in legacyUnix.flows`,
      },
    ]);
  });

  test("SSH sources of the other IP version count the given provider networks' versions", () => {
    // GIVEN an IPv6 tenant network with an IPv4 SSH source
    const warned = (providerNetworks: string[]) =>
      findings(
        dmzDesign((s) => {
          s.tenants[0].network = { cidr: "fd00:10::/64" };
          s.tenants[0].sshCidrs = ["10.1.0.0/16"];
          s.tenants[0].providerNetworks = providerNetworks;
        }),
        "warning",
      ).filter((w) => w.code === "tenant-ssh-ip-version");
    // THEN it is warned: an IPv4 rule matches no packet to the tenant's IPv6 subnet
    expect(warned([])).toEqual([
      {
        path: "tenants[0].sshCidrs[0]",
        code: "tenant-ssh-ip-version",
        message:
          "SSH source 10.1.0.0/16 is IPv4, while tenant web's network (fd00:10::/64) is IPv6: its security group rule (ethertype IPv4) matches no packet to the tenant's instances, so SSH from there never reaches them; give an IPv6 source",
      },
    ]);
    // AND not once the tenant is given the IPv4 DMZ network, where the rule reaches its instances
    expect(warned(["dmz"])).toEqual([]);
    // AND a network shared with every project counts: the rule reaches instances there
    expect(
      findings(
        dmzDesign((s) => {
          s.tenants[0].network = { cidr: "fd00:10::/64" };
          s.tenants[0].sshCidrs = ["10.1.0.0/16"];
          s.tenants[0].providerNetworks = [];
          s.network.networks.at(-1).shared = true;
        }),
        "warning",
      ).filter((w) => w.code === "tenant-ssh-ip-version"),
    ).toEqual([]);
    // AND a tenant with provider networks alone (a flat cloud) is checked against theirs
    const flat = findings(
      dmzDesign((s) => {
        s.network.networks.at(-1).cidr = "fd00:9::/64";
        s.tenants[0].network = undefined;
        s.tenants[0].sshCidrs = ["10.1.0.0/16"];
      }),
      "warning",
    ).filter((w) => w.code === "tenant-ssh-ip-version");
    expect(flat.map((w) => w.message)).toEqual([
      "SSH source 10.1.0.0/16 is IPv4, while tenant web's network (dmz fd00:9::/64) is IPv6: its security group rule (ethertype IPv4) matches no packet to the tenant's instances, so SSH from there never reaches them; give an IPv6 source",
    ]);
  });

  test("networks whose names Terraform reads alike are refused: their outputs would be one", () => {
    // GIVEN dmz-a and dmz--a, whose ids would both be the output network_dmz_a_id
    const spec = variant((s) => {
      s.network.networks.push(
        { ...DMZ, name: "dmz-a" },
        { ...DMZ, name: "dmz--a", cidr: "10.0.10.0/24", vlan: 31 },
      );
      s.tenants = [
        { name: "web", providerNetworks: ["dmz--a"] },
        { name: "b", providerNetworks: ["dmz-a"] },
      ];
    });
    expect(findings(spec, "error")).toEqual([
      {
        path: "network.networks[6].name",
        code: "duplicate-name",
        message:
          'network "dmz--a" and network "dmz-a" differ only in punctuation or case, which Terraform names read alike; rename one',
      },
    ]);
  });

  test("a legacy bridge shared with every project is refused: it would pass by the flows", () => {
    const spec = variant((s) => {
      withLegacyFlows(s, [{ name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"] }]);
      s.network.networks.find((n: any) => n.name === s.legacyUnix.network).shared = true;
    });
    expect(findings(spec, "error").map((e) => [e.path, e.code])).toEqual([
      ["network.networks[5].shared", "legacy-network-shared"],
    ]);
  });

  test("a misspelt provider network is said with the one meant", () => {
    const spec = dmzDesign((s) => (s.tenants[0].providerNetworks = ["dzm"]));
    expect(findings(spec, "error")).toEqual([
      {
        path: "tenants[0].providerNetworks[0]",
        code: "unknown-reference",
        message:
          'provider network "dzm" is not declared; did you mean "dmz"? (provider networks: dmz)',
      },
    ]);
  });

  test("a network listed twice by a tenant is refused", () => {
    const spec = dmzDesign((s) => (s.tenants[0].providerNetworks = ["dmz", "dmz"]));
    expect(findings(spec, "error")).toEqual([
      {
        path: "tenants[0].providerNetworks[1]",
        code: "duplicate-name",
        message: 'provider network "dmz" is already declared at tenants[0].providerNetworks[0]',
      },
    ]);
  });

  test("a provider network shared with nobody and listed by no tenant is warned", () => {
    // GIVEN the DMZ network no tenant lists
    const warned = (edit: (s: any) => void) =>
      findings(
        dmzDesign((s) => {
          s.tenants[0].providerNetworks = [];
          edit(s);
        }),
        "warning",
      ).filter((w) => w.code === "provider-network-unused");
    // THEN it is warned: only the admin's project can attach to it
    expect(warned(() => {})).toEqual([
      {
        path: "network.networks[5]",
        code: "provider-network-unused",
        message:
          "provider network dmz is not shared and no tenant lists it: only the admin's project can attach instances to it; list it in the providerNetworks of the tenants that use it, or set shared: true to share it with every project",
      },
    ]);
    // AND not once shared, nor in a design without tenants
    expect(warned((s) => (s.network.networks.at(-1).shared = true))).toEqual([]);
    expect(warned((s) => (s.tenants = []))).toEqual([]);
  });

  test("a flat-only cloud's tenants given a provider network have one to boot on", () => {
    // GIVEN tenant network type flat, no shared network, web listing the DMZ network
    const flat = (edit: (s: any) => void) =>
      findings(
        dmzDesign((s) => {
          s.network.tenantNetworkType = "flat";
          for (const t of s.tenants) delete t.network;
          edit(s);
        }),
        "warning",
      ).filter((w) => w.code === "flat-no-shared-network");
    // THEN only back-office, which lists none, is named
    expect(flat(() => {})).toEqual([
      {
        path: "network.tenantNetworkType",
        code: "flat-no-shared-network",
        message:
          "with tenant network type flat projects make no network, and no provider network is shared: the instances of tenant back office have none to boot on; share a provider network (shared: true), list one in their providerNetworks, or use another tenant network type",
      },
    ]);
    // AND none once both list it
    expect(flat((s) => (s.tenants[1].providerNetworks = ["dmz"]))).toEqual([]);
  });
});

describe("a provider network's grants on day 2", () => {
  const planned = (edit: (s: any) => void = () => {}) =>
    planOf(JSON.parse(JSON.stringify(load(dmzDesign(edit)).model)))!;

  test("a grant dropped while the network is not shared is named; one covered by sharing is not", () => {
    // GIVEN web given the DMZ network
    const plan = planned();
    // WHEN web no longer lists it THEN the share is named (Neutron keeps one in use)
    const dropped = load(dmzDesign((s) => (s.tenants[0].providerNetworks = []))).model;
    expect(droppedProviderShares(plan, dropped)).toEqual([{ tenant: "web", networks: ["dmz"] }]);
    // AND not when the network is now shared with every project, or web keeps it
    const shared = load(
      dmzDesign((s) => {
        s.tenants[0].providerNetworks = [];
        s.network.networks.at(-1).shared = true;
      }),
    ).model;
    expect(droppedProviderShares(plan, shared)).toEqual([]);
    expect(droppedProviderShares(plan, load(dmzDesign()).model)).toEqual([]);
  });

  test("a network that stops being shared names the tenants holding a share and those still to get one", () => {
    // GIVEN the DMZ network shared with every project, web listing it
    const plan = planned((s) => (s.network.networks.at(-1).shared = true));
    // WHEN it stops being shared and back-office lists it too
    const model = load(dmzDesign((s) => (s.tenants[1].providerNetworks = ["dmz"]))).model;
    // THEN web holds a share already, back-office gets one only from its own stack
    expect(unsharedNetworks(plan, model)).toEqual([
      { network: "dmz", granted: ["web"], pending: ["back-office"] },
    ]);
    expect(unsharedNetworks(planned(), model)).toEqual([]);
  });

  test("synth says what a network that stops being shared needs, and refuses it before the shares exist", async () => {
    // GIVEN a folder synthesized with the DMZ network shared, web and back-office listing it
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (shared: boolean, both: boolean) =>
      dmzDesign((s) => {
        s.network.networks.at(-1).shared = shared;
        if (both) s.tenants[1].providerNetworks = ["dmz"];
      });
    fs.writeFileSync(file, JSON.stringify(spec(true, true)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN it stops being shared
    fs.writeFileSync(file, JSON.stringify(spec(false, true)));
    const done = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth goes on, and says who holds a share and how to find other projects' ports
    expect(done.code).toBe(0);
    expect(done.stderr).toContain(
      "provider network dmz stops being shared with every project: Neutron refuses that (InvalidSharedSetting, and the platform stack's apply stops) while a project without a share of its own has ports on it; web, back-office hold one each; other projects' ports there must go first (as admin, openstack port list --network sw-dmz lists every project's",
    );
    // AND from a plan where back-office had no share yet, unsharing is refused where it is said
    const earlier = path.join(dir, "earlier");
    fs.writeFileSync(file, JSON.stringify(spec(true, false)));
    expect((await cli(["synth", file, "--out", earlier, "-q"])).code).toBe(0);
    fs.writeFileSync(file, JSON.stringify(spec(false, true), null, 2));
    const refused = await cli(["synth", file, "--out", earlier, "-q"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /spec\.json:\d+:\d+ network\.networks\[5\]\.shared: provider network dmz stops being shared with every project while back-office gets its own share only from its stack/,
    );
    expect((await cli(["synth", file, "--out", earlier, "-q", "--destroy-removed"])).code).toBe(0);
  });

  test("synth refuses a dropped grant at the tenant's list, and accepts it when asked", async () => {
    // GIVEN a folder synthesized with web given the DMZ network
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(dmzDesign(), null, 2));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN web lists it no more
    fs.writeFileSync(
      file,
      JSON.stringify(
        dmzDesign((s) => (s.tenants[0].providerNetworks = [])),
        null,
        2,
      ),
    );
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses where the spec lists it, naming the network's ports to delete first
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /spec\.json:\d+:\d+ tenants\[0\]\.providerNetworks: this design no longer gives tenant web provider network dmz: Neutron refuses to remove a project's share of a network while the project has ports on it \(RbacPolicyInUse\)\. Delete those instances' ports on it first \(openstack port list --network \S+-dmz --project <the tenant's project>\)/,
    );
    // AND --destroy-removed accepts it
    expect((await cli(["synth", file, "--out", out, "-q", "--destroy-removed"])).code).toBe(0);
  });
});
