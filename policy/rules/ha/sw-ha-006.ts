import type { ModelRule, Violation } from "../../rule";
import { plural, specPath } from "../../private/targets";

/**
 * Several controllers are reached through an internal virtual IP, never one controller's address.
 * Without an external VIP Kolla puts the public endpoints on the internal one
 * (kolla_external_vip_address defaults to it), held by keepalived as well.
 */
export const vipsPresent: ModelRule = {
  id: "SW-HA-006",
  scope: "model",
  severity: "error",
  title: "Several controllers are reached through an internal VIP",
  help:
    "Clients that call one controller's address lose the API when that controller fails. With " +
    "more than one controller the APIs need an internal virtual IP, held by keepalived; without " +
    "an external VIP, Kolla puts the public endpoints on it too.",
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
    return out;
  },
};
