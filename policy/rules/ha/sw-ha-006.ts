import type { ModelRule, Violation } from "../../rule";
import { plural, specPath } from "../../private/targets";

/** Several controllers are reached through virtual IPs, never through one controller's address. */
export const vipsPresent: ModelRule = {
  id: "SW-HA-006",
  scope: "model",
  severity: "error",
  title:
    "Several controllers are reached through an internal VIP, and an external one when exposed",
  help:
    "Clients that call one controller's address lose the API when that controller fails. With " +
    "more than one controller the APIs need an internal virtual IP, and an external one when the " +
    "design has an external network, held by keepalived or an Octavia load balancer.",
  check(model) {
    const n = model.controlPlane.controllers.length;
    if (n < 2) return [];
    const has = (name: string) => model.vips.some((v) => v.name === name);
    const out: Violation[] = [];
    if (!has("internal")) {
      out.push({
        target: specPath("controlPlane", "vips", "internal"),
        message: `${plural(n, "controller")} but no internal VIP: services reach the APIs through one controller`,
        fix: "set controlPlane.vips.internal to a free address of the internal-api network",
      });
    }
    if (!has("external") && model.networks.some((net) => net.external)) {
      out.push({
        target: specPath("controlPlane", "vips", "external"),
        message: `${plural(n, "controller")} and an external network but no external VIP: users reach the APIs through one controller`,
        fix: "set controlPlane.vips.external to a free address of the external network",
      });
    }
    return out;
  },
};
