import { simulatedRecoveryFill } from "./crush-recovery";
import {
  CEPH_BACKFILLFULL_RATIO,
  CEPH_DEFAULT_POOL_SIZE,
  CEPH_MGR_POOL_PGS,
  CEPH_MIN_POOL_PGS,
  CEPH_RGW_ZONE_POOLS,
  GNOCCHI_POOL,
  lostWith,
  pgGroups,
  replicatedPoolSize,
  type CephApplication,
} from "../core/ceph-pools";
import type { HardwareSpec, PoolSpec, Spec } from "../spec/schema";
import type {
  CephModel,
  HardwareModel,
  PoolCapacity,
  StorageServed,
  SwiftAccount,
  SwiftContainerModel,
  SwiftModel,
  VolumeDisks,
} from "./types";
import { cleanSwiftAclEntry } from "../core/swift-acl";
import { DEFAULTS } from "../core/defaults";
import { byName } from "../core/naming";
import {
  lossesSurvived,
  ringNodes,
  swiftPartitionPower,
  type RingLayout,
  type RingProtection,
} from "../core/swift-ring";

/**
 * Installed memory the kernel keeps for itself before reporting the rest (MemTotal, which
 * libvirt gives Nova and Placement, per host and per NUMA node): its page structures (64 bytes
 * per 4 KiB page, 1.6 %), firmware's reserved ranges and its own image, taken together as 2 %.
 */
export const KERNEL_MEMORY_SHARE = 0.02;

/**
 * The disks a host gives local instance disks: those kept for nothing else, less one for the
 * system where none is kept for it (a lone disk, else the smallest: cephadm's rule), unless it
 * is the host's only disk, which the instances share with the system.
 */
function instanceDisks(disks: HardwareSpec["disks"]): HardwareModel["instanceDisks"] {
  const free = disks.filter((d) => d.use === undefined);
  const units = disks.reduce((n, d) => n + d.count, 0);
  const plain = (d: HardwareSpec["disks"][number]) => ({
    count: d.count,
    sizeGB: d.sizeGB,
    kind: d.kind,
  });
  // (no disk but the system's: instances share its file system, one disk of a mirror)
  if (!free.length) {
    const system = disks.filter((d) => d.use === "system");
    if (!system.length) return { disks: [], sharesSystem: false };
    const largest = system.reduce((a, d) => (d.sizeGB > a.sizeGB ? d : a));
    return { disks: [{ ...plain(largest), count: 1 }], sharesSystem: true };
  }
  if (units === 1)
    return { disks: free.map(plain), sharesSystem: !disks.some((d) => d.use === "system") };
  if (disks.some((d) => d.use === "system")) return { disks: free.map(plain), sharesSystem: false };
  const lone = free.filter((d) => d.count === 1);
  const system = (lone.length ? lone : free).reduce((a, d) => (d.sizeGB < a.sizeGB ? d : a));
  return {
    disks: free
      .map((d) => (d === system ? { ...plain(d), count: d.count - 1 } : plain(d)))
      .filter((d) => d.count > 0),
    sharesSystem: false,
    systemTakesOne: { sizeGB: system.sizeGB, kind: system.kind },
  };
}

export function hardwareModel(hw: HardwareSpec): HardwareModel {
  const physicalCores = hw.sockets * hw.coresPerSocket;
  const forInstances = instanceDisks(hw.disks);
  return {
    name: hw.name,
    ...(hw.vendorModel ? { vendorModel: hw.vendorModel } : {}),
    sockets: hw.sockets,
    coresPerSocket: hw.coresPerSocket,
    threadsPerCore: hw.threadsPerCore,
    physicalCores,
    threads: physicalCores * hw.threadsPerCore,
    memoryGiB: hw.memoryGiB,
    memoryVisibleGiB: round2(hw.memoryGiB * (1 - KERNEL_MEMORY_SHARE)),
    disks: hw.disks,
    rawDiskGB: hw.disks.reduce((sum, d) => sum + d.count * d.sizeGB, 0),
    instanceDisks: forInstances,
    instanceDiskGB: forInstances.disks.reduce((sum, d) => sum + d.count * d.sizeGB, 0),
    nics: hw.nics,
    ...(hw.accelerators.length
      ? {
          accelerators: hw.accelerators.map((a) => ({
            name: a.name,
            ...(a.model ? { model: a.model } : {}),
            vendorId: a.vendorId,
            productId: a.productId,
            deviceType: a.deviceType,
            count: a.count,
          })),
        }
      : {}),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A pinned host's CPUs: Linux numbers the first thread of every core 0..C-1 and their siblings
 * C..2C-1 (check with `lscpu -e`), cores socket by socket. The host keeps the first reserved
 * cores with their siblings; the rest, up to what the capacity plan counts, is the dedicated set.
 */
export function pinnedCpuLayout(
  reservedHostCpus: number,
  hw: HardwareModel,
): { readonly host: number[]; readonly dedicated: number[] } {
  const cores = hw.physicalCores;
  const tpc = hw.threads / cores;
  const reservedCores = Math.ceil(reservedHostCpus / tpc);
  const host: number[] = [];
  const dedicated: number[] = [];
  for (let t = 0; t < tpc; t++)
    for (let c = 0; c < cores; c++) (c < reservedCores ? host : dedicated).push(t * cores + c);
  return { host, dedicated: dedicated.slice(0, Math.max(0, hw.threads - reservedHostCpus)) };
}

/** Each socket's dedicated CPUs: the reserved cores are the first socket's (pinnedCpuLayout). */
export function socketDedicatedCpus(reservedHostCpus: number, hw: HardwareModel): number[] {
  const perSocket = hw.physicalCores / hw.sockets;
  const cpus = new Array<number>(hw.sockets).fill(0);
  for (const id of pinnedCpuLayout(reservedHostCpus, hw).dedicated)
    cpus[Math.floor((id % hw.physicalCores) / perSocket)]++;
  return cpus;
}

/**
 * Each socket's dedicated CPUs and memory, as Nova fits pinned guests: a NUMA cell's whole memory
 * (Nova checks a guest cell against it), while the reserved memory counts against the host's
 * total alone (Placement's MEMORY_MB reserved), `hostMiB`.
 */
function socketsFree(reservedHostCpus: number, reservedHostMemoryGiB: number, hw: HardwareModel) {
  return {
    cpus: socketDedicatedCpus(reservedHostCpus, hw),
    memoryMiB: (hw.memoryVisibleGiB * 1024) / hw.sockets,
    hostMiB: Math.max(0, hw.memoryVisibleGiB - reservedHostMemoryGiB) * 1024,
  };
}

/**
 * NUMA nodes a pinned guest spans: Nova gives a `hw:cpu_policy: dedicated` guest one NUMA node
 * unless `hw:numa_nodes` says more, and each node must fit one host node (a socket here) by
 * pinned CPUs and memory, with vCPUs and memory split evenly. The fewest nodes that fit, or 0
 * when no split does.
 */
export function pinnedNumaNodes(
  flavor: { readonly vcpus: number; readonly ramMiB: number },
  reservedHostCpus: number,
  reservedHostMemoryGiB: number,
  hw: HardwareModel,
): number {
  const { cpus, memoryMiB, hostMiB } = socketsFree(reservedHostCpus, reservedHostMemoryGiB, hw);
  cpus.sort((a, b) => b - a);
  if (flavor.ramMiB > hostMiB) return 0;
  for (let n = 1; n <= hw.sockets; n++) {
    if (flavor.vcpus % n || flavor.ramMiB % n) continue;
    if (cpus[n - 1] >= flavor.vcpus / n && memoryMiB >= flavor.ramMiB / n) return n;
  }
  return 0;
}

/**
 * How many guests of a pinned flavor one host takes: each guest NUMA node on one socket, by its
 * dedicated CPUs and memory (Nova overcommits neither for a pinned guest: a cell's memory at the
 * RAM ratio 1.0 pinned pools keep). The even spread over sockets a many-node guest needs is
 * counted as if its nodes could go anywhere (exact for one node, an upper bound else).
 */
export function pinnedPerHost(
  flavor: { readonly vcpus: number; readonly ramMiB: number },
  numaNodes: number,
  reservedHostCpus: number,
  reservedHostMemoryGiB: number,
  hw: HardwareModel,
): number {
  if (numaNodes < 1) return 0;
  const { cpus, memoryMiB, hostMiB } = socketsFree(reservedHostCpus, reservedHostMemoryGiB, hw);
  const nodes = cpus.reduce(
    (t, c) =>
      t +
      Math.min(
        Math.floor(c / (flavor.vcpus / numaNodes)),
        Math.floor(memoryMiB / (flavor.ramMiB / numaNodes)),
      ),
    0,
  );
  return Math.min(Math.floor(nodes / numaNodes), Math.floor(hostMiB / flavor.ramMiB));
}

/** The NUMA nodes a pinned flavor of these GiB spans on a host (pinnedNumaNodes). */
const numaNodesOf =
  (reservedHostCpus: number, reservedHostMemoryGiB: number, hw: HardwareModel) =>
  (f: { readonly vcpus: number; readonly ramGiB: number }) =>
    pinnedNumaNodes(
      { vcpus: f.vcpus, ramMiB: f.ramGiB * 1024 },
      reservedHostCpus,
      reservedHostMemoryGiB,
      hw,
    );

/**
 * Guests of pinned flavors spanning several NUMA nodes, placed one by one, each taking its share
 * of the nodes with most CPUs left: every count of every such flavor, with what the guests take
 * and what they leave of the nodes and the host's memory (read before the next is drawn).
 */
function* spanningGuests(
  flavors: readonly { readonly vcpus: number; readonly ramGiB: number }[],
  nodesOf: (f: { readonly vcpus: number; readonly ramGiB: number }) => number,
  nodes: readonly { readonly cpus: number; readonly ramGiB: number }[],
  hostGiB: number,
): Generator<{
  vcpus: number;
  ramGiB: number;
  left: readonly { cpus: number; ramGiB: number }[];
  hostLeft: number;
}> {
  for (const f of flavors.filter((x) => nodesOf(x) > 1)) {
    const n = nodesOf(f);
    const share = { cpus: f.vcpus / n, ramGiB: f.ramGiB / n };
    const left = nodes.map((x) => ({ ...x }));
    let hostLeft = hostGiB;
    for (let k = 1; ; k++) {
      const on = [...left.keys()]
        .filter((x) => left[x].cpus >= share.cpus && left[x].ramGiB >= share.ramGiB)
        .sort((a, b) => left[b].cpus - left[a].cpus || a - b)
        .slice(0, n);
      if (on.length < n || hostLeft < f.ramGiB) break;
      for (const x of on) {
        left[x].cpus -= share.cpus;
        left[x].ramGiB -= share.ramGiB;
      }
      hostLeft -= f.ramGiB;
      yield { vcpus: k * f.vcpus, ramGiB: k * f.ramGiB, left, hostLeft };
    }
  }
}

/**
 * The dedicated CPUs guests of a pinned pool's flavors can take on one host. Nova gives a pinned
 * guest whole NUMA nodes (sockets here), each checked against that node's whole memory, while the
 * reserved memory counts against the host's total alone (Placement): CPUs a node has left, fewer
 * than any flavor's, take none. Guests of a flavor spanning several nodes take their share of the
 * nodes with most CPUs left, one by one; single-node guests then fill each node as far as their
 * vCPUs and memory allow. Every flavor of a pinned pool is pinned.
 */
export function placeablePinnedCpus(
  flavors: readonly { readonly vcpus: number; readonly ramGiB: number }[],
  reservedHostCpus: number,
  reservedHostMemoryGiB: number,
  hw: HardwareModel,
): number {
  const pinned = flavors
    .filter((f) => f.vcpus > 0)
    .map((f) => ({ vcpus: f.vcpus, ramGiB: f.ramGiB, ramMiB: f.ramGiB * 1024 }));
  const nodesOf = numaNodesOf(reservedHostCpus, reservedHostMemoryGiB, hw);
  const single = pinned.filter((f) => nodesOf(f) === 1);
  const { cpus, memoryMiB, hostMiB } = socketsFree(reservedHostCpus, reservedHostMemoryGiB, hw);
  const nodeGiB = memoryMiB / 1024;
  const hostGiB = hostMiB / 1024;
  // least[c]: the least memory single-node guests of exactly c CPUs take (Infinity: none do).
  const most = Math.max(0, ...cpus);
  const least = new Array<number>(most + 1).fill(Infinity);
  least[0] = 0;
  for (let c = 1; c <= most; c++)
    for (const f of single)
      if (f.vcpus <= c) least[c] = Math.min(least[c], least[c - f.vcpus] + f.ramGiB);
  // The most CPUs single-node guests take of nodes with these CPUs and memory left, within the
  // host's memory: node by node, the least memory for each total.
  const fill = (free: readonly { cpus: number; ramGiB: number }[], hostLeft: number) => {
    let total = [0];
    for (const node of free) {
      const next = new Array<number>(total.length + node.cpus).fill(Infinity);
      for (let t = 0; t < total.length; t++) {
        if (total[t] === Infinity) continue;
        for (let c = 0; c <= node.cpus; c++)
          if (least[c] <= node.ramGiB) next[t + c] = Math.min(next[t + c], total[t] + least[c]);
      }
      total = next;
    }
    for (let t = total.length - 1; t > 0; t--) if (total[t] <= hostLeft) return t;
    return 0;
  };
  const nodes = cpus.map((c) => ({ cpus: c, ramGiB: nodeGiB }));
  let best = fill(nodes, hostGiB);
  for (const g of spanningGuests(pinned, nodesOf, nodes, hostGiB))
    best = Math.max(best, g.vcpus + fill(g.left, g.hostLeft));
  return best;
}

/**
 * The memory guests of a pinned pool's flavors can take on one host, as Nova fits them: each
 * guest NUMA node's CPUs and memory on one host node (never overcommitted), within the host's
 * memory less the reserved. Single-node guests fill each node as far as its CPUs and memory
 * allow, the flavors mixed; guests spanning nodes take their shares first, one by one, of the
 * nodes with most CPUs left, as placeablePinnedCpus places them.
 */
export function placeablePinnedMemoryGiB(
  flavors: readonly { readonly vcpus: number; readonly ramGiB: number }[],
  reservedHostCpus: number,
  reservedHostMemoryGiB: number,
  hw: HardwareModel,
): number {
  const pinned = flavors.filter((f) => f.vcpus > 0 && f.ramGiB > 0);
  if (!pinned.length) return 0;
  const nodesOf = numaNodesOf(reservedHostCpus, reservedHostMemoryGiB, hw);
  const single = pinned.filter((f) => nodesOf(f) === 1);
  const { cpus, memoryMiB, hostMiB } = socketsFree(reservedHostCpus, reservedHostMemoryGiB, hw);
  // Memory in steps of the single-node flavors' common divisor (MiB): each node a knapsack by
  // CPUs, holding which memory totals its guests can take.
  const sizes = single.map((f) => Math.round(f.ramGiB * 1024));
  const step = sizes.reduce((g, m) => gcd(g, m), 0) || 1;
  // (spanning guests leave the nodes in states that repeat: each is filled once)
  const filled = new Map<string, number>();
  const nodeMost = (node: { cpus: number; ramGiB: number }) => {
    const key = `${node.cpus}/${node.ramGiB}`;
    const known = filled.get(key);
    if (known !== undefined) return known;
    const most = nodeFill(node);
    filled.set(key, most);
    return most;
  };
  const nodeFill = (node: { cpus: number; ramGiB: number }) => {
    if (!single.length) return 0;
    const room = Math.floor((node.ramGiB * 1024) / step);
    // (past a million cells for all flavors, the node's memory within its CPUs at the densest)
    if ((node.cpus + 1) * (room + 1) * single.length > KNAPSACK_STEPS)
      return Math.min(node.ramGiB, node.cpus * Math.max(...single.map((f) => f.ramGiB / f.vcpus)));
    const reach = Array.from({ length: node.cpus + 1 }, () => new Uint8Array(room + 1));
    reach[0][0] = 1;
    let best = 0;
    for (let t = 0; t <= node.cpus; t++)
      for (let m = 0; m <= room; m++) {
        if (!reach[t][m]) continue;
        best = Math.max(best, m);
        single.forEach((f, i) => {
          const units = sizes[i] / step;
          if (t + f.vcpus <= node.cpus && m + units <= room) reach[t + f.vcpus][m + units] = 1;
        });
      }
    return (best * step) / 1024;
  };
  const fill = (nodes: readonly { cpus: number; ramGiB: number }[], hostLeft: number) =>
    Math.min(
      hostLeft,
      nodes.reduce((t, n) => t + nodeMost(n), 0),
    );
  const nodes = cpus.map((c) => ({ cpus: c, ramGiB: memoryMiB / 1024 }));
  let best = fill(nodes, hostMiB / 1024);
  for (const g of spanningGuests(pinned, nodesOf, nodes, hostMiB / 1024))
    best = Math.max(best, g.ramGiB + fill(g.left, g.hostLeft));
  return round2(best);
}

/**
 * Placement's arithmetic: capacity = (total - reserved) x allocation ratio, per host.
 * Pinned pools offer dedicated CPUs (PCPU) one-to-one instead of shared vCPUs; what their
 * guests can use (usable, quotable) is what their flavors place, NUMA node by NUMA node.
 */
export function poolCapacity(
  pool: PoolSpec,
  hw: HardwareModel,
  options: {
    /** Whether guests of no flavor of the pool (Octavia's amphorae) boot there too. */
    readonly deviceFreeGuests?: boolean;
    /** Instance disks are local: on the hosts' disks, which Placement counts as DISK_GB. */
    readonly localDisks?: boolean;
    /** Cinder is deployed: guests may boot from volumes, which ask no DISK_GB. */
    readonly volumes?: boolean;
  } = {},
): PoolCapacity {
  const hosts = pool.hosts;
  const spare = Math.min(pool.spareHosts, hosts);
  const cpusPerHost = Math.max(0, hw.threads - pool.reservedHostCpus);
  const ramPerHost = Math.max(0, hw.memoryVisibleGiB - pool.reservedHostMemoryGiB);
  const vcpusPerHost = pool.cpuPinning ? 0 : Math.floor(cpusPerHost * pool.cpuAllocationRatio);
  const inventory = pool.cpuPinning ? cpusPerHost : 0;
  const pcpusPerHost =
    pool.cpuPinning && pool.flavors.length
      ? Math.min(
          inventory,
          placeablePinnedCpus(pool.flavors, pool.reservedHostCpus, pool.reservedHostMemoryGiB, hw),
        )
      : inventory;
  const ramSchedPerHost = round2(ramPerHost * pool.ramAllocationRatio);
  const usableHosts = hosts - spare;
  // A pool whose every flavor takes devices places no more guests than the devices allow: what
  // its guests can use is the most one flavor's guests take of a host.
  const devices = options.deviceFreeGuests ? undefined : deviceBound(pool, hw);
  const cap = (n: number, most: number | undefined) => (most === undefined ? n : Math.min(n, most));
  // What a host's guests take by CPUs, memory and devices: capped by its disks below, where
  // they bind and every guest boots from an image.
  const vcpusByCpus = cap(vcpusPerHost, devices?.vcpus);
  const pcpusByCpus = cap(pcpusPerHost, devices?.vcpus);
  // Nova overcommits no pinned guest's memory: a pinned pool's guests take what they fit of the
  // hosts' NUMA nodes, and no more than their flavors' memory per dedicated CPU they place.
  const pinnedMemory =
    pool.cpuPinning && pool.flavors.length
      ? placeablePinnedMemoryGiB(
          pool.flavors,
          pool.reservedHostCpus,
          pool.reservedHostMemoryGiB,
          hw,
        )
      : undefined;
  // (a pinned pool of no flavor yet: its memory is not bound by guests it cannot boot)
  const pinnedRam = (pcpus: number) =>
    pinnedMemory !== undefined
      ? Math.min(
          ramPerHost,
          pinnedMemory,
          pcpus * Math.max(0, ...pool.flavors.map((f) => f.ramGiB / f.vcpus)),
        )
      : undefined;
  const ramByCpus = cap(cap(ramSchedPerHost, devices?.ramGiB), pinnedRam(pcpusByCpus));
  // (amphorae take a few GiB of disk each: the tenants' guests are still bound by the rest)
  const bounded = options.localDisks ? diskBound(pool, hw, !!devices) : undefined;
  // (said only where it binds: a pinned pool's NUMA nodes may place fewer guests still)
  const disk =
    bounded &&
    (bounded.vcpus < (pool.cpuPinning ? pcpusByCpus : vcpusByCpus) || bounded.ramGiB < ramByCpus)
      ? {
          ...bounded,
          caps: !options.volumes,
          usableCpus:
            usableHosts * Math.min(bounded.vcpus, pool.cpuPinning ? pcpusByCpus : vcpusByCpus),
        }
      : undefined;
  const byDisk = disk?.caps ? disk : undefined;
  const usableVcpusPerHost = cap(vcpusByCpus, byDisk?.vcpus);
  const usablePcpusPerHost = cap(pcpusByCpus, byDisk?.vcpus);
  const usableRamPerHost = round2(
    cap(cap(ramByCpus, byDisk?.ramGiB), pinnedRam(usablePcpusPerHost)),
  );
  // The devices of a host its guests can hold: none where no flavor asks for them, else those
  // the flavor placing most of them takes, as many guests as the host's CPUs, memory, devices
  // and (where they bind) disks place.
  const placedDevices = (a: { readonly name: string; readonly count: number }) => {
    const nodesOf = numaNodesOf(pool.reservedHostCpus, pool.reservedHostMemoryGiB, hw);
    const guests = (f: PoolSpec["flavors"][number]) =>
      Math.min(
        deviceGuests(f, hw),
        pool.cpuPinning
          ? pinnedPerHost(
              { vcpus: f.vcpus, ramMiB: f.ramGiB * 1024 },
              nodesOf(f),
              pool.reservedHostCpus,
              pool.reservedHostMemoryGiB,
              hw,
            )
          : Math.min(Math.floor(vcpusPerHost / f.vcpus), Math.floor(ramSchedPerHost / f.ramGiB)),
        byDisk && f.diskGiB ? Math.floor(byDisk.diskGiB / f.diskGiB) : Infinity,
      );
    const placed = pool.flavors.map((f) => (f.accelerators?.[a.name] ?? 0) * guests(f));
    return Math.min(a.count, Math.max(0, ...placed));
  };
  return {
    hosts,
    spareHosts: spare,
    physicalCores: hosts * hw.physicalCores,
    threads: hosts * hw.threads,
    memoryGiB: hosts * hw.memoryGiB,
    schedulableVcpus: hosts * vcpusPerHost,
    dedicatedCpus: hosts * inventory,
    schedulableRamGiB: round2(hosts * ramSchedPerHost),
    usableVcpus: usableHosts * usableVcpusPerHost,
    usableDedicatedCpus: usableHosts * usablePcpusPerHost,
    usableCpus: usableHosts * (usableVcpusPerHost + usablePcpusPerHost),
    usableRamGiB: round2(usableHosts * usableRamPerHost),
    quotaOvercommit: pool.quotaOvercommit,
    quotableCpus: Math.floor(
      usableHosts * (usableVcpusPerHost + usablePcpusPerHost) * pool.quotaOvercommit,
    ),
    quotableRamGiB: round2(usableHosts * usableRamPerHost * pool.quotaOvercommit),
    ...(devices
      ? {
          deviceBound: {
            ...devices,
            // (where the devices, not the CPUs, NUMA nodes or memory, hold the guests back)
            binds:
              devices.vcpus < (pool.cpuPinning ? pcpusPerHost : vcpusPerHost) ||
              devices.ramGiB < cap(ramSchedPerHost, pinnedRam(pcpusPerHost)),
          },
        }
      : {}),
    ...(disk ? { diskBound: disk } : {}),
    ...(pool.cpuPinning
      ? {
          numaNodes: {
            cpus: socketDedicatedCpus(pool.reservedHostCpus, hw),
            memoryGiB: round2(hw.memoryVisibleGiB / hw.sockets),
          },
        }
      : {}),
    ...(hw.accelerators
      ? {
          accelerators: hw.accelerators.map((a) => ({
            name: a.name,
            perHost: a.count,
            total: hosts * a.count,
            usable: usableHosts * placedDevices(a),
          })),
        }
      : {}),
  };
}

/**
 * The most CPUs and memory one host's guests can take where every flavor of the pool asks for
 * passthrough devices: each flavor's guests a host's devices allow, times its size, the largest.
 */
function deviceBound(
  pool: PoolSpec,
  hw: HardwareModel,
): { readonly vcpus: number; readonly ramGiB: number } | undefined {
  const asking = pool.flavors.filter((f) => Object.keys(f.accelerators ?? {}).length);
  if (!asking.length || asking.length < pool.flavors.length) return undefined;
  return {
    vcpus: Math.max(...asking.map((f) => deviceGuests(f, hw) * f.vcpus)),
    ramGiB: Math.max(...asking.map((f) => deviceGuests(f, hw) * f.ramGiB)),
  };
}

/** The guests of a flavor one host's passthrough devices allow. */
const deviceGuests = (f: PoolSpec["flavors"][number], hw: HardwareModel) =>
  Math.min(
    ...Object.entries(f.accelerators ?? {}).map(([name, count]) =>
      Math.floor((hw.accelerators?.find((a) => a.name === name)?.count ?? 0) / count),
    ),
  );

/**
 * The most CPUs and memory one host's guests can take where their root disks are on its disks
 * and every flavor of the pool has one: Nova asks Placement for each guest's root disk as
 * DISK_GB, of which a host has what its disks hold (disk_allocation_ratio 1.0). A flavor with
 * no root disk (0: boot from a volume) asks none, and leaves the pool unbounded.
 */
function diskBound(
  pool: PoolSpec,
  hw: HardwareModel,
  /** Every flavor takes passthrough devices too: the fewer guests of the two. */
  devices: boolean,
): Omit<NonNullable<PoolCapacity["diskBound"]>, "caps" | "usableCpus"> | undefined {
  // (pools of one hardware and flavor sizes, as estates repeat them, are filled once)
  const key = JSON.stringify([
    hw.instanceDiskGB,
    hw.disks.length,
    devices && hw.accelerators,
    pool.flavors.map((f) => [f.vcpus, f.ramGiB, f.diskGiB, devices && f.accelerators]),
  ]);
  if (!DISK_BOUNDS.has(key)) DISK_BOUNDS.set(key, fillDisks(pool, hw, devices));
  return DISK_BOUNDS.get(key);
}

/** diskBound's results by its inputs. */
const DISK_BOUNDS = new Map<string, ReturnType<typeof fillDisks>>();

function fillDisks(
  pool: PoolSpec,
  hw: HardwareModel,
  devices: boolean,
): Omit<NonNullable<PoolCapacity["diskBound"]>, "caps" | "usableCpus"> | undefined {
  const diskGiB = Math.floor((hw.instanceDiskGB * 1e9) / 2 ** 30);
  // (hardware declaring no disks: what the hosts hold is not known)
  if (!hw.disks.length || !pool.flavors.length || pool.flavors.some((f) => f.diskGiB <= 0))
    return undefined;
  if (devices) {
    // (the devices limit each flavor's guests: the most of one flavor)
    const guests = (f: PoolSpec["flavors"][number]) =>
      Math.min(Math.floor(diskGiB / f.diskGiB), deviceGuests(f, hw));
    return {
      vcpus: Math.max(...pool.flavors.map((f) => guests(f) * f.vcpus)),
      ramGiB: Math.max(...pool.flavors.map((f) => guests(f) * f.ramGiB)),
      diskGiB,
    };
  }
  // The most of a size guests of any mix of the flavors take within the disks: a knapsack by
  // disk, each flavor as often as it fits, in steps of the flavors' common divisor.
  const step = pool.flavors.reduce((g, f) => gcd(g, f.diskGiB), 0);
  const room = Math.floor(diskGiB / step);
  // (past a million steps for all flavors, the densest flavor's share of the disks: at most one
  // guest more)
  if (room * pool.flavors.length > KNAPSACK_STEPS) {
    const densest = (size: (f: PoolSpec["flavors"][number]) => number) =>
      Math.floor(Math.max(...pool.flavors.map((f) => (diskGiB * size(f)) / f.diskGiB)));
    return { vcpus: densest((f) => f.vcpus), ramGiB: densest((f) => f.ramGiB), diskGiB };
  }
  const most = (size: (f: PoolSpec["flavors"][number]) => number) => {
    const best = new Array<number>(room + 1).fill(0);
    for (let g = 1; g <= room; g++)
      for (const f of pool.flavors) {
        const takes = f.diskGiB / step;
        if (takes <= g) best[g] = Math.max(best[g], best[g - takes] + size(f));
      }
    return best[room];
  };
  return { vcpus: most((f) => f.vcpus), ramGiB: most((f) => f.ramGiB), diskGiB };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The most cells a knapsack of the capacity figures fills; past it, a bound by density. */
const KNAPSACK_STEPS = 1_000_000;

/** Monitors co-located on the first OSD hosts: five from five hosts up, else up to three. */
export const cephMonitorCount = (hosts: number) => Math.min(hosts, hosts >= 5 ? 5 : 3);

const nextPowerOfTwo = (n: number) => 2 ** Math.max(0, Math.ceil(Math.log2(Math.max(1, n))));

/**
 * The power of two nearest a PG figure, ties up: Ceph's own rounding (pg_autoscaler's
 * nearest_power_of_two), which keeps the copies per OSD about the target instead of up to twice it.
 */
const nearestPowerOfTwo = (n: number) => {
  const up = nextPowerOfTwo(Math.floor(n));
  const down = up / 2;
  return down >= 1 && up - n > n - down ? down : up;
};

export function cephModel(
  ceph: NonNullable<Spec["storage"]["ceph"]>,
  /** The design's pools: those declared, else the defaults for what it keeps in Ceph. */
  declared: readonly {
    readonly name: string;
    readonly application: CephApplication;
    readonly deviceClass?: "ssd" | "nvme" | "hdd";
    readonly dataShare: number;
  }[],
  nodes: readonly string[],
  /** The rack of each OSD host, in `nodes` order (undefined: none). */
  racksOf: readonly (string | undefined)[],
  /** The site of each OSD host, in `nodes` order (undefined: none). */
  sitesOf: readonly (string | undefined)[],
  /** Gnocchi keeps Ceilometer's metrics in the cluster. */
  metrics = false,
  /** OSDs and their TB per host of each other device class the OSD hosts have disks of. */
  otherClasses: ReadonlyMap<string, { readonly osds: number; readonly tb: number }> = new Map(),
  /** The OSD hosts that run a monitor (the plan's node roles). */
  monitors: readonly string[],
): CephModel {
  const osds = ceph.nodes * ceph.osdsPerNode;
  const protection =
    "replicated" in ceph.protection
      ? {
          kind: "replicated" as const,
          size: ceph.protection.replicated,
          minSize: Math.max(1, ceph.protection.replicated - 1),
        }
      : { kind: "erasure-coded" as const, ...ceph.protection.erasureCoded };
  const efficiency =
    protection.kind === "replicated"
      ? 1 / protection.size
      : protection.k / (protection.k + protection.m);
  const width = protection.kind === "replicated" ? protection.size : protection.k + protection.m;
  // Copies (or chunks) of an object go to distinct sites, else racks, when the OSD hosts span
  // enough of them, for every pool of the rule: erasure-coded Ceph keeps RBD's metadata and
  // Gnocchi's pool replicated, across the same domains.
  const racks = new Set(racksOf.filter((r) => r !== undefined));
  const sites = new Set(sitesOf.filter((s) => s !== undefined));
  // (the widest pool's copies: a spare domain must be spare for those too)
  const rackWidth =
    protection.kind === "replicated" ? width : Math.max(width, replicatedPoolSize(ceph.nodes));
  const failureDomain =
    sites.size > 1 && sites.size >= rackWidth && sitesOf.every((s) => s !== undefined)
      ? ("datacenter" as const)
      : racks.size >= rackWidth
        ? ("rack" as const)
        : ("host" as const);
  const perHostTB = ceph.osdsPerNode * ceph.osdSizeTB;
  const domainTB = new Map<string, number>();
  const domainOf = nodes.map((n, i) =>
    failureDomain === "datacenter"
      ? (sitesOf[i] as string)
      : failureDomain === "rack"
        ? (racksOf[i] as string)
        : n,
  );
  domainOf.forEach((key) => domainTB.set(key, (domainTB.get(key) ?? 0) + perHostTB));
  // Copies spread by rack or host over several sites: a site holding as many domains as a
  // placement group can lose may hold all it needs of some, whatever the other site keeps.
  const sitesLosingData =
    failureDomain === "datacenter" || sites.size < 2
      ? []
      : [...sites].sort().filter((site) => {
          const domains = new Set(domainOf.filter((_, i) => sitesOf[i] === site)).size;
          return domains >= lostWith(protection, nodes.length);
        });
  // Each class's OSDs and TB on every host (the cluster's class: osdsPerNode of osdSizeTB).
  const perHost = new Map([
    [ceph.deviceClass as string, { osds: ceph.osdsPerNode, tb: perHostTB }],
  ]);
  for (const [c, d] of otherClasses) if (d.osds > 0 && c !== ceph.deviceClass) perHost.set(c, d);
  const classOsds = new Map([...perHost].map(([c, d]) => [c, ceph.nodes * d.osds]));
  const declaredPools = [
    ...declared,
    ...(metrics && !declared.some((p) => p.application === "metrics")
      ? [
          {
            name: GNOCCHI_POOL,
            application: "metrics" as const,
            dataShare: DEFAULTS.cephMetricsDataShare,
          },
        ]
      : []),
  ]
    .sort(byName)
    .map((p) => ({
      ...p,
      // A class without OSDs on the hosts leaves the pool on the cluster's class.
      osdClass: p.deviceClass && classOsds.has(p.deviceClass) ? p.deviceClass : ceph.deviceClass,
    }));
  // Guidance: ~100 PGs per OSD of the pool's device class across the pools there, split by each
  // pool's share of the data those OSDs hold (the monitor refuses pools past 250 per OSD).
  const classShare = (c: string) =>
    declaredPools.filter((p) => p.osdClass === c).reduce((t, p) => t + p.dataShare, 0);
  const pools = declaredPools.map((p) => {
    const budget = ((classOsds.get(p.osdClass) ?? osds) * DEFAULTS.cephTargetPgsPerOsd) / width;
    const share = classShare(p.osdClass) > 0 ? p.dataShare / classShare(p.osdClass) : 0;
    return {
      name: p.name,
      application: p.application,
      ...(p.deviceClass ? { deviceClass: p.deviceClass } : {}),
      osdClass: p.osdClass,
      dataShare: p.dataShare,
      pgNum: Math.max(CEPH_MIN_POOL_PGS, nearestPowerOfTwo(budget * share)),
    };
  });
  // Gnocchi's pool stays replicated under erasure coding (Gnocchi needs omap keys, which
  // erasure-coded pools lack; the deploy model makes it so): its share of its class's data takes
  // copies, the rest of that class's pools the profile's overhead.
  const copies = replicatedPoolSize(ceph.nodes);
  const blendedOf = (c: string) => {
    const total = classShare(c);
    const metrics =
      protection.kind === "erasure-coded"
        ? pools
            .filter((p) => p.osdClass === c && p.application === "metrics")
            .reduce((t, p) => t + p.dataShare, 0)
        : 0;
    return metrics > 0 && total > 0
      ? total / ((total - metrics) / efficiency + metrics * copies)
      : efficiency;
  };
  // A class's pools keep copies in its own OSDs, spread over the same failure domains.
  const classTB = (c: string, tbPerHost: number) => {
    const raw = ceph.nodes * tbPerHost;
    const domains = [...domainTB.values()].map((tb) => (tb / perHostTB) * tbPerHost);
    return {
      raw,
      usable: Math.min(raw, spreadLimitTB(domains, width) * width) * blendedOf(c),
      // Hosts spread evenly over the domains, the copies would fill every OSD alike.
      even: raw * blendedOf(c),
    };
  };
  const byClass = new Map([...perHost].map(([c, d]) => [c, classTB(c, d.tb)]));
  const rawTB = round2([...byClass.values()].reduce((t, c) => t + c.raw, 0));
  const usableTB = round2([...byClass.values()].reduce((t, c) => t + c.usable, 0));
  const evenUsableTB = round2([...byClass.values()].reduce((t, c) => t + c.even, 0));
  // Ceph's own pools sit on every OSD at the default size (3, or the copies a smaller cluster
  // keeps: the deploy model's pool defaults).
  const defaultSize = Math.min(
    CEPH_DEFAULT_POOL_SIZE,
    protection.kind === "replicated" ? protection.size : ceph.nodes,
  );
  const ownPgs =
    CEPH_MGR_POOL_PGS +
    (pools.some((p) => p.application === "rgw")
      ? CEPH_RGW_ZONE_POOLS.length * CEPH_MIN_POOL_PGS
      : 0);
  const allOsds = [...classOsds.values()].reduce((a, b) => a + b, 0);
  // OSD hosts per failure domain: a domain of fewer hosts than its share of the copies takes
  // one copy of every PG all the same, spread over fewer OSDs.
  const domainHosts = [...domainTB.values()].map((tb) => tb / perHostTB);
  const deviceClasses = [...classOsds].map(([deviceClass, count]) => {
    const own = (ownPgs * defaultSize * count) / allOsds;
    const groups = pools
      .filter((p) => p.osdClass === deviceClass)
      .flatMap((p) => pgGroups(p.application, p.pgNum, protection, ceph.nodes));
    const copies = groups.reduce((t, g) => t + g.pgs * g.width, 0);
    const perHostOsds = perHost.get(deviceClass)!.osds;
    const fullest = groups.reduce((t, g) => t + g.pgs * fullestHostShare(domainHosts, g.width), 0);
    // The monitor counts at least three OSDs under a rule.
    const pgsPerOsd = Math.ceil((copies + own) / Math.max(3, count));
    // (less float noise: even domains of three OSDs or more give the monitors' figure itself)
    const onFullest = Math.ceil((fullest / perHostOsds + own / count) * (1 - 1e-12));
    return {
      deviceClass,
      osds: count,
      rawTB: round2(byClass.get(deviceClass)!.raw),
      usableTB: round2(byClass.get(deviceClass)!.usable),
      // Another class's OSDs: its disks' mean (its OSD spec takes one size band).
      osdSizeTB:
        deviceClass === ceph.deviceClass
          ? ceph.osdSizeTB
          : round2(byClass.get(deviceClass)!.raw / count),
      pgsPerOsd,
      ...(onFullest > pgsPerOsd ? { pgsOnFullestOsd: onFullest } : {}),
    };
  });
  // RADOS Gateway pools hold objects in their own class's OSDs: each class's usable TB splits
  // by the shares of its pools (a cluster-wide share would put objects on another class's disks).
  const objectTB = [...byClass].reduce((t, [c, { usable }]) => {
    const share = classShare(c);
    const rgw = pools
      .filter((p) => p.osdClass === c && p.application === "rgw")
      .reduce((s, p) => s + p.dataShare, 0);
    return share > 0 ? t + (usable * rgw) / share : t;
  }, 0);
  // How full the cluster may be and still recover a failed host: each OSD stops taking backfill
  // at the backfillfull ratio, so the host taking the largest share of the failed one's data
  // decides. By host, the others share it evenly; by rack (or site) with as many as copies,
  // CRUSH keeps it in its rack, on the hosts left there. With more racks, where CRUSH puts it
  // is estimated by mapping placement groups as its rules do (model/crush-recovery.ts).
  const spareFailureDomain =
    domainTB.size > rackWidth ||
    (failureDomain !== "host" && [...domainTB.values()].every((tb) => tb >= 2 * perHostTB));
  const hostsPer = [...domainTB.values()].map((tb) => Math.round(tb / perHostTB));
  // Without a spare domain CRUSH still takes the failed host's domain again, and another host
  // there: only the hosts alone in theirs stay degraded (where some domains hold two or more).
  const hostsIn = new Map<string, number>();
  for (const d of domainOf) hostsIn.set(d, (hostsIn.get(d) ?? 0) + 1);
  const alone = nodes.filter((_, i) => hostsIn.get(domainOf[i]) === 1);
  const hostsAlone =
    !spareFailureDomain && failureDomain !== "host" && alone.length < nodes.length
      ? alone
      : undefined;
  const estimated = failureDomain !== "host" && domainTB.size > rackWidth;
  const exactFill = () =>
    CEPH_BACKFILLFULL_RATIO /
    (1 +
      (failureDomain === "host"
        ? 1 / (ceph.nodes - 1)
        : Math.max(...hostsPer.map((h) => 1 / (h - 1)))));
  // (undefined where CRUSH finds no place for some copies: they stay degraded)
  const fillRatio = !spareFailureDomain
    ? undefined
    : estimated
      ? simulatedRecoveryFill(
          hostsPer,
          width,
          protection.kind === "replicated" ? "firstn" : "indep",
          CEPH_BACKFILLFULL_RATIO,
        )
      : exactFill();
  const recoveryFill =
    fillRatio === undefined ? undefined : Math.floor(fillRatio * 100 + 1e-9) / 100;
  return {
    nodes,
    osds,
    osdSizeTB: ceph.osdSizeTB,
    deviceClass: ceph.deviceClass,
    protection,
    failureDomain,
    failureDomains: domainTB.size,
    // CRUSH picks the rack (or site) again and another host in it when a host is out: with
    // every one holding two OSD hosts or more, any host's data recovers without a spare one.
    spareFailureDomain,
    ...(hostsAlone ? { hostsAlone } : {}),
    ...(sitesLosingData.length ? { sitesLosingData } : {}),
    ...(recoveryFill !== undefined ? { recoveryFillRatio: recoveryFill } : {}),
    ...(recoveryFill !== undefined && estimated ? { recoveryFillEstimated: true as const } : {}),
    rawTB,
    usableTB,
    ...(failureDomain !== "host" && usableTB < evenUsableTB * 0.95
      ? {
          unevenDomains: {
            hosts: Object.fromEntries(
              [...domainTB]
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([d, tb]) => [d, Math.round(tb / perHostTB)]),
            ),
            evenUsableTB,
          },
        }
      : {}),
    nearfullRatio: ceph.nearfullRatio,
    usableAtNearfullTB: round2(usableTB * ceph.nearfullRatio),
    // Below nearfull, the fill that still recovers a failed host bounds what to sell.
    ...(recoveryFill !== undefined && recoveryFill < ceph.nearfullRatio
      ? { usableToRecoverTB: round2(usableTB * recoveryFill) }
      : {}),
    pools,
    deviceClasses,
    objectTB: round2(objectTB),
    objectShare: usableTB > 0 ? Math.round((objectTB / usableTB) * 10_000) / 10_000 : 0,
    monitors: [...monitors],
  };
}

/**
 * The share of a pool's PGs each OSD host of the fullest failure domain keeps a copy (or chunk)
 * of, when CRUSH puts `width` of them in distinct domains weighted by their hosts: a domain
 * whose weighted share would pass one copy of every PG keeps just one, and the others share the
 * rest by weight (water-filling), so the smaller domains' hosts keep more. Even domains give
 * width / hosts.
 */
export function fullestHostShare(domainHosts: readonly number[], width: number): number {
  const sorted = [...domainHosts].sort((a, b) => b - a);
  let rest = sorted.reduce((s, h) => s + h, 0);
  for (let t = 0; t < sorted.length && t < width; t++) {
    const level = (width - t) / rest;
    // Domains from t on take level per host; the largest of them must not pass one copy.
    if (level * sorted[t] <= 1 + 1e-9) return level;
    rest -= sorted[t];
  }
  // Every domain takes a copy of each PG: the smallest spreads its copy over the fewest hosts.
  return 1 / Math.min(...sorted);
}

/**
 * How much one copy (or chunk) set can hold when each object puts `width` pieces on distinct
 * failure domains of these capacities: for every t, the pieces that do not fit on the t largest
 * domains must fit on the others. Equal domains give total / width.
 */
function spreadLimitTB(domains: readonly number[], width: number): number {
  const sorted = [...domains].sort((a, b) => b - a);
  let rest = sorted.reduce((s, c) => s + c, 0);
  let limit = Infinity;
  for (let t = 0; t < width && t < sorted.length; t++) {
    limit = Math.min(limit, rest / (width - t));
    rest -= sorted[t];
  }
  return limit;
}

/** The ring layout of a resolved Swift cluster. */
export const swiftRingLayout = (
  swift: Pick<SwiftModel, "nodeZones" | "disksPerNode" | "replicas" | "policies">,
): RingLayout => ({
  nodeZones: swift.nodeZones,
  disks: swift.disksPerNode,
  replicas: swift.replicas,
  policies: swift.policies.map(ringProtectionOf),
});

/** What a storage policy's object ring keeps of a partition: copies, or fragments and parity. */
export const ringProtectionOf = (
  p: Pick<SwiftModel["policies"][number], "replicas" | "erasureCoding"> & { name?: string },
): RingProtection => ({
  replicas: p.replicas,
  ...(p.erasureCoding ? { parity: p.erasureCoding.parityFragments } : {}),
  ...(p.name !== undefined ? { name: p.name } : {}),
});

/** Whose Swift account each kind of container lives in (see SwiftAccount). */
const SWIFT_ACCOUNTS: Readonly<Record<SwiftContainerModel["purpose"], SwiftAccount>> = {
  application: "platform",
  images: "each-tenant",
  backups: "each-tenant",
};

/** Usable TB by what it serves, and the data each part holds before it must grow. */
export function storageServed(
  ceph: CephModel | undefined,
  swift: SwiftModel | undefined,
): StorageServed {
  const cephObjectTB = ceph?.objectTB ?? 0;
  const swiftTB = swift?.usableTB ?? 0;
  const blockTB = ceph ? round2(ceph.usableTB - cephObjectTB) : 0;
  const cephFill =
    ceph && ceph.usableTB > 0
      ? (ceph.usableToRecoverTB ?? ceph.usableAtNearfullTB) / ceph.usableTB
      : 0;
  // A failed storage node's objects are copied onto the others: they hold no more than what
  // fits on all but one (a lone node has nowhere to copy to).
  const nodes = swift?.storageNodes.length ?? 0;
  const swiftFill = nodes > 1 ? (nodes - 1) / nodes : 1;
  return {
    blockTB,
    objectTB: round2(swiftTB + cephObjectTB),
    heldBlockTB: round2(blockTB * cephFill),
    heldObjectTB: round2(swiftTB * swiftFill + cephObjectTB * cephFill),
  };
}

export function swiftModel(
  swift: NonNullable<Spec["storage"]["swift"]>,
  proxies: readonly string[],
  storageNodes: readonly string[],
  siteOf: ReadonlyMap<string, string> = new Map(),
): Omit<SwiftModel, "bindIp" | "zoneCounts"> {
  const disks = swift.storageNodes * swift.disksPerNode;
  const rawTB = round2(disks * swift.diskSizeTB);
  const partitionPower = swift.partitionPower ?? swiftPartitionPower(disks);
  // Swift indexes policies by declaration order.
  // What a policy holds of the raw capacity: one copy's worth, or its data fragments' share.
  const usable = (replicas: number, ec?: { dataFragments: number }) =>
    round2(ec ? (rawTB * ec.dataFragments) / replicas : rawTB / replicas);
  const policies = swift.policies.map((p, index) => {
    const ec = p.erasureCoding;
    const replicas = ec ? ec.dataFragments + ec.parityFragments : (p.replicas ?? swift.replicas);
    return {
      name: p.name,
      index,
      ring: index === 0 ? "object" : `object-${index}`,
      // An erasure-coded ring holds each fragment as a replica (Swift checks its count).
      replicas,
      default: p.default,
      ...(ec
        ? {
            erasureCoding: {
              type: ec.type,
              dataFragments: ec.dataFragments,
              parityFragments: ec.parityFragments,
            },
          }
        : {}),
      usableTB: usable(replicas, ec),
    };
  });
  // A lone policy is the default without saying so (swift-policy-default refuses other cases).
  const objectPolicy = policies.find((p) => p.default) ?? policies[0];
  const objectReplicas = objectPolicy?.replicas ?? swift.replicas;
  const objectEc = objectPolicy?.erasureCoding;
  const replicated = policies.filter((p) => !p.erasureCoding).map((p) => p.replicas);
  const nodeZones = ringNodes(storageNodes, swift.zones, swift.regions, siteOf);
  const layout = swiftRingLayout({
    nodeZones,
    disksPerNode: swift.disksPerNode,
    replicas: swift.replicas,
    policies,
  });
  return {
    proxies,
    storageNodes,
    nodeZones,
    lossesSurvived: {
      nodes: lossesSurvived(layout, "node"),
      zones: lossesSurvived(layout, "zone"),
    },
    disks,
    disksPerNode: swift.disksPerNode,
    diskSizeTB: swift.diskSizeTB,
    rawTB,
    usableTB: usable(objectReplicas, objectEc),
    replicas: swift.replicas,
    objectReplicas,
    ...(objectEc ? { objectErasureCoding: objectEc } : {}),
    fewestReplicas: replicated.length ? Math.min(...replicated) : swift.replicas,
    zones: swift.zones,
    regions: swift.regions,
    partitionPower,
    partitions: 2 ** partitionPower,
    // Ring weights proportional to capacity: 100 per TB.
    weightPerDisk: round2(swift.diskSizeTB * 100),
    minPartHours: 24,
    policies,
    containers: [...swift.containers].sort(byName).map((c) => ({
      name: c.name,
      purpose: c.purpose,
      account: SWIFT_ACCOUNTS[c.purpose],
      public: c.public,
      versioning: c.versioning,
      ...(c.storagePolicy ? { storagePolicy: c.storagePolicy } : {}),
      readers: cleanAcl(c.readers, "read"),
      writers: cleanAcl(c.writers, "write"),
    })),
  };
}

/** ACL elements as Swift stores them; validation refused the ones it would not. */
const cleanAcl = (entries: readonly string[], header: "read" | "write") =>
  entries.flatMap((e) => {
    const clean = cleanSwiftAclEntry(e, header);
    return "value" in clean ? [clean.value] : [];
  });

/**
 * What the volume groups of LVM and ZFS backends stand on: each backend takes its device class's
 * disks on its hosts (one without a class the disks of kinds no other backend names), never
 * those marked for the system or RocksDB. Where no disk is marked for the system nor left over,
 * the system is on one of them (the smallest lone one, else one of the smallest). No two backends
 * take the same disks (the spec rule volume-disks-shared).
 */
export function volumeServerDisks(
  backends: readonly {
    readonly name: string;
    readonly kind: string;
    readonly deviceClass?: string;
  }[],
  /** The hardware profile of each host serving them. */
  hostHardware: readonly HardwareModel[],
): Map<
  string,
  {
    readonly profiles: readonly VolumeDisks[];
    readonly rawTB: number;
    readonly largestVolumeTB: number;
  }
> {
  const local = backends.filter((b) => b.kind === "lvm" || b.kind === "zfs");
  const classed = new Set(local.flatMap((b) => (b.deviceClass ? [b.deviceClass] : [])));
  const takes = (b: (typeof local)[number], kind: string) =>
    b.deviceClass ? kind === b.deviceClass : !classed.has(kind);
  const profiles = [...new Set(hostHardware)];
  const out = new Map<
    string,
    {
      profiles: VolumeDisks[];
      rawTB: number;
      largestVolumeTB: number;
    }
  >();
  for (const b of local) {
    const perProfile = profiles.map((hw): VolumeDisks => {
      const free = hw.disks.filter((d) => d.use === undefined);
      const claimed = free.filter((d) => local.some((o) => takes(o, d.kind)));
      const systemTakesOne =
        !hw.disks.some((d) => d.use === "system") &&
        claimed.length === free.length &&
        free.length > 0;
      // The system's disk, as cephadm's rule finds it where nothing is kept for it.
      const lone = claimed.filter((d) => d.count === 1);
      const system = systemTakesOne
        ? (lone.length ? lone : claimed).reduce((a, d) => (d.sizeGB < a.sizeGB ? d : a))
        : undefined;
      const disks = claimed
        .filter((d) => takes(b, d.kind))
        .map((d) => ({ count: d.count - (d === system ? 1 : 0), sizeGB: d.sizeGB, kind: d.kind }))
        .filter((d) => d.count > 0);
      return {
        hardware: hw.name,
        hosts: hostHardware.filter((h) => h === hw).length,
        disks,
        systemTakesOne: system !== undefined && takes(b, system.kind),
        perHostTB: round2(disks.reduce((t, d) => t + (d.count * d.sizeGB) / 1000, 0)),
      };
    });
    out.set(b.name, {
      profiles: perProfile,
      rawTB: round2(perProfile.reduce((t, p) => t + p.hosts * p.perHostTB, 0)),
      largestVolumeTB: Math.max(0, ...perProfile.map((p) => p.perHostTB)),
    });
  }
  return out;
}
