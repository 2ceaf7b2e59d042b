import * as path from "path";
import type { Finding } from "../policy/finding";
import type { Model } from "../model/types";
import type { DesignPoint } from "../blueprints/blueprint";
import { UserError } from "../core/errors";
import { readFolderFile } from "../core/user-files";
import { readYamlFile, validateWith } from "../spec/load";
import { diagrams } from "../documents/diagrams";
import { markdownToHtml, stylesheet } from "../documents/html";
import { htmlToPdf } from "../documents/pdf";
import type { Chromium } from "../documents/chromium";
import { BRAND_LOGOS, readCatalog, renderMarkdown, templateDirs } from "../documents/render";
import { renderSvg } from "../documents/svg";
import { costDesign } from "./costing";
import { priceBookSchema, type PriceBook } from "./price-book";
import { proposalViewModel } from "./view-model";

export { moneyFormatter } from "./view-model";

export function loadPriceBook(file: string): PriceBook {
  const parsed = readYamlFile(file, "price book");
  // A design spec given as the price book would fail on every key: one line says which it is.
  const data = parsed.data as Record<string, unknown> | null;
  if (data && typeof data === "object" && "zones" in data && "controlPlane" in data)
    throw new UserError(
      `${file}: a design spec (it has zones and controlPlane), not a price book; give the price book with -p, such as examples/price-books/standard.yaml`,
    );
  return validateWith(priceBookSchema, parsed, file, "price book");
}

/** A server without a price, or amounts too large to add up exactly, are the price book's mistake: name the file. */
export function inPriceBook(err: unknown, file: string): unknown {
  const ours = new Set(["price-missing", "amount-too-large"]);
  if (!(err instanceof UserError) || !err.issues.some((i) => ours.has(i.code))) return err;
  const { locate } = readYamlFile(file, "price book");
  return new UserError(
    `${file}: ${err.message}`,
    err.issues.map((i) => ({ ...i, location: { file, ...locate(i.path) } })),
  );
}

/** A logo is an image of a few hundred KiB; more would swell every copy of the proposal. */
const MAX_LOGO_BYTES = 2 * 1024 * 1024;

/** The customer's logo from `brand/` of the template folder, as a data URL for self-contained HTML. */
function brandLogo(userTemplates?: string): string {
  for (const dir of [...templateDirs(userTemplates)].reverse()) {
    for (const [file, { mime, magic }] of Object.entries(BRAND_LOGOS)) {
      const data = readFolderFile(dir, path.join("brand", file), MAX_LOGO_BYTES);
      if (data === undefined) continue;
      if (!magic(data))
        throw new UserError(
          `${path.join(dir, "brand", file)}: not a ${mime.slice(6).toUpperCase()} image`,
        );
      return `data:${mime};base64,${data.toString("base64")}`;
    }
  }
  return "";
}

/** The proposal in Markdown and self-contained HTML (and PDF), every figure from model and price book. */
export async function proposalDocuments(
  model: Model,
  book: PriceBook,
  designPoints: readonly DesignPoint[],
  options: {
    templates?: string;
    pdf?: boolean;
    progress?: (step: string) => void;
    /** A running browser to print with, so several documents launch it once. */
    browser?: Chromium;
    /** The design's policy findings: the suppressed ones are named as agreed deviations. */
    findings?: readonly Finding[];
  } = {},
): Promise<Map<string, string | Buffer>> {
  const costing = costDesign(model, book);
  const language = model.metadata.language;
  const labels = readCatalog(templateDirs(options.templates), language);
  const logical = diagrams(model, labels).find((d) => d.id === "logical");
  const view = proposalViewModel(model, costing, book, designPoints, labels, options.findings);
  if (logical) view.diagrams.logical = { id: "logical", mermaid: logical.mermaid };
  const logo = brandLogo(options.templates);
  const markdown = renderMarkdown("proposal", { ...view, logo }, language, options.templates);
  options.progress?.("rendering the proposal");
  const svgs: Record<string, string> = logical ? { logical: await renderSvg(logical.dot) } : {};
  const title = `${labels["proposal.title"]}${labels["proposal.colon"] ?? ": "}${model.metadata.customer}`;
  const html = markdownToHtml(markdown, {
    title,
    language,
    css: stylesheet(options.templates),
    svgs,
  });
  const files = new Map<string, string | Buffer>([
    ["proposal/proposal.md", markdown],
    ["proposal/proposal.html", html],
    ["proposal/costing.json", `${JSON.stringify(costing, null, 2)}\n`],
  ]);
  if (options.pdf) {
    options.progress?.("printing the proposal PDF");
    files.set("proposal/proposal.pdf", await htmlToPdf(html, { title, browser: options.browser }));
  }
  return files;
}
