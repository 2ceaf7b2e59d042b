import { load, variant } from "../support/fixtures";

describe("zones sharing a site's racks", () => {
  // GIVEN a zone of racks only (zz-room) that lists az1's rack r1: zones may
  // share a site's racks, and the controllers and az1's hosts stand in r1
  const shared = load(
    variant((s) => {
      s.zones.push({ name: "zz-room", racks: ["r1"], pools: [] });
    }),
  ).model;
  const alone = load(variant(() => {})).model;

  test("a node's zone is its pool's, else the first zone listing its rack, the same everywhere", () => {
    // THEN the zone-loss row judges the controllers in az1 as before, not in zz-room
    const row = (m: typeof shared) => m.recovery.find((r) => r.scenario === "zone");
    expect(row(shared)).toMatchObject({
      outcome: row(alone)!.outcome,
      params: { zone: "az1", controllers: row(alone)!.params.controllers },
    });
    expect(row(shared)!.params.controllers).toBeGreaterThan(1);
    // AND the rack's elevation names both zones listing it
    expect(shared.racks.find((r) => r.name === "r1")?.zone).toBe("az1, zz-room");
    expect(shared.racks.find((r) => r.name === "r2")?.zone).toBe("az1");
  });
});

test("a zone of racks only may leave its pools out", () => {
  const { model } = load(variant((s) => s.zones.push({ name: "witness", racks: ["w1"] })));
  expect(model.zones.find((z) => z.name === "witness")).toMatchObject({ racks: ["w1"] });
  expect(model.capacity.availabilityZones).toBe(2);
});
