// Declares the cdktf matchers on jest's expect.
import "cdktf/lib/testing/adapters/jest";
import { Testing, TerraformStack } from "cdktf";
import { NetworkingPortV2 } from "../../.gen/providers/openstack/networking-port-v2";
import { NetworkingRouterInterfaceV2 } from "../../.gen/providers/openstack/networking-router-interface-v2";
import { NetworkingRouterRouteV2 } from "../../.gen/providers/openstack/networking-router-route-v2";
import { NetworkingRouterV2 } from "../../.gen/providers/openstack/networking-router-v2";
import { NetworkingSecgroupRuleV2 } from "../../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSecgroupV2 } from "../../.gen/providers/openstack/networking-secgroup-v2";
import { VpnaasEndpointGroupV2 } from "../../.gen/providers/openstack/vpnaas-endpoint-group-v2";
import { VpnaasIkePolicyV2 } from "../../.gen/providers/openstack/vpnaas-ike-policy-v2";
import { VpnaasIpsecPolicyV2 } from "../../.gen/providers/openstack/vpnaas-ipsec-policy-v2";
import { VpnaasServiceV2 } from "../../.gen/providers/openstack/vpnaas-service-v2";
import { VpnaasSiteConnectionV2 } from "../../.gen/providers/openstack/vpnaas-site-connection-v2";
import { LegacyBridge, type LegacyBridgeProps } from "../../constructs/legacy-bridge";
import type { Model } from "../../model/types";
import { renderArchitecture } from "../support/documents";
import { load, variant } from "../support/fixtures";
import { withLegacyBridge } from "../support/legacy";
import { schemaProblems } from "../support/provider-schema";
import { testApp } from "../support/synth";

Testing.setupJest();

const PEER = "203.0.113.7";

function legacyModel(edit: (legacy: any) => void = () => undefined): Model {
  return load(
    variant((s) => {
      withLegacyBridge(s, {
        subnets: ["192.168.50.0/24", "192.168.51.0/24"],
        systems: [
          { name: "aix-a", architecture: "ppc64", os: "AIX 7.2", address: "192.168.50.10" },
          { name: "aix-b", architecture: "ppc64", os: "AIX 7.3", address: "192.168.51.11" },
        ],
        flows: [
          { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a", "aix-b"] },
          { name: "callback", port: 8443, direction: "from-legacy", systems: ["aix-b"] },
          {
            name: "syslog",
            port: 514,
            protocol: "udp",
            direction: "from-legacy",
            systems: ["aix-a"],
          },
        ],
      });
      edit(s.legacyUnix);
    }),
  ).model;
}

function synth(model: Model, props: Partial<LegacyBridgeProps> = {}): string {
  const app = testApp();
  const stack = new TerraformStack(app, "test");
  new LegacyBridge(stack, "legacy", {
    model,
    networkId: "bridge-net-id",
    subnetId: "bridge-subnet-id",
    ...props,
  });
  return Testing.synth(stack);
}

type Rule = {
  direction: string;
  ethertype: string;
  protocol: string;
  port_range_min: number;
  port_range_max: number;
  remote_ip_prefix?: string;
  description?: string;
  security_group_id: string;
};

describe("LegacyBridge without VPN", () => {
  // GIVEN
  const model = legacyModel();
  // WHEN
  const out = synth(model);
  const json = JSON.parse(out);
  const rules = Object.values(json.resource.openstack_networking_secgroup_rule_v2) as Rule[];

  test("routes each legacy subnet through the next hop on a gateway-less router", () => {
    // THEN
    expect(out).toHaveResourceWithProperties(NetworkingRouterV2, { name: "sw-legacy" });
    const router = Object.values(json.resource.openstack_networking_router_v2)[0] as object;
    expect(router).not.toHaveProperty("external_network_id");
    const [port] = Object.keys(json.resource.openstack_networking_port_v2);
    expect(Object.values(json.resource.openstack_networking_router_interface_v2)).toEqual([
      expect.objectContaining({
        port_id: `\${openstack_networking_port_v2.${port}.id}`,
        router_id: expect.stringContaining("openstack_networking_router_v2."),
      }),
    ]);
    // (the instances reach the next hop by their host routes: a route on the router would
    // carry only what reaches it from elsewhere)
    expect(out).not.toHaveResource(NetworkingRouterRouteV2);
  });

  test("takes the bridge's gateway address on a port of its own: the subnet offers no default route", () => {
    const bridge = model.networks.find((n) => n.name === "unix-bridge");
    expect(bridge?.gateway).toBeUndefined();
    expect(bridge?.reservations).toContainEqual({
      address: "10.20.50.1",
      purpose: "legacy router",
      kind: "legacy-router",
    });
    expect(model.legacyUnix).toMatchObject({ routerAddress: "10.20.50.1", subnetGateway: false });
    expect(out).toHaveResourceWithProperties(NetworkingPortV2, {
      name: "sw-legacy-router",
      network_id: "bridge-net-id",
      fixed_ip: [{ subnet_id: "bridge-subnet-id", ip_address: "10.20.50.1" }],
    });
    expect(out).not.toHaveResourceWithProperties(NetworkingRouterInterfaceV2, {
      subnet_id: expect.anything(),
    });
  });

  test("keeps a running cloud's router on the subnet's gateway when told (subnetGateway)", async () => {
    const kept = legacyModel((l) => (l.subnetGateway = true));
    expect(kept.networks.find((n) => n.name === "unix-bridge")?.gateway).toBe("10.20.50.1");
    const synthesized = synth(kept);
    expect(synthesized).toHaveResourceWithProperties(NetworkingRouterInterfaceV2, {
      subnet_id: "bridge-subnet-id",
    });
    expect(synthesized).not.toHaveResource(NetworkingPortV2);
    // (the router is the ports' default route there: it routes each legacy subnet to the next hop)
    for (const cidr of ["192.168.50.0/24", "192.168.51.0/24"])
      expect(synthesized).toHaveResourceWithProperties(NetworkingRouterRouteV2, {
        destination_cidr: cidr,
        next_hop: "10.20.50.254",
        depends_on: [expect.stringContaining("openstack_networking_router_interface_v2")],
      });
    const { markdown } = await renderArchitecture(kept);
    expect(markdown).toContain(
      "DHCP also offers the bridge's gateway, the legacy router, as a default route, and a route to the metadata service (169.254.169.254)",
    );
    expect((await renderArchitecture(model)).markdown).toContain(
      "the bridge subnet has no gateway, so that port gets no default route (the cloud's legacy router holds 10.20.50.1 on a port of its own); DHCP still offers it a route to the metadata service (169.254.169.254) through the bridge's own DHCP or metadata port, which the flows' security groups do not open: the instance's own network should keep its routes ahead (a higher metric for the second port):",
    );
  });

  test("hands the bridge's ports a route to each legacy subnet by the next hop", () => {
    // Instances reach the legacy systems through their second port, whatever their default route
    expect(model.legacyUnix?.hostRoutes).toEqual([
      { destination: "192.168.50.0/24", nextHop: "10.20.50.254" },
      { destination: "192.168.51.0/24", nextHop: "10.20.50.254" },
    ]);
    const routes = Object.values(json.resource.openstack_networking_subnet_route_v2);
    expect(routes).toEqual(
      model.legacyUnix?.hostRoutes.map((r) => ({
        subnet_id: "bridge-subnet-id",
        destination_cidr: r.destination,
        next_hop: r.nextHop,
      })),
    );
  });

  test("opens each from-legacy port only to the declared systems, one /32 each", () => {
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupV2, {
      name: "sw-legacy-ingress",
      delete_default_rules: true,
    });
    const ingress = rules.filter((r) => r.direction === "ingress");
    expect(ingress).toHaveLength(2);
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      port_range_min: 8443,
      port_range_max: 8443,
      remote_ip_prefix: "192.168.51.11/32",
      description: "tcp/8443 from 192.168.51.11 to the cloud",
    });
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupRuleV2, {
      direction: "ingress",
      protocol: "udp",
      port_range_min: 514,
      remote_ip_prefix: "192.168.50.10/32",
    });
  });

  test("opens each to-legacy port as egress to every system of the flow", () => {
    expect(out).toHaveResourceWithProperties(NetworkingSecgroupV2, {
      name: "sw-legacy-egress",
      delete_default_rules: true,
    });
    const egress = rules.filter((r) => r.direction === "egress");
    expect(egress.map((r) => r.remote_ip_prefix).sort()).toEqual([
      "192.168.50.10/32",
      "192.168.51.11/32",
    ]);
    expect(egress.every((r) => r.port_range_min === 1414 && r.port_range_max === 1414)).toBe(true);
  });

  test("gives every rule a description, IPv4 and a remote prefix", () => {
    for (const r of rules) {
      expect(r.description).toBeTruthy();
      expect(r.ethertype).toBe("IPv4");
      expect(r.remote_ip_prefix).toMatch(/^\d+\.\d+\.\d+\.\d+\/32$/);
    }
  });

  test("emits no VPN and only attributes of provider v3.4.0", () => {
    expect(json.resource.openstack_vpnaas_site_connection_v2).toBeUndefined();
    expect(json.variable).toBeUndefined();
    expect(schemaProblems(json)).toEqual([]);
  });

  test("opens a port of an address once, for every flow and system there", () => {
    // GIVEN a second flow on callback's port and system, differing only in its pools, and a
    // second system at aix-b's address
    const m = legacyModel((l) => {
      l.systems.push({
        name: "aix-b2",
        architecture: "ppc64",
        os: "AIX 7.3",
        address: "192.168.51.11",
      });
      l.flows.push({
        name: "settlement",
        port: 8443,
        direction: "from-legacy",
        systems: ["aix-b"],
      });
      l.flows.push({ name: "a-batch", port: 8443, direction: "from-legacy", systems: ["aix-b2"] });
    });
    // WHEN
    const synthesized = JSON.parse(synth(m));
    // THEN one rule carries them all (Neutron refuses a second alike but for its description)
    const byAddress = synthesized.resource.openstack_networking_secgroup_rule_v2 as Record<
      string,
      Rule
    >;
    const on8443 = Object.entries(byAddress).filter(([, r]) => r.port_range_min === 8443);
    expect(on8443.map(([, r]) => r)).toEqual([
      expect.objectContaining({
        remote_ip_prefix: "192.168.51.11/32",
        description: "tcp/8443 from 192.168.51.11 to the cloud",
      }),
    ]);
    // AND the flow and the system joining left the rule as it was with callback alone: the same
    // address (Terraform would create a new one before deleting the old) and description
    // (ForceNew)
    expect(on8443).toEqual(
      Object.entries(
        json.resource.openstack_networking_secgroup_rule_v2 as Record<string, Rule>,
      ).filter(([, r]) => r.port_range_min === 8443),
    );
  });

  /** Flows to aix-a from the given pools (one flow per list), with pool app-web beside app and web. */
  const poolFlows = (pools: string[][]) =>
    load(
      variant((s) => {
        s.zones[1].pools.push({
          name: "app-web",
          purpose: { tier: "app" },
          hosts: 2,
          hardware: "cmp",
        });
        withLegacyBridge(s, {
          subnets: ["192.168.50.0/24"],
          systems: [
            { name: "aix-a", architecture: "ppc64", os: "AIX 7.2", address: "192.168.50.10" },
          ],
          flows: pools.map((p, i) => ({
            name: `f${i}`,
            port: 1400 + i,
            direction: "to-legacy",
            systems: ["aix-a"],
            pools: p,
          })),
        });
      }),
    ).model;
  /** Each legacy group's Neutron name and its Terraform address. */
  const groupsOf = (m: Model) =>
    Object.fromEntries(
      Object.entries(
        JSON.parse(synth(m)).resource.openstack_networking_secgroup_v2 as Record<
          string,
          { name: string }
        >,
      ).map(([address, g]) => [g.name, address]),
    );

  test("names a group of several pools apart from one pool named like them", () => {
    // GIVEN flows to the legacy systems for pools app and web together, and for pool app-web
    const groups = groupsOf(poolFlows([["app", "web"], ["app-web"]]));
    // THEN Neutron gets two names, not one twice
    expect(Object.keys(groups).sort()).toEqual([
      "sw-legacy-egress-app+web",
      "sw-legacy-egress-app-web",
    ]);
  });

  test("keeps each group's Terraform address when a flow of other pools joins", () => {
    // GIVEN flows for pool app-web and for pool app, THEN a flow for app and web together
    const before = groupsOf(poolFlows([["app-web"], ["app"]]));
    const after = groupsOf(poolFlows([["app-web"], ["app"], ["app", "web"]]));
    // THEN the groups that were there keep their addresses: none takes another's rules
    for (const [name, address] of Object.entries(before)) expect(after[name]).toBe(address);
    expect(Object.keys(after).sort()).toEqual([
      "sw-legacy-egress-app",
      "sw-legacy-egress-app+web",
      "sw-legacy-egress-app-web",
    ]);
  });

  test("fits names and descriptions of groups of many long-named pools in Neutron's 255 characters", () => {
    // GIVEN a flow for six pools of 50-character names, and another for one of them alone
    const long = Array.from({ length: 6 }, (_, i) => `p${i}-${"x".repeat(47)}`);
    const model = load(
      variant((s) => {
        for (const name of long)
          s.zones[1].pools.push({ name, purpose: { tier: "app" }, hosts: 1, hardware: "cmp" });
        withLegacyBridge(s, {
          subnets: ["192.168.50.0/24"],
          systems: [
            { name: "aix-a", architecture: "ppc64", os: "AIX 7.2", address: "192.168.50.10" },
          ],
          flows: [
            { name: "all", port: 1400, direction: "to-legacy", systems: ["aix-a"], pools: long },
            {
              name: "one",
              port: 1401,
              direction: "to-legacy",
              systems: ["aix-a"],
              pools: [long[0]],
            },
          ],
        });
      }),
    ).model;
    const groups = Object.values(
      JSON.parse(synth(model)).resource.openstack_networking_secgroup_v2 as Record<
        string,
        { name: string; description: string }
      >,
    );
    // THEN each fits (Neutron refuses longer names and descriptions), and the two stay apart
    expect(groups).toHaveLength(2);
    for (const g of groups) {
      expect([...g.name].length).toBeLessThanOrEqual(255);
      expect([...g.description].length).toBeLessThanOrEqual(255);
    }
    const cut = groups.find((g) => g.name.length === 255)!;
    expect(cut.name).toMatch(/^sw-legacy-egress-p0-x+\+p1-x+\+.*-[0-9a-f]{8}$/);
    expect(new Set(groups.map((g) => g.name)).size).toBe(2);
  });

  test("creates no security group for a direction without flows", () => {
    const m = legacyModel((l) => (l.flows = l.flows.filter((f: any) => f.name === "mq")));
    const groups = Object.values(JSON.parse(synth(m)).resource.openstack_networking_secgroup_v2);
    expect(groups).toEqual([expect.objectContaining({ name: "sw-legacy-egress" })]);
  });

  test("fails when the model has no legacyUnix section", () => {
    expect(() => synth(load(variant(() => undefined)).model)).toThrow(
      "LegacyBridge needs legacyUnix in the model",
    );
  });

  test("fails when the next hop is the bridge network's gateway", () => {
    // GIVEN a model the spec rules would have refused (legacy-next-hop)
    const valid = legacyModel();
    const legacy = { ...(valid.legacyUnix as NonNullable<Model["legacyUnix"]>) };
    const m = { ...valid, legacyUnix: { ...legacy, nextHop: "10.20.50.1" } };
    // WHEN / THEN
    expect(() => synth(m)).toThrow("next hop 10.20.50.1 is the bridge network's gateway");
  });
});

describe("LegacyBridge with VPN", () => {
  // GIVEN
  const model = legacyModel((l) => (l.vpn = { peerAddress: PEER, peerCidrs: ["172.16.0.0/16"] }));
  // WHEN
  const out = synth(model, { externalNetworkId: "ext-net-id" });
  const json = JSON.parse(out);

  test("runs the VPN service on the router, which then needs a gateway without SNAT", () => {
    // THEN
    expect(out).toHaveResourceWithProperties(NetworkingRouterV2, {
      external_network_id: "ext-net-id",
      enable_snat: false,
    });
    expect(out).toHaveResourceWithProperties(VpnaasServiceV2, {
      router_id: expect.stringContaining("openstack_networking_router_v2"),
    });
    // Endpoint-group mode: the service carries no subnet.
    const service = Object.values(json.resource.openstack_vpnaas_service_v2)[0] as object;
    expect(service).not.toHaveProperty("subnet_id");
  });

  test("the tunnel's crypto is the model's, which the document gives the remote site", async () => {
    const vpn = model.legacyUnix!.vpn!;
    expect(out).toHaveResourceWithProperties(VpnaasIkePolicyV2, {
      ike_version: vpn.ike.version,
      encryption_algorithm: vpn.ike.encryption,
      auth_algorithm: vpn.ike.auth,
      pfs: vpn.ike.pfs,
      lifetime: [{ units: "seconds", value: vpn.ike.lifetimeSeconds }],
    });
    expect(out).toHaveResourceWithProperties(VpnaasIpsecPolicyV2, {
      encryption_algorithm: vpn.ipsec.encryption,
      lifetime: [{ units: "seconds", value: vpn.ipsec.lifetimeSeconds }],
    });
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "| Phase 1 (IKE) | IKEv2, aes-256, sha256, Diffie-Hellman group14, lifetime 28800 s |",
    );
    expect(markdown).toContain(
      "| Phase 2 (IPsec) | esp in tunnel mode, aes-256, sha256, PFS group14, lifetime 3600 s |",
    );
    expect(markdown).toContain(
      `| The cloud's subnet in the tunnel (the bridge) | ${vpn.localSubnet} |`,
    );
    expect(vpn.localSubnet).toBe(model.networks.find((n) => n.name === "unix-bridge")?.cidr);
    // (the connection's peer id is the peer's address: the remote side sends that as its ID)
    expect(markdown).toContain(
      `| The remote gateway's own identity (IKE ID), which the cloud expects: its address, as an IP address ID; behind NAT too, where it would otherwise send its private address | ${PEER} |`,
    );
    expect(markdown).toMatch(
      /\| The cloud's address \(peer address and peer id\)[^|]*\| `legacy_vpn_local_address` \|/,
    );
  });

  test("a tunnel no flow uses is warned: the flows' groups open ports to their systems alone", () => {
    const warned = (systems: object[], flowSystems: string[]) =>
      load(
        variant((s) => {
          withLegacyBridge(s, {
            subnets: ["192.168.50.0/24"],
            systems,
            flows: [{ name: "mq", port: 1414, direction: "to-legacy", systems: flowSystems }],
          });
          s.legacyUnix.vpn = { peerAddress: PEER, peerCidrs: ["172.16.0.0/16"] };
        }),
      ).warnings.filter((w) => w.code === "legacy-vpn-unused");
    const here = { name: "aix-a", architecture: "ppc64", os: "AIX 7.2", address: "192.168.50.10" };
    const there = { name: "aix-r", architecture: "ppc64", os: "AIX 7.2", address: "172.16.0.10" };
    expect(warned([here, there], ["aix-a"]).map((w) => [w.path, w.message])).toEqual([
      [
        ["legacyUnix", "vpn"],
        "no flow reaches a system behind the VPN (172.16.0.0/16): the flows' security groups open ports to their systems alone, so the tunnel carries nothing; declare the remote site's systems and their flows, or remove the VPN",
      ],
    ]);
    expect(warned([here, there], ["aix-r"])).toEqual([]);
  });

  test("routes the bridge's ports to the peer CIDRs through the VPN's router", () => {
    const gateway = model.legacyUnix?.routerAddress;
    expect(gateway).toBe("10.20.50.1");
    expect(model.legacyUnix?.hostRoutes).toContainEqual({
      destination: "172.16.0.0/16",
      nextHop: gateway,
    });
    expect(Object.values(json.resource.openstack_networking_subnet_route_v2)).toContainEqual({
      subnet_id: "bridge-subnet-id",
      destination_cidr: "172.16.0.0/16",
      next_hop: gateway,
    });
  });

  test("connects the bridge subnet to the peer CIDRs through endpoint groups", () => {
    expect(out).toHaveResourceWithProperties(VpnaasEndpointGroupV2, {
      type: "subnet",
      endpoints: ["bridge-subnet-id"],
    });
    expect(out).toHaveResourceWithProperties(VpnaasEndpointGroupV2, {
      type: "cidr",
      endpoints: ["172.16.0.0/16"],
    });
    expect(out).toHaveResourceWithProperties(VpnaasSiteConnectionV2, {
      peer_address: PEER,
      peer_id: PEER,
      local_ep_group_id: expect.stringContaining("openstack_vpnaas_endpoint_group_v2"),
      peer_ep_group_id: expect.stringContaining("openstack_vpnaas_endpoint_group_v2"),
    });
    const connection = Object.values(
      json.resource.openstack_vpnaas_site_connection_v2,
    )[0] as object;
    expect(connection).not.toHaveProperty("peer_cidrs");
  });

  test("replaces an endpoint group before deleting the old one, which the connection still uses", () => {
    // (endpoints are ForceNew; Neutron deletes no group a connection names, EndpointGroupInUse,
    // and moves the connection's peer_ep_group_id in place)
    const groups = Object.values(json.resource.openstack_vpnaas_endpoint_group_v2) as {
      lifecycle?: object;
    }[];
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(g.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("warns that the local backend keeps the key's value in the output folder, and says how to set it", () => {
    // (Terraform stores a sensitive variable's value in the state as it is)
    const warned = (output?: object) =>
      load(
        variant((s) => {
          withLegacyBridge(s, {
            subnets: ["192.168.50.0/24"],
            systems: [
              { name: "aix-a", architecture: "ppc64", os: "AIX 7.2", address: "192.168.50.10" },
            ],
            vpn: { peerAddress: PEER, peerCidrs: ["172.16.0.0/16"] },
          });
          if (output) s.output = output;
          s.tenants = [
            {
              name: "a",
              network: { cidr: "10.40.1.0/24" },
              groups: [{ name: "a-members", role: "member" }],
            },
          ];
        }),
      );
    const local = warned();
    expect(local.warnings.find((w) => w.code === "legacy-vpn-psk-state")?.path).toEqual([
      "legacyUnix",
      "vpn",
    ]);
    const backend = { type: "http", address: "https://state.example.com/tf" };
    const remote = warned({ backend });
    expect(remote.warnings.map((w) => w.code)).not.toContain("legacy-vpn-psk-state");
    expect(remote.warnings.map((w) => w.code)).not.toContain("legacy-vpn-psk-project-stacks");
    // AND network stacks run by project members, which read the platform's state, are warned
    const projects = warned({ backend, tenantStacks: { networkCredentials: "project" } });
    const read = projects.warnings.find((w) => w.code === "legacy-vpn-psk-project-stacks");
    expect(read?.path).toEqual(["output", "tenantStacks", "networkCredentials"]);
    expect(read?.message).toContain("whoever runs a network stack can read the key");
    // AND the runbook's platform stage asks for TF_VAR_legacy_vpn_psk before the apply
    const platform = local.model.lifecycle.find((st) => st.id === "platform");
    expect(platform?.prerequisites.map((i) => i.kind)).toContain("legacy-vpn-psk");
  });

  test("reads the pre-shared key from a sensitive variable, never a literal", () => {
    expect(json.variable.legacy_vpn_psk).toEqual(
      expect.objectContaining({ type: "string", sensitive: true, description: expect.any(String) }),
    );
    expect(out).toHaveResourceWithProperties(VpnaasSiteConnectionV2, {
      psk: "${var.legacy_vpn_psk}",
    });
    expect(out).not.toMatch(/"psk":\s*"(?!\$\{var\.)/);
  });

  test("opens flows to systems at the remote site, behind the tunnel, as to the local ones", () => {
    // GIVEN a system in a peer CIDR with a flow each way
    const remote = legacyModel((l) => {
      l.vpn = { peerAddress: PEER, peerCidrs: ["172.16.0.0/16"] };
      l.systems.push({
        name: "aix-r",
        architecture: "ppc64",
        os: "AIX 7.3",
        address: "172.16.4.20",
      });
      l.flows.push(
        { name: "remote-mq", port: 1415, direction: "to-legacy", systems: ["aix-r"] },
        { name: "remote-cb", port: 9443, direction: "from-legacy", systems: ["aix-r"] },
      );
    });
    // WHEN
    const rules = Object.values(
      JSON.parse(synth(remote, { externalNetworkId: "ext-net-id" })).resource
        .openstack_networking_secgroup_rule_v2,
    ) as Rule[];
    // THEN the flows' groups let the bridge's ports reach it and be reached, one /32 each way
    expect(rules).toContainEqual(
      expect.objectContaining({
        direction: "egress",
        port_range_min: 1415,
        remote_ip_prefix: "172.16.4.20/32",
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        direction: "ingress",
        port_range_min: 9443,
        remote_ip_prefix: "172.16.4.20/32",
      }),
    );
  });

  test("refuses an empty pre-shared key before the apply: Neutron takes it, and no tunnel comes up", () => {
    expect(json.variable.legacy_vpn_psk.validation).toEqual([
      {
        condition: "${length(trimspace(var.legacy_vpn_psk)) > 0}",
        error_message: expect.stringContaining("TF_VAR_legacy_vpn_psk"),
      },
    ]);
  });

  test("makes the connection after the router's routes, which OVN's VPN driver rewrites as it connects", () => {
    // GIVEN the router on the bridge's gateway, which routes the legacy subnets
    const gateway = JSON.parse(
      synth(
        legacyModel((l) => {
          l.vpn = { peerAddress: PEER, peerCidrs: ["172.16.0.0/16"] };
          l.subnetGateway = true;
        }),
        { externalNetworkId: "ext-net-id" },
      ),
    );
    // (the provider puts back the router's whole route list; RouteInUseByVPN otherwise)
    const routes = Object.keys(gateway.resource.openstack_networking_router_route_v2);
    expect(routes.length).toBe(2);
    const connection = Object.values(gateway.resource.openstack_vpnaas_site_connection_v2)[0] as {
      depends_on: string[];
    };
    for (const r of routes)
      expect(connection.depends_on).toContain(`openstack_networking_router_route_v2.${r}`);
    // AND without subnetGateway the router, whose gateway is on the external network for the
    // VPN, routes nothing to the legacy subnets: nothing from that network reaches them
    expect(json.resource.openstack_networking_router_route_v2).toBeUndefined();
  });

  test("warns where the router on the bridge's gateway also has one on the external network", () => {
    const warned = (subnetGateway: boolean) =>
      load(
        variant((s) => {
          withLegacyBridge(s, {
            subnets: ["192.168.50.0/24"],
            systems: [
              { name: "aix", architecture: "ppc64", os: "AIX 7.2", address: "192.168.50.10" },
            ],
            flows: [{ name: "mq", port: 1414, direction: "to-legacy", systems: ["aix"] }],
          });
          s.legacyUnix.vpn = { peerAddress: PEER, peerCidrs: ["172.16.0.0/16"] };
          s.legacyUnix.subnetGateway = subnetGateway;
        }),
      ).warnings.filter((w) => w.code === "legacy-router-open");
    expect(warned(false)).toEqual([]);
    expect(warned(true).map((w) => w.message)).toEqual([
      expect.stringContaining(
        "it has a gateway on the external network for the VPN: anything there that sends to it reaches those subnets past the flows' security groups",
      ),
    ]);
  });

  test("keeps the policies' names as first made: neutron-vpnaas updates no policy in use", () => {
    // (IKEPolicyInUse, IPsecPolicyInUse: a new naming prefix would fail the apply)
    for (const type of ["openstack_vpnaas_ike_policy_v2", "openstack_vpnaas_ipsec_policy_v2"])
      for (const policy of Object.values(json.resource[type]) as { lifecycle?: object }[])
        expect(policy.lifecycle).toEqual({ ignore_changes: ["name"] });
  });

  test("emits only attributes of provider v3.4.0", () => {
    expect(schemaProblems(json)).toEqual([]);
  });

  test("fails when the VPN is asked for without an external network", () => {
    expect(() => synth(model)).toThrow("legacyUnix.vpn is set but no externalNetworkId was given");
  });
});
