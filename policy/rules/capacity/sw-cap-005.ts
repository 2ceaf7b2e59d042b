import type { ModelRule, Violation } from "../../rule";
import { specPath } from "../../private/targets";

/** Swift places each replica of an object in a different zone. */
export const swiftZonesForReplicas: ModelRule = {
  id: "SW-CAP-005",
  scope: "model",
  severity: "error",
  title: "Swift has at least as many zones as replicas",
  help:
    "The ring puts each replica in its own zone; with fewer zones than replicas two copies " +
    "share a failure domain and one zone failure loses two of them. Add zones (or storage " +
    "nodes) or lower the replica count of the ring and of every storage policy.",
  check(model) {
    const swift = model.storage.swift;
    if (!swift) return [];
    const out: Violation[] = [];
    if (swift.zones < swift.replicas) {
      out.push({
        target: specPath("storage", "swift", "zones"),
        message: `${swift.replicas} replicas over ${swift.zones} zones: two copies share a zone`,
        fix: `use at least ${swift.replicas} zones in storage.swift.zones`,
      });
    }
    for (const policy of swift.policies) {
      if (policy.replicas > swift.zones) {
        out.push({
          target: specPath("storage", "swift", "policies", policy.name, "replicas"),
          message: `storage policy ${policy.name} keeps ${policy.replicas} replicas over ${swift.zones} zones`,
          fix: `lower the policy's replicas to ${swift.zones} or add zones`,
        });
      }
    }
    return out;
  },
};
