import { parseCidr } from "../core/net";
import { SSH_PORT, SWIFT_RING_PORTS } from "./ports";
import {
  OVN_NB_PORT,
  OVN_NB_RAFT_PORT,
  OVN_SB_PORT,
  OVN_SB_RAFT_PORT,
  OVN_MAX_RELAYS,
  ovnRelayPorts,
} from "../core/neutron";
import type {
  NetworkModel,
  NodeModel,
  NodeRole,
  PortRule,
  SecurityGroupModel,
  SecurityRuleModel,
} from "./types";

/** The security zone of the port matrix each node role belongs to. */
const ZONE_OF_ROLE: Readonly<Record<NodeRole, string>> = {
  controller: "controllers",
  network: "network-nodes",
  compute: "compute",
  "ceph-osd": "ceph",
  "swift-proxy": "swift",
  "swift-storage": "swift",
  "ceph-mon": "ceph",
  "block-storage": "block-storage",
  deployer: "deployer",
};

/**
 * Ports that must never be open to the whole internet: remote shells and desktops, databases,
 * message queues, caches, cluster, OVN and storage back ends. APIs and the dashboard may be.
 */
export const SENSITIVE_PORTS: ReadonlySet<number> = new Set([
  SSH_PORT,
  23,
  3389,
  5900,
  3306,
  4444,
  4567,
  4568,
  5432,
  1433,
  1521,
  27017,
  6379,
  5672,
  25672,
  4369,
  15672,
  11211,
  2379,
  2380,
  16509,
  3300,
  6789,
  873,
  ...Object.values(SWIFT_RING_PORTS),
  9100,
  161,
  623,
  OVN_NB_PORT,
  OVN_SB_PORT,
  OVN_NB_RAFT_PORT,
  OVN_SB_RAFT_PORT,
  ...ovnRelayPorts(OVN_MAX_RELAYS),
]);

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);

/** True when a rule lets the whole internet reach a sensitive port (or all ports). */
export function opensSensitivePortToWorld(rule: SecurityRuleModel): boolean {
  if (rule.direction !== "ingress" || !rule.remoteIpPrefix || !ANYWHERE.has(rule.remoteIpPrefix)) {
    return false;
  }
  if (rule.portMin === undefined || rule.portMax === undefined) return true;
  for (const p of SENSITIVE_PORTS) if (p >= rule.portMin && p <= rule.portMax) return true;
  return false;
}

export interface SecurityInputs {
  readonly ports: readonly PortRule[];
  readonly networks: readonly NetworkModel[];
  readonly nodes: readonly NodeModel[];
  readonly adminCidrs: readonly string[];
  readonly userCidrs: readonly string[];
}

/**
 * Security groups per zone of the port matrix (the controllers'), in the platform stack for ports
 * an operator attaches to the zone: the cloud's own bare-metal servers are not filtered by them.
 * Ingress is denied unless a row of the matrix allows it, and every allowed source is a named
 * prefix or the group itself, never an empty remote.
 */
export function securityGroups(i: SecurityInputs): SecurityGroupModel[] {
  const controllerNets = new Set(
    i.nodes.filter((n) => n.role === "controller").flatMap((n) => Object.keys(n.addresses)),
  );
  // Traffic from other zones arrives on the network that carries it (tunnel, management, API).
  // The controllers' networks each zone's nodes join, gathered in one pass over the nodes.
  const netsOfZone = new Map<string, Set<string>>();
  for (const node of i.nodes) {
    const zone = ZONE_OF_ROLE[node.role];
    const nets = netsOfZone.get(zone) ?? new Set<string>();
    netsOfZone.set(zone, nets);
    for (const net of Object.keys(node.addresses)) if (controllerNets.has(net)) nets.add(net);
  }
  const carrierOfZone = (zone: string, service: string) => {
    const nets = netsOfZone.get(zone);
    const joined = i.networks.filter((n) => nets?.has(n.name) && !n.external);
    for (const role of carrierRoles(service)) {
      const carrier = joined.find((n) => n.role === role);
      if (carrier) return [carrier];
    }
    return [];
  };
  // Each source is named by what stays when other roles join it: a zone of people, or the
  // network hosts reach the controllers on. Descriptions are ForceNew: naming the roles that share
  // a network replaced the rule whenever one was added.
  const sources = (
    zone: string,
    service: string,
  ): {
    remoteIpPrefix?: string;
    remoteGroup?: string;
    ethertype?: "IPv4" | "IPv6";
    from: string;
  }[] => {
    switch (zone) {
      case "users":
        return i.userCidrs.map((c) => ({ remoteIpPrefix: c, from: zone }));
      case "admin":
        return i.adminCidrs.map((c) => ({ remoteIpPrefix: c, from: zone }));
      // A group's rule admits its members' addresses of its ethertype alone: those of the
      // networks the controllers reach each other on for the service.
      case "controllers": {
        const carriers = carrierOfZone(zone, service);
        const versions = new Set(carriers.map((n) => (n.cidr.includes(":") ? "IPv6" : "IPv4")));
        return (versions.size ? [...versions].sort() : ["IPv4" as const]).map((ethertype) => ({
          remoteGroup: "controllers",
          ethertype,
          from: zone,
        }));
      }
      case "amphorae":
        return i.networks
          .filter((n) => n.role === "octavia")
          .map((n) => ({ remoteIpPrefix: n.cidr, from: zone }));
      // The deployment host alone, at its address on the network it reaches the controllers by.
      case "deployer":
        return carrierOfZone(zone, service).flatMap((n) =>
          i.nodes
            .filter((d) => d.roles.includes("deployer") && d.addresses[n.name])
            .map((d) => ({
              remoteIpPrefix: `${d.addresses[n.name]}/${n.cidr.includes(":") ? 128 : 32}`,
              from: zone,
            })),
        );
      default:
        return carrierOfZone(zone, service).map((n) => ({
          remoteIpPrefix: n.cidr,
          from: `network ${n.name}`,
        }));
    }
  };

  const rules = new Map<string, SecurityRuleModel>();
  for (const row of i.ports) {
    if (row.to !== "controllers") continue;
    const [portMin, portMax] = portRange(row.port);
    for (const source of sources(row.from, row.service)) {
      const ethertype =
        source.ethertype ??
        (source.remoteIpPrefix && parseCidr(source.remoteIpPrefix).version === 6 ? "IPv6" : "IPv4");
      const rule: SecurityRuleModel = {
        direction: "ingress",
        ethertype,
        protocol: row.protocol,
        ...(portMin !== undefined ? { portMin, portMax } : {}),
        ...(source.remoteIpPrefix ? { remoteIpPrefix: source.remoteIpPrefix.toLowerCase() } : {}),
        ...(source.remoteGroup ? { remoteGroup: source.remoteGroup } : {}),
        description: `${row.service} from ${source.from}`,
      };
      if (opensSensitivePortToWorld(rule)) {
        throw new Error(
          `port matrix row ${row.service} ${row.port} would open a sensitive port to the internet`,
        );
      }
      const key = [
        rule.ethertype,
        rule.protocol,
        portMin,
        portMax,
        rule.remoteIpPrefix,
        rule.remoteGroup,
      ].join("|");
      const existing = rules.get(key);
      rules.set(
        key,
        existing
          ? { ...existing, description: mergeDescription(existing.description, rule.description) }
          : rule,
      );
    }
  }
  const sorted = [...rules.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
  return [
    {
      name: "controllers",
      description:
        "OpenStack controllers: API, cluster and management traffic from the port matrix only",
      rules: sorted,
    },
  ];
}

/** Network roles that carry a service between hosts, most specific first. */
function carrierRoles(service: string): readonly string[] {
  if (["vxlan", "geneve", "gre"].includes(service)) return ["tunnel", "management"];
  if (["ntp", "ssh"].includes(service)) return ["management"];
  if (service.startsWith("ceph")) return ["storage", "management"];
  // The targets listen on the storage network when the design has one (tgtd_interface_address,
  // target_ip_address), where the hypervisors attach.
  if (service === "iscsi") return ["storage", "internal-api", "management"];
  return ["internal-api", "management"];
}

function portRange(port: string): [number | undefined, number | undefined] {
  if (port === "-") return [undefined, undefined];
  const [a, b] = port.split("-").map(Number);
  return [a, b ?? a];
}

function mergeDescription(a: string, b: string): string {
  const parts = new Set([...a.split(", "), ...b.split(", ")]);
  // Neutron keeps at most 255 characters of a description.
  return [...parts].sort().join(", ").slice(0, 255);
}
