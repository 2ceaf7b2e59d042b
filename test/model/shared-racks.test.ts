import { renderArchitecture } from "../support/documents";
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
    expect(shared.racks.find((r) => r.name === "r1")?.zones).toEqual(["az1", "zz-room"]);
    expect(shared.racks.find((r) => r.name === "r2")?.zones).toEqual(["az1"]);
  });

  test("the physical diagram draws the shared rack in the zone its hosts are counted in", async () => {
    const { markdown } = await renderArchitecture(shared);
    const lines = markdown.split("\n");
    // (the physical diagram's zone boxes hold racks; the logical one's pools)
    const under = (zone: string) =>
      lines.flatMap((l, i) =>
        new RegExp(`subgraph \\w+\\["Zone ${zone}\\b`).test(l) ? [lines[i + 1]] : [],
      );
    expect(under("az1").some((l) => /subgraph \w+\["Rack r1"\]/.test(l))).toBe(true);
    expect(under("zz-room").some((l) => /Rack r1/.test(l))).toBe(false);
  });
});

test("a zone of racks only may leave its pools out", () => {
  const { model } = load(variant((s) => s.zones.push({ name: "witness", racks: ["w1"] })));
  expect(model.zones.find((z) => z.name === "witness")).toMatchObject({ racks: ["w1"] });
  expect(model.capacity.availabilityZones).toBe(2);
});

test("a rack holding more than 42U of servers and switches is warned, by the servers' rack units", () => {
  const found = (edit: (s: any) => void) =>
    load(variant(edit)).warnings.filter((w) => w.code === "rack-overfull");
  const warned = (edit: (s: any) => void) => found(edit).map((w) => w.message);
  // GIVEN az1's web pool over its three racks, a controller in each
  expect(warned(() => {})).toEqual([]);
  // WHEN its 4U GPU-sized servers are 30: 10 a rack, 40U, beside a controller and two switches
  const [message] = warned((s) => {
    s.hardware[1].rackUnits = 4;
    s.zones[0].pools[0].hosts = 30;
  });
  expect(message).toMatch(
    /^rack r1's 11 servers and its switches take 43U by the hardware's rackUnits/,
  );
  // (each rack warned where its zone lists it, so one rack's suppression holds for it alone)
  expect(
    found((s) => {
      s.hardware[1].rackUnits = 4;
      s.zones[0].pools[0].hosts = 30;
    }).map((w) => w.path.join(".")),
  ).toEqual(["zones.0.racks.0", "zones.0.racks.1", "zones.0.racks.2"]);
});

test("servers of no rack, one rack to the switch plan and the proposal, are held to it alike", () => {
  // GIVEN az2's app pool of no rack: 3 hosts and their switches, then 45 of 1U
  const warned = (hosts: number) =>
    load(variant((s) => (s.zones[1].pools[0].hosts = hosts))).warnings.filter(
      (w) => w.code === "rack-overfull",
    );
  expect(warned(3)).toEqual([]);
  expect(warned(45).map((w) => w.message)).toEqual([
    "the 45 servers of no rack, which the switch plan and the proposal count as one rack, and their switches take 47U by the hardware's rackUnits (1U where a profile states none), beyond the 42U of a standard rack; spread the servers over more racks",
  ]);
});
