import type { Model } from "../model/types";
import { UserError } from "../core/errors";
import type { PriceBook, Unit } from "./price-book";

export interface BomLine {
  readonly category: "hardware" | "network" | "subscription" | "service";
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  /** quantity x unitPrice, before discount. */
  readonly total: number;
}

export interface TcoYear {
  readonly years: number;
  readonly proposed: number;
  readonly commercial: number;
  readonly saving: number;
  readonly savingShare: number;
}

export interface Costing {
  readonly currency: string;
  readonly bom: readonly BomLine[];
  readonly hardware: number;
  readonly network: number;
  readonly services: number;
  readonly subscriptionsPerYear: number;
  readonly discounts: {
    readonly hardware: number;
    readonly subscriptions: number;
    readonly services: number;
  };
  /** One-off: hardware, network and services after discounts. */
  readonly capex: number;
  /** Yearly: subscriptions after discount, plus operations. */
  readonly opexPerYear: number;
  readonly operationsPerYear: number;
  readonly capacity: { readonly vcpus: number; readonly ramGiB: number; readonly usableTB: number };
  readonly tco: readonly TcoYear[];
  readonly perVcpu5y: number;
  readonly perUsableTB5y: number;
  readonly commercial: {
    readonly name: string;
    readonly storage: number;
    readonly virtualization: number;
    readonly perYear: number;
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Bill of materials, CAPEX, OPEX and the 3- and 5-year TCO against the commercial alternative.
 * Quantities come only from the model, prices only from the price book; a used item without a
 * price is an error that names it.
 */
export function costDesign(model: Model, book: PriceBook): Costing {
  const missing: string[] = [];
  const bom: BomLine[] = [];
  const line = (
    category: BomLine["category"],
    item: string,
    quantity: number,
    unit: string,
    unitPrice: number,
  ) => {
    if (quantity > 0)
      bom.push({ category, item, quantity, unit, unitPrice, total: round2(quantity * unitPrice) });
  };

  // Hardware: one line per profile, counted over every node of the inventory.
  const profiles = new Map<string, number>();
  for (const row of model.inventory)
    profiles.set(row.hardware, (profiles.get(row.hardware) ?? 0) + row.count);
  for (const [profile, count] of [...profiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const price = book.hardware.find((h) => h.profile === profile);
    if (!price) {
      missing.push(`hardware profile ${profile} (${count} nodes)`);
      continue;
    }
    const hw = model.hardware.find((h) => h.name === profile);
    const what =
      price.description ??
      (hw ? `${profile}: ${hw.sockets}x${hw.coresPerSocket} cores, ${hw.memoryGiB} GiB` : profile);
    line("hardware", what, count, "node", price.unitPrice);
  }
  if (missing.length) {
    throw new UserError(
      `the price book has no price for: ${missing.join("; ")}`,
      missing.map((m) => ({
        code: "price-missing",
        path: ["hardware"],
        severity: "error",
        message: `no price for ${m}`,
      })),
    );
  }

  const counts = unitCounts(model);
  for (const sw of book.switches) {
    line("network", sw.name, counts.rack * sw.perRack, "switch", sw.unitPrice);
  }
  for (const s of book.subscriptions) {
    line(
      "subscription",
      s.name,
      s.per === "fixed" ? (s.quantity ?? 1) : counts[s.per],
      s.unit ?? `${s.per}/year`,
      s.unitPrice,
    );
  }
  for (const s of book.services) {
    line(
      "service",
      s.name,
      s.per === "fixed" ? (s.quantity ?? 1) : counts[s.per],
      s.unit ?? s.per,
      s.unitPrice,
    );
  }

  const sum = (c: BomLine["category"]) =>
    round2(bom.filter((l) => l.category === c).reduce((t, l) => t + l.total, 0));
  const hardware = sum("hardware");
  const network = sum("network");
  const services = sum("service");
  const subscriptionsPerYear = sum("subscription");
  const d = book.discounts;
  const capex = round2(
    hardware * (1 - d.hardware) + network * (1 - d.hardware) + services * (1 - d.services),
  );
  const operationsPerYear = round2(model.nodes.length * book.operations.perNodePerYear);
  const opexPerYear = round2(subscriptionsPerYear * (1 - d.subscriptions) + operationsPerYear);

  // The commercial stack: the same servers and network, commercial arrays instead of Ceph/Swift,
  // virtualization licences instead of OpenStack, manual operations instead of automation.
  const alt = book.commercialAlternative;
  const storage = round2(counts["usable-tb"] * alt.storagePerUsableTB);
  const virtualization = round2(counts.socket * alt.virtualizationPerSocket);
  const servers = hardwareOf(model, book, ["compute", "controller", "network"]);
  const altCapex = round2(
    (servers + network) * (1 - d.hardware) + storage + virtualization + services * (1 - d.services),
  );
  const altPerYear = round2(
    storage * alt.storageMaintenanceRate +
      virtualization * alt.virtualizationSupportRate +
      alt.manualOperationsPerYear +
      (model.nodes.length - counts["storage-node"]) * book.operations.perNodePerYear,
  );
  const tco = [3, 5].map((years) => {
    const proposed = round2(capex + years * opexPerYear);
    const commercial = round2(altCapex + years * altPerYear);
    return {
      years,
      proposed,
      commercial,
      saving: round2(commercial - proposed),
      savingShare: commercial > 0 ? round2((commercial - proposed) / commercial) : 0,
    };
  });
  const five = tco[1].proposed;
  const vcpus = model.capacity.usableCpus;
  return {
    currency: book.currency,
    bom,
    hardware,
    network,
    services,
    subscriptionsPerYear,
    discounts: { hardware: d.hardware, subscriptions: d.subscriptions, services: d.services },
    capex,
    opexPerYear,
    operationsPerYear,
    capacity: { vcpus, ramGiB: model.capacity.usableRamGiB, usableTB: counts["usable-tb"] },
    tco,
    perVcpu5y: vcpus > 0 ? round2(five / vcpus) : 0,
    perUsableTB5y: counts["usable-tb"] > 0 ? round2(five / counts["usable-tb"]) : 0,
    commercial: { name: alt.name, storage, virtualization, perYear: altPerYear },
  };
}

/** Hardware cost of the nodes of some roles. */
function hardwareOf(model: Model, book: PriceBook, roles: readonly string[]): number {
  let total = 0;
  for (const row of model.inventory) {
    if (!roles.includes(row.role)) continue;
    total += row.count * (book.hardware.find((h) => h.profile === row.hardware)?.unitPrice ?? 0);
  }
  return total;
}

/** How many of each countable unit the design has. */
export function unitCounts(model: Model): Record<Unit, number> {
  const sockets = model.nodes
    .filter((n) => n.role === "compute" || n.role === "controller")
    .reduce((t, n) => t + (model.hardware.find((h) => h.name === n.hardware)?.sockets ?? 0), 0);
  const storageRoles = new Set(["ceph-osd", "swift-storage", "swift-proxy"]);
  return {
    node: model.nodes.length,
    controller: model.nodes.filter((n) => n.role === "controller").length,
    "compute-host": model.nodes.filter((n) => n.role === "compute").length,
    "storage-node": model.nodes.filter((n) => storageRoles.has(n.role)).length,
    socket: sockets,
    rack: new Set(model.nodes.map((n) => n.rack).filter(Boolean)).size || 1,
    "usable-tb": round2((model.storage.ceph?.usableTB ?? 0) + (model.storage.swift?.usableTB ?? 0)),
    fixed: 1,
  };
}
