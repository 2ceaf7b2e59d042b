/**
 * Where Gnocchi keeps Ceilometer's metrics. Kolla's ceilometer precheck demands a publisher, and
 * Gnocchi follows Ceilometer: on Ceph when the design has it, else in Swift (the object store
 * registered in Keystone), else on the controller's disk, which only one controller can share.
 */
export type MetricStore = "ceph" | "swift" | "file";

export function metricStore(design: {
  readonly ceph: boolean;
  readonly services: readonly string[];
  readonly controllers: number;
}): MetricStore | undefined {
  if (design.ceph) return "ceph";
  if (design.services.includes("swift")) return "swift";
  // Kolla's file driver writes a volume local to each host: controllers would not see each other's metrics.
  return design.controllers === 1 ? "file" : undefined;
}
