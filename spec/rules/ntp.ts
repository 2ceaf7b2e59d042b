import { type Spec } from "../schema";
import { Findings, duplicates } from "./findings";

/**
 * NTP servers are listed once each. How many sources every node role gets is an HA judgement on
 * the resolved model: policy rule SW-HA-005 is its one home.
 */
export function ntp(spec: Spec, f: Findings) {
  if (!spec.ntp) return;
  duplicates(
    spec.ntp.servers,
    (s) => s,
    f,
    (i) => ["ntp", "servers", i],
    "NTP server",
  );
}
