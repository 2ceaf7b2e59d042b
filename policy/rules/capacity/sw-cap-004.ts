import type { ModelRule } from "../../rule";
import { specPath } from "../../private/targets";

/** Ceph keeps three copies (or two coding chunks), so a failure during recovery loses nothing. */
export const cephReplicaSize: ModelRule = {
  id: "SW-CAP-004",
  scope: "model",
  severity: "error",
  title: "Ceph replica size is at least 3 (erasure coding: m at least 2)",
  help:
    "With 2 replicas (or m = 1) a second disk failure while the first one recovers loses data, " +
    "and min_size 1 accepts writes with a single copy. Use replicated: 3, or erasure coding " +
    "with m >= 2.",
  check(model) {
    const ceph = model.storage.ceph;
    if (!ceph) return [];
    const p = ceph.protection;
    if (p.kind === "replicated" && p.size < 3) {
      return [
        {
          target: specPath("storage", "ceph", "protection"),
          message: `Ceph keeps ${p.size} replica${p.size === 1 ? "" : "s"} (min_size ${p.minSize}); one more failure during recovery loses data`,
          fix: "set storage.ceph.protection to { replicated: 3 }",
        },
      ];
    }
    if (p.kind === "erasure-coded" && p.m < 2) {
      return [
        {
          target: specPath("storage", "ceph", "protection"),
          message: `erasure coding k=${p.k}+m=${p.m} survives a single failure only`,
          fix: "use m of at least 2 in storage.ceph.protection.erasureCoded",
        },
      ];
    }
    return [];
  },
};
