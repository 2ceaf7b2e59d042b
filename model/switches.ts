import type { NetworkModel, NodeModel, SwitchModel } from "./types";

/**
 * Top-of-rack switches: per rack (or for the whole site when nothing is racked) a pair for each
 * host bond, so an LACP bond can span two switches (MLAG); a bond of single ports (a lab) gets one
 * switch. Each carries the networks and VLANs of its bond.
 */
export function switchPlan(
  nodes: readonly NodeModel[],
  networks: readonly NetworkModel[],
): SwitchModel[] {
  const groups = new Map<string, NodeModel[]>();
  for (const n of nodes) {
    const key = n.rack ?? "";
    const group = groups.get(key);
    if (group) group.push(n);
    else groups.set(key, [n]);
  }
  const out: SwitchModel[] = [];
  for (const [rack, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const links = [...new Set(members.flatMap((n) => n.links.map((l) => l.device)))].sort();
    for (const link of links) {
      const carried = new Set(
        members.flatMap((n) => {
          // Networks ride on the bond itself, or on its Linux bridge where OVS shares the bond.
          const bridge = n.links.find((l) => l.device === link)?.bridge?.device;
          return n.interfaces
            .filter((f) => f.parent === link || f.parent === bridge)
            .map((f) => f.network);
        }),
      );
      const nets = networks.filter((net) => carried.has(net.name));
      const single = members.every(
        (n) => n.links.find((l) => l.device === link)?.mode !== "802.3ad",
      );
      const count = single ? 1 : 2;
      const hostPorts = members.filter((n) => n.links.some((l) => l.device === link)).length;
      for (let i = 1; i <= count; i++) {
        out.push({
          name: `${rack ? `${rack}-` : ""}sw-${link.replace(/^bond/, "")}${String.fromCharCode(96 + i)}`,
          ...(rack ? { rack } : {}),
          link,
          networks: nets.map((n) => n.name),
          vlans: nets.flatMap((n) => (n.vlan !== undefined ? [n.vlan] : [])).sort((a, b) => a - b),
          hostPorts,
        });
      }
    }
  }
  return out;
}
