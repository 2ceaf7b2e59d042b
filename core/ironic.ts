/**
 * A drive's size in whole GiB as Ironic reports it: a standard drive of n GB holds the IDEMA
 * sector count, slightly more than n x 10^9 bytes (a 4 TB drive is 3726 GiB, not 3725).
 */
export function ironicGiB(gb: number): number {
  const bytes = gb >= 50 ? (97_696_368 + 1_953_504 * (gb - 50)) * 512 : gb * 1e9;
  return Math.floor(bytes / 2 ** 30);
}

/** Ironic's agent installs onto the smallest disk of at least 4 GiB without a root device hint. */
export const IRONIC_ROOT_MIN_GB = 5;

/** A hardware profile's Ironic resource class as Placement knows it: CUSTOM_<NAME>. */
export const ironicResourceClass = (hardware: string) =>
  `CUSTOM_${hardware.toUpperCase().replace(/[^0-9A-Z]+/g, "_")}`;
