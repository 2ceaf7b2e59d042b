import type { ModelRule } from "../../rule";
import { poolPath } from "../../private/targets";
import { DEFAULTS } from "../../../core/defaults";

/** Above these, noisy neighbours and CPU steal dominate latency. */
export const MAX_VCPUS_PER_CORE = 5;
export const MAX_VCPUS_PER_THREAD = 3;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Shared-CPU pools overcommit within what the hardware can carry. */
export const cpuOvercommit: ModelRule = {
  id: "SW-CAP-001",
  scope: "model",
  severity: "warning",
  title: `CPU allocation stays within ${MAX_VCPUS_PER_CORE} vCPUs per physical core and ${MAX_VCPUS_PER_THREAD} per thread`,
  help:
    "Placement multiplies a host's threads by cpu_allocation_ratio, so a pool offers " +
    "ratio vCPUs per thread and ratio x threadsPerCore per physical core. Beyond " +
    `${MAX_VCPUS_PER_CORE} per core or ${MAX_VCPUS_PER_THREAD} per thread, CPU steal makes ` +
    "latency unpredictable. Lower cpuAllocationRatio, or suppress with the reason for pools " +
    "that are meant to be dense (development, batch). Pinned pools are not overcommitted.",
  check(model) {
    return model.pools
      .filter((p) => !p.cpuPinning)
      .flatMap((p) => {
        const hw = model.hardware.find((h) => h.name === p.hardware);
        if (!hw) return [];
        const perThread = p.cpuAllocationRatio;
        const perCore = round2(p.cpuAllocationRatio * hw.threadsPerCore);
        if (perCore <= MAX_VCPUS_PER_CORE && perThread <= MAX_VCPUS_PER_THREAD) return [];
        const limit = round2(
          Math.min(MAX_VCPUS_PER_THREAD, MAX_VCPUS_PER_CORE / hw.threadsPerCore),
        );
        // Where every flavor takes passthrough devices or local disk, those bound what guests take.
        // (a disk bound only where no guest may boot from a volume, which asks no disk)
        const disk = p.capacity.diskBound;
        const bound = (disk?.caps ? disk : undefined) ?? p.capacity.deviceBound;
        if (bound && bound.vcpus <= (hw.threads - p.reservedHostCpus) * limit) return [];
        // Only the limits it passes: "3 per thread, above 3 per thread" reads as a contradiction.
        const above = [
          ...(perCore > MAX_VCPUS_PER_CORE ? [`${MAX_VCPUS_PER_CORE} per core`] : []),
          ...(perThread > MAX_VCPUS_PER_THREAD ? [`${MAX_VCPUS_PER_THREAD} per thread`] : []),
        ];
        return [
          {
            target: poolPath(p, "cpuAllocationRatio"),
            message:
              `pool ${p.id} allocates ${perCore} vCPUs per physical core and ${perThread} per thread ` +
              `(ratio ${p.cpuAllocationRatio}${p.cpuAllocationRatio === DEFAULTS.cpuAllocationRatio ? ", Nova's default" : ""}, ${hw.name} has ${hw.threadsPerCore} thread${hw.threadsPerCore === 1 ? "" : "s"} per core); ` +
              `above ${above.join(" and ")}`,
            fix: `lower cpuAllocationRatio of pool ${p.name} to at most ${limit}`,
            values: { limit },
          },
        ];
      });
  },
};
