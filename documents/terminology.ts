import type { Catalog } from "./render";

/**
 * Loose Chinese words that text from outside the catalog (the blueprints' design points) may
 * use, and the catalog term each stands for. Order matters: the spec file before the flavor.
 */
const ZH_VARIANTS: readonly (readonly [RegExp, string])[] = [
  [/规格文件|设计规格/g, "term.spec"],
  [/机柜/g, "term.rack"],
  [/(?<!实例)规格/g, "term.flavor"],
];

/** The text with the catalog's terms (`term.*`), so one concept has one word in a document. */
export function withTerminology(text: string, language: string, catalog: Catalog): string {
  if (language !== "zh-CN") return text;
  return ZH_VARIANTS.reduce((t, [variant, key]) => t.replace(variant, catalog[key] ?? "$&"), text);
}
