import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { architectureDocuments } from "../../documents/architecture";
import type { Chromium } from "../../documents/chromium";
import { terraformInventory } from "../../documents/view-model";
import type { Model } from "../../model/types";
import { runChecks } from "../../policy/run";
import { tempDir } from "./temp";
import { synthesized } from "./synth-cache";

/** The example specs every document test covers. */
export const EXAMPLES = fs
  .readdirSync("examples")
  .filter((f) => f.endsWith(".yaml"))
  .sort();

/** The architecture documents of a model, with its policy findings, as `synth` writes them. */
export async function renderArchitecture(
  model: Model,
  options: { browser?: Chromium; pdf?: boolean } = {},
) {
  const blueprint = findBlueprint(model.blueprint);
  if (!blueprint) throw new Error(`no blueprint ${model.blueprint}`);
  const stacks = await synthesized(blueprint, model, "json");
  const findings = runChecks(model, stacks);
  const files = await architectureDocuments(
    model,
    terraformInventory(stacks),
    blueprint.designPoints,
    { pdf: options.pdf, browser: options.browser, findings },
  );
  return {
    files,
    findings,
    stacks,
    markdown: String(files.get("docs/architecture.md")),
    html: String(files.get("docs/architecture.html")),
    pdf: files.get("docs/architecture.pdf") as Buffer | undefined,
  };
}

/** Runs a poppler tool on a PDF and returns its output; fails the test when poppler is missing. */
export function poppler(
  tool: "pdffonts" | "pdftotext" | "pdfinfo",
  pdf: Buffer,
  args: string[] = [],
) {
  const dir = tempDir("sw-poppler-");
  try {
    const file = path.join(dir, "doc.pdf");
    fs.writeFileSync(file, pdf);
    const r = spawnSync(tool, [...args, file, ...(tool === "pdftotext" ? ["-"] : [])], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error || r.status !== 0)
      throw new Error(`${tool} failed (install poppler-utils): ${r.error?.message ?? r.stderr}`);
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Per page: its height and the lowest point of text above the footer area, in points. */
export function textExtentPerPage(pdf: Buffer, footerPt: number) {
  const xml = poppler("pdftotext", pdf, ["-bbox"]);
  const pages: { height: number; top: number; bottom: number; words: string[] }[] = [];
  for (const m of xml.matchAll(/<page width="[\d.]+" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const height = Number(m[1]);
    let top = height;
    let bottom = 0;
    const words: string[] = [];
    for (const w of m[2].matchAll(
      /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g,
    )) {
      const [yMin, yMax] = [Number(w[1]), Number(w[2])];
      words.push(w[3]);
      if (yMin > height - footerPt) continue;
      top = Math.min(top, yMin);
      bottom = Math.max(bottom, yMax);
    }
    pages.push({ height, top, bottom, words });
  }
  return pages;
}
