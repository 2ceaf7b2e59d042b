import { ENCAP_OVERHEAD, OVN_GENEVE_OVERHEAD } from "./defaults";
import { parseCidr } from "./net";

/** Neutron mechanism: Open vSwitch agents or OVN. */
export type NeutronMechanism = "ovs" | "ovn";

/**
 * The mechanism a design runs: the one it names, else OVN for Geneve tenant networks (only OVN
 * speaks Geneve) and Open vSwitch agents otherwise. The deployer and the port matrix read it.
 */
export function neutronMechanism(network: {
  readonly mechanism?: NeutronMechanism;
  readonly tenantNetworkType: string;
}): NeutronMechanism {
  return network.mechanism ?? (network.tenantNetworkType === "geneve" ? "ovn" : "ovs");
}

/**
 * The IP version tunnels run over: the tunnel network's, else the management network's, as
 * Kolla-Ansible's tunnel_interface and tunnel_address_family default to the management one's.
 */
function overlayIpVersion(
  networks: readonly { readonly role: string; readonly cidr: string }[],
): 4 | 6 {
  const carrier = overlayCarrier(networks);
  return carrier ? parseCidr(carrier.cidr).version : 4;
}

/** The network tunnels run over: the tunnel network, else management. */
function overlayCarrier<T extends { readonly role: string }>(
  networks: readonly T[],
): T | undefined {
  return networks.find((n) => n.role === "tunnel") ?? networks.find((n) => n.role === "management");
}

/**
 * The MTU the tunnels' outer packets get: their network's own when it sets a smaller one than
 * the underlay (Neutron's `[ml2] path_mtu`), else the underlay's.
 */
function overlayPathMtu(
  networks: readonly { readonly role: string; readonly mtu?: number }[],
  underlayMtu: number,
): number {
  return Math.min(underlayMtu, overlayCarrier(networks)?.mtu ?? underlayMtu);
}

/**
 * What a tenant network gives up to encapsulation: Neutron's figure for the type on an IPv4
 * underlay (Geneve's as Kolla configures it under OVN), and 20 bytes more over IPv6, whose header
 * is 40 (type_tunnel's get_mtu).
 */
function encapsulationOverhead(
  tenantNetworkType: keyof typeof ENCAP_OVERHEAD,
  ipVersion: 4 | 6,
  mechanism: NeutronMechanism,
): number {
  const tunnel = ["vxlan", "gre", "geneve"].includes(tenantNetworkType);
  const own =
    tenantNetworkType === "geneve" && mechanism === "ovn"
      ? OVN_GENEVE_OVERHEAD
      : ENCAP_OVERHEAD[tenantNetworkType];
  return own + (tunnel && ipVersion === 6 ? 20 : 0);
}

/**
 * The overlay's figures from the design's network settings, for the rules and the model alike:
 * the tunnels' IP version, what encapsulation takes, the MTU tunnels run at (their network's
 * when smaller; VLAN and flat tenant networks ride the underlay) and what tenant networks get.
 */
export function overlayFigures(network: {
  readonly underlayMtu: number;
  readonly tenantNetworkType: keyof typeof ENCAP_OVERHEAD;
  readonly mechanism?: NeutronMechanism;
  readonly networks: readonly {
    readonly role: string;
    readonly cidr: string;
    readonly mtu?: number;
  }[];
}) {
  const ipVersion = overlayIpVersion(network.networks);
  const mechanism = neutronMechanism(network);
  const overhead = encapsulationOverhead(
    tunnelEncapsulation(network) ?? "vlan",
    ipVersion,
    mechanism,
  );
  const pathMtu =
    overhead > 0 ? overlayPathMtu(network.networks, network.underlayMtu) : network.underlayMtu;
  const tenantMtu = pathMtu - overhead;
  // Neutron subtracts its type's overhead from `[ml2] path_mtu` for the networks it sizes itself
  // (tenants' own): told this, it gives them tenantMtu whatever the tunnels really carry.
  const neutronPathMtu =
    overhead > 0
      ? tenantMtu + encapsulationOverhead(network.tenantNetworkType, ipVersion, mechanism)
      : pathMtu;
  return { ipVersion, overhead, pathMtu, tenantMtu, neutronPathMtu };
}

/**
 * What the tunnels between hosts are: the tenant network type's, except under OVN, whose
 * chassis tunnel in Geneve whatever the type (Kolla's ovn-controller sets ovn-encap-type geneve).
 * Nothing for VLAN and flat tenant networks.
 */
export function tunnelEncapsulation(network: {
  readonly tenantNetworkType: string;
  readonly mechanism?: NeutronMechanism;
}): "vxlan" | "gre" | "geneve" | undefined {
  const type = network.tenantNetworkType;
  if (type !== "vxlan" && type !== "gre" && type !== "geneve") return undefined;
  return neutronMechanism(network) === "ovn" ? "geneve" : type;
}

/** Kolla's `max_l3_agents_per_router` with agent HA, and Neutron's OVN MAX_GW_CHASSIS. */
export const L3_AGENTS_PER_ROUTER = 3;

/**
 * Whether routers are HA: on several network hosts, Kolla's agent HA turns l3_ha on, but an HA
 * router's VRRP network is made of the tenant network type, and flat gives none under Open
 * vSwitch (OVN routes without L3 agents).
 */
export const haRouters = (networkHosts: number, tenantType: string, mechanism: NeutronMechanism) =>
  networkHosts > 1 && !(tenantType === "flat" && mechanism === "ovs");
export const OVN_GATEWAY_CHASSIS_PER_ROUTER = 5;
/** Kolla's `dhcp_agents_per_network`: Neutron moves a network from a dead DHCP agent. */
export const DHCP_AGENTS_PER_NETWORK = 2;

/**
 * The addresses Neutron's own ports take on a subnet with DHCP: a DHCP port per agent serving it
 * (two with Kolla's agent HA, on several network hosts), or OVN's metadata port, which OVN makes
 * on IPv4 subnets only.
 */
export const subnetServicePorts = (
  mechanism: NeutronMechanism,
  ipVersion: 4 | 6,
  networkHosts: number,
): number =>
  mechanism === "ovn" ? (ipVersion === 4 ? 1 : 0) : networkHosts > 1 ? DHCP_AGENTS_PER_NETWORK : 1;

/**
 * The hosts one router runs on, of the `hosts` carrying routers: with ML2/OVS an HA router's
 * VRRP instances on that many L3 agents, never moved from a dead one
 * (`allow_automatic_l3agent_failover` is off); with OVN its gateway port on that many gateway
 * chassis. Losing all of one router's hosts stops it.
 */
export const routerHosts = (hosts: number, ovn: boolean): number =>
  Math.min(hosts, ovn ? OVN_GATEWAY_CHASSIS_PER_ROUTER : L3_AGENTS_PER_ROUTER);

/** ovn-northd's max_tunid: 24-bit keys less the 65535 it keeps for its global datapaths. */
export const OVN_MAX_TUNNEL_KEY = 2 ** 24 - 1 - (2 ** 16 - 1);

/** Kolla-Ansible's OVN database ports: northbound, southbound, and their Raft clusters. */
export const OVN_NB_PORT = 6641;
export const OVN_SB_PORT = 6642;
export const OVN_NB_RAFT_PORT = 6643;
export const OVN_SB_RAFT_PORT = 6644;

/**
 * Chassis (ovn-controller hosts) per OVN southbound relay: Kolla-Ansible's
 * ovn_sb_db_relay_compute_per_relay. Relay n listens on 16640 + n (ovn_sb_db_relay_port_prefix).
 */
export const OVN_CHASSIS_PER_RELAY = 50;
export const OVN_SB_RELAY_PORT_BASE = 16640;

/**
 * Most relays a design runs: Kolla-Ansible 21.x (2025.2) writes relay n's port as "1664" followed
 * by n, so a tenth relay would listen on 166410. Larger designs give each relay more chassis.
 */
export const OVN_MAX_RELAYS = 9;

/** Kolla's southbound relays for this many chassis: how many, and chassis per relay. */
export function ovnRelayPlan(chassis: number): { count: number; chassisPerRelay: number } {
  const chassisPerRelay = Math.max(OVN_CHASSIS_PER_RELAY, Math.ceil(chassis / OVN_MAX_RELAYS));
  return { count: Math.max(1, Math.ceil(chassis / chassisPerRelay)), chassisPerRelay };
}

/** Ports of the first `count` southbound relays (16641, 16642, ...). */
export const ovnRelayPorts = (count: number): number[] =>
  Array.from({ length: count }, (_, n) => OVN_SB_RELAY_PORT_BASE + n + 1);

/**
 * Security group rules Neutron makes itself: the 4 of each project's default group (ingress from
 * the group and all egress, IPv4 and IPv6) and the 2 egress rules of every new group.
 */
export const DEFAULT_GROUP_RULES = 4;
export const NEW_GROUP_EGRESS_RULES = 2;

/** neutron-fwaas's quota_firewall_rule default (extensions/firewall_v2.py), per project. */
export const FIREWALL_RULE_QUOTA = 100;
/** Rules of the default firewall group neutron-fwaas makes per project (firewall_db_v2.py). */
export const DEFAULT_FIREWALL_GROUP_RULES = 4;
