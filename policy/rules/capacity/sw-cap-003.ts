import type { ModelRule } from "../../rule";
import { poolPath } from "../../private/targets";

/** Every pool keeps a spare host so one failure does not strand its instances. */
export const spareHostHeadroom: ModelRule = {
  id: "SW-CAP-003",
  scope: "model",
  severity: "warning",
  title: "Every pool keeps N+1 headroom (at least one spare host)",
  help:
    "When a hypervisor fails, its instances are evacuated to the other hosts of the pool; " +
    "without a spare host's worth of free capacity they cannot restart. Keep spareHosts at 1 " +
    "or more; Stackwright already holds the spare capacity back from tenant quotas.",
  check(model) {
    return model.pools
      .filter((p) => p.capacity.spareHosts < 1)
      .map((p) => ({
        target: poolPath(p, "spareHosts"),
        message: `pool ${p.id} keeps no spare host; after a host failure its instances have nowhere to restart`,
        fix:
          p.capacity.hosts > 1
            ? `set spareHosts of pool ${p.name} to 1`
            : `add a host to pool ${p.name} and set spareHosts to 1`,
      }));
  },
};
