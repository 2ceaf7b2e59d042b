import type { Spec } from "./schema";
import type { NodeRole } from "../core/vocabulary";
import { byName, sequence, poolId } from "../core/naming";

/** Prefix of generated host names per role. */
export const HOST_PREFIX: Readonly<Record<Exclude<NodeRole, "compute" | "ceph-mon">, string>> = {
  controller: "ctrl",
  network: "net",
  "ceph-osd": "ceph",
  "swift-proxy": "swift-proxy",
  "swift-storage": "swift-obj",
  "block-storage": "vol",
  deployer: "deploy",
};

/** The servers of one role as the spec declares them, with where their names come from. */
export interface HostGroup {
  readonly role: NodeRole;
  readonly names: readonly string[];
  readonly hardware: string;
  /** Spec path of the hardware reference. */
  readonly hardwarePath: readonly (string | number)[];
  /** Spec path of the user's host name list, when the spec names them. */
  readonly namesPath?: readonly (string | number)[];
  /** How many hosts the spec asks for, and where. */
  readonly count: number;
  readonly countPath: readonly (string | number)[];
  readonly zone?: string;
  readonly pool?: string;
  readonly racks?: readonly string[];
}

/**
 * Every dedicated server of the design, grouped by role: the one place host names come from.
 * The aggregates, the bare-metal stack and the deployer inventory all read these names.
 */
export function hostGroups(spec: Spec): HostGroup[] {
  const groups: HostGroup[] = [];
  const named = (
    role: NodeRole,
    given: readonly string[] | undefined,
    count: number,
    extra: Omit<HostGroup, "role" | "names" | "count">,
  ) => {
    const prefix = HOST_PREFIX[role as keyof typeof HOST_PREFIX];
    groups.push({
      role,
      names: given ?? sequence(prefix, count),
      count,
      ...extra,
    });
  };
  const kept = (racks: readonly string[] | undefined) => (racks ? { racks } : {});
  const cp = spec.controlPlane;
  named("controller", cp.hostnames, cp.controllers, {
    hardware: cp.hardware,
    hardwarePath: ["controlPlane", "hardware"],
    countPath: ["controlPlane", "controllers"],
    ...(cp.hostnames ? { namesPath: ["controlPlane", "hostnames"] } : {}),
    ...kept(cp.racks),
  });
  if (cp.networkNodes > 0)
    named("network", cp.networkNodeHostnames, cp.networkNodes, {
      hardware: cp.networkNodeHardware ?? cp.hardware,
      hardwarePath: ["controlPlane", cp.networkNodeHardware ? "networkNodeHardware" : "hardware"],
      countPath: ["controlPlane", "networkNodes"],
      ...(cp.networkNodeHostnames ? { namesPath: ["controlPlane", "networkNodeHostnames"] } : {}),
      ...kept(cp.racks),
    });
  // (by the element itself: two zones or pools of one name, refused as such, keep their places)
  for (const zone of [...spec.zones].sort(byName)) {
    const zi = spec.zones.indexOf(zone);
    for (const pool of [...zone.pools].sort(byName)) {
      const pi = zone.pools.indexOf(pool);
      const id = poolId(zone.name, pool.name);
      groups.push({
        role: "compute",
        names: pool.hostnames ?? sequence(id, pool.hosts),
        count: pool.hosts,
        hardware: pool.hardware,
        hardwarePath: ["zones", zi, "pools", pi, "hardware"],
        countPath: ["zones", zi, "pools", pi, "hosts"],
        ...(pool.hostnames ? { namesPath: ["zones", zi, "pools", pi, "hostnames"] } : {}),
        zone: zone.name,
        pool: id,
        racks: pool.racks ?? zone.racks,
      });
    }
  }
  const { ceph, swift, blockStorageNodes: block } = spec.storage;
  if (ceph)
    named("ceph-osd", ceph.hostnames, ceph.nodes, {
      hardware: ceph.hardware,
      hardwarePath: ["storage", "ceph", "hardware"],
      countPath: ["storage", "ceph", "nodes"],
      ...(ceph.hostnames ? { namesPath: ["storage", "ceph", "hostnames"] } : {}),
      ...kept(ceph.racks),
    });
  if (swift) {
    named("swift-proxy", swift.proxyHostnames, swift.proxies, {
      hardware: swift.proxyHardware,
      hardwarePath: ["storage", "swift", "proxyHardware"],
      countPath: ["storage", "swift", "proxies"],
      ...(swift.proxyHostnames ? { namesPath: ["storage", "swift", "proxyHostnames"] } : {}),
      ...kept(swift.racks),
    });
    named("swift-storage", swift.storageHostnames, swift.storageNodes, {
      hardware: swift.storageHardware,
      hardwarePath: ["storage", "swift", "storageHardware"],
      countPath: ["storage", "swift", "storageNodes"],
      ...(swift.storageHostnames ? { namesPath: ["storage", "swift", "storageHostnames"] } : {}),
      ...kept(swift.racks),
    });
  }
  if (block)
    named("block-storage", block.hostnames, block.hosts, {
      hardware: block.hardware,
      hardwarePath: ["storage", "blockStorageNodes", "hardware"],
      countPath: ["storage", "blockStorageNodes", "hosts"],
      ...(block.hostnames ? { namesPath: ["storage", "blockStorageNodes", "hostnames"] } : {}),
      ...kept(block.racks),
    });
  if (spec.deployer)
    groups.push({
      role: "deployer",
      names: [spec.deployer.hostname],
      count: 1,
      hardware: spec.deployer.hardware,
      hardwarePath: ["deployer", "hardware"],
      countPath: ["deployer"],
      namesPath: ["deployer", "hostname"],
    });
  return groups;
}

/** The hosts' DNS domain. */
export const hostDomain = (spec: Spec): string =>
  spec.network.domain ?? `${spec.output.namingPrefix}.internal`;

/** Backends whose volumes live on block-storage hosts rather than in Ceph. */
export const HOSTED_BACKENDS: ReadonlySet<string> = new Set(["lvm", "zfs", "glusterfs"]);

/** Where the spec keeps each group of servers outside the pools to some racks, by role. */
export const RACKS_FIELD: Partial<Record<NodeRole, string>> = {
  controller: "controlPlane.racks",
  network: "controlPlane.racks",
  "ceph-osd": "storage.ceph.racks",
  "swift-proxy": "storage.swift.racks",
  "swift-storage": "storage.swift.racks",
  "block-storage": "storage.blockStorageNodes.racks",
};
