import { z } from "zod";

const money = () =>
  z
    .number({ error: "expected an amount" })
    .min(0, { error: "must be 0 or more" })
    .max(1e12, { error: "must be at most 1e12" });
const rate = () =>
  z
    .number({ error: "expected a fraction" })
    .min(0, { error: "must be 0 or more" })
    .max(1, { error: "must be at most 1 (100%)" });
const label = (max = 120) =>
  z
    .string({ error: "expected text" })
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[^\p{Cc}]*$/u, { error: "must not contain control characters" });

/** What a per-unit line is counted by, from the model. */
export const UNITS = [
  "node",
  "controller",
  "compute-host",
  "storage-node",
  "socket",
  "rack",
  "usable-tb",
  "fixed",
] as const;

const perUnit = z.strictObject({
  name: label(),
  per: z.enum(UNITS, { error: `expected one of ${UNITS.join(", ")}` }),
  /** For `fixed` lines: how many units (days, sessions). */
  quantity: z.number().positive().max(1e6).optional(),
  unit: label(40).optional(),
  unitPrice: money(),
});

/**
 * A presales price book: what each hardware profile, switch, subscription and service costs,
 * and the commercial alternative the proposal is compared with. Prices only; every quantity
 * comes from the design's model.
 */
export const priceBookSchema = z.strictObject({
  $schema: z.string().optional(),
  name: label(),
  /** ISO 4217 code. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: "expected an ISO 4217 currency code such as EUR or CNY" }),
  validUntil: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expected a date YYYY-MM-DD" })
    .optional(),
  hardware: z
    .array(
      z.strictObject({
        profile: z.string().min(1),
        description: label().optional(),
        unitPrice: money(),
      }),
    )
    .min(1, { error: "price at least one hardware profile" }),
  switches: z
    .array(
      z.strictObject({
        name: label(),
        perRack: z.int().min(1).max(16),
        unitPrice: money(),
      }),
    )
    .default([]),
  /** Yearly subscriptions (support, OS). */
  subscriptions: z.array(perUnit).default([]),
  /** One-off services (design, deployment, training). */
  services: z.array(perUnit).default([]),
  discounts: z
    .strictObject({
      hardware: rate().default(0),
      subscriptions: rate().default(0),
      services: rate().default(0),
    })
    .default({ hardware: 0, subscriptions: 0, services: 0 }),
  /** Yearly running cost per node (power, cooling, space). */
  operations: z
    .strictObject({ perNodePerYear: money().default(0), label: label().optional() })
    .default({ perNodePerYear: 0 }),
  /** The commercial stack the business case compares with. */
  commercialAlternative: z.strictObject({
    name: label(),
    /** Commercial storage arrays, priced per usable TB, with yearly maintenance as a share of the price. */
    storagePerUsableTB: money(),
    storageMaintenanceRate: rate().default(0.2),
    /** Virtualization licences per CPU socket of the compute hosts and controllers. */
    virtualizationPerSocket: money(),
    virtualizationSupportRate: rate().default(0.22),
    /** Extra yearly operations cost of the manual, non-automated stack. */
    manualOperationsPerYear: money().default(0),
  }),
});

export type Unit = (typeof UNITS)[number];
export type PriceBookInput = z.input<typeof priceBookSchema>;
export type PriceBook = z.output<typeof priceBookSchema>;
