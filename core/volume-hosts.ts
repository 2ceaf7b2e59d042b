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
