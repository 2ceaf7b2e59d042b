import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { costDesign } from "../../proposal/costing";
import { priceBookSchema, type PriceBookInput } from "../../proposal/price-book";
import { moneyFormatter, proposalDocuments } from "../../proposal/proposal";
import { UserError } from "../../core/errors";
import { load, variant } from "../support/fixtures";

// Base fixture: 3 controllers (ctrl: 1 socket), 4 + 3 compute hosts (cmp: 2 sockets), racks r1-r3.
const model = load(variant(() => undefined)).model;

const book = (edit: (b: PriceBookInput) => void = () => undefined) => {
  const input: PriceBookInput = {
    name: "Test prices",
    currency: "EUR",
    hardware: [
      { profile: "ctrl", unitPrice: 10000 },
      { profile: "cmp", unitPrice: 20000 },
    ],
    switches: [{ name: "ToR", perRack: 2, unitPrice: 5000 }],
    subscriptions: [{ name: "Support", per: "node", unitPrice: 1000 }],
    services: [
      { name: "Design", per: "fixed", quantity: 5, unit: "day", unitPrice: 2000 },
      { name: "Deploy", per: "compute-host", unitPrice: 500 },
    ],
    discounts: { hardware: 0.1, services: 0, subscriptions: 0 },
    operations: { perNodePerYear: 100 },
    commercialAlternative: {
      name: "Vendor stack",
      storagePerUsableTB: 1000,
      virtualizationPerSocket: 3000,
      virtualizationSupportRate: 0.2,
      manualOperationsPerYear: 50000,
    },
  };
  edit(input);
  return priceBookSchema.parse(input);
};

describe("costing", () => {
  const c = costDesign(model, book());

  test("builds the bill of materials from the model's quantities", () => {
    expect(c.bom).toEqual([
      {
        category: "hardware",
        item: "cmp: 2x16 cores, 256 GiB",
        quantity: 7,
        unit: "node",
        unitPrice: 20000,
        total: 140000,
      },
      {
        category: "hardware",
        item: "ctrl: 1x16 cores, 128 GiB",
        quantity: 3,
        unit: "node",
        unitPrice: 10000,
        total: 30000,
      },
      {
        category: "network",
        item: "ToR",
        quantity: 6,
        unit: "switch",
        unitPrice: 5000,
        total: 30000,
      },
      {
        category: "subscription",
        item: "Support",
        quantity: 10,
        unit: "node/year",
        unitPrice: 1000,
        total: 10000,
      },
      {
        category: "service",
        item: "Design",
        quantity: 5,
        unit: "day",
        unitPrice: 2000,
        total: 10000,
      },
      {
        category: "service",
        item: "Deploy",
        quantity: 7,
        unit: "compute-host",
        unitPrice: 500,
        total: 3500,
      },
    ]);
  });

  test("computes CAPEX, OPEX and TCO by the book", () => {
    // CAPEX = (170000 + 30000) x 0.9 + 13500 = 193500; OPEX = 10000 + 10 nodes x 100 = 11000
    expect(c.capex).toBe(193500);
    expect(c.opexPerYear).toBe(11000);
    // Commercial: servers + network as proposed (180000), no storage, 3x1 + 7x2 = 17 sockets x 3000 = 51000
    // licences, services 13500 => 244500; per year 51000 x 0.2 + 50000 + 10 x 100 = 61200.
    expect(c.commercial).toEqual({
      name: "Vendor stack",
      storage: 0,
      virtualization: 51000,
      perYear: 61200,
    });
    expect(c.tco).toEqual([
      { years: 3, proposed: 226500, commercial: 428100, saving: 201600, savingShare: 0.47 },
      { years: 5, proposed: 248500, commercial: 550500, saving: 302000, savingShare: 0.55 },
    ]);
    // 5-year cost per usable vCPU: usable vCPUs = (4-1) x 62 x 4 + (3-1) x 62 x 4 = 1240
    expect(c.capacity.vcpus).toBe(1240);
    expect(c.perVcpu5y).toBe(200.4);
  });

  test("fails when a used hardware profile has no price, naming it", () => {
    expect(() =>
      costDesign(
        model,
        book((b) => (b.hardware = [{ profile: "cmp", unitPrice: 1 }])),
      ),
    ).toThrow("the price book has no price for: hardware profile ctrl (3 nodes)");
    try {
      costDesign(
        model,
        book((b) => (b.hardware = [{ profile: "cmp", unitPrice: 1 }])),
      );
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
    }
  });
});

describe("proposal document", () => {
  test("states the hand-computed figures", async () => {
    const files = await proposalDocuments(model, book(), []);
    const md = String(files.get("proposal/proposal.md"));
    expect(md).toContain("| Hardware | cmp: 2x16 cores, 256 GiB | 7 | node | €20,000 | €140,000 |");
    expect(md).toContain("| **CAPEX (one-off)** | **€193,500** |");
    expect(md).toContain("| **OPEX per year** | **€11,000** |");
    expect(md).toContain("| 5 | €248,500 | €550,500 | €302,000 | 55% |");
    expect(md).toContain("| 5-year cost per vCPU | €200 |");
    expect(String(files.get("proposal/proposal.html"))).toContain(
      "<h1>Cloud proposal: Test Customer</h1>",
    );
  });

  test("formats currency in the document language", async () => {
    expect(moneyFormatter("en", "EUR")(1234567)).toBe("€1,234,567");
    expect(moneyFormatter("zh-CN", "CNY")(1234567)).toBe("¥1,234,567");
    const zh = load(variant((s) => (s.metadata.language = "zh-CN"))).model;
    const md = String(
      (
        await proposalDocuments(
          zh,
          book((b) => (b.currency = "CNY")),
          [],
        )
      ).get("proposal/proposal.md"),
    );
    expect(md).toContain("| **资本支出（一次性）** | **¥193,500** |");
  });
});

test("stackwright proposal writes the proposal and rejects a bad price book with its path", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-prop-"));
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["bin/stackwright.js", ...args], { encoding: "utf8" });
  const ok = run([
    "proposal",
    "examples/enterprise-reference.yaml",
    "--price-book",
    "examples/price-books/standard.yaml",
    "--out",
    path.join(dir, "p"),
  ]);
  expect(ok.status).toBe(0);
  expect(fs.readdirSync(path.join(dir, "p", "proposal")).sort()).toEqual([
    "costing.json",
    "proposal.html",
    "proposal.md",
  ]);
  const bad = path.join(dir, "bad.yaml");
  fs.writeFileSync(
    bad,
    fs
      .readFileSync("examples/price-books/standard.yaml", "utf8")
      .replace("currency: EUR", "currency: euro"),
  );
  const r = run([
    "proposal",
    "examples/enterprise-reference.yaml",
    "--price-book",
    bad,
    "--out",
    path.join(dir, "q"),
  ]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+ {2}currency: expected an ISO 4217 currency code/);
  expect(fs.existsSync(path.join(dir, "q"))).toBe(false);
});

test("a template folder brands the proposal: logo, colors and text", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-brand-"));
  fs.mkdirSync(path.join(dir, "brand"));
  fs.mkdirSync(path.join(dir, "html"));
  fs.mkdirSync(path.join(dir, "i18n"));
  // A 1x1 PNG.
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );
  fs.writeFileSync(path.join(dir, "brand", "logo.png"), png);
  fs.writeFileSync(path.join(dir, "html", "style.css"), "h1 { color: #c8102e; }\n");
  fs.writeFileSync(
    path.join(dir, "i18n", "en.json"),
    JSON.stringify({ "proposal.title": "Angebot" }),
  );
  const files = await proposalDocuments(model, book(), [], { templates: dir });
  const html = String(files.get("proposal/proposal.html"));
  expect(html).toContain(`src="data:image/png;base64,${png.toString("base64")}"`);
  expect(html).toContain("h1 { color: #c8102e; }");
  expect(html).toContain("<h1>Angebot: Test Customer</h1>");
});
