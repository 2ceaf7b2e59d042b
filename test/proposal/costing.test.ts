import type { Model } from "../../model/types";
import {
  costDesign,
  pricingIssues,
  unpricedReplacements,
  type CostLine,
} from "../../proposal/costing";
import { perUnit } from "../../proposal/money";
import { proposalDocuments } from "../../proposal/proposal";
import { UserError } from "../../core/errors";
import { CORE_SERVICES, cephCluster, load, variant } from "../support/fixtures";
import { pricedModel, testBook } from "./support";
import type { PriceBookInput } from "../../proposal/price-book";

// Base fixture: 3 controllers (ctrl: 1 socket), 4 + 3 compute hosts (cmp: 2 sockets), racks r1-r3
// holding every host: 6 top-of-rack switches.
const model = pricedModel();

/**
 * Ceph on 4 `stor` nodes (80 TB usable, a quarter for RGW, which serves the Swift API: no Swift
 * cluster beside it).
 */
const storageModel = load(
  variant((s) => {
    s.controlPlane.services = [...CORE_SERVICES, "swift"];
    s.storage = {
      ceph: cephCluster({
        protection: { erasureCoded: { k: 2, m: 2 } },
        pools: [
          { name: "volumes", application: "volumes", dataShare: 0.75 },
          { name: "objects", application: "rgw", dataShare: 0.25 },
        ],
      }),
      // (Glance keeps its images on a controller: no pool of their own)
      image: { backend: "file" },
    };
  }),
).model;

const brief = (l: CostLine) => [
  l.item ?? l.kind,
  l.quantity,
  l.unitPriceMinor,
  l.listMinor,
  l.discountMinor,
  l.netMinor,
];

test("a commercial replacement the book prices at 0 is named with what it replaces", () => {
  // GIVEN a design with Ceph volumes and licensed sockets, and a book pricing arrays and licences at 0
  const model = load(
    variant((s) => {
      s.zones[1].racks = ["r1", "r2", "r3"];
      s.storage = {
        ceph: cephCluster(),
        backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
      };
    }),
  ).model;
  const priced = (b: PriceBookInput) => b.hardware?.push({ profile: "stor", unitPrice: 15000 });
  const zero = testBook((b) => {
    priced(b);
    b.commercialAlternative.blockStoragePerUsableTB = 0;
    b.commercialAlternative.virtualizationPerSocket = 0;
  });
  const c = costDesign(model, zero);
  const block = c.commercial.oneOff.find((l) => l.kind === "block-storage")!;
  const sockets = c.commercial.oneOff.find((l) => l.kind === "virtualization")!;
  expect(block.quantity).toBeGreaterThan(0);
  // THEN both are named, with the quantities the commercial side would buy
  expect(unpricedReplacements(c)).toEqual([
    {
      field: "commercialAlternative.blockStoragePerUsableTB",
      quantity: block.quantity,
      per: "block-tb-held",
    },
    {
      field: "commercialAlternative.virtualizationPerSocket",
      quantity: sockets.quantity,
      per: "socket",
    },
  ]);
  // AND none for the book's own prices, nor for an object store the design does not have
  expect(unpricedReplacements(costDesign(model, testBook(priced)))).toEqual([]);
  const noObjectPrice = testBook((b) => {
    priced(b);
    b.commercialAlternative.objectStoragePerUsableTB = 0;
  });
  expect(unpricedReplacements(costDesign(model, noObjectPrice))).toEqual([]);
});

test("controllers deployed as VMs on the undercloud are neither bought, powered nor cabled", async () => {
  // GIVEN the base fixture with its controllers as VMs on an undercloud
  const vms = load(
    variant((s) => {
      s.zones[1].racks = ["r1", "r2", "r3"];
      s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
      s.controlPlane.deployment = "vm";
    }),
  ).model;
  const c = costDesign(vms, testBook());
  // THEN no server line for them, the 7 compute hosts alone are servers, and they are said
  expect(c.proposed.oneOff.filter((l) => l.kind === "server").map((l) => l.role)).toEqual([
    "compute",
  ]);
  expect(c.proposed.yearly.find((l) => l.kind === "facilities")?.quantity).toBe(7);
  expect(c.staffing.proposed.nodes).toBe(7);
  // (OpenStack's support covers the controllers all the same: 10 nodes)
  expect(c.proposed.yearly.find((l) => l.kind === "subscription")?.quantity).toBe(10);
  // AND the switches cable the 7 compute hosts alone (one port each, two switches a rack)
  expect(vms.switches.reduce((n, sw) => n + sw.hostPorts, 0)).toBe(7 * 2);
  const md = String((await proposalDocuments(vms, testBook(), [])).get("proposal/proposal.md"));
  expect(md).toContain("7 servers in all");
  expect(md).toContain(
    "The 3 controllers run as virtual machines on the undercloud, whose hypervisors are not part of this proposal",
  );
  // AND the commercial side licenses the sockets of the servers it runs them on: the computes'
  expect(md).toContain(
    "per CPU socket of the compute hosts (the controllers run as VMs on the undercloud)",
  );
  expect(c.commercial.oneOff.find((l) => l.kind === "virtualization")?.quantity).toBe(7 * 2);
});

test("a cost per used vCPU-month is rounded half up exactly, at the utilization its row prints", () => {
  // GIVEN 1,713,967.20 over 6,834 vCPUs at 80 % for 60 months: 5.225 exactly (the product is
  // 328032.00000000006 in floating point)
  expect(perUnit(171396720, 6834 * 0.8 * 60)).toBe(523);
  // AND a utilization whose +20 % is 0.80004, printed as 80 %
  const book = { ...testBook(), utilization: 0.6667 };
  const c = costDesign(model, book);
  const up = c.sensitivity.find((r) => r.factor === "utilization" && r.change > 0)!;
  expect(up.utilization).toBe(0.8);
  expect(up.commercialPerUsedVcpuMonthMinor).toBe(
    perUnit(up.commercial5yMinor, c.capacity.vcpus * 0.8 * 60),
  );
});

test("hardware support at a rate of 0 still shows the base it applies to", () => {
  const c = costDesign(model, {
    ...testBook(),
    hardwareSupport: { includedYears: 3, yearlyRate: 0 },
  });
  const hardware = c.proposed.oneOff.filter((l) => l.kind === "server" || l.kind === "switch");
  expect(c.proposed.hardwareSupport).toMatchObject({
    unitPriceMinor: hardware.reduce((t, l) => t + l.netMinor, 0),
    netMinor: 0,
  });
});

test("an option that counts nothing in the design is left out, as the totals' lines are", () => {
  // GIVEN an option per object TB on a design without object storage
  const book = testBook();
  const c = costDesign(model, {
    ...book,
    options: [
      ...book.options,
      { name: "Object archive", per: "object-tb", unitPrice: 10, yearly: true, unit: "TB" },
    ],
  } as typeof book);
  expect(c.options.map((o) => o.item)).not.toContain("Object archive");
});

describe("costing of the base fixture", () => {
  const c = costDesign(model, testBook());

  test("prices one line per inventory row, list, discount and net in cents", () => {
    // GIVEN 10% off hardware, 5% off services, 2% off subscriptions
    // THEN
    expect(c.proposed.oneOff.map(brief)).toEqual([
      ["server", 3, 1000000, 3000000, 300000, 2700000],
      ["server", 7, 2000000, 14000000, 1400000, 12600000],
      ["ToR", 6, 500000, 3000000, 300000, 2700000],
      ["Design", 5, 200000, 1000000, 50000, 950000],
      ["Deploy", 7, 50000, 350000, 17500, 332500],
    ]);
    expect(c.proposed.oneOff.slice(0, 2).map((l) => [l.role, l.profile, l.priceSource])).toEqual([
      ["controller", "ctrl", "profile"],
      ["compute", "cmp", "profile"],
    ]);
    // Yearly: support 10 nodes x 1000 less 2%, facilities 10 x 100, staff 10 / 5 = 2 FTE x 100000.
    expect(c.proposed.yearly.map(brief)).toEqual([
      ["Support", 10, 100000, 1000000, 20000, 980000],
      ["facilities", 10, 10000, 100000, 0, 100000],
      ["staff", 2, 10000000, 20000000, 0, 20000000],
    ]);
    expect(c.capexMinor).toBe(19282500);
    expect(c.proposed.oneOffTotal).toEqual({
      listMinor: 21350000,
      discountMinor: 2067500,
      netMinor: 19282500,
    });
    expect(c.opexPerYearMinor).toBe(21080000);
    expect(c.proposed.oneOffSubtotals.map((s) => [s.section, s.netMinor])).toEqual([
      ["hardware", 15300000],
      ["network", 2700000],
      ["services", 1282500],
    ]);
  });

  test("the commercial side keeps servers, network and services and adds licences", () => {
    // 3 x 1 + 7 x 2 = 17 sockets x 3000; no storage in the design, so no arrays.
    expect(c.commercial.oneOff.map((l) => l.kind)).toEqual([
      "server",
      "server",
      "switch",
      "virtualization",
      "service",
      "service",
    ]);
    expect(c.commercial.oneOffTotal.netMinor).toBe(24382500);
    // Support 20% of 51000, facilities 10 x 100, a fixed team of 2.5 FTE.
    expect(c.commercial.yearly.map(brief)).toEqual([
      ["virtualization-support", 0.2, 5100000, 1020000, 0, 1020000],
      ["facilities", 10, 10000, 100000, 0, 100000],
      ["staff", 2.5, 10000000, 25000000, 0, 25000000],
    ]);
    expect(c.commercial.yearlyTotal.netMinor).toBe(26120000);
  });

  test("staffing: FTE per N nodes rounded up to 0.1 with a minimum, or a fixed team", () => {
    expect(c.staffing).toEqual({
      costPerFtePerYearMinor: 10000000,
      proposed: { nodes: 10, nodesPerFte: 5, minimumFte: 1, fte: 2, perYearMinor: 20000000 },
      commercial: { nodes: 10, fte: 2.5, perYearMinor: 25000000 },
    });
    // 10 nodes / 3 = 3.33 -> 3.4 FTE; 10 / 40 = 0.25 -> the minimum 1.
    const other = costDesign(
      model,
      testBook((b) => {
        b.staffing.proposed = { nodesPerFte: 3 };
        b.staffing.commercial = { nodesPerFte: 40, minimumFte: 1 };
      }),
    ).staffing;
    expect([other.proposed.fte, other.proposed.perYearMinor]).toEqual([3.4, 34000000]);
    expect([other.commercial.fte, other.commercial.perYearMinor]).toEqual([1, 10000000]);
  });

  test("TCO: one-off net + years x yearly net on each side", () => {
    expect(c.tco).toEqual([
      {
        years: 3,
        supportYears: 0,
        proposedMinor: 82522500,
        commercialMinor: 102742500,
        savingMinor: 20220000,
        savingShare: 0.1968,
      },
      {
        years: 5,
        supportYears: 0,
        proposedMinor: 124682500,
        commercialMinor: 154982500,
        savingMinor: 30300000,
        savingShare: 0.1955,
      },
    ]);
  });

  test("sensitivity: ±20 % on hardware, staff and utilization, by hand", () => {
    const byKey = Object.fromEntries(c.sensitivity.map((r) => [`${r.factor}${r.change}`, r]));
    // The same servers and switches on both sides (180000 net): +20 % adds 36000 to each.
    expect(byKey["hardware0.2"]).toMatchObject({
      proposed5yMinor: 128282500,
      commercial5yMinor: 158582500,
      savingMinor: 30300000,
    });
    // Staff at 120000: 5 x (240000 - 200000) more here, 5 x (300000 - 250000) more there.
    expect(byKey["staff0.2"]).toMatchObject({
      proposed5yMinor: 144682500,
      commercial5yMinor: 179982500,
      savingMinor: 35300000,
    });
    expect(byKey["staff-0.2"].savingMinor).toBe(25300000);
    // 1240 usable vCPUs at 50 % for 60 months: 124682500 / 37200 = 3351.68 -> 3352 cents.
    expect(byKey.baseline0.proposedPerUsedVcpuMonthMinor).toBe(3352);
    // At 40 %: 124682500 / 29760 = 4189.6 -> 4190; the totals do not move.
    expect(byKey["utilization-0.2"]).toMatchObject({
      utilization: 0.4,
      proposedPerUsedVcpuMonthMinor: 4190,
      savingMinor: 30300000,
    });
    // Staff: the saving grows with staff cost by 5 x 0.5 FTE x 100000 per unit; it would need a
    // staff cost of 1 - 303000 / 250000 < 0 to turn.
    expect(c.breakEven).toEqual([
      { factor: "hardware", none: "same-on-both-sides" },
      { factor: "staff", none: "below-zero" },
      { factor: "utilization", none: "same-on-both-sides" },
    ]);
  });

  test("sensitivity: utilization stops at 100%, and its row says by how much it moved", async () => {
    // GIVEN a planned utilization of 90%: +20% would be 108%
    const book = testBook((b) => (b.utilization = 0.9));
    const high = costDesign(model, book);
    const up = high.sensitivity.find((r) => r.factor === "utilization" && r.change > 0);
    // THEN the row is at 100%, a change of +11.11%, and the proposal prints that
    expect(up).toMatchObject({ utilization: 1, change: 0.1111 });
    const down = high.sensitivity.find((r) => r.factor === "utilization" && r.change < 0);
    expect(down).toMatchObject({ utilization: 0.72, change: -0.2 });
    const md = String((await proposalDocuments(model, book, [])).get("proposal/proposal.md"));
    expect(md).toContain("| Utilization | +11.11% (100%) |");
  });

  test("options are priced but in no total", () => {
    const withOption = costDesign(
      model,
      testBook((b) => {
        b.options = [{ name: "Premium support", per: "node", unitPrice: 300, yearly: true }];
      }),
    );
    expect(withOption.options.map(brief)).toEqual([
      ["Premium support", 10, 30000, 300000, 6000, 294000],
    ]);
    expect(withOption.opexPerYearMinor).toBe(c.opexPerYearMinor);
    expect(withOption.capexMinor).toBe(c.capexMinor);
  });

  test("an option takes the discount its price book names: a spare parts kit the hardware's", () => {
    // GIVEN discounts of 10 % on hardware, 5 % on services; a kit, a workshop and a fixed fee
    const priced = costDesign(
      model,
      testBook((b) => {
        b.options = [
          { name: "Spare parts kit", per: "fixed", unitPrice: 8000, discount: "hardware" },
          { name: "Workshop", per: "fixed", unitPrice: 2000 },
          { name: "Audit fee", per: "fixed", unitPrice: 1000, discount: "none" },
        ];
      }),
    ).options;
    // THEN each line's discount is its own rate's
    expect(priced.map((o) => [o.item, o.discountRate, o.discountMinor])).toEqual([
      ["Spare parts kit", 0.1, 80000],
      ["Workshop", 0.05, 10000],
      ["Audit fee", 0, 0],
    ]);
  });
});

describe("switches", () => {
  // GIVEN the base fixture as it is: zone az2 is not racked, so its hosts get a switch pair of
  // their own beside the pairs of racks r1-r3
  const unracked = load(variant(() => undefined)).model;
  const switchLines = (m: Model, edit: Parameters<typeof testBook>[0] = () => undefined) =>
    costDesign(m, testBook(edit)).proposed.oneOff.filter((l) => l.kind === "switch");

  test("are the model's switches, one per switch of its plan, not a count per rack", () => {
    expect(unracked.switches.map((s) => s.name)).toEqual([
      "sw-0a",
      "sw-0b",
      "r1-sw-0a",
      "r1-sw-0b",
      "r2-sw-0a",
      "r2-sw-0b",
      "r3-sw-0a",
      "r3-sw-0b",
    ]);
    // THEN 8 switches at 5000 less 10 %
    expect(switchLines(unracked).map((l) => [l.item, l.per, ...brief(l).slice(1)])).toEqual([
      ["ToR", "switch", 8, 500000, 4000000, 400000, 3600000],
    ]);
  });

  test("each switch takes the first entry with ports for its hosts", () => {
    // GIVEN a 2-port and a 48-port model; r2 and r3 cable 2 hosts to each switch, r1 and az2 3
    const lines = switchLines(unracked, (b) => {
      b.switches = [
        { name: "2-port", ports: 2, unitPrice: 1000 },
        { name: "48-port", ports: 48, unitPrice: 5000 },
      ];
    });
    expect(lines.map((l) => [l.item, l.quantity])).toEqual([
      ["2-port", 4],
      ["48-port", 4],
    ]);
  });

  test("fails when no switch of the price book has ports enough", () => {
    const book = testBook((b) => (b.switches = [{ name: "tiny", ports: 2, unitPrice: 1 }]));
    expect(() => costDesign(unracked, book)).toThrow("1 error in the price book");
    expect(pricingIssues(unracked, book)).toEqual([
      expect.objectContaining({
        code: "price-missing",
        path: ["switches"],
        message: expect.stringContaining(
          "no switch with enough ports, fast enough, for sw-0a (3 host ports), sw-0b (3 host ports), r1-sw-0a (3 host ports), r1-sw-0b (3 host ports)",
        ),
      }),
    ]);
  });
});

describe("switch prices the design needs", () => {
  const base = load(variant(() => undefined)).model;
  // GIVEN az1's compute hosts (racks r1-r3, beside the controllers) with 100 GbE and 1 GbE ports,
  // az2's (not racked: switch pair sw-0) with 10 GbE; the ctrl profile lists no NICs
  const fast = load(
    variant((s) => {
      s.hardware[1].nics = [
        { count: 2, speedGbps: 100 },
        { count: 2, speedGbps: 1 },
      ];
      // (the bond takes the named 100 GbE ports: LACP aggregates one speed)
      s.hardware[1].nicNames = ["ens1f0", "ens1f1"];
      s.hardware.push({
        ...s.hardware[1],
        name: "cmp10",
        nics: [{ count: 2, speedGbps: 10 }],
        nicNames: undefined,
      });
      s.zones[1].pools[0].hardware = "cmp10";
    }),
  ).model;

  test("a switch's ports run at the fastest NIC of the hosts cabled to it", () => {
    expect(fast.switches.map((s) => [s.name, s.portSpeedGbps])).toEqual([
      ["sw-0a", 10],
      ["sw-0b", 10],
      ["r1-sw-0a", 100],
      ["r1-sw-0b", 100],
      ["r2-sw-0a", 100],
      ["r2-sw-0b", 100],
      ["r3-sw-0a", 100],
      ["r3-sw-0b", 100],
    ]);
    // A design whose profiles list no NICs gives no speed: any switch entry takes its hosts.
    expect(base.switches.every((s) => s.portSpeedGbps === undefined)).toBe(true);
  });

  test("each switch takes the first entry with ports fast enough for its hosts", () => {
    const lines = costDesign(
      fast,
      testBook((b) => {
        b.hardware?.push({ profile: "cmp10", unitPrice: 20000 });
        b.switches = [
          { name: "25 GbE", speedGbps: 25, unitPrice: 1000 },
          { name: "100 GbE", speedGbps: 100, unitPrice: 4000 },
        ];
      }),
    ).proposed.oneOff.filter((l) => l.kind === "switch");
    expect(lines.map((l) => [l.item, l.quantity])).toEqual([
      ["25 GbE", 2],
      ["100 GbE", 6],
    ]);
    const slow = testBook((b) => {
      b.hardware?.push({ profile: "cmp10", unitPrice: 20000 });
      b.switches = [{ name: "25 GbE", speedGbps: 25, unitPrice: 1 }];
    });
    expect(() => costDesign(fast, slow)).toThrow(UserError);
    expect(pricingIssues(fast, slow).map((i) => i.message)).toEqual([
      // (r1: a controller's bond and two compute hosts' bonds of their two named ports)
      expect.stringContaining(
        "no switch with enough ports, fast enough, for r1-sw-0a (3 host ports at 100 Gb/s), r1-sw-0b",
      ),
    ]);
  });

  test("the commercial side cables only the servers it keeps: storage servers' fast ports are the proposal's alone", () => {
    // GIVEN compute hosts on 10 GbE and Ceph servers (which arrays replace) on 100 GbE, in the
    // same racks
    const stored = load(
      variant((s) => {
        s.hardware.find((h: any) => h.name === "cmp").nics = [{ count: 2, speedGbps: 10 }];
        s.hardware.find((h: any) => h.name === "stor").nics = [{ count: 2, speedGbps: 100 }];
        s.storage = {
          ceph: cephCluster(),
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    const book = testBook((b) => {
      b.hardware?.push({ profile: "stor", unitPrice: 5000 });
      b.switches = [
        { name: "25 GbE", speedGbps: 25, unitPrice: 1000 },
        { name: "100 GbE", speedGbps: 100, unitPrice: 4000 },
      ];
    });
    const c = costDesign(stored, book);
    const switches = (lines: readonly CostLine[]) =>
      lines.filter((l) => l.kind === "switch").map((l) => [l.item, l.quantity]);
    // THEN the racks holding Ceph servers take 100 GbE switches for the proposal, and the
    // commercial side, whose storage is arrays, the 25 GbE its compute hosts need
    const withCeph = stored.switches.filter((sw) => sw.roles.some((r) => r.role === "ceph-osd"));
    expect(withCeph.length).toBeGreaterThan(0);
    expect(withCeph.every((sw) => sw.portSpeedGbps === 100)).toBe(true);
    expect(switches(c.proposed.oneOff)).toEqual([
      ["25 GbE", stored.switches.length - withCeph.length],
      ["100 GbE", withCeph.length],
    ]);
    expect(switches(c.commercial.oneOff)).toEqual([["25 GbE", stored.switches.length]]);
    // AND each switch's ports by role add up to its own
    for (const sw of stored.switches)
      expect(sw.roles.reduce((t, r) => t + r.hostPorts, 0)).toBe(sw.hostPorts);
  });

  test("a pair's switches count an LACP host on each, a single-port host on one of them", () => {
    // GIVEN controllers on one port (active-backup) beside LACP compute hosts
    const mixed = load(
      variant((s) => {
        s.hardware[0].nicNames = ["eno1"];
        s.hardware[1].nicNames = ["eno1", "eno2"];
      }),
    ).model;
    for (const rack of ["r1", "r2", "r3"]) {
      const nodes = mixed.nodes.filter((n) => n.rack === rack);
      const singles = nodes.filter((n) => n.links[0].mode === "active-backup").length;
      const lacp = nodes.length - singles;
      const pair = mixed.switches.filter((sw) => sw.rack === rack).map((sw) => sw.hostPorts);
      // THEN every port is cabled once: 2 per LACP host, 1 per single-port host
      expect(singles).toBeGreaterThan(0);
      expect(pair).toEqual([lacp + Math.ceil(singles / 2), lacp + Math.floor(singles / 2)]);
    }
    // AND by role too: single-port controllers and compute hosts take their turns across roles
    // beside LACP Ceph hosts, so each switch's roles add up to its ports
    const threeRoles = load(
      variant((s) => {
        s.hardware[0].nicNames = ["eno1"];
        s.hardware[1].nicNames = ["eno1"];
        s.hardware[2].nicNames = ["eno1", "eno2"];
        s.storage = {
          ceph: cephCluster(),
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    expect(threeRoles.switches.some((sw) => sw.roles.length === 3)).toBe(true);
    for (const sw of [...mixed.switches, ...threeRoles.switches])
      expect([sw.name, sw.roles.reduce((t, r) => t + r.hostPorts, 0)]).toEqual([
        sw.name,
        sw.hostPorts,
      ]);
  });

  test("an LACP bond of four ports takes two on each switch of its pair", () => {
    const wide = load(
      variant((s) => {
        for (const h of s.hardware) h.nicNames = ["eno1", "eno2", "eno3", "eno4"];
      }),
    ).model;
    for (const sw of wide.switches) {
      const hosts = wide.nodes.filter((n) => (n.rack ?? "") === (sw.rack ?? "")).length;
      expect([sw.name, sw.hostPorts]).toEqual([sw.name, 2 * hosts]);
    }
  });

  test("a price book without switches is refused for a design that has them", () => {
    let error: unknown;
    try {
      costDesign(
        base,
        testBook((b) => (b.switches = [])),
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).issues).toEqual([
      expect.objectContaining({
        code: "price-missing",
        path: ["switches"],
        message: expect.stringContaining("the design has 8 switches"),
      }),
    ]);
  });
});

describe("sockets", () => {
  test("per socket counts every server's sockets; virtualization licences only hypervisors' and controllers'", () => {
    // GIVEN Ceph on 4 stor nodes (1 socket each) beside 3 ctrl (1) and 7 cmp (2)
    const c = costDesign(
      storageModel,
      testBook((b) => {
        b.hardware?.push({ profile: "stor", unitPrice: 5000 });
        b.subscriptions = [{ name: "OS", per: "socket", unitPrice: 100 }];
      }),
    );
    expect(c.proposed.yearly.find((l) => l.item === "OS")?.quantity).toBe(3 + 14 + 4);
    expect(c.commercial.oneOff.find((l) => l.kind === "virtualization")?.quantity).toBe(3 + 14);
  });
});

describe("storage split", () => {
  // GIVEN servers at 10000 (ctrl), 20000 (cmp), 5000 (stor), 10% off, nothing else priced
  const serversOnly = (edit: (b: PriceBookInput) => void = () => undefined) =>
    testBook((b) => {
      b.hardware = [
        { profile: "ctrl", unitPrice: 10000 },
        { profile: "cmp", unitPrice: 20000 },
        { profile: "stor", unitPrice: 5000 },
      ];
      b.switches = [{ name: "Reused network", unitPrice: 0 }];
      b.subscriptions = [];
      b.services = [];
      b.operations = { perNodePerYear: 0 };
      b.staffing = { costPerFtePerYear: 0, proposed: { fte: 1 }, commercial: { fte: 1 } };
      b.commercialAlternative.virtualizationPerSocket = 0;
      edit(b);
    });
  const c = costDesign(storageModel, serversOnly());

  test("block and object are priced and compared separately", () => {
    // Ceph 80 TB usable: 75 % block (60 TB), 25 % RGW (20 TB of objects).
    expect([c.capacity.blockTB, c.capacity.objectTB]).toEqual([60, 20]);
    // Ceph nodes 4 x 5000 less 10% = 18000: 13500 block, 4500 object (RGW); the commercial side
    // buys arrays for the data Ceph holds up to nearfull (0.85; with no spare host no recovery
    // fill comes first): 51 TB at 1000 (10200 a year) and 17 TB of object storage at 300 (1020).
    expect(storageModel.storage.ceph!.usableToRecoverTB).toBeUndefined();
    expect(c.storage).toEqual({
      block: {
        usableTB: 60,
        heldTB: 51,
        proposedMinor: 1350000,
        commercialMinor: 5100000,
        commercialMaintenancePerYearMinor: 1020000,
      },
      object: {
        usableTB: 20,
        heldTB: 17,
        proposedMinor: 450000,
        commercialMinor: 510000,
        commercialMaintenancePerYearMinor: 102000,
      },
      commercialArrays: true,
    });
    // The commercial side buys no storage servers.
    expect(c.commercial.oneOff.filter((l) => l.kind === "server").map((l) => l.role)).toEqual([
      "controller",
      "compute",
    ]);
  });

  test("hardware sensitivity and break-even, by hand", () => {
    // Proposed: 0.9 x (30000 + 140000 + 20000) = 171000, nothing yearly.
    // Commercial: 0.9 x 170000 + 51000 + 5100 = 209100 once, 10200 + 1020 a year:
    // 5 years 209100 + 56100 = 265200; saving 94200.
    expect(c.tco[1]).toMatchObject({
      proposedMinor: 17100000,
      commercialMinor: 26520000,
      savingMinor: 9420000,
    });
    // +20 % on servers: 0.2 x 0.9 x 20000 = 3600 more on this side only (the Ceph servers).
    const up = c.sensitivity.find((r) => r.factor === "hardware" && r.change === 0.2);
    expect(up?.savingMinor).toBe(9060000);
    // Break-even: 94200 / (0.9 x 20000) = 5.233 (a rise of 523.3 %).
    expect(c.breakEven[0]).toEqual({ factor: "hardware", change: 5.233 });
    // No support after the warranty is priced.
    expect([c.hardwareSupport, c.proposed.hardwareSupport]).toEqual([undefined, undefined]);
  });

  test("hardware support after the warranty: each side's servers and switches, for the later years", () => {
    // GIVEN the same book with 3 years of support included and 10 % of the net price a year after
    const supported = (includedYears: number) =>
      costDesign(
        storageModel,
        serversOnly((b) => (b.hardwareSupport = { includedYears, yearlyRate: 0.1 })),
      );
    const s = supported(3);
    // THEN this side pays 10 % of 171000 a year, the commercial side 10 % of its 153000 of
    // servers (no Ceph servers; its arrays have their own maintenance)
    expect(brief(s.proposed.hardwareSupport!)).toEqual([
      "hardware-support",
      0.1,
      17100000,
      1710000,
      0,
      1710000,
    ]);
    expect(s.commercial.hardwareSupport?.netMinor).toBe(1530000);
    // 3 years: within the warranty, as without support
    expect(s.tco[0]).toEqual(c.tco[0]);
    // 5 years: 171000 + 2 x 17100 = 205200 against 265200 + 2 x 15300 = 295800
    expect(s.tco[1]).toMatchObject({
      supportYears: 2,
      proposedMinor: 20520000,
      commercialMinor: 29580000,
      savingMinor: 9060000,
    });
    // +20 % on hardware raises the support too: 246240 against 332520
    const up = s.sensitivity.find((r) => r.factor === "hardware" && r.change === 0.2);
    expect([up?.proposed5yMinor, up?.commercial5yMinor]).toEqual([24624000, 33252000]);
    // Saving 112200 - 21600 f: zero at f = 5.194, a rise of 419.4 %
    expect(s.breakEven[0]).toEqual({ factor: "hardware", change: 4.194 });
    // Support from year 1: the 3-year TCO pays 3 years of it
    expect(supported(0).tco[0].proposedMinor).toBe(17100000 + 3 * 1710000);
  });
});

describe("server prices", () => {
  const withParts = load(
    variant((s) => {
      s.hardware[1].disks = [{ count: 2, sizeGB: 1920, kind: "nvme" }];
      s.hardware[1].nics = [{ count: 2, speedGbps: 25 }];
    }),
  ).model;
  const parts = {
    chassis: 3000,
    perSocket: 500,
    perCore: 50,
    perMemoryGiB: 4.5,
    perDiskTB: { nvme: 150 },
    perNicGbps: 6,
  };

  test("a profile without its own price is built from component prices", () => {
    const c = costDesign(
      withParts,
      testBook((b) => {
        b.hardware = [{ profile: "ctrl", unitPrice: 10000 }];
        b.roles = { controller: { unitPrice: 1 } }; // the profile price wins
        b.servers = parts;
      }),
    );
    const [ctrl, cmp] = c.proposed.oneOff;
    expect([ctrl.priceSource, ctrl.unitPriceMinor]).toEqual(["profile", 1000000]);
    // 3000 + 2 x 500 + 32 x 50 + 256 x 4.5 + 3.84 TB x 150 + 50 Gbit/s x 6 = 7628
    expect(cmp.components).toEqual({
      chassisMinor: 300000,
      cpuMinor: 260000,
      memoryMinor: 115200,
      disksMinor: 57600,
      nicsMinor: 30000,
      acceleratorsMinor: 0,
    });
    expect([cmp.priceSource, cmp.unitPriceMinor]).toEqual(["components", 762800]);
  });

  test("a server's disks of several kinds are priced as the book's prices add up, rounded once", () => {
    // GIVEN 0.48 TB SSD, 96 TB HDD and 3.84 TB NVMe at 130.37, 28 and 160.33 a TB
    const model = load(
      variant((s) => {
        s.hardware[1].disks = [
          { count: 1, sizeGB: 480, kind: "ssd" },
          { count: 12, sizeGB: 8000, kind: "hdd" },
          { count: 2, sizeGB: 1920, kind: "nvme" },
        ];
      }),
    ).model;
    const c = costDesign(
      model,
      testBook((b) => {
        b.hardware = [];
        b.roles = {};
        b.servers = { ...parts, perDiskTB: { hdd: 28, ssd: 130.37, nvme: 160.33 } };
      }),
    );
    const cmp = c.proposed.oneOff[1];
    // THEN 62.5776 + 2,688 + 615.6672 = 3,366.2448: 3,366.24, where rounding each kind's gave .25
    expect(cmp.components!.disksMinor).toBe(336624);
  });

  test("a role price wins over component prices", () => {
    const c = costDesign(
      withParts,
      testBook((b) => {
        b.hardware = [];
        b.roles = { controller: { unitPrice: 9000 }, compute: { unitPrice: 15000 } };
        b.servers = parts;
      }),
    );
    expect(c.proposed.oneOff.slice(0, 2).map((l) => [l.priceSource, l.unitPriceMinor])).toEqual([
      ["role", 900000],
      ["role", 1500000],
    ]);
  });

  test("fails when component prices leave out a disk kind a component-priced profile has", () => {
    // GIVEN component prices without NVMe, for a compute profile with NVMe disks
    const book = testBook((b) => {
      b.hardware = [{ profile: "ctrl", unitPrice: 10000 }];
      b.servers = { ...parts, perDiskTB: { hdd: 20 } };
    });
    // THEN the costing stops at servers.perDiskTB instead of pricing the disks at 0
    const err = (() => {
      try {
        costDesign(withParts, book);
      } catch (e) {
        return e as UserError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UserError);
    expect(err?.issues?.map((i) => [i.path.join("."), i.code, i.message])).toEqual([
      [
        "servers.perDiskTB",
        "price-missing",
        "profiles cmp have nvme disks and are priced by component: give servers.perDiskTB.nvme (0 when the chassis price includes them), or price those profiles in hardware",
      ],
    ]);
    // AND an explicit 0 is taken as included
    const included = testBook((b) => {
      b.hardware = [{ profile: "ctrl", unitPrice: 10000 }];
      b.servers = { ...parts, perDiskTB: { nvme: 0 } };
    });
    expect(costDesign(withParts, included).proposed.oneOff[1].components?.disksMinor).toBe(0);
  });

  test("fails when a server has no price, naming profile and role", () => {
    const book = testBook((b) => (b.hardware = [{ profile: "cmp", unitPrice: 1 }]));
    expect(() => costDesign(model, book)).toThrow(UserError);
    expect(pricingIssues(model, book).map((i) => i.message)).toEqual([
      expect.stringContaining("no price for hardware profile ctrl (role controller, 3 nodes)"),
    ]);
  });

  test("fails with every gap of the price book at once", () => {
    // GIVEN a book pricing every server by component without a price per TB of their disks,
    // and with switches too small for any rack
    const withDisks = load(
      variant((s) => {
        for (const h of s.hardware) h.disks = [{ kind: "ssd", count: 2, sizeGB: 960 }];
      }),
    ).model;
    const book = testBook((b) => {
      b.hardware = [];
      b.servers = {
        chassis: 1000,
        perSocket: 1,
        perCore: 1,
        perMemoryGiB: 1,
        perNicGbps: 1,
        perDiskTB: {},
      };
      b.switches = [{ name: "tiny", ports: 1, unitPrice: 1 }];
    });
    // THEN each is an issue of its own, so one run names everything to fix
    const issues = pricingIssues(withDisks, book);
    expect(issues.map((i) => i.path.join("."))).toEqual(["servers.perDiskTB", "switches"]);
    expect(() => costDesign(withDisks, book)).toThrow("2 errors in the price book");
    expect(
      pricingIssues(
        withDisks,
        testBook((b) => {
          b.hardware = [{ profile: "cmp", unitPrice: 1 }];
          b.switches = [{ name: "tiny", ports: 1, unitPrice: 1 }];
        }),
      ).map((i) => i.path.join(".")),
    ).toEqual(["hardware", "switches"]);
  });
});

describe("node roles the model adds later", () => {
  // GIVEN three Ceph monitors and a role this proposal has no table entry for
  const extended = {
    ...model,
    nodes: [
      ...model.nodes,
      ...["mon-1", "mon-2", "mon-3"].map((name) => ({ ...model.nodes[0], name, role: "ceph-mon" })),
      { ...model.nodes[0], name: "gw-1", role: "gateway", hardware: "stor" },
    ],
    inventory: [
      ...model.inventory,
      { role: "ceph-mon", hardware: "stor", count: 3 },
      { role: "gateway", hardware: "stor", count: 1 },
    ],
  } as unknown as Model;
  const c = costDesign(
    extended,
    testBook((b) => {
      b.roles = { "ceph-mon": { unitPrice: 4000 } };
      b.servers = { chassis: 1000 };
    }),
  );

  test("each gets its BOM line, priced by role or by component", () => {
    expect(
      c.proposed.oneOff
        .filter((l) => l.kind === "server")
        .map((l) => [l.role, l.quantity, l.priceSource, l.unitPriceMinor]),
    ).toEqual([
      ["controller", 3, "profile", 1000000],
      ["compute", 7, "profile", 2000000],
      ["ceph-mon", 3, "role", 400000],
      ["gateway", 1, "components", 100000],
    ]);
  });

  test("monitors are replaced by arrays on the commercial side; an unknown role is bought alike", () => {
    expect(c.commercial.oneOff.filter((l) => l.kind === "server").map((l) => l.role)).toEqual([
      "controller",
      "compute",
      "gateway",
    ]);
  });

  test("the document labels a role it does not know by its id", async () => {
    const files = await proposalDocuments(
      extended,
      testBook((b) => {
        b.roles = { "ceph-mon": { unitPrice: 4000 } };
        b.servers = { chassis: 1000 };
      }),
      [],
    );
    const md = String(files.get("proposal/proposal.md"));
    expect(md).toContain("| Ceph monitor | stor | 3 | €4,000.00 |");
    expect(md).toContain("| gateway | stor | 1 | €1,000.00 |");
  });
});

describe("amounts beyond what adds up exactly", () => {
  test("are refused as the price book's mistake, naming its entry, not printed as sums that do not add up", () => {
    // GIVEN a service of a million days at a trillion euros a day (each value is allowed)
    const book = testBook((b) => {
      b.services = [
        { name: "Design", per: "fixed", quantity: 5, unitPrice: 2000 },
        { name: "Huge", per: "fixed", quantity: 1e6, unitPrice: 1e12 },
      ];
    });
    // WHEN / THEN
    let error: unknown;
    try {
      costDesign(pricedModel(), book);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).issues).toEqual([
      expect.objectContaining({
        code: "amount-too-large",
        path: ["services", 1, "unitPrice"],
        message: expect.stringContaining("exceed 9007199254740991 minor units of EUR"),
      }),
    ]);
  });

  test("below that limit every total is still the exact sum of its lines", () => {
    const c = costDesign(
      pricedModel(),
      testBook((b) => {
        b.services = [{ name: "Big", per: "fixed", quantity: 1000, unitPrice: 1e9 }];
      }),
    );
    const sum = (lines: readonly CostLine[]) => lines.reduce((t, l) => t + l.netMinor, 0);
    expect(c.capexMinor).toBe(sum(c.proposed.oneOff));
    expect(Number.isSafeInteger(c.tco[1].proposedMinor)).toBe(true);
  });
});

test("the proposal prints rates with the two decimals a price book may give them", async () => {
  // GIVEN a hardware discount of 8.25 %
  const files = await proposalDocuments(
    pricedModel(),
    testBook((b) => {
      b.discounts = { hardware: 0.0825 };
    }),
    [],
  );
  // THEN the rate shown is the rate the discount was computed with
  const md = String(files.get("proposal/proposal.md"));
  expect(md).toContain("8.25%");
  expect(md).not.toContain("8.3%");
});

test("GlusterFS volumes from servers outside the design are said to be in neither side's prices", async () => {
  // GIVEN a GlusterFS backend, whose servers the design does not hold
  const gluster = load(
    variant((s) => {
      s.zones[1].racks = ["r1", "r2", "r3"];
      s.storage = { backends: [{ name: "gold", kind: "glusterfs", volumeType: "gold" }] };
    }),
  ).model;
  const md = String((await proposalDocuments(gluster, testBook(), [])).get("proposal/proposal.md"));
  expect(md).toContain(
    "- The GlusterFS backend gold takes its volumes from GlusterFS servers outside this design (through their NFS exports): those servers, their disks and capacity are in neither side of this proposal.",
  );
  // AND a design without them says nothing of it
  const plain = String(
    (await proposalDocuments(model, testBook(), [])).get("proposal/proposal.md"),
  );
  expect(plain).not.toContain("GlusterFS servers outside this design");
});
