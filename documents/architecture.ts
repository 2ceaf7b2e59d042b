import type { Model } from "../model/types";
import type { DesignPoint } from "../blueprints/blueprint";
import type { Finding } from "../policy/finding";
import { markdownText } from "../core/markdown";
import { diagrams } from "./diagrams";
import { markdownToHtml, stylesheet } from "./html";
import { htmlToPdf } from "./pdf";
import type { Chromium } from "./chromium";
import { readCatalog, renderMarkdown, templateDirs } from "./render";
import { renderSvg } from "./svg";
import { withTerminology } from "./terminology";
import { documentViewModel, type TerraformInventory } from "./view-model";

export interface DocumentOptions {
  /** A folder whose templates, partials, catalogs and html/style.css override the built-ins. */
  readonly templates?: string;
  /** Also print the HTML to PDF with headless Chromium. */
  readonly pdf?: boolean;
  /** Policy findings for the findings chapter. @default none */
  readonly findings?: readonly Finding[];
  /** A running browser to print with (tests share one); by default one is launched. @default none */
  readonly browser?: Chromium;
  /** Called with a short note before each slow step. */
  readonly progress?: (step: string) => void;
}

/**
 * The architecture document in every format, keyed by output path: Markdown (with Mermaid
 * diagrams), self-contained HTML (inline CSS and SVG), the SVG diagrams, and optionally a PDF.
 */
export async function architectureDocuments(
  model: Model,
  inventory: TerraformInventory,
  designPoints: readonly DesignPoint[],
  options: DocumentOptions = {},
): Promise<Map<string, string | Buffer>> {
  const language = model.metadata.language;
  const labels = readCatalog(templateDirs(options.templates), language);
  const list = diagrams(model, labels);
  const base = documentViewModel(model, inventory, designPoints, list, {
    list: labels["punct.list"],
    times: labels["punct.times"],
    semicolon: labels["punct.semicolon"],
  });
  const view = {
    ...base,
    designPoints: base.designPoints.map((d) => ({
      ...d,
      title: withTerminology(d.title, language, labels),
      realization: withTerminology(d.realization, language, labels),
    })),
    findings: (options.findings ?? []).map((f) => {
      // Rules speak English; another language gets the rule's translated requirement and fix.
      const title = language === "en" ? undefined : labels[`rule.${f.ruleId}.title`];
      return {
        ruleId: f.ruleId,
        severity: f.severity,
        target: markdownText(f.target),
        message: markdownText(title ? `${labels["findings.requirement"]}${title}` : f.message),
        // (a rule whose fix takes another form names it: `fix.<variant>`)
        fix: markdownText(
          (title &&
            fillValues(
              labels[`rule.${f.ruleId}.fix${f.values?.variant ? `.${f.values.variant}` : ""}`],
              f.values,
            )) ||
            f.fix,
        ),
        suppressed: f.suppressed ? markdownText(f.suppressed.reason) : "",
      };
    }),
  };
  const markdown = renderMarkdown("architecture", view, language, options.templates);
  options.progress?.("rendering diagrams");
  const svgs: Record<string, string> = {};
  for (const d of list) svgs[d.id] = await renderSvg(d.dot);
  const title = `${labels["doc.title"]}${labels["punct.colon"]}${model.metadata.project}`;
  const html = markdownToHtml(markdown, {
    title,
    language,
    css: stylesheet(options.templates),
    svgs,
    toc: labels["doc.contents"],
  });
  const files = new Map<string, string | Buffer>([
    // The stages and commands, at the output root where an operator looks first.
    ["RUNBOOK.md", renderMarkdown("runbook", view, language, options.templates)],
    ["docs/architecture.md", markdown],
    ["docs/architecture.html", html],
  ]);
  for (const d of list) files.set(`docs/diagrams/${d.id}.svg`, svgs[d.id]);
  for (const d of list) files.set(`docs/diagrams/${d.id}.dot`, d.dot);
  if (options.pdf) {
    options.progress?.("printing the PDF");
    files.set("docs/architecture.pdf", await htmlToPdf(html, { title, browser: options.browser }));
  }
  return files;
}

/** A catalog text with the finding's figures in its `{name}` places. */
function fillValues(text: string | undefined, values: Finding["values"] = {}): string | undefined {
  return text?.replace(/\{([A-Za-z]+)\}/g, (m, name: string) =>
    name in values ? String(values[name]) : m,
  );
}
