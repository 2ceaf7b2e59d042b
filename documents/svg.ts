import { Graphviz } from "@hpcc-js/wasm-graphviz";

let graphviz: Promise<Graphviz> | undefined;

/** DOT to SVG with Graphviz compiled to wasm: in-process, no browser, no binary. */
export async function renderSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const svg = (await graphviz).dot(dot, "svg");
  // Inline-ready: drop the XML prolog, doctype and the generator comment (it names a version).
  return `${svg.slice(svg.indexOf("<svg")).trim()}\n`;
}
