import { Chromium, type PrintOptions } from "./chromium";
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
    let pdf = await print();
    // The table of contents learns each chapter's page from the printed PDF's link targets;
    // numbers fill reserved space, so printing again moves nothing (checked, a few rounds at most).
    for (let round = 0; round < 3; round++) {
      const pages = Object.fromEntries(destinationPages(pdf));
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

/**
 * The page (from 1) of each named destination of a PDF as Chromium writes it: the catalog's
 * /Dests dictionary and the page tree are plain objects there (only streams are compressed).
 */
export function destinationPages(pdf: Buffer): Map<string, number> {
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
  const out = new Map<string, number>();
  for (const m of dests.matchAll(/\/([^\s/[\]<>()]+) \[(\d+) 0 R/g)) {
    const index = order.indexOf(m[2]);
    if (index >= 0) out.set(m[1], index + 1);
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
