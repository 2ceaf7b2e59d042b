import { poolId } from "../core/naming";
import type { Spec } from "../spec/schema";
import type { SpecIssue } from "../core/errors";
import { DEFAULTS } from "../core/defaults";
import { haRouters, neutronMechanism } from "../core/neutron";
import type {
  CephModel,
  FlavorModel,
  HardwareModel,
  Model,
  PoolModel,
  SwiftModel,
  TenantModel,
} from "./types";
import { chargeQuotas, instanceDiskQuota, type HeadroomModel } from "./design-facts";
import { socketDedicatedCpus } from "./capacity";

/**
 * Fit checks that need derived figures (threads, capacity after ratios and N+1): they read the
 * model's own numbers so the check and the documents can never disagree.
 */
export function fitIssues(
  spec: Spec,
  hardware: ReadonlyMap<string, HardwareModel>,
  pools: readonly PoolModel[],
  /** Octavia's amphorae, which take their share of their pool and of the cloud. */
  octavia?: NonNullable<Model["controlPlane"]["octavia"]>,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const error = (code: string, path: SpecIssue["path"], message: string) =>
    issues.push({ code, path, message, severity: "error" });
  // Pools, by name and id, whose reservations leave their hosts nothing.
  const broken = new Set<string>();
  // Hardware told once that it lists no disk for local instance disks.
  const diskless = new Set<string>();
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) => {
      const h = hardware.get(p.hardware);
      if (!h) return;
      const rooted = p.flavors.find((f) => f.diskGiB > 0);
      if (
        spec.storage.ephemeral === "local" &&
        !h.disks.length &&
        rooted &&
        !diskless.has(h.name)
      ) {
        diskless.add(h.name);
        issues.push({
          code: "compute-disks-unstated",
          severity: "warning",
          path: ["hardware", spec.hardware.findIndex((x) => x.name === h.name)],
          message: `hardware ${h.name} lists no disks, where instance disks are local (storage.ephemeral) and flavor ${rooted.name} of pool ${p.name} has a ${rooted.diskGiB} GiB root disk: the design cannot check that its root disks fit a host, nor the tenants' disk quotas against the hosts' disks, and the proposal prices no disk; list the hosts' disks (the operating system's with use: system)`,
        });
      }
      const cpus = h.threads - p.reservedHostCpus;
      // (what the kernel reports, as Nova counts it, less the host's reserved memory)
      const ram = Math.round((h.memoryVisibleGiB - p.reservedHostMemoryGiB) * 100) / 100;
      const model = pools.find((m) => m.id === poolId(z.name, p.name));
      // (a host left no CPUs or memory by its reservations is refused as such:
      // reservation-too-large; the checks of what it has not left would only repeat that)
      const room = cpus > 0 && ram > 0;
      if (!room) broken.add(p.name).add(poolId(z.name, p.name));
      // The reserved cores come from the first sockets: one left without a dedicated CPU
      // gives its memory to no pinned guest.
      const empty = p.cpuPinning && room ? socketDedicatedCpus(p.reservedHostCpus, h) : [];
      const bare = empty.filter((c) => c === 0).length;
      if (bare)
        issues.push({
          code: "pinned-socket-empty",
          severity: "warning",
          path: ["zones", zi, "pools", pi, "reservedHostCpus"],
          message: `pool ${p.name} reserves ${p.reservedHostCpus} of a ${p.hardware} host's ${h.threads} CPUs, taken from its first sockets: ${bare === 1 ? "a socket keeps" : `${bare} sockets keep`} no dedicated CPU, so ${bare === 1 ? "its" : "their"} memory serves no pinned guest (Nova places a guest node's CPUs and memory on one host node); reserve at most ${h.threads / h.sockets - h.threadsPerCore} CPUs (a socket's ${h.threads / h.sockets} less one core)`,
        });
      p.flavors.forEach((fl, fi) => {
        const path = ["zones", zi, "pools", pi, "flavors", fi];
        // Nova gives a pinned guest one NUMA node unless told more; each must fit a socket.
        if (
          room &&
          fl.vcpus <= cpus &&
          fl.ramGiB <= ram &&
          model?.flavors.find((f) => f.name === fl.name)?.numaNodes === 0
        )
          error(
            "flavor-numa",
            path,
            `pinned flavor ${fl.name} (${fl.vcpus} vCPUs, ${fl.ramGiB} GiB) fits no even split across the ${h.sockets} NUMA nodes (sockets) of a ${p.hardware} host, and Nova places each guest NUMA node on one; make it smaller or its vCPUs and memory divisible by the nodes it spans`,
          );
        // NUMA node by NUMA node a pinned pool's host may take fewer guests than its totals
        // would: Placement's inventory, the usable CPUs, counts CPUs no such guest can use.
        const perHost = model?.flavors.find((f) => f.name === fl.name)?.perHost;
        const byTotals = Math.min(Math.floor(cpus / fl.vcpus), Math.floor(ram / fl.ramGiB));
        if (room && p.cpuPinning && perHost !== undefined && perHost > 0 && perHost < byTotals)
          issues.push({
            code: "flavor-numa-fit",
            path,
            severity: "warning",
            message: `pinned flavor ${fl.name} (${fl.vcpus} vCPUs, ${fl.ramGiB} GiB) fits ${perHost} guests on a ${p.hardware} host, each on one NUMA node (socket) by its dedicated CPUs and memory, where the host's ${cpus} CPUs and ${ram} GiB would take ${byTotals}: ${cpus - perHost * fl.vcpus} CPUs a host stay idle unless guests of another flavor fill them (the pool's usable CPUs count what its flavors place); size it to divide a NUMA node's dedicated CPUs (${nodeCpus(h, p.reservedHostCpus)}) and memory`,
          });
        // Placement's VCPU max_unit is every thread (reserved_host_cpus lowers only the total,
        // before the ratio); a pinned guest's PCPUs come from cpu_dedicated_set alone.
        const largest = p.cpuPinning
          ? cpus
          : Math.min(h.threads, Math.floor(cpus * p.cpuAllocationRatio));
        if (cpus > 0 && fl.vcpus > largest)
          error(
            "flavor-too-large",
            [...path, "vcpus"],
            p.cpuPinning
              ? `pinned flavor ${fl.name} needs ${fl.vcpus} dedicated CPUs; a ${p.hardware} host offers ${cpus} after reservations`
              : `flavor ${fl.name} needs ${fl.vcpus} vCPUs; Placement gives one guest at most ${largest} on a ${p.hardware} host (${largest === h.threads ? `its ${h.threads} threads` : `its ${cpus} threads after reservations, times the allocation ratio ${p.cpuAllocationRatio}`})`,
          );
        // Local instance disks live on the host's own disks; Placement's DISK_GB has no more.
        const diskGiB = Math.floor((h.instanceDiskGB * 1e9) / 2 ** 30);
        if (spec.storage.ephemeral === "local" && h.disks.length && fl.diskGiB > diskGiB)
          error(
            "flavor-disk-too-large",
            [...path, "diskGiB"],
            `flavor ${fl.name}'s ${fl.diskGiB} GiB root disk is larger than the disks a ${p.hardware} host gives instance disks together (${diskGiB} GiB, the system's disk apart where the host has others), where instance disks are local (storage.ephemeral): Nova finds no host for it; make it smaller${spec.storage.backends.length ? ", boot it from a volume (diskGiB: 0)" : ""}${spec.storage.ceph ? ", keep instance disks in Ceph (storage.ephemeral: ceph)" : ""}, or give the hosts larger disks`,
          );
        if (ram > 0 && fl.ramGiB > ram)
          error(
            "flavor-too-large",
            [...path, "ramGiB"],
            `flavor ${fl.name} needs ${fl.ramGiB} GiB; a ${p.hardware} host offers ${ram} GiB of its ${h.memoryGiB} GiB after the kernel's share and the host's reserved memory`,
          );
      });
      if (p.reservedHostCpus >= h.threads)
        error(
          "reservation-too-large",
          ["zones", zi, "pools", pi, "reservedHostCpus"],
          `${p.reservedHostCpus} reserved CPUs leave nothing of the ${h.threads} threads of ${p.hardware}`,
        );
      if (p.reservedHostMemoryGiB >= h.memoryVisibleGiB)
        error(
          "reservation-too-large",
          ["zones", zi, "pools", pi, "reservedHostMemoryGiB"],
          `${p.reservedHostMemoryGiB} GiB reserved leaves nothing of the ${h.memoryVisibleGiB} GiB the kernel reports of ${p.hardware}'s ${h.memoryGiB} GiB`,
        );
    }),
  );
  // Quotas against a pool its reservations leave nothing of would only repeat that error (its
  // capacity counts 0 in the cloud's).
  issues.push(
    ...quotaIssues(spec, pools, octavia).filter((i) => {
      const tenant = i.path[0] === "tenants" ? spec.tenants[i.path[1] as number] : undefined;
      return !(tenant?.pool !== undefined && broken.has(tenant.pool));
    }),
  );
  issues.push(...flavorQuotaIssues(spec, pools));
  return issues;
}

/**
 * Nova checks a tenant's cores and RAM quotas before it boots a guest: a flavor larger than
 * them is one the tenant can never boot. Said of the flavors meant for it (those it lists and
 * its pool's public ones), else where it can boot none; a quota of 0 means no guests at all.
 */
function flavorQuotaIssues(spec: Spec, pools: readonly PoolModel[]): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const limits = [
    {
      key: "cores",
      of: (f: FlavorModel) => f.vcpus,
      amount: vcpuText,
      nova: "cores",
    },
    {
      key: "ramGiB",
      of: (f: FlavorModel) => f.ramMiB / 1024,
      amount: ramText,
      nova: "ram",
    },
  ] as const;
  spec.tenants.forEach((t, i) => {
    const quota = {
      instances: t.quota.instances ?? DEFAULTS.tenantQuota.instances,
      cores: t.quota.cores ?? DEFAULTS.tenantQuota.cores,
      ramGiB: t.quota.ramGiB ?? DEFAULTS.tenantQuota.ramGiB,
    };
    if (!quota.instances || !quota.cores || !quota.ramGiB) return;
    const bootable = pools.flatMap((p) =>
      p.flavors.filter((f) => f.public || t.flavors.includes(f.name)),
    );
    const meant = bootable.filter(
      (f) =>
        t.flavors.includes(f.name) || pools.some((p) => p.name === t.pool && p.flavors.includes(f)),
    );
    const fits = (f: (typeof bootable)[number]) =>
      f.vcpus <= quota.cores && f.ramMiB / 1024 <= quota.ramGiB;
    // Given no flavor of its own: said where no public one fits, naming the smallest.
    if (!meant.length) {
      const smallest = [...bootable].sort((a, b) => a.vcpus - b.vcpus || a.ramMiB - b.ramMiB)[0];
      if (smallest && !bootable.some(fits))
        issues.push({
          code: "quota-below-flavor",
          severity: "warning",
          path: ["tenants", i],
          message: `tenant ${t.name}'s quota of ${vcpuText(quota.cores)} and ${ramText(quota.ramGiB)} fits no flavor it may boot: it lists none${t.pool ? ` and pool ${t.pool} offers no public one` : ""}, and the smallest public flavor, ${smallest.name} (${vcpuText(smallest.vcpus)}, ${ramText(smallest.ramMiB / 1024)}), takes more: Nova refuses every guest (quota exceeded); list a flavor that fits, or raise quota.cores and quota.ramGiB to hold ${smallest.name}`,
        });
      return;
    }
    const judged = meant;
    for (const l of limits) {
      const over = judged.filter(
        (f, k) => l.of(f) > quota[l.key] && judged.findIndex((g) => g.name === f.name) === k,
      );
      if (!over.length) continue;
      const largest = Math.max(...judged.map(l.of));
      const explicit = t.quota[l.key] !== undefined;
      issues.push({
        code: "quota-below-flavor",
        severity: "warning",
        path: explicit ? ["tenants", i, "quota", l.key] : ["tenants", i],
        message: `tenant ${t.name}'s quota of ${l.amount(quota[l.key])} (${explicit ? `quota.${l.key}` : `the default: no quota.${l.key}`}) is below what ${over.length === 1 ? "flavor" : "flavors"} ${over.map((f) => `${f.name} (${l.amount(l.of(f))})`).join(", ")} ${over.length === 1 ? "takes" : "take"}: Nova refuses every guest of ${over.length === 1 ? "it" : "them"} (quota exceeded for ${l.nova}); set quota.${l.key} to at least ${largest}`,
      });
    }
  });
  return issues;
}

const vcpuText = (n: number) => `${n} vCPU${n === 1 ? "" : "s"}`;
const ramText = (n: number) => `${n} GiB RAM`;

/** "56, 64 socket by socket: the reserved CPUs are taken from the first sockets", or "64 each". */
function nodeCpus(h: HardwareModel, reservedHostCpus: number): string {
  const cpus = socketDedicatedCpus(reservedHostCpus, h);
  return cpus.every((c) => c === cpus[0])
    ? `${cpus[0]} each`
    : `${cpus.join(", ")} socket by socket: the reserved CPUs are taken from the first sockets`;
}

/** The capacity quotas may take, and how it came about with a quota overcommit. */
interface Room {
  readonly vcpus: number;
  readonly ram: number;
  /** Before the overcommit, and the factor's words, when there is one. */
  readonly overcommit?: { readonly vcpus: number; readonly ram: number; readonly factor: string };
}

/** Why a pinned pool's guests take fewer CPUs than Placement offers: whole NUMA nodes each. */
function pinnedShort(p: PoolModel): string {
  const { hosts, spareHosts, dedicatedCpus, usableDedicatedCpus } = p.capacity;
  const inventory = (dedicatedCpus / hosts) * (hosts - spareHosts);
  return usableDedicatedCpus < inventory
    ? `: its flavors' pinned guests take ${usableDedicatedCpus} of the ${inventory} dedicated CPUs of its usable hosts, each guest's CPUs and memory on whole NUMA nodes (sockets), where the rest of a socket is too little for another; size the flavors to divide a socket's dedicated CPUs and memory`
    : "";
}

/**
 * Tenant quotas must fit the pools they land on, after allocation ratios, N+1 headroom and the
 * pools' quota overcommit (a
 * tenant on a pool name several zones share counts on each by its capacity, as the document's
 * headroom does), and all quotas together the cloud.
 */
function quotaIssues(
  spec: Spec,
  pools: readonly PoolModel[],
  octavia: NonNullable<Model["controlPlane"]["octavia"]> | undefined,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const amphorae = octavia?.amphorae.count ? octavia.amphorae : undefined;
  const withAmphorae = (pinned: boolean) => (key: "cores" | "ram") =>
    amphorae
      ? `, with the ${key === "cores" ? `${amphorae.vcpus} vCPUs` : `${amphorae.ramGiB} GiB`} of the ${amphorae.count} amphorae the tenants' load-balancer quotas let Octavia boot${pinned ? " there (controlPlane.octaviaPool; fewer quota.loadBalancers, or another pool, leave the tenants more)" : ""}`
      : "";
  const quotas = spec.tenants.map((t) => ({
    ...(t.pool ? { pool: t.pool } : {}),
    cores: t.quota.cores ?? DEFAULTS.tenantQuota.cores,
    ramGiB: t.quota.ramGiB ?? DEFAULTS.tenantQuota.ramGiB,
  }));
  // Where the amphorae alone tip a sum over: the largest load-balancer quota, which boots them.
  const balancers = spec.tenants.map(
    (t) => t.quota.loadBalancers ?? DEFAULTS.tenantQuota.loadBalancers,
  );
  const mostBalancers = balancers.reduce((a, n, i) => (n > balancers[a] ? i : a), 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  // Said where it is why: the default quotas no tenant wrote, and a pool's hosts all spare.
  const defaulted = (of: readonly number[], key: "cores" | "ramGiB", unit: string) => {
    const n = of.filter((i) => spec.tenants[i].quota[key] === undefined).length;
    return n
      ? ` (${n === 1 ? "a tenant" : `${n} tenants`} without quota.${key} ${n === 1 ? "counts" : "count"} the default ${DEFAULTS.tenantQuota[key]}${unit})`
      : "";
  };
  const offers = (room: Room, key: "vcpus" | "ram", unit: string) =>
    room.overcommit
      ? `its quotas may take ${room[key]}${unit}: ${room.overcommit[key]}${unit} after allocation ratios and N+1 headroom, times ${room.overcommit.factor}`
      : `it offers ${room[key]}${unit} after allocation ratios and N+1 headroom`;
  const check = (
    where: string,
    of: readonly number[],
    cores: number,
    ram: number,
    room: Room,
    why = "",
    /** Why the cores fall short, where it differs from the RAM's. */
    coresWhy = why,
    /** What the pool's CPUs are: shared vCPUs, or a pinned pool's dedicated CPUs. */
    cpuUnit = " vCPUs",
    /** Octavia's amphorae counted in the sums, in words. */
    amphoraWords = (_key: "cores" | "ram") => "",
    /** What of the sums the amphorae take. */
    amphoraShare = { vcpus: 0, ram: 0 },
  ) => {
    // Said at the largest quota of the sum (the first of equals): no one tenant is at fault.
    const largest = (key: "cores" | "ramGiB") =>
      of.reduce((a, b) => (quotas[b][key] > quotas[a][key] ? b : a), of[0]);
    const many = of.length > 1;
    // (a pool no tenant is charged to, short for the amphorae alone: at the pool they ask for)
    const pathOf = (at: number | undefined, key: "cores" | "ramGiB" | "loadBalancers") =>
      at === undefined ? ["controlPlane", "octaviaPool"] : ["tenants", at, "quota", key];
    // The tenants' own quotas fit and the amphorae tip the sum over: said at the load balancers.
    const tipped = (sum: number, share: number, limit: number) =>
      of.length > 0 && share > 0 && sum - share <= limit;
    const byBalancers = ` (the tenants' quotas alone fit; the largest load-balancer quota is tenant ${spec.tenants[mostBalancers].name}'s, ${balancers[mostBalancers]})`;
    if (cores > room.vcpus) {
      const at = largest("cores");
      const lb = tipped(cores, amphoraShare.vcpus, room.vcpus);
      issues.push({
        code: "quota-exceeds-capacity",
        path: lb ? pathOf(mostBalancers, "loadBalancers") : pathOf(at, "cores"),
        severity: "error",
        message: `${of.length ? `tenant core quotas on ${where} add up to ${cores}${defaulted(of, "cores", "")}${amphoraWords("cores")}` : `Octavia's amphorae on ${where}, the ${amphorae?.count} the tenants' load-balancer quotas let it boot, need ${cores} vCPUs`}, but ${offers(room, "vcpus", cpuUnit)}${lb ? byBalancers : many ? ` (the largest of the ${of.length} quotas is tenant ${spec.tenants[at].name}'s, ${quotas[at].cores})` : ""}${coresWhy}`,
      });
    }
    if (ram > room.ram) {
      const at = largest("ramGiB");
      const lb = tipped(ram, amphoraShare.ram, room.ram);
      issues.push({
        code: "quota-exceeds-capacity",
        path: lb ? pathOf(mostBalancers, "loadBalancers") : pathOf(at, "ramGiB"),
        severity: "error",
        message: `${of.length ? `tenant RAM quotas on ${where} add up to ${ram} GiB${defaulted(of, "ramGiB", " GiB")}${amphoraWords("ram")}` : `Octavia's amphorae on ${where}, the ${amphorae?.count} the tenants' load-balancer quotas let it boot, need ${ram} GiB`}, but ${offers(room, "ram", " GiB")}${lb ? byBalancers : many ? ` (the largest of the ${of.length} quotas is tenant ${spec.tenants[at].name}'s, ${quotas[at].ramGiB} GiB)` : ""}${why}`,
      });
    }
  };
  const { byPool, unpinned } = chargeQuotas(pools, quotas);
  // What Octavia's amphorae take of the pool their flavor asks for.
  const amphoraeOn = (p: PoolModel, key: "vcpus" | "ramGiB") =>
    amphorae && octavia?.pool === p.id ? amphorae[key] : 0;
  for (const [p, c] of byPool) {
    const allSpare =
      p.capacity.spareHosts >= p.capacity.hosts
        ? `: its ${p.capacity.hosts === 1 ? "only host is" : `${p.capacity.hosts} hosts are all`} kept spare (spareHosts); add hosts, or set spareHosts: 0`
        : "";
    const amphoraPool = amphoraeOn(p, "vcpus") > 0;
    // Where every flavor takes devices or local disk, those, not the CPUs, bound what guests take.
    const disk = p.capacity.diskBound?.caps ? p.capacity.diskBound : undefined;
    const bound = p.capacity.deviceBound;
    const devices = disk
      ? `: every flavor of it has a root disk on the hosts' own disks (storage.ephemeral: local), so a host's guests, which boot from images without Cinder, take at most ${disk.vcpus} CPUs and ${disk.ramGiB} GiB, as many as its ${disk.diskGiB} GiB of disks for them place${bound ? " and its devices allow" : ""}; add hosts or disks, give flavors smaller root disks, deploy Cinder so guests may boot from volumes, or keep instance disks in Ceph`
      : bound
        ? `: every flavor of it takes passthrough devices, so a host's guests take at most ${bound.vcpus} CPUs and ${bound.ramGiB} GiB, as many as its devices allow; add hosts, or flavors that take fewer devices`
        : "";
    if (c.tenants.length || amphoraPool)
      check(
        `pool ${p.id}`,
        c.tenants,
        c.vcpus + amphoraeOn(p, "vcpus"),
        round(c.ramGiB + amphoraeOn(p, "ramGiB")),
        {
          vcpus: p.capacity.quotableCpus,
          ram: round(p.capacity.quotableRamGiB),
          ...(p.capacity.quotaOvercommit > 1
            ? {
                overcommit: {
                  vcpus: p.capacity.usableCpus,
                  ram: round(p.capacity.usableRamGiB),
                  factor: `its quota overcommit ${p.capacity.quotaOvercommit}`,
                },
              }
            : {}),
        },
        allSpare || devices,
        allSpare || devices || pinnedShort(p),
        p.capacity.dedicatedCpus > 0 ? " dedicated CPUs" : " vCPUs",
        amphoraPool ? withAmphorae(true) : undefined,
        { vcpus: amphoraeOn(p, "vcpus"), ram: amphoraeOn(p, "ramGiB") },
      );
  }
  // Pinned or not, every quota draws on the cloud's capacity.
  const sum = (f: (p: PoolModel) => number, of = pools) => of.reduce((t, p) => t + f(p), 0);
  // Tenants on no pool boot only where their flavors are: the pools with a public flavor or one
  // they list, less what the tenants on those pools take there.
  const listed = new Set(unpinned.flatMap((i) => spec.tenants[i].flavors ?? []));
  const reach = pools.filter((p) => p.flavors.some((f) => f.public || listed.has(f.name)));
  if (unpinned.length && reach.length < pools.length && !issues.length) {
    const left = (f: (p: PoolModel) => number, taken: (p: PoolModel) => number) =>
      round(
        Math.max(
          0,
          sum((p) => f(p) - taken(p), reach),
        ),
      );
    check(
      `no pool, which boot only on the pools their flavors reach (${reach.map((p) => p.id).join(", ") || "none"}), less what the tenants on those pools${amphorae && reach.some((p) => octavia?.pool === p.id) ? " and Octavia's amphorae" : ""} take there,`,
      unpinned,
      unpinned.reduce((t, i) => t + quotas[i].cores, 0),
      unpinned.reduce((t, i) => t + quotas[i].ramGiB, 0),
      {
        vcpus: left(
          (p) => p.capacity.quotableCpus,
          (p) => (byPool.get(p)?.vcpus ?? 0) + amphoraeOn(p, "vcpus"),
        ),
        ram: left(
          (p) => p.capacity.quotableRamGiB,
          (p) => (byPool.get(p)?.ramGiB ?? 0) + amphoraeOn(p, "ramGiB"),
        ),
      },
    );
  }
  if (quotas.length && !issues.length)
    check(
      "the cloud",
      quotas.map((_, i) => i),
      quotas.reduce((t, q) => t + q.cores, 0) + (amphorae?.vcpus ?? 0),
      round(quotas.reduce((t, q) => t + q.ramGiB, 0) + (amphorae?.ramGiB ?? 0)),
      {
        vcpus: sum((p) => p.capacity.quotableCpus),
        ram: round(sum((p) => p.capacity.quotableRamGiB)),
        ...(pools.some((p) => p.capacity.quotaOvercommit > 1)
          ? {
              overcommit: {
                vcpus: sum((p) => p.capacity.usableCpus),
                ram: round(sum((p) => p.capacity.usableRamGiB)),
                factor: "the pools' quota overcommit",
              },
            }
          : {}),
      },
      diskCapped(pools),
      diskCapped(pools),
      " vCPUs",
      withAmphorae(false),
      { vcpus: amphorae?.vcpus ?? 0, ram: amphorae?.ramGiB ?? 0 },
    );
  return issues;
}

/** The pools whose local disks bound what their guests take, as a reason of the cloud's sum. */
function diskCapped(pools: readonly PoolModel[]): string {
  const capped = pools.filter((p) => p.capacity.diskBound?.caps).map((p) => p.id);
  return capped.length
    ? `: on ${capped.join(", ")}, guests boot from images without Cinder and take no more than the hosts' disks hold their root disks for (storage.ephemeral: local)`
    : "";
}

/**
 * Backup quotas past what Swift holds at the policy of cinder-backup's containers (the default
 * one unless the backup container names another): each backup counts its volume's whole size,
 * and Swift refuses writes once its disks are full.
 */
export function backupQuotaIssues(
  swift: Pick<SwiftModel, "usableTB" | "policies"> | undefined,
  tenants: readonly Pick<TenantModel, "quota">[],
  defaulted: number,
  /** The storage policy cinder-backup makes its containers with, when not the default. */
  policyName?: string,
): SpecIssue[] {
  if (!swift) return [];
  const backupGiB = tenants.reduce((s, t) => s + t.quota.backupGiB, 0);
  const policy = swift.policies.find((p) => p.name === policyName);
  const usableGiB = Math.floor(((policy?.usableTB ?? swift.usableTB) * 1e12) / 2 ** 30);
  const where = policy ? `its policy ${policy.name}` : "its default policy";
  if (backupGiB <= usableGiB) return [];
  const note = defaulted
    ? ` (${defaulted === 1 ? "a tenant" : `${defaulted} tenants`} without quota.backupGiB ${defaulted === 1 ? "counts its" : "count their"} volume quota)`
    : "";
  return [
    {
      code: "backup-quota-exceeds-swift",
      path: ["tenants"],
      severity: "warning",
      message: `the tenants' backup quotas add up to ${backupGiB} GiB${note}, but Swift holds ${usableGiB} GiB at ${where}, the policy of cinder-backup's containers, beside every other object on its disks: each backup counts its volume's size (compressed as it is written, so less where the data compresses), and Swift refuses writes once its disks fill, before the quotas stop anyone; lower the tenants' backupGiB or add Swift storage`,
    },
  ];
}

/**
 * Volume quotas past Ceph's block capacity before nearfull: RBD volumes are thin and Cinder's
 * over-subscription admits them, so the cluster fills before the quotas stop anyone.
 */
export function volumeQuotaIssues(
  block: HeadroomModel["blockStorage"],
  defaulted: number,
): SpecIssue[] {
  if (!block) return [];
  const note = defaulted
    ? ` (${defaulted === 1 ? "a tenant" : `${defaulted} tenants`} without quota.volumeGiB ${defaulted === 1 ? "counts" : "count"} the default ${DEFAULTS.tenantQuota.volumeGiB} GiB)`
    : "";
  const issue = (what: string, holds: string): SpecIssue => ({
    code: "volume-quota-exceeds-ceph",
    path: ["tenants"],
    severity: "warning",
    message: `${what}, but ${holds} before nearfull: volumes are thin and Cinder admits them, so Ceph fills and stops writes before the quotas stop anyone; lower the quotas or add OSD hosts`,
  });
  const claimed = (c: { quotaGiB: number; backupGiB?: number; instanceDiskGiB?: number }) =>
    c.quotaGiB + (c.backupGiB ?? 0) + (c.instanceDiskGiB ?? 0);
  const classes = (block.classes ?? []).filter((c) => claimed(c) > c.usableGiB);
  const backups = block.backupGiB ?? 0;
  // Root disks on Ceph: each tenant's instances at the largest root disk it may boot.
  const disks = (gib?: number) =>
    gib
      ? `, and instance root disks Nova keeps there ${gib} GiB more (each tenant's instance quota times the largest root disk of the flavors it may boot)`
      : "";
  return [
    ...(claimed(block) > block.usableGiB
      ? [
          issue(
            `${
              backups
                ? `tenant volume quotas that can reach Ceph add up to ${block.quotaGiB} GiB${note}, and their backup quotas, whose backups cinder-backup keeps in Ceph, to ${backups} GiB more`
                : `tenant volume quotas that can reach Ceph add up to ${block.quotaGiB} GiB${note}`
            }${disks(block.instanceDiskGiB)}`,
            `Ceph holds ${block.usableGiB} GiB of volumes, ${backups ? "backups, " : ""}images and instance disks`,
          ),
        ]
      : []),
    ...classes.map((c) =>
      issue(
        c.volumeTypes.length
          ? `the tenants' volumes of type${c.volumeTypes.length > 1 ? "s" : ""} ${c.volumeTypes.join(", ")} may take ${c.quotaGiB} GiB (their limits for ${c.volumeTypes.length > 1 ? "those types" : "that type"}, else their volume quotas)${c.backupGiB ? `, and their backup quotas, whose backups cinder-backup keeps on these OSDs, to ${c.backupGiB} GiB more` : ""}${disks(c.instanceDiskGiB)}`
          : c.backupGiB
            ? `the tenants' backup quotas, whose backups cinder-backup keeps on the ${c.deviceClass} OSDs, add up to ${c.backupGiB} GiB${disks(c.instanceDiskGiB)}`
            : `instance root disks Nova keeps on the ${c.deviceClass} OSDs may take ${c.instanceDiskGiB ?? 0} GiB (each tenant's instance quota times the largest root disk of the flavors it may boot)`,
        `the ${c.deviceClass} OSDs hold ${c.usableGiB} GiB of their pools' block data`,
      ),
    ),
  ];
}

/**
 * Local instance disks past the compute hosts' disks: Placement counts each host's DISK_GB
 * (disk_allocation_ratio 1.0) and places no instance past it, whatever the quotas allow.
 */
export function localDiskIssues(
  pools: readonly PoolModel[],
  hardware: ReadonlyMap<string, HardwareModel>,
  tenants: readonly Pick<TenantModel, "quota" | "flavors">[],
): SpecIssue[] {
  // (hardware declaring no disks: what the hosts hold is not known)
  if (pools.some((p) => !hardware.get(p.hardware)?.disks.length)) return [];
  const claimed = instanceDiskQuota(tenants, pools);
  const toGiB = (gb: number) => Math.floor((gb * 1e9) / 2 ** 30);
  // The hosts a pool keeps after its spares, with every disk they have.
  const holds = pools.reduce(
    (sum, p) =>
      sum +
      (p.capacity.hosts - p.capacity.spareHosts) *
        toGiB(hardware.get(p.hardware)?.instanceDiskGB ?? 0),
    0,
  );
  if (claimed <= holds) return [];
  return [
    {
      code: "instance-disk-exceeds-local",
      path: ["storage", "ephemeral"],
      severity: "warning",
      message: `the tenants' quotas let their instances' root disks take ${claimed} GiB (each tenant's instance quota times the largest root disk of the flavors it may boot), but the compute hosts' disks hold ${holds} GiB together (the disks each host but the spares gives instance disks, the system's disk apart where a host has others), where instance disks are local: Placement places no instance past a host's disk (DISK_GB), so instances fail to boot before the quotas stop anyone; lower the quotas, give the flavors smaller root disks or boot from volumes (diskGiB: 0), or keep instance disks in Ceph (storage.ephemeral: ceph)`,
    },
  ];
}

/**
 * Tenant networks take their segment from the tenant range (VNIs or VLANs), and so does each
 * project's HA network when its routers are HA under Open vSwitch (Neutron makes one per project
 * at its first HA router; OVN has none): Neutron refuses a network once the range is spent.
 */
export function segmentRangeIssues(spec: Spec, networkHosts: number): SpecIssue[] {
  const net = spec.network;
  const type = net.tenantNetworkType;
  const range =
    type === "vlan"
      ? net.tenantVlanRange && {
          ...net.tenantVlanRange,
          field: "tenantVlanRange",
          unit: "VLAN IDs",
        }
      : type === "flat"
        ? undefined
        : { ...net.vniRange, field: "vniRange", unit: "segment IDs" };
  if (!range || range.min > range.max) return [];
  const size = range.max - range.min + 1;
  // (Open vSwitch's L3 HA makes a VRRP network per project; OVN has none)
  const mechanism = neutronMechanism(net);
  const haNetworks = mechanism === "ovs" && haRouters(networkHosts, type, mechanism);
  const networked = spec.tenants.filter((t) => t.network).length;
  const legacyRouter = spec.legacyUnix ? 1 : 0;
  const haStacks = haNetworks ? networked + legacyRouter : 0;
  const stacks = networked + haStacks;
  const quota = (t: Spec["tenants"][number], key: "networks" | "routers") =>
    t.quota[key] ?? DEFAULTS.tenantQuota[key];
  const quotaNetworks = spec.tenants.reduce((n, t) => n + quota(t, "networks"), 0);
  const haQuota = haNetworks
    ? spec.tenants.filter((t) => t.network || quota(t, "routers") > 0).length + legacyRouter
    : 0;
  const byQuota = quotaNetworks + haQuota;
  const held = `network.${range.field} ${range.min}-${range.max} holds ${size} ${range.unit}`;
  const ha = (n: number) =>
    ` and ${n} HA router ${n === 1 ? "network" : "networks"} (under Open vSwitch, Neutron makes one from the same range for each project with an HA router)`;
  const path = ["network", range.field];
  if (stacks > size)
    return [
      {
        code: "segment-range-small",
        path,
        severity: "error",
        message: `${held}, and the design's stacks take ${stacks}: ${networked} tenant ${networked === 1 ? "network" : "networks"}${haStacks ? ha(haStacks) : ""}; Neutron refuses a network once the range is spent ("No tenant network is available for allocation"); widen the range to at least ${stacks} ${range.unit}`,
      },
    ];
  if (byQuota > size)
    return [
      {
        code: "segment-range-quota",
        path,
        severity: "warning",
        message: `${held}, and the tenants' quotas let their projects make ${quotaNetworks} networks (quota.networks)${haQuota ? ha(haQuota) : ""}, ${byQuota} in all: past the range's end Neutron refuses a network (no tenant network is available for allocation); widen the range, or lower the tenants' network quotas`,
      },
    ];
  return [];
}

/** BlueStore's default osd_memory_target: the memory each OSD daemon grows its caches to. */
const OSD_MEMORY_GIB = 4;
/** An OSD host's own share: the OS, and the monitor, manager or gateway some of them run. */
const OSD_HOST_RESERVE_GIB = 8;

/**
 * OSD hosts whose memory the OSDs' default target overruns: the kernel then reclaims or kills
 * OSDs under load, the moment recovery needs them.
 */
export function cephMemoryIssues(
  ceph: Pick<CephModel, "nodes" | "deviceClasses"> | undefined,
  hardware: { readonly name: string; readonly memoryGiB: number } | undefined,
): SpecIssue[] {
  if (!ceph || !hardware || !ceph.nodes.length) return [];
  const perHost = Math.ceil(ceph.deviceClasses.reduce((n, c) => n + c.osds, 0) / ceph.nodes.length);
  const need = perHost * OSD_MEMORY_GIB + OSD_HOST_RESERVE_GIB;
  if (hardware.memoryGiB >= need) return [];
  return [
    {
      code: "ceph-osd-memory",
      path: ["storage", "ceph", "hardware"],
      severity: "warning",
      message: `each OSD host (hardware profile ${hardware.name}) has ${hardware.memoryGiB} GiB for ${perHost} OSDs, whose daemons grow to ${OSD_MEMORY_GIB} GiB each (BlueStore's osd_memory_target), ${perHost * OSD_MEMORY_GIB} GiB before the OS and the monitors, managers and gateways some hosts run: under load, and in recovery most, they outgrow it and the kernel kills OSDs; give the profile at least ${need} GiB`,
    },
  ];
}
