import { priceBookSchema, type PriceBookInput } from "../../proposal/price-book";
import { load, variant } from "../support/fixtures";

/**
 * The base fixture with zone az2 racked in r1-r3 as well, so its switch plan is a top-of-rack
 * pair per rack: 6 switches, the figure the hand-computed tests use.
 */
export function pricedModel() {
  return load(variant((s) => (s.zones[1].racks = ["r1", "r2", "r3"]))).model;
}

/**
 * A small price book with round figures, for hand-computed tests over the base fixture
 * (3 controllers `ctrl` with 1 socket, 7 compute hosts `cmp` with 2 sockets, racks r1-r3).
 */
export function testBook(edit: (b: PriceBookInput) => void = () => undefined) {
  const input: PriceBookInput = {
    name: "Test prices",
    currency: "EUR",
    hardware: [
      { profile: "ctrl", unitPrice: 10000 },
      { profile: "cmp", unitPrice: 20000 },
    ],
    switches: [{ name: "ToR", unitPrice: 5000 }],
    subscriptions: [{ name: "Support", per: "node", unitPrice: 1000 }],
    services: [
      { name: "Design", per: "fixed", quantity: 5, unit: "day", unitPrice: 2000 },
      { name: "Deploy", per: "compute-host", unitPrice: 500 },
    ],
    discounts: { hardware: 0.1, services: 0.05, subscriptions: 0.02 },
    operations: { perNodePerYear: 100 },
    staffing: {
      costPerFtePerYear: 100000,
      proposed: { nodesPerFte: 5, minimumFte: 1 },
      commercial: { fte: 2.5 },
    },
    utilization: 0.5,
    commercialAlternative: {
      name: "Vendor stack",
      blockStoragePerUsableTB: 1000,
      objectStoragePerUsableTB: 300,
      storageMaintenanceRate: 0.2,
      virtualizationPerSocket: 3000,
      virtualizationSupportRate: 0.2,
    },
  };
  edit(input);
  return priceBookSchema.parse(input);
}
