import * as fs from "fs";
import { markdownToHtml } from "../../documents/html";
import * as path from "path";
import { readCatalog, templateDirs, withCounts } from "../../documents/render";
import { tempDir } from "../support/temp";
import { renderArchitecture } from "../support/documents";
import { load, variant } from "../support/fixtures";
import { loadSpecFile } from "../../model/load";
import { ROOT } from "../support/blueprints";

describe("text catalogs", () => {
  test("a finding's fix reads as the end of a sentence: reports join it to their own words", () => {
    for (const language of ["en", "zh-CN"]) {
      const fixes = Object.entries(readCatalog(templateDirs(), language)).filter(([k]) =>
        /^rule\..*\.fix(\.|$)/.test(k),
      );
      expect(fixes.length).toBeGreaterThan(50);
      expect(fixes.filter(([, v]) => /[.。]$/.test(v)).map(([k]) => k)).toEqual([]);
    }
  });

  test("model.json's HA rows read as the document's English ones", () => {
    // (a tool joining model.json to the document by component name finds every row)
    const en = readCatalog(templateDirs(), "en");
    const fill = (text: string, params: Record<string, unknown>) =>
      withCounts(text, params).replace(/\{([A-Za-z]+)\}/g, (m, name: string) =>
        name in params ? (en[`param.${name}.${String(params[name])}`] ?? String(params[name])) : m,
      );
    const examples = fs.readdirSync(path.join(ROOT, "examples")).filter((f) => f.endsWith(".yaml"));
    for (const file of examples)
      for (const row of loadSpecFile(path.join(ROOT, "examples", file)).model.ha)
        for (const what of ["component", "mechanism"] as const)
          expect([file, row.kind, what, row[what]]).toEqual([
            file,
            row.kind,
            what,
            fill(en[`ha.${what}.${row.kind}`], row.params),
          ]);
  });

  test("a user folder's catalog is read again on every render, so an edit shows at once", () => {
    // GIVEN a user folder that overrides one English text
    const dir = tempDir("sw-catalog-");
    fs.mkdirSync(path.join(dir, "i18n"));
    const file = path.join(dir, "i18n", "en.json");
    fs.writeFileSync(file, JSON.stringify({ "doc.title": "First" }));
    expect(readCatalog(templateDirs(dir), "en")["doc.title"]).toBe("First");
    // WHEN the user edits it
    fs.writeFileSync(file, JSON.stringify({ "doc.title": "Second" }));
    // THEN the next read has the edit, and the built-in catalog is untouched
    expect(readCatalog(templateDirs(dir), "en")["doc.title"]).toBe("Second");
    expect(readCatalog(templateDirs(), "en")["doc.title"]).not.toBe("Second");
  });

  test("the built-in catalogs read once give the same texts as the files", () => {
    const en = JSON.parse(fs.readFileSync("templates/i18n/en.json", "utf8")) as Record<
      string,
      string
    >;
    const first = readCatalog(templateDirs(), "zh-CN");
    const again = readCatalog(templateDirs(), "zh-CN");
    expect(again).toBe(first);
    expect(Object.keys(first).sort()).toEqual(Object.keys(en).sort());
    expect(readCatalog(templateDirs(), "en")["term.flavor"]).toBe(en["term.flavor"]);
  });
});

test("the tenants table has volume quotas only where Cinder runs", async () => {
  // GIVEN a tenant in the base design (no volume backend, so no Cinder) and with GlusterFS
  const withTenant = (edit: (s: any) => void) =>
    load(
      variant((s) => {
        s.tenants = [{ name: "Shop", pool: "web" }];
        edit(s);
      }),
    ).model;
  const header = (markdown: string) =>
    markdown.split("\n").find((l) => l.startsWith("| Tenant |")) ?? "";
  const without = (await renderArchitecture(withTenant(() => undefined))).markdown;
  const withCinder = (
    await renderArchitecture(
      withTenant(
        (s) => (s.storage = { backends: [{ name: "g", kind: "glusterfs", volumeType: "v" }] }),
      ),
    )
  ).markdown;
  // THEN the stacks set no volume quota without Cinder, and the table shows none
  expect(header(without)).not.toContain("Volume");
  expect(header(withCinder)).toContain("| Volumes | Volume GiB |");
  // AND each row has as many cells as its header
  for (const md of [without, withCinder]) {
    const head = header(md);
    const row = md.split("\n").find((l) => l.startsWith("| Shop |")) ?? "";
    expect(row.split("|").length).toBe(head.split("|").length);
  }
});

test("the tenants table has the load-balancer quota each stack sets where Octavia runs", async () => {
  // GIVEN the public cloud, whose tenant stacks set Octavia's quota
  const model = loadSpecFile(path.join(ROOT, "examples/public-cloud.yaml")).model;
  const { markdown } = await renderArchitecture(model);
  const lines = markdown.split("\n");
  const head = lines
    .find((l) => l.startsWith("| Tenant |"))!
    .split("|")
    .map((c) => c.trim());
  const column = head.indexOf("Load balancers");
  expect(column).toBeGreaterThan(0);
  // THEN each tenant's row shows its quota
  for (const t of model.tenants) {
    const row = lines
      .find((l) => l.startsWith(`| ${t.name} |`))!
      .split("|")
      .map((c) => c.trim());
    expect([row.length, row[column]]).toEqual([head.length, String(t.quota.loadBalancers)]);
  }
});

describe("HTML of a document", () => {
  const html = (markdown: string) =>
    markdownToHtml(markdown, { title: "t", language: "en", css: "", svgs: {} });

  test("long words get break opportunities, so a table stays within the printed page", () => {
    // GIVEN a directory DN and a long name without punctuation in a table, beside short words
    const out = html(
      [
        "| Groups | Name | Amount |",
        "| --- | --- | ---: |",
        "| OU=Groups,OU=Private-Cloud,DC=corp,DC=example,DC=com | WWWWWWWWWWWWWWWWWWWWWWWWWW | €1,966,354.82 |",
        "",
        "`cn=ops<&>,ou=Groups,dc=corp,dc=example,dc=com`",
      ].join("\n"),
    );
    // THEN the DN may break after each comma and '=', the name every 12 characters, escaped
    expect(out).toContain(
      "<td>OU=<wbr>Groups,<wbr>OU=<wbr>Private-<wbr>Cloud,<wbr>DC=<wbr>corp,<wbr>DC=<wbr>example,<wbr>DC=<wbr>com</td>",
    );
    expect(out).toContain("<td>WWWWWWWWWWWW<wbr>WWWWWWWWWWWW<wbr>WW</td>");
    expect(out).toContain(
      "<code>cn=<wbr>ops&lt;&amp;&gt;,<wbr>ou=<wbr>Groups,<wbr>dc=<wbr>corp,<wbr>dc=<wbr>example,<wbr>dc=<wbr>com</code>",
    );
    // AND short words and amounts are left whole, in a long run of Chinese text too
    expect(out).toContain('<td style="text-align:right">€1,966,354.82</td>');
    expect(html("每台服务器每年的电力、制冷和机房空间费用为¥6,800.00，双方相同。")).toContain(
      "每台服务器每年的电力、制冷和机房空间费用为¥6,800.00，双方相同。",
    );
    // (nor between a minus and the amount, nor inside a flag or a letter with its marks)
    expect(html("合计-¥1,234,567.89元，双方相同，按年计算的合计金额")).toContain(
      "合计-¥1,234,567.89元",
    );
    expect(html(`${"🇨🇳".repeat(14)}`)).toContain(`${"🇨🇳".repeat(12)}<wbr>🇨🇳🇨🇳`);
    expect(out).toContain("<th>Groups</th>");
  });
});

test("two inline diagrams repeat no element id", () => {
  const svg = '<svg><g id="graph0"><g id="node1"><path fill="url(#l_1)"/></g></g></svg>';
  const out = markdownToHtml(
    ["```mermaid\n%% diagram: logical\n```", "```mermaid\n%% diagram: physical\n```"].join("\n\n"),
    { title: "t", language: "en", css: "", svgs: { logical: svg, physical: svg } },
  );
  const ids = [...out.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]);
  expect(ids).toEqual([
    "diagram-logical",
    "logical-graph0",
    "logical-node1",
    "diagram-physical",
    "physical-graph0",
    "physical-node1",
  ]);
  expect(out).toContain('fill="url(#physical-l_1)"');
  // AND text of the drawing that reads like a reference stays as written
  const text = markdownToHtml("```mermaid\n%% diagram: logical\n```", {
    title: "t",
    language: "en",
    css: "",
    svgs: { logical: '<svg><text id="t1">AIX url(#graph0)</text></svg>' },
  });
  expect(text).toContain(">AIX url(#graph0)</text>");
});

test("a diagram keeps its heading and introducing sentence together, to print on one page", () => {
  const out = markdownToHtml(
    "## Physical\n\nEach rack.\n\n```mermaid\n%% diagram: physical\n```\n\nAfter.\n",
    { title: "t", language: "en", css: "", svgs: { physical: "<svg></svg>" } },
  );
  expect(out).toContain(
    '<div class="keep">\n<h2 id="chapter-1">Physical</h2>\n<p>Each rack.</p>\n<figure class="diagram" id="diagram-physical"><svg></svg></figure>\n</div>\n<p>After.</p>',
  );
  // AND a diagram after a table stands alone
  const alone = markdownToHtml("| a |\n| --- |\n| 1 |\n\n```mermaid\n%% diagram: x\n```\n", {
    title: "t",
    language: "en",
    css: "",
    svgs: { x: "<svg></svg>" },
  });
  expect(alone).not.toContain('class="keep"');
});

test("tables of a few rows are marked to print on one page, longer ones are not", () => {
  const table = (rows: number) =>
    ["| a | b |", "| --- | --- |", ...Array.from({ length: rows }, (_, i) => `| ${i} | x |`)].join(
      "\n",
    );
  const out = markdownToHtml(`${table(7)}\n\ntext\n\n${table(8)}`, {
    title: "t",
    language: "en",
    css: "",
    svgs: {},
  });
  // (rows count the header: 7 + 1 is short, 8 + 1 is not)
  expect([...out.matchAll(/<table[^>]*>/g)].map((m) => m[0])).toEqual([
    '<table class="short">',
    "<table>",
  ]);
});
