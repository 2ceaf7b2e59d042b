/**
 * How several cinder-volume hosts run: one active/active cluster (Kolla's cinder_cluster_name,
 * with etcd for Cinder's locks) when every backend is Ceph, whose driver supports it; otherwise
 * each host serves its own volumes. Undefined with one host or none. The deployer, the HA table
 * and the port matrix all read this one decision.
 */
export type VolumeHostsMode = "cluster" | "independent";

export function volumeHostsMode(
  backendKinds: readonly string[],
  hosts: number,
): VolumeHostsMode | undefined {
  if (hosts <= 1 || backendKinds.length === 0) return undefined;
  return backendKinds.every((k) => k === "ceph") ? "cluster" : "independent";
}

/**
 * Whether the cinder-volume hosts need a coordination backend for Cinder's locks: Kolla-Ansible's
 * prechecks want one (valkey, redis or etcd) for a Ceph backend on more than one host, clustered
 * or not.
 */
export function volumeLocks(backendKinds: readonly string[], hosts: number): boolean {
  return hosts > 1 && backendKinds.includes("ceph");
}

/**
 * Where a Ceph backend's cinder-volume runs: on the controllers, except beside LVM or ZFS (which
 * rides Kolla's LVM backend: enable_cinder_backend_lvm) on dedicated block-storage hosts, where
 * it joins those hosts: Kolla-Ansible checks for the LVM volume group on every cinder-volume host
 * (the cinder-volume group, or cinder-volume-multiple from 2026.1), so controllers serving Ceph
 * alone would fail its prechecks.
 */
export function cephVolumeHosts(
  backendKinds: readonly string[],
  dedicatedBlockHosts: boolean,
): "controllers" | "block-storage" {
  return dedicatedBlockHosts && backendKinds.some((k) => k === "lvm" || k === "zfs")
    ? "block-storage"
    : "controllers";
}
