import type { PhysicalNetworkModel } from "./deploy";
import { NODE_ROLES } from "../core/vocabulary";
import { ethernetFrame } from "../core/host-devices";
import type { HardwareModel, NetworkModel, NodeModel, NodeRole, SwitchModel } from "./types";

/**
 * The servers by where they stand: each rack, and the servers of no rack, those before the racks,
 * each in name order. Unracked servers at several declared sites stand at each site apart (cabled
 * to switches of their own); at one, they stand together with those whose site is not known.
 */
export function rackGroups(
  servers: readonly NodeModel[],
): { readonly rack?: string; readonly site?: string; readonly servers: NodeModel[] }[] {
  const unracked = new Set(
    servers.flatMap((n) => (n.rack === undefined && n.site ? [n.site] : [])),
  );
  const siteOf = (n: NodeModel) => (unracked.size > 1 ? n.site : undefined);
  const groups = new Map<string, { rack?: string; site?: string; servers: NodeModel[] }>();
  for (const n of servers) {
    const site = siteOf(n);
    // (NUL sorts before any rack name)
    const key = n.rack ?? `\0${site ?? ""}`;
    const group = groups.get(key);
    if (group) group.servers.push(n);
    else
      groups.set(key, {
        ...(n.rack !== undefined ? { rack: n.rack } : site !== undefined ? { site } : {}),
        servers: [n],
      });
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

/**
 * Top-of-rack switches: per rack (and for the unracked servers of each site) a pair for each
 * host bond, so an LACP bond can span two switches (MLAG); a bond of single ports (a lab) gets one
 * switch. Each carries the networks and VLANs of its bond: the hosts' own, and the Neutron
 * segments of the physical networks the bond feeds into Open vSwitch (provider networks no host
 * joins, the amphorae's octavia VLAN on computes, the tenant VLAN range), which it must trunk too.
 * Its ports run at the fastest NIC of the hosts cabled to it (a profile's ports are not tied to
 * its bonds, so a slower port is never assumed) and pass the largest MTU of their bonds. A port
 * carries one untagged network; where the roles cabled to a switch take different ones, each is
 * named with the roles whose ports take it.
 */
export function switchPlan(
  nodes: readonly NodeModel[],
  networks: readonly NetworkModel[],
  physicalNetworks: readonly PhysicalNetworkModel[],
  hardware: ReadonlyMap<string, HardwareModel>,
): SwitchModel[] {
  const fastest = (n: NodeModel) =>
    Math.max(0, ...(hardware.get(n.hardware)?.nics.map((nic) => nic.speedGbps) ?? []));
  const groups = rackGroups(nodes);
  const racks = new Set(groups.flatMap((g) => g.rack ?? []));
  const out: SwitchModel[] = [];
  for (const { rack, site, servers: members } of groups) {
    // (unracked servers at several sites: each site's switches are named after it, and apart
    // from a rack of the same name)
    const prefix = rack ?? (site && racks.has(site) ? `${site}-unracked` : site);
    const links = [...new Set(members.flatMap((n) => n.links.map((l) => l.device)))].sort();
    for (const link of links) {
      const fed = new Set(
        members.flatMap(
          (n) => n.links.find((l) => l.device === link)?.bridge?.physicalNetworks ?? [],
        ),
      );
      // Networks ride on the bond itself, or on its Linux bridge where OVS shares the bond.
      const onLink = (n: NodeModel) => {
        const l = n.links.find((k) => k.device === link);
        const bridge = l?.bridge?.device;
        const own = n.interfaces
          .filter((f) => f.parent === link || f.parent === bridge)
          .map((f) => f.network);
        // Segments that leave Open vSwitch here: Neutron networks and the amphorae's VLAN.
        const physnets = new Set(l?.bridge?.physicalNetworks ?? []);
        const segments = networks
          .filter((net) => net.physicalNetwork && physnets.has(net.physicalNetwork))
          .map((net) => net.name);
        return new Set([...own, ...segments]);
      };
      const carriedBy = new Map(members.map((n) => [n, onLink(n)]));
      const carried = new Set([...carriedBy.values()].flatMap((c) => [...c]));
      const nets = networks.filter((net) => carried.has(net.name));
      const untagged = nets.filter((n) => n.vlan === undefined).map((n) => n.name);
      const rolesOf = (network: string) => {
        const roles = new Set<NodeRole>();
        for (const [n, c] of carriedBy) if (c.has(network)) roles.add(n.role);
        // (the roles' order, ROLE_ORDER's own source: nodes.ts imports this module)
        return NODE_ROLES.filter((r) => roles.has(r));
      };
      const ranges = physicalNetworks
        .filter((p) => fed.has(p.name) && p.vlanRange)
        .map((p) => ({ min: p.vlanRange!.min, max: p.vlanRange!.max }))
        .sort((a, b) => a.min - b.min);
      const single = members.every(
        (n) => n.links.find((l) => l.device === link)?.mode !== "802.3ad",
      );
      const count = single ? 1 : 2;
      const cabled = members.filter((n) => n.links.some((l) => l.device === link));
      const portSpeedGbps = Math.max(0, ...cabled.map(fastest));
      const mtu = Math.max(...cabled.map((n) => n.links.find((l) => l.device === link)?.mtu ?? 0));
      // A bond of every port has the profile's NICs.
      const bondPorts = (n: NodeModel) => {
        const l = n.links.find((k) => k.device === link);
        const nics = hardware.get(n.hardware)?.nics.reduce((t, nic) => t + nic.count, 0) ?? 0;
        return l?.members.length || Math.max(2, nics);
      };
      // An LACP bond splits its ports over the pair (a: the odd one); single-port hosts take
      // turns, a first: each host's ports on switch i, so a role's add up with the others'.
      const isLacp = (n: NodeModel) => n.links.find((l) => l.device === link)?.mode === "802.3ad";
      const turn = new Map(cabled.filter((n) => !isLacp(n)).map((n, k) => [n, k] as const));
      const portsOn = (i: number, n: NodeModel) =>
        count === 1
          ? 1
          : isLacp(n)
            ? (i === 1 ? Math.ceil : Math.floor)(bondPorts(n) / 2)
            : ((turn.get(n) ?? 0) % 2 === 0) === (i === 1)
              ? 1
              : 0;
      const portsOf = (i: number, hosts: readonly NodeModel[]) =>
        hosts.reduce((t, n) => t + portsOn(i, n), 0);
      const cabledRoles = NODE_ROLES.filter((r) => cabled.some((n) => n.role === r));
      for (let i = 1; i <= count; i++) {
        out.push({
          name: `${prefix ? `${prefix}-` : ""}sw-${link.replace(/^bond/, "")}${String.fromCharCode(96 + i)}`,
          ...(rack ? { rack } : site ? { site } : {}),
          link,
          networks: nets.map((n) => n.name),
          vlans: nets.flatMap((n) => (n.vlan !== undefined ? [n.vlan] : [])).sort((a, b) => a - b),
          ...(untagged.length ? { untagged } : {}),
          ...(untagged.length > 1
            ? { native: untagged.map((network) => ({ network, roles: rolesOf(network) })) }
            : {}),
          ...(ranges.length ? { vlanRanges: ranges } : {}),
          hostPorts: portsOf(i, cabled),
          mtu,
          ...(portSpeedGbps > 0 ? { portSpeedGbps } : {}),
          roles: cabledRoles.map((role) => {
            const hosts = cabled.filter((n) => n.role === role);
            const speed = Math.max(0, ...hosts.map(fastest));
            return {
              role,
              hostPorts: portsOf(i, hosts),
              ...(speed > 0 ? { portSpeedGbps: speed } : {}),
            };
          }),
        });
      }
    }
  }
  return out;
}

/** What switches trunk, as people write it: VLAN ids, then ranges (`100, 101, 1000-1999`). */
export function trunkedVlans(switches: readonly SwitchModel[]): string[] {
  const ids = [...new Set(switches.flatMap((s) => s.vlans))].sort((a, b) => a - b);
  const ranges = new Map<string, { min: number; max: number }>();
  for (const s of switches) for (const r of s.vlanRanges ?? []) ranges.set(`${r.min}-${r.max}`, r);
  return [
    ...ids.map(String),
    ...[...ranges].sort(([, a], [, b]) => a.min - b.min).map(([text]) => text),
  ];
}

/** The largest Ethernet frame a switch's ports pass: its MTU, the header, a tag where it trunks. */
export const switchFrame = (s: SwitchModel): number =>
  ethernetFrame(s.mtu, s.vlans.length > 0 || (s.vlanRanges?.length ?? 0) > 0);
