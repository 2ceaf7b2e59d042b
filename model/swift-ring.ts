/**
 * Where Swift's ring builder may put every replica of a partition. rings.sh builds with overload
 * 0, so the builder gives each region, zone, host and disk a target share of each partition's
 * replicas in proportion to its weight and keeps every tier at or below the ceiling of its target
 * (swift/common/ring/builder.py, _build_replica_plan). All disks weigh the same here.
 */

/** One storage node's place in the ring. */
export interface RingNode {
  readonly node: string;
  readonly zone: number;
  readonly region: number;
}

/** The ring layout of a Swift cluster: its nodes, their disks and each ring's replica count. */
export interface RingLayout {
  readonly nodeZones: readonly RingNode[];
  /** Disks of every storage node (the same on each). */
  readonly disks: number;
  /** Replicas of the account and container rings. */
  readonly replicas: number;
  /** Replicas of each storage policy's object ring. */
  readonly policies: readonly { readonly replicas: number }[];
}

/**
 * Zones go round-robin into regions, nodes round-robin into zones. Where the nodes stand at as
 * many sites as there are regions, a region is a site (by name), and its nodes take its zones.
 */
export function ringNodes(
  nodes: readonly string[],
  zones: number,
  regions: number,
  siteOf: ReadonlyMap<string, string> = new Map(),
): readonly RingNode[] {
  const regionOfZone = (zone: number) => ((zone - 1) % regions) + 1;
  const sites = [...new Set(nodes.map((n) => siteOf.get(n)))];
  if (regions > 1 && sites.length === regions && sites.every((s) => s !== undefined)) {
    const order = (sites as string[]).sort();
    const taken = new Map<number, number>();
    return nodes.map((node) => {
      const region = order.indexOf(siteOf.get(node) as string) + 1;
      const own = Array.from({ length: zones }, (_, z) => z + 1).filter(
        (z) => regionOfZone(z) === region,
      );
      const k = taken.get(region) ?? 0;
      taken.set(region, k + 1);
      return { node, zone: own[k % own.length], region };
    });
  }
  return nodes.map((node, i) => {
    const zone = (i % zones) + 1;
    return { node, zone, region: regionOfZone(zone) };
  });
}

/** The replica counts of the rings, fewest first. */
export function ringReplicaCounts(layout: Pick<RingLayout, "replicas" | "policies">): number[] {
  return [...new Set([layout.replicas, ...layout.policies.map((p) => p.replicas)])].sort(
    (a, b) => a - b,
  );
}

// The builder's own rounding slack (math.ceil(r - 1e-10)).
const ceil = (r: number) => Math.ceil(r - 1e-10);

/**
 * Whether all `replicas` of some partition may sit on the nodes `inPlace` accepts: the builder
 * keeps each tier at or below the ceiling of its target (it gathers the parts of a tier over its
 * `max` and places them again, builder.py) but puts nothing into a tier to meet its floor, so
 * the tiers outside the place may hold none, and the place may hold as many as its tiers'
 * ceilings allow, summed up the tree.
 */
function placeMayHoldAll(
  layout: RingLayout,
  replicas: number,
  inPlace: (node: string) => boolean,
): boolean {
  const nodes = layout.nodeZones.length;
  const devices = nodes * layout.disks;
  if (!nodes || replicas > devices) return false;
  const share = (members: number) => (replicas * members) / nodes;
  // What a tier may hold: its ceiling, or what its members may hold when that is less.
  const cap = (held: number, members: number) => Math.min(held, ceil(share(members)));
  // A disk holds at most one replica of a partition, so a node at most its disks.
  const node = Math.min(layout.disks, ceil(share(1)));
  const regions = new Map<number, Map<number, { nodes: number; held: number }>>();
  for (const n of layout.nodeZones) {
    const zones = regions.get(n.region) ?? new Map<number, { nodes: number; held: number }>();
    const zone = zones.get(n.zone) ?? { nodes: 0, held: 0 };
    zones.set(n.zone, { nodes: zone.nodes + 1, held: zone.held + (inPlace(n.node) ? node : 0) });
    regions.set(n.region, zones);
  }
  let held = 0;
  for (const zones of regions.values()) {
    const members = [...zones.values()].reduce((sum, z) => sum + z.nodes, 0);
    const inRegion = [...zones.values()].reduce((sum, z) => sum + cap(z.held, z.nodes), 0);
    held += cap(inRegion, members);
  }
  return held >= replicas;
}

/**
 * The fewest replicas of a ring whose every copy of some partition may sit in the place, or
 * `undefined` when each ring keeps a replica outside it.
 */
export function replicasHeldByPlace(
  layout: RingLayout,
  inPlace: (node: string) => boolean,
): number | undefined {
  return ringReplicaCounts(layout).find((r) => r > 1 && placeMayHoldAll(layout, r, inPlace));
}

/** The Swift zones of the storage nodes `inPlace` accepts, in order. */
export function zonesOfPlace(layout: RingLayout, inPlace: (node: string) => boolean): number[] {
  return [...new Set(layout.nodeZones.filter((n) => inPlace(n.node)).map((n) => n.zone))].sort(
    (a, b) => a - b,
  );
}

/**
 * A region whose share of the ring's weight reaches a partition's replicas: the builder places by
 * weight before regions, so it may keep every replica of some objects there.
 */
export function heavyRegion(layout: RingLayout): { region: number; nodes: number } | undefined {
  const regions = new Set(layout.nodeZones.map((n) => n.region));
  if (regions.size < 2) return undefined;
  const most = Math.max(...ringReplicaCounts(layout));
  const total = layout.nodeZones.length;
  const perRegion = new Map<number, number>();
  for (const { region } of layout.nodeZones)
    perRegion.set(region, (perRegion.get(region) ?? 0) + 1);
  const heavy = [...perRegion]
    .sort(([a], [b]) => a - b)
    .find(([, n]) => ceil((most * n) / total) >= most);
  return heavy && { region: heavy[0], nodes: heavy[1] };
}

/**
 * The first zone whose target share of a partition's replicas passes one in some ring: the
 * builder then puts two replicas of some partitions in it.
 */
export function heavyZone(layout: RingLayout): { zone: number; nodes: number } | undefined {
  const most = Math.max(...ringReplicaCounts(layout));
  const total = layout.nodeZones.length;
  const perZone = new Map<number, number>();
  for (const { zone } of layout.nodeZones) perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
  const heavy = [...perZone]
    .sort(([a], [b]) => a - b)
    .find(([, n]) => n >= 2 && ceil((most * n) / total) > 1);
  return heavy && { zone: heavy[0], nodes: heavy[1] };
}
