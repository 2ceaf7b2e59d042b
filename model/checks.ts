import type { Spec } from "../spec/schema";
import type { SpecIssue } from "../core/errors";
import { DEFAULTS } from "../core/defaults";
import type { HardwareModel, PoolModel } from "./types";
import { isTenantPool } from "./design-facts";

/**
 * Fit checks that need derived figures (threads, capacity after ratios and N+1): they read the
 * model's own numbers so the check and the documents can never disagree.
 */
export function fitIssues(
  spec: Spec,
  hardware: ReadonlyMap<string, HardwareModel>,
  pools: readonly PoolModel[],
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const error = (code: string, path: SpecIssue["path"], message: string) =>
    issues.push({ code, path, message, severity: "error" });
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) => {
      const h = hardware.get(p.hardware);
      if (!h) return;
      const cpus = h.threads - p.reservedHostCpus;
      const ram = h.memoryGiB - p.reservedHostMemoryGiB;
      const model = pools.find((m) => m.id === `${z.name}-${p.name}`);
      p.flavors.forEach((fl, fi) => {
        const path = ["zones", zi, "pools", pi, "flavors", fi];
        // Nova gives a pinned guest one NUMA node unless told more; each must fit a socket.
        if (
          fl.vcpus <= cpus &&
          fl.ramGiB <= ram &&
          model?.flavors.find((f) => f.name === fl.name)?.numaNodes === 0
        )
          error(
            "flavor-numa",
            path,
            `pinned flavor ${fl.name} (${fl.vcpus} vCPUs, ${fl.ramGiB} GiB) fits no even split across the ${h.sockets} NUMA nodes (sockets) of a ${p.hardware} host, and Nova places each guest NUMA node on one; make it smaller or its vCPUs and memory divisible by the nodes it spans`,
          );
        if (fl.vcpus > cpus)
          error(
            "flavor-too-large",
            [...path, "vcpus"],
            `flavor ${fl.name} needs ${fl.vcpus} vCPUs; a ${p.hardware} host offers ${cpus} after reservations`,
          );
        if (fl.ramGiB > ram)
          error(
            "flavor-too-large",
            [...path, "ramGiB"],
            `flavor ${fl.name} needs ${fl.ramGiB} GiB; a ${p.hardware} host offers ${ram} GiB after reservations`,
          );
      });
      if (p.reservedHostCpus >= h.threads)
        error(
          "reservation-too-large",
          ["zones", zi, "pools", pi, "reservedHostCpus"],
          `${p.reservedHostCpus} reserved CPUs leave nothing of the ${h.threads} threads of ${p.hardware}`,
        );
      if (p.reservedHostMemoryGiB >= h.memoryGiB)
        error(
          "reservation-too-large",
          ["zones", zi, "pools", pi, "reservedHostMemoryGiB"],
          `${p.reservedHostMemoryGiB} GiB reserved leaves nothing of the ${h.memoryGiB} GiB of ${p.hardware}`,
        );
    }),
  );
  issues.push(...quotaIssues(spec, pools));
  return issues;
}

/** Tenant quotas must fit the pools they land on, after allocation ratios and N+1 headroom. */
function quotaIssues(spec: Spec, pools: readonly PoolModel[]): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const capacityOf = (selector: string | undefined) => {
    let vcpus = 0;
    let ram = 0;
    for (const p of pools) {
      if (selector !== undefined && !isTenantPool(p, selector)) continue;
      vcpus += p.capacity.usableCpus;
      ram += p.capacity.usableRamGiB;
    }
    return { vcpus, ram: Math.round(ram * 100) / 100 };
  };
  const groups = new Map<string, number[]>();
  spec.tenants.forEach((t, i) => {
    const key = t.pool ?? "";
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  for (const [key, indexes] of groups) {
    const cap = capacityOf(key || undefined);
    const where = key ? `pool ${key}` : "the cloud";
    let cores = 0;
    let ram = 0;
    for (const i of indexes) {
      const q = spec.tenants[i].quota;
      cores += q.cores ?? DEFAULTS.tenantQuota.cores;
      ram += q.ramGiB ?? DEFAULTS.tenantQuota.ramGiB;
    }
    const last = indexes[indexes.length - 1];
    if (cores > cap.vcpus)
      issues.push({
        code: "quota-exceeds-capacity",
        path: ["tenants", last, "quota", "cores"],
        severity: "error",
        message: `tenant core quotas on ${where} add up to ${cores}, but it offers ${cap.vcpus} vCPUs after allocation ratios and N+1 headroom`,
      });
    if (ram > cap.ram)
      issues.push({
        code: "quota-exceeds-capacity",
        path: ["tenants", last, "quota", "ramGiB"],
        severity: "error",
        message: `tenant RAM quotas on ${where} add up to ${ram} GiB, but it offers ${cap.ram} GiB after allocation ratios and N+1 headroom`,
      });
  }
  return issues;
}
