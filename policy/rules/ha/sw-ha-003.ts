import type { ModelRule } from "../../rule";
import { poolPath } from "../../private/targets";

const ANTI_AFFINITY = new Set(["anti-affinity", "soft-anti-affinity"]);

/** Database tiers run clustered databases whose members must not share a hypervisor. */
export const dbTierAntiAffinity: ModelRule = {
  id: "SW-HA-003",
  scope: "model",
  severity: "warning",
  title: "Pools of the db tier offer an anti-affinity server group",
  help:
    "Database clusters (Galera, Patroni, Oracle RAC) survive a host failure only when their " +
    "members run on different hypervisors. A db-tier pool should declare a server group with " +
    "policy anti-affinity (or soft-anti-affinity when the pool has fewer hosts than members).",
  check(model) {
    return model.pools
      .filter((p) => p.purpose.kind === "tier" && p.purpose.value === "db")
      .filter((p) => !p.serverGroups.some((g) => ANTI_AFFINITY.has(g.policy)))
      .map((p) => ({
        target: poolPath(p, "serverGroups"),
        message: `db-tier pool ${p.id} declares no anti-affinity server group; cluster members may land on one hypervisor`,
        fix: `add a server group with policy anti-affinity to pool ${p.name}`,
      }));
  },
};
