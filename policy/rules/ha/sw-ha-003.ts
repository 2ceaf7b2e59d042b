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
      .flatMap((p) => {
        const groups = p.serverGroups.filter((g) => ANTI_AFFINITY.has(g.policy));
        if (!groups.length)
          return [
            {
              target: poolPath(p, "serverGroups"),
              message: `db-tier pool ${p.id} declares no anti-affinity server group; cluster members may land on one hypervisor`,
              fix: `add a server group with policy anti-affinity to pool ${p.name}`,
            },
          ];
        // Nova's max_server_per_host lets that many members share a hypervisor; a tenant
        // chooses the group its servers boot in, so the laxest one counts.
        const laxest = Math.max(...groups.map((g) => g.maxServersPerHost ?? 1));
        if (laxest < 2) return [];
        const names = groups
          .filter((g) => (g.maxServersPerHost ?? 1) === laxest)
          .map((g) => g.name);
        return [
          {
            target: poolPath(p, "serverGroups"),
            message: `db-tier pool ${p.id}'s anti-affinity server ${names.length === 1 ? "group" : "groups"} ${names.join(", ")} let ${laxest} members share a hypervisor: a cluster of fewer than ${2 * laxest + 1} members in ${names.length === 1 ? "it" : "them"} loses its quorum with one host`,
            fix: `remove maxServersPerHost from ${names.join(", ")} of pool ${p.name}, or size the clusters booted there to ${2 * laxest + 1} members or more`,
            values: { maxServersPerHost: laxest },
          },
        ];
      });
  },
};
