import { diagrams } from "../../documents/diagrams";
import { renderSvg } from "../../documents/svg";
import { readCatalog, templateDirs } from "../../documents/render";
import { loadSpecText } from "../../model/load";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { estate } = require("../../bench/estate");

const labels = readCatalog(templateDirs(), "en");

test("diagrams of a large estate summarize and render quickly", async () => {
  const spec = estate({ zones: 60, tenants: 10 });
  spec.network.networks.push({ name: "unix", role: "provider", cidr: "10.9.0.0/24", vlan: 300 });
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
  const started = Date.now();
  for (const d of diagrams(model, labels)) {
    const nodes = d.dot.split("\n").filter((l) => /^n\d+ \[/.test(l)).length;
    const edges = d.dot.split("\n").filter((l) => l.includes(" -> ")).length;
    expect(nodes).toBeLessThan(150);
    expect(edges).toBeLessThan(600);
    expect(await renderSvg(d.dot)).toContain("<svg");
  }
  expect(Date.now() - started).toBeLessThan(30_000);
});
