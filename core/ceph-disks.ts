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

/** Whether disks of this kind spin: cephadm tells OSD disks apart by rotational, not kind. */
export const rotational = (kind: string) => kind === "hdd";
