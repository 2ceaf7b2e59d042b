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

/**
 * The disks that keep spinning OSDs' RocksDB (cephadm's db_devices): the profile's solid-state
 * disks of kinds no OSD class takes, by a size filter about the largest of them (smaller ones
 * boot the host). None without spinning OSDs or such disks, nor where the one such disk is the
 * profile's only disk outside the OSDs' (the system's); and none where that filter would
 * take a solid-state class's OSD disks too (cephadm gives a spec every free disk its filter
 * matches), which `alike` names with the disks.
 */
export function rocksDbDisks(
  disks: readonly { readonly kind: string; readonly sizeGB: number; readonly count?: number }[],
  /** Each OSD class's data-disk size filter. */
  classBands: ReadonlyMap<string, { readonly minGB: number; readonly maxGB: number }>,
):
  | { readonly band: { minGB: number; maxGB: number } }
  | { readonly alike: string; readonly disks: readonly { kind: string; sizeGB: number }[] }
  | undefined {
  const classes = [...classBands.keys()];
  const own = disks.filter((d) => !rotational(d.kind) && !classes.includes(d.kind));
  if (!classes.some(rotational) || !own.length) return undefined;
  // A lone such disk where no other disk is spare is the one the system is on: cephadm skips it.
  const owned = own.reduce((n, d) => n + (d.count ?? 1), 0);
  if (owned === 1 && bootDisks(disks, classBands).every((d) => own.includes(d))) return undefined;
  const band = classDiskBand(own.map((d) => d.sizeGB));
  const alike = classes.find((k) => !rotational(k) && bandsOverlap(classBands.get(k)!, band));
  return alike === undefined
    ? { band }
    : { alike, disks: own.map((d) => ({ kind: d.kind, sizeGB: d.sizeGB })) };
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
export function bootDisks<D extends { readonly kind: string; readonly sizeGB: number }>(
  disks: readonly D[],
  /** Each OSD class's data-disk size filter. */
  classBands: ReadonlyMap<string, { readonly minGB: number; readonly maxGB: number }>,
): D[] {
  return disks.filter(
    (d) =>
      ![...classBands].some(
        ([kind, band]) => rotational(kind) === rotational(d.kind) && withinBand(d.sizeGB, band),
      ),
  );
}

/** Whether a cephadm size filter takes a disk of this size (as ceph-volume shows it). */
export const withinBand = (sizeGB: number, band: { minGB: number; maxGB: number }) =>
  shownGB(sizeGB) >= band.minGB && shownGB(sizeGB) <= band.maxGB;

/** A disk's size as ceph-volume shows it to cephadm: binary units labelled TB/GB, in GB. */
const shownGB = (sizeGB: number) => (sizeGB * 1e9 * 1000) / 2 ** 40;

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
  disks: readonly { readonly kind: string; readonly sizeGB: number; readonly count: number }[],
  kind: string,
): number {
  return classDisksPerHost(disks, kind).osds;
}

/** The OSDs of another device class on one host, and their TB as the profile lists them. */
export function classDisksPerHost(
  disks: readonly { readonly kind: string; readonly sizeGB: number; readonly count: number }[],
  kind: string,
): { osds: number; tb: number } {
  const ofKind = disks.filter((d) => d.kind === kind);
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
