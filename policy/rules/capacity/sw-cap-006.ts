import type { ModelRule } from "../../rule";
import { specPath } from "../../private/targets";

/** Spare zones let Swift restore full durability while a zone is down. */
export const swiftZoneRecommendation: ModelRule = {
  id: "SW-CAP-006",
  scope: "model",
  severity: "info",
  title: "Swift has two zones more than replicas (5 zones for 3 replicas)",
  help:
    "With exactly as many zones as replicas, a failed zone leaves Swift nowhere to re-create " +
    "the missing copies until it returns. Two spare zones (5 for 3 replicas) keep three copies " +
    "through a zone outage and spread rebalancing load.",
  check(model) {
    const swift = model.storage.swift;
    if (!swift || swift.replicas < 3) return [];
    const spare = swift.replicas + 2;
    // Fewer zones than replicas is the spec rule swift-zones' error.
    if (swift.zones < swift.replicas || swift.zones >= spare) return [];
    // Only a count the storage nodes take evenly, with replicas kept apart (the spec's Swift
    // warnings name the same counts): the fewest of two spare zones, else one more than now.
    const more = swift.zoneCounts.filter((c) => c > swift.zones);
    const recommended = more.find((c) => c >= spare) ?? more[0];
    return [
      {
        target: specPath("storage", "swift", "zones"),
        message:
          swift.zones === swift.replicas
            ? `${swift.replicas} replicas over ${swift.zones} zones leave no zone to re-create copies in during a zone outage`
            : `${swift.replicas} replicas over ${swift.zones} zones leave one zone to re-create copies in during a zone outage, which takes all of that rebalancing, and none during a second`,
        // (no count the storage nodes take evenly: more nodes first)
        fix:
          recommended === undefined
            ? `add storage nodes (or racks for them) until ${spare} zones keep them even and replicas apart, then use ${spare} zones for ${swift.replicas} replicas: no count above ${swift.zones} does on these ${swift.storageNodes.length}`
            : `use ${recommended} zones for ${swift.replicas} replicas`,
        values: (recommended === undefined
          ? {
              zones: spare,
              replicas: swift.replicas,
              nodes: swift.storageNodes.length,
              now: swift.zones,
              variant: "more-nodes",
            }
          : { zones: recommended, replicas: swift.replicas }) as Record<string, string | number>,
      },
    ];
  },
};
