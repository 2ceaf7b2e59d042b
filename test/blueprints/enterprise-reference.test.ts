import {
  refTo,
  resourcesOf,
  synthesizeExample,
  type SynthesizedExample,
} from "../support/blueprints";
import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { load } from "../support/fixtures";
import { synthesized } from "../support/synth-cache";

describe("enterprise-reference blueprint", () => {
  let example: SynthesizedExample;
  let platform: any;
  beforeAll(async () => {
    // GIVEN the default example WHEN it is synthesized
    example = await synthesizeExample("enterprise-reference");
    platform = example.stacks["platform"];
  });

  test("moves a controller's VLANs to a Linux bridge whose veth feeds br-ex; Ceph hosts keep bond0", () => {
    // THEN the controllers (network agents on them) put bond0 in brbond0 with the veth, every VLAN
    // device rides on brbond0, and hosts without Open vSwitch bridges keep their bond as it is
    const { model } = example.loaded;
    const ctrl = model.nodes.find((n) => n.name === "ctrl-01");
    expect(ctrl?.links).toEqual([
      expect.objectContaining({
        device: "bond0",
        mtu: 9000,
        bridge: {
          device: "brbond0",
          patch: "p-brbond0-phy",
          ovsPatch: "p-brbond0-ovs",
          physicalNetworks: ["physnet-ext"],
        },
      }),
    ]);
    expect(ctrl?.interfaces.map((i) => [i.network, i.device, i.parent])).toEqual([
      ["mgmt", "brbond0.100", "brbond0"],
      ["api", "brbond0.101", "brbond0"],
      ["tunnel", "brbond0.102", "brbond0"],
      ["storage", "brbond0.103", "brbond0"],
      ["public", "brbond0.200", "brbond0"],
    ]);
    expect(model.deploy.hosts.find((h) => h.name === "ctrl-01")).toMatchObject({
      interfaces: { externalVip: "brbond0.200" },
      bridges: [{ physicalNetwork: "physnet-ext", bridge: "br-ex", device: "p-brbond0-ovs" }],
    });
    const osd = model.nodes.find((n) => n.role === "ceph-osd");
    expect(osd?.links.map((l) => [l.device, l.bridge])).toEqual([["bond0", undefined]]);
    expect(osd?.interfaces.every((i) => i.parent === "bond0")).toBe(true);
  });

  test("gives the partners' DMZ to Retail Banking alone, by an RBAC share of the platform's network", () => {
    // THEN the platform makes the network unshared and gives its id to the stacks that read it
    const dmz = resourcesOf(platform, "openstack_networking_network_v2").find((n) =>
      n.name.endsWith("partner-dmz"),
    );
    expect(dmz).toMatchObject({ shared: false, external: false });
    // AND Retail Banking's stack shares it with its project; Core Banking's does not
    const shares = (stack: string) =>
      resourcesOf(example.stacks[stack], "openstack_networking_rbac_policy_v2")
        .filter((r) => r.object_type === "network")
        .map((r) => r.object_id);
    expect(shares("tenant-retail-banking")).toEqual([
      "${data.terraform_remote_state.platform.outputs.network_partner_dmz_id}",
    ]);
    expect(shares("tenant-core-banking")).toEqual([
      "${data.terraform_remote_state.platform.outputs.legacy_bridge_network_id}",
    ]);
  });

  test("maps the seed's nine numbered design points", () => {
    // THEN
    expect(example.blueprint.designPoints.map((d) => d.id)).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
    ]);
  });

  test("has two availability zones of x86 pools by tier and stage", () => {
    // THEN
    const aggregates = resourcesOf(platform, "openstack_compute_aggregate_v2");
    expect([...new Set(aggregates.map((a) => a.zone))].sort()).toEqual(["zone-a", "zone-b"]);
    expect(aggregates.map((a) => [a.name, a.metadata.tier ?? a.metadata.stage]).sort()).toEqual([
      ["efg-zone-a-app", "app"],
      ["efg-zone-a-web", "web"],
      ["efg-zone-b-db", "db"],
      ["efg-zone-b-devtest", "dev"],
    ]);
  });

  test("provisions every server on the undercloud, the controllers without a server group", () => {
    // THEN
    const baremetal = example.stacks["baremetal"];
    expect(baremetal.provider.openstack).toEqual([
      { cloud: "dc1-undercloud", region: "RegionOne" },
    ]);
    const instances = resourcesOf(baremetal, "openstack_compute_instance_v2");
    const { model } = example.loaded;
    expect(instances.map((i) => i.name).sort()).toEqual(model.nodes.map((n) => n.name).sort());
    const controllers = instances.filter((i) => i.metadata.role === "controller");
    expect(controllers.map((c) => [c.name, c.flavor_name])).toEqual([
      ["ctrl-01", "baremetal-controller"],
      ["ctrl-02", "baremetal-controller"],
      ["ctrl-03", "baremetal-controller"],
    ]);
    // Ironic nodes are separate machines: no anti-affinity group that Nova would refuse.
    for (const c of controllers) expect(c).not.toHaveProperty("scheduler_hints");
    expect(instances.find((i) => i.name === "deploy-01")?.metadata.role).toBe("deployer");
  });

  test("plans the keepalived VIPs and VRRP id for the deployer instead of Neutron ports", () => {
    // THEN
    const { model } = example.loaded;
    expect(model.vips.map((v) => [v.name, v.address, v.prefixLength])).toEqual([
      ["internal", "10.20.1.10", 24],
      ["external", "203.0.113.10", 24],
    ]);
    expect(model.controlPlane.virtualRouterId).toBe(51);
    expect(resourcesOf(platform, "openstack_compute_instance_v2")).toEqual([]);
    // (the only port is the legacy router's interface on the bridge)
    expect(
      resourcesOf(platform, "openstack_networking_port_v2").map((p: any) => [
        p.name,
        p.fixed_ip[0].ip_address,
      ]),
    ).toEqual([["efg-legacy-router", "10.20.50.1"]]);
  });

  test("offers Ceph volumes through a volume type bound to the Ceph backend", () => {
    // THEN
    expect(resourcesOf(platform, "openstack_blockstorage_volume_type_v3")).toEqual([
      expect.objectContaining({
        name: "standard",
        extra_specs: { volume_backend_name: "ceph-hdd" },
      }),
    ]);
    expect(example.loaded.model.storage.ceph?.nodes).toHaveLength(5);
  });

  test("leaves image and backup containers to the accounts Glance and cinder-backup write to", () => {
    // THEN nothing is created in the admin project's account
    expect(resourcesOf(platform, "openstack_objectstorage_container_v1")).toEqual([]);
    expect(
      example.loaded.model.storage.swift?.containers.map((c) => [c.name, c.account, c.versioning]),
    ).toEqual([["cinder-backups", "each-tenant", false]]);
  });

  test("bridges to the UNIX systems with a router, the instances routed to the next hop directly", async () => {
    // THEN its gateway on the external network serves the VPN, without SNAT
    const router = resourcesOf(platform, "openstack_networking_router_v2");
    expect(router).toEqual([
      expect.objectContaining({
        name: "efg-legacy",
        enable_snat: false,
        external_network_id: expect.stringContaining("openstack_networking_network_v2"),
      }),
    ]);
    // AND without a VPN the router has no gateway: hosts of the external network routing
    // through it would reach the legacy subnets past the declared flows
    const spec = structuredClone(example.loaded.spec) as any;
    delete spec.legacyUnix.vpn;
    // (with the remote site's system moved onto a legacy subnet: only the VPN reaches its own)
    spec.legacyUnix.systems.find((x: { name: string }) => x.name === "aix-settlement").address =
      "192.168.50.11";
    spec.controlPlane.services = spec.controlPlane.services.filter((s: string) => s !== "vpnaas");
    spec.suppressions = [];
    const model = load(spec).model;
    const stacks = await synthesized(enterpriseReference, model, "json");
    const routers = Object.values(
      JSON.parse(stacks.find((st) => st.name === "platform")!.content).resource
        .openstack_networking_router_v2,
    ) as Record<string, unknown>[];
    expect(routers).toHaveLength(1);
    expect(routers[0]).not.toHaveProperty("external_network_id");
    expect(routers[0]).not.toHaveProperty("enable_snat");
    const routerId = refTo(
      platform,
      "openstack_networking_router_v2",
      (r) => r.name === "efg-legacy",
    );
    // (the instances reach the next hop by their host routes; the router routes nothing there,
    // so nothing else reaches the legacy subnets through it)
    expect(routerId).toBeDefined();
    expect(resourcesOf(platform, "openstack_networking_router_route_v2")).toEqual([]);
    const bridge = resourcesOf(platform, "openstack_networking_network_v2").find(
      (n) => n.name === "efg-unix-bridge",
    );
    expect(bridge?.segments).toEqual([
      { network_type: "vlan", physical_network: "physnet-ext", segmentation_id: 300 },
    ]);
  });
});
