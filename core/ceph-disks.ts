/**
 * The disk sizes cephadm's OSD spec of the design's device class takes, in GB: around the OSD
 * size, wide enough for ceph-volume's binary sizes (a 7.68 TB disk shows as 6.99 TB), narrow
 * enough to leave boot disks and DB devices of other sizes alone. cephadm reads the bounds in
 * decimal units and takes whole numbers only (drive_selection SizeMatcher).
 */
export function osdDiskBand(osdSizeTB: number): { minGB: number; maxGB: number } {
  const gb = osdSizeTB * 1000;
  return { minGB: Math.floor(gb * 0.85), maxGB: Math.ceil(gb * 1.05) };
}

/**
 * The disk sizes the OSD spec of another device class takes: about the size of the profile's
 * largest disks of that kind (smaller ones boot the host), leaving the design's OSD disks to
 * their own spec.
 */
export const classDiskBand = (sizesGB: readonly number[]) =>
  osdDiskBand(Math.max(...sizesGB) / 1000);

/** The disks an OSD spec may be sized by: those marked for the system or RocksDB are not. */
export const osdCandidates = <D extends ProfileDisk>(disks: readonly D[]): D[] =>
  disks.filter((d) => d.use === undefined);

/** A disk of a hardware profile as the Ceph rules read it. */
export interface ProfileDisk {
  readonly kind: string;
  readonly sizeGB: number;
  readonly count?: number;
  /** What the disks are for where their size does not say (hardware[].disks[].use). */
  readonly use?: "system" | "rocksdb";
}

/**
 * The disks that keep spinning OSDs' RocksDB (cephadm's db_devices): solid-state disks no OSD
 * spec's size filter takes, whatever their kind; those marked `use: rocksdb`, else the largest
 * (smaller ones boot the host), never ones marked `use: system`. None without spinning OSDs or
 * such disks, nor where the one such disk is the profile's only disk outside the OSDs' (the
 * system's); and none where the filter would take a solid-state class's OSD disks too (cephadm
 * gives a spec every free disk its filter matches), which `alike` names with the disks.
 */
export function rocksDbDisks(
  disks: readonly ProfileDisk[],
  /** Each OSD class's data-disk size filter. */
  classBands: ReadonlyMap<string, { readonly minGB: number; readonly maxGB: number }>,
):
  | {
      readonly band: { minGB: number; maxGB: number };
      /** The disks the filter takes, and whether the largest was taken for want of a mark. */
      readonly disks: readonly ProfileDisk[];
      readonly guessed: boolean;
      /** Whether the system is on one of those disks, which cephadm then skips. */
      readonly sharesSystem: boolean;
    }
  | { readonly alike: string; readonly disks: readonly { kind: string; sizeGB: number }[] }
  | undefined {
  if (![...classBands.keys()].some(rotational)) return undefined;
  const solid = [...classBands].filter(([kind]) => !rotational(kind));
  const free = disks.filter(
    (d) =>
      !rotational(d.kind) &&
      d.use !== "system" &&
      !solid.some(([, band]) => withinBand(d.sizeGB, band)),
  );
  const marked = free.filter((d) => d.use === "rocksdb");
  let own: readonly ProfileDisk[] = marked;
  if (!marked.length) {
    if (!free.length) return undefined;
    // A lone such disk where no other disk is spare is the one the system is on: cephadm skips it.
    const owned = free.reduce((n, d) => n + (d.count ?? 1), 0);
    if (owned === 1 && bootDisks(disks, classBands).every((d) => free.includes(d)))
      return undefined;
    const largest = classDiskBand(free.map((d) => d.sizeGB));
    own = free.filter((d) => withinBand(d.sizeGB, largest));
  }
  const sizes = own.map((d) => d.sizeGB);
  const band = {
    minGB: Math.floor(Math.min(...sizes) * 0.85),
    maxGB: Math.ceil(Math.max(...sizes) * 1.05),
  };
  // Every disk beside the OSDs' in the filter, none marked: the system is on one of them (disks
  // the user marked for RocksDB are theirs, and a profile with no spare disk at all is warned as
  // such, ceph-boot-disk-missing).
  const spare = bootDisks(disks, classBands);
  const sharesSystem =
    !marked.length &&
    !disks.some((d) => d.use === "system") &&
    spare.length > 0 &&
    spare.every((d) => own.includes(d));
  const alike = solid.find(([, classBand]) =>
    disks.some(
      (d) => !rotational(d.kind) && withinBand(d.sizeGB, classBand) && withinBand(d.sizeGB, band),
    ),
  )?.[0];
  return alike === undefined
    ? {
        band,
        disks: own,
        guessed: !marked.length && free.some((d) => !own.includes(d)),
        sharesSystem,
      }
    : { alike, disks: own.map((d) => ({ kind: d.kind, sizeGB: d.sizeGB })) };
}

/**
 * The RocksDB disks of a host as cephadm finds them free: where the system is on one of them, a
 * lone disk of its size (a boot device beside pairs), else one of the smallest, is the system's.
 */
export function systemTakesOne(
  disks: readonly ProfileDisk[],
  sharesSystem: boolean,
): { count: number; kind: string; sizeGB: number }[] {
  const out = disks.map((d) => ({ count: d.count ?? 1, kind: d.kind, sizeGB: d.sizeGB }));
  if (sharesSystem) {
    const lone = out.filter((d) => d.count === 1);
    const system = (lone.length ? lone : out).reduce((a, b) => (b.sizeGB < a.sizeGB ? b : a));
    system.count -= 1;
  }
  return out.filter((d) => d.count > 0);
}

/**
 * What the spinning OSDs of a host get of its RocksDB disks: the disks cephadm finds free
 * ({@link systemTakesOne}) shared among them, in whole GB each.
 */
export function rocksDbShare(
  db: { readonly disks: readonly ProfileDisk[]; readonly sharesSystem: boolean },
  spinningOsdsPerHost: number,
): { disks: { count: number; kind: string; sizeGB: number }[]; perOsdGB: number } {
  const disks = systemTakesOne(db.disks, db.sharesSystem);
  const total = disks.reduce((t, d) => t + d.count * d.sizeGB, 0);
  return { disks, perOsdGB: spinningOsdsPerHost > 0 ? Math.floor(total / spinningOsdsPerHost) : 0 };
}

/** Whether two OSD specs' size filters take some size in common. */
export const bandsOverlap = (
  a: { minGB: number; maxGB: number },
  b: { minGB: number; maxGB: number },
) => a.minGB <= b.maxGB && b.minGB <= a.maxGB;

/** Whether disks of this kind spin: cephadm tells OSD disks apart by rotational, not kind. */
export const rotational = (kind: string) => kind === "hdd";

/**
 * The profile's disks no OSD spec takes: where the operating system may go without costing an
 * OSD. cephadm takes every free disk a filter matches, by spin and shown size; the disk the
 * system is installed on is not free, so a host whose every disk is an OSD's runs one OSD fewer
 * than the design counts.
 */
export function bootDisks<D extends ProfileDisk>(
  disks: readonly D[],
  /** Each OSD class's data-disk size filter. */
  classBands: ReadonlyMap<string, { readonly minGB: number; readonly maxGB: number }>,
): D[] {
  return disks.filter(
    (d) =>
      d.use === "system" ||
      (d.use === undefined &&
        ![...classBands].some(
          ([kind, band]) => rotational(kind) === rotational(d.kind) && withinBand(d.sizeGB, band),
        )),
  );
}

/** Whether a cephadm size filter takes a disk of this size (as ceph-volume shows it). */
export const withinBand = (sizeGB: number, band: { minGB: number; maxGB: number }) =>
  shownGB(sizeGB) >= band.minGB && shownGB(sizeGB) <= band.maxGB;

/**
 * A disk's size as ceph-volume shows it to cephadm, in GB: binary units labelled GB below a TiB
 * and TB from it (human_readable_size), which cephadm's size filter reads as decimal ones.
 */
const shownGB = (sizeGB: number) => {
  const bytes = sizeGB * 1e9;
  return bytes > 2 ** 40 ? (bytes / 2 ** 40) * 1000 : bytes / 2 ** 30;
};

/** Whether cephadm's size filter for these OSDs takes a disk of this size. */
export function inOsdBand(sizeGB: number, osdSizeTB: number): boolean {
  const band = osdDiskBand(osdSizeTB);
  const shown = shownGB(sizeGB);
  return shown >= band.minGB && shown <= band.maxGB;
}

/**
 * Whether a size in TB is the disk's as the profile lists it (7.68 TB is 7680 GB). Not its TiB
 * (7.28 for 8 TB): capacity and the proposal count the TB, so the same disks must read the same.
 */
export const describesDisk = (sizeTB: number, sizeGB: number) =>
  Math.round(sizeTB * 1000) === sizeGB;

/**
 * OSDs per host of another device class: the profile's disks of that kind that its OSD spec's
 * size filter ({@link classDiskBand}) takes; smaller ones of the kind boot the host.
 */
export function classOsdsPerHost(
  disks: readonly (ProfileDisk & { readonly count: number })[],
  kind: string,
): number {
  return classDisksPerHost(disks, kind).osds;
}

/** The OSDs of another device class on one host, and their TB as the profile lists them. */
export function classDisksPerHost(
  disks: readonly (ProfileDisk & { readonly count: number })[],
  kind: string,
): { osds: number; tb: number } {
  const ofKind = osdCandidates(disks).filter((d) => d.kind === kind);
  if (!ofKind.length) return { osds: 0, tb: 0 };
  const band = classDiskBand(ofKind.map((d) => d.sizeGB));
  const taken = ofKind.filter(
    (d) => shownGB(d.sizeGB) >= band.minGB && shownGB(d.sizeGB) <= band.maxGB,
  );
  return {
    osds: taken.reduce((n, d) => n + d.count, 0),
    tb: taken.reduce((t, d) => t + (d.count * d.sizeGB) / 1000, 0),
  };
}
