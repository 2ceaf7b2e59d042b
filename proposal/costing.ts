import type { HardwareModel, Model } from "../model/types";
import { UserError, type SpecIssue } from "../core/errors";
import { mulRound, perUnit, sumMinor, sumOfProducts, toMinor } from "./money";
import { minorDigits, type PriceBook, type Team, type Unit } from "./price-book";
import { roleCosting } from "./roles";

/** Where a line belongs; sections sum to the one-off and the yearly totals of a side. */
export type Section =
  | "hardware"
  | "network"
  | "storage"
  | "licences"
  | "services"
  | "subscriptions"
  | "maintenance"
  | "facilities"
  | "staff";

/** Stable key of what a line is; documents translate generated lines by it. */
export type LineKind =
  | "server"
  | "switch"
  | "service"
  | "subscription"
  | "option"
  | "block-storage"
  | "object-storage"
  | "virtualization"
  | "block-storage-maintenance"
  | "object-storage-maintenance"
  | "virtualization-support"
  | "hardware-support"
  | "facilities"
  | "staff";

/** Every amount is an integer in the currency's minor unit (cents, fen). */
export interface Amounts {
  readonly listMinor: number;
  readonly discountMinor: number;
  readonly netMinor: number;
}

export interface ServerComponents {
  readonly chassisMinor: number;
  readonly cpuMinor: number;
  readonly memoryMinor: number;
  readonly disksMinor: number;
  readonly nicsMinor: number;
  /** GPUs and other passthrough devices, where the profile has any. */
  readonly acceleratorsMinor: number;
}

export interface CostLine extends Amounts {
  readonly section: Section;
  readonly kind: LineKind;
  /** The price book's text for the line, when it is one of its entries. */
  readonly item?: string;
  /** Traceability of server lines: the inventory row (role, hardware profile, count). */
  readonly role?: string;
  readonly profile?: string;
  /** How a server's price was found. */
  readonly priceSource?: "profile" | "role" | "components";
  readonly components?: ServerComponents;
  /** What the quantity counts: a unit of the model, `fixed`, `fte` or `share` (of `unitPriceMinor`). */
  readonly per: string;
  readonly quantity: number;
  /** The price book's unit text, when it gives one. */
  readonly unit?: string;
  readonly unitPriceMinor: number;
  readonly discountRate: number;
}

export interface Subtotal extends Amounts {
  readonly section: Section;
}

/** One side of the comparison: one-off and yearly lines, with their subtotals and totals. */
export interface Sheet {
  readonly oneOff: readonly CostLine[];
  readonly yearly: readonly CostLine[];
  readonly oneOffSubtotals: readonly Subtotal[];
  readonly yearlySubtotals: readonly Subtotal[];
  readonly oneOffTotal: Amounts;
  readonly yearlyTotal: Amounts;
  /** Support of its servers and switches each year after their warranty (price book's hardwareSupport). */
  readonly hardwareSupport?: CostLine;
}

export interface StaffPlan {
  readonly nodes: number;
  readonly nodesPerFte?: number;
  readonly minimumFte?: number;
  /** FTE: a fixed team, or nodes / nodesPerFte rounded up to 0.1, at least the minimum. */
  readonly fte: number;
  readonly perYearMinor: number;
}

export interface StorageSplit {
  readonly usableTB: number;
  /**
   * The data the storage is filled with, what the commercial side is sized for: Ceph's usable
   * TB up to nearfull and to the fill that still recovers a failed host, Swift's usable TB.
   */
  readonly heldTB: number;
  /** Net price of the proposal's servers that provide this storage. */
  readonly proposedMinor: number;
  /** Net price of the commercial arrays or object store holding the same data. */
  readonly commercialMinor: number;
  /** Their yearly maintenance. */
  readonly commercialMaintenancePerYearMinor: number;
}

export interface TcoYear {
  readonly years: number;
  /** Of those, the years hardware support is paid for, past the warranty. */
  readonly supportYears: number;
  readonly proposedMinor: number;
  readonly commercialMinor: number;
  readonly savingMinor: number;
  /** Saving / commercial, to 4 decimal places. */
  readonly savingShare: number;
}

export type Factor = "hardware" | "staff" | "utilization";

export interface SensitivityRow {
  readonly factor: Factor | "baseline";
  /** -0.2 for 20 % less, 0.2 for 20 % more. */
  readonly change: number;
  readonly utilization: number;
  readonly proposed5yMinor: number;
  readonly commercial5yMinor: number;
  readonly savingMinor: number;
  readonly savingShare: number;
  readonly proposedPerUsedVcpuMonthMinor: number;
  readonly commercialPerUsedVcpuMonthMinor: number;
}

export interface BreakEven {
  readonly factor: Factor;
  /** The change of the factor at which the 5-year saving is zero, when there is one. */
  readonly change?: number;
  /** Why there is none: the factor moves both sides alike, or it would need a price below zero. */
  readonly none?: "same-on-both-sides" | "below-zero";
}

export interface Costing {
  readonly currency: string;
  readonly minorDigits: number;
  readonly rounding: "half-up-per-line";
  readonly proposed: Sheet;
  readonly commercial: Sheet & { readonly name: string };
  readonly capexMinor: number;
  readonly opexPerYearMinor: number;
  readonly staffing: {
    readonly costPerFtePerYearMinor: number;
    readonly proposed: StaffPlan;
    readonly commercial: StaffPlan;
  };
  readonly storage: {
    readonly block: StorageSplit;
    readonly object: StorageSplit;
    /** Whether the commercial side buys arrays or an object store (some usable TB to replace). */
    readonly commercialArrays: boolean;
  };
  readonly capacity: {
    readonly sharedVcpus: number;
    /** Pinned CPUs with the N+1 spare hosts held back, as the model counts them. */
    readonly dedicatedCpus: number;
    readonly vcpus: number;
    /** What guests booted from images reach, where Cinder lets `vcpus` count volume boots. */
    readonly imageBootCpus?: number;
    readonly ramGiB: number;
    readonly blockTB: number;
    /** Raw TB of the LVM and ZFS volume servers' groups, one copy (not in `blockTB`). */
    readonly volumeServerTB: number;
    readonly objectTB: number;
    readonly utilization: number;
  };
  readonly tco: readonly TcoYear[];
  /** The years the hardware prices include support for, when the price book prices the later ones. */
  readonly hardwareSupport?: { readonly includedYears: number; readonly yearlyRate: number };
  readonly sensitivity: readonly SensitivityRow[];
  readonly breakEven: readonly BreakEven[];
  /** Offered on top; in no total. */
  readonly options: readonly (CostLine & { readonly yearly: boolean })[];
}

const MONTHS_5Y = 60;
const SENSITIVITY_CHANGES = [-0.2, 0.2];

/**
 * Bill of materials, CAPEX, OPEX, the 3- and 5-year TCO against the commercial alternative and
 * their sensitivity. Quantities come only from the model, prices only from the price book; a
 * server without a price is an error that names it.
 */
export function costDesign(model: Model, book: PriceBook): Costing {
  const issues = pricingIssues(model, book);
  if (issues.length) throw UserError.fromIssues(undefined, issues, "price book");
  const digits = minorDigits(book.currency);
  const base = sheets(model, book, { hardware: 1, staff: 1 });
  const capacity = capacityOf(model, book);
  const supportFrom = book.hardwareSupport?.includedYears ?? Infinity;
  const tcoOf = (proposed: Sheet, commercial: Sheet, years: number) =>
    tcoOver(proposed, commercial, years, supportFrom);
  const tco = [3, 5].map((years) => tcoOf(base.proposed, base.commercial, years));

  const row = (factor: Factor | "baseline", change: number): SensitivityRow => {
    const s =
      factor === "hardware" || factor === "staff"
        ? sheets(model, book, { hardware: 1, staff: 1, [factor]: 1 + change })
        : base;
    const five = tcoOf(s.proposed, s.commercial, 5);
    // At the utilization the row prints (a percentage with two decimals).
    const utilization =
      factor === "utilization"
        ? round(Math.min(1, book.utilization * (1 + change)), 4)
        : book.utilization;
    const used = capacity.vcpus * utilization * MONTHS_5Y;
    return {
      factor,
      // Utilization stops at 100%: the row states the change it really makes.
      change: factor === "utilization" ? round(utilization / book.utilization - 1, 4) : change,
      utilization: round(utilization, 4),
      proposed5yMinor: five.proposedMinor,
      commercial5yMinor: five.commercialMinor,
      savingMinor: five.savingMinor,
      savingShare: five.savingShare,
      proposedPerUsedVcpuMonthMinor: perUnit(five.proposedMinor, used),
      commercialPerUsedVcpuMonthMinor: perUnit(five.commercialMinor, used),
    };
  };
  const sensitivity = [
    row("baseline", 0),
    ...(["hardware", "staff", "utilization"] as const).flatMap((f) =>
      SENSITIVITY_CHANGES.map((c) => row(f, c)),
    ),
  ];
  const breakEven = (["hardware", "staff"] as const).map((factor): BreakEven => {
    // The saving is linear in each factor: find where the line crosses zero.
    const saving = (f: number) =>
      tcoOf(...sheetPair(sheets(model, book, { hardware: 1, staff: 1, [factor]: f })), 5)
        .savingMinor;
    const s1 = tco[1].savingMinor;
    const slope = saving(2) - s1;
    if (slope === 0) return { factor, none: "same-on-both-sides" };
    const change = -s1 / slope;
    return change < -1 ? { factor, none: "below-zero" } : { factor, change: round(change, 3) };
  });
  breakEven.push({ factor: "utilization", none: "same-on-both-sides" });

  const costing: Costing = {
    currency: book.currency,
    minorDigits: digits,
    rounding: "half-up-per-line",
    proposed: base.proposed,
    commercial: { name: book.commercialAlternative.name, ...base.commercial },
    capexMinor: base.proposed.oneOffTotal.netMinor,
    opexPerYearMinor: base.proposed.yearlyTotal.netMinor,
    staffing: base.staffing,
    storage: base.storage,
    capacity,
    tco,
    ...(book.hardwareSupport ? { hardwareSupport: book.hardwareSupport } : {}),
    sensitivity,
    breakEven,
    // Like the totals' lines, an option that counts nothing in this design is left out.
    options: book.options
      .map((o) => {
        const section = o.yearly ? "subscriptions" : "services";
        const discount = o.discount ?? section;
        return {
          ...perUnitLine(
            model,
            book,
            o,
            "option",
            section,
            discount === "none" ? 0 : book.discounts[discount],
          ),
          yearly: o.yearly,
        };
      })
      .filter((o) => o.quantity > 0),
  };
  refuseInexactAmounts(costing, book);
  return costing;
}

/**
 * Amounts are integers of minor units, exact up to 2^53 - 1: beyond, a sum no longer equals its
 * lines. Prices and quantities that big are the price book's mistake; the error names the entry
 * of the largest line.
 */
function refuseInexactAmounts(costing: Costing, book: PriceBook): void {
  let largest = 0;
  const visit = (v: unknown, key: string) => {
    if (typeof v === "number" && key.endsWith("Minor")) largest = Math.max(largest, Math.abs(v));
    else if (Array.isArray(v)) for (const x of v) visit(x, key);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  visit(costing, "");
  if (largest <= Number.MAX_SAFE_INTEGER) return;
  const lines = [
    ...[costing.proposed, costing.commercial].flatMap((s) => [...s.oneOff, ...s.yearly]),
    ...costing.options,
  ];
  const top = lines.reduce((a, b) => (Math.abs(b.listMinor) > Math.abs(a.listMinor) ? b : a));
  const message = `the proposal's amounts exceed ${Number.MAX_SAFE_INTEGER} minor units of ${book.currency}, beyond which totals are no longer the exact sums of their lines: lower the prices or quantities (the largest line is priced here)`;
  throw new UserError(`the price book's amounts are too large: ${message}`, [
    { code: "amount-too-large", path: bookPathOf(top, book), severity: "error", message },
  ]);
}

/** The price-book entry a cost line was priced from. */
function bookPathOf(l: CostLine, book: PriceBook): (string | number)[] {
  const named = (list: "switches" | "services" | "subscriptions" | "options") => {
    const i = book[list].findIndex((e) => e.name === l.item);
    return i < 0 ? [list] : [list, i, "unitPrice"];
  };
  const alt = (key: keyof PriceBook["commercialAlternative"]) => ["commercialAlternative", key];
  switch (l.kind) {
    case "server":
      if (l.priceSource === "profile")
        return ["hardware", book.hardware.findIndex((h) => h.profile === l.profile), "unitPrice"];
      return l.priceSource === "role" ? ["roles", l.role ?? "", "unitPrice"] : ["servers"];
    case "switch":
      return named("switches");
    case "service":
      return named("services");
    case "subscription":
      return named("subscriptions");
    case "option":
      return named("options");
    case "block-storage":
      return alt("blockStoragePerUsableTB");
    case "object-storage":
      return alt("objectStoragePerUsableTB");
    case "virtualization":
      return alt("virtualizationPerSocket");
    case "block-storage-maintenance":
    case "object-storage-maintenance":
      return alt("storageMaintenanceRate");
    case "virtualization-support":
      return alt("virtualizationSupportRate");
    case "hardware-support":
      return ["hardwareSupport", "yearlyRate"];
    case "facilities":
      return ["operations", "perNodePerYear"];
    case "staff":
      return ["staffing", "costPerFtePerYear"];
  }
}

const sheetPair = (s: { proposed: Sheet; commercial: Sheet }) =>
  [s.proposed, s.commercial] as const;

/** One-off + years x yearly, and hardware support for the years past those the prices include. */
function tcoOver(
  proposed: Sheet,
  commercial: Sheet,
  years: number,
  includedYears: number,
): TcoYear {
  const supportYears = Math.max(0, years - includedYears);
  const over = (s: Sheet) =>
    s.oneOffTotal.netMinor +
    years * s.yearlyTotal.netMinor +
    supportYears * (s.hardwareSupport?.netMinor ?? 0);
  const p = over(proposed);
  const c = over(commercial);
  return {
    years,
    supportYears,
    proposedMinor: p,
    commercialMinor: c,
    savingMinor: c - p,
    savingShare: c > 0 ? round((c - p) / c, 4) : 0,
  };
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

interface Factors {
  readonly hardware: number;
  readonly staff: number;
}

/** Both sides' lines, with server, switch and staff prices scaled by the factors. */
function sheets(model: Model, book: PriceBook, factors: Factors) {
  const digits = minorDigits(book.currency);
  const minor = (v: number) => toMinor(v, digits);
  const d = book.discounts;
  const counts = unitCounts(model);

  // Servers: one line per inventory row (role, profile), so each traces back to the design.
  const servers: CostLine[] = [];
  for (const row of model.inventory) {
    // Controllers run as VMs on the undercloud: nothing to buy.
    if (row.virtual) continue;
    const price = serverPrice(model, book, row.role, row.hardware, digits);
    // (a server without a price stops the costing first: pricingIssues)
    if (!price) continue;
    servers.push(
      line({
        section: "hardware",
        kind: "server",
        ...(price.description ? { item: price.description } : {}),
        role: row.role,
        profile: row.hardware,
        priceSource: price.source,
        ...(price.components ? { components: price.components } : {}),
        per: "node",
        quantity: row.count,
        unitPriceMinor: mulRound(price.unitMinor, factors.hardware),
        discountRate: d.hardware,
      }),
    );
  }
  const switchesOf = (keptOnly: boolean) =>
    switchLines(model, book, keptOnly).map(({ entry, count }) =>
      line({
        section: "network",
        kind: "switch",
        item: entry.name,
        per: "switch",
        quantity: count,
        unitPriceMinor: mulRound(minor(entry.unitPrice), factors.hardware),
        discountRate: d.hardware,
      }),
    );
  const switches = switchesOf(false);
  // The commercial side cables only the servers it keeps: its storage is arrays.
  const keptSwitches = switchesOf(true);
  const services = book.services.map((s) => perUnitLine(model, book, s, "service", "services"));
  const subscriptions = book.subscriptions.map((s) =>
    perUnitLine(model, book, s, "subscription", "subscriptions"),
  );

  const staffCost = mulRound(minor(book.staffing.costPerFtePerYear), factors.staff);
  const staffPlan = (team: Team): StaffPlan => {
    const nodes = counts.server;
    if ("fte" in team) return { nodes, fte: team.fte, perYearMinor: mulRound(staffCost, team.fte) };
    const fte = Math.max(team.minimumFte, Math.ceil((nodes * 10) / team.nodesPerFte - 1e-9) / 10);
    return {
      nodes,
      nodesPerFte: team.nodesPerFte,
      minimumFte: team.minimumFte,
      fte,
      perYearMinor: mulRound(staffCost, fte),
    };
  };
  const staffing = {
    costPerFtePerYearMinor: staffCost,
    proposed: staffPlan(book.staffing.proposed),
    commercial: staffPlan(book.staffing.commercial),
  };
  const staffLine = (plan: StaffPlan) =>
    line({
      section: "staff",
      kind: "staff",
      per: "fte",
      quantity: plan.fte,
      unitPriceMinor: staffCost,
      discountRate: 0,
    });
  const facilities = (nodes: number) =>
    line({
      section: "facilities",
      kind: "facilities",
      per: "node",
      quantity: nodes,
      unitPriceMinor: minor(book.operations.perNodePerYear),
      discountRate: 0,
    });

  // The commercial stack: the servers of the roles it keeps, the same network and services,
  // block arrays and an object store instead of the storage nodes, licences instead of OpenStack.
  const alt = book.commercialAlternative;
  const kept = servers.filter((l) => !roleCosting(l.role ?? "").replacedBy);
  const keptNodes = sumMinor(kept.map((l) => l.quantity));
  const block = line({
    section: "storage",
    kind: "block-storage",
    // (TB of data held, not the usable TB the price book's block-tb counts)
    per: "block-tb-held",
    quantity: counts.heldBlockTB,
    unitPriceMinor: minor(alt.blockStoragePerUsableTB),
    discountRate: 0,
  });
  const object = line({
    section: "storage",
    kind: "object-storage",
    per: "object-tb-held",
    quantity: counts.heldObjectTB,
    unitPriceMinor: minor(alt.objectStoragePerUsableTB),
    discountRate: 0,
  });
  const licences = line({
    section: "licences",
    kind: "virtualization",
    per: "socket",
    quantity: counts.licensedSocket,
    unitPriceMinor: minor(alt.virtualizationPerSocket),
    discountRate: 0,
  });
  const share = (kind: LineKind, section: Section, base: number, rate: number) =>
    line({ section, kind, per: "share", quantity: rate, unitPriceMinor: base, discountRate: 0 });
  const blockMaintenance = share(
    "block-storage-maintenance",
    "maintenance",
    block.netMinor,
    alt.storageMaintenanceRate,
  );
  const objectMaintenance = share(
    "object-storage-maintenance",
    "maintenance",
    object.netMinor,
    alt.storageMaintenanceRate,
  );

  // Both sides' servers and switches, at the same rate once the warranty ends.
  const hardwareSupport = (hardware: readonly CostLine[]) =>
    book.hardwareSupport &&
    share(
      "hardware-support",
      "maintenance",
      sumMinor(hardware.map((l) => l.netMinor)),
      book.hardwareSupport.yearlyRate,
    );
  const proposed = sheet(
    [...servers, ...switches, ...services],
    [...subscriptions, facilities(counts.server), staffLine(staffing.proposed)],
    hardwareSupport([...servers, ...switches]),
  );
  const commercial = sheet(
    [...kept, ...keptSwitches, block, object, licences, ...services],
    [
      blockMaintenance,
      objectMaintenance,
      share(
        "virtualization-support",
        "maintenance",
        licences.netMinor,
        alt.virtualizationSupportRate,
      ),
      facilities(keptNodes),
      staffLine(staffing.commercial),
    ],
    hardwareSupport([...kept, ...keptSwitches]),
  );

  // The proposal's storage servers, split like the capacity they give (Ceph RGW counts as object).
  const netOf = (kind: "block" | "object") =>
    sumMinor(
      servers.filter((l) => roleCosting(l.role ?? "").replacedBy === kind).map((l) => l.netMinor),
    );
  const cephObjectMinor = mulRound(netOf("block"), counts.cephObjectShare);
  const storage = {
    block: {
      usableTB: counts["block-tb"],
      heldTB: counts.heldBlockTB,
      proposedMinor: netOf("block") - cephObjectMinor,
      commercialMinor: block.netMinor,
      commercialMaintenancePerYearMinor: blockMaintenance.netMinor,
    },
    object: {
      usableTB: counts["object-tb"],
      heldTB: counts.heldObjectTB,
      proposedMinor: netOf("object") + cephObjectMinor,
      commercialMinor: object.netMinor,
      commercialMaintenancePerYearMinor: objectMaintenance.netMinor,
    },
    commercialArrays: block.quantity + object.quantity > 0,
  };
  return { proposed, commercial, staffing, storage };
}

/** The book's field that prices each commercial replacement. */
const REPLACEMENT_PRICES = {
  "block-storage": "blockStoragePerUsableTB",
  "object-storage": "objectStoragePerUsableTB",
  virtualization: "virtualizationPerSocket",
} as const;

/**
 * What the commercial side buys in this design (arrays, an object store, licences) at a price of
 * 0 in the book: its total then leaves that out, and the comparison favours it.
 */
export function unpricedReplacements(
  costing: Pick<Costing, "commercial">,
): { readonly field: string; readonly quantity: number; readonly per: string }[] {
  return costing.commercial.oneOff.flatMap((l) =>
    l.kind in REPLACEMENT_PRICES && l.quantity > 0 && l.unitPriceMinor === 0
      ? [
          {
            field: `commercialAlternative.${REPLACEMENT_PRICES[l.kind as keyof typeof REPLACEMENT_PRICES]}`,
            quantity: l.quantity,
            per: l.per,
          },
        ]
      : [],
  );
}

/**
 * The book's per-unit lines of which this design counts none: the proposal leaves them out (the
 * TB units count Ceph's and Swift's usable capacity, not the LVM or ZFS volume servers').
 */
export function uncountedLines(
  book: PriceBook,
  model: Model,
): { readonly line: string; readonly per: Unit }[] {
  const counts = unitCounts(model);
  return (["subscriptions", "services", "options"] as const).flatMap((list) =>
    book[list].flatMap((l, i) =>
      l.per !== "fixed" && counts[l.per] === 0
        ? [{ line: `${list}[${i}] ${JSON.stringify(l.name)}`, per: l.per }]
        : [],
    ),
  );
}

/** A line from its unit price and quantity: list and discount rounded half up, net the rest. */
function line(l: Omit<CostLine, keyof Amounts>): CostLine {
  const listMinor = mulRound(l.unitPriceMinor, l.quantity);
  const discountMinor = mulRound(listMinor, l.discountRate);
  return { ...l, listMinor, discountMinor, netMinor: listMinor - discountMinor };
}

const SECTION_ORDER: readonly Section[] = [
  "hardware",
  "network",
  "storage",
  "licences",
  "services",
  "subscriptions",
  "maintenance",
  "facilities",
  "staff",
];

function totals(lines: readonly CostLine[]): Amounts {
  return {
    listMinor: sumMinor(lines.map((l) => l.listMinor)),
    discountMinor: sumMinor(lines.map((l) => l.discountMinor)),
    netMinor: sumMinor(lines.map((l) => l.netMinor)),
  };
}

/** Lines that count nothing (no switches priced, no object storage) are left out. */
const counted = (l: CostLine) => l.quantity > 0 && (l.per !== "share" || l.unitPriceMinor > 0);

function sheet(allOneOff: CostLine[], allYearly: CostLine[], support?: CostLine): Sheet {
  const oneOff = allOneOff.filter(counted);
  const yearly = allYearly.filter(counted);
  const subtotals = (lines: readonly CostLine[]) =>
    SECTION_ORDER.filter((s) => lines.some((l) => l.section === s)).map((section) => ({
      section,
      ...totals(lines.filter((l) => l.section === section)),
    }));
  return {
    oneOff,
    yearly,
    oneOffSubtotals: subtotals(oneOff),
    yearlySubtotals: subtotals(yearly),
    oneOffTotal: totals(oneOff),
    yearlyTotal: totals(yearly),
    // Kept at a rate of 0 too: the document shows the base it would apply to.
    ...(support ? { hardwareSupport: support } : {}),
  };
}

function perUnitLine(
  model: Model,
  book: PriceBook,
  s: PriceBook["services"][number],
  kind: LineKind,
  section: "services" | "subscriptions",
  discountRate = book.discounts[section],
): CostLine {
  return line({
    section,
    kind,
    item: s.name,
    per: s.per,
    quantity: s.per === "fixed" ? (s.quantity ?? 1) : unitCounts(model)[s.per],
    ...(s.unit ? { unit: s.unit } : {}),
    unitPriceMinor: toMinor(s.unitPrice, minorDigits(book.currency)),
    discountRate,
  });
}

/** A server's price: its profile's, else its role's, else built from component prices. */
function serverPrice(
  model: Model,
  book: PriceBook,
  role: string,
  profile: string,
  digits: number,
):
  | {
      unitMinor: number;
      source: "profile" | "role" | "components";
      description?: string;
      components?: ServerComponents;
    }
  | undefined {
  const minor = (v: number) => toMinor(v, digits);
  const byProfile = book.hardware.find((h) => h.profile === profile);
  if (byProfile)
    return {
      unitMinor: minor(byProfile.unitPrice),
      source: "profile",
      ...(byProfile.description ? { description: byProfile.description } : {}),
    };
  const byRole = (book.roles as Record<string, { unitPrice: number; description?: string }>)[role];
  if (byRole)
    return {
      unitMinor: minor(byRole.unitPrice),
      source: "role",
      ...(byRole.description ? { description: byRole.description } : {}),
    };
  const hw = hardwareOf(model, profile);
  if (!book.servers || !hw) return undefined;
  const components = serverComponents(hw, book.servers, minor);
  return {
    unitMinor:
      components.chassisMinor +
      components.cpuMinor +
      components.memoryMinor +
      components.disksMinor +
      components.nicsMinor +
      components.acceleratorsMinor,
    source: "components",
    components,
  };
}

/**
 * What the price book lacks to price the design, every issue at once: servers without a price,
 * disk kinds and accelerators of servers priced by component without a price, GPU servers priced
 * by role, switches no entry takes.
 */
export function pricingIssues(model: Model, book: PriceBook): SpecIssue[] {
  const digits = minorDigits(book.currency);
  const issues: SpecIssue[] = [];
  const byComponents = new Set<string>();
  // A role's price is one server's, whatever its profile: a GPU server priced so loses its GPUs.
  const byRole = new Map<string, string>();
  for (const row of model.inventory) {
    if (row.virtual) continue;
    const price = serverPrice(model, book, row.role, row.hardware, digits);
    if (price?.source === "components") byComponents.add(row.hardware);
    if (price?.source === "role" && hardwareOf(model, row.hardware)?.accelerators)
      byRole.set(row.hardware, row.role);
    if (price) continue;
    const what = `hardware profile ${row.hardware} (role ${row.role}, ${row.count} ${row.count === 1 ? "node" : "nodes"})`;
    issues.push({
      code: "price-missing",
      path: ["hardware"],
      severity: "error",
      message: `no price for ${what}: add the profile to hardware, its role to roles, or price servers by component`,
    });
  }
  // The parts of component-priced profiles the book gives no price for, by kind, with profiles.
  const unpriced = (
    parts: (hw: HardwareModel) => readonly string[],
    priced: (k: string) => boolean,
  ) => {
    const out = new Map<string, Set<string>>();
    for (const profile of byComponents)
      for (const kind of parts(hardwareOf(model, profile)!))
        if (!priced(kind)) out.set(kind, (out.get(kind) ?? new Set()).add(profile));
    return [...out]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([kind, profiles]) => ({ kind, profiles: [...profiles].sort().join(", ") }));
  };
  const disks = book.servers?.perDiskTB ?? {};
  for (const { kind, profiles } of unpriced(
    (hw) => hw.disks.map((d) => d.kind),
    (k) => disks[k as keyof typeof disks] !== undefined,
  ))
    issues.push({
      code: "price-missing",
      path: ["servers", "perDiskTB"],
      severity: "error",
      message: `profiles ${profiles} have ${kind} disks and are priced by component: give servers.perDiskTB.${kind} (0 when the chassis price includes them), or price those profiles in hardware`,
    });
  for (const [profile, role] of [...byRole].sort(([a], [b]) => (a < b ? -1 : 1)))
    issues.push({
      code: "price-missing",
      path: ["roles", role],
      severity: "error",
      message: `profile ${profile} has accelerators and would be priced at role ${role}'s price, which says nothing of them: price the profile in hardware, or its parts in servers (perAccelerator)`,
    });
  // A GPU costs as much as the server around it: a component price left out is no small error.
  const devices = book.servers?.perAccelerator ?? {};
  for (const { kind, profiles } of unpriced(
    (hw) => (hw.accelerators ?? []).map((a) => a.name),
    (k) => devices[k] !== undefined,
  ))
    issues.push({
      code: "price-missing",
      path: ["servers", "perAccelerator"],
      severity: "error",
      message: `profiles ${profiles} have accelerator ${kind} and are priced by component: give servers.perAccelerator.${kind} (0 when the chassis price includes it), or price those profiles in hardware`,
    });
  issues.push(...switchIssues(model, book));
  return issues;
}

function serverComponents(
  hw: HardwareModel,
  p: NonNullable<PriceBook["servers"]>,
  minor: (v: number) => number,
): ServerComponents {
  return {
    chassisMinor: minor(p.chassis),
    cpuMinor: hw.sockets * minor(p.perSocket) + hw.physicalCores * minor(p.perCore),
    memoryMinor: mulRound(minor(p.perMemoryGiB), hw.memoryGiB),
    disksMinor: sumOfProducts(
      hw.disks.map((d) => [
        // (a kind without a price stops the costing first: pricingIssues)
        minor(p.perDiskTB[d.kind as "hdd" | "ssd" | "nvme"] ?? 0),
        (d.count * d.sizeGB) / 1000,
      ]),
    ),
    nicsMinor: sumOfProducts(hw.nics.map((n) => [minor(p.perNicGbps), n.count * n.speedGbps])),
    // (a device without a price stops the costing first: pricingIssues)
    acceleratorsMinor: sumMinor(
      (hw.accelerators ?? []).map((a) => minor(p.perAccelerator[a.name] ?? 0) * a.count),
    ),
  };
}

function capacityOf(model: Model, book: PriceBook): Costing["capacity"] {
  const counts = unitCounts(model);
  const sharedVcpus = model.capacity.usableVcpus;
  const dedicatedCpus = model.capacity.usableDedicatedCpus;
  return {
    sharedVcpus,
    dedicatedCpus,
    vcpus: model.capacity.usableCpus,
    ...(model.capacity.imageBootCpus !== undefined
      ? { imageBootCpus: model.capacity.imageBootCpus }
      : {}),
    ramGiB: model.capacity.usableRamGiB,
    blockTB: counts["block-tb"],
    volumeServerTB: model.storage.volumeServersTB ?? 0,
    objectTB: counts["object-tb"],
    utilization: book.utilization,
  };
}

/**
 * The design's switches (`model.switches`) by the price-book entry that prices them: the first
 * with ports for every host cabled to the switch, at its hosts' NIC speed.
 */
function switchLines(model: Model, book: PriceBook, keptOnly = false) {
  const counts = new Map<number, number>();
  for (const sw of model.switches) {
    const need = keptOnly ? keptPorts(sw) : sw;
    if (!need) continue;
    // (a switch no entry takes stops the costing first: pricingIssues; one that takes every
    // server cabled there takes the kept ones too)
    const first = switchEntry(book, need);
    const i = first >= 0 ? first : switchEntry(book, sw);
    if (i >= 0) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([i, count]) => ({ entry: book.switches[i], count }));
}

/**
 * The ports a switch needs for the servers the commercial alternative keeps (its storage goes to
 * arrays), at their speed; none where it keeps no server cabled there.
 */
function keptPorts(sw: Model["switches"][number]) {
  const kept = sw.roles.filter((r) => !roleCosting(r.role).replacedBy && r.hostPorts > 0);
  if (!kept.length) return undefined;
  const speeds = kept.flatMap((r) => r.portSpeedGbps ?? []);
  return {
    hostPorts: kept.reduce((t, r) => t + r.hostPorts, 0),
    ...(speeds.length ? { portSpeedGbps: Math.max(...speeds) } : {}),
  };
}

/** The first switch entry with ports for every host cabled to the switch, at their NIC speed. */
const switchEntry = (
  book: PriceBook,
  sw: Pick<Model["switches"][number], "hostPorts" | "portSpeedGbps">,
): number =>
  book.switches.findIndex(
    (e) =>
      (e.ports === undefined || e.ports >= sw.hostPorts) &&
      (e.speedGbps === undefined ||
        sw.portSpeedGbps === undefined ||
        e.speedGbps >= sw.portSpeedGbps),
  );

/** The design's switches the price book cannot price. */
function switchIssues(model: Model, book: PriceBook): SpecIssue[] {
  // Left out, the design's switches would vanish from both sides without a word.
  if (model.switches.length && !book.switches.length)
    return [
      {
        code: "price-missing",
        path: ["switches"],
        severity: "error",
        message: `the design has ${model.switches.length} switches (${model.switches[0].name}, ...): price them in switches, at 0 when the customer's network is reused`,
      },
    ];
  const unpriced = model.switches
    .filter((sw) => switchEntry(book, sw) < 0)
    .map((sw) => {
      const speed = sw.portSpeedGbps ? ` at ${sw.portSpeedGbps} Gb/s` : "";
      return `${sw.name} (${sw.hostPorts} host ports${speed})`;
    });
  return unpriced.length
    ? [
        {
          code: "price-missing",
          path: ["switches"],
          severity: "error",
          message: `no switch with enough ports, fast enough, for ${unpriced.join(", ")}: add a switch with more or faster ports, or one without ports or speedGbps`,
        },
      ]
    : [];
}

/** How many of each countable unit the design has. */
export function unitCounts(model: Model): Record<Unit, number> & {
  cephObjectShare: number;
  licensedSocket: number;
  server: number;
  heldBlockTB: number;
  heldObjectTB: number;
} {
  // Servers only: controllers deployed as VMs on the undercloud are neither bought nor powered.
  const servers = model.nodes.filter((n) => !n.virtual);
  const nodesOf = (pred: (role: string) => boolean) => servers.filter((n) => pred(n.role)).length;
  const socketsOf = (nodes: Model["nodes"]) =>
    nodes.reduce((t, n) => t + (hardwareOf(model, n.hardware)?.sockets ?? 0), 0);
  const ceph = model.storage.ceph;
  const served = model.storage.served;
  return {
    // OpenStack's nodes, controllers running as VMs included: support and services cover them.
    node: model.nodes.length,
    controller: model.nodes.filter((n) => n.role === "controller").length,
    "compute-host": nodesOf((r) => r === "compute"),
    "storage-node": nodesOf((r) => roleCosting(r).storage),
    socket: socketsOf(servers),
    rack: model.racksUsed,
    "usable-tb": round(served.blockTB + served.objectTB, 2),
    "block-tb": served.blockTB,
    "object-tb": served.objectTB,
    fixed: 1,
    cephObjectShare: ceph?.objectShare ?? 0,
    // The servers bought, powered and run: what facilities and staffing count.
    server: servers.length,
    // What the commercial alternative licenses virtualization on.
    licensedSocket: socketsOf(servers.filter((n) => roleCosting(n.role).licensed)),
    heldBlockTB: served.heldBlockTB,
    heldObjectTB: served.heldObjectTB,
  };
}

const hardwareOf = (model: Model, profile: string) =>
  model.hardware.find((h) => h.name === profile);
