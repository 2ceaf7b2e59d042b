import type { Spec } from "../schema";
import { isValidCidr, overlaps, parseCidr, within, type Cidr } from "../../core/net";
import type { Findings } from "./findings";

/**
 * Tenant networks and the default subnet pool must agree: a tenant CIDR inside the pool is
 * allocated from it (so the pool never hands it out again), one outside it is a fixed CIDR. A CIDR
 * straddling the pool's edge fits neither, and two tenants cannot take the same prefix of the pool.
 */
export function tenantSubnetPool(spec: Spec, f: Findings): void {
  const prefixes = (spec.network.tenantSubnetPool?.prefixes ?? [])
    .filter(isValidCidr)
    .map(parseCidr);
  if (prefixes.length === 0) return;
  const taken: { cidr: Cidr; index: number }[] = [];
  spec.tenants.forEach((t, i) => {
    if (!t.network || !isValidCidr(t.network.cidr)) return;
    const cidr = parseCidr(t.network.cidr);
    const path = ["tenants", i, "network", "cidr"];
    const pool = prefixes.find((p) => within(cidr, p));
    if (!pool) {
      const crossed = prefixes.find((p) => overlaps(cidr, p));
      if (crossed)
        f.error(
          "tenant-network-subnet-pool",
          path,
          `${t.network.cidr} overlaps the tenant subnet pool prefix ${crossed.text} (network.tenantSubnetPool.prefixes) without lying inside it; use a CIDR inside the pool, to be allocated from it, or one outside it`,
        );
      return;
    }
    const other = taken.find((x) => overlaps(x.cidr, cidr));
    if (other)
      f.error(
        "tenant-network-subnet-pool",
        path,
        `${t.network.cidr} overlaps tenants[${other.index}].network.cidr (${other.cidr.text}); the subnet pool allocates each prefix once`,
      );
    else taken.push({ cidr, index: i });
  });
}
