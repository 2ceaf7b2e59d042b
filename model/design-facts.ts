import { firstOf } from "../core/lists";
import { addressToBigInt, hostCount, parseCidr } from "../core/net";
import { ringProtectionOf, swiftRingLayout } from "./capacity";
import { heavyRegion, ringLostWithPlace, zonesOfPlace } from "../core/swift-ring";
import { cephPoolFor, ioSlack, lostWith } from "../core/ceph-pools";
import { routerHosts } from "../core/neutron";
import { controllerQuorumSite, quorumTolerance } from "./ha";
import { nodeZones } from "./nodes";
import type {
  Params,
  CephModel,
  HaRow,
  Model,
  NodeRole,
  PoolModel,
  TenantModel,
  VolumeBackendModel,
} from "./types";

/** Whether `tenants[].pool` names this pool, by its name or its id. */
export const isTenantPool = (pool: { name: string; id: string }, key: string | undefined) =>
  key !== undefined && (pool.name === key || pool.id === key);

/**
 * What a deliverable document states about the design beyond its inventory: availability
 * composed from the HA table, rack elevations, growth headroom, recovery per failure scenario,
 * and the design alternatives this design chose between. Derived here, once, from the rest of
 * the model; templates only print it.
 */
export interface DesignFacts {
  readonly availability: AvailabilityModel;
  readonly racks: readonly RackModel[];
  readonly headroom: HeadroomModel;
  readonly recovery: readonly RecoveryScenario[];
  readonly alternatives: readonly AlternativeModel[];
  readonly risks: readonly RiskModel[];
}

/** A risk the design itself carries: a component without redundancy, an oversubscribed pool, one site. */
export interface RiskModel {
  readonly kind:
    | "spof"
    | "quota"
    | "quota-overcommit"
    | "block-quota"
    | "site"
    | "site-stops"
    | "sites-stretched";
  readonly params: Params;
}

/**
 * The availability a single server is assumed to have (about 8.8 hours of unplanned downtime a
 * year); every component figure composes it. The document states it as an assumption.
 */
export const NODE_AVAILABILITY = 0.999;

const HOURS_PER_YEAR = 8766;

export interface AvailabilityRow {
  /** The HA row's kind and parameters, for its translated name. */
  readonly kind: string;
  readonly params: Params;
  readonly nodes: number;
  readonly failuresTolerated: number;
  /** P(at most `failuresTolerated` of `nodes` are down), nodes failing independently. */
  readonly availability: number;
}

export interface AvailabilityModel {
  readonly nodeAvailability: number;
  /** One per HA row, in the same order. */
  readonly rows: readonly AvailabilityRow[];
  /**
   * The cloud is up when every row is. Rows on the same servers fail together, so per group of
   * servers the least available row counts once; the groups multiply.
   */
  readonly composite: number;
  readonly downtimeHoursPerYear: number;
  /** Index of the row with the lowest availability (the first of equals); -1 without rows. */
  readonly weakest: number;
}

export interface RackModel {
  readonly name: string;
  /**
   * The zones listing it, by name (zones may share a site's racks): the first is the zone of its
   * hosts outside the pools (nodeZones).
   */
  readonly zones: readonly string[];
  readonly site?: string;
  /**
   * Top to bottom: the rack's nodes in role order, then by name; controllers running as VMs on
   * the undercloud are marked (the plan keeps their rack, so other hosts keep theirs, but they
   * stand in none).
   */
  readonly nodes: readonly { name: string; role: NodeRole; hardware: string; virtual?: true }[];
}

export interface PoolHeadroom {
  readonly pool: string;
  readonly usableVcpus: number;
  readonly quotaVcpus: number;
  readonly usableRamGiB: number;
  readonly quotaRamGiB: number;
  /** Octavia's amphorae, on the pool their flavor asks for: what they may take there. */
  readonly amphorae?: { readonly count: number; readonly vcpus: number; readonly ramGiB: number };
  /**
   * Share of usable capacity no tenant quota (nor amphora) claims yet (negative when
   * oversubscribed).
   */
  readonly vcpuHeadroom: number;
  readonly ramHeadroom: number;
  /**
   * Where Cinder lets guests boot from volumes past the local disks' bound: the CPUs guests booted
   * from images reach (diskBound.usableCpus) beside what the quotas and amphorae claim.
   */
  readonly imageBoot?: {
    readonly cpus: number;
    readonly diskGiB: number;
    readonly claimed: number;
    /** The claims pass what guests booted from images reach. */
    readonly over: boolean;
  };
  /** How far quotas may add up past the usable capacity (the pool's quotaOvercommit), when > 1. */
  readonly overcommit?: {
    readonly factor: number;
    readonly quotableVcpus: number;
    readonly quotableRamGiB: number;
  };
}

export interface HeadroomModel {
  readonly pools: readonly PoolHeadroom[];
  /** Tenant quotas that name no pool draw on the whole cloud. */
  readonly unpinned: {
    readonly quotaVcpus: number;
    readonly quotaRamGiB: number;
    /** Octavia's amphorae where their flavor asks for no pool: they draw on the cloud too. */
    readonly amphorae?: { readonly count: number; readonly vcpus: number; readonly ramGiB: number };
  };
  readonly networks: readonly {
    readonly network: string;
    readonly usable: number;
    readonly planned: number;
    readonly free: number;
  }[];
  readonly blockStorage?: {
    /** Ceph capacity usable before nearfull, in GiB. */
    readonly usableGiB: number;
    readonly quotaGiB: number;
    /** The tenants' backup quotas, when cinder-backup keeps backups in Ceph. */
    readonly backupGiB?: number;
    /**
     * Instance root disks Nova keeps in Ceph (storage.ephemeral: ceph): each tenant's instance
     * quota times the largest root disk of the flavors it may boot.
     */
    readonly instanceDiskGiB?: number;
    readonly headroom: number;
    /**
     * Per device class, where several hold volumes: the class's block capacity before nearfull
     * and the tenants' per-volume-type limits of the types whose pool is on it.
     */
    readonly classes?: readonly {
      readonly deviceClass: string;
      readonly volumeTypes: readonly string[];
      readonly usableGiB: number;
      readonly quotaGiB: number;
      /** The tenants' backup quotas, on the class of Ceph's backups pool. */
      readonly backupGiB?: number;
      /** The instance root disks, on the class of Ceph's vms pool. */
      readonly instanceDiskGiB?: number;
      readonly headroom: number;
    }[];
  };
}

export type RecoveryScenarioKind =
  | "host-compute"
  | "host-controller"
  | "host-storage"
  | "host-object-storage"
  | "host-block-storage"
  | "rack"
  | "zone"
  | "site"
  | "one-of-sites";

export interface RecoveryScenario {
  readonly scenario: RecoveryScenarioKind;
  /** Key of the catalog text that says how the design recovers. */
  readonly outcome: string;
  readonly params: Params;
  /** Data written before the failure that can be lost: none when replicas are synchronous. */
  readonly dataLoss:
    | "none"
    | "since-last-backup"
    | "not-backed-up"
    | "database"
    | "instance-disks"
    | "not-off-site"
    | "recent-objects"
    | "controller-images"
    | "controller-volumes"
    | "controller-images-volumes";
  /**
   * What a controller's loss takes beyond the failover: Glance's file images on the first one,
   * LVM or ZFS volumes on its disks, the deployment host's /etc/kolla on the first one.
   */
  readonly extras?: readonly ("images" | "volumes" | "deployer" | "deployer-state")[];
  /** Sites whose loss alone stops the cloud or its block storage (several sites only). */
  readonly stoppingSites?: readonly string[];
  /**
   * Swift objects (or container databases) a lost site takes with it, where its storage nodes may
   * hold more of some partition than the ring survives losing: the catalog's `recovery.objects`
   * text, with its params among `params` (objectsSite, swiftZones, copies, pieces, ec, dbs).
   */
  readonly objectsLost?: true;
  /**
   * Ceph's placement groups a lost site may take every copy of (copies spread by rack or host):
   * the catalog's `recovery.cephLost` text, with cephLostSites, cephLostSiteCount and cephEc.
   */
  readonly cephLost?: true;
  /** Key of a catalog text the outcome depends on, beyond what the design places. */
  readonly caveat?:
    | "controllers-on-undercloud"
    | "controllers-routers-on-undercloud"
    | "anti-affinity-evacuate"
    | "affinity-evacuate"
    | "affinity-anti-affinity-evacuate";
}

export interface AlternativeModel {
  /** The decision, e.g. "tenant-network". */
  readonly decision: string;
  readonly options: readonly string[];
  readonly chosen: string;
}

const binomial = (n: number, k: number) => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
};

/** P(at most t of n independent nodes with availability a are down). */
export function kOfN(n: number, t: number, a: number): number {
  if (n <= 0) return 1;
  let p = 0;
  for (let k = 0; k <= Math.min(t, n); k++) p += binomial(n, k) * (1 - a) ** k * a ** (n - k);
  return Math.min(1, p);
}

/**
 * The servers an HA row runs on, by its kind: rows on the same servers fail together, so they
 * are one factor of the product, not several independent ones.
 */
export function hostGroupOf(row: Pick<HaRow, "kind" | "params">): string {
  const k = row.kind;
  if (k.startsWith("compute-pool")) return `pool:${row.params.pool}`;
  if (k.includes("network-nodes")) return "network-nodes";
  if (k.startsWith("ceph-monitors"))
    return row.params.on === "osd"
      ? "ceph-osd"
      : row.params.on === "controllers"
        ? "controllers"
        : "ceph-monitors";
  if (k.startsWith("ceph-")) return "ceph-osd";
  if (k.startsWith("swift-proxies")) return "swift-proxies";
  if (k.startsWith("swift-")) return "swift-storage";
  if (k.startsWith("block-storage-nodes")) return "block-storage";
  if (k === "deployer-dedicated") return "deployer";
  if (k === "ntp") return "ntp";
  return "controllers";
}

export function availabilityModel(
  ha: readonly HaRow[],
  nodeAvailability = NODE_AVAILABILITY,
): AvailabilityModel {
  const rows = ha.map((r) => ({
    kind: r.kind,
    params: r.params,
    nodes: r.nodes,
    failuresTolerated: r.failuresTolerated,
    availability: kOfN(r.nodes, r.failuresTolerated, nodeAvailability),
  }));
  // Per group of servers, the least tolerant row decides; the groups are independent.
  const groups = new Map<string, number>();
  ha.forEach((r, i) => {
    const g = hostGroupOf(r);
    groups.set(g, Math.min(groups.get(g) ?? 1, rows[i].availability));
  });
  const composite = [...groups.values()].reduce((p, a) => p * a, 1);
  const weakest = rows.reduce(
    (w, r, i) => (w < 0 || r.availability < rows[w].availability ? i : w),
    -1,
  );
  return {
    nodeAvailability,
    rows,
    composite,
    downtimeHoursPerYear: (1 - composite) * HOURS_PER_YEAR,
    weakest,
  };
}

const ROLE_RANK: readonly NodeRole[] = [
  "network",
  "controller",
  "deployer",
  "ceph-osd",
  "swift-proxy",
  "swift-storage",
  "compute",
];

export function rackModels(model: Pick<Model, "nodes" | "zones">): RackModel[] {
  const rank = (r: NodeRole) => (ROLE_RANK.includes(r) ? ROLE_RANK.indexOf(r) : ROLE_RANK.length);
  const zonesOf = new Map<string, Model["zones"][number][]>();
  for (const z of [...model.zones].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    for (const r of z.racks) zonesOf.set(r, [...(zonesOf.get(r) ?? []), z]);
  const names = [...new Set(model.nodes.map((n) => n.rack).filter((r): r is string => !!r))];
  return names.sort().map((name) => {
    const zones = zonesOf.get(name) ?? [];
    // (a rack stands at one site: rack-shared)
    const site = zones[0]?.site;
    return {
      name,
      zones: zones.map((z) => z.name),
      ...(site ? { site } : {}),
      nodes: model.nodes
        .filter((n) => n.rack === name)
        .map((n) => ({
          name: n.name,
          role: n.role,
          hardware: n.hardware,
          ...(n.virtual ? { virtual: true as const } : {}),
        }))
        .sort(
          (a, b) => rank(a.role) - rank(b.role) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
        ),
    };
  });
}

/** The addresses of a network's Neutron allocation pool (none without one), exactly. */
const poolAddresses = (n: Model["networks"][number]): bigint =>
  n.allocationPool
    ? addressToBigInt(n.allocationPool.end) - addressToBigInt(n.allocationPool.start) + 1n
    : 0n;

export const poolSize = (n: Model["networks"][number]): number => Number(poolAddresses(n));

const share = (free: number, total: number) => (total > 0 ? free / total : 0);

/** Host addresses outside the plan, the reservations and the pool, capped as usable counts are. */
function freeAddresses(n: Model["networks"][number]): number {
  const free =
    hostCount(parseCidr(n.cidr)) -
    BigInt(n.allocatedAddresses) -
    BigInt(n.reservations.length) -
    poolAddresses(n);
  return Number(
    free < 0n ? 0n : free > BigInt(n.usableAddresses) ? BigInt(n.usableAddresses) : free,
  );
}

/**
 * A whole number split by weight into whole parts that add up to it (largest remainders first;
 * equal parts when every weight is 0).
 */
export function splitByWeight(total: number, weights: readonly number[]): number[] {
  if (weights.length === 1) return [total];
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/**
 * Tenant quotas charged to the pools they land on: a tenant on a pool name several zones share
 * is on all of them, split by what each lets quotas take (its usable capacity times its quota
 * overcommit) in whole numbers; tenants on no pool are
 * the whole cloud's. Indexes are the tenants' positions.
 */
export function chargeQuotas(
  pools: readonly PoolModel[],
  tenants: readonly { readonly pool?: string; readonly cores: number; readonly ramGiB: number }[],
) {
  const byPool = new Map<PoolModel, { vcpus: number; ramGiB: number; tenants: number[] }>(
    pools.map((p) => [p, { vcpus: 0, ramGiB: 0, tenants: [] }]),
  );
  const unpinned: number[] = [];
  tenants.forEach((t, i) => {
    const on = pools.filter((p) => isTenantPool(p, t.pool));
    if (!on.length) {
      unpinned.push(i);
      return;
    }
    const vcpus = splitByWeight(
      t.cores,
      on.map((p) => p.capacity.quotableCpus),
    );
    const ram = splitByWeight(
      t.ramGiB,
      on.map((p) => p.capacity.quotableRamGiB),
    );
    on.forEach((p, k) => {
      const c = byPool.get(p)!;
      c.vcpus += vcpus[k];
      c.ramGiB += ram[k];
      c.tenants.push(i);
    });
  });
  return { byPool, unpinned };
}

export function headroomModel(
  model: Pick<Model, "pools" | "tenants" | "networks" | "controlPlane">,
  /** Ceph's block headroom, as the checks worked it out (blockHeadroom). */
  blockStorage: HeadroomModel["blockStorage"],
): HeadroomModel {
  const { byPool: charged, unpinned: unpinnedAt } = chargeQuotas(
    model.pools,
    model.tenants.map((t) => ({
      ...(t.pool ? { pool: t.pool } : {}),
      cores: t.quota.cores,
      ramGiB: t.quota.ramGiB,
    })),
  );
  const unpinned = unpinnedAt.map((i) => model.tenants[i]);
  const octavia = model.controlPlane.octavia;
  const pools = model.pools.map((p) => {
    const quotaVcpus = charged.get(p)?.vcpus ?? 0;
    const quotaRamGiB = charged.get(p)?.ramGiB ?? 0;
    const usableVcpus = p.capacity.usableCpus;
    const disk = p.capacity.diskBound;
    const amphorae =
      octavia?.pool === p.id && octavia.amphorae.count ? octavia.amphorae : undefined;
    const vcpus = quotaVcpus + (amphorae?.vcpus ?? 0);
    const ramGiB = quotaRamGiB + (amphorae?.ramGiB ?? 0);
    return {
      pool: p.id,
      usableVcpus,
      quotaVcpus,
      usableRamGiB: p.capacity.usableRamGiB,
      quotaRamGiB,
      ...(amphorae ? { amphorae } : {}),
      vcpuHeadroom: share(usableVcpus - vcpus, usableVcpus),
      ramHeadroom: share(p.capacity.usableRamGiB - ramGiB, p.capacity.usableRamGiB),
      // (said where the disks bound the CPUs: a bound on memory alone leaves them all)
      ...(disk && !disk.caps && disk.usableCpus < usableVcpus
        ? {
            imageBoot: {
              cpus: disk.usableCpus,
              diskGiB: disk.diskGiB,
              claimed: vcpus,
              over: vcpus > disk.usableCpus,
            },
          }
        : {}),
      ...(p.capacity.quotaOvercommit > 1
        ? {
            overcommit: {
              factor: p.capacity.quotaOvercommit,
              quotableVcpus: p.capacity.quotableCpus,
              quotableRamGiB: p.capacity.quotableRamGiB,
            },
          }
        : {}),
    };
  });
  return {
    pools,
    unpinned: {
      quotaVcpus: unpinned.reduce((s, t) => s + t.quota.cores, 0),
      quotaRamGiB: unpinned.reduce((s, t) => s + t.quota.ramGiB, 0),
      ...(octavia && octavia.pool === undefined && octavia.amphorae.count
        ? { amphorae: octavia.amphorae }
        : {}),
    },
    networks: model.networks.map((n) => ({
      network: n.name,
      usable: n.usableAddresses,
      planned: n.allocatedAddresses,
      // Reserved addresses (gateway, VIPs, next hops) and the DHCP or floating pool are not
      // free for hosts either; the pool never holds a host address or a reservation.
      // Counted exactly: an IPv6 subnet's usable count is shown capped, its pool is not.
      free: freeAddresses(n),
    })),
    ...(blockStorage ? { blockStorage } : {}),
  };
}

/** The caveat of a compute host's row for the hard server groups of pools that evacuate. */
function groupCaveat(
  pools: readonly Pick<Model["pools"][number], "serverGroups">[],
): Pick<RecoveryScenario, "caveat"> {
  const has = (policy: string) =>
    pools.some((p) => p.serverGroups.some((g) => g.policy === policy));
  const anti = has("anti-affinity");
  const affinity = has("affinity");
  if (anti && affinity) return { caveat: "affinity-anti-affinity-evacuate" };
  if (anti) return { caveat: "anti-affinity-evacuate" };
  return affinity ? { caveat: "affinity-evacuate" } : {};
}

export function recoveryScenarios(
  model: Pick<
    Model,
    "pools" | "controlPlane" | "storage" | "zones" | "sites" | "nodes" | "deploy" | "ha" | "output"
  >,
  racks: readonly RackModel[],
): RecoveryScenario[] {
  const ceph = model.storage.ceph;
  const swift = model.storage.swift;
  const spare = Math.min(...model.pools.map((p) => p.capacity.spareHosts), Infinity);
  // Pools without a spare host, by name: the others still evacuate.
  const unspared = model.pools.filter((p) => p.capacity.spareHosts < 1).map((p) => p.id);
  const sharedDisks = model.storage.ephemeralBackend === "ceph";
  // Cinder's backups: a Swift container, or Ceph's backups pool beside its volumes.
  const backup = model.storage.backup?.service ?? model.deploy.cinder.backup?.driver;
  const controllers = model.controlPlane.controllers.length;
  // A failure that takes more controllers than this breaks the Galera/RabbitMQ quorum.
  const quorumSlack = quorumTolerance(controllers);
  // What only a controller's own disks hold: file images (Kolla runs Glance on the first one
  // alone), LVM or ZFS volumes on the controllers, the first one's /etc/kolla where it deploys.
  // LVM and ZFS volumes live on their hosts' disks alone: a place holding such a host loses them.
  const localBackends = model.storage.backends.filter((b) => b.kind === "lvm" || b.kind === "zfs");
  const controllerBackends = localBackends
    .filter((b) => b.hosts.some((h) => model.controlPlane.controllers.includes(h)))
    .map((b) => b.name);
  const controllerExtras = [
    ...(model.ha.some((r) => r.kind === "images-file") ? (["images"] as const) : []),
    ...(controllerBackends.length ? (["volumes"] as const) : []),
    ...(model.ha.some((r) => r.kind === "deployer-controller")
      ? model.output.backend.type === "local"
        ? (["deployer-state"] as const)
        : (["deployer"] as const)
      : []),
  ];
  const out: RecoveryScenario[] = [
    {
      scenario: "host-compute",
      outcome:
        spare >= 1 ? "evacuate" : unspared.length < model.pools.length ? "some-spare" : "no-spare",
      params: {
        spare: spare === Infinity ? 0 : spare,
        pools: unspared,
        poolCount: unspared.length,
      },
      dataLoss: sharedDisks ? "none" : "instance-disks",
      // Nova's group filters hold on evacuation too, which skips the failed host: a hard
      // anti-affinity member needs a host below its group's limit, a hard affinity one its
      // group's only host.
      ...groupCaveat(model.pools.filter((p) => p.capacity.spareHosts >= 1)),
    },
    {
      scenario: "host-controller",
      // (one controller's database is lost with it: nothing to restore it from)
      outcome:
        controllers > 1
          ? "failover"
          : model.controlPlane.database === "galera"
            ? "restore"
            : "rebuild-empty",
      // The catalog names the survivors: "the other 2" of 3 controllers.
      params: { controllers, others: controllers - 1, backends: controllerBackends },
      // (cinder-backup keeps volumes; nothing in the design backs the database up)
      dataLoss:
        model.controlPlane.database !== "galera"
          ? "database"
          : controllerExtras.includes("images")
            ? controllerExtras.includes("volumes")
              ? "controller-images-volumes"
              : "controller-images"
            : controllerExtras.includes("volumes")
              ? "controller-volumes"
              : "none",
      ...(controllerExtras.length ? { extras: controllerExtras } : {}),
    },
  ];
  // LVM and ZFS volumes on hosts of their own: each lives on one host's disks.
  const volumeOnlyBackends = localBackends.filter((b) =>
    b.hosts.some((h) => !model.controlPlane.controllers.includes(h)),
  );
  if (volumeOnlyBackends.length)
    out.push({
      scenario: "host-block-storage",
      outcome: "volumes-on-host",
      params: {
        backends: volumeOnlyBackends.map((b) => b.name),
        backendCount: volumeOnlyBackends.length,
      },
      dataLoss: backup ? "since-last-backup" : "not-backed-up",
    });
  if (ceph || swift) {
    // Ceph re-replicates only onto a failure domain beyond those holding the copies.
    const noSpare = ceph !== undefined && !ceph.spareFailureDomain;
    // (where some domains hold several hosts, only the lone ones' data stays degraded)
    const alone = ceph?.hostsAlone;
    if (ceph?.protection.kind === "erasure-coded") {
      // The host held one chunk of each object: any k of the k + m rebuild it.
      const { k, m } = ceph.protection;
      out.push({
        scenario: "host-storage",
        outcome: alone
          ? "stays-degraded-alone-ec"
          : noSpare
            ? "stays-degraded-ec"
            : "rebuild-chunks",
        params: {
          k,
          chunks: k + m,
          survivors: k + m - 1,
          ...(alone ? { hosts: firstOf(alone) } : {}),
        },
        dataLoss: "none",
      });
    } else if (ceph) {
      const copies = ceph.protection.size;
      out.push({
        scenario: "host-storage",
        outcome:
          copies > 1
            ? alone
              ? "stays-degraded-alone"
              : noSpare
                ? "stays-degraded"
                : "re-replicate"
            : "restore",
        params: { copies, ...(alone ? { hosts: firstOf(alone) } : {}) },
        dataLoss: copies > 1 ? "none" : "since-last-backup",
      });
    }
    if (swift) {
      // Swift copies (or rebuilds) an object again only once the host's disks leave the ring;
      // until then its other replicas or fragments serve it and new writes go to handoff nodes.
      // The fewest replicas of any replicated policy decide whether some objects had no other
      // copy; no host holds more fragments of an erasure-coded object than its parity
      // (swift-ec-node-loss).
      const replicated =
        swift.policies.length === 0 || swift.policies.some((p) => !p.erasureCoding);
      // One host's loss loses some objects, or container databases, as the HA table counts it.
      const hostLoses = swift.lossesSurvived.nodes === 0;
      const ec = swift.policies
        .flatMap((p) => (p.erasureCoding ? [p.erasureCoding] : []))
        .sort((a, b) => a.parityFragments - b.parityFragments)[0];
      const copies = swift.fewestReplicas;
      out.push({
        scenario: ceph ? "host-object-storage" : "host-storage",
        outcome: hostLoses
          ? "restore"
          : !ec
            ? "swift-replicas"
            : replicated
              ? "swift-replicas-fragments"
              : "swift-fragments",
        params: {
          copies,
          ...(ec
            ? { data: ec.dataFragments, fragments: ec.dataFragments + ec.parityFragments }
            : {}),
        },
        // (Swift confirms a write once a quorum of its replicas is stored: one of 2)
        dataLoss: hostLoses
          ? "since-last-backup"
          : replicated && copies === 2
            ? "recent-objects"
            : "none",
      });
    }
  }
  // Controllers running as VMs stand on the undercloud's hypervisors, in none of the design's
  // racks or sites: where those are decides the quorum, so the place rows say so.
  const placed = model.nodes.filter((n) => !n.virtual);
  const rackOf = new Map(placed.map((n) => [n.name, n.rack]));
  const siteOf = new Map(placed.map((n) => [n.name, n.site]));
  const virtual = new Set(model.nodes.filter((n) => n.virtual).map((n) => n.name));
  // The failure domain of an OSD host: the CRUSH bucket its rules pick copies from.
  const cephDomainOf = (node: string) =>
    ceph?.failureDomain === "datacenter"
      ? siteOf.get(node)
      : ceph?.failureDomain === "rack"
        ? rackOf.get(node)
        : node;
  // Routers run on Kolla's network group (the network nodes, else the controllers), each on
  // `routersOn` of them.
  const routerHostNames = model.deploy.kollaGroups.network;
  const routersOn = routerHosts(routerHostNames.length, model.deploy.neutron.mechanism === "ovn");
  const caveat = !virtual.size
    ? {}
    : {
        caveat: routerHostNames.some((n) => virtual.has(n))
          ? ("controllers-routers-on-undercloud" as const)
          : ("controllers-on-undercloud" as const),
      };
  // A place whose storage nodes' share of the ring reaches the pieces of a partition that lose
  // its objects (every replica, or more fragments than the parity) may hold them: those pieces
  // and the Swift zones of its nodes.
  const swiftLayout = swift && swiftRingLayout(swift);
  // The backups' ring: the policy of cinder-backup's containers, else the default one.
  const backupPolicy = swift?.policies.find(
    (p) => p.name === model.deploy.cinder.backup?.storagePolicy,
  );
  const backupRing = backupPolicy ?? swift?.policies.find((p) => p.default) ?? swift?.policies[0];
  // Backups in the cloud's own storage are lost with the volumes where the place takes both:
  // Ceph's backups pool is kept as its volumes are; Swift's by their policy's ring (the default
  // one without policies) and the container rings, without which no backup is found.
  const backupsLostIn = (inPlace: (node: string) => boolean, volumesLostHere: boolean) =>
    volumesLostHere &&
    (backup === "ceph" ||
      (backup === "swift" &&
        swiftLayout !== undefined &&
        ringLostWithPlace(
          { ...swiftLayout, policies: backupRing ? [ringProtectionOf(backupRing)] : [] },
          inPlace,
        ) !== undefined));
  const localVolumeHosts = localBackends.flatMap((b) => b.hosts);
  const localVolumesIn = (inPlace: (node: string) => boolean) => localVolumeHosts.some(inPlace);
  const objectsIn = (inPlace: (node: string) => boolean) => {
    const loss = swiftLayout && ringLostWithPlace(swiftLayout, inPlace);
    return swiftLayout && loss !== undefined
      ? {
          swiftZones: zonesOfPlace(swiftLayout, inPlace).length,
          copies: loss.lost,
          pieces: loss.of,
          ec: loss.parity === undefined ? 0 : 1,
          dbs: loss.containers ? 1 : 0,
          // Some partitions' pieces, every partition's, or every partition of some policies'.
          swiftLoss: loss.every
            ? `${loss.policies ? "policies" : "every"}${loss.mixed ? "-mixed" : ""}`
            : "some",
          ...(loss.policies ? { policies: loss.policies, policyCount: loss.policies.length } : {}),
        }
      : undefined;
  };
  // The places of a kind whose loss loses Swift objects: those losing them as the first does
  // (the same pieces of the same ring, over as many Swift zones) named together, as a list.
  const objectsLostAt = (names: readonly string[], of: (node: string) => string | undefined) => {
    const lost = names.flatMap((name) => {
      const loss = objectsIn((n) => of(n) === name);
      return loss ? [{ name, loss }] : [];
    });
    const first = lost[0];
    if (!first) return undefined;
    const alike = lost.filter((l) => JSON.stringify(l.loss) === JSON.stringify(first.loss));
    return { names: alike.map((l) => l.name), count: alike.length, loss: first.loss };
  };
  if (racks.length > 1) {
    // A rack stands at one site: by rack or site, it holds one copy of a placement group at most.
    const cephByRack = ceph !== undefined && ceph.failureDomain !== "host";
    const controllersPerRack = Math.max(
      0,
      ...racks.map((r) => r.nodes.filter((n) => n.role === "controller" && !n.virtual).length),
    );
    const quorumHolds = controllersPerRack <= quorumSlack;
    // A pool with more hosts in one rack than it keeps spare runs short after that rack fails.
    const short = model.pools
      .filter((p) => {
        const perRack = new Map<string | undefined, number>();
        for (const h of p.hostnames)
          perRack.set(rackOf.get(h), (perRack.get(rackOf.get(h)) ?? 0) + 1);
        return Math.max(0, ...perRack.values()) > p.capacity.spareHosts;
      })
      .map((p) => p.id);
    // Under the host failure domain a rack of h OSD hosts holds up to h copies of some placement
    // group: past the I/O slack it stops I/O, with all of them (m + 1 chunks) it loses data.
    const mostInRack = (names: readonly string[]) =>
      Math.max(0, ...racks.map((r) => names.filter((n) => rackOf.get(n) === r.name).length));
    const cephHostsInRack = ceph && !cephByRack ? mostInRack(ceph.nodes) : 0;
    const monitorsHold =
      !ceph || mostInRack(ceph.monitors) <= quorumTolerance(ceph.monitors.length);
    // A rack holding every host of some router (core/neutron routerHosts) stops that router.
    const agentsHold = mostInRack(routerHostNames) < routersOn;
    const survives =
      (!ceph || cephByRack || cephHostsInRack <= ioSlack(ceph.protection, ceph.nodes.length)) &&
      monitorsHold &&
      agentsHold &&
      quorumHolds;
    const rackLoss = objectsLostAt(
      racks.map((r) => r.name),
      (n) => rackOf.get(n),
    );
    const objectsRack = rackLoss && {
      ...rackLoss.loss,
      place: rackLoss.names,
      placeCount: rackLoss.count,
    };
    // Each rack's volumes lost with it: on its LVM or ZFS hosts, or every copy of some of Ceph's
    // placement groups under the host failure domain.
    const rackVolumes = racks.map((r) => {
      const inRack = (n: string) => rackOf.get(n) === r.name;
      return {
        inRack,
        local: localVolumesIn(inRack),
        ceph:
          ceph !== undefined &&
          !cephByRack &&
          ceph.nodes.filter(inRack).length >= lostWith(ceph.protection, ceph.nodes.length),
      };
    });
    // Without Ceph the copies that matter are Swift's, one per Swift zone; without either, no
    // data is copied to another rack.
    // (copies spread by site are outside the lost rack too: said of the rack)
    const domain =
      ceph?.failureDomain === "datacenter"
        ? "rack"
        : (ceph?.failureDomain ?? (swift ? "swift-zone" : undefined));
    out.push({
      scenario: "rack",
      outcome: !survives
        ? "degraded"
        : objectsRack
          ? "objects-lost"
          : `${short.length ? "survives-short" : "survives"}${domain ? "" : "-local"}`,
      params: {
        racks: racks.length,
        ...(domain ? { domain } : {}),
        // (an erasure-coded cluster keeps chunks, not copies)
        ec: ceph?.protection.kind === "erasure-coded" ? 1 : 0,
        pools: short,
        poolCount: short.length,
        ...(objectsRack ?? {}),
      },
      dataLoss: rackVolumes.some((r) => backupsLostIn(r.inRack, r.local || r.ceph))
        ? "not-off-site"
        : objectsRack || rackVolumes.some((r) => r.local || r.ceph)
          ? "since-last-backup"
          : sharedDisks
            ? "none"
            : "instance-disks",
      ...caveat,
    });
  }
  if (model.zones.length > 1) {
    const zoneOf = nodeZones(model.nodes, model.zones);
    const count = (names: readonly string[], zone: string) =>
      names.filter((n) => zoneOf(n) === zone).length;
    const cephSlack = ceph ? ioSlack(ceph.protection, ceph.nodes.length) : Infinity;
    const cephDomainsIn = (zone: string) =>
      new Set((ceph?.nodes ?? []).filter((n) => zoneOf(n) === zone).map(cephDomainOf)).size;
    const cephLostIn = (zone: string) =>
      ceph !== undefined && cephDomainsIn(zone) >= lostWith(ceph.protection, ceph.nodes.length);
    const quorumZone = model.zones.find(
      (z) => count(model.controlPlane.controllers, z.name) > quorumSlack,
    );
    // Zones whose loss stops Ceph's I/O or holds every host of some router.
    const storageZones = model.zones.filter(
      (z) =>
        (ceph &&
          (cephDomainsIn(z.name) > cephSlack ||
            count(ceph.monitors, z.name) > quorumTolerance(ceph.monitors.length))) ||
        count(routerHostNames, z.name) >= routersOn,
    );
    const storageZone = storageZones[0];
    const zoneLoss = objectsLostAt(
      model.zones.map((z) => z.name),
      zoneOf,
    );
    const objectsZone = zoneLoss && {
      ...zoneLoss.loss,
      objectsZone: zoneLoss.names,
      objectsZoneCount: zoneLoss.count,
    };
    const zone = (quorumZone ?? storageZone)?.name ?? objectsZone?.objectsZone ?? "";
    out.push({
      scenario: "zone",
      // A zone that stops the cloud may also hold every copy of some Swift objects.
      // The quorum's zone is named first; zones stopping Ceph's I/O are named after it.
      outcome:
        quorumZone || storageZone
          ? `${quorumZone ? "zone-quorum" : "zone-storage"}${quorumZone && storageZone ? "-storage" : ""}${objectsZone ? "-objects-lost" : ""}`
          : objectsZone
            ? "zone-objects-lost"
            : "zone-capacity",
      params: {
        zones: model.zones.length,
        zone,
        controllers: quorumZone ? count(model.controlPlane.controllers, quorumZone.name) : 0,
        total: controllers,
        ...(storageZone
          ? {
              storageZones: storageZones.map((z) => z.name),
              storageZoneCount: storageZones.length,
            }
          : {}),
        ...(objectsZone ?? {}),
      },
      // A zone holding as many failure domains as copies whose loss loses data may hold all of
      // some placement group's, and of the backups' where they are kept alike.
      dataLoss: model.zones.some((z) => {
        const inZone = (n: string) => zoneOf(n) === z.name;
        return backupsLostIn(inZone, localVolumesIn(inZone) || cephLostIn(z.name));
      })
        ? "not-off-site"
        : objectsZone ||
            model.zones.some(
              (z) => cephLostIn(z.name) || localVolumesIn((n) => zoneOf(n) === z.name),
            )
          ? "since-last-backup"
          : sharedDisks
            ? "none"
            : "instance-disks",
      ...caveat,
    });
  }
  // Sites of one cloud hold no copies of each other: whatever ran at a lost one is rebuilt. A
  // site holding a majority of the controllers stops the whole cloud with it.
  const sites = Math.max(1, model.sites.length);
  const atSite = (names: readonly string[], site: string) =>
    names.filter((n) => siteOf.get(n) === site);
  const controllersAt = (site: string) => atSite(model.controlPlane.controllers, site).length;
  const majority = controllerQuorumSite(model.nodes)?.site;
  const quorumSite = sites > 1 ? model.sites.find((s) => s.name === majority) : undefined;
  // Ceph's rules spread copies by rack or host unless by site: a site holding more of its failure
  // domains than a placement group can lose, or a majority of its monitors, stops its I/O
  // everywhere. Every such site is named, beside the one holding the controllers' majority.
  const storageSites =
    sites > 1 && ceph
      ? model.sites.filter((s) => {
          const domains = new Set(atSite(ceph.nodes, s.name).map(cephDomainOf)).size;
          return (
            domains > ioSlack(ceph.protection, ceph.nodes.length) ||
            atSite(ceph.monitors, s.name).length > quorumTolerance(ceph.monitors.length)
          );
        })
      : [];
  const stopping = `${quorumSite ? "quorum-" : ""}${storageSites.length ? "storage-" : ""}`;
  // Swift backups survive a site where its ring regions are the sites and none weighs enough for
  // every replica of an object (the ring builder keeps a replica in each region then).
  const regionSites = new Map<number, Set<string | undefined>>();
  for (const z of swift?.nodeZones ?? [])
    regionSites.set(z.region, (regionSites.get(z.region) ?? new Set()).add(siteOf.get(z.node)));
  const regionsAreSites =
    swift !== undefined &&
    swift.regions > 1 &&
    [...regionSites.values()].every((s) => s.size === 1 && !s.has(undefined)) &&
    new Set([...regionSites.values()].map((s) => [...s][0])).size === regionSites.size;
  const swiftBySite =
    backup === "swift" &&
    swift !== undefined &&
    regionsAreSites &&
    !heavyRegion({
      ...swiftRingLayout(swift),
      policies: backupRing ? [ringProtectionOf(backupRing)] : [],
    });
  // A site whose storage nodes may hold the pieces that lose some objects, whatever the regions.
  const siteLoss =
    sites > 1
      ? objectsLostAt(
          model.sites.map((s) => s.name),
          (n) => siteOf.get(n),
        )
      : undefined;
  const objectsSite = siteLoss && {
    ...siteLoss.loss,
    objectsSite: siteLoss.names,
    objectsSiteCount: siteLoss.count,
  };
  // Backups go to this cloud's own object store: one site loses them with everything else.
  out.push(
    sites > 1
      ? {
          scenario: "one-of-sites",
          outcome: `site-${stopping}${backup ? `rebuild-from-backup${swiftBySite ? "-regions" : backup === "ceph" ? "-ceph" : ""}` : "rebuild-no-backup"}`,
          params: {
            sites,
            // (the store by its name: Ceph, Swift)
            backup: backup ? `${backup[0].toUpperCase()}${backup.slice(1)}` : "",
            ...(quorumSite
              ? {
                  site: quorumSite.name,
                  controllers: controllersAt(quorumSite.name),
                  total: controllers,
                }
              : {}),
            ...(storageSites.length
              ? {
                  storageSites: storageSites.map((s) => s.name),
                  storageSiteCount: storageSites.length,
                }
              : {}),
            ...(objectsSite ?? {}),
            ...(ceph?.sitesLosingData
              ? {
                  cephLostSites: ceph.sitesLosingData,
                  cephLostSiteCount: ceph.sitesLosingData.length,
                  cephEc: ceph.protection.kind === "erasure-coded" ? 1 : 0,
                }
              : {}),
            // How the backups' ring keeps them, and whether its regions are the sites.
            ...(backup === "swift" && swift
              ? {
                  backupEc: backupRing?.erasureCoding ? 1 : 0,
                  regionsSites: regionsAreSites ? 1 : 0,
                }
              : {}),
          },
          ...(ceph?.sitesLosingData ? { cephLost: true as const } : {}),
          ...(objectsSite ? { objectsLost: true as const } : {}),
          // (Ceph's backups share the volumes' cluster, and Swift's may hold a backup's every copy,
          // or more fragments than its parity, at the site unless its regions are the sites)
          dataLoss: swiftBySite ? "since-last-backup" : "not-off-site",
          ...caveat,
          ...(quorumSite || storageSites.length
            ? {
                stoppingSites: [
                  ...new Set(
                    [...(quorumSite ? [quorumSite] : []), ...storageSites].map((s) => s.name),
                  ),
                ],
              }
            : {}),
        }
      : {
          scenario: "site",
          outcome: backup ? "rebuild-backups-on-site" : "rebuild-no-backup",
          // (the store by its name: Ceph, Swift)
          params: { sites, backup: backup ? `${backup[0].toUpperCase()}${backup.slice(1)}` : "" },
          dataLoss: "not-off-site",
        },
  );
  // Without a backup service there is no backup to lose changes since.
  return backup
    ? out
    : out.map((r) =>
        r.dataLoss === "since-last-backup" ? { ...r, dataLoss: "not-backed-up" } : r,
      );
}

export function alternativeModels(
  model: Pick<Model, "network" | "legacyUnix" | "storage" | "deploy">,
): AlternativeModel[] {
  // OVN has no GRE, and carries Neutron's VXLAN networks in its chassis' Geneve tunnels.
  const ovn = model.deploy.neutron.mechanism === "ovn";
  const chosen = model.network.tenantNetworkType;
  const out: AlternativeModel[] = [
    {
      decision: "tenant-network",
      options: ovn ? ["vlan", "vxlan-ovn", "geneve"] : ["vlan", "vxlan", "gre", "geneve"],
      chosen: ovn && chosen === "vxlan" ? "vxlan-ovn" : chosen,
    },
  ];
  if (model.legacyUnix) {
    out.push({
      decision: "legacy-bridge",
      options: ["provider-vlan", "overlay-gateway", "physical-gateway"],
      chosen: "provider-vlan",
    });
  }
  const ceph = model.storage.ceph;
  if (ceph) {
    out.push({
      decision: "ceph-protection",
      options: ["replicated", "erasure-coded"],
      chosen: ceph.protection.kind,
    });
  }
  return out;
}

/** The catalog's mitigation of a row that tolerates no failure: more nodes help only some. */
function spofMitigation(kind: string): string {
  if (kind === "compute-pool-unspared") return "spof-spare";
  if (kind === "images-file") return "spof-images";
  if (kind === "metrics-file") return "spof-metrics";
  // (not a shared backend's: its volumes outlive the host serving them)
  if (kind.startsWith("block-storage-") && !kind.endsWith("-shared")) return "spof-volumes";
  return "spof";
}

export function riskModels(
  model: Pick<Model, "ha" | "sites">,
  headroom: HeadroomModel,
  recovery: readonly RecoveryScenario[],
): RiskModel[] {
  // Several sites, and one whose loss stops the whole cloud or its block storage.
  const stopping = recovery.find((r) => r.scenario === "one-of-sites")?.stoppingSites ?? [];
  return [
    ...model.ha
      .filter((r) => r.failuresTolerated === 0)
      .map((r) => ({
        kind: "spof" as const,
        params: { row: r.kind, ...r.params, mitigation: spofMitigation(r.kind) },
      })),
    ...headroom.pools
      .filter((p) => p.vcpuHeadroom < 0 || p.ramHeadroom < 0)
      .map((p): RiskModel =>
        p.overcommit
          ? {
              kind: "quota-overcommit",
              params: { pool: p.pool, factor: String(p.overcommit.factor) },
            }
          : { kind: "quota", params: { pool: p.pool } },
      ),
    // Thin volumes (and backups in Ceph) may pass what Ceph holds before nearfull: warned, and
    // a risk the design runs.
    ...(headroom.blockStorage &&
    [headroom.blockStorage, ...(headroom.blockStorage.classes ?? [])].some((b) => b.headroom < 0)
      ? [{ kind: "block-quota" as const, params: {} }]
      : []),
    ...(model.sites.length <= 1 ? [{ kind: "site" as const, params: {} }] : []),
    ...(stopping.length
      ? [
          {
            kind: "site-stops" as const,
            params: { sites: stopping, siteCount: stopping.length },
          },
        ]
      : []),
    // One cloud over several sites: each network is one segment across them.
    ...(model.sites.length > 1
      ? [
          {
            kind: "sites-stretched" as const,
            params: { sites: model.sites.map((s) => s.name) },
          },
        ]
      : []),
  ];
}

/** Every fact above, from the resolved rest of the model. */
export function designFacts(
  model: Omit<Model, keyof DesignFacts>,
  blockStorage: HeadroomModel["blockStorage"],
): DesignFacts {
  const racks = rackModels(model);
  const headroom = headroomModel(model, blockStorage);
  const recovery = recoveryScenarios(model, racks);
  return {
    availability: availabilityModel(model.ha),
    racks,
    headroom,
    risks: riskModels(model, headroom, recovery),
    recovery,
    alternatives: alternativeModels(model),
  };
}

/** The Ceph volume types a tenant may use: the public ones and the private ones it lists. */
const cephTypesOf = (
  t: Pick<TenantModel, "volumeTypes">,
  backends: readonly Pick<VolumeBackendModel, "kind" | "volumeType" | "name" | "public">[],
) =>
  backends
    .filter(
      (b) =>
        b.kind === "ceph" &&
        (b.public || t.volumeTypes.includes(b.volumeType) || t.volumeTypes.includes(b.name)),
    )
    .map((b) => b.volumeType);

/**
 * How much of a tenant's volume quota can reach Ceph: through the Ceph volume types it may use,
 * at most their limits where each has one, else all of it.
 */
export function cephVolumeQuota(
  t: Pick<TenantModel, "quota" | "volumeTypes">,
  backends: readonly Pick<VolumeBackendModel, "kind" | "volumeType" | "name" | "public">[],
): number {
  return quotaOnTypes(t, cephTypesOf(t, backends));
}

/**
 * What a tenant's volumes may take of some volume types: its volume quota, or less where every
 * one of them has a limit of its own (Cinder's -1 is none).
 */
function quotaOnTypes(t: Pick<TenantModel, "quota">, types: readonly string[]): number {
  if (!types.length) return 0;
  const limits = types.map((type) => t.quota.perVolumeType[type]?.gigabytes ?? -1);
  return limits.every((l) => l >= 0)
    ? Math.min(
        t.quota.volumeGiB,
        limits.reduce((a, b) => a + b, 0),
      )
    : t.quota.volumeGiB;
}

/**
 * What instance root disks may take where Nova keeps them in Ceph: each tenant's instance quota
 * times the largest root disk of the flavors it may boot (public ones, and those it lists).
 */
export function instanceDiskQuota(
  tenants: readonly Pick<TenantModel, "quota" | "flavors">[],
  pools: readonly Pick<PoolModel, "flavors">[],
): number {
  const flavors = pools.flatMap((p) => p.flavors);
  return tenants.reduce((sum, t) => {
    const largest = Math.max(
      0,
      ...flavors.filter((f) => f.public || t.flavors.includes(f.name)).map((f) => f.diskGiB),
    );
    return sum + t.quota.instances * largest;
  }, 0);
}

/**
 * Ceph's block capacity before nearfull against the tenants' volume quotas, in all and per
 * device class where several hold volumes.
 */
export function blockHeadroom(
  ceph: CephModel | undefined,
  backends: readonly Pick<
    VolumeBackendModel,
    "kind" | "cephPool" | "volumeType" | "name" | "public"
  >[],
  tenants: readonly Pick<TenantModel, "quota" | "volumeTypes">[],
  services: readonly string[],
  /** cinder-backup keeps its backups in Ceph's backups pool. */
  backupsInCeph = false,
  /** What instance root disks may take of Ceph's vms pool, in GiB. */
  instanceDiskGiB = 0,
): HeadroomModel["blockStorage"] {
  if (!ceph) return undefined;
  // Without Cinder the tenant stacks set no volume quota.
  const cinder = services.includes("cinder");
  const quotaGiB = cinder ? tenants.reduce((s, t) => s + cephVolumeQuota(t, backends), 0) : 0;
  // Each backup counts its volume's size in backup_gigabytes; in Ceph they share its capacity.
  const backupGiB =
    cinder && backupsInCeph ? tenants.reduce((s, t) => s + t.quota.backupGiB, 0) : 0;
  const toGiB = (tb: number) => Math.floor((tb * 1e12) / 2 ** 30);
  // Volume quotas draw on the block part: RADOS Gateway pools hold objects. Class by class.
  const blockOfClass = (c: (typeof ceph.deviceClasses)[number]) => {
    const on = ceph.pools.filter((p) => p.osdClass === c.deviceClass);
    const all = on.reduce((t, p) => t + p.dataShare, 0);
    const block = on.filter((p) => p.application !== "rgw").reduce((t, p) => t + p.dataShare, 0);
    return toGiB(c.usableTB * ceph.nearfullRatio * (all > 0 ? block / all : 1));
  };
  // A volume type's gigabytes limit draws on its backend's class alone; the backups on theirs.
  const backupClass = backupGiB ? cephPoolFor(ceph.pools, "backups")?.osdClass : undefined;
  const vmsClass = instanceDiskGiB ? cephPoolFor(ceph.pools, "vms")?.osdClass : undefined;
  const classes = ceph.deviceClasses.flatMap((c) => {
    const osdClass = (pool?: string) => ceph.pools.find((p) => p.name === pool)?.osdClass;
    const types = backends
      .filter((b) => b.kind === "ceph" && osdClass(b.cephPool) === c.deviceClass)
      .map((b) => b.volumeType);
    if (!types.length && c.deviceClass !== backupClass && c.deviceClass !== vmsClass) return [];
    const usable = blockOfClass(c);
    // What each tenant's volumes may take of the class's types it may use.
    const quota = cinder
      ? tenants.reduce(
          (t, tenant) =>
            t +
            quotaOnTypes(
              tenant,
              cephTypesOf(tenant, backends).filter((type) => types.includes(type)),
            ),
          0,
        )
      : 0;
    const backups = c.deviceClass === backupClass ? backupGiB : 0;
    const disks = c.deviceClass === vmsClass ? instanceDiskGiB : 0;
    return [
      {
        deviceClass: c.deviceClass,
        volumeTypes: types,
        usableGiB: usable,
        quotaGiB: quota,
        ...(backups ? { backupGiB: backups } : {}),
        ...(disks ? { instanceDiskGiB: disks } : {}),
        headroom: share(usable - quota - backups - disks, usable),
      },
    ];
  });
  // What the quotas draw on: the classes they reach, the sum the document's rows add up to (the
  // whole cluster's block part where none is reached).
  const usableGiB = (
    classes.length ? classes : ceph.deviceClasses.map((c) => ({ usableGiB: blockOfClass(c) }))
  ).reduce((t, c) => t + c.usableGiB, 0);
  return {
    usableGiB,
    quotaGiB,
    ...(backupGiB ? { backupGiB } : {}),
    ...(instanceDiskGiB ? { instanceDiskGiB } : {}),
    headroom: share(usableGiB - quotaGiB - backupGiB - instanceDiskGiB, usableGiB),
    // Only where the classes tell apart what the total does not.
    ...(ceph.deviceClasses.length > 1 &&
    classes.some((c) => c.quotaGiB + (c.backupGiB ?? 0) + (c.instanceDiskGiB ?? 0) > 0)
      ? { classes }
      : {}),
  };
}
