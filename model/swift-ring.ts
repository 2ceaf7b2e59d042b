/**
 * Where Swift's ring builder may put every replica of a partition. rings.sh builds with overload
 * 0, so the builder gives each region, zone, host and disk a target share of each partition's
 * replicas in proportion to its weight, and keeps every tier between the floor and the ceiling of
 * its target (swift/common/ring/builder.py, _build_replica_plan). All disks weigh the same here.
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

/** Nodes go round-robin into zones, zones round-robin into regions. */
export function ringNodes(
  nodes: readonly string[],
  zones: number,
  regions: number,
): readonly RingNode[] {
  return nodes.map((node, i) => {
    const zone = (i % zones) + 1;
    return { node, zone, region: ((zone - 1) % regions) + 1 };
  });
}

/** The replica counts of the rings, fewest first. */
export function ringReplicaCounts(layout: Pick<RingLayout, "replicas" | "policies">): number[] {
  return [...new Set([layout.replicas, ...layout.policies.map((p) => p.replicas)])].sort(
    (a, b) => a - b,
  );
}

// The builder's own rounding slack (math.floor(r + 1e-10), math.ceil(r - 1e-10)).
const floor = (r: number) => Math.floor(r + 1e-10);
const ceil = (r: number) => Math.ceil(r - 1e-10);

/** Integer sums a tier can hold, as a closed range; `undefined` when none fits. */
type Range = readonly [number, number] | undefined;

function within(children: readonly Range[], target: number): Range {
  let lo = 0;
  let hi = 0;
  for (const c of children) {
    if (!c) return undefined;
    lo += c[0];
    hi += c[1];
  }
  lo = Math.max(lo, floor(target));
  hi = Math.min(hi, ceil(target));
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Whether the ring's plan lets all `replicas` of some partition sit on the nodes `inPlace`
 * accepts: the place's tiers can take them within their ceilings while every tier outside it
 * goes without (its floor is 0).
 */
function placeMayHoldAll(
  layout: RingLayout,
  replicas: number,
  inPlace: (node: string) => boolean,
): boolean {
  const nodes = layout.nodeZones.length;
  const devices = nodes * layout.disks;
  if (!nodes || replicas > devices) return false;
  const perDevice = replicas / devices;
  const regions = new Map<number, Map<number, Range[]>>();
  // A disk holds at most one replica of a partition; a disk outside the place none.
  const inside = Array<Range>(layout.disks).fill(within([[0, 1]], perDevice));
  const outside = Array<Range>(layout.disks).fill(within([[0, 0]], perDevice));
  for (const n of layout.nodeZones) {
    const range = within(inPlace(n.node) ? inside : outside, perDevice * layout.disks);
    const zones = regions.get(n.region) ?? new Map<number, Range[]>();
    regions.set(n.region, zones.set(n.zone, [...(zones.get(n.zone) ?? []), range]));
  }
  const share = (members: number) => (replicas * members) / nodes;
  const regionRanges = [...regions.values()].map((zones) => {
    const zoneRanges = [...zones.values()].map((hosts) => within(hosts, share(hosts.length)));
    const members = [...zones.values()].reduce((s, hosts) => s + hosts.length, 0);
    return within(zoneRanges, share(members));
  });
  const all = within(regionRanges, replicas);
  return all !== undefined && all[0] <= replicas && replicas <= all[1];
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
