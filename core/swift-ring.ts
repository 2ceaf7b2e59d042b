import { DEFAULTS } from "./defaults";

/**
 * Where Swift's ring builder may put every replica of a partition. rings.sh builds with overload
 * 0, so the builder gives each region, zone, host and disk a target share of each partition's
 * replicas in proportion to its weight and keeps every tier at or below the ceiling of its target
 * (swift/common/ring/builder.py, _build_replica_plan). All disks weigh the same here.
 */

/** PyECLib backends a storage policy may name (Swift's `ec_type`). */
export const SWIFT_EC_TYPES = [
  "liberasurecode_rs_vand",
  "isa_l_rs_cauchy",
  "isa_l_rs_vand",
] as const;

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
  /** Each storage policy's object ring. */
  readonly policies: readonly RingProtection[];
}

/**
 * What one ring keeps of a partition: `replicas` copies, or under erasure coding `replicas`
 * fragments of which any `replicas - parity` rebuild an object.
 */
export interface RingProtection {
  readonly replicas: number;
  /** Parity fragments, for an erasure-coded ring. */
  readonly parity?: number;
  /** The storage policy whose object ring it is. */
  readonly name?: string;
}

/** A partition's pieces whose loss together loses some objects: every copy, or parity + 1 fragments. */
export const piecesLost = (ring: RingProtection): number =>
  ring.parity === undefined ? ring.replicas : ring.parity + 1;

/** The object rings: each policy's, or the cluster's one ring without policies. */
export const objectRings = (
  layout: Pick<RingLayout, "replicas" | "policies">,
): readonly RingProtection[] =>
  layout.policies.length ? layout.policies : [{ replicas: layout.replicas }];

/** The rings by what they keep, those lost with fewest pieces first (one copy loses nothing). */
function ringsByLoss(layout: Pick<RingLayout, "replicas" | "policies">): RingProtection[] {
  const seen = new Map<string, RingProtection>();
  for (const r of [{ replicas: layout.replicas }, ...layout.policies])
    seen.set(`${r.replicas}/${r.parity ?? ""}`, r);
  return [...seen.values()]
    .filter((r) => r.parity !== undefined || r.replicas > 1)
    .sort((a, b) => piecesLost(a) - piecesLost(b) || a.replicas - b.replicas);
}

/**
 * Zones go round-robin into regions, nodes round-robin into zones. Where the nodes stand at as
 * many sites as there are regions, a region is a site (by name): each takes a share of the zones
 * as large as its share of the nodes (at least one, at most its nodes), numbered in region order,
 * and its nodes take its zones in turn, so every zone holds a node.
 */
export function ringNodes(
  nodes: readonly string[],
  zones: number,
  regions: number,
  siteOf: ReadonlyMap<string, string> = new Map(),
): readonly RingNode[] {
  const sites = [...new Set(nodes.map((n) => siteOf.get(n)))];
  if (regions > 1 && sites.length === regions && sites.every((s) => s !== undefined)) {
    const order = (sites as string[]).sort();
    const counts = order.map((site) => nodes.filter((n) => siteOf.get(n) === site).length);
    const shares = zoneShares(counts, zones);
    const first = shares.map((_, r) => shares.slice(0, r).reduce((a, b) => a + b, 0) + 1);
    const taken = order.map(() => 0);
    return nodes.map((node) => {
      const r = order.indexOf(siteOf.get(node) as string);
      const k = taken[r]++;
      return { node, zone: first[r] + (k % shares[r]), region: r + 1 };
    });
  }
  return nodes.map((node, i) => {
    const zone = (i % zones) + 1;
    return { node, zone, region: ((zone - 1) % regions) + 1 };
  });
}

/**
 * The zones of each region, by its nodes (largest remainder): at least one and at most its
 * nodes each, all of them in all where the nodes allow.
 */
function zoneShares(nodes: readonly number[], zones: number): number[] {
  const total = nodes.reduce((a, b) => a + b, 0);
  const ideal = nodes.map((n) => (zones * n) / total);
  const shares = ideal.map((x, r) => Math.min(nodes[r], Math.max(1, Math.floor(x))));
  const byRemainder = ideal
    .map((x, r) => ({ r, rest: x - Math.floor(x) }))
    .sort((a, b) => b.rest - a.rest || a.r - b.r);
  for (let left = zones - shares.reduce((a, b) => a + b, 0); left > 0;) {
    const next = byRemainder.find(({ r }) => shares[r] < nodes[r]);
    if (!next) break;
    shares[next.r]++;
    left--;
    // Each region takes one more at most per pass, the largest remainders first.
    byRemainder.push(byRemainder.splice(byRemainder.indexOf(next), 1)[0]);
  }
  for (let over = shares.reduce((a, b) => a + b, 0) - zones; over > 0; over--) {
    const most = shares.indexOf(Math.max(...shares));
    if (shares[most] <= 1) break;
    shares[most]--;
  }
  return shares;
}

/** The replica counts of the rings (an erasure-coded ring's are its fragments), fewest first. */
export function ringReplicaCounts(layout: Pick<RingLayout, "replicas" | "policies">): number[] {
  return [...new Set([layout.replicas, ...layout.policies.map((p) => p.replicas)])].sort(
    (a, b) => a - b,
  );
}

/** The copy counts of the replicated rings, fewest first. */
export function copyCounts(layout: Pick<RingLayout, "replicas" | "policies">): number[] {
  return ringReplicaCounts({
    replicas: layout.replicas,
    policies: layout.policies.filter((p) => p.parity === undefined),
  });
}

// The builder's own rounding slack (math.ceil(r - 1e-10)).
const ceil = (r: number) => Math.ceil(r - 1e-10);

/**
 * The most of a partition's replicas (or fragments) one storage node holds: nodes alike, the
 * builder gives each the ceiling of its share, at most its disks (one a disk).
 */
export const mostOnNode = (replicas: number, nodes: number, disks: number): number =>
  Math.min(disks, ceil(replicas / nodes));

/**
 * The most of a partition's `replicas` that may sit on the nodes `inPlace` accepts: the builder
 * keeps each tier at or below the ceiling of its target (it gathers the parts of a tier over its
 * `max` and places them again, builder.py) but puts nothing into a tier to meet its floor, so
 * the tiers outside the place may hold none, and the place may hold as many as its tiers'
 * ceilings allow, summed up the tree.
 */
function mostHeld(
  layout: RingLayout,
  replicas: number,
  inPlace: (node: string) => boolean,
): number {
  const nodes = layout.nodeZones.length;
  const devices = nodes * layout.disks;
  // (the builder refuses more replicas than devices)
  if (!nodes || replicas > devices) return 0;
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
  return held;
}

/**
 * The fewest of a partition's `replicas` the nodes `inPlace` accepts hold: every tier outside
 * holds at most its ceiling, so the place holds the rest.
 */
function leastHeld(
  layout: RingLayout,
  replicas: number,
  inPlace: (node: string) => boolean,
): number {
  const nodes = layout.nodeZones.length;
  if (!nodes || replicas > nodes * layout.disks) return 0;
  return Math.max(0, replicas - mostHeld(layout, replicas, (node) => !inPlace(node)));
}

/** A ring of which some partition may lose, with a place, the pieces that lose objects. */
export interface RingLoss {
  /**
   * Pieces of the partition the place may hold: every copy, or more than the parity; of every
   * partition (`every`), the fewest it holds.
   */
  readonly lost: number;
  /** The ring's pieces of each partition: copies, or data and parity fragments. */
  readonly of: number;
  /** Parity fragments, for an erasure-coded ring. */
  readonly parity?: number;
  /**
   * The ring is the account and container rings' alone: the place may hold every copy of some
   * container databases (their listings, and the policy their objects are read by).
   */
  readonly containers?: true;
  /** The place holds that many pieces of every partition of the ring, not of some. */
  readonly every?: true;
  /** The rings lost whole are kept in several ways: the figures are the first's. */
  readonly mixed?: true;
  /**
   * The storage policies of the object rings whose every object the place takes, where others
   * keep theirs (absent when every object ring, or the container ring, is lost whole).
   */
  readonly policies?: readonly string[];
}

/**
 * The ring, lost with fewest pieces, of which the place may hold enough pieces of some partition
 * to lose its objects, or `undefined` when each ring keeps enough of every partition outside it.
 */
export function ringLostWithPlace(
  layout: RingLayout,
  inPlace: (node: string) => boolean,
): RingLoss | undefined {
  // Whole rings first: a place holding enough of every partition loses every object kept so.
  const whole = (r: RingProtection) =>
    (r.parity !== undefined || r.replicas > 1) &&
    leastHeld(layout, r.replicas, inPlace) >= piecesLost(r);
  const wholeLoss = (r: RingProtection, rest: Partial<RingLoss>): RingLoss => ({
    lost: leastHeld(layout, r.replicas, inPlace),
    of: r.replicas,
    ...(r.parity !== undefined ? { parity: r.parity } : {}),
    every: true,
    ...rest,
  });
  const objects = objectRings(layout);
  const wholeObjects = objects.filter(whole);
  if (wholeObjects.length === objects.length)
    return wholeLoss(
      wholeObjects[0],
      // (every policy's objects, kept in ways the figures of one would not state)
      objects.every((r) => r.replicas === objects[0].replicas && r.parity === objects[0].parity)
        ? {}
        : { mixed: true },
    );
  const containers = { replicas: layout.replicas };
  if (whole(containers)) return wholeLoss(containers, { containers: true });
  // Every policy lost whole is named; kept in several ways, the figures are the first's.
  const [first] = wholeObjects;
  if (first)
    return wholeLoss(first, {
      policies: wholeObjects.map((r) => r.name ?? ""),
      ...(wholeObjects.every((r) => r.replicas === first.replicas && r.parity === first.parity)
        ? {}
        : { mixed: true }),
    });
  const ring = ringsByLoss(layout).find(
    (r) => mostHeld(layout, r.replicas, inPlace) >= piecesLost(r),
  );
  return (
    ring && {
      lost: piecesLost(ring),
      of: ring.replicas,
      ...(ring.parity !== undefined ? { parity: ring.parity } : {}),
      // The account and container rings' copies, where no object ring keeps objects so.
      ...(objectRings(layout).some((r) => r.replicas === ring.replicas && r.parity === ring.parity)
        ? {}
        : { containers: true as const }),
    }
  );
}

/**
 * How many failures of the tier's members (storage nodes, or Swift zones) every ring survives,
 * the object rings and the account and container rings (without a container's database its
 * objects cannot be read), the members holding most pieces of a partition failing first.
 */
export function lossesSurvived(layout: RingLayout, tier: "node" | "zone"): number {
  const nodes = layout.nodeZones.length;
  const zoneOf = new Map(layout.nodeZones.map((n) => [n.node, n.zone]));
  const zones = [...new Set(zoneOf.values())];
  return Math.min(
    ...[{ replicas: layout.replicas }, ...objectRings(layout)].map((ring) => {
      // Every node holds as much as any other of a partition: its ceiling, at most its disks.
      const held =
        tier === "node"
          ? Array<number>(nodes).fill(mostOnNode(ring.replicas, nodes, layout.disks))
          : zones
              .map((z) => mostHeld(layout, ring.replicas, (node) => zoneOf.get(node) === z))
              .sort((a, b) => b - a);
      let survived = 0;
      for (let sum = 0; survived < held.length; survived++) {
        sum += held[survived];
        if (sum >= piecesLost(ring)) break;
      }
      return survived;
    }),
  );
}

/** The Swift zones of the storage nodes `inPlace` accepts, in order. */
export function zonesOfPlace(layout: RingLayout, inPlace: (node: string) => boolean): number[] {
  return [...new Set(layout.nodeZones.filter((n) => inPlace(n.node)).map((n) => n.zone))].sort(
    (a, b) => a - b,
  );
}

/**
 * The first region, ring by ring (those lost with fewest pieces first: they fill a region
 * sooner), that takes more than `most(ring, regions)` of a partition's pieces by weight, with the
 * pieces it takes.
 */
function regionOver(
  layout: RingLayout,
  rings: readonly RingProtection[],
  most: (ring: RingProtection, regions: number) => number,
):
  | { region: number; nodes: number; replicas: number; limit: number; ring: RingProtection }
  | undefined {
  const perRegion = new Map<number, number>();
  for (const { region } of layout.nodeZones)
    perRegion.set(region, (perRegion.get(region) ?? 0) + 1);
  if (perRegion.size < 2) return undefined;
  const total = layout.nodeZones.length;
  const sizes = [...perRegion].sort(([a], [b]) => a - b);
  for (const ring of rings) {
    const r = ring.replicas;
    const limit = most(ring, perRegion.size);
    const over = sizes.find(([, n]) => ceil((r * n) / total) > limit);
    if (over)
      return {
        region: over[0],
        nodes: over[1],
        replicas: ceil((r * over[1]) / total),
        limit,
        ring,
      };
  }
  return undefined;
}

/**
 * A region whose share of the ring's weight reaches the pieces of a partition that lose objects
 * (every replica, or more fragments than the parity): the builder places by weight before regions,
 * so it may keep them all there.
 */
export function heavyRegion(layout: RingLayout):
  | {
      region: number;
      nodes: number;
      /** The ring lost there, and the pieces of a partition the region takes of it. */
      ring: RingProtection;
      pieces: number;
      /** Every region holds as many storage nodes: no spread of the nodes helps. */
      even: boolean;
    }
  | undefined {
  const heavy = regionOver(layout, ringsByLoss(layout), (ring) => piecesLost(ring) - 1);
  if (!heavy) return undefined;
  const counts = new Set<number>();
  for (const region of new Set(layout.nodeZones.map((n) => n.region)))
    counts.add(layout.nodeZones.filter((n) => n.region === region).length);
  return {
    region: heavy.region,
    nodes: heavy.nodes,
    ring: heavy.ring,
    pieces: heavy.replicas,
    even: counts.size === 1,
  };
}

/**
 * A region whose share of a replicated ring's weight passes an even split of a partition's
 * replicas over the regions (3 replicas over 3 regions of 2, 2 and 1 nodes: 1.2 in the first): the builder
 * puts more replicas of some partitions there than in the others, so losing it takes that many.
 */
export function unevenRegion(
  layout: RingLayout,
): { region: number; nodes: number; replicas: number; even: number } | undefined {
  const copies = copyCounts(layout)
    .filter((r) => r > 1)
    .map((replicas) => ({ replicas }));
  const uneven = regionOver(layout, copies, (ring, regions) => ceil(ring.replicas / regions));
  return (
    uneven && {
      region: uneven.region,
      nodes: uneven.nodes,
      replicas: uneven.replicas,
      even: uneven.limit,
    }
  );
}

/**
 * The first zone whose target share of a partition's replicas passes one in some replicated ring:
 * the builder then puts two replicas of some partitions in it.
 */
export function heavyZone(layout: RingLayout): { zone: number; nodes: number } | undefined {
  const most = Math.max(...copyCounts(layout));
  const total = layout.nodeZones.length;
  const perZone = new Map<number, number>();
  for (const { zone } of layout.nodeZones) perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
  const heavy = [...perZone]
    .sort(([a], [b]) => a - b)
    .find(([, n]) => n >= 2 && ceil((most * n) / total) > 1);
  return heavy && { zone: heavy[0], nodes: heavy[1] };
}

/** Partition power that gives about 100 partitions per disk, as the Swift deployment guide advises. */
export function swiftPartitionPower(disks: number): number {
  return Math.max(6, Math.ceil(Math.log2(disks * DEFAULTS.swiftPartitionsPerDisk)));
}
