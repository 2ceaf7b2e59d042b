import type { ModelRule } from "../../rule";
import { poolPath } from "../../private/targets";

/** RAM overcommit swaps or kills guests when they use what they were promised. */
export const ramOvercommit: ModelRule = {
  id: "SW-CAP-002",
  scope: "model",
  severity: "warning",
  title: "RAM is not overcommitted (ram_allocation_ratio at most 1.0)",
  help:
    "Memory, unlike CPU, cannot be time-shared: when overcommitted guests use their RAM the " +
    "host swaps or its OOM killer stops instances. Keep ramAllocationRatio at 1.0, or suppress " +
    "with the reason for pools whose workloads are known to leave memory idle.",
  check(model) {
    return model.pools
      .filter((p) => p.ramAllocationRatio > 1)
      .map((p) => ({
        target: poolPath(p, "ramAllocationRatio"),
        message: p.cpuPinning
          ? `pool ${p.id} sets RAM ratio ${p.ramAllocationRatio}x on pinned hosts, where Nova overcommits no guest's memory (each guest's NUMA nodes must hold it): Placement offers memory no guest can take`
          : `pool ${p.id} overcommits RAM ${p.ramAllocationRatio}x; guests that use their memory make the host swap or kill instances`,
        fix: `set ramAllocationRatio of pool ${p.name} to 1.0`,
      }));
  },
};
