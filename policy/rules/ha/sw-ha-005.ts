import type { ModelRule } from "../../rule";
import type { NodeRole } from "../../../model/types";
import { plural, specPath } from "../../private/targets";
import { DEFAULTS } from "../../../core/defaults";

const MIN_SOURCES = DEFAULTS.ntpMinSources;
/** The fewest controllers serving that many sources: an even count is refused (controllers-even). */
const CONTROLLERS = MIN_SOURCES % 2 ? MIN_SOURCES : MIN_SOURCES + 1;

/** Every node syncs from at least two time sources, so one source failing does not stop time. */
export const ntpSources: ModelRule = {
  id: "SW-HA-005",
  scope: "model",
  severity: "error",
  title: "Every node role has at least two NTP sources",
  help:
    "Galera, Ceph monitors and Keystone tokens break when clocks drift. Each node role needs at " +
    "least two time sources: the controllers from ntp.servers, the other nodes from the servers " +
    "or from the controllers (ntp.clients).",
  check(model) {
    const roles = [...new Set(model.nodes.map((n) => n.role))];
    if (!model.ntp) {
      return roles.length
        ? [
            {
              target: specPath("ntp"),
              message: "no NTP servers are declared; no node has a time source",
              fix: "declare at least two NTP servers in ntp.servers",
            },
          ]
        : [];
    }
    const ntp = model.ntp;
    return roles
      .map((role): [NodeRole, number] => [role, ntp.sources[role]?.length ?? 0])
      .filter(([, count]) => count < MIN_SOURCES)
      .map(([role, count]) => ({
        target: specPath("ntp", role === "controller" ? "servers" : "clients"),
        message: `${role} nodes sync from ${plural(count, "NTP source")}; one failure leaves them without time`,
        fix:
          role === "controller"
            ? `list at least ${MIN_SOURCES} servers in ntp.servers`
            : `set ntp.clients to servers, or run at least ${CONTROLLERS} controllers`,
      }));
  },
};
