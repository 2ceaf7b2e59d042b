import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
  decimalPlaces,
  priceBookSchema,
  unmatchedHardwareEntries,
} from "../../proposal/price-book";
import { loadSpecFile } from "../../model/load";
import { cli, tmp } from "../support/cli";

const SHIPPED = ["standard.yaml", "standard-cny.yaml"].map((f) =>
  path.join(__dirname, "..", "..", "examples", "price-books", f),
);
const standard = () => parse(fs.readFileSync(SHIPPED[0], "utf8"));

/** The issues of a price book as `path: message`. */
function issues(book: unknown): string[] {
  const r = priceBookSchema.safeParse(book);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("hardware entries of the price book", () => {
  const model = loadSpecFile(
    path.join(__dirname, "..", "..", "examples", "enterprise-reference.yaml"),
  ).model;
  const used = [...new Set(model.nodes.map((n) => n.hardware))];
  const book = (profiles: string[]) =>
    priceBookSchema.parse({
      ...standard(),
      hardware: profiles.map((profile) => ({ profile, unitPrice: 1 })),
    });

  test("a misspelt one is named with the profile left without a price", () => {
    // GIVEN an entry for compute2s where the design's profile is compute-2s
    const misspelt = used.map((p) => (p === "compute-2s" ? "compute2s" : p));
    expect(misspelt).toContain("compute2s");
    // THEN both are named
    expect(unmatchedHardwareEntries(book(misspelt), model)).toEqual({
      entries: ["compute2s"],
      unpriced: ["compute-2s"],
    });
  });

  test("controllers running as VMs need no entry: their profile is not counted unpriced", () => {
    // GIVEN the controllers as VMs of a profile of their own, which the book does not price, and
    // an entry misspelt for another profile
    const vms = {
      ...model,
      nodes: model.nodes.map((n) =>
        n.role === "controller" ? { ...n, hardware: "ctrl-vm", virtual: true as const } : n,
      ),
    };
    const misspelt = used.map((p) => (p === "compute-2s" ? "compute2s" : p));
    // THEN only the profile that buys servers is named unpriced
    expect(unmatchedHardwareEntries(book(misspelt), vms)).toEqual({
      entries: ["compute2s"],
      unpriced: ["compute-2s"],
    });
  });

  test("a book of many designs' profiles says nothing while every profile is priced", () => {
    expect(unmatchedHardwareEntries(book([...used, "gpu-8x"]), model)).toEqual({
      entries: [],
      unpriced: [],
    });
  });
});

describe("price book lines the design counts none of", () => {
  test("are named with what their unit counts, and the per-node line says node", async () => {
    // GIVEN a support line per usable block TB for a design whose volumes are on LVM servers
    const dir = tmp();
    const book = path.join(dir, "book.yaml");
    const b = standard();
    b.subscriptions.push({ name: "Block storage support", per: "block-tb", unitPrice: 20 });
    fs.writeFileSync(book, JSON.stringify(b));
    const spec = path.join(__dirname, "..", "..", "examples", "cloud-in-a-box.yaml");
    const out = path.join(dir, "out");
    const r = await cli(["proposal", spec, "-p", book, "-o", out, "--no-quiet"]);
    // THEN the run says the proposal leaves it out, and why
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `warning: ${book}: subscriptions[${b.subscriptions.length - 1}] "Block storage support" is priced per block-tb, of which this design has none: the proposal leaves it out (the TB units count Ceph's and Swift's usable capacity; the LVM and ZFS volume servers are counted by storage-node)`,
    );
    const markdown = fs.readFileSync(path.join(out, "proposal/proposal.md"), "utf8");
    expect(markdown).not.toContain("Block storage support");
    // AND lines per node, which counts controllers run as VMs too, say node, not server
    const perNode = b.subscriptions.find((l: { per: string }) => l.per === "node");
    expect(markdown).toMatch(new RegExp(`\\| ${perNode.name} \\| node \\|`));
  });
});

describe("price book validation", () => {
  test("a design spec given as the price book is said to be one, in a line", async () => {
    const spec = path.join(__dirname, "..", "..", "examples", "cloud-in-a-box.yaml");
    const out = path.join(tmp(), "out");
    const r = await cli(["proposal", spec, "-p", spec, "-o", out]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `error: ${spec}: a design spec (it has zones and controlPlane), not a price book; give the price book with -p, such as examples/price-books/standard.yaml\n`,
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("the shipped price books are valid", () => {
    for (const file of SHIPPED) expect(issues(parse(fs.readFileSync(file, "utf8")))).toEqual([]);
  });

  test("fails when a hardware profile holds control characters, which warnings would print raw", () => {
    const b = standard();
    b.hardware = [{ profile: "x\u001b[31mred\u0007", unitPrice: 1 }];
    expect(issues(b)).toEqual(["hardware.0.profile: must not contain control characters"]);
  });

  test("fails when a hardware profile is priced twice", () => {
    const b = standard();
    b.hardware = [
      { profile: "compute-2s", unitPrice: 1 },
      { profile: "compute-2s", unitPrice: 2 },
    ];
    expect(issues(b)).toEqual([
      "hardware.1.profile: profile compute-2s is already priced at hardware[0]",
    ]);
  });

  test("fails with one issue when the currency is not an ISO 4217 code, however it is written", () => {
    for (const currency of ["EURO", "US$", "€", "RMB", "ZZZ", "eur"]) {
      const b = standard();
      b.currency = currency;
      expect(issues(b)).toEqual([
        "currency: expected an ISO 4217 currency code such as EUR or CNY",
      ]);
    }
  });

  test("an unknown currency hides none of the book's other mistakes", () => {
    // GIVEN a lower-case currency and a line priced by node with a quantity
    const b = standard();
    b.currency = "eur";
    b.subscriptions = [{ name: "Support", per: "node", quantity: 2, unitPrice: 100.123 }];
    // THEN both are named in one pass (the amount's decimals need the currency's smallest unit)
    expect(issues(b)).toEqual([
      "currency: expected an ISO 4217 currency code such as EUR or CNY",
      "subscriptions.0.quantity: quantity counts fixed lines only; per node takes its count from the design: remove it or use per: fixed",
    ]);
  });

  test("fails when two switches share a name, or a counted line gives a quantity", () => {
    const b = standard();
    b.switches = [
      { name: "ToR", ports: 48, unitPrice: 9200 },
      { name: "tor", ports: 96, unitPrice: 14000 },
    ];
    b.subscriptions = [{ name: "Support", per: "node", quantity: 2, unitPrice: 100 }];
    expect(issues(b)).toEqual([
      "switches.1.name: tor is already listed at switches[0]",
      "subscriptions.0.quantity: quantity counts fixed lines only; per node takes its count from the design: remove it or use per: fixed",
    ]);
  });

  test("fails when a line of any list takes a name another list has, however written", () => {
    const b = standard();
    b.services.push({ name: b.switches[0].name, per: "fixed", quantity: 1, unitPrice: 1 });
    b.services.push({
      name: "ＯｐｅｎＳｔａｃｋ support subscription",
      per: "node",
      unitPrice: 1,
    });
    expect(issues(b)).toEqual([
      `services.3.name: ${b.switches[0].name} is already listed at switches[0]`,
      "services.4.name: ＯｐｅｎＳｔａｃｋ support subscription is already listed at subscriptions[0]",
    ]);
  });

  test("fails when a date is not a calendar date", () => {
    for (const date of ["2026-13-45", "2026-02-30", "31.12.2026"]) {
      const b = standard();
      b.validUntil = date;
      expect(issues(b)).toEqual([
        date.includes(".")
          ? "validUntil: expected a date YYYY-MM-DD"
          : "validUntil: not a calendar date",
      ]);
    }
  });

  test("fails when a price is negative, naming where", () => {
    const b = standard();
    b.switches[0].unitPrice = -9200;
    b.servers.perCore = -1;
    expect(issues(b)).toEqual([
      "servers.perCore: must be 0 or more",
      "switches.0.unitPrice: must be 0 or more",
    ]);
  });

  test("fails when a switch still says perRack: the design's switch plan counts them", () => {
    const b = standard();
    b.switches[0].perRack = 2;
    expect(issues(b)).toEqual([
      "switches.0.perRack: perRack is not read: the design's switch plan says how many switches there are; remove it (ports picks a switch by its host ports)",
    ]);
  });

  test("fails when an amount is finer than the currency's smallest unit", () => {
    const b = standard();
    b.subscriptions[0].unitPrice = 850.005;
    expect(issues(b)).toEqual([
      "subscriptions.0.unitPrice: 850.005 has more than 2 decimal place(s), the smallest unit of EUR",
    ]);
  });

  test("fails when a component, running or alternative price is finer than the currency's unit", () => {
    // GIVEN prices the costing would otherwise round before multiplying
    const b = standard();
    b.servers.perMemoryGiB = 6.505;
    b.servers.perDiskTB.nvme = 160.001;
    b.operations = { perNodePerYear: 900.005 };
    b.commercialAlternative.virtualizationPerSocket = 6200.555;
    // THEN each is refused at its path
    expect(issues(b)).toEqual([
      "servers.perMemoryGiB: 6.505 has more than 2 decimal place(s), the smallest unit of EUR",
      "servers.perDiskTB.nvme: 160.001 has more than 2 decimal place(s), the smallest unit of EUR",
      "operations.perNodePerYear: 900.005 has more than 2 decimal place(s), the smallest unit of EUR",
      "commercialAlternative.virtualizationPerSocket: 6200.555 has more than 2 decimal place(s), the smallest unit of EUR",
    ]);
    // AND a currency without minor units takes whole amounts only
    expect(issues({ ...standard(), currency: "JPY" })).toContain(
      "servers.perMemoryGiB: 6.5 has more than 0 decimal place(s), the smallest unit of JPY",
    );
  });

  test("takes cents on amounts of ten billion and more, where float noise once refused them", () => {
    const b = standard();
    b.subscriptions[0].unitPrice = 10000000000.03;
    b.servers.perMemoryGiB = 999999999999.99;
    expect(issues(b)).toEqual([]);
    b.subscriptions[0].unitPrice = 10000000000.003;
    expect(issues(b)).toEqual([
      "subscriptions.0.unitPrice: 10000000000.003 has more than 2 decimal place(s), the smallest unit of EUR",
    ]);
    expect(decimalPlaces(1e-7)).toBe(7);
    expect(decimalPlaces(1.5e-3)).toBe(4);
    expect(decimalPlaces(120)).toBe(0);
  });

  test("fails for rates and counts finer than the proposal shows them", () => {
    // GIVEN a discount of 8.255 %, an FTE count of 1.125, a fixed quantity of 0.125 and one FTE
    // per a fraction of a node
    const b = standard();
    b.discounts = { hardware: 0.08255, subscriptions: 0.0825 };
    b.staffing.proposed = { fte: 1.125 };
    b.staffing.commercial = { nodesPerFte: 0.5 };
    b.services[0] = { ...b.services[0], per: "fixed", quantity: 0.125 };
    // THEN
    expect(issues(b)).toEqual([
      "services.0.quantity: must have at most 2 decimal places",
      "discounts.hardware: must have at most 4 decimal places (a percentage with two)",
      "staffing.proposed.fte: must have at most 2 decimal places",
      "staffing.commercial.nodesPerFte: must be at least 1",
    ]);
  });

  test("fails for hardware support beyond 10 years, of part years, or above 100 %", () => {
    const b = standard();
    b.hardwareSupport = { includedYears: 11, yearlyRate: 1.5 };
    const c = standard();
    c.hardwareSupport = { includedYears: 2.5, yearlyRate: 0.1 };
    expect([...issues(b), ...issues(c)]).toEqual([
      "hardwareSupport.includedYears: must be 0-10",
      "hardwareSupport.yearlyRate: must be at most 1 (100%)",
      "hardwareSupport.includedYears: expected a whole number of years",
    ]);
  });

  test("fails when an option is already counted in the subscriptions or services", () => {
    const b = standard();
    b.options.push({ name: "openstack support subscription", per: "node", unitPrice: 1 });
    expect(issues(b)).toEqual([
      "options.2.name: openstack support subscription is already counted in subscriptions[0]; an option is offered on top of the totals, never inside them",
    ]);
  });

  test("fails when a role is not a node role, or nothing prices the servers", () => {
    const b = standard();
    b.roles = { storage: { unitPrice: 1 } };
    expect(issues(b)).toEqual(['roles: Unrecognized key: "storage"']);
    const none = standard();
    delete none.roles;
    delete none.servers;
    expect(issues(none)).toEqual([
      "hardware: price the servers: hardware (per profile), roles (per node role) or servers (per component)",
    ]);
  });
});

test("stackwright proposal rejects a bad or incomplete price book with file, line and path, exit 2, nothing written", async () => {
  const dir = tmp();
  const text = fs.readFileSync(SHIPPED[0], "utf8");
  const cases: [string, string, RegExp][] = [
    [
      "date",
      text.replace('validUntil: "2027-12-31"', 'validUntil: "2026-13-45"'),
      /date\.yaml:6:\d+ {2}validUntil: not a calendar date \[schema-custom\]/,
    ],
    [
      "negative",
      text.replace("unitPrice: 9200", "unitPrice: -9200"),
      /negative\.yaml:\d+:\d+ {2}switches\[0\]\.unitPrice: must be 0 or more/,
    ],
    [
      "duplicate",
      text.replace(
        "\nroles:\n",
        "\nhardware:\n  - { profile: a, unitPrice: 1 }\n  - { profile: a, unitPrice: 2 }\nroles:\n",
      ),
      /duplicate\.yaml:\d+:\d+ {2}hardware\[1\]\.profile: profile a is already priced at hardware\[0\]/,
    ],
    [
      "missing",
      text.replace(/\nservers:\n[\s\S]*?\n\n/, "\n"),
      /missing\.yaml:\d+:\d+ {2}hardware: no price for hardware profile controller-1u \(role controller, 3 nodes\)/,
    ],
  ];
  for (const [name, content, expected] of cases) {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, content);
    const out = path.join(dir, `out-${name}`);
    // (quiet or not: the warnings a terminal gets price the design before the documents do)
    for (const loud of [[], ["--no-quiet"]]) {
      const r = await cli([
        "proposal",
        "examples/enterprise-reference.yaml",
        "--price-book",
        file,
        "--out",
        out,
        ...loud,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(out)).toBe(false);
    }
  }
});
