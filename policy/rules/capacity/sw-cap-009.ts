import type { ModelRule } from "../../rule";
import { poolSize } from "../../../model/design-facts";
import { specPath } from "../../private/targets";

/** Each amphora takes an address of the octavia network's pool: the quotas must fit in it. */
export const amphoraAddresses: ModelRule = {
  id: "SW-CAP-009",
  scope: "model",
  severity: "warning",
  title:
    "The octavia network's address pool holds the amphorae of every load balancer the quotas allow",
  help:
    "Octavia boots one amphora per load balancer (Kolla-Ansible's SINGLE topology), two with " +
    "active-standby, each with a port on the amphora management network from its Neutron " +
    "allocation pool. Load balancers past the pool's size go to ERROR although the tenants' " +
    "quotas allow them.",
  check(model) {
    const octavia = model.controlPlane.octavia;
    if (!octavia) return [];
    const network = model.networks.find((n) => n.role === "octavia");
    if (!network) return [];
    const pool = poolSize(network);
    const allowed = model.tenants.reduce((sum, t) => sum + t.quota.loadBalancers, 0);
    const amphorae = allowed * octavia.amphoraePerLoadBalancer;
    if (amphorae <= pool) return [];
    const each =
      octavia.amphoraePerLoadBalancer === 1
        ? "one amphora each"
        : `${octavia.amphoraePerLoadBalancer} amphorae each (${amphorae} in all)`;
    return [
      {
        target: specPath("network", "networks", network.name, "cidr"),
        message: `the tenants' quotas allow ${allowed} load balancers, ${each}, but the allocation pool of ${network.name} (${network.cidr}) has ${pool} addresses`,
        fix: "use a larger prefix for the octavia network, or lower the tenants' quota.loadBalancers",
      },
    ];
  },
};
