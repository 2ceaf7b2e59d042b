import type { Spec } from "../spec/schema";
import type { SpecIssue } from "../core/errors";
import { NODE_ROLES } from "../core/vocabulary";
import { byName } from "../core/naming";
import {
  bondName,
  ethernetFrame,
  linuxBridgeName,
  vethName,
  vlanDeviceName,
} from "../core/host-devices";
import { HOSTED_BACKENDS, hostGroups } from "../spec/hosts";
import type { PhysicalNetworkModel } from "./deploy";
import type {
  NetworkModel,
  NetworkRole,
  NodeInterface,
  NodeLink,
  NodeRole,
  SwitchModel,
} from "./types";
import { switchFrame } from "./switches";
import { someOf } from "../core/lists";
import { objectStore } from "../core/object-stores";

/** Node roles in inventory order. */
export const ROLE_ORDER: readonly NodeRole[] = NODE_ROLES;

/** The networks each node role joins, when the network exists; a node joins those of all its roles. */
export const NODE_NETWORKS: Readonly<Record<NodeRole, readonly NetworkRole[]>> = {
  // Octavia's health manager, worker and housekeeping run here and talk to the amphorae.
  controller: ["management", "internal-api", "storage", "external", "octavia"],
  // (the external network reaches their routers through Open vSwitch, with no address of theirs)
  network: ["management", "internal-api", "tunnel"],
  compute: ["management", "internal-api", "tunnel", "storage"],
  "ceph-mon": ["management", "storage"],
  "ceph-osd": ["management", "storage", "storage-replication"],
  "swift-proxy": ["management", "internal-api", "storage"],
  "swift-storage": ["management", "storage", "storage-replication"],
  // cinder-volume talks to the database and queue on the API network, serves targets on storage.
  "block-storage": ["management", "internal-api", "storage"],
  // Reaches every host over SSH and the APIs for the post-deploy steps.
  deployer: ["management", "internal-api"],
};

const roleRank = (r: NodeRole) => ROLE_ORDER.indexOf(r);
export const sortRoles = (roles: Iterable<NodeRole>): NodeRole[] =>
  [...new Set(roles)].sort((a, b) => roleRank(a) - roleRank(b));

/**
 * Every rack, taking each zone's racks in turn (zones and racks by name): the order in which the
 * groups spread over all racks (controllers, network, storage) take racks of equal load.
 */
export function acrossZones(
  zones: readonly { name: string; racks: readonly string[] }[],
): string[] {
  const columns = [...zones].sort(byName).map((z) => [...z.racks].sort());
  const out = new Set<string>();
  for (let i = 0; columns.some((c) => i < c.length); i++)
    for (const c of columns) if (i < c.length) out.add(c[i]);
  return [...out];
}

/** A server before addressing: who it is, what it runs and where it stands. */
export interface PlannedNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly roles: readonly NodeRole[];
  readonly hardware: string;
  readonly zone?: string;
  readonly pool?: string;
  readonly rack?: string;
  /** The racks its group spreads over, where `hosts[].rack` may keep it. */
  readonly racks: readonly string[];
  readonly baremetalFlavor: string;
}

/**
 * Every server of the design in a stable order (primary role, then zone and pool, then sequence),
 * with the roles co-located on it: Ceph monitors on OSD hosts spread over sites, zones and racks,
 * the network agents, hosted volume backends and the deployer on the controllers when no
 * dedicated hosts exist.
 */
export function planNodes(spec: Spec, cephMonitors: number): PlannedNode[] {
  const allRacks = acrossZones(spec.zones);
  // The zone and site of each rack (the first zone by name that lists it).
  const placeOf = new Map<string, { zone: string; site?: string }>();
  for (const z of [...spec.zones].sort(byName))
    for (const r of z.racks)
      if (!placeOf.has(r)) placeOf.set(r, { zone: z.name, ...(z.site ? { site: z.site } : {}) });
  // (the site alone, every rack's zone taken as one)
  const sitesOf = new Map(
    [...placeOf].map(([rack, p]) => [rack, { zone: "", ...(p.site ? { site: p.site } : {}) }]),
  );
  // A host that stands in a rack already stays there whatever racks are added.
  const standsIn = new Map(spec.hosts.flatMap((h) => (h.rack ? [[h.name, h.rack] as const] : [])));
  const flavorOf = (hardware: string) =>
    spec.hardware.find((h) => h.name === hardware)?.baremetalFlavor ?? `baremetal-${hardware}`;
  const cp = spec.controlPlane;
  const hostedBackends = spec.storage.backends.some((b) => HOSTED_BACKENDS.has(b.kind));
  const nodes: PlannedNode[] = [];
  for (const group of hostGroups(spec)) {
    // By name, as a list is a set of racks: reordering a zone's racks moves no host.
    const racks = group.racks ? [...group.racks].sort() : allRacks;
    // Each host not kept in a rack goes where its group has the fewest hosts, the first in
    // order of equals: round-robin when nothing is kept, the gaps first around kept hosts.
    // Controllers and network nodes, whose quorum or agents a zone's loss would take, count by
    // site, then zone, then rack, so zones of fewer racks still get their share; Swift proxies,
    // whose service a site's loss would take, by site, then rack; storage hosts by rack alone,
    // as CRUSH and Swift weigh racks and more hosts in a zone's rack would unbalance them (and a
    // volume lives on one host: spread over sites, volume hosts keep no volume alive).
    const byPlace = group.role === "controller" || group.role === "network";
    const bySite = group.role === "swift-proxy";
    const hostRacks = spread(
      racks,
      group.names.map((n) => standsIn.get(n)),
      byPlace ? placeOf : bySite ? sitesOf : new Map(),
    );
    // Ceph's monitors: the OSD hosts that spread them most by site, zone and rack (the first
    // ones when the racks take the zones in turn).
    const monitors =
      group.role === "ceph-osd"
        ? new Set(spreadPick(hostRacks, Math.min(cephMonitors, group.names.length), placeOf))
        : new Set<number>();
    group.names.forEach((name, i) => {
      const roles: NodeRole[] = [group.role];
      if (group.role === "controller") {
        if (cp.networkNodes === 0) roles.push("network");
        if (hostedBackends && !spec.storage.blockStorageNodes) roles.push("block-storage");
        if (!spec.deployer && i === 0) roles.push("deployer");
      }
      if (monitors.has(i)) roles.push("ceph-mon");
      const rack = hostRacks[i];
      nodes.push({
        name,
        role: group.role,
        roles: sortRoles(roles),
        hardware: group.hardware,
        ...(group.zone ? { zone: group.zone } : {}),
        ...(group.pool ? { pool: group.pool } : {}),
        ...(rack ? { rack } : {}),
        racks,
        baremetalFlavor:
          (group.role === "controller" ? cp.flavor : undefined) ?? flavorOf(group.hardware),
      });
    });
  }
  // Stable sort: groups keep their zone, pool and sequence order inside a role.
  return nodes.sort((a, b) => roleRank(a.role) - roleRank(b.role));
}

type Places = ReadonlyMap<string, { readonly zone: string; readonly site?: string }>;

/** How many of the counted hosts stand in a rack's site, zone and rack, in that order. */
function placeCounter(places: Places) {
  const counts = new Map<string, number>();
  const keys = (rack: string | undefined) => {
    const p = rack === undefined ? undefined : places.get(rack);
    return [`s:${p?.site}`, `z:${p?.zone}`, `r:${rack}`];
  };
  return {
    add: (rack: string | undefined) => {
      for (const k of keys(rack)) counts.set(k, (counts.get(k) ?? 0) + 1);
    },
    load: (rack: string | undefined) => keys(rack).map((k) => counts.get(k) ?? 0),
  };
}

/** Whether a load list sorts before another (the first differing place decides). */
function lighter(a: readonly number[], b: readonly number[]): boolean {
  const i = a.findIndex((x, j) => x !== b[j]);
  return i >= 0 && a[i] < b[i];
}

/**
 * A rack for each host: the kept one, else the rack with the fewest of the hosts by the places
 * given (site and zone where `places` knows the rack, then the rack itself), first of equals.
 */
function spread(
  racks: readonly string[],
  kept: readonly (string | undefined)[],
  places: Places,
): (string | undefined)[] {
  const counter = placeCounter(places);
  for (const k of kept) if (k !== undefined && racks.includes(k)) counter.add(k);
  return kept.map((k) => {
    if (k !== undefined) return k;
    let best: string | undefined;
    for (const r of racks)
      if (best === undefined || lighter(counter.load(r), counter.load(best))) best = r;
    if (best !== undefined) counter.add(best);
    return best;
  });
}

/** `count` of the hosts, by index, each where the picked ones are fewest (first of equals). */
function spreadPick(hostRacks: readonly (string | undefined)[], count: number, places: Places) {
  const counter = placeCounter(places);
  const picked: number[] = [];
  while (picked.length < count) {
    let best = -1;
    hostRacks.forEach((r, j) => {
      if (picked.includes(j)) return;
      if (best < 0 || lighter(counter.load(r), counter.load(hostRacks[best]))) best = j;
    });
    picked.push(best);
    counter.add(hostRacks[best]);
  }
  return picked;
}

/**
 * Whether the Ceph monitors, which run the RADOS Gateways, join the internal API network, where
 * Keystone's internal endpoint takes the gateways' token checks: only where it is a VLAN, which
 * rides their bond; an untagged one would take ports of their own from running monitors' bonds.
 */
export function gatewaysJoinApi(spec: Spec): boolean {
  return (
    objectStore(spec.storage, spec.controlPlane.services) === "rgw" &&
    spec.network.networks.some((n) => n.role === "internal-api" && n.vlan !== undefined)
  );
}

/**
 * The network roles a node takes an address on: the union over all its roles. The external
 * network only carries the external VIP for hosts (routers and floating IPs are Neutron's, on
 * the bond's Open vSwitch bridge): without that VIP no host stands on it.
 */
export function networksOfNode(
  roles: readonly NodeRole[],
  externalVip: boolean,
  /** The monitors join the internal API network for the RADOS Gateways (gatewaysJoinApi). */
  rgwGateways = false,
): ReadonlySet<NetworkRole> {
  return new Set([
    ...roles.flatMap((r) => NODE_NETWORKS[r]).filter((n) => externalVip || n !== "external"),
    ...(rgwGateways && roles.includes("ceph-mon") ? (["internal-api"] as const) : []),
  ]);
}

export interface HostNetworking {
  readonly interfaces: NodeInterface[];
  readonly links: NodeLink[];
}

/**
 * A node's host networking: tagged networks ride on bond0 as VLAN devices (`bond0.110`); the
 * first untagged network (management first) is native on bond0, each further untagged network
 * gets a bond of its own, since a port carries one untagged segment. Member ports come from the
 * hardware's `nicNames`, split evenly; without names, one bond takes every Ethernet port.
 * A bond that also feeds Open vSwitch bridges (`bridged`: the physical networks the node serves)
 * goes into a Linux bridge with a veth to OVS, and its networks move onto that bridge.
 */
export function hostNetworking(
  addresses: Readonly<Record<string, string>>,
  networks: readonly NetworkModel[],
  bridged: readonly PhysicalNetworkModel[],
  hardware: {
    readonly name: string;
    readonly nicNames?: readonly string[];
    readonly nics?: readonly { readonly count: number }[];
  },
  hardwareIndex: number,
  issues: SpecIssue[],
  reported: Set<string>,
  /** Networks the node carries for Neutron without an address of its own there. @default none */
  unaddressed: readonly NetworkModel[] = [],
): HostNetworking {
  const joined = networks.filter((n) => addresses[n.name] !== undefined);
  // An untagged segment needs its own ports whether or not the host stands on it.
  const carried = [...joined, ...unaddressed];
  const untagged = carried
    .filter((n) => n.vlan === undefined)
    .sort(
      (a, b) =>
        Number(b.role === "management") - Number(a.role === "management") ||
        (a.name < b.name ? -1 : 1),
    );
  // The trunk, bond0, carries every physical network of no untagged network here: a flat
  // network of another physical network, carried by no address of the host's, leaves it to
  // them and takes the next bond (a bond reaches Open vSwitch by one veth, of one bridge).
  const physnetOf = (n: NetworkModel) => bridged.find((p) => p.networks.includes(n.name))?.name;
  const onTrunk = bridged.filter((p) => !untagged.some((n) => p.networks.includes(n.name)));
  const first = untagged[0];
  const shift =
    first !== undefined &&
    addresses[first.name] === undefined &&
    onTrunk.some((p) => p.name !== physnetOf(first))
      ? 1
      : 0;
  const bondOf = new Map<string, string>(untagged.map((n, i) => [n.name, bondName(i + shift)]));
  const bonds = Math.max(1, untagged.length + shift);
  const names = hardware.nicNames;
  if (bonds > 1 && (!names || names.length < bonds) && !reported.has(hardware.name)) {
    reported.add(hardware.name);
    issues.push({
      code: "nic-names-required",
      path: ["hardware", hardwareIndex, "nicNames"],
      severity: "error",
      message: shift
        ? `hosts of hardware ${hardware.name} carry ${untagged.length === 1 ? "an untagged network" : `${untagged.length} untagged networks`} (${untagged.map((n) => n.name).join(", ")}) beside the trunk of their tagged networks and physical networks ${onTrunk.map((p) => p.name).join(", ")}, one bond each; list at least ${bonds} port names in hardware[${hardwareIndex}].nicNames so each bond gets its ports, or give the networks VLAN ids`
        : `hosts of hardware ${hardware.name} carry ${bonds} untagged networks (${untagged.map((n) => n.name).join(", ")}), one bond each; list at least ${bonds} port names in hardware[${hardwareIndex}].nicNames so each bond gets its ports, or give the networks VLAN ids`,
    });
  }
  // A physical network rides on the bond of its first network here, else on the trunk (bond0),
  // which carries every tagged network: a tenant VLAN range has no network of the design.
  const physnetsOfBond = new Map<string, string[]>();
  for (const p of bridged) {
    const net = carried.find((n) => p.networks.includes(n.name));
    const bond = (net && bondOf.get(net.name)) ?? bondName(0);
    physnetsOfBond.set(bond, [...(physnetsOfBond.get(bond) ?? []), p.name]);
  }
  const carrierOf = (bond: string) => (physnetsOfBond.has(bond) ? linuxBridgeName(bond) : bond);
  const onBonds = joined.map((net) => {
    const bond = bondOf.get(net.name) ?? bondName(0);
    const parent = carrierOf(bond);
    const iface: NodeInterface = {
      network: net.name,
      role: net.role,
      device: net.vlan === undefined ? parent : vlanDeviceName(parent, net.vlan),
      parent,
      ...(net.vlan !== undefined ? { vlan: net.vlan } : {}),
      address: addresses[net.name],
      prefixLength: Number(net.cidr.split("/")[1]),
      mtu: net.mtu,
    };
    return { bond, iface };
  });
  const ports = hardware.nics?.reduce((t, nic) => t + nic.count, 0);
  const links: NodeLink[] = [];
  for (let i = 0; i < bonds; i++) {
    const device = bondName(i);
    const members =
      names && names.length >= bonds ? split(names, bonds)[i] : bonds === 1 && names ? names : [];
    const physicalNetworks = physnetsOfBond.get(device);
    // Neutron's segments cross the bond too (through the bridge and veth): the largest MTU wins.
    const mtus = [
      ...onBonds.filter((f) => f.bond === device).map((f) => f.iface.mtu),
      ...bridged.filter((p) => physicalNetworks?.includes(p.name)).map((p) => p.mtu),
    ];
    const bridge = linuxBridgeName(device);
    links.push({
      device,
      members,
      mtu: mtus.length ? Math.max(...mtus) : 1500,
      // One port (named, or the profile's only one) has no partner to aggregate with.
      mode: members.length === 1 || (!members.length && ports === 1) ? "active-backup" : "802.3ad",
      ...(physicalNetworks
        ? {
            bridge: {
              device: bridge,
              patch: vethName(bridge, "-phy"),
              ovsPatch: vethName(bridge, "-ovs"),
              physicalNetworks,
            },
          }
        : {}),
    });
  }
  // By bond, the untagged network first, then by VLAN id.
  const interfaces = onBonds
    .sort(
      (a, b) =>
        (a.bond < b.bond ? -1 : a.bond > b.bond ? 1 : 0) ||
        (a.iface.vlan ?? -1) - (b.iface.vlan ?? -1),
    )
    .map((f) => f.iface);
  return { interfaces, links };
}

/** Splits a list into `parts` contiguous chunks, the first ones one longer when it does not divide. */
function split<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (let i = 0; i < parts; i++) {
    const size = Math.floor(items.length / parts) + (i < items.length % parts ? 1 : 0);
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}

/**
 * Untagged networks whose bond runs at a larger MTU for the other networks on it: the untagged
 * address sits on the bond (or its bridge) itself, whose MTU a VLAN device or Open vSwitch segment
 * on it needs, so the hosts send that size on the untagged network too. A warning: it works where
 * the segment takes the frames, and black-holes them where a 1500-byte router sits on it.
 */
export function untaggedMtuIssues(
  nodes: readonly {
    readonly name: string;
    readonly interfaces: readonly NodeInterface[];
    readonly links: readonly NodeLink[];
  }[],
  spec: Spec,
): SpecIssue[] {
  const found = new Map<string, { mtu: number; bond: string; linkMtu: number; hosts: string[] }>();
  for (const node of nodes) {
    for (const f of node.interfaces) {
      if (f.vlan !== undefined) continue;
      const link = node.links.find((l) => l.device === f.parent || l.bridge?.device === f.parent);
      if (!link || link.mtu <= f.mtu) continue;
      const entry = found.get(f.network) ?? {
        mtu: f.mtu,
        bond: link.device,
        linkMtu: link.mtu,
        hosts: [],
      };
      entry.linkMtu = Math.max(entry.linkMtu, link.mtu);
      entry.hosts.push(node.name);
      found.set(f.network, entry);
    }
  }
  return [...found].map(([name, e]) => {
    const i = spec.network.networks.findIndex((n) => n.name === name);
    const shown = someOf(e.hosts);
    return {
      code: "untagged-mtu-raised",
      path:
        spec.network.networks[i]?.mtu !== undefined
          ? ["network", "networks", i, "mtu"]
          : ["network", "networks", i],
      severity: "warning" as const,
      message: `network ${name} is untagged on ${e.bond} of ${shown}, which runs at MTU ${e.linkMtu} for the other networks on it, so the hosts send up to ${e.linkMtu} bytes on ${name}, not ${e.mtu}; give ${name} a VLAN id, or mtu ${e.linkMtu} if its segment and gateway take such frames`,
    };
  });
}

/** The largest Ethernet frame, header and VLAN tag included, that many switches take. */
const SWITCH_FRAME_MAX = 9216;
/**
 * Switches whose ports must pass frames larger than many switches take (9216 bytes, the header
 * and a VLAN tag where they trunk VLANs counted): they drop the largest packets, which ping and
 * SSH never send.
 */
export function frameSizeIssues(switches: readonly SwitchModel[], spec: Spec): SpecIssue[] {
  const worst = [...switches].sort((a, b) => switchFrame(b) - switchFrame(a))[0];
  if (!worst || switchFrame(worst) <= SWITCH_FRAME_MAX) return [];
  const { mtu } = worst;
  const frame = switchFrame(worst);
  const tagged = frame > ethernetFrame(mtu, false);
  const limit = SWITCH_FRAME_MAX - (frame - mtu);
  const i = spec.network.networks.findIndex((n) => n.mtu === mtu);
  return [
    {
      code: "mtu-frame-large",
      path: i >= 0 ? ["network", "networks", i, "mtu"] : ["network", "underlayMtu"],
      severity: "warning",
      message: `the hosts' bonds run at MTU ${mtu}, so their ${tagged ? "tagged " : ""}Ethernet frames reach ${frame} bytes with the header${tagged ? " and VLAN tag" : ""}, above the ${SWITCH_FRAME_MAX} bytes many switches take at most: they would drop the largest packets (storage and tunnel traffic) while small ones pass; lower it to ${limit} or less, unless every switch on the path passes frames of ${frame} bytes`,
    },
  ];
}

/**
 * Controllers as VMs get one port on the undercloud network and boot on its DHCP, not with the
 * bonds and VLANs their netplan plans; their segments reach the undercloud's hypervisors, which
 * no switch of the design plans, so the warning lists them.
 */
export function controllerVmNetworkIssues(
  nodes: readonly {
    readonly role: string;
    readonly virtual?: boolean;
    readonly interfaces: readonly NodeInterface[];
    readonly links: readonly NodeLink[];
  }[],
  networks: readonly Pick<NetworkModel, "name" | "vlan" | "physicalNetwork">[],
  physicalNetworks: readonly PhysicalNetworkModel[],
): SpecIssue[] {
  const vm = nodes.find((n) => n.role === "controller" && n.virtual);
  if (!vm) return [];
  const segment = (name: string, vlan: number | undefined) =>
    `${name} (${vlan === undefined ? "untagged" : `VLAN ${vlan}`})`;
  const hosts = vm.interfaces.map((f) => f.network);
  const fed = new Set(vm.links.flatMap((l) => l.bridge?.physicalNetworks ?? []));
  const neutron = networks.filter(
    (n) => n.physicalNetwork && fed.has(n.physicalNetwork) && !hosts.includes(n.name),
  );
  const ranges = physicalNetworks
    .filter((p) => fed.has(p.name) && p.vlanRange)
    .map((p) => `tenant VLANs ${p.vlanRange!.min}-${p.vlanRange!.max} of ${p.name}`);
  const segments = [
    ...vm.interfaces.map((f) => segment(f.network, f.vlan)),
    ...neutron.map((n) => segment(n.name, n.vlan)),
    ...ranges,
  ];
  return [
    {
      code: "controller-vms-networking",
      path: ["controlPlane", "deployment"],
      severity: "warning",
      message: `controllers as VMs get one port on the undercloud network from the bare-metal stack and boot on its DHCP, not with the host networking of their hardware profile (bonds, a VLAN per network) which config/netplan plans for them, and their segments, ${segments.join(", ")}, reach them through the undercloud's hypervisors, which no switch of the design lists; give the VMs ports (or a trunk port) on those segments and install config/netplan adapted to them before the deploy stage, or deploy the controllers on bare metal`,
    },
  ];
}

/**
 * Networks untagged on the bond the servers PXE-boot on (their first): the undercloud's
 * provisioning network reaches that bond untagged (the runbook's switch setup), so after the
 * host's netplan takes over the switch still puts its native VLAN there. A warning: it works
 * where both are one segment.
 */
export function pxeNativeVlanIssues(
  nodes: readonly {
    readonly name: string;
    readonly role: string;
    readonly interfaces: readonly NodeInterface[];
    readonly links: readonly NodeLink[];
  }[],
  networks: readonly Pick<NetworkModel, "name" | "networkType" | "physicalNetwork">[],
  spec: Spec,
): SpecIssue[] {
  const uc = spec.cloud.undercloud;
  if (!uc) return [];
  const found = new Map<string, { bond: string; hosts: string[]; neutron?: true }>();
  for (const node of nodes) {
    // Controllers as VMs boot from the undercloud's network, not a bond of their own.
    if (node.role === "controller" && spec.controlPlane.deployment === "vm") continue;
    const pxe = node.links[0];
    if (!pxe) continue;
    for (const f of node.interfaces) {
      // (the provisioning network itself, planned as a host network, is that native VLAN)
      if (
        f.vlan !== undefined ||
        f.network === uc.network ||
        (f.parent !== pxe.device && f.parent !== pxe.bridge?.device)
      )
        continue;
      const entry = found.get(f.network) ?? { bond: pxe.device, hosts: [] };
      entry.hosts.push(node.name);
      found.set(f.network, entry);
    }
    // A flat Neutron segment leaves Open vSwitch through that bond untagged too.
    const fed = pxe.bridge?.physicalNetworks ?? [];
    for (const net of networks) {
      if (net.networkType !== "flat" || !net.physicalNetwork || net.name === uc.network) continue;
      if (!fed.includes(net.physicalNetwork)) continue;
      const entry = found.get(net.name) ?? { bond: pxe.device, hosts: [], neutron: true as const };
      if (!entry.hosts.includes(node.name)) entry.hosts.push(node.name);
      found.set(net.name, entry);
    }
  }
  return [...found].map(([name, e]) => ({
    code: "untagged-on-pxe-bond",
    path: ["network", "networks", spec.network.networks.findIndex((n) => n.name === name)],
    severity: "warning" as const,
    message: e.neutron
      ? `flat network ${name} leaves Open vSwitch untagged on ${e.bond} of ${someOf(e.hosts)}, the bond the servers PXE-boot on, whose untagged (native) VLAN the undercloud's provisioning network ${uc.network} takes: the instances on ${name} would share that segment and its DHCP, or miss their own; give ${name} a VLAN id`
      : `network ${name} is untagged on ${e.bond} of ${someOf(e.hosts)}, the bond the servers PXE-boot on, whose untagged (native) VLAN the undercloud's provisioning network ${uc.network} takes: unless the two are one segment (then the undercloud's DHCP range must keep clear of ${name}'s planned addresses), the hosts lose ${name} once their netplan applies; give ${name} a VLAN id`,
  }));
}

/**
 * Each node's zone: its pool's, else the first zone by name listing its rack (zones may share a
 * site's racks; planNodes places a rack at that zone's site).
 */
export function nodeZones(
  nodes: readonly { readonly name: string; readonly rack?: string; readonly zone?: string }[],
  zones: readonly { readonly name: string; readonly racks: readonly string[] }[],
): (node: string) => string | undefined {
  const rackZone = new Map<string, string>();
  for (const z of [...zones].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    for (const r of z.racks) if (!rackZone.has(r)) rackZone.set(r, z.name);
  const of = new Map(
    nodes.map((n) => [n.name, n.zone ?? (n.rack === undefined ? undefined : rackZone.get(n.rack))]),
  );
  return (node) => of.get(node);
}
