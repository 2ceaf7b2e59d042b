import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { Costing, Sheet } from "../../proposal/costing";
import { loadPriceBook, moneyFormatter, proposalDocuments } from "../../proposal/proposal";
import { loadSpecFile, loadSpecText } from "../../model/load";
import { findBlueprint } from "../../blueprints/catalog";
import {
  readCatalog,
  templateDirs,
  unreadCatalogKeys,
  unreadTemplateFiles,
} from "../../documents/render";
import { builtinTemplateFiles } from "../../cli/commands/templates";
import { BIN, ROOT, cli, tmp, type CliResult } from "../support/cli";
import { pricedModel, testBook } from "./support";
import { tempDir } from "../support/temp";
import { UserError } from "../../core/errors";
import { spawnSync } from "child_process";
import { load, variant } from "../support/fixtures";
import { renderArchitecture } from "../support/documents";

const model = pricedModel();
const EXAMPLES = fs
  .readdirSync(path.join(ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const STANDARD = "examples/price-books/standard.yaml";
const CNY = "examples/price-books/standard-cny.yaml";

/** `€1,234.56`, `-€5.00` or `¥1,234.56` back to cents. */
const cents = (text: string) => {
  const m = /^(-|−)?[^\d-]*([\d,]+)\.(\d{2})$/.exec(text.replace(/\*\*/g, "").trim());
  if (!m) return undefined;
  const v = Number(m[2].replace(/,/g, "")) * 100 + Number(m[3]);
  return m[1] ? -v : v;
};

/**
 * Every Markdown table whose rows end in a bold subtotal or total: each money cell of the bold
 * row equals the sum of the same column over the rows since the previous bold row.
 */
function expectTablesAddUp(markdown: string): number {
  let checked = 0;
  let sums: number[] = [];
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|") || /^\| ?-/.test(line)) {
      if (!line.startsWith("|")) sums = [];
      continue;
    }
    const cells = line.split("|").slice(1, -1);
    if (cells[0].includes("**")) {
      cells.forEach((c, i) => {
        const v = cents(c);
        if (v !== undefined && i > 0) {
          expect(`${cells[0].trim()} column ${i}: ${v}`).toBe(
            `${cells[0].trim()} column ${i}: ${sums[i] ?? 0}`,
          );
          checked++;
        }
      });
      sums = [];
    } else {
      cells.forEach((c, i) => {
        const v = cents(c);
        if (v !== undefined) sums[i] = (sums[i] ?? 0) + v;
      });
    }
  }
  return checked;
}

/** Recomputes a sheet's totals from its lines. */
function expectSheetAddsUp(sheet: Sheet) {
  for (const [lines, total] of [
    [sheet.oneOff, sheet.oneOffTotal],
    [sheet.yearly, sheet.yearlyTotal],
  ] as const) {
    for (const l of lines) {
      expect(l.listMinor).toBe(Math.round(l.unitPriceMinor * l.quantity));
      expect(l.discountMinor).toBe(Math.round(l.listMinor * l.discountRate));
      expect(l.listMinor - l.discountMinor).toBe(l.netMinor);
    }
    expect(total).toEqual({
      listMinor: lines.reduce((t, l) => t + l.listMinor, 0),
      discountMinor: lines.reduce((t, l) => t + l.discountMinor, 0),
      netMinor: lines.reduce((t, l) => t + l.netMinor, 0),
    });
  }
}

describe.each(EXAMPLES)("proposal for %s with the shipped price book", (example) => {
  const out = path.join(tmp(), "p");
  let result: CliResult;
  let costing: Costing;
  let markdown: string;
  beforeAll(async () => {
    result = await cli(["proposal", `examples/${example}`, "--price-book", STANDARD, "--out", out]);
    if (result.code === 0) {
      costing = JSON.parse(fs.readFileSync(path.join(out, "proposal", "costing.json"), "utf8"));
      markdown = fs.readFileSync(path.join(out, "proposal", "proposal.md"), "utf8");
    }
  });

  test("exits 0", () => {
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
  });

  test("costing.json: totals recomputed from its lines", () => {
    expectSheetAddsUp(costing.proposed);
    expectSheetAddsUp(costing.commercial);
    expect(costing.capexMinor).toBe(costing.proposed.oneOffTotal.netMinor);
    expect(costing.opexPerYearMinor).toBe(costing.proposed.yearlyTotal.netMinor);
    // The shipped book prices support from year 4: the 3-year TCO pays none, the 5-year two.
    expect(costing.hardwareSupport).toEqual({ includedYears: 3, yearlyRate: 0.1 });
    const hardwareNet = (s: Sheet) =>
      s.oneOff
        .filter((l) => l.kind === "server" || l.kind === "switch")
        .reduce((t, l) => t + l.netMinor, 0);
    for (const s of [costing.proposed, costing.commercial])
      expect(s.hardwareSupport).toMatchObject({
        unitPriceMinor: hardwareNet(s),
        netMinor: Math.round(hardwareNet(s) * 0.1),
      });
    for (const t of costing.tco) {
      const over = (s: Sheet) =>
        s.oneOffTotal.netMinor +
        t.years * s.yearlyTotal.netMinor +
        Math.max(0, t.years - 3) * s.hardwareSupport!.netMinor;
      expect(t.proposedMinor).toBe(over(costing.proposed));
      expect(t.commercialMinor).toBe(over(costing.commercial));
      expect(t.savingMinor).toBe(t.commercialMinor - t.proposedMinor);
    }
  });

  test("the document prints the recomputed totals and its tables add up", () => {
    const money = moneyFormatter("en", costing.currency, costing.minorDigits);
    const sum = (lines: Sheet["oneOff"]) => lines.reduce((t, l) => t + l.netMinor, 0);
    expect(markdown).toContain(`| **CAPEX (one-off)** |`);
    expect(markdown).toMatch(
      new RegExp(
        `\\| \\*\\*CAPEX \\(one-off\\)\\*\\* .*\\| \\*\\*${escape(money(sum(costing.proposed.oneOff)))}\\*\\* \\|\n`,
      ),
    );
    expect(markdown).toMatch(
      new RegExp(
        `\\| \\*\\*OPEX per year\\*\\* .*\\| \\*\\*${escape(money(sum(costing.proposed.yearly)))}\\*\\* \\|\n`,
      ),
    );
    const five = costing.tco[1];
    const support = (s: Sheet) => s.hardwareSupport!.netMinor;
    expect(markdown).toContain(
      `| Hardware support per year, from year 4 | ${money(support(costing.proposed))} | €0.00 | ${money(support(costing.proposed))} |`,
    );
    expect(markdown).toContain(
      `| 5 | ${money(sum(costing.proposed.oneOff) + 5 * sum(costing.proposed.yearly) + 2 * support(costing.proposed))} | ${money(
        sum(costing.commercial.oneOff) +
          5 * sum(costing.commercial.yearly) +
          2 * support(costing.commercial),
      )} | ${money(five.savingMinor)} |`,
    );
    expect(markdown).toContain(
      "TCO over n years = one-off net total + n × yearly net total + (n − 3) × hardware support per year, where n is more than 3.",
    );
    expect(markdown).toContain(
      `| This proposal | ${money(costing.proposed.hardwareSupport!.unitPriceMinor)} | 10% | ${money(support(costing.proposed))} |`,
    );
    // Subtotals of the BOM, the cost summary and the commercial sheets.
    expect(expectTablesAddUp(markdown)).toBeGreaterThanOrEqual(12);
  });

  test("the bill of materials has one traceable line per inventory row", () => {
    const m = loadSpecFile(path.join(ROOT, "examples", example)).model;
    expect(
      costing.proposed.oneOff
        .filter((l) => l.kind === "server")
        .map((l) => ({ role: l.role, hardware: l.profile, count: l.quantity })),
    ).toEqual(m.inventory.map((r) => ({ role: r.role, hardware: r.hardware, count: r.count })));
    // Pinned CPUs are sold with the spare hosts held back, as the model counts them.
    expect(costing.capacity.dedicatedCpus).toBe(m.capacity.usableDedicatedCpus);
  });

  test("a server priced by role is described as the design's profile", () => {
    // The shipped book describes its role prices ("1x8 cores, 64 GiB"): the design priced must
    // have that server, or the proposal sells another machine than the document specifies.
    const m = loadSpecFile(path.join(ROOT, "examples", example)).model;
    for (const line of costing.proposed.oneOff.filter((l) => l.priceSource === "role")) {
      const hw = m.hardware.find((h) => h.name === line.profile);
      expect(line.item).toContain(
        `${hw?.sockets}x${hw?.coresPerSocket} cores, ${hw?.memoryGiB} GiB`,
      );
    }
  });

  test("says which servers the commercial alternative replaces, as its sheet does", () => {
    // Only Ceph and Swift servers give way to arrays; volume servers are bought on both sides.
    const replaced = new Set(["ceph-osd", "ceph-mon", "swift-proxy", "swift-storage"]);
    const roles = (lines: Sheet["oneOff"]) =>
      lines.filter((l) => l.kind === "server").map((l) => l.role);
    expect(roles(costing.commercial.oneOff)).toEqual(
      roles(costing.proposed.oneOff).filter((r) => !replaced.has(r ?? "")),
    );
    // (a design without Ceph or Swift capacity gives the commercial side no arrays to buy)
    const arrays = !["cloud-in-a-box.yaml", "three-node.yaml"].includes(example);
    expect(costing.storage.commercialArrays).toBe(arrays);
    expect(markdown).toContain(
      arrays
        ? "It buys the same servers except the Ceph and Swift servers"
        : "It buys the same servers (the design gives no usable capacity in Ceph or Swift",
    );
    if (!arrays) expect(markdown).not.toMatch(/arrays count as|block arrays and an object store/);
    expect(markdown).not.toContain("Ceph and Cinder");
  });

  test("names every check the design was agreed to fail, with the reason agreed", () => {
    // The proposal claims what the design realizes; a customer signs off on its deviations.
    const spec = parse(fs.readFileSync(path.join(ROOT, "examples", example), "utf8")) as {
      suppressions?: { rule: string; reason: string }[];
    };
    for (const s of spec.suppressions ?? [])
      expect(markdown).toMatch(
        new RegExp(`^- .* \\(${s.rule}\\)\\. Agreed because: ${escape(s.reason)}$`, "m"),
      );
    if (!spec.suppressions?.length) expect(markdown).not.toContain("as agreed for this design");
  });

  test("nothing in the options is already in a total", () => {
    const inTotals = new Set(
      [...costing.proposed.oneOff, ...costing.proposed.yearly].map((l) => l.item).filter(Boolean),
    );
    expect(costing.options.length).toBeGreaterThan(0);
    for (const o of costing.options) expect(inTotals.has(o.item)).toBe(false);
    // AND the options table says of each whether it is billed yearly or once, under a heading
    expect(markdown).toMatch(/\| Net \| Billed \|\n/);
    expect(markdown).toMatch(/\| (per year|one-off) \|\n/);
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("proposal document", () => {
  test("prints no minus on a zero: a -0 rate, FTE or a saving that rounds to nothing", async () => {
    // GIVEN a book whose hardware discount and team are written -0
    const book = testBook((b) => {
      b.discounts = { ...b.discounts, hardware: -0 };
      b.staffing.commercial = { fte: -0 };
    });
    const markdown = String((await proposalDocuments(model, book, [])).get("proposal/proposal.md"));
    expect(markdown).toContain("| 0% |");
    expect(markdown).not.toMatch(/-0(?![\d.,])|-0\.00%|-0%/);
    // AND a formatter asked for a share that rounds to zero from below prints none
    expect(moneyFormatter("en", "EUR")(-0)).toBe("€0.00");
  });

  test("says what the storage's held figures stand for: recovery, or none to recover onto", async () => {
    const intro = async (example: string) =>
      String(
        (
          await proposalDocuments(
            loadSpecFile(path.join(ROOT, "examples", `${example}.yaml`)).model,
            await loadPriceBook(path.join(ROOT, STANDARD)),
            [],
          )
        ).get("proposal/proposal.md"),
      ).match(/sized for the data the proposal's storage holds: ([^\n]*)/)?.[1];
    // devtest's Ceph has no rack beyond its copies: a failed host's data stays degraded
    expect(await intro("devtest-cloud")).toBe(
      "Ceph filled up to its nearfull ratio, with no spare host or rack to recover a failed host's data onto (it stays degraded until the host returns); Swift to what its other storage nodes still hold once a failed node's objects are copied onto them (all but one node's share of its usable capacity).",
    );
    expect(await intro("public-cloud")).toMatch(
      /^Ceph filled up to its nearfull ratio and no further than a failed host's data still recovers \(estimated from CRUSH's rules/,
    );
  });

  test("counts one server per FTE in the singular", async () => {
    const book = testBook();
    const staffing = { ...book.staffing, proposed: { nodesPerFte: 1, minimumFte: 1 } };
    const files = await proposalDocuments(model, { ...book, staffing }, []);
    expect(String(files.get("proposal/proposal.md"))).toContain(
      "| 1 FTE per 1 server, at least 1 |",
    );
  });

  test("says FTE are rounded only where a team is counted from servers per FTE", async () => {
    const book = testBook();
    const rounded = "FTE counted from servers per FTE are rounded up to 0.1.";
    // GIVEN a team counted per server beside a fixed one, THEN the rounding is said
    const mixed = await proposalDocuments(model, book, []);
    expect(String(mixed.get("proposal/proposal.md"))).toContain(`per FTE and year. ${rounded}`);
    // AND two fixed teams of 1.25 FTE are shown as given, with no word of rounding
    const staffing = { ...book.staffing, proposed: { fte: 1.25 }, commercial: { fte: 1.25 } };
    const fixed = String(
      (await proposalDocuments(model, { ...book, staffing }, [])).get("proposal/proposal.md"),
    );
    expect(fixed).toContain("| This proposal | fixed team | 1.25 |");
    expect(fixed).not.toContain(rounded);
  });

  test("names a server by its vendor and model where the book gives no description", async () => {
    // GIVEN the compute profile's vendorModel, with a table's pipe in it
    const described = load(
      variant((s) => {
        s.zones[1].racks = ["r1", "r2", "r3"];
        s.hardware.find((h: { name: string }) => h.name === "cmp").vendorModel =
          "HPE ProLiant DL380 | Gen11";
      }),
    ).model;
    // THEN the bill of materials and the document's inventory say it, escaped
    const files = await proposalDocuments(described, testBook(), []);
    expect(String(files.get("proposal/proposal.md"))).toContain(
      "| HPE ProLiant DL380 \\| Gen11: 2×16 cores, 256 GiB | Compute host | cmp | 7 |",
    );
    const { markdown } = await renderArchitecture(described);
    expect(markdown).toContain("| cmp | HPE ProLiant DL380 \\| Gen11, 2x16C/64T, 256 GiB | 7 |");
  });

  test("a server priced at its role's price says the design's own server beside the book's", async () => {
    // GIVEN the book prices controllers by role, describing a smaller server than the design's
    const files = await proposalDocuments(
      model,
      testBook((b) => {
        b.hardware = (b.hardware ?? []).filter((h: { profile: string }) => h.profile !== "ctrl");
        b.roles = { controller: { description: "1U controller, 1x8 cores", unitPrice: 5000 } };
      }),
      [],
    );
    // THEN its line names both, so the difference shows
    expect(String(files.get("proposal/proposal.md"))).toContain(
      "| 1U controller, 1x8 cores (priced at the role's price; the design's server: 1×16 cores, 128 GiB) | Controller | ctrl | 3 |",
    );
  });

  test("states the hand-computed figures", async () => {
    const files = await proposalDocuments(model, testBook(), []);
    const md = String(files.get("proposal/proposal.md"));
    expect(md).toContain(
      "| 2×16 cores, 256 GiB | Compute host | cmp | 7 | €20,000.00 | €140,000.00 | 10% | €14,000.00 | €126,000.00 |",
    );
    expect(md).toContain(
      "| **CAPEX (one-off)** | **€213,500.00** | **€20,675.00** | **€192,825.00** |",
    );
    expect(md).toContain("| **OPEX per year** | **€211,000.00** | **€200.00** | **€210,800.00** |");
    expect(md).toContain("| This proposal | 1 FTE per 5 servers, at least 1 | 2 | €200,000.00 |");
    expect(md).toContain("| Vendor stack | fixed team | 2.5 | €250,000.00 |");
    expect(md).toContain("| 5 | €1,246,825.00 | €1,549,825.00 | €303,000.00 | 19.55% |");
    expect(md).toContain(
      "| Staff cost per FTE | +20% | €1,446,825.00 | €1,799,825.00 | €353,000.00 | 19.61% |",
    );
    // One minus sign throughout (Intl's, as in negative money).
    expect(md).toContain(
      "| Staff cost per FTE | -20% | €1,046,825.00 | €1,299,825.00 | €253,000.00 | 19.46% |",
    );
    expect(md).not.toMatch(/\u2212\d/);
    expect(md).toContain(
      "- Staff cost per FTE: the difference never reaches zero; it would take a price below zero.",
    );
    expect(md).toContain(
      "Amounts are in EUR. Each line's list amount (unit price × quantity) and discount",
    );
    // Left out of the price book: standard statements, not placeholders.
    expect(md).toContain("All prices exclude VAT and other taxes and duties");
    expect(md).toContain("The delivery timeline is agreed at order");
    expect(md).not.toMatch(/TODO|TBD|undefined|NaN/);
    expect(String(files.get("proposal/proposal.html"))).toContain(
      "<h1>Cloud proposal: Test Customer</h1>",
    );
  });

  test("shows every saving share to two decimals, so a column lines up", async () => {
    // GIVEN the three-node design, whose five-year saving is -25.70 % without hardware support
    const { model: small } = loadSpecFile(path.join(ROOT, "examples/three-node.yaml"));
    const book = { ...loadPriceBook(path.join(ROOT, STANDARD)) };
    delete book.hardwareSupport;
    const files = await proposalDocuments(small, book, []);
    const md = String(files.get("proposal/proposal.md"));
    expect(md).toMatch(/^\| 5 \| [^\n]* \| -25\.70% \|$/m);
    // TCO rows (`| 5 | … | -€211,190.00 | -25.70% |`) and sensitivity rows (`| … | -20% | …`).
    const rows = md.split("\n").filter((l) => /^\| ([35]|[^|]+ \| (—|[+-]20%[^|]*)) \|/.test(l));
    const shares = rows.map((l) => /€[\d,.]+ \| (-?[\d.]+%) \|/.exec(l)?.[1]);
    expect(shares.length).toBeGreaterThan(5);
    for (const s of shares) expect(s).toMatch(/\.\d\d%$/);
    // Support after the warranty, unpriced, is said to be so.
    expect(md).toContain(
      "- Support of servers and switches after their warranty is not priced (the price book sets no hardwareSupport): the 5-year TCO holds where the hardware prices include support for all 5 years.",
    );
    expect(md).not.toContain("Hardware support");
    expect(md).toContain("TCO over n years = one-off net total + n × yearly net total.\n");
  });

  test("calls a single controller what it is, in the text and the diagram", async () => {
    // GIVEN the three-node design: one controller, not highly available
    const { model: single } = loadSpecFile(path.join(ROOT, "examples/three-node.yaml"));
    // WHEN its proposal is written
    const files = await proposalDocuments(single, loadPriceBook(path.join(ROOT, STANDARD)), []);
    const md = String(files.get("proposal/proposal.md"));
    // THEN nothing calls it highly available, and the metadata table has a header row
    expect(md).toContain(
      "with 1 controller (not highly available), 1 compute host in 1 pool over 1 availability zone, 3 servers in all",
    );
    expect(md).toContain('subgraph n5["Control plane (1)"]');
    expect(md).not.toMatch(/highly available controller\b|HA control plane/);
    expect(md).toMatch(/^\| Document \| +\|\n\| --- \| --- \|\n\| Customer \|/m);
    // its one compute host keeps no spare, and it has no storage service but local disks
    expect(md).toContain(
      "services glance, horizon, keystone, neutron, nova, placement, storage local disks only.",
    );
    // (its one compute host's 960 GB disk, the system's apart, holds the root disks of guests
    // that boot from images, as all do without Cinder)
    expect(md).toContain("| Usable shared vCPUs (spare hosts held back) | 89 |");
    expect(md).toContain(
      "Pool lab-compute counts what its guests take as far as each host's 894 GiB of disks hold their root disks",
    );
    expect(md).not.toContain("N+1 held back");
  });

  test("sizes the commercial arrays for the data Ceph holds, not its usable capacity", async () => {
    // GIVEN enterprise-reference: 160 TB usable in Ceph, which recovers a failed host of its five
    // while under about 72 % full, before nearfull (0.85)
    const { model: enterprise } = loadSpecFile(
      path.join(ROOT, "examples/enterprise-reference.yaml"),
    );
    const files = await proposalDocuments(enterprise, loadPriceBook(path.join(ROOT, STANDARD)), []);
    const md = String(files.get("proposal/proposal.md"));
    // THEN the arrays hold 115.2 TB (160 x 0.72) at 1,400 a TB, 18 % of it a year, their line
    // counted in TB of data held (not the usable TB the book's block-tb lines count)
    expect(md).toContain(
      "| Block storage arrays, per usable TB | 115.2 | block TB of data held | €1,400.00 | €161,280.00 |",
    );
    expect(md).toContain(
      "block arrays and an object store holding the data the proposal's storage holds",
    );
    expect(md).toContain(
      "| Block (Ceph, Cinder) | 160 | 115.2 | €48,450.88 | €161,280.00 | €29,030.40 |",
    );
  });

  test("names each storage kind once", async () => {
    // GIVEN cloud-in-a-box: two LVM backends (iSCSI and iSER) and nothing else
    const { model: box } = loadSpecFile(path.join(ROOT, "examples/cloud-in-a-box.yaml"));
    const files = await proposalDocuments(box, loadPriceBook(path.join(ROOT, STANDARD)), []);
    // THEN the overview says LVM once
    const md = String(files.get("proposal/proposal.md"));
    expect(md).toContain(", storage LVM.\n");
    // AND its servers' disks are named as the trade writes them
    expect(md).toContain("TB NVMe");
    expect(md).not.toContain("NVME");
    // AND its capacity counts the volume servers' disks, apart from Ceph's usable figure
    expect(md).toContain("| Usable block storage in Ceph (TB) | 0 |");
    expect(md).toContain(
      "| Block storage on LVM and ZFS volume servers, raw, one copy per volume (TB) | 322.56 |",
    );
  });

  test("lists only the design points the design realizes", async () => {
    // GIVEN the enterprise design without its legacy UNIX bridge
    const spec = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml")).spec as any;
    delete spec.legacyUnix;
    spec.controlPlane.services = spec.controlPlane.services.filter((s: string) => s !== "vpnaas");
    const { model: partial } = loadSpecText(JSON.stringify(spec), "spec.json");
    const points = findBlueprint("enterprise-reference")?.designPoints ?? [];
    const legacy = points.filter((d) => (d.needs?.(partial) ?? []).includes("legacyUnix"));
    expect(legacy.length).toBeGreaterThan(0);
    // WHEN its proposal is written
    const files = await proposalDocuments(
      partial,
      loadPriceBook(path.join(ROOT, STANDARD)),
      points,
    );
    const md = String(files.get("proposal/proposal.md"));
    // THEN the points it meets are listed, the legacy bridge's not (the architecture document
    // marks it "Not in this design")
    expect(md).toContain("It realizes these design points:");
    for (const d of legacy) expect(md).not.toContain(`- ${d.title}`);
    const met = points.filter((d) => (d.needs?.(partial) ?? []).length === 0);
    for (const d of met) expect(md).toContain(`- ${d.title}`);
    // AND a proposal with no design point met makes no such claim
    const none = await proposalDocuments(partial, loadPriceBook(path.join(ROOT, STANDARD)), []);
    expect(String(none.get("proposal/proposal.md"))).not.toContain("It realizes");
  });

  test("price book terms replace the standard statements", async () => {
    const files = await proposalDocuments(
      model,
      testBook((b) => {
        b.validUntil = "2026-06-30";
        b.terms = {
          payment: "50 % on order, 50 % on acceptance.",
          timeline: [{ milestone: "Go-live", weeks: 10 }],
          exclusions: ["Cabling"],
          assumptions: ["Racks are provided by the customer."],
        };
      }),
      [],
    );
    const md = String(files.get("proposal/proposal.md"));
    expect(md).toContain("Prices are valid until 2026-06-30.");
    expect(md).toContain("50 % on order, 50 % on acceptance.");
    expect(md).toContain("| Go-live | 10 |");
    expect(md).toContain("- Racks are provided by the customer.");
    expect(md).toMatch(/### Exclusions\n\n- Cabling\n/);
    expect(md).not.toContain("Migration of existing workloads");
  });
});

describe("zh-CN proposal", () => {
  const example = loadSpecFile(path.join(ROOT, "examples", "devtest-cloud.yaml")).model;
  const zh = { ...example, metadata: { ...example.metadata, language: "zh-CN" as const } };

  test("formats currency in the document language", () => {
    expect(moneyFormatter("en", "EUR")(123456789)).toBe("€1,234,567.89");
    expect(moneyFormatter("zh-CN", "CNY")(123456789)).toBe("¥1,234,567.89");
    expect(moneyFormatter("en", "JPY", 0)(1234567)).toBe("¥1,234,567");
  });

  test("formats every cent exactly up to 2^53 minor units, where float division misprints", () => {
    expect(moneyFormatter("en", "EUR")(7299999999999854)).toBe("€72,999,999,999,998.54");
    expect(moneyFormatter("en", "EUR")(-5)).toBe("-€0.05");
    expect(moneyFormatter("en", "BHD", 3)(Number.MAX_SAFE_INTEGER)).toBe(
      "BHD\u00a09,007,199,254,740.991",
    );
  });

  test("names each agreed deviation by its translated rule and its target", async () => {
    const finding = (target: string) => ({
      ruleId: "SW-CAP-001",
      severity: "warning" as const,
      target,
      message: `pool ${target} overcommits`,
      fix: "lower the ratio",
      suppressed: { reason: "短期测试" },
    });
    const files = await proposalDocuments(zh, loadPriceBook(path.join(ROOT, CNY)), [], {
      findings: [finding("zones.devtest.pools.dev"), finding("zones.devtest.pools.test")],
    });
    const lines = String(files.get("proposal/proposal.md"))
      .split("\n")
      .filter((l) => l.includes("(SW-CAP-001)"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("：zones.devtest.pools.dev (SW-CAP-001)");
    expect(lines[1]).toContain("：zones.devtest.pools.test (SW-CAP-001)");
    // (each says the requirement is not met: a title alone reads as a claim the design makes)
    for (const line of lines) expect(line).toMatch(/^- 未满足的要求：/);
  });

  test("is complete Chinese with CNY amounts from the CNY price book", async () => {
    const files = await proposalDocuments(zh, loadPriceBook(path.join(ROOT, CNY)), []);
    const md = String(files.get("proposal/proposal.md"));
    const costing = JSON.parse(String(files.get("proposal/costing.json"))) as Costing;
    expect(costing.currency).toBe("CNY");
    const money = moneyFormatter("zh-CN", "CNY");
    expect(md).toContain(`| **资本支出（一次性）** |`);
    expect(md).toContain(`**${money(costing.capexMinor)}** |\n`);
    expect(md).toMatch(/\| 控制节点 \| controller-1u \| ¥24,000\.00 \|/);
    expect(expectTablesAddUp(md)).toBeGreaterThanOrEqual(12);
    // No English catalog text is left: every proposal label has its Chinese form. (Names from
    // the design such as the profile controller-1u stay as they are.)
    const en = readCatalog(templateDirs(), "en");
    const cn = readCatalog(templateDirs(), "zh-CN");
    for (const [key, text] of Object.entries(en)) {
      if (!key.startsWith("proposal.")) continue;
      expect(cn[key]).toBeDefined();
      for (const phrase of text.split(/\{[A-Za-z]+\}/).map((s) => s.trim()))
        if (/[a-z]{4}/.test(phrase) && phrase !== cn[key])
          expect(md).not.toMatch(new RegExp(`(?<![\\w-])${escape(phrase)}(?![\\w-])`));
    }
    expect(md).not.toMatch(/\b(Subtotal|Total|Discount|server|per year|share)\b/);
  });
});

test("a template folder brands the proposal: logo, colors and text", async () => {
  const dir = tempDir("sw-brand-");
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
  const files = await proposalDocuments(model, testBook(), [], { templates: dir });
  const html = String(files.get("proposal/proposal.html"));
  expect(html).toContain(`src="data:image/png;base64,${png.toString("base64")}"`);
  expect(html).toContain("h1 { color: #c8102e; }");
  expect(html).toContain("<h1>Angebot: Test Customer</h1>");
});

describe("stackwright templates", () => {
  const THREE_NODE = path.join(ROOT, "examples", "three-node.yaml");
  test("writes the built-ins to start a folder from, which render as the built-ins do", async () => {
    // GIVEN the built-in templates written to a folder
    const dir = path.join(tmp(), "brand");
    const written = await cli(["templates", "--out", dir, "--no-quiet"]);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain(`wrote ${builtinTemplateFiles().length} files to ${dir}`);
    for (const rel of [
      "architecture.md.hbs",
      "proposal.md.hbs",
      "partials/storage.hbs",
      "i18n/zh-CN.json",
      "html/style.css",
    ])
      expect(fs.readFileSync(path.join(dir, rel), "utf8")).toBe(
        fs.readFileSync(path.join(ROOT, "templates", rel), "utf8"),
      );
    expect(fs.existsSync(path.join(dir, "runbook.md.hbs"))).toBe(false);
    // WHEN a proposal is written with and without them
    const book = path.join(ROOT, STANDARD);
    const [plain, branded] = [path.join(tmp(), "a"), path.join(tmp(), "b")];
    expect((await cli(["proposal", THREE_NODE, "-p", book, "-o", plain])).code).toBe(0);
    const r = await cli([
      "proposal",
      THREE_NODE,
      "-p",
      book,
      "-o",
      branded,
      "--templates",
      dir,
      "--no-quiet",
    ]);
    // THEN they are the same, and no file of the folder goes unread
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("no run reads");
    expect(r.stderr).not.toContain("no template reads");
    expect(fs.readFileSync(path.join(branded, "proposal/proposal.md"), "utf8")).toBe(
      fs.readFileSync(path.join(plain, "proposal/proposal.md"), "utf8"),
    );
  });

  test("refuses a folder holding such files, changing nothing; --force replaces only those", async () => {
    // GIVEN a folder with an edited partial and a logo of the user's
    const dir = tmp();
    fs.mkdirSync(path.join(dir, "partials"));
    fs.writeFileSync(path.join(dir, "partials/summary.hbs"), "mine");
    fs.mkdirSync(path.join(dir, "brand"));
    fs.writeFileSync(path.join(dir, "brand/logo.png"), "logo");
    // WHEN
    const refused = await cli(["templates", "--out", dir]);
    // THEN
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`--out ${dir}: holds partials/summary.hbs already`);
    expect(fs.readdirSync(dir).sort()).toEqual(["brand", "partials"]);
    expect(fs.readFileSync(path.join(dir, "partials/summary.hbs"), "utf8")).toBe("mine");
    // AND with --force the built-in partial replaces it, the logo stays
    expect((await cli(["templates", "--out", dir, "--force"])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "partials/summary.hbs"), "utf8")).not.toBe("mine");
    expect(fs.readFileSync(path.join(dir, "brand/logo.png"), "utf8")).toBe("logo");
  });

  test("a file where a folder goes, or a folder where a file goes, is refused before any write", async () => {
    for (const [make, clash] of [
      [(d: string) => fs.writeFileSync(path.join(d, "partials"), ""), "partials is a file"],
      [
        (d: string) => fs.mkdirSync(path.join(d, "partials", "storage.hbs"), { recursive: true }),
        "partials/storage.hbs is a folder",
      ],
      // (a link is named as one, whatever it points to)
      [
        (d: string) => {
          fs.mkdirSync(path.join(d, "elsewhere"));
          fs.symlinkSync(path.join(d, "elsewhere"), path.join(d, "partials"));
        },
        "partials is a symbolic link where the templates need a folder",
      ],
    ] as const) {
      const dir = tmp();
      make(dir);
      const before = fs.readdirSync(dir, { recursive: true }).sort();
      const r = await cli(["templates", "--out", dir, "--force"]);
      expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(clash)]);
      expect(fs.readdirSync(dir, { recursive: true }).sort()).toEqual(before);
    }
  });
});

test("templates failing midway takes back the files it added, naming the folder and the file", () => {
  // GIVEN a file size limit the larger catalogs pass (50 KiB)
  const dir = path.join(tmp(), "mine");
  const r = spawnSync(
    "sh",
    ["-c", 'ulimit -f 100; exec "$@"', "sh", process.execPath, BIN, "templates", "--out", dir],
    {
      encoding: "utf8",
    },
  );
  // THEN the error names the folder given and the file, and nothing of the run stays, the folders it made neither
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`error: --out ${dir}: cannot write ${path.join(dir, "i18n")}/`);
  expect(r.stderr).toContain(".json (EFBIG: file too large)");

  expect(fs.existsSync(dir)).toBe(false);
  // AND a plain retry is not refused by them
  expect(spawnSync(process.execPath, [BIN, "templates", "--out", dir]).status).toBe(0);
});

describe("a template folder that reaches out of itself, or holds what is no template", () => {
  const model = () => pricedModel();
  const folder = (files: Record<string, string | Buffer>) => {
    const dir = tempDir("sw-hostile-brand-");
    for (const [rel, data] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), data);
    }
    return dir;
  };
  const refusal = async (dir: string) => {
    try {
      await proposalDocuments(model(), testBook(), [], { templates: dir });
    } catch (err) {
      if (err instanceof UserError) return err.message;
      throw err;
    }
    throw new Error("expected a refusal");
  };

  test("fails when a file is a link out of the folder, a FIFO, too large, not UTF-8 or no image", async () => {
    // GIVEN a secret beside the folder, and folders that link to it or hold odd files
    const secret = path.join(tempDir("sw-secret-"), "secret.txt");
    fs.writeFileSync(secret, "root:secret\n");
    const linked = (rel: string) => {
      const dir = folder({});
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.symlinkSync(secret, path.join(dir, rel));
      return dir;
    };
    // THEN each is refused, naming the file, and the secret is in no output
    for (const rel of ["brand/logo.png", "partials/summary.hbs", "html/style.css"])
      expect(await refusal(linked(rel))).toContain(`${rel}: a link out of`);
    const fifo = folder({});
    fs.mkdirSync(path.join(fifo, "partials"));
    spawnSync("mkfifo", [path.join(fifo, "partials", "summary.hbs")]);
    expect(await refusal(fifo)).toContain("summary.hbs: not a regular file");
    expect(
      await refusal(folder({ "html/style.css": Buffer.alloc(5 * 1024 * 1024, 0x20) })),
    ).toMatch(/style\.css: \d+ bytes, more than/);
    expect(
      await refusal(folder({ "partials/summary.hbs": Buffer.from("Caf\xe9", "latin1") })),
    ).toContain("summary.hbs: not UTF-8 text");
    expect(await refusal(folder({ "brand/logo.png": "not an image\n" }))).toContain(
      "logo.png: not a PNG image",
    );
  });

  test("a stylesheet cannot close its style element, and nothing in the page loads or runs", async () => {
    // GIVEN a stylesheet that closes its element to add a script, and fetches a remote image
    const css =
      "body { background: url(http://127.0.0.1:9/x.png); }\n</style><script>alert(1)</script><style>\n";
    const files = await proposalDocuments(model(), testBook(), [], {
      templates: folder({ "html/style.css": css, "i18n/en.json": "\uFEFF{}" }),
    });
    const html = String(files.get("proposal/proposal.html"));
    // THEN the CSS stays in its element, and the page's policy allows no script or remote load
    expect(html).not.toContain("</style><script>");
    expect(html).toContain("<\\/style><script>");
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'">`,
    );
  });

  test("names the files no run reads: a misnamed one would change nothing", () => {
    const dir = folder({
      "style.css": "h1 {}",
      "html/style.css": "h1 {}",
      "brand/logo.svg": "<svg/>",
      "brand/logo.png": "",
      "partials/Summary.hbs": "",
      "partials/summary.hbs": "{{> offer }}",
      "partials/offer.hbs": "{{#> footer}}x{{/footer}}",
      "partials/footer.hbs": "",
      "partials/orphan.hbs": "",
      "i18n/de.json": "{}",
      "i18n/zh-CN.json": "{}",
    });
    // (a partial no template calls, a built-in one's name misspelt among them, renders nowhere)
    expect(unreadTemplateFiles(dir)).toEqual([
      "brand/logo.svg",
      "i18n/de.json",
      "partials/Summary.hbs",
      "partials/orphan.hbs",
      "style.css",
    ]);
    // AND a partial only an uncalled partial calls, or only a built-in template the folder
    // overrides, is rendered nowhere either
    const chain = folder({
      "partials/orphan.hbs": "{{> grandchild}}",
      "partials/grandchild.hbs": "",
      "architecture.md.hbs": "{{> mine}}",
      "partials/mine.hbs": "",
      "partials/summary.hbs": "",
      "runbook.md.hbs": "{{> steps}}",
      "partials/steps.hbs": "",
    });
    expect(unreadTemplateFiles(chain)).toEqual([
      "partials/grandchild.hbs",
      "partials/orphan.hbs",
      "partials/summary.hbs",
    ]);
    // AND a partial called by an expression may be any of them
    fs.writeFileSync(path.join(dir, "proposal.md.hbs"), '{{> (concat "orph" "an") }}');
    expect(unreadTemplateFiles(dir)).toEqual(["brand/logo.svg", "i18n/de.json", "style.css"]);
  });

  test("a folder's own braces in a catalog text are kept", async () => {
    const dir = folder({
      "i18n/en.json": JSON.stringify({
        "proposal.title": "Offer (set via {customer} in the form)",
      }),
    });
    const files = await proposalDocuments(model(), testBook(), [], { templates: dir });
    expect(String(files.get("proposal/proposal.md"))).toContain(
      "# Offer (set via {customer} in the form)",
    );
  });

  test("names the catalog texts no template reads, with the key each most likely meant", () => {
    // GIVEN a folder whose catalogs override built-in texts, misspell one, add their own
    const dir = folder({
      "proposal.md.hbs": '{{t "my.intro"}} {{t (concat "my.part." meta.customer)}} {{t "my.term"}}',
      "i18n/en.json": JSON.stringify({
        "proposal.title": "Offer",
        "recovery.outcome.evacuat": "typo of a key a built-in template builds",
        "my.intro": "read by name",
        "my.part.Acme": "read by a named start",
        "param.mode.x": "a value translated where filled in",
        "my.term": "a term {@my.gadget} names",
        "my.gadget": "read through the term",
        "leftover.text": "read by nothing",
      }),
      "i18n/zh-CN.json": JSON.stringify({ "proposal.titel": "报价" }),
    });
    // THEN only the typos and the leftover are named
    expect(unreadCatalogKeys(dir)).toEqual([
      { file: "i18n/en.json", key: "leftover.text", meant: undefined },
      {
        file: "i18n/en.json",
        key: "recovery.outcome.evacuat",
        meant: "recovery.outcome.evacuate",
      },
      { file: "i18n/zh-CN.json", key: "proposal.titel", meant: "proposal.title" },
    ]);
  });

  test("names the template file of an error raised while rendering, and refuses deep nesting", async () => {
    const unknown = await refusal(folder({ "proposal.md.hbs": "\n{{nosuchhelper 1}}\n" }));
    expect(unknown).toContain(
      `proposal.md.hbs:2:3: "nosuchhelper" is neither a field of the view here nor a helper`,
    );
    // (a name before the last in a path is checked too: it failed with JavaScript's TypeError)
    for (const [text, at, name, expr] of [
      ["x\n  {{nope.deeper.field}}", "2:5", "nope", "nope.deeper.field"],
      ["{{meta.nope.field}}", "1:3", "nope", "meta.nope.field"],
      ["{{#if nope.x}}y{{/if}}", "1:7", "nope", "nope.x"],
      ["{{@root.meta.nope.x}}", "1:3", "nope", "@root.meta.nope.x"],
      // (a name on text: no field, not JavaScript's "Cannot use 'in' operator")
      ["{{#if meta.customer.foo.bar}}y{{/if}}", "1:7", "foo", "meta.customer.foo.bar"],
      ["{{#with meta}}{{this.zz.y}}{{/with}}", "1:17", "zz", "this.zz.y"],
    ])
      expect(await refusal(folder({ "proposal.md.hbs": text }))).toContain(
        `proposal.md.hbs:${at}: "${name}" is not a field of the view here (in ${expr})`,
      );
    // AND a folder's catalog text with a typo of a name its template gives names that catalog
    const typo = folder({
      "proposal.md.hbs": '{{t "my.count" count=2}}',
      "i18n/en.json": '{"my.count": "n = {cuont}"}',
    });
    expect(await refusal(typo)).toContain(
      `${path.join(typo, "i18n", "en.json")}: "my.count": {cuont} is not given to this text; did you mean {count}?`,
    );
    // AND so does the folder's copy of a built-in text (a value the built-in text takes)
    expect(
      await refusal(
        folder({
          "i18n/en.json": JSON.stringify({ "ha.mechanism.compute-pool": "N+{spare} spare" }),
          "proposal.md.hbs": '{{t "ha.mechanism.compute-pool"}}',
        }),
      ),
    ).toContain('proposal.md.hbs:1:1: "ha.mechanism.compute-pool": its text needs {spare}');
    // AND a built-in text called without the value it needs names the call, not the built-in file
    expect(
      await refusal(folder({ "proposal.md.hbs": 'x\n{{t "ha.mechanism.compute-pool"}}' })),
    ).toContain(
      'proposal.md.hbs:2:1: "ha.mechanism.compute-pool": its text needs {spare}, which this call does not give (it gives none)',
    );
    const deep = `${"{{#if true}}".repeat(101)}x${"{{/if}}".repeat(101)}`;
    expect(await refusal(folder({ "partials/summary.hbs": deep }))).toContain(
      "summary.hbs: blocks nested more than 100 deep",
    );
  });
});

test("a price book whose validUntil has passed is named on stderr, the proposal still written", async () => {
  const dir = tmp();
  const book = (date: string) => {
    const file = path.join(dir, `book-${date}.yaml`);
    fs.writeFileSync(
      file,
      fs
        .readFileSync(path.join(ROOT, STANDARD), "utf8")
        .replace(/validUntil: "[\d-]+"/, `validUntil: "${date}"`),
    );
    return file;
  };
  const run = (file: string) =>
    cli([
      "proposal",
      "examples/three-node.yaml",
      "-p",
      file,
      "--out",
      path.join(dir, "o"),
      "--no-quiet",
    ]);
  const expired = await run(book("2020-01-01"));
  expect(expired.code).toBe(0);
  expect(expired.stderr).toContain(
    `warning: ${path.join(dir, "book-2020-01-01.yaml")}: validUntil 2020-01-01 has passed`,
  );
  const current = await run(book("2999-12-31"));
  expect(current.code).toBe(0);
  expect(current.stderr).not.toContain("validUntil");
});
