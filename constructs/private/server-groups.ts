import type { Construct } from "constructs";
import { ComputeServergroupV2 } from "../../.gen/providers/openstack/compute-servergroup-v2";
import type { TenantModel } from "../../model/types";
import { stableIdOf } from "./construct-id";
import { tfLiteral } from "../../core/terraform-literal";

/**
 * The server groups of a tenant's pools. Nova makes a group in the project of the credentials
 * and lets a non-admin use only its own project's groups, so these belong in a stack applied
 * with the project's credentials.
 */
export function addServerGroups(scope: Construct, tenant: TenantModel): void {
  for (const g of tenant.serverGroups) {
    if (g.maxServersPerHost !== undefined && g.policy !== "anti-affinity")
      throw new Error(
        `server group ${g.name} of pool ${g.pool}: maxServersPerHost only applies to anti-affinity, not ${g.policy}; remove maxServersPerHost or use anti-affinity`,
      );
    const id = `server-group-${stableIdOf([g.pool, g.name])}`;
    if (scope.node.tryFindChild(id))
      throw new Error(
        `server group ${g.name} of pool ${g.pool} is declared twice; give each server group of a pool its own name`,
      );
    new ComputeServergroupV2(scope, id, {
      name: tfLiteral(g.novaName),
      policies: [g.policy],
      ...(g.maxServersPerHost !== undefined
        ? { rules: { maxServerPerHost: g.maxServersPerHost } }
        : {}),
    });
  }
}
