import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { architectureDocuments } from "../../documents/architecture";
import { terraformInventory } from "../../documents/view-model";
import { Chromium } from "../../documents/chromium";
import { htmlToPdf } from "../../documents/pdf";
import { readCatalog, templateDirs } from "../../documents/render";
import type { Model } from "../../model/types";
import { loadSpecFile } from "../../model/load";
import { loadPriceBook, proposalDocuments } from "../../proposal/proposal";
import { EXAMPLES, poppler, renderArchitecture, textExtentPerPage } from "../support/documents";

// These tests need Chromium and poppler: CI installs them (scripts/install-system-packages.sh),
// and a machine without them fails here rather than skipping what the documents promise.
jest.setTimeout(180_000);

const zh = (model: Model): Model => ({
  ...model,
  metadata: { ...model.metadata, language: "zh-CN" },
});

/** Every SVG text that sticks out of its node's or cluster's shape, measured by the browser. */
const OVERFLOWS = `(() => {
  const out = [];
  for (const g of document.querySelectorAll("figure.diagram g.node, figure.diagram g.cluster")) {
    const shape = g.querySelector("polygon, ellipse, path");
    if (!shape) continue;
    const box = shape.getBBox();
    for (const text of g.querySelectorAll("text")) {
      const t = text.getBBox();
      if (t.x < box.x - 0.5 || t.x + t.width > box.x + box.width + 0.5)
        out.push((g.closest("section")?.dataset.example ?? "") + ": " + text.textContent +
          " (" + t.width.toFixed(1) + " > " + box.width.toFixed(1) + ")");
      // (a node's lines stand inside its box top to bottom too, as the font draws them)
      if (g.classList.contains("node") && (t.y < box.y - 0.5 || t.y + t.height > box.y + box.height + 0.5))
        out.push((g.closest("section")?.dataset.example ?? "") + ": " + text.textContent +
          " (above or below its box)");
    }
  }
  return out;
})()`;

/** The printed size (pt) of the smallest node label of each diagram at A4 width. */
const LABEL_PT = `[...document.querySelectorAll("figure.diagram svg")].map((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll("g.node text")].map((t) => Number(t.getAttribute("font-size")));
  return Math.min(...sizes) * scale * 0.75;
})`;

const designPointsOf = (model: Model) => findBlueprint(model.blueprint)?.designPoints ?? [];

/** The pages but the last whose body (between the 15 mm and 16 mm margins) is under half full. */
function thinPages(pdf: Buffer) {
  const pages = textExtentPerPage(pdf, (16 / 25.4) * 72);
  expect(pages.length).toBeGreaterThan(3);
  const body = (p: (typeof pages)[number]) =>
    (p.bottom - (15 / 25.4) * 72) / (p.height - ((15 + 16) / 25.4) * 72);
  return pages
    .slice(0, -1)
    .map((p, i) => ({ page: i + 1, filled: Number(body(p).toFixed(2)) }))
    .filter((p) => p.filled < 0.5);
}

let browser: Chromium;
beforeAll(async () => {
  browser = await Chromium.launch();
});
afterAll(async () => {
  await browser?.close();
});

test("the fit check catches a label wider than its box", async () => {
  // GIVEN a node whose box is narrower than its text, as Graphviz draws one that mismeasured
  const page = await browser.open(
    `<figure class="diagram"><svg width="200" height="40" viewBox="0 0 200 40"><g class="node">` +
      `<polygon points="60,5 140,5 140,35 60,35"/><text x="100" y="24" text-anchor="middle" ` +
      `font-size="10">cinder, glance, heat, horizon, swift</text></g></svg></figure>`,
  );
  try {
    // THEN the check reports it
    expect(await page.evaluate<string[]>(OVERFLOWS)).toHaveLength(1);
  } finally {
    await page.close();
  }
});

/**
 * One page with every example's diagrams in a language, under the documents' own head (the same
 * stylesheet and embedded fonts for every document), each example's in a section named after it.
 * The diagrams come from the model alone, so the document is rendered without its stacks.
 */
async function allDiagrams(language: string): Promise<string> {
  let head = "";
  const sections: string[] = [];
  for (const file of EXAMPLES) {
    const { model } = loadSpecFile(path.join("examples", file));
    const m = language === "en" ? model : zh(model);
    const files = await architectureDocuments(m, terraformInventory([]), designPointsOf(m));
    const html = String(files.get("docs/architecture.html"));
    head ||= html.slice(0, html.indexOf("<body"));
    const figures = html.match(/<figure class="diagram"[^]*?<\/figure>/g) ?? [];
    expect([file, figures.length]).toEqual([file, 2]);
    sections.push(`<section data-example="${file}">${figures.join("\n")}</section>`);
  }
  return `${head}<body><main class="document">${sections.join("\n")}</main></body></html>`;
}

test.each(["en", "zh-CN"])(
  "every %s label of every example fits inside its shape in Chromium",
  async (language) => {
    // GIVEN the examples' SVG diagrams, inline in the documents' HTML
    const html = await allDiagrams(language);
    // WHEN Chromium lays them out with the embedded fonts
    const page = await browser.open(html, { width: 1200, height: 1600 });
    try {
      const fonts = await page.evaluate<boolean>(`document.fonts.check("10px Arimo")`);
      const overflows = await page.evaluate<string[]>(OVERFLOWS);
      const labels = await page.evaluate<number>(
        `document.querySelectorAll("figure.diagram g.node text").length`,
      );
      // THEN the page's own font drew the labels and none is wider than its box
      expect(fonts).toBe(true);
      expect(labels).toBeGreaterThan(5 * EXAMPLES.length);
      expect(overflows).toEqual([]);
      // AND printed on A4 (182 mm between the margins, 688 CSS pixels) no label is below 6 pt
      await page.setViewport({ width: 688, height: 1000 });
      await page.emulateMedia("print");
      const sizes = await page.evaluate<number[]>(LABEL_PT);
      expect(sizes).toHaveLength(2 * EXAMPLES.length);
      for (const pt of sizes) expect(pt).toBeGreaterThanOrEqual(6);
    } finally {
      await page.close();
    }
  },
);

describe("the enterprise example in print", () => {
  const { model } = loadSpecFile("examples/enterprise-reference.yaml");
  const printed: Record<string, Buffer> = {};
  beforeAll(async () => {
    for (const [language, m] of [
      ["en", model],
      ["zh-CN", zh(model)],
    ] as const) {
      printed[language] = (await renderArchitecture(m, { browser, pdf: true })).pdf as Buffer;
    }
  });

  test.each(["en", "zh-CN"])("the %s PDF embeds only TrueType/OpenType fonts", (language) => {
    const fonts = poppler("pdffonts", printed[language]);
    const rows = fonts.split("\n").slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.filter((r) => /Type 3/.test(r))).toEqual([]);
    for (const r of rows) expect(r).toMatch(/CID TrueType|TrueType|OpenType|CID Type 0C/);
    if (language === "zh-CN") expect(fonts).toMatch(/WenQuanYiMicroHei/);
    expect(fonts).toMatch(/Arimo-Regular/);
  });

  test.each(["en", "zh-CN"])("every %s page but the last is at least half full", (language) => {
    expect(thinPages(printed[language])).toEqual([]);
  });

  test("numbers its pages and opens with a table of contents", () => {
    const pages = textExtentPerPage(printed.en, (16 / 25.4) * 72);
    pages.forEach((p, i) => {
      expect(p.words.slice(-3).join(" ")).toBe(`${i + 1} / ${pages.length}`);
    });
    const first = poppler("pdftotext", printed.en, ["-f", "1", "-l", "2", "-layout"]);
    expect(first).toContain("Contents");
    for (const title of [
      "Executive summary",
      "Scope",
      "Logical architecture",
      "Physical topology",
      "High availability",
      "Glossary",
    ]) {
      expect(first).toMatch(new RegExp(`\\d+\\s+${title}`));
    }
    // Each contents line ends with the page its chapter starts on.
    const toc = first.slice(first.indexOf("Contents"), first.indexOf("1 Executive summary\n"));
    const contents = [...toc.matchAll(/(\d+)[ \t]+([A-Z][A-Za-z ,/]+?)[ \t]{2,}(\d+)/g)];
    expect(contents.length).toBeGreaterThanOrEqual(15);
    for (const [, number, title, page] of contents) {
      const text = poppler("pdftotext", printed.en, ["-f", page, "-l", page, "-layout"]);
      expect(text).toMatch(new RegExp(`^\\s*${number} ${title.trim()}\\s*$`, "m"));
    }
    const zhFirst = poppler("pdftotext", printed["zh-CN"], ["-f", "1", "-l", "1"]);
    expect(zhFirst).toContain("目录");
    expect(zhFirst).toContain("架构设计：");
  });

  test("prints the same bytes again, from another browser", async () => {
    // Another Chromium, as the next run of the CLI launches: its own ids must not reach the PDF.
    const other = await Chromium.launch();
    try {
      const again = (await renderArchitecture(model, { browser: other, pdf: true })).pdf as Buffer;
      expect(again.equals(printed.en)).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe("the enterprise proposal in print", () => {
  const { model } = loadSpecFile("examples/enterprise-reference.yaml");
  const books = { en: "standard.yaml", "zh-CN": "standard-cny.yaml" } as const;

  test.each(["en", "zh-CN"] as const)(
    "the %s proposal flows: its summary fills the first page, no page is under half full",
    async (language) => {
      // GIVEN the proposal with its logical diagram
      const m = language === "zh-CN" ? zh(model) : model;
      const book = loadPriceBook(path.join("examples/price-books", books[language]));
      // WHEN printed
      const files = await proposalDocuments(m, book, designPointsOf(m), { pdf: true, browser });
      const pdf = files.get("proposal/proposal.pdf") as Buffer;
      // THEN no page but the last is under half full, and the first holds the key figures
      expect(thinPages(pdf)).toEqual([]);
      const first = poppler("pdftotext", pdf, ["-f", "1", "-l", "1"]);
      const labels = readCatalog(templateDirs(), language);
      for (const key of ["proposal.overview", "proposal.capacity", "proposal.sharedVcpus"])
        expect(first).toContain(labels[key]);
      expect(first).not.toContain(labels["proposal.bom"]);
    },
  );
});

test("an emoji in the customer's name prints in colour glyphs, not as nothing", async () => {
  // GIVEN a proposal for a customer whose name holds an emoji
  const { model } = loadSpecFile("examples/three-node.yaml");
  const m = { ...model, metadata: { ...model.metadata, customer: "Rocket \u{1F680} Labs" } };
  const book = loadPriceBook("examples/price-books/standard.yaml");
  // WHEN printed
  const files = await proposalDocuments(m, book, designPointsOf(m), { pdf: true, browser });
  const pdf = files.get("proposal/proposal.pdf") as Buffer;
  // THEN the text keeps it, drawn from Noto Color Emoji (its bitmaps print as a Type 3 font)
  expect(poppler("pdftotext", pdf, ["-f", "1", "-l", "1"])).toContain("\u{1F680} Labs");
  expect(poppler("pdffonts", pdf)).toMatch(/Type 3/);
});

describe("diagrams in print", () => {
  /** A page with `above` pixels of text before a diagram whose text is `fontSize` units. */
  const page = (above: number, fontSize: number) =>
    `<!DOCTYPE html><html><head><style>@page { size: A4; margin: 15mm 14mm 16mm; }
    body { margin: 0; } p { margin: 0; } .above { height: ${above}px; }</style></head><body>
    <p class="above">Opening text.</p>
    <figure class="diagram" id="diagram-test" style="margin: 0">
    <svg width="600" height="500" viewBox="0 0 600 500"><rect width="600" height="500" fill="#eee"/>
    <text x="20" y="250" font-size="${fontSize}">DIAGRAMTEXT</text></svg></figure></body></html>`;
  const pageOf = (pdf: Buffer, text: string) =>
    textExtentPerPage(pdf, 0).findIndex((p) => p.words.includes(text)) + 1;

  test("a diagram that would leave a third of its page empty is scaled to the space left", async () => {
    // GIVEN 560 px of text, leaving about 445 px of the 1005 px body for a 500 px diagram
    const pdf = await htmlToPdf(page(560, 12), { browser });
    // THEN it prints below the text, on one page
    expect(poppler("pdfinfo", pdf)).toMatch(/Pages:\s+1\n/);
    expect(pageOf(pdf, "DIAGRAMTEXT")).toBe(1);
  });

  test("a diagram whose text would fall below 6 pt moves to the next page instead", async () => {
    // GIVEN the same page, with the diagram's text at 6 pt unscaled
    const pdf = await htmlToPdf(page(560, 8), { browser });
    // THEN it keeps its size and starts the next page
    expect(pageOf(pdf, "DIAGRAMTEXT")).toBe(2);
  });

  test("a diagram that leaves less than a third of the page empty keeps its size", async () => {
    const pdf = await htmlToPdf(page(720, 12), { browser });
    expect(pageOf(pdf, "DIAGRAMTEXT")).toBe(2);
  });
});
