import * as fs from "fs";
import * as path from "path";
import type { Model } from "../model/types";
import type { DesignPoint } from "../blueprints/blueprint";
import { withFigures } from "../model/figures";
import { readYamlFile, validateWith } from "../spec/load";
import { diagrams } from "../documents/diagrams";
import { markdownToHtml, stylesheet } from "../documents/html";
import { markdownText } from "../documents/markdown";
import { metadataView } from "../documents/view-model";
import { htmlToPdf } from "../documents/pdf";
import { readCatalog, renderMarkdown, templateDirs } from "../documents/render";
import { renderSvg } from "../documents/svg";
import { costDesign, type Costing } from "./costing";
import { priceBookSchema, type PriceBook } from "./price-book";

export function loadPriceBook(file: string): PriceBook {
  return validateWith(priceBookSchema, readYamlFile(file, "price book"), file, "price book");
}

/** Money in the document's language: `€1,234.50` in English, `¥1,234.50` grouping in Chinese. */
export function moneyFormatter(language: string, currency: string): (n: number) => string {
  const f = new Intl.NumberFormat(language === "zh-CN" ? "zh-CN" : "en-US", {
    style: "currency",
    currency,
    maximumFractionDigits: 0,
  });
  return (n) => f.format(n);
}

const LOGOS: Readonly<Record<string, string>> = {
  "logo.png": "image/png",
  "logo.jpg": "image/jpeg",
  "logo.webp": "image/webp",
};

/** The customer's logo from `brand/` of the template folder, as a data URL for self-contained HTML. */
function brandLogo(userTemplates?: string): string {
  for (const dir of [...templateDirs(userTemplates)].reverse()) {
    for (const [file, mime] of Object.entries(LOGOS)) {
      const p = path.join(dir, "brand", file);
      if (fs.existsSync(p)) return `data:${mime};base64,${fs.readFileSync(p).toString("base64")}`;
    }
  }
  return "";
}

export function proposalViewModel(
  model: Model,
  costing: Costing,
  book: PriceBook,
  designPoints: readonly DesignPoint[],
) {
  const language = model.metadata.language;
  const money = moneyFormatter(language, costing.currency);
  const num = (n: number) =>
    n.toLocaleString(language === "zh-CN" ? "zh-CN" : "en-US", { maximumFractionDigits: 2 });
  const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
  const md = markdownText;
  return {
    meta: {
      ...metadataView(model),
      priceBook: md(book.name),
      validUntil: book.validUntil ?? "",
      currency: costing.currency,
    },
    solution: {
      blueprint: model.blueprint,
      zones: model.zones.length,
      pools: model.pools.length,
      controllers: model.controlPlane.controllers.length,
      hosts: model.capacity.hosts,
      nodes: model.nodes.length,
      services: model.controlPlane.services.join(", "),
      storage: [
        model.storage.ceph ? "Ceph" : "",
        model.storage.swift ? "Swift" : "",
        ...model.storage.backends.filter((b) => b.kind !== "ceph").map((b) => b.kind),
      ]
        .filter(Boolean)
        .join(", "),
    },
    designPoints: designPoints.map((d) => {
      const text = (language !== "en" && d.translations?.[language]) || d;
      return { id: d.id, title: md(withFigures(text.title, model)) };
    }),
    bom: costing.bom.map((l) => ({
      category: l.category,
      item: md(l.item),
      quantity: num(l.quantity),
      unit: md(l.unit),
      unitPrice: money(l.unitPrice),
      total: money(l.total),
    })),
    totals: {
      hardware: money(costing.hardware),
      network: money(costing.network),
      services: money(costing.services),
      subscriptionsPerYear: money(costing.subscriptionsPerYear),
      hardwareDiscount: pct(costing.discounts.hardware),
      servicesDiscount: pct(costing.discounts.services),
      subscriptionsDiscount: pct(costing.discounts.subscriptions),
      capex: money(costing.capex),
      opexPerYear: money(costing.opexPerYear),
      operationsPerYear: money(costing.operationsPerYear),
    },
    capacity: {
      vcpus: num(costing.capacity.vcpus),
      ramGiB: num(costing.capacity.ramGiB),
      usableTB: num(costing.capacity.usableTB),
      perVcpu5y: money(costing.perVcpu5y),
      perUsableTB5y: costing.capacity.usableTB > 0 ? money(costing.perUsableTB5y) : "",
    },
    commercial: {
      name: md(costing.commercial.name),
      storage: money(costing.commercial.storage),
      virtualization: money(costing.commercial.virtualization),
      perYear: money(costing.commercial.perYear),
    },
    tco: costing.tco.map((t) => ({
      years: t.years,
      proposed: money(t.proposed),
      commercial: money(t.commercial),
      saving: money(t.saving),
      savingShare: pct(t.savingShare),
    })),
    assumptions: {
      operationsPerNode: money(book.operations.perNodePerYear),
      storageMaintenance: pct(book.commercialAlternative.storageMaintenanceRate),
      virtualizationSupport: pct(book.commercialAlternative.virtualizationSupportRate),
      manualOperations: money(book.commercialAlternative.manualOperationsPerYear),
    },
    options: costing.bom.filter((l) => l.category === "subscription").map((l) => md(l.item)),
    diagrams: {} as Record<string, { id: string; mermaid: string }>,
  };
}

/** The proposal in Markdown and self-contained HTML (and PDF), every figure from model and price book. */
export async function proposalDocuments(
  model: Model,
  book: PriceBook,
  designPoints: readonly DesignPoint[],
  options: { templates?: string; pdf?: boolean; progress?: (step: string) => void } = {},
): Promise<Map<string, string | Buffer>> {
  const costing = costDesign(model, book);
  const language = model.metadata.language;
  const labels = readCatalog(templateDirs(options.templates), language);
  const logical = diagrams(model, labels).find((d) => d.id === "logical");
  const view = proposalViewModel(model, costing, book, designPoints);
  if (logical) view.diagrams.logical = { id: "logical", mermaid: logical.mermaid };
  const logo = brandLogo(options.templates);
  const markdown = renderMarkdown("proposal", { ...view, logo }, language, options.templates);
  options.progress?.("rendering the proposal");
  const svgs: Record<string, string> = logical ? { logical: await renderSvg(logical.dot) } : {};
  const html = markdownToHtml(markdown, {
    title: `${labels["proposal.title"]}: ${model.metadata.customer}`,
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
    files.set("proposal/proposal.pdf", await htmlToPdf(html));
  }
  return files;
}
