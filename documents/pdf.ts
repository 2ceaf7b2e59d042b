import { Chromium, type Page, type PrintOptions } from "./chromium";
import { FONT_STACK, footerFontFace } from "./fonts";

export { chromiumPath, headlessFlags } from "./chromium";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The running footer: the document's title on the left, "page / pages" on the right. Chromium
 * renders it apart from the page, so it carries its own font (a system font there could be one
 * that prints as Type 3).
 */
export function pageFooter(title: string): PrintOptions {
  const style =
    `width:100%;margin:0 14mm;font-family:${FONT_STACK};` +
    "font-size:7.5pt;color:#5f6b7a;display:flex;justify-content:space-between;";
  return {
    headerTemplate: "<span></span>",
    footerTemplate: `<style>${footerFontFace()}</style><div style="${style}"><span>${escapeHtml(title)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
  };
}

/** Points per CSS pixel: Chromium prints at 96 pixels to the inch. */
const PT_PER_PX = 0.75;

/** No diagram text is shrunk below this size (pt) to fit a page. */
export const MIN_DIAGRAM_TEXT_PT = 6;

/**
 * Prints HTML to PDF with headless Chromium, with page numbers in the footer. The dates
 * Chromium stamps into the file are replaced by a fixed one of the same length, so the same
 * document gives the same bytes. Pass `browser` to print several documents with one launch.
 */
export async function htmlToPdf(
  html: string,
  options: { title?: string; browser?: Chromium } = {},
): Promise<Buffer> {
  const browser = options.browser ?? (await Chromium.launch());
  try {
    const page = await browser.open(html);
    const print = () => page.pdf(options.title !== undefined ? pageFooter(options.title) : {});
    // Margins as printed, so the space each diagram takes beyond its drawing is measured as printed.
    await page.emulateMedia("print");
    const layout = await page.evaluate<PrintLayout>(MARK_DIAGRAMS);
    let pdf = await fitDiagrams(page, layout, await print(), print);
    // The table of contents learns each chapter's page from the printed PDF's link targets;
    // numbers fill reserved space, so printing again moves nothing (checked, a few rounds at most).
    for (let round = 0; round < 3; round++) {
      const pages = Object.fromEntries([...destinations(pdf)].map(([name, at]) => [name, at.page]));
      const changed = await page.evaluate<boolean>(`(() => {
        const pages = ${JSON.stringify(pages)};
        let changed = false;
        for (const span of document.querySelectorAll("nav.toc [data-page-of]")) {
          const text = String(pages[span.getAttribute("data-page-of")] ?? "");
          if (span.textContent !== text) { span.textContent = text; changed = true; }
        }
        return changed;
      })()`);
      if (!changed) break;
      pdf = await print();
    }
    await page.close();
    return stableDates(pdf);
  } finally {
    if (!options.browser) await browser.close();
  }
}

interface PrintLayout {
  /** The page's top and bottom margins (CSS px) from the stylesheet's `@page` rule. */
  readonly marginTop: number;
  readonly marginBottom: number;
  readonly diagrams: readonly {
    /** The figure's id and the id of an empty mark just before it, both link targets. */
    readonly id: string;
    readonly mark: string;
    /** The height (CSS px) the figure takes beyond its drawing, from the mark on. */
    readonly extra: number;
    readonly viewBoxHeight: number;
    /** The smallest font size of its text, in viewBox units. */
    readonly smallestText: number;
  }[];
}

/**
 * Marks each diagram for the print: an empty block before it, and hidden links to both so the
 * PDF records where each landed (Chromium writes a destination for every link target).
 */
const MARK_DIAGRAMS = `(() => {
  const length = (value, fallback) => {
    const probe = document.createElement("div");
    probe.style.cssText = "position:absolute;visibility:hidden;height:" + (value || fallback);
    document.body.append(probe);
    const px = probe.getBoundingClientRect().height;
    probe.remove();
    return px;
  };
  const rules = [...document.styleSheets].flatMap((s) => [...s.cssRules]);
  const page = rules.filter((r) => r instanceof CSSPageRule && !r.selectorText).pop();
  const links = document.createElement("nav");
  links.hidden = true;
  const diagrams = [];
  for (const figure of document.querySelectorAll("figure.diagram[id]")) {
    const svg = figure.querySelector("svg");
    const sizes = [...figure.querySelectorAll("text")]
      .map((t) => Number(t.getAttribute("font-size")))
      .filter((n) => n > 0);
    if (!svg || !svg.viewBox.baseVal || !svg.viewBox.baseVal.height || !sizes.length) continue;
    const mark = document.createElement("div");
    mark.id = "print-before-" + figure.id;
    figure.before(mark);
    for (const id of [mark.id, figure.id]) {
      const a = document.createElement("a");
      a.href = "#" + id;
      links.append(a);
    }
    diagrams.push({
      id: figure.id,
      mark: mark.id,
      viewBoxHeight: svg.viewBox.baseVal.height,
      smallestText: Math.min(...sizes),
    });
  }
  document.body.append(links);
  for (const d of diagrams) {
    const figure = document.getElementById(d.id);
    const top = document.getElementById(d.mark).getBoundingClientRect().top;
    const bottom = figure.getBoundingClientRect().bottom;
    d.extra = Math.max(0, bottom - top - figure.querySelector("svg").getBoundingClientRect().height);
  }
  return {
    marginTop: length(page && page.style.marginTop, "0.4in"),
    marginBottom: length(page && page.style.marginBottom, "0.4in"),
    diagrams,
  };
})()`;

/**
 * A diagram too tall for the space left on its page moves to the next one and can leave most
 * of that page empty. Where a third of the page or more would stay empty, the diagram is scaled
 * down to the space left, as long as its text stays readable; one diagram at a time, in order,
 * since each changes where the rest fall. Returns the PDF as printed last.
 */
async function fitDiagrams(
  page: Page,
  layout: PrintLayout,
  printed: Buffer,
  print: () => Promise<Buffer>,
): Promise<Buffer> {
  let pdf = printed;
  for (const diagram of layout.diagrams) {
    const at = destinations(pdf);
    const mark = at.get(diagram.mark);
    const figure = at.get(diagram.id);
    if (!mark || !figure || figure.page !== mark.page + 1) continue;
    const body = mark.pageHeight / PT_PER_PX - layout.marginTop - layout.marginBottom;
    const left = body - mark.top / PT_PER_PX;
    if (left < body / 3) continue;
    // Two pixels to spare for rounding.
    const height = Math.floor(left - diagram.extra - 2);
    const textPt = (diagram.smallestText * height * PT_PER_PX) / diagram.viewBoxHeight;
    if (textPt < MIN_DIAGRAM_TEXT_PT) continue;
    await page.evaluate(maxHeight(diagram.id, `${height}px`));
    const fitted = await print();
    const now = destinations(fitted);
    if (now.get(diagram.id)?.page === now.get(diagram.mark)?.page) pdf = fitted;
    else await page.evaluate(maxHeight(diagram.id, ""));
  }
  return pdf;
}

const maxHeight = (id: string, value: string) =>
  `(() => { document.getElementById(${JSON.stringify(id)}).querySelector("svg").style.maxHeight = ${JSON.stringify(value)}; return true; })()`;

/** Where a link target landed: its page (from 1) and its distance (pt) below the page's body top. */
interface Destination {
  readonly page: number;
  readonly top: number;
  readonly pageHeight: number;
}

/**
 * The named destinations of a PDF as Chromium writes it: the catalog's /Dests dictionary and
 * the page tree are plain objects there (only streams are compressed). Chromium measures a
 * destination's height from the top of the page's body, not of the paper.
 */
export function destinations(pdf: Buffer): Map<string, Destination> {
  const text = pdf.toString("latin1");
  const objects = new Map<string, string>();
  for (const m of text.matchAll(/(?:^|\n)(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) {
    if (!objects.has(m[1])) objects.set(m[1], m[2].split("stream\n")[0]);
  }
  const catalog = [...objects.values()].find((o) => /\/Type \/Catalog\b/.test(o)) ?? "";
  const order: string[] = [];
  const walk = (id: string, depth: number) => {
    const node = objects.get(id) ?? "";
    if (depth > 32) return;
    if (/\/Type \/Pages\b/.test(node)) {
      const kids = /\/Kids \[([^\]]*)\]/.exec(node)?.[1] ?? "";
      for (const k of kids.matchAll(/(\d+) 0 R/g)) walk(k[1], depth + 1);
    } else if (/\/Type \/Page\b/.test(node)) order.push(id);
  };
  const root = /\/Pages (\d+) 0 R/.exec(catalog)?.[1];
  if (root) walk(root, 0);
  const dests = objects.get(/\/Dests (\d+) 0 R/.exec(catalog)?.[1] ?? "") ?? "";
  const out = new Map<string, Destination>();
  for (const m of dests.matchAll(/\/([^\s/[\]<>()]+) \[(\d+) 0 R \/XYZ [\d.-]+ ([\d.-]+)/g)) {
    const index = order.indexOf(m[2]);
    if (index < 0) continue;
    const box = /\/MediaBox \[[\d.-]+ [\d.-]+ [\d.-]+ ([\d.-]+)\]/.exec(objects.get(m[2]) ?? "");
    const pageHeight = Number(box?.[1] ?? 0);
    out.set(m[1], { page: index + 1, top: pageHeight - Number(m[3]), pageHeight });
  }
  return out;
}

function stableDates(pdf: Buffer): Buffer {
  const text = pdf.toString("latin1");
  const fixed = text.replace(
    /\/(CreationDate|ModDate) \(D:(\d{14})/g,
    (_m, key: string) => `/${key} (D:20000101000000`,
  );
  return Buffer.from(fixed, "latin1");
}
