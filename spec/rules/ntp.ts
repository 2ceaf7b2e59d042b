import { type Spec } from "../schema";
import { DEFAULTS } from "../../core/defaults";
import { Findings, duplicates } from "./findings";

export function ntp(spec: Spec, f: Findings) {
  const n = spec.ntp;
  if (!n) {
    f.warn(
      "ntp-missing",
      ["ntp"],
      "no NTP servers declared; clocks will drift and Galera, Ceph and Keystone tokens depend on them",
    );
    return;
  }
  if (n.servers.length < DEFAULTS.ntpMinSources) {
    f.error(
      "ntp-sources",
      ["ntp", "servers"],
      `controllers need at least ${DEFAULTS.ntpMinSources} NTP sources; ${n.servers.length} declared`,
    );
  }
  if (n.clients === "controllers" && spec.controlPlane.controllers < DEFAULTS.ntpMinSources) {
    f.error(
      "ntp-sources",
      ["ntp", "clients"],
      `nodes syncing from ${spec.controlPlane.controllers} controller get fewer than ${DEFAULTS.ntpMinSources} sources; set clients: servers`,
    );
  }
  duplicates(
    n.servers,
    (s) => s,
    f,
    (i) => ["ntp", "servers", i],
    "NTP server",
  );
}
