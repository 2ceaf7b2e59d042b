import { DEFAULTS } from "./defaults";
import { imageBackend, objectStore, type ImageBackend } from "./object-stores";

/** What a Ceph pool stores. */
export type CephApplication = "volumes" | "images" | "vms" | "backups" | "rgw" | "metrics";

/** The design facts that decide which pools the cloud's services use. */
export interface CephUse {
  readonly backends: readonly { readonly kind: string }[];
  readonly image?: { readonly backend: ImageBackend };
  readonly ceph?: unknown;
  readonly swift?: unknown;
  readonly ephemeral: string;
  readonly backup?: unknown;
}

/** What the cloud's services keep in Ceph when the design puts it there. */
export type CephUseKind = "volumes" | "images" | "vms" | "rgw";

/** The spec setting that puts each use in Ceph. */
export const CEPH_USES: Readonly<Record<CephUseKind, string>> = {
  volumes: "a Ceph volume backend (storage.backends)",
  images: "Glance's image store (storage.image)",
  vms: "instance disks on Ceph (storage.ephemeral)",
  rgw: "object storage on Ceph's RADOS Gateways (the swift service without storage.swift)",
};

export const isCephUse = (application: string): application is CephUseKind =>
  Object.hasOwn(CEPH_USES, application);

/**
 * The applications a deployed service keeps in Ceph: Cinder's volumes (a Ceph backend), Glance's
 * images, Nova's instance disks (ephemeral on Ceph), the RADOS Gateways' objects. Backups go to Ceph only when the design
 * sends them nowhere else, and a pool for them is optional: without one Cinder runs no backup
 * service.
 */
export function cephApplicationsUsed(
  storage: CephUse,
  services: readonly string[],
): Set<CephUseKind> {
  const used = new Set<CephUseKind>();
  if (services.includes("cinder") && storage.backends.some((b) => b.kind === "ceph"))
    used.add("volumes");
  if (services.includes("glance") && imageBackend(storage) === "ceph") used.add("images");
  if (services.includes("nova") && storage.ephemeral === "ceph") used.add("vms");
  if (objectStore(storage, services) === "rgw") used.add("rgw");
  return used;
}

/** Relative shares of the data in the default pools, before scaling to what the design uses. */
const DEFAULT_POOLS: readonly { readonly application: CephApplication; readonly weight: number }[] =
  [
    { application: "volumes", weight: 0.5 },
    { application: "images", weight: 0.1 },
    { application: "vms", weight: 0.3 },
    { application: "backups", weight: 0.1 },
    { application: "rgw", weight: 0.2 },
  ];

/**
 * What the design's pools keep: what its services keep in Ceph, and the backups when Cinder keeps
 * volumes there and the design sends backups nowhere else (without a pool for them, Cinder runs
 * no backup service). Kolla-Ansible gives cinder-backup Ceph's configuration and keyrings only
 * with a Ceph volume backend (cinder_backend_ceph), so without one no backup goes to Ceph.
 */
export function cephPoolApplications(
  storage: CephUse,
  services: readonly string[],
): Set<CephApplication> {
  const used = new Set<CephApplication>(cephApplicationsUsed(storage, services));
  if (!storage.backup && used.has("volumes")) used.add("backups");
  return used;
}

/**
 * The pools of a design that declares none: one per application its services use, named after
 * it (Kolla's pool name defaults), plus backups when Cinder runs and the design sends backups
 * nowhere else; shares scaled to add up to 1 for placement-group guidance.
 */
export function defaultCephPools(
  storage: CephUse,
  services: readonly string[],
): { name: string; application: CephApplication; dataShare: number }[] {
  const used = cephPoolApplications(storage, services);
  const pools = DEFAULT_POOLS.filter((p) => used.has(p.application));
  const total = pools.reduce((s, p) => s + p.weight, 0);
  return pools.map((p) => ({
    name: p.application,
    application: p.application,
    dataShare: Math.round((p.weight / total) * 100) / 100,
  }));
}

/**
 * Copies of the pools an erasure-coded cluster keeps replicated (omap keys: RBD's image headers,
 * Gnocchi's metrics): the usual three, or one per OSD host when there are fewer.
 */
export const replicatedPoolSize = (osdHosts: number) =>
  Math.min(DEFAULTS.cephReplicaSize, osdHosts);

/**
 * The erasure-coded pool an RBD pool of an erasure-coded cluster keeps its images' data in (its
 * rbd_default_data_pool).
 */
export const rbdDataPoolName = (pool: string): string => `${pool}-data`;

/** PGs of an RBD metadata pool on erasure-coded Ceph: it holds headers and omap keys only. */
export const RBD_METADATA_PGS = 32;

/** Ceph's osd_pool_default_size. */
export const CEPH_DEFAULT_POOL_SIZE = 3;

/** Ceph's mon_osd_backfillfull_ratio: OSDs this full take no more data in recovery. */
export const CEPH_BACKFILLFULL_RATIO = 0.9;

/** The fewest PGs the design gives a pool (Ceph's osd_pool_default_pg_num). */
export const CEPH_MIN_POOL_PGS = 32;

/**
 * Pools Ceph makes itself on its default rule (every OSD): the manager's `.mgr` of one PG, and
 * the RADOS Gateways' zone pools at osd_pool_default_pg_num (the design places their data pool).
 */
export const CEPH_MGR_POOL_PGS = 1;
export const CEPH_RGW_ZONE_POOLS = [
  ".rgw.root",
  "default.rgw.control",
  "default.rgw.meta",
  "default.rgw.log",
  "default.rgw.buckets.index",
  "default.rgw.buckets.non-ec",
] as const;

/** Ceph's mon_max_pg_per_osd: the monitor refuses a pool that takes an OSD's PG copies past it. */
export const CEPH_MAX_PGS_PER_OSD = 250;

/**
 * How erasure-coded Ceph keeps a pool of an application: RBD pools keep their omap keys (image
 * headers, directory) in a small replicated pool and their data in an erasure-coded pool of their
 * own, Gnocchi's pool stays replicated (it needs omap keys), the gateways' pool is erasure-coded.
 */
export const erasureLayout = (
  application: CephApplication,
): "erasure-coded" | "replicated" | "rbd-data-pool" =>
  application === "rgw"
    ? "erasure-coded"
    : application === "metrics"
      ? "replicated"
      : "rbd-data-pool";

/**
 * The placement groups a pool makes, by how many copies (or chunks) each keeps in distinct
 * failure domains, as the deploy model lays it out: on erasure-coded Ceph by its
 * {@link erasureLayout} (an RBD pool's metadata replicated, its images' data erasure-coded).
 */
export function pgGroups(
  application: CephApplication,
  pgNum: number,
  protection:
    { kind: "replicated"; size: number } | { kind: "erasure-coded"; k: number; m: number },
  osdHosts: number,
): { readonly pgs: number; readonly width: number }[] {
  if (protection.kind === "replicated") return [{ pgs: pgNum, width: protection.size }];
  const chunks = protection.k + protection.m;
  const copies = replicatedPoolSize(osdHosts);
  const layout = erasureLayout(application);
  if (layout === "erasure-coded") return [{ pgs: pgNum, width: chunks }];
  if (layout === "replicated") return [{ pgs: pgNum, width: copies }];
  return [
    { pgs: RBD_METADATA_PGS, width: copies },
    { pgs: pgNum, width: chunks },
  ];
}

/**
 * The pool a service writes: the first pool of the application is Kolla's (ceph_*_pool_name,
 * the cephx caps); a Cinder backend takes the pool naming its device class (the cluster's when it
 * names none), else one holding it by default, so a backend's pool never moves for pools it does
 * not match.
 */
export function cephPoolFor<
  P extends {
    readonly name: string;
    readonly application: string;
    readonly deviceClass?: string;
    readonly osdClass: string;
  },
>(pools: readonly P[], application: CephApplication, deviceClass?: string): P | undefined {
  const of = pools.filter((p) => p.application === application);
  return (
    (deviceClass === undefined
      ? undefined
      : (of.find((p) => p.deviceClass === deviceClass) ??
        of.find((p) => p.osdClass === deviceClass))) ?? of[0]
  );
}

/** The volumes pool a Ceph backend writes: its device class's, the cluster's when it names none. */
export const backendPool = <P extends Parameters<typeof cephPoolFor>[0][number]>(
  ceph: { readonly pools: readonly P[]; readonly deviceClass: string },
  deviceClass: string | undefined,
): P | undefined => cephPoolFor(ceph.pools, "volumes", deviceClass ?? ceph.deviceClass);

/** Kolla's ceph_gnocchi_pool_name default: the pool Ceilometer's metrics get when none is declared. */
export const GNOCCHI_POOL = "gnocchi";

/** Ceph's min_size of an erasure-coded pool: k + min(1, m - 1) (OSDMonitor::prepare_pool_size). */
export const erasureMinSize = (k: number, m: number): number => k + Math.min(1, m - 1);

/**
 * Copies (or chunks) a placement group can lose and still serve I/O: down to the replicated
 * pools' min_size (pools.sh sets it), or Ceph's own for erasure-coded ones. Erasure-coded Ceph
 * keeps replicated pools too (RBD's metadata, Gnocchi's, Ceph's own: `osdHosts` copies, at most
 * 3, min_size one less), whose slack bounds the cluster's.
 */
export function ioSlack(
  protection:
    | { kind: "replicated"; size: number; minSize: number }
    | { kind: "erasure-coded"; k: number; m: number },
  osdHosts: number,
): number {
  if (protection.kind === "replicated") return protection.size - protection.minSize;
  const copies = replicatedPoolSize(osdHosts);
  return Math.min(
    protection.m - (erasureMinSize(protection.k, protection.m) - protection.k),
    copies - Math.max(1, copies - 1),
  );
}

/**
 * Copies (or chunks) of a placement group whose loss loses its data: all replicas, or m + 1
 * chunks, or, beside those, all of the replicated pools' copies.
 */
export function lostWith(
  protection: { kind: "replicated"; size: number } | { kind: "erasure-coded"; m: number },
  osdHosts: number,
): number {
  return protection.kind === "replicated"
    ? protection.size
    : Math.min(protection.m + 1, replicatedPoolSize(osdHosts));
}
