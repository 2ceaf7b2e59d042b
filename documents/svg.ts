import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { FONT_STACK, GRAPHVIZ_FONT } from "./fonts";

let graphviz: Promise<Graphviz> | undefined;

/** DOT to SVG with Graphviz compiled to wasm: in-process, no browser, no binary. */
export async function renderSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const svg = (await graphviz).dot(dot, "svg");
  // Inline-ready: drop the XML prolog, doctype and the generator comment (it names a version).
  // Graphviz measured with Arial widths: name the metric-compatible faces the page embeds first.
  const inline = svg
    .slice(svg.indexOf("<svg"))
    .replaceAll(`font-family="${GRAPHVIZ_FONT}"`, `font-family="${FONT_STACK.replace(/'/g, "")}"`);
  return `${inline.trim()}\n`;
}
