import { type Spec } from "../schema";
import { DEFAULTS } from "../../core/defaults";
import { IRONIC_ROOT_MIN_GB, ironicGiB } from "../../core/ironic";
import { mostOnNode, ringReplicaCounts, swiftPartitionPower } from "../../core/swift-ring";
import { Findings, type Path } from "./findings";
import { metricStore } from "../../core/metric-store";
import { glanceOnOneController, imageBackend } from "../../core/object-stores";
import {
  CEPH_USES,
  cephApplicationsUsed,
  GNOCCHI_POOL,
  isCephUse,
  rbdDataPoolName,
} from "../../core/ceph-pools";
import {
  bandsOverlap,
  rocksDbDisks,
  bootDisks,
  classDisksPerHost,
  classOsdsPerHost,
  osdCandidates,
  rocksDbShare,
  withinBand,
  classDiskBand,
  describesDisk,
  inOsdBand,
  osdDiskBand,
  rotational,
} from "../../core/ceph-disks";

/** Partition powers above this make rings of hundreds of megabytes and more, slow to build. */
const SWIFT_POWER_LARGE = 24;

/** Below it a nearfull ratio is warned: half full is already far under what clusters run at. */
const CEPH_NEARFULL_FLOOR = 0.5;

export function ceph(spec: Spec, f: Findings) {
  const c = spec.storage.ceph;
  // (checked here, with or without Ceph: the rest of a named pool's checks need it)
  spec.storage.backends.forEach((b, i) => {
    if (b.cephPool !== undefined && (b.kind !== "ceph" || !c))
      f.error(
        "ceph-pool-backend",
        ["storage", "backends", i, "cephPool"],
        `backend ${b.name} is ${b.kind}${c ? "" : " in a design without Ceph"}: only a Ceph backend writes a Ceph pool; remove cephPool`,
      );
  });
  if (!c) return;
  // Ceph binds its daemons to one IP version: cephadm turns IPv6 on for either network, and an
  // IPv4 network beside it would leave daemons without an address of that version. Without a
  // storage network the monitors (public network) are on management.
  const nets = spec.network.networks;
  const pub = nets.find((n) => n.role === "storage") ?? nets.find((n) => n.role === "management");
  const i = nets.findIndex((n) => n.role === "storage-replication");
  if (pub && i >= 0 && pub.cidr.includes(":") !== nets[i].cidr.includes(":"))
    f.error(
      "ceph-networks-family",
      ["network", "networks", i, "cidr"],
      `Ceph's cluster network ${nets[i].name} (${nets[i].cidr}) and public network ${pub.name} (${pub.cidr}) are of different IP versions, and Ceph binds its daemons to one; give both the same version`,
    );
  if ("replicated" in c.protection) {
    if (c.nodes < c.protection.replicated) {
      f.error(
        "ceph-replicas",
        ["storage", "ceph", "nodes"],
        `${c.nodes} OSD hosts cannot hold ${c.protection.replicated} replicas on separate hosts; add hosts or lower the replica size`,
      );
    }
  } else {
    const { k, m } = c.protection.erasureCoded;
    if (c.nodes < k + m) {
      f.error(
        "ceph-replicas",
        ["storage", "ceph", "nodes"],
        `${c.nodes} OSD hosts cannot hold erasure-coded chunks k=${k}+m=${m} on separate hosts; add hosts (at least ${k + m})`,
      );
    }
  }
  if ("replicated" in c.protection && c.protection.replicated === 1)
    f.warn(
      "ceph-single-copy",
      ["storage", "ceph", "protection", "replicated"],
      "the pools keep one copy of each object: a failed disk loses its data; keep 2 or more (Ceph's default is 3)",
    );
  // A low nearfull ratio is a typo more often than a plan (0.085 for 0.85): Ceph warns from
  // that fill, and every figure before nearfull shrinks with it.
  if (c.nearfullRatio < CEPH_NEARFULL_FLOOR)
    f.warn(
      "ceph-nearfull-low",
      ["storage", "ceph", "nearfullRatio"],
      `nearfullRatio ${c.nearfullRatio} makes Ceph warn from ${+(c.nearfullRatio * 100).toFixed(2)} % full, and the documents count only that share of its usable capacity; Ceph's default is ${DEFAULTS.cephNearfullRatio} (0.75 to 0.85 is usual)`,
    );
  osdDisks(spec, c, f);
  osdClasses(spec, c, f);
  backendPools(spec, c, f);
  if (!c.pools) return;
  // A declared list replaces the defaults: it must hold a pool for each use of Ceph, and a pool
  // nobody writes to only takes placement groups.
  const used = cephApplicationsUsed(spec.storage, spec.controlPlane.services);
  for (const application of used)
    if (!c.pools.some((p) => p.application === application))
      f.error(
        "ceph-pool-missing",
        ["storage", "ceph", "pools"],
        `no pool has application ${application}, which ${CEPH_USES[application]} needs; add one or remove pools to take the defaults`,
      );
  // Without a metrics pool of its own, Ceilometer's measures get Kolla's default pool.
  if (
    spec.controlPlane.services.includes("ceilometer") &&
    !c.pools.some((p) => p.application === "metrics")
  ) {
    const taken = c.pools.findIndex((p) => p.name === GNOCCHI_POOL);
    if (taken >= 0)
      f.error(
        "name-reserved",
        ["storage", "ceph", "pools", taken, "name"],
        `pool ${GNOCCHI_POOL} is the pool Gnocchi gets for Ceilometer's measures when no pool has application metrics; rename it, or give it application metrics`,
      );
  }
  // Under erasure coding an RBD pool keeps its images' data in a pool of its own (pools.sh).
  if ("erasureCoded" in c.protection) {
    const pools = c.pools;
    for (const p of pools) {
      const data = rbdDataPoolName(p.name);
      const taken = pools.findIndex((q) => q.name === data);
      // Gnocchi's and the gateways' pools have none.
      if (taken >= 0 && p.application !== "metrics" && p.application !== "rgw")
        f.error(
          "name-reserved",
          ["storage", "ceph", "pools", taken, "name"],
          `pool ${data} is the erasure-coded data pool of pool ${p.name} (pools.sh makes it); rename it`,
        );
    }
  }
  const backupsTo = spec.storage.backup?.service;
  c.pools.forEach((p, i) => {
    const at = ["storage", "ceph", "pools", i, "application"];
    // Kolla registers RADOS Gateway as Keystone's object-store service, as the Swift proxies
    // are: cinder-backup and Glance take the first of the two.
    if (p.application === "rgw" && spec.storage.swift)
      f.error(
        "rgw-beside-swift",
        at,
        `pool ${p.name} is for RADOS Gateway, which Kolla would register as the object-store service beside Swift's proxies: services take whichever comes first; keep Swift (remove the pool) or the gateway (remove storage.swift)`,
      );
    else if (p.application === "rgw" && !used.has("rgw"))
      f.warn(
        "ceph-pool-unused",
        at,
        `pool ${p.name} is for RADOS Gateway, which runs only as the object store (the swift service without storage.swift); add swift to controlPlane.services or remove the pool`,
      );
    else if (p.application === "backups" && backupsTo !== undefined)
      f.warn(
        "ceph-pool-unused",
        at,
        `pool ${p.name} is for Cinder backups, but backups go to ${backupsTo} (storage.backup); remove the pool`,
      );
    else if (p.application === "backups" && !used.has("volumes"))
      f.warn(
        "ceph-pool-unused",
        at,
        `pool ${p.name} is for Cinder backups, but no Ceph backend keeps volumes, and Kolla-Ansible gives cinder-backup Ceph's configuration only with one (cinder_backend_ceph): Cinder runs no backup service; add a Ceph backend to storage.backends, send backups to swift (storage.backup), or remove the pool`,
      );
    else if (isCephUse(p.application) && !used.has(p.application))
      f.warn(
        "ceph-pool-unused",
        at,
        `pool ${p.name} is for ${p.application}, but the design keeps no ${p.application} in Ceph; remove the pool or point ${CEPH_USES[p.application]} at Ceph`,
      );
  });
}

/**
 * Pools and backends on another device class get OSDs of the profile's disks of that kind, made
 * by an OSD spec of their own (deploy/ceph/cluster.yaml). cephadm tells disks apart by spin and
 * size only: two classes of solid-state disks of about one size would be taken by both specs.
 */
/**
 * A Ceph backend naming a device class writes a volumes pool of that class; with none, it would
 * write Kolla's pool of another class, and its volume type would not be what it says.
 */
function backendPools(spec: Spec, c: NonNullable<Spec["storage"]["ceph"]>, f: Findings) {
  // Without a pool list, Ceph gets the default pools, which take the cluster's class.
  const volumeClasses = new Set(
    c.pools
      ? c.pools
          .filter((p) => p.application === "volumes")
          .map((p) => p.deviceClass ?? c.deviceClass)
      : [c.deviceClass],
  );
  spec.storage.backends.forEach((b, i) => {
    if (b.cephPool !== undefined) {
      // A pool named: a volumes pool the design declares, on the class the backend says.
      const pool = c.pools?.find((p) => p.name === b.cephPool);
      const path = ["storage", "backends", i, "cephPool"];
      if (b.kind !== "ceph") return;
      if (!pool || pool.application !== "volumes")
        f.error(
          "ceph-pool-backend",
          path,
          `backend ${b.name} names pool ${b.cephPool}, which is no volumes pool of storage.ceph.pools (${
            (c.pools ?? [])
              .filter((p) => p.application === "volumes")
              .map((p) => p.name)
              .join(", ") || "none declared"
          }); declare it with application: volumes`,
        );
      else if (b.deviceClass && (pool.deviceClass ?? c.deviceClass) !== b.deviceClass)
        f.error(
          "ceph-pool-backend",
          path,
          `backend ${b.name} asks for ${b.deviceClass}, but pool ${pool.name} keeps its data on ${pool.deviceClass ?? c.deviceClass} OSDs: its volume type would not be what it says; name a ${b.deviceClass} pool, or give the pool deviceClass: ${b.deviceClass}`,
        );
      return;
    }
    if (b.kind !== "ceph" || !b.deviceClass || volumeClasses.has(b.deviceClass)) return;
    f.error(
      "ceph-backend-pool-missing",
      ["storage", "backends", i, "deviceClass"],
      `backend ${b.name} asks for ${b.deviceClass}, but no volumes pool keeps its data on ${b.deviceClass} OSDs (${[...volumeClasses].join(", ") || "none"}): its volumes would go to another class's pool; add a volumes pool with deviceClass: ${b.deviceClass} to storage.ceph.pools`,
    );
  });
}

function osdClasses(spec: Spec, c: NonNullable<Spec["storage"]["ceph"]>, f: Findings) {
  const disks = spec.hardware.find((h) => h.name === c.hardware)?.disks ?? [];
  if (!disks.length) return;
  const asked: { deviceClass: string; path: Path; what: string }[] = [
    ...(c.pools ?? []).flatMap((p, i) =>
      p.deviceClass
        ? [
            {
              deviceClass: p.deviceClass,
              path: ["storage", "ceph", "pools", i, "deviceClass"],
              what: `pool ${p.name}`,
            },
          ]
        : [],
    ),
    ...spec.storage.backends.flatMap((b, i) =>
      b.kind === "ceph" && b.deviceClass
        ? [
            {
              deviceClass: b.deviceClass,
              path: ["storage", "backends", i, "deviceClass"],
              what: `backend ${b.name}`,
            },
          ]
        : [],
    ),
  ];
  const sizes = (kind: string) =>
    osdCandidates(disks)
      .filter((d) => d.kind === kind)
      .map((d) => d.sizeGB);
  const bands = new Map<string, { minGB: number; maxGB: number }>([
    [c.deviceClass, osdDiskBand(c.osdSizeTB)],
  ]);
  for (const a of asked) {
    if (bands.has(a.deviceClass)) continue;
    if (!sizes(a.deviceClass).length) {
      f.warn(
        "ceph-device-class-missing",
        a.path,
        `${a.what} asks for ${a.deviceClass} OSDs, but hardware profile ${c.hardware} lists no ${a.deviceClass} disks: its data goes to the ${c.deviceClass} OSDs; add the disks or remove deviceClass`,
      );
      continue;
    }
    const band = classDiskBand(sizes(a.deviceClass));
    const alike = [...bands].find(
      ([other, b]) => rotational(other) === rotational(a.deviceClass) && bandsOverlap(band, b),
    );
    if (alike)
      f.error(
        "ceph-device-classes-alike",
        a.path,
        `${a.what} asks for ${a.deviceClass} OSDs, but cephadm tells disks apart only by spin and size: hardware profile ${c.hardware}'s ${a.deviceClass} disks (${sizes(a.deviceClass).join(", ")} GB) are about the size of its ${alike[0]} OSD disks, and both OSD specs would take both; use ${a.deviceClass} disks of another size or one device class`,
      );
    bands.set(a.deviceClass, band);
  }
  const at = ["storage", "ceph", "hardware"];
  const listed = (ds: readonly { kind: string; sizeGB: number }[]) =>
    ds.map((d) => `${d.kind} ${d.sizeGB} GB`).join(", ");
  // cephadm tells disks apart by spin and size only: a class's OSD spec takes every free disk of
  // its band, whatever its kind (the cluster's own class is counted by ceph-osd-disks).
  for (const [kind, band] of bands) {
    const foreign = disks.filter(
      (d) =>
        rotational(d.kind) === rotational(kind) &&
        withinBand(d.sizeGB, band) &&
        // (a disk marked for RocksDB is never an OSD's; the system's is in use, cephadm skips it)
        (d.use === "rocksdb" || (d.use === undefined && d.kind !== kind && kind !== c.deviceClass)),
    );
    if (foreign.length)
      f.error(
        "ceph-db-disks-alike",
        at,
        `hardware profile ${c.hardware}'s ${listed(foreign)} disks are about the size of its ${kind} OSD disks, and cephadm tells disks apart only by spin and size: the ${kind} OSD spec would make them OSDs too, which the capacity does not count; use disks of another size (for RocksDB, say), or list them as ${kind}`,
      );
  }
  // The deploy model leaves db_devices out where its filter would take OSD disks too.
  const rocksDb = rocksDbDisks(disks, bands);
  if (rocksDb && "alike" in rocksDb)
    f.error(
      "ceph-db-disks-alike",
      at,
      `hardware profile ${c.hardware}'s RocksDB disks (${listed(rocksDb.disks)}) are about the size of its ${rocksDb.alike} OSD disks, and cephadm tells disks apart only by spin and size: the spinning OSDs' db_devices filter would take ${rocksDb.alike} OSD disks too; use disks of another size for the RocksDB, or make them ${rocksDb.alike} OSDs`,
    );
  else if (rocksDb) {
    // The spinning OSDs share the RocksDB disks; Ceph sizes block.db at 1-2 % of the OSD for RBD,
    // below which RocksDB spills onto the spinning disk.
    const spinning = [...bands.keys()].filter(rotational);
    // As the model counts them: the cluster's own, and the disks other classes' specs take.
    const osds = spinning.reduce(
      (n, k) => n + (k === c.deviceClass ? c.osdsPerNode : classOsdsPerHost(disks, k)),
      0,
    );
    const share = rocksDbShare(rocksDb, osds);
    const osdGB = Math.max(
      ...spinning.map((k) => {
        const other = classDisksPerHost(disks, k);
        return k === c.deviceClass ? c.osdSizeTB * 1000 : (other.tb * 1000) / other.osds;
      }),
    );
    if (osds > 0 && share.perOsdGB < osdGB * 0.01)
      f.warn(
        "ceph-db-small",
        at,
        `the ${osds} spinning OSDs of each host share ${share.disks.map((d) => `${d.count} x ${d.kind} ${d.sizeGB} GB`).join(", ")} for RocksDB: ${share.perOsdGB} GB each, under 1 % of a ${osdGB / 1000} TB OSD, where Ceph sizes block.db at 1 to 2 % for RBD (below, RocksDB spills onto the spinning disk); give the hosts larger or more RocksDB disks${rocksDb.guessed ? ", or mark the ones meant for it use: rocksdb" : ""}`,
      );
    // Taken for want of a mark: the largest of the solid-state disks no OSD takes.
    const left = disks.filter(
      (d) =>
        !rotational(d.kind) &&
        d.use === undefined &&
        !rocksDb.disks.includes(d) &&
        ![...bands.values()].some((b) => withinBand(d.sizeGB, b)),
    );
    if (rocksDb.guessed)
      f.warn(
        "ceph-db-disks-guessed",
        at,
        `hardware profile ${c.hardware}'s solid-state disks no OSD takes come in several sizes: the spinning OSDs keep their RocksDB on the largest (${listed(rocksDb.disks)}) and the others (${listed(left)}) are left to the system; mark them use: rocksdb and use: system to say which are which`,
      );
    if (rocksDb.sharesSystem)
      f.warn(
        "ceph-db-system-disk",
        at,
        `every disk of hardware profile ${c.hardware} beside the OSDs' is in the RocksDB filter (${listed(rocksDb.disks)}), so the system is on one of them, which cephadm skips: the spinning OSDs get one RocksDB disk fewer; mark the boot disk use: system, or list a boot disk of another size`,
      );
  }
  // The system takes a disk cephadm then skips. On a RocksDB disk that costs a DB device, not
  // capacity; only a host whose every disk is an OSD's runs one OSD fewer than counted.
  const boot = bootDisks(disks, bands);
  if (!boot.length)
    f.warn(
      "ceph-boot-disk-missing",
      ["storage", "ceph", "hardware"],
      `hardware profile ${c.hardware} lists no disk for the operating system beside its OSD disks (${disks.map((d) => `${d.kind} ${d.sizeGB} GB`).join(", ")}): cephadm skips the disk the system is installed on, so unless the hosts boot from a device beyond these, every Ceph host runs one OSD fewer than the design counts; list the boot disk, of another size than the OSD disks (an M.2 or SATADOM boot device counts), which the proposal then prices too`,
    );
  // Without a root device hint Ironic's agent installs onto the smallest disk of 4 GiB or more:
  // where that is an OSD or RocksDB disk while the profile lists a disk that is neither, the
  // nodes need a hint naming that one.
  const dbBand = rocksDb && "band" in rocksDb ? rocksDb.band : undefined;
  const marked = disks.filter((d) => d.use === "system");
  const systemDisks = marked.length
    ? marked
    : boot.filter((d) => !dbBand || rotational(d.kind) || !withinBand(d.sizeGB, dbBand));
  // (a disk as small as the boot disk is as likely a pick: Ironic orders equals by device)
  const rootSize = Math.min(...systemDisks.map((d) => d.sizeGB));
  const smallest = disks
    .filter(
      (d) => d.sizeGB >= IRONIC_ROOT_MIN_GB && !systemDisks.includes(d) && d.sizeGB <= rootSize,
    )
    .sort((a, b) => a.sizeGB - b.sizeGB)[0];
  if (systemDisks.length && spec.cloud.undercloud && smallest) {
    const tie = smallest.sizeGB === rootSize;
    const role =
      smallest.use === "rocksdb" ||
      (dbBand && !rotational(smallest.kind) && withinBand(smallest.sizeGB, dbBand))
        ? "a RocksDB disk"
        : !boot.includes(smallest)
          ? "an OSD disk"
          : "not the one for the system";
    const gib = ironicGiB(systemDisks[0].sizeGB);
    f.warn(
      "ceph-boot-disk-hint",
      ["storage", "ceph", "hardware"],
      `hardware profile ${c.hardware}'s ${tie ? `disk ${smallest.kind} ${smallest.sizeGB} GB, as small as its boot disk,` : `smallest disk (${smallest.kind} ${smallest.sizeGB} GB)`} is ${role}, and Ironic installs the system onto the smallest disk unless told otherwise: give the Ceph hosts' Ironic nodes a root device hint naming the boot disk (${systemDisks.map((d) => `${d.kind} ${d.sizeGB} GB`).join(", ")}) by its serial or WWN (openstack baremetal node set --property root_device='{"serial": "<serial>"}')${tie ? " (its size names it no better than the others of that size)" : `, or by its size as Ironic reports it, ${gib} GiB for a standard ${systemDisks[0].sizeGB} GB drive ('{"size": ${gib}}')`}`,
    );
  }
}

/**
 * `use: rocksdb` marks solid-state disks for the spinning Ceph OSDs' RocksDB: on a spinning disk,
 * or a profile no spinning OSDs run on, it says what nothing does.
 */
export function diskUses(spec: Spec, f: Findings) {
  const c = spec.storage.ceph;
  const spinning =
    c !== undefined &&
    (rotational(c.deviceClass) ||
      [...(c.pools ?? []), ...spec.storage.backends].some(
        (p) => "deviceClass" in p && p.deviceClass !== undefined && rotational(p.deviceClass),
      ));
  spec.hardware.forEach((h, i) =>
    h.disks.forEach((d, j) => {
      if (d.use !== "rocksdb") return;
      const path = ["hardware", i, "disks", j, "use"];
      if (rotational(d.kind))
        f.error(
          "disk-use-rocksdb",
          path,
          `hardware ${h.name}'s ${d.kind} disks are marked use: rocksdb, but RocksDB goes on solid-state disks beside spinning OSDs (cephadm's db_devices are non-rotational); mark solid-state disks, or remove use`,
        );
      else if (!spinning || c?.hardware !== h.name)
        f.warn(
          "disk-use-unused",
          path,
          `hardware ${h.name}'s ${d.kind} disks are marked use: rocksdb, but no spinning Ceph OSDs run on ${h.name} hosts: nothing keeps RocksDB there; remove use, or make ${h.name} the Ceph hosts' profile`,
        );
    }),
  );
}

/** The profile's disks, or none when it lists none: the bill of materials then prices none. */
function listedDisks(spec: Spec, profile: string, f: Findings, path: Path, counted: string) {
  const hw = spec.hardware.find((h) => h.name === profile);
  if (!hw) return undefined;
  if (hw.disks.length === 0)
    f.warn(
      "storage-disks-unlisted",
      path,
      `hardware profile ${profile} lists no disks: the proposal prices none while the design counts ${counted}; list them in hardware[].disks`,
    );
  return hw.disks.length ? hw.disks : undefined;
}

/**
 * cephadm's OSD spec (deploy/ceph/cluster.yaml) takes every free disk that spins or not as the
 * device class does and whose size is about the OSD size, and the proposal prices the profile's
 * disks: the OSDs the capacity counts must be those disks.
 */
function osdDisks(spec: Spec, c: NonNullable<Spec["storage"]["ceph"]>, f: Findings) {
  const disks = listedDisks(
    spec,
    c.hardware,
    f,
    ["storage", "ceph", "hardware"],
    `${c.osdsPerNode} OSDs of ${c.osdSizeTB} TB per host`,
  )?.filter(
    (d) =>
      d.use === undefined &&
      rotational(d.kind) === rotational(c.deviceClass) &&
      inOsdBand(d.sizeGB, c.osdSizeTB),
  );
  if (!disks) return;
  const count = disks.reduce((n, d) => n + d.count, 0);
  const kind = rotational(c.deviceClass) ? "spinning" : "solid-state";
  if (count !== c.osdsPerNode)
    f.error(
      "ceph-osd-disks",
      ["storage", "ceph", count === 0 ? "osdSizeTB" : "osdsPerNode"],
      count === 0
        ? `hardware profile ${c.hardware} has no ${kind} disks of about ${c.osdSizeTB} TB, where the design counts ${c.osdsPerNode} OSDs; make osdSizeTB (and deviceClass) those of the profile's data disks, or change its disks`
        : `hardware profile ${c.hardware} has ${count} ${kind} disks of about ${c.osdSizeTB} TB and cephadm makes an OSD of each, but the design counts ${c.osdsPerNode}; set osdsPerNode to ${count} or change the profile's disks`,
    );
  const sizes = [...new Set(disks.map((d) => d.sizeGB))];
  if (sizes.some((size) => !describesDisk(c.osdSizeTB, size)))
    f.error(
      "ceph-osd-disks",
      ["storage", "ceph", "osdSizeTB"],
      `the OSD disks of hardware profile ${c.hardware} hold ${sizes.join(" and ")} GB, not the ${c.osdSizeTB} TB the capacity counts per OSD; make osdSizeTB their size (${sizes.length === 1 ? `${sizes[0] / 1000} TB` : "one size per profile"})`,
    );
}

export function swift(spec: Spec, f: Findings) {
  const s = spec.storage.swift;
  if (!s) return;
  // The rings address every storage node on the storage network.
  if (!spec.network.networks.some((n) => n.role === "storage"))
    f.error(
      "network-missing",
      ["storage", "swift"],
      "Swift rings address the storage nodes on the storage network; declare a network with role storage",
    );
  // Highly available controllers beside one proxy: every object (and image in Swift) stops
  // with it.
  if (s.proxies === 1 && spec.controlPlane.controllers > 1)
    f.warn(
      "swift-proxy-single",
      ["storage", "swift", "proxies"],
      `one Swift proxy serves every object request${imageBackend(spec.storage) === "swift" ? ", Glance's images among them" : ""}: while it is down nothing in Swift can be read or written, beside controllers that outlive a failure; declare 2 or more proxies behind the VIP`,
    );
  if (s.zones < s.replicas) {
    f.error(
      "swift-zones",
      ["storage", "swift", "zones"],
      `${s.zones} zones cannot hold ${s.replicas} replicas apart; use at least ${s.replicas} zones`,
    );
  }
  if (s.storageNodes < s.zones) {
    f.error(
      "swift-zones",
      ["storage", "swift", "storageNodes"],
      `${s.storageNodes} storage nodes cannot fill ${s.zones} zones`,
    );
  }
  // Zones go round-robin into regions: a region past the zones would hold no device.
  if (s.regions > s.zones) {
    f.error(
      "swift-zones",
      ["storage", "swift", "regions"],
      `${s.regions} regions cannot each hold one of ${s.zones} zones; use at most ${s.zones} regions`,
    );
  }
  // The rings take disksPerNode devices per node; the proposal prices the profile's disks.
  const swiftDisks = listedDisks(
    spec,
    s.storageHardware,
    f,
    ["storage", "swift", "storageHardware"],
    `${s.disksPerNode} disks of ${s.diskSizeTB} TB per storage node`,
  );
  const fitting = swiftDisks
    ?.filter((d) => describesDisk(s.diskSizeTB, d.sizeGB))
    .reduce((n, d) => n + d.count, 0);
  // The system needs a disk the rings do not take (/srv/node/d1..dN are mounted data disks).
  if (swiftDisks?.every((d) => describesDisk(s.diskSizeTB, d.sizeGB)) && fitting === s.disksPerNode)
    f.warn(
      "swift-boot-disk-missing",
      ["storage", "swift", "storageHardware"],
      `hardware profile ${s.storageHardware} lists only the ${s.disksPerNode} disks of ${s.diskSizeTB} TB the rings take: unless the storage nodes boot from a device beyond these, the system takes one and each node has one data disk fewer than the rings count; list the boot disk (an M.2 or SATADOM boot device counts), which the proposal then prices too`,
    );
  if (fitting !== undefined && fitting < s.disksPerNode)
    f.error(
      "swift-disks",
      ["storage", "swift", fitting === 0 ? "diskSizeTB" : "disksPerNode"],
      fitting === 0
        ? `hardware profile ${s.storageHardware} has no disks of ${s.diskSizeTB} TB, where the rings count ${s.disksPerNode} per storage node; make diskSizeTB the size of the profile's data disks, or change its disks`
        : `hardware profile ${s.storageHardware} has ${fitting} disks of ${s.diskSizeTB} TB, but the rings count ${s.disksPerNode} per storage node; make disksPerNode and diskSizeTB those of the profile's data disks`,
    );
  else if (fitting !== undefined && fitting > s.disksPerNode)
    f.warn(
      "swift-disks-unused",
      ["storage", "swift", "disksPerNode"],
      `hardware profile ${s.storageHardware} has ${fitting} disks of ${s.diskSizeTB} TB per storage node, but the rings take ${s.disksPerNode}: ${fitting - s.disksPerNode} per node stay unused, though the proposal prices them and the capacity counts none; set disksPerNode to ${fitting}, or list fewer disks in the profile`,
    );
  const disks = s.storageNodes * s.disksPerNode;
  const power = s.partitionPower;
  // The object rings' replica counts: the cluster's, and each storage policy's own.
  const ringReplicas = ringReplicaCounts({
    replicas: s.replicas,
    policies: s.policies.map((p) => ({
      replicas: p.erasureCoding
        ? p.erasureCoding.dataFragments + p.erasureCoding.parityFragments
        : (p.replicas ?? s.replicas),
    })),
  });
  if (power !== undefined && disks > 2 ** power) {
    f.error(
      "swift-partition-power",
      ["storage", "swift", "partitionPower"],
      `${disks} disks exceed 2^${power} = ${2 ** power} partitions; raise the partition power to at least ${Math.ceil(Math.log2(disks))}`,
    );
  } else if (power !== undefined && 2 ** power < disks * DEFAULTS.swiftPartitionsPerDisk) {
    // Each ring gives every disk a whole number of partition replicas, the nearest below or above
    // its share: the builder's balance is the larger miss, over the rings of every replica count.
    const worst = ringReplicas
      .map((replicas) => {
        const share = (2 ** power * replicas) / disks;
        const miss = Math.max(Math.ceil(share) / share - 1, 1 - Math.floor(share) / share);
        return { replicas, share, spread: Math.round(miss * 10_000) / 100 };
      })
      .sort((a, b) => b.spread - a.spread)[0];
    if (worst.spread > 1)
      f.warn(
        "swift-partition-power-low",
        ["storage", "swift", "partitionPower"],
        `2^${power} = ${2 ** power} partitions of ${worst.replicas} replicas over ${disks} disks give each disk about ${Math.round(worst.share * 10) / 10}, so that ring balances only to within ${worst.spread} %: some disks fill that much sooner, and the usable capacity is less than the document says; the Swift deployment guide asks for about ${DEFAULTS.swiftPartitionsPerDisk} partitions per disk (partition power ${swiftPartitionPower(disks)}), or leave partitionPower out while no ring is built (running rings keep theirs)`,
      );
  }
  if (power !== undefined && power > SWIFT_POWER_LARGE) {
    const replicas = Math.max(...ringReplicas);
    const gib = (2 ** power * replicas * 2) / 2 ** 30;
    f.warn(
      "swift-partition-power-high",
      ["storage", "swift", "partitionPower"],
      `2^${power} partitions: a ring of ${replicas} replicas holds ${gib >= 1 ? `${Math.round(gib)} GiB` : `${Math.round(gib * 1024)} MiB`} of partition assignments, which every proxy and storage server keeps in memory, and swift-ring-builder takes memory and time in proportion to build it; partition power ${SWIFT_POWER_LARGE} serves about ${Math.floor(2 ** SWIFT_POWER_LARGE / DEFAULTS.swiftPartitionsPerDisk).toLocaleString("en-US")} disks at ${DEFAULTS.swiftPartitionsPerDisk} partitions each: lower it, or leave partitionPower out while no ring is built (running rings keep theirs)`,
    );
  }
  if (s.replicas === 1)
    f.warn(
      "swift-single-copy",
      ["storage", "swift", "replicas"],
      "Swift keeps one copy of each object: a failed disk loses its objects; keep 2 or more (3 is usual)",
    );
  s.policies.forEach((p, i) => {
    // Swift's storage_policy reserves the legacy name (any case) for the policy at index 0.
    if (i > 0 && p.name.toLowerCase() === "policy-0")
      f.error(
        "name-reserved",
        ["storage", "swift", "policies", i, "name"],
        `Swift reserves the name Policy-0 for the first policy (index 0); rename policy ${p.name} or list it first`,
      );
    if (p.replicas === 1 && s.replicas !== 1)
      f.warn(
        "swift-single-copy",
        ["storage", "swift", "policies", i, "replicas"],
        `policy ${p.name} keeps one copy of each object: a failed disk loses its objects; keep 2 or more (3 is usual)`,
      );
    if (p.erasureCoding) swiftErasureCoding(s, p, i, f);
    if (p.replicas !== undefined && p.replicas > s.zones) {
      f.error(
        "swift-zones",
        ["storage", "swift", "policies", i, "replicas"],
        `policy ${p.name} wants ${p.replicas} replicas over ${s.zones} zones`,
      );
    }
  });
}

/** What Swift and PyECLib accept of an erasure-coded policy, and what its ring can place. */
function swiftErasureCoding(
  s: NonNullable<Spec["storage"]["swift"]>,
  p: NonNullable<Spec["storage"]["swift"]>["policies"][number],
  i: number,
  f: Findings,
) {
  const ec = p.erasureCoding;
  if (!ec) return;
  const at = ["storage", "swift", "policies", i, "erasureCoding"];
  const { dataFragments: k, parityFragments: m } = ec;
  const fragments = k + m;
  if (p.replicas !== undefined)
    f.error(
      "swift-policy-protection",
      ["storage", "swift", "policies", i, "replicas"],
      `policy ${p.name} is erasure coded, and its ring holds each object's ${fragments} fragments, not copies: remove replicas, or erasureCoding for copies`,
    );
  // liberasurecode's EC_MAX_FRAGMENTS: PyECLib refuses more, and the proxies with it.
  if (fragments > 32)
    f.error(
      "swift-ec-fragments",
      [...at, "parityFragments"],
      `policy ${p.name} has ${k} data and ${m} parity fragments, ${fragments} in all, and liberasurecode takes at most 32 per object (Swift would not load the policy); use fewer fragments`,
    );
  // Swift refuses this scheme unless the policy is deprecated (launchpad bug 1639691).
  if (ec.type === "isa_l_rs_vand" && m >= 5)
    f.error(
      "swift-ec-parity",
      [...at, "type"],
      `policy ${p.name} takes ${m} parity fragments with isa_l_rs_vand, which Swift refuses to load from 5 on (a scheme known to lose data: launchpad bug 1639691); use isa_l_rs_cauchy, or at most 4 parity fragments`,
    );
  const disks = s.storageNodes * s.disksPerNode;
  if (fragments > disks)
    f.error(
      "swift-ec-devices",
      [...at, "dataFragments"],
      `policy ${p.name} puts each object's ${fragments} fragments on as many disks, and the ${s.storageNodes} storage nodes have ${disks}: swift-ring-builder refuses a ring of more replicas than devices; use fewer fragments, or more disks`,
    );
  else {
    const perNode = mostOnNode(fragments, s.storageNodes, s.disksPerNode);
    if (perNode > m)
      f.error(
        "swift-ec-node-loss",
        at,
        `policy ${p.name} spreads each object's ${fragments} fragments over ${s.storageNodes} storage nodes, up to ${perNode} on one, more than its ${m} parity ${m === 1 ? "fragment" : "fragments"}: while one node is down (a reboot will do) some objects cannot be read, and a lost node loses them; use at most ${m * s.storageNodes} fragments in all with ${m} parity, more parity fragments, or at least ${Math.ceil(fragments / m)} storage nodes`,
      );
  }
}

export function storageChoices(spec: Spec, f: Findings) {
  const st = spec.storage;
  // LVM and ZFS backends stand on the volume servers' disks of their class (those of a backend
  // without one, the kinds no other backend names): a disk joins one volume group or zpool.
  const local = st.backends.flatMap((b, i) =>
    b.kind === "lvm" || b.kind === "zfs" ? [{ b, i }] : [],
  );
  local.forEach(({ b, i }, n) => {
    const first = local.slice(0, n).find((o) => (o.b.deviceClass ?? "") === (b.deviceClass ?? ""));
    if (first)
      f.error(
        "volume-disks-shared",
        ["storage", "backends", i, "deviceClass"],
        `backends ${first.b.name} and ${b.name} would take the same disks (${b.deviceClass ? `device class ${b.deviceClass}` : "no device class"}) on the same hosts, and a disk joins one volume group or zpool; give each its own device class`,
      );
  });
  if (st.image?.backend === "ceph" && !st.ceph)
    f.error(
      "storage-missing",
      ["storage", "image", "backend"],
      "the image backend is ceph but storage.ceph is not declared",
    );
  if (st.image?.backend === "swift" && !st.swift)
    f.error(
      "storage-missing",
      ["storage", "image", "backend"],
      `the image backend is swift but storage.swift is not declared${st.ceph ? " (Glance's swift store is written for Swift's own proxies, not the RADOS Gateways' Swift API); set backend: ceph to keep them in Ceph" : "; declare storage.swift, or choose another backend"}`,
    );
  if (st.ephemeral === "ceph" && !st.ceph)
    f.error(
      "storage-missing",
      ["storage", "ephemeral"],
      "ephemeral disks on ceph need storage.ceph",
    );
  st.backends.forEach((b, i) => {
    if (b.kind === "ceph" && !st.ceph)
      f.error(
        "storage-missing",
        ["storage", "backends", i, "kind"],
        `backend ${b.name} is ceph but storage.ceph is not declared`,
      );
    if (b.shares && b.kind !== "glusterfs")
      f.error(
        "backend-shares",
        ["storage", "backends", i, "shares"],
        `backend ${b.name} is ${b.kind}: only GlusterFS backends mount shares; remove shares`,
      );
    // Kolla gives cinder-volume one nfs_shares file: each GlusterFS backend would mount them all.
    if (b.kind === "glusterfs" && st.backends.findIndex((o) => o.kind === "glusterfs") < i)
      f.error(
        "glusterfs-backend-single",
        ["storage", "backends", i, "kind"],
        `backend ${b.name} is a second GlusterFS backend: Kolla-Ansible gives cinder-volume one nfs_shares file, which every GlusterFS backend would mount; list all Gluster volumes under one backend's shares`,
      );
    if (b.kind === "glusterfs" && !b.shares?.length)
      f.warn(
        "glusterfs-shares-missing",
        ["storage", "backends", i],
        `backend ${b.name} names no Gluster volume: Kolla-Ansible stops at deploy without config/cinder/nfs_shares; list the volumes in shares (host:/volume) or write that file yourself`,
      );
    if (b.qos && Object.values(b.qos).every((v) => v === undefined))
      f.error(
        "qos-empty",
        ["storage", "backends", i, "qos"],
        `backend ${b.name} declares qos without a limit; set readIopsSec, writeIopsSec or totalBytesSec, or remove qos`,
      );
  });
  if (st.backup?.service === "swift" && !st.swift)
    f.error(
      "storage-missing",
      ["storage", "backup", "service"],
      `backups to swift need storage.swift${st.ceph ? " (cinder-backup's Swift settings are written for Swift's own proxies, not the RADOS Gateways' Swift API); remove storage.backup and give storage.ceph a pool of application backups, where cinder-backup then writes" : "; declare storage.swift"}`,
    );
  // Kolla-Ansible deploys Manila with no share backend unless told which, and cinder-backup has
  // no Manila driver (a share would be mounted through its NFS driver once it exists): a backup
  // share in the platform stack would never become available, and no backup would reach it.
  if (st.backup?.service === "manila")
    f.error(
      "manila-backups-unsupported",
      ["storage", "backup", "service"],
      "backups to a Manila share are not supported: Stackwright configures no Manila share backend and cinder-backup cannot write to a share it did not mount; send backups to swift, or leave storage.backup out (with Ceph and its default pools, cinder-backup then uses the backups pool)",
    );
  if (
    glanceOnOneController(
      spec.controlPlane.services,
      imageBackend(st),
      spec.controlPlane.controllers,
    )
  )
    f.warn(
      "glance-file-single",
      st.image ? ["storage", "image", "backend"] : ["controlPlane", "controllers"],
      "images are kept on a controller's disk: Kolla-Ansible then runs glance-api on the first controller only, so no image can be listed, uploaded or booted from while it is down; keep images in Ceph or Swift (storage.image.backend)",
    );
  const manila = spec.controlPlane.services.indexOf("manila");
  if (manila >= 0)
    f.warn(
      "manila-share-backend",
      ["controlPlane", "services", manila],
      "Manila is deployed without a share backend (Kolla-Ansible enables none by default): configure one (enable_manila_backend_* and its settings in a file of /etc/kolla/globals.d, which the copy of globals.yml leaves alone) before tenants create shares",
    );
  // Kolla-Ansible deploys no Swift of its own: the object-store API is Swift's rings on the
  // design's storage hosts or Ceph's RADOS Gateways.
  const swiftService = spec.controlPlane.services.indexOf("swift");
  if (swiftService >= 0 && !st.swift && !st.ceph)
    f.error(
      "storage-missing",
      ["controlPlane", "services", swiftService],
      "the swift service needs an object store: declare storage.swift (Swift's proxies and rings) or storage.ceph (RADOS Gateways serve the Swift API), or remove swift",
    );
  if (st.swift && !spec.controlPlane.services.includes("swift")) {
    f.error(
      "service-missing",
      ["controlPlane", "services"],
      "storage.swift is declared; enable the swift service",
    );
  }
  if (st.backends.length && !spec.controlPlane.services.includes("cinder")) {
    f.error(
      "service-missing",
      ["controlPlane", "services"],
      "volume backends are declared; enable the cinder service",
    );
  }
  // Kolla-Ansible's cinder prechecks refuse Cinder without a backend ("Please enable at least
  // one backend when enabling Cinder").
  if (!st.backends.length && spec.controlPlane.services.includes("cinder"))
    f.error(
      "cinder-backend-missing",
      ["storage", "backends"],
      "the cinder service has no volume backend, and Kolla-Ansible refuses to deploy Cinder without one; declare storage.backends, or list controlPlane.services without cinder (its default list includes it)",
    );
}

/** Ceilometer publishes to Gnocchi, and Gnocchi needs a metric store every controller shares. */
export function telemetry(spec: Spec, f: Findings) {
  const cp = spec.controlPlane;
  const at = cp.services.indexOf("ceilometer");
  if (at < 0) return;
  const store = metricStore({
    ceph: spec.storage.ceph !== undefined,
    services: cp.services,
    controllers: cp.controllers,
  });
  if (!store)
    f.error(
      "metric-store-missing",
      ["controlPlane", "services", at],
      `ceilometer publishes to Gnocchi, whose metrics ${cp.controllers} controllers must share: declare storage.ceph (a gnocchi pool) or add swift to controlPlane.services with storage.swift, or use a single controller (metrics on its disk)`,
    );
  // Gnocchi's containers take the default policy, and its objects are small: under erasure
  // coding each becomes k + m fragments of at least a header each.
  const policies = spec.storage.swift?.policies ?? [];
  const index = policies.findIndex((p) => p.default);
  const byDefault = policies[index < 0 ? 0 : index];
  if (store === "swift" && byDefault?.erasureCoding) {
    const { dataFragments: k, parityFragments: m } = byDefault.erasureCoding;
    f.warn(
      "gnocchi-erasure-coded",
      ["storage", "swift", "policies", index < 0 ? 0 : index, "erasureCoding"],
      `Gnocchi keeps Ceilometer's metrics in Swift's default policy ${byDefault.name}, which erasure-codes each object into ${k + m} fragments: its metric objects are small (a few KB), so each takes ${k + m} fragment files with a header apiece, often more than the data, where the capacity counts ${k} of ${k + m}; make a replicated policy the default`,
    );
  }
}
