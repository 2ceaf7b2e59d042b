import type { ModelRule } from "../../rule";
import { specPath } from "../../private/targets";

/** Opening the APIs and the dashboard to the whole internet is a decision, not a default. */
export const userEndpointsScoped: ModelRule = {
  id: "SW-SEC-009",
  scope: "model",
  severity: "warning",
  title: "The networks users reach the APIs and dashboard from are declared",
  help:
    "securityZones.userCidrs says where API and dashboard users connect from. Left unset it is " +
    "0.0.0.0/0, so Keystone, Nova, Neutron, Glance, Cinder and Horizon answer the whole internet " +
    "and every login form and token endpoint is exposed to password spraying. Declare the " +
    "corporate and VPN ranges, or write userCidrs: [0.0.0.0/0] when the cloud is public on purpose.",
  check(model) {
    if (model.securityZones.userCidrsDeclared) return [];
    return [
      {
        target: specPath("securityZones", "userCidrs"),
        message: `userCidrs is unset, so the user-facing endpoints are open to ${model.securityZones.userCidrs.join(", ")}`,
        fix: "set securityZones.userCidrs to the networks API and dashboard users connect from",
      },
    ];
  },
};
