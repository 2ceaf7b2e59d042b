import * as path from "path";
import { Chromium } from "../../documents/chromium";
import type { Model } from "../../model/types";
import { loadSpecFile } from "../../model/load";
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
        out.push(text.textContent + " (" + t.width.toFixed(1) + " > " + box.width.toFixed(1) + ")");
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

describe.each(EXAMPLES)("diagrams of %s", (file) => {
  const { model } = loadSpecFile(path.join("examples", file));

  test.each([
    ["en", model],
    ["zh-CN", zh(model)],
  ])("every %s label fits inside its shape in Chromium", async (_language, m) => {
    // GIVEN the HTML document with its inline SVG diagrams
    const { html } = await renderArchitecture(m);
    // WHEN Chromium lays it out with the embedded fonts
    const page = await browser.open(html, { width: 1200, height: 1600 });
    try {
      const fonts = await page.evaluate<boolean>(`document.fonts.check("10px Arimo")`);
      const overflows = await page.evaluate<string[]>(OVERFLOWS);
      const labels = await page.evaluate<number>(
        `document.querySelectorAll("figure.diagram g.node text").length`,
      );
      // THEN the page's own font drew the labels and none is wider than its box
      expect(fonts).toBe(true);
      expect(labels).toBeGreaterThan(5);
      expect(overflows).toEqual([]);
      // AND printed on A4 (182 mm between the margins, 688 CSS pixels) no label is below 6 pt
      await page.setViewport({ width: 688, height: 1000 });
      await page.emulateMedia("print");
      const sizes = await page.evaluate<number[]>(LABEL_PT);
      expect(sizes).toHaveLength(2);
      for (const pt of sizes) expect(pt).toBeGreaterThanOrEqual(6);
    } finally {
      await page.close();
    }
  });
});

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

  // zh-CN is not yet held to this: its logical diagram does not fit below the chapter's opening
  // text and moves to the next page, leaving page 3 about 40 % full (#20 stays open for it).
  test.each(["en"])("every %s page but the last is at least half full", (language) => {
    // 16 mm bottom margin holds the footer; 15 mm top margin.
    const pages = textExtentPerPage(printed[language], (16 / 25.4) * 72);
    expect(pages.length).toBeGreaterThan(3);
    const body = (p: (typeof pages)[number]) =>
      (p.bottom - (15 / 25.4) * 72) / (p.height - ((15 + 16) / 25.4) * 72);
    const thin = pages
      .slice(0, -1)
      .map((p, i) => ({ page: i + 1, filled: Number(body(p).toFixed(2)) }))
      .filter((p) => p.filled < 0.5);
    expect(thin).toEqual([]);
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

  test("prints the same bytes again", async () => {
    const again = (await renderArchitecture(model, { browser, pdf: true })).pdf as Buffer;
    expect(again.equals(printed.en)).toBe(true);
  });
});
