/**
 * Where Glance keeps images and which Swift container cinder-backup writes to, decided once for
 * the rules, the model and the deployer.
 */
export type ImageBackend = "ceph" | "swift" | "file";

/** The store the design names, else Ceph when declared, else Swift, else the controllers' disks. */
export function imageBackend(storage: {
  readonly image?: { readonly backend: ImageBackend };
  readonly ceph?: unknown;
  readonly swift?: unknown;
}): ImageBackend {
  return storage.image?.backend ?? (storage.ceph ? "ceph" : storage.swift ? "swift" : "file");
}

/** Container of Swift backups when the design names none (written as backup_swift_container). */
export const DEFAULT_BACKUP_CONTAINER = "backups";

/** The container cinder-backup writes to; undefined when backups do not go to Swift. */
export function backupContainer(storage: {
  readonly backup?: { readonly service: string; readonly container?: string };
}): string | undefined {
  return storage.backup?.service === "swift"
    ? (storage.backup.container ?? DEFAULT_BACKUP_CONTAINER)
    : undefined;
}

/**
 * What serves the object-store API (the swift service): Swift's own proxies and rings, else
 * Ceph's RADOS Gateways, which Kolla-Ansible registers as the object-store service instead.
 */
export function objectStore(
  storage: { readonly ceph?: unknown; readonly swift?: unknown },
  services: readonly string[],
): "swift" | "rgw" | undefined {
  if (!services.includes("swift")) return undefined;
  return storage.swift ? "swift" : storage.ceph ? "rgw" : undefined;
}

/**
 * Kolla-Ansible's glance_api_hosts: with images on a controller's disk, glance-api runs on the
 * first controller only, as the others hold no copy of them.
 */
export const glanceOnOneController = (
  services: readonly string[],
  store: ImageBackend,
  controllers: number,
): boolean => services.includes("glance") && store === "file" && controllers > 1;

/**
 * The storage policy cinder-backup makes its containers with: that of the backup container the
 * design declares, when it names one; undefined for Swift's default policy.
 */
export function backupStoragePolicy(storage: {
  readonly backup?: { readonly service: string; readonly container?: string };
  readonly swift?: {
    readonly containers: readonly { readonly name: string; readonly storagePolicy?: string }[];
  };
}): string | undefined {
  const container = backupContainer(storage);
  return container === undefined
    ? undefined
    : storage.swift?.containers.find((c) => c.name === container)?.storagePolicy;
}
