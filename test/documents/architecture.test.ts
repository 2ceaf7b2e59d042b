import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { architectureDocuments } from "../../documents/architecture";
import { chromiumPath, headlessFlags } from "../../documents/pdf";
import { terraformInventory } from "../../documents/view-model";
import type { Model } from "../../model/types";
import { loadSpecFile } from "../../model/load";
import { synthesizeTerraform, type SynthesizedStack } from "../../synth/app";
import { load, variant } from "../support/fixtures";

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
const examples = fs.readdirSync("examples").filter((f) => f.endsWith(".yaml"));

async function render(model: Model, pdf = false) {
  const blueprint = findBlueprint(model.blueprint);
  if (!blueprint) throw new Error("no blueprint");
  const stacks = await synthesizeTerraform(blueprint, model, "json");
  const files = await architectureDocuments(
    model,
    terraformInventory(stacks),
    blueprint.designPoints,
    { pdf },
  );
  return {
    files,
    doc: String(files.get("docs/architecture.md")),
    html: String(files.get("docs/architecture.html")),
    stacks,
  };
}

describe.each(examples)("architecture document of %s", (file) => {
  const { model } = loadSpecFile(path.join("examples", file));
  let doc = "";
  let stacks: SynthesizedStack[] = [];
  beforeAll(async () => {
    ({ doc, stacks } = await render(model));
  });

  test("states the model's figures", () => {
    expect(doc).toContain(`| Schedulable vCPUs | ${fmt(model.capacity.schedulableVcpus)} |`);
    expect(doc).toContain(`| Compute hosts | ${model.capacity.hosts} |`);
    expect(doc).toContain(`| Controllers | ${model.controlPlane.controllers.length} (`);
    if (model.storage.ceph)
      expect(doc).toContain(`| Ceph usable capacity (TB) | ${fmt(model.storage.ceph.usableTB)} |`);
    if (model.storage.swift)
      expect(doc).toContain(
        `| Swift usable capacity (TB) | ${fmt(model.storage.swift.usableTB)} |`,
      );
    for (const pool of model.pools) {
      const kind = { tier: "tier", stage: "stage", custom: "purpose" }[pool.purpose.kind];
      expect(doc).toContain(
        `| ${pool.id} | ${kind}: ${pool.purpose.value} | ${pool.capacity.hosts} | ${pool.capacity.spareHosts} |`,
      );
    }
    for (const n of model.networks) expect(doc).toContain(`| ${n.name} | `);
    for (const n of model.networks) expect(doc).toContain(`| ${n.cidr} | ${n.vlan ?? ""} |`);
  });

  test("lists the same networks, hosts and controllers as the Terraform", () => {
    const platform = JSON.parse(stacks.find((s) => s.name === "platform")?.content ?? "{}");
    for (const s of Object.values(platform.resource.openstack_networking_subnet_v2 ?? {}) as {
      cidr: string;
    }[]) {
      expect(doc).toContain(`| ${s.cidr} |`);
    }
    for (const a of Object.values(platform.resource.openstack_compute_aggregate_v2 ?? {}) as {
      zone: string;
      hosts: string[];
    }[]) {
      expect(doc).toContain(`### Zone ${a.zone}`);
      for (const h of a.hosts)
        expect(doc).toContain(`| ${h} | ${h}.${model.domain} | Compute node |`);
    }
    // The bare-metal stack provisions exactly the nodes the document lists, by host name.
    const baremetal = JSON.parse(stacks.find((s) => s.name === "baremetal")?.content ?? "{}");
    const instances = Object.values(baremetal.resource?.openstack_compute_instance_v2 ?? {}) as {
      name: string;
      metadata: { fqdn: string };
    }[];
    expect(instances.length).toBe(model.undercloud ? model.nodes.length : 0);
    for (const i of instances) expect(doc).toContain(`| ${i.name} | ${i.metadata.fqdn} |`);
    expect(doc).toContain(`| **Total** | **${terraformInventory(stacks).total}** |`);
  });
});

describe("document formats", () => {
  const model = loadSpecFile("examples/enterprise-reference.yaml").model;
  let files = new Map<string, string | Buffer>();
  beforeAll(async () => {
    ({ files } = await render(model, Boolean(chromiumPath())));
  });

  test("carries Mermaid diagrams in the Markdown and inline SVG in the HTML", () => {
    const md = String(files.get("docs/architecture.md"));
    expect(md).toContain("```mermaid\n%% diagram: logical\nflowchart LR");
    const html = String(files.get("docs/architecture.html"));
    expect(html).toContain('<figure class="diagram" id="diagram-logical"><svg');
    expect(html).toContain('<figure class="diagram" id="diagram-physical"><svg');
    expect(html).not.toContain("<script");
    expect(String(files.get("docs/diagrams/physical.svg"))).toMatch(
      /^<svg[\s\S]*Rack a01[\s\S]*<\/svg>\n$/,
    );
  });

  const browser = chromiumPath();
  (browser ? test : test.skip)(
    "the HTML opens in headless Chromium without console errors and shows the diagrams",
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-html-"));
      const page = path.join(dir, "architecture.html");
      fs.writeFileSync(page, String(files.get("docs/architecture.html")));
      const shot = path.join(dir, "shot.png");
      const common = headlessFlags(path.join(dir, "profile"));
      const dom = spawnSync(
        browser as string,
        [...common, "--enable-logging=stderr", "--v=0", "--dump-dom", `file://${page}`],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(dom.status).toBe(0);
      expect(dom.stdout).toContain('id="diagram-logical"');
      expect(dom.stderr).not.toMatch(/CONSOLE\(\d+\)|Uncaught/);
      const r = spawnSync(
        browser as string,
        [
          ...common,
          "--window-size=1200,2400",
          `--screenshot=${shot}`,
          `file://${page}#diagram-logical`,
        ],
        { timeout: 60_000 },
      );
      expect(r.status).toBe(0);
      expect(fs.statSync(shot).size).toBeGreaterThan(20_000);
    },
  );

  (browser ? test : test.skip)("the PDF has a sensible page count and the chapter titles", () => {
    const pdf = files.get("docs/architecture.pdf") as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-pdf-"));
    fs.writeFileSync(path.join(dir, "a.pdf"), pdf);
    const info = spawnSync("pdfinfo", [path.join(dir, "a.pdf")], { encoding: "utf8" });
    const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(8);
    expect(pages).toBeLessThanOrEqual(60);
    const text = spawnSync("pdftotext", [path.join(dir, "a.pdf"), "-"], {
      encoding: "utf8",
    }).stdout;
    for (const title of [
      "Executive summary",
      "Logical architecture",
      "Physical topology",
      "Networks and IP plan",
      "High availability",
      "Storage",
      "Legacy UNIX bridge",
      "Terraform inventory",
    ]) {
      expect(text).toContain(title);
    }
  });
});

describe("language and escaping", () => {
  test("zh-CN output contains no untranslated English template text", async () => {
    const en = JSON.parse(fs.readFileSync("templates/i18n/en.json", "utf8")) as Record<
      string,
      string
    >;
    const zh = JSON.parse(fs.readFileSync("templates/i18n/zh-CN.json", "utf8")) as Record<
      string,
      string
    >;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const model = loadSpecFile("examples/enterprise-reference.yaml").model;
    const { doc, html } = await render({
      ...model,
      metadata: { ...model.metadata, language: "zh-CN" },
    });
    expect(doc).toContain("# 架构设计");
    expect(html).toContain('<html lang="zh-CN">');
    const english = Object.entries(en).filter(
      ([k, v]) => zh[k] !== v && /[a-z]{3,} [a-z]{2,}/i.test(v),
    );
    expect(english.length).toBeGreaterThan(50);
    for (const [, text] of english) expect(doc).not.toContain(text);
  });

  test("a hostile tenant name appears escaped in HTML and Markdown", async () => {
    const hostile = load(
      variant((s) => {
        s.metadata.customer = "ACME | *Bank*";
        s.tenants = [{ name: "<script>alert(1)</script>", id: "evil" }];
      }),
    ).model;
    const { doc, html } = await render(hostile);
    expect(doc).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(doc).toContain("ACME \\| \\*Bank\\*");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
  });

  test("a backtick in the customer name shows as a backtick in the HTML", async () => {
    // GIVEN
    const model = load(variant((s) => (s.metadata.customer = "ACME `Bank`"))).model;
    // WHEN
    const { doc, html } = await render(model);
    // THEN Handlebars writes the entity, which opens no code span and needs no backslash
    expect(doc).toContain("ACME &#x60;Bank&#x60;");
    expect(doc).not.toContain("\\&#x60;");
    expect(html).toContain("ACME `Bank`");
    expect(html).not.toContain("&amp;#x60;");
    expect(html).not.toContain("<code>Bank</code>");
  });
});
