import { z } from "zod";
import type { Model } from "../model/types";
import { NODE_ROLES } from "./roles";

const money = () =>
  z
    .number({ error: "expected an amount" })
    .min(0, { error: "must be 0 or more" })
    .max(1e12, { error: "must be at most 1e12" });
/**
 * At most `places` decimal places: the proposal shows rates as percentages with two decimals
 * and quantities with two, so every figure it prints is the one it computes with.
 */
const places = (n: number, digits: number) => decimalPlaces(n) <= digits;

/**
 * Decimal places of a number as written: its shortest round-trip form (10000000000.03 has two,
 * which a tolerance on `n * 100` misreads at that size).
 */
export function decimalPlaces(n: number): number {
  const [mantissa, exponent] = String(Math.abs(n)).split("e");
  return Math.max(0, (mantissa.split(".")[1]?.length ?? 0) - Number(exponent ?? 0));
}
const rate = () =>
  z
    .number({ error: "expected a fraction" })
    .min(0, { error: "must be 0 or more" })
    .max(1, { error: "must be at most 1 (100%)" })
    .refine((n) => places(n, 4), {
      error: "must have at most 4 decimal places (a percentage with two)",
    });
/** A count with at most two decimals (days, FTE). */
const count = (max: number) =>
  z
    .number({ error: "expected a number" })
    .min(0, { error: "must be 0 or more" })
    .max(max, { error: `must be at most ${max}` })
    .refine((n) => places(n, 2), { error: "must have at most 2 decimal places" });
const label = (max = 120) =>
  z
    .string({ error: "expected text" })
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[^\p{Cc}]*$/u, { error: "must not contain control characters" });
const text = () => label(600);

/** A calendar date `YYYY-MM-DD` that exists (no 2026-13-45, no 2026-02-30). */
const isoDate = () =>
  z
    .string({ error: "expected a date YYYY-MM-DD" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expected a date YYYY-MM-DD", abort: true })
    .refine(
      (s) => {
        const [y, m, d] = s.split("-").map(Number);
        const date = new Date(Date.UTC(y, m - 1, d));
        return (
          date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
        );
      },
      { error: "not a calendar date" },
    );

/** What a per-unit line is counted by, from the model. */
export const UNITS = [
  "node",
  "controller",
  "compute-host",
  "storage-node",
  "socket",
  "rack",
  "usable-tb",
  "block-tb",
  "object-tb",
  "fixed",
] as const;

const perUnit = z.strictObject({
  name: label(),
  per: z.enum(UNITS, { error: `expected one of ${UNITS.join(", ")}` }),
  /** For `fixed` lines: how many units (days, sessions). */
  quantity: count(1e6)
    .refine((n) => n > 0, { error: "must be more than 0" })
    .optional(),
  unit: label(40).optional(),
  unitPrice: money(),
});

const nodePrice = z.strictObject({
  description: label().optional(),
  unitPrice: money(),
});

/** A side's operations team: a fixed team, or one FTE per so many nodes (at least a minimum). */
const team = z.union(
  [
    z.strictObject({ fte: count(10000) }),
    z.strictObject({
      // One FTE looks after at least one node.
      nodesPerFte: count(100000).refine((n) => n >= 1, { error: "must be at least 1" }),
      minimumFte: count(10000).default(0),
    }),
  ],
  { error: "expected { fte } (a fixed team) or { nodesPerFte, minimumFte }" },
);

/** List prices of a server built to a hardware profile, component by component. */
const serverPrices = z.strictObject({
  chassis: money(),
  perSocket: money().default(0),
  perCore: money().default(0),
  perMemoryGiB: money().default(0),
  /** Per TB of each disk kind; a kind the priced profiles have must be given (0 if included). */
  perDiskTB: z
    .strictObject({ hdd: money().optional(), ssd: money().optional(), nvme: money().optional() })
    .default({}),
  /** Per Gbit/s of NIC port speed (a 25 GbE port counts 25). */
  perNicGbps: money().default(0),
  /** Per device, by the accelerator's name in the spec; one the priced profiles have must be given. */
  perAccelerator: z.record(z.string(), money()).default({}),
});

/** Codes of the currencies in use that Intl formats (ICU's list; `RMB` or `US$` are not codes). */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

/**
 * A presales price book: what each server, switch, subscription and service costs, the staff
 * that runs each side, and the commercial alternative the proposal is compared with. Prices
 * only; every quantity comes from the design's model.
 */
export const priceBookSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: label(),
    /** ISO 4217 code. */
    currency: z.string().refine((c) => CURRENCIES.has(c), {
      error: "expected an ISO 4217 currency code such as EUR or CNY",
    }),
    validUntil: isoDate().optional(),
    /** A price per hardware profile of the spec; wins over `roles` and `servers`. */
    hardware: z
      .array(
        z.strictObject({
          profile: label(63),
          description: label().optional(),
          unitPrice: money(),
        }),
      )
      .default([]),
    /** A default price per node role, for profiles without their own price. */
    roles: z.partialRecord(z.enum(NODE_ROLES), nodePrice).default({}),
    /** Component prices that price any profile without a profile or role price. */
    servers: serverPrices.optional(),
    /**
     * Switch prices. The design's switch plan (`model.switches`) says how many: each of its
     * switches takes the first entry with `ports` for all the hosts cabled to it, at `speedGbps`
     * or faster than the fastest NIC of those hosts. A design with switches needs one entry.
     */
    switches: z
      .array(
        z.strictObject({
          name: label(),
          /** Host ports of one switch. @default any number */
          ports: z
            .int({
              error: (issue) =>
                issue.code === "invalid_type" ? "expected a port count" : "ports must be 1-1024",
              abort: true,
            })
            .min(1, { error: "ports must be 1-1024" })
            .max(1024, { error: "ports must be 1-1024" })
            .optional(),
          /** Speed of its host ports in Gbit/s: it takes hosts whose fastest NIC is no faster. @default any speed */
          speedGbps: z
            .int({
              error: (issue) =>
                issue.code === "invalid_type"
                  ? "expected a speed in Gbit/s"
                  : "speedGbps must be 1-800",
              abort: true,
            })
            .min(1, { error: "speedGbps must be 1-800" })
            .max(800, { error: "speedGbps must be 1-800" })
            .optional(),
          perRack: z
            .never({
              error:
                "perRack is not read: the design's switch plan says how many switches there are; remove it (ports picks a switch by its host ports)",
            })
            .optional(),
          unitPrice: money(),
        }),
      )
      .default([]),
    /** Yearly subscriptions (support, OS): part of OPEX. */
    subscriptions: z.array(perUnit).default([]),
    /** One-off services (design, deployment, training): part of CAPEX. */
    services: z.array(perUnit).default([]),
    /** Offered on top, never in the totals. */
    options: z
      .array(
        perUnit.extend({
          yearly: z.boolean().default(false),
          /**
           * The discount it takes: hardware (a spare parts kit), services or subscriptions, or
           * none. @default subscriptions when yearly, else services
           */
          discount: z
            .enum(["hardware", "services", "subscriptions", "none"], {
              error: "expected hardware, services, subscriptions or none",
            })
            .optional(),
        }),
      )
      .default([]),
    discounts: z
      .strictObject({
        hardware: rate().default(0),
        subscriptions: rate().default(0),
        services: rate().default(0),
      })
      .default({ hardware: 0, subscriptions: 0, services: 0 }),
    /**
     * Support of the servers and switches once their warranty ends, a yearly share of their net
     * price on each side: the 5-year TCO pays it for the years past `includedYears`.
     */
    hardwareSupport: z
      .strictObject({
        /** Years of support the hardware prices include (the warranty). */
        includedYears: z
          .int({ error: "expected a whole number of years" })
          .min(0, { error: "must be 0-10" })
          .max(10, { error: "must be 0-10" }),
        /** Each later year, as a share of the hardware's net price. */
        yearlyRate: rate(),
      })
      .optional(),
    /** Yearly running cost per node (power, cooling, space). */
    operations: z
      .strictObject({ perNodePerYear: money().default(0) })
      .default({ perNodePerYear: 0 }),
    /** The operations team on each side, so both OPEX figures carry staff. */
    staffing: z.strictObject({
      costPerFtePerYear: money(),
      proposed: team,
      commercial: team,
    }),
    /** Planned average use of the delivered vCPUs, for the cost per used vCPU. */
    utilization: rate()
      .refine((n) => n > 0, { error: "must be more than 0" })
      .default(0.7),
    /** The commercial stack the business case compares with. */
    commercialAlternative: z.strictObject({
      name: label(),
      /** Commercial block arrays (replacing Ceph/Cinder), per usable TB. */
      blockStoragePerUsableTB: money(),
      /** A commercial object store (replacing Swift and Ceph RGW), per usable TB. */
      objectStoragePerUsableTB: money(),
      /** Yearly maintenance of the arrays and the object store, as a share of their price. */
      storageMaintenanceRate: rate().default(0.2),
      /** Virtualization licences per CPU socket of the compute hosts and controllers. */
      virtualizationPerSocket: money(),
      virtualizationSupportRate: rate().default(0.22),
    }),
    /** Commercial terms; each one left out is replaced by a standard statement. */
    terms: z
      .strictObject({
        payment: text().optional(),
        tax: text().optional(),
        timeline: z
          .array(
            z.strictObject({
              milestone: label(),
              weeks: count(520).refine((n) => n > 0, { error: "must be more than 0" }),
            }),
          )
          .optional(),
        assumptions: z.array(text()).optional(),
        exclusions: z.array(text()).optional(),
      })
      .default({}),
  })
  .superRefine((book, ctx) => {
    // Zod runs this after a failed refinement of a field too: without a known currency there is
    // no smallest unit to check amounts against, but every other mistake is still named.
    const known = CURRENCIES.has(book.currency);
    const digits = known ? minorDigits(book.currency) : 0;
    const checkAmount = (value: number, path: (string | number)[]) => {
      if (!known) return;
      if (!places(value, digits))
        ctx.addIssue({
          code: "custom",
          path,
          message: `${value} has more than ${digits} decimal place(s), the smallest unit of ${book.currency}`,
        });
    };
    const seen = new Map<string, number>();
    book.hardware.forEach((h, i) => {
      const first = seen.get(h.profile);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["hardware", i, "profile"],
          message: `profile ${h.profile} is already priced at hardware[${first}]`,
        });
      else seen.set(h.profile, i);
      checkAmount(h.unitPrice, ["hardware", i, "unitPrice"]);
    });
    for (const [role, p] of Object.entries(book.roles))
      if (p) checkAmount(p.unitPrice, ["roles", role, "unitPrice"]);
    // Lines name their entry: two of one name, in any list and however cased or written (full
    // width), could not be told apart on the proposal.
    const nameKey = (name: string) => name.normalize("NFKC").toLowerCase();
    const names = new Map<string, string>();
    for (const list of ["switches", "subscriptions", "services", "options"] as const) {
      book[list].forEach((s, i) => {
        checkAmount(s.unitPrice, [list, i, "unitPrice"]);
        if ("per" in s && s.per !== "fixed" && s.quantity !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [list, i, "quantity"],
            message: `quantity counts fixed lines only; per ${s.per} takes its count from the design: remove it or use per: fixed`,
          });
        const key = nameKey(s.name);
        const first = names.get(key);
        if (first === undefined) names.set(key, `${list}[${i}]`);
        else
          ctx.addIssue({
            code: "custom",
            path: [list, i, "name"],
            // An option named as a line above would read as counted twice.
            message:
              list === "options" && !first.startsWith("options")
                ? `${s.name} is already counted in ${first}; an option is offered on top of the totals, never inside them`
                : `${s.name} is already listed at ${first}`,
          });
      });
    }
    checkAmount(book.staffing.costPerFtePerYear, ["staffing", "costPerFtePerYear"]);
    if (book.servers) {
      const { perDiskTB, perAccelerator, ...perServer } = book.servers;
      for (const [k, v] of Object.entries(perServer)) checkAmount(v, ["servers", k]);
      for (const [k, v] of Object.entries(perDiskTB)) checkAmount(v, ["servers", "perDiskTB", k]);
      for (const [k, v] of Object.entries(perAccelerator))
        checkAmount(v, ["servers", "perAccelerator", k]);
    }
    checkAmount(book.operations.perNodePerYear, ["operations", "perNodePerYear"]);
    const alt = book.commercialAlternative;
    for (const k of [
      "blockStoragePerUsableTB",
      "objectStoragePerUsableTB",
      "virtualizationPerSocket",
    ] as const)
      checkAmount(alt[k], ["commercialAlternative", k]);
    if (!book.hardware.length && !Object.keys(book.roles).length && !book.servers)
      ctx.addIssue({
        code: "custom",
        path: ["hardware"],
        message:
          "price the servers: hardware (per profile), roles (per node role) or servers (per component)",
      });
  });

/** Digits of the currency's smallest unit: 2 for EUR and CNY, 0 for JPY. */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

export type Unit = (typeof UNITS)[number];
export type PriceBookInput = z.input<typeof priceBookSchema>;
export type PriceBook = z.output<typeof priceBookSchema>;
export type Team = PriceBook["staffing"]["proposed"];

/**
 * The book's hardware entries that name no profile of the design while some profile its servers
 * use has none: likely a misspelt name, whose servers are then priced by role or component. A
 * book of many designs' profiles names others too, and says nothing while every one is priced.
 */
export function unmatchedHardwareEntries(
  book: PriceBook,
  model: Pick<Model, "nodes" | "hardware">,
): { readonly entries: readonly string[]; readonly unpriced: readonly string[] } {
  // (controllers running as VMs on the undercloud are priced by no entry)
  const used = [...new Set(model.nodes.filter((n) => !n.virtual).map((n) => n.hardware))].sort();
  const priced = new Set(book.hardware.map((h) => h.profile));
  const unpriced = used.filter((p) => !priced.has(p));
  const known = new Set(model.hardware.map((h) => h.name));
  const entries = unpriced.length
    ? book.hardware.map((h) => h.profile).filter((p) => !known.has(p))
    : [];
  return { entries, unpriced: entries.length ? unpriced : [] };
}
