import { type Spec } from "../schema";
import { parseCidr, type Cidr } from "../../core/net";
import { type Path, Findings, duplicates } from "./findings";
import { neutronMechanism, OVN_MAX_TUNNEL_KEY } from "../../core/neutron";
import { DEFAULTS } from "../../core/defaults";
import { someOf } from "../../core/lists";
import { tenantNetworkCidrs } from "./private/helpers";
import { lastPort, portText } from "../../core/port-range";

/** The largest VXLAN or Geneve VNI. */
const MAX_VNI = 2 ** 24 - 1;
/** Segment IDs past which neutron-server's start-up sync of the allocation table drags. */
const MAX_SYNCED_SEGMENTS = 1_000_000;

export function tenantNetworking(spec: Spec, f: Findings) {
  const t = spec.network.tenantNetworkType;
  const vni = spec.network.vniRange;
  if (["vxlan", "gre", "geneve"].includes(t) && vni.min > vni.max) {
    f.error("vni-range", ["network", "vniRange"], `min ${vni.min} is above max ${vni.max}`);
  }
  // Neutron's type drivers: 24-bit VXLAN and Geneve VNIs (neutron_lib MAX_VXLAN_VNI,
  // MAX_GENEVE_VNI), 32-bit GRE keys (MAX_GRE_ID).
  if (["vxlan", "geneve"].includes(t) && vni.max > MAX_VNI)
    f.error(
      "vni-range",
      ["network", "vniRange", "max"],
      `a ${t} network's segment ID (VNI) has 24 bits: max must be at most ${MAX_VNI} (GRE keys alone take up to 4294967295)`,
    );
  // ovn-northd keeps the top 65535 of the 24-bit tunnel keys for its own datapaths (max_tunid),
  // and Neutron's OVN driver refuses a segment above it.
  else if (
    ["vxlan", "geneve"].includes(t) &&
    neutronMechanism(spec.network) === "ovn" &&
    vni.max > OVN_MAX_TUNNEL_KEY
  )
    f.error(
      "vni-range",
      ["network", "vniRange", "max"],
      `OVN takes tunnel keys up to ${OVN_MAX_TUNNEL_KEY} for networks (its max_tunid), and Neutron refuses a segment above it; lower max to ${OVN_MAX_TUNNEL_KEY} or less`,
    );
  // Neutron keeps a database row per segment ID, written when neutron-server starts
  // (sync_allocations builds the whole range in memory first).
  if (["vxlan", "gre", "geneve"].includes(t) && vni.max - vni.min + 1 > MAX_SYNCED_SEGMENTS)
    f.warn(
      "vni-range-large",
      ["network", "vniRange"],
      `vniRange ${vni.min}-${vni.max} holds ${vni.max - vni.min + 1} segment IDs, and Neutron writes a database row for each when neutron-server starts, building them all in memory first: it starts slowly or not at all; keep the range to the networks the cloud will have (at most ${MAX_SYNCED_SEGMENTS})`,
    );
  // Neutron reads each range only for its own type driver: a range of the other kind is ignored.
  if (!["vxlan", "gre", "geneve"].includes(t) && !sameRange(vni, DEFAULTS.vniRange))
    f.warn(
      "vni-range-unused",
      ["network", "vniRange"],
      `tenant network type ${t} allocates no tunnel IDs (VNIs), so vniRange ${vni.min}-${vni.max} is not used; remove it, or set tenantNetworkType to vxlan, geneve or gre`,
    );
  if (t !== "vlan" && spec.network.tenantVlanRange)
    f.warn(
      "vlan-range-unused",
      ["network", "tenantVlanRange"],
      `tenant network type ${t} allocates no VLANs, so tenantVlanRange ${spec.network.tenantVlanRange.min}-${spec.network.tenantVlanRange.max} is not used; remove it, or set tenantNetworkType to vlan`,
    );
  if (t === "vlan" && !spec.network.tenantVlanRange) {
    f.error(
      "vlan-range-missing",
      ["network", "tenantVlanRange"],
      "tenant network type vlan needs a tenantVlanRange { min, max }",
    );
  }
  if (
    ["vxlan", "gre", "geneve"].includes(t) &&
    !spec.network.networks.some((n) => n.role === "tunnel")
  ) {
    f.warn(
      "tunnel-network-missing",
      ["network", "networks"],
      `tenant network type ${t} runs overlay traffic; declare a network with role tunnel to keep it off management`,
    );
  }
  // Neutron's flat type driver allocates no tenant segment (a flat network is an admin's provider
  // network, one per physical network): a cloud of provider networks only may say flat, but no
  // project can make a network. (Routers are not HA there: see the deploy model's haRouters.)
  if (t === "flat") {
    spec.tenants.forEach((tenant, i) => {
      if (tenant.network)
        f.error(
          "flat-tenant-network",
          ["tenants", i, "network"],
          `tenant ${tenant.name} has a network of its own, but with tenant network type flat Neutron gives projects none (a flat network is the admin's, one per physical network); set network.tenantNetworkType to vlan, vxlan, geneve or gre, or let tenants use a shared provider network`,
        );
    });
    // Projects make no network of their own: without a shared provider network, or one the
    // tenant is given, its instances have none to boot on.
    const stranded = spec.network.networks.some((n) => n.role === "provider" && n.shared)
      ? []
      : spec.tenants.filter((x) => !x.providerNetworks.length).map((x) => x.name);
    if (stranded.length)
      f.warn(
        "flat-no-shared-network",
        ["network", "tenantNetworkType"],
        `with tenant network type flat projects make no network, and no provider network is shared: the instances of ${stranded.length === spec.tenants.length ? "the tenants" : `tenant${stranded.length === 1 ? "" : "s"} ${stranded.join(", ")}`} have none to boot on; share a provider network (shared: true), list one in their providerNetworks, or use another tenant network type`,
      );
  }
  const routed = spec.tenants.filter((x) => x.network).map((x) => x.name);
  const needs = [
    ...(routed.length
      ? [
          `the routers of ${routed.length === 1 ? "tenant" : "tenants"} ${someOf(routed, 3)} (each tenant network's router takes its gateway and floating IPs there; in a cloud without internet access, the site network users reach the cloud from)`,
        ]
      : []),
    ...(spec.controlPlane.vips.external !== undefined ? ["the external VIP"] : []),
  ];
  if (needs.length && !spec.network.networks.some((n) => n.role === "external")) {
    f.error(
      "network-missing",
      ["network", "networks"],
      `${needs.join(" and ")} need a network with role external`,
    );
  }
}

/**
 * Provider networks given to tenants: each listing is a Neutron RBAC share of a provider network
 * the platform makes, other than the legacy bridge (shared by its flows). A network shared with
 * nobody serves only the admin's project.
 */
export function providerNetworkGrants(spec: Spec, f: Findings) {
  const byName = new Map(spec.network.networks.map((n) => [n.name, n]));
  const bridge = spec.legacyUnix?.network;
  const listed = new Set<string>();
  spec.tenants.forEach((t, ti) => {
    duplicates(
      t.providerNetworks,
      (x) => x,
      f,
      (i) => ["tenants", ti, "providerNetworks", i],
      "provider network",
    );
    t.providerNetworks.forEach((name, ni) => {
      listed.add(name);
      const net = byName.get(name);
      const path: Path = ["tenants", ti, "providerNetworks", ni];
      if (!net) return; // reported as an unknown reference
      if (net.role !== "provider")
        f.error(
          "tenant-network-not-provider",
          path,
          `network ${name} has role ${net.role}: a tenant is given provider networks only (their instances attach there); ${net.role === "external" ? "tenant routers reach the external network without a grant" : net.role === "octavia" ? "the octavia network is Octavia's, for its amphorae" : "the hosts' networks are not Neutron's"}; remove it from tenants[${ti}].providerNetworks`,
        );
      else if (name === bridge)
        f.error(
          "tenant-network-legacy-bridge",
          path,
          `network ${name} is the legacy bridge (legacyUnix.network): it is shared with the tenants whose pools take part in its flows, with the flows' security groups; remove it from tenants[${ti}].providerNetworks and declare the flow in legacyUnix.flows`,
        );
    });
  });
  if (!spec.tenants.length) return;
  spec.network.networks.forEach((n, i) => {
    if (n.role !== "provider" || n.shared || n.name === bridge || listed.has(n.name)) return;
    f.warn(
      "provider-network-unused",
      ["network", "networks", i],
      `provider network ${n.name} is not shared and no tenant lists it: only the admin's project can attach instances to it; list it in the providerNetworks of the tenants that use it, or set shared: true to share it with every project`,
    );
  });
}

/**
 * A security group rule matches its own IP version only: a tenant's SSH sources of a version none
 * of its networks (its own, the provider networks it is given or every project is) has reach no
 * instance.
 */
export function tenantSshVersions(spec: Spec, f: Findings) {
  const versionOf = (cidr: string) => {
    try {
      return parseCidr(cidr).version;
    } catch {
      return undefined; // reported by the CIDR rule
    }
  };
  spec.tenants.forEach((t, i) => {
    const networks = tenantNetworkCidrs(spec, t).map((n) => ({
      shown: n.name ? `${n.name} ${n.cidr}` : n.cidr,
      cidr: n.cidr,
    }));
    // Published services pass the router's firewall into the tenant's own network alone.
    const own = t.network && versionOf(t.network.cidr);
    t.ingress.forEach((rule, ri) =>
      rule.sources.forEach((source, si) => {
        const version = versionOf(source);
        if (!own || version === undefined || version === own) return;
        f.warn(
          "tenant-ingress-ip-version",
          ["tenants", i, "ingress", ri, "sources", si],
          `source ${source} of tenant ${t.name}'s published ${lastPort(rule) === rule.port ? "port" : "ports"} ${portText(rule)} is IPv${version}, while its network ${t.network?.cidr} is IPv${own}: the firewall rule (IPv${version}) matches no packet to its instances, yet counts in its firewall-rule quota; give an IPv${own} source`,
        );
      }),
    );
    (t.egress ?? []).forEach((rule, ri) =>
      rule.destinations.forEach((to, di) => {
        const version = versionOf(to);
        if (!own || version === undefined || version === own) return;
        f.warn(
          "tenant-egress-ip-version",
          ["tenants", i, "egress", ri, "destinations", di],
          `destination ${to} of tenant ${t.name}'s egress is IPv${version}, while its network ${t.network?.cidr} is IPv${own}: the firewall rule (IPv${version}) matches no packet from its instances, yet counts in its firewall-rule quota; give an IPv${own} destination`,
        );
      }),
    );
    if (!networks.length) return;
    const versions = new Set(networks.map((n) => versionOf(n.cidr)));
    t.sshCidrs.forEach((source, si) => {
      const version = versionOf(source);
      if (version === undefined || versions.has(version) || versions.has(undefined)) return;
      const other = version === 4 ? 6 : 4;
      f.warn(
        "tenant-ssh-ip-version",
        ["tenants", i, "sshCidrs", si],
        `SSH source ${source} is IPv${version}, while tenant ${t.name}'s ${networks.length === 1 ? "network" : "networks"} (${networks.map((n) => n.shown).join(", ")}) ${networks.length === 1 ? "is" : "are"} IPv${other}: its security group rule (ethertype IPv${version}) matches no packet to the tenant's instances, so SSH from there never reaches them; give an IPv${other} source`,
      );
    });
    t.tiers.forEach((tier, ti) =>
      tier.ingress.forEach((rule, ri) =>
        rule.sources.forEach((source, si) => {
          const version = versionOf(source);
          if (version === undefined || versions.has(version) || versions.has(undefined)) return;
          const other = version === 4 ? 6 : 4;
          f.warn(
            "tier-source-ip-version",
            ["tenants", i, "tiers", ti, "ingress", ri, "sources", si],
            `tier ${tier.name}'s source ${source} is IPv${version}, while tenant ${t.name}'s ${networks.length === 1 ? "network" : "networks"} (${networks.map((n) => n.shown).join(", ")}) ${networks.length === 1 ? "is" : "are"} IPv${other}: its rule (ethertype IPv${version}) matches no packet to the tier's instances; give an IPv${other} source`,
          );
        }),
      ),
    );
  });
}

/** The smallest tenant subnet that holds a router gateway and hosts: /29 (5 hosts) or a SLAAC /64. */
const TENANT_PREFIX_MAX = { 4: 29, 6: 64 } as const;

export function tenantNetworks(spec: Spec, f: Findings) {
  spec.tenants.forEach((t, i) => {
    if (!t.network) return;
    let c: Cidr;
    try {
      c = parseCidr(t.network.cidr);
    } catch {
      return; // reported by the CIDR rule
    }
    const path: Path = ["tenants", i, "network", "cidr"];
    const max = TENANT_PREFIX_MAX[c.version];
    if (c.prefix > max)
      f.error(
        "tenant-network-prefix",
        path,
        `${t.network.cidr} is too small for the router gateway and hosts; use a /${max} or a larger block`,
      );
    else if (c.version === 6 && c.prefix < 64)
      f.error(
        "tenant-network-prefix",
        path,
        `${t.network.cidr}: IPv6 tenant subnets use SLAAC, which needs exactly a /64`,
      );
    // Routers take their gateway on the first external network; Neutron has no IPv6 NAT, so an
    // IPv6 subnet reaches out only through an IPv6 gateway network.
    const external = spec.network.networks.find((n) => n.role === "external");
    if (c.version === 6 && external && !external.cidr.includes(":"))
      f.warn(
        "tenant-ipv6-no-egress",
        path,
        `${t.network.cidr} is IPv6 while the external network ${external.name} is IPv4 (${external.cidr}): the tenant's hosts reach nothing outside the cloud over IPv6 (Neutron has no IPv6 NAT); give the tenant an IPv4 network, or for IPv6 beyond the cloud an IPv6 provider network whose segment's own router routes it (tenants[].providerNetworks)`,
      );
    (t.network.dnsServers ?? []).forEach((d, di) => {
      const version = d.includes(":") ? 6 : 4;
      if (version !== c.version)
        f.error(
          "dns-ip-version",
          ["tenants", i, "network", "dnsServers", di],
          `IPv${version} DNS server ${d} on the IPv${c.version} network ${t.network?.cidr}; a subnet takes DNS servers of its own IP version`,
        );
    });
  });
}

function sameRange(a: { min: number; max: number }, b: { min: number; max: number }) {
  return a.min === b.min && a.max === b.max;
}
