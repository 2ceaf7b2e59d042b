import { diagrams } from "../../documents/diagrams";
import { renderSvg } from "../../documents/svg";
import { readCatalog, templateDirs } from "../../documents/render";
import { loadSpecFile, loadSpecText } from "../../model/load";
import { designView } from "../../documents/design-view";
import { load, variant, vmControllers } from "../support/fixtures";
import { renderArchitecture } from "../support/documents";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { estate } = require("../../bench/estate");

const labels = readCatalog(templateDirs(), "en");

test("diagrams of a large estate are summarized to a drawable size", async () => {
  const spec = estate({ zones: 60, tenants: 10 });
  spec.network.networks.push({
    name: "unix",
    role: "provider",
    cidr: "10.9.0.0/24",
    vlan: 300,
  });
  spec.legacyUnix = {
    network: "unix",
    subnets: ["192.168.0.0/16"],
    nextHop: "10.9.0.254",
    systems: Array.from({ length: 80 }, (_, i) => ({
      name: `aix${i}`,
      architecture: "ppc64",
      os: "AIX",
      address: `192.168.1.${i + 1}`,
    })),
    flows: Array.from({ length: 300 }, (_, i) => ({
      name: `f${i}`,
      port: 1000 + i,
      direction: i % 2 ? "to-legacy" : "from-legacy",
      systems: [`aix${i % 80}`],
    })),
  };
  const { model } = loadSpecText(JSON.stringify(spec), "estate.json");
  for (const d of diagrams(model, labels)) {
    const nodes = d.dot.split("\n").filter((l) => /^n\d+ \[/.test(l)).length;
    const edges = d.dot.split("\n").filter((l) => l.includes(" -> ")).length;
    expect(nodes).toBeLessThan(150);
    expect(edges).toBeLessThan(600);
    expect(await renderSvg(d.dot)).toContain("<svg");
  }
});

test("Mermaid shows user text as written, entity codes in it included", () => {
  // GIVEN a pool purpose spelling Mermaid's own entity codes and the characters it escapes
  // and a directive Mermaid would read anywhere in the diagram, quoted or not
  const text = '#lt;b#gt; #35; <i> "q" & x %%{init: {}}%%';
  const spec = loadSpecFile("examples/three-node.yaml").spec as any;
  spec.zones[0].pools[0].purpose = { custom: text };
  const { model } = loadSpecText(JSON.stringify(spec), "spec.json");
  // WHEN
  const mermaid = diagrams(model, labels)
    .map((d) => d.mermaid)
    .join("\n");
  // THEN decoding the labels as Mermaid does (#name; and #number; codes) gives the text back
  const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', amp: "&" };
  const decoded = mermaid.replace(/#(\w+);/g, (code, name: string) =>
    /^\d+$/.test(name) ? String.fromCharCode(Number(name)) : (named[name] ?? code),
  );
  expect(decoded).toContain(text);
  expect(mermaid).not.toMatch(/[<>]i[<>]/);
  expect(mermaid).not.toContain("%%{");
});

test("Graphviz draws user text as written, entity codes in it included", async () => {
  // GIVEN a pool purpose spelling HTML entities, which Graphviz decodes in labels
  const text = "a &lt;b&gt; & c";
  const spec = loadSpecFile("examples/three-node.yaml").spec as any;
  spec.zones[0].pools[0].purpose = { custom: text };
  const { model } = loadSpecText(JSON.stringify(spec), "spec.json");
  // WHEN every diagram is drawn
  const svgs = await Promise.all(diagrams(model, labels).map((d) => renderSvg(d.dot)));
  // THEN the SVG's text, decoded as an XML reader does, holds the purpose as typed
  const texts = svgs
    .flatMap((svg) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]))
    .map((t) => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
  expect(texts.some((t) => t.includes(text))).toBe(true);
});

describe("the physical view", () => {
  const model = loadSpecFile("examples/enterprise-reference.yaml").model;
  const physical = diagrams(model, labels).find((d) => d.id === "physical");

  test("has one cluster per zone and per rack", () => {
    // THEN every zone and every rack of the model is a cluster, in DOT and in Mermaid
    const clusters = (physical?.dot.match(/label="([^"]+)"; style=/g) ?? []).join("\n");
    for (const z of model.zones) expect(clusters).toContain(`Zone ${z.name}`);
    for (const r of model.racks) expect(clusters).toContain(`Rack ${r.name}`);
    for (const r of model.racks) expect(physical?.mermaid).toContain(`["Rack ${r.name}"]`);
  });

  test("cables each zone to the fabric once instead of every rack to every network", () => {
    // THEN the drawn edges are one trunk per zone plus the uplink from outside
    const drawn = (physical?.dot ?? "").split("\n").filter((l) => l.includes(" -> "));
    const visible = drawn.filter((l) => !l.includes("style=invis"));
    expect(visible).toHaveLength(model.zones.length + 1);
    for (const n of model.networks) expect(physical?.dot).toContain(`${n.name}: ${n.cidr}`);
  });
});

test("the Mermaid twin of a large estate stays as summarized as the SVG", () => {
  const spec = estate({ zones: 60, tenants: 10 });
  const { model } = loadSpecText(JSON.stringify(spec), "estate.json");
  for (const d of diagrams(model, labels)) {
    const nodes = d.mermaid.split("\n").filter((l) => /^\s+n\d+[[(]/.test(l)).length;
    const dotNodes = d.dot.split("\n").filter((l) => /^n\d+ \[/.test(l)).length;
    expect(nodes).toBe(dotNodes);
    expect(d.mermaid.split("\n").length).toBeLessThan(400);
  }
});

test("controllers running as VMs on the undercloud stand in no rack of the drawings", () => {
  // GIVEN the base design's controllers as VMs on an undercloud
  const { model } = load(
    variant((s) => {
      s.zones[1].racks = ["r1", "r2", "r3"];
      s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
      s.controlPlane.deployment = "vm";
    }),
  );
  const controllers = model.nodes.filter((n) => n.role === "controller");
  expect(controllers.every((n) => n.virtual && n.rack === undefined)).toBe(true);
  // THEN the physical view draws them apart, on the undercloud, and no rack holds a controller
  const physical = diagrams(model, labels).find((d) => d.id === "physical")!;
  expect(physical.dot).toMatch(
    /label="VMs on the undercloud";[^\n]*\n\s*n\d+ \[label="Controller × 3"/,
  );
  const racks = [...physical.dot.matchAll(/label="Rack [^"]+";[^\n]*\n\s*n\d+ \[label="([^"]+)"/g)];
  expect(racks.length).toBe(3);
  for (const [, drawn] of racks) expect(drawn).not.toContain("Controller");
  // AND the rack elevations list the racks' servers alone
  const cells = designView(model).elevations.flatMap((e) => e.rows.flatMap((r) => r.cells));
  expect(cells.some((c) => c.role === "controller")).toBe(false);
  expect(cells.filter((c) => c.role === "compute")).toHaveLength(7);
});

test("the security chapter says the controllers are VMs where they are, not bare metal", async () => {
  const { model } = load(vmControllers());
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toContain(
    "The cloud's own servers are bare metal and its controllers VMs on the undercloud, none of which this cloud's security groups filter",
  );
  expect(markdown).not.toContain("own servers are bare metal, which");
});
