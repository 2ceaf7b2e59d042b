import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { findBlueprint } from "../../blueprints/catalog";
import { architectureDocuments } from "../../documents/architecture";
import { deployFiles } from "../../deployer";
import { Chromium } from "../../documents/chromium";
import { withCounts } from "../../documents/render";
import { terraformInventory } from "../../documents/view-model";
import type { Model } from "../../model/types";
import { KERNEL_MEMORY_SHARE } from "../../model/capacity";
import { loadSpecFile, loadSpecText } from "../../model/load";
import { runChecks } from "../../policy/run";
import type { SynthesizedStack } from "../../synth/app";
import {
  backupsApartFromVolumes,
  load,
  twoClassCeph,
  untaggedByRole,
  variant,
} from "../support/fixtures";
import { EXAMPLES, renderArchitecture } from "../support/documents";
import { ROOT } from "../support/blueprints";
import { synthesized } from "../support/synth-cache";

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
const examples = EXAMPLES;

async function render(model: Model) {
  const blueprint = findBlueprint(model.blueprint);
  if (!blueprint) throw new Error("no blueprint");
  const stacks = await synthesized(blueprint, model, "json");
  const files = await architectureDocuments(
    model,
    terraformInventory(stacks),
    blueprint.designPoints,
    { findings: runChecks(model, stacks) },
  );
  return {
    files,
    doc: String(files.get("docs/architecture.md")),
    html: String(files.get("docs/architecture.html")),
    stacks,
  };
}

const renders = new Map<string, ReturnType<typeof render>>();

/** An example's documents in a language, rendered once for every test that reads them. */
function renderExample(file: string, language: "en" | "zh-CN" = "en") {
  const key = `${file} ${language}`;
  if (!renders.has(key)) {
    const { model } = loadSpecFile(path.join("examples", file));
    renders.set(key, render({ ...model, metadata: { ...model.metadata, language } }));
  }
  return renders.get(key)!;
}

describe.each(examples)("architecture document of %s", (file) => {
  const { model } = loadSpecFile(path.join("examples", file));
  let doc = "";
  let stacks: SynthesizedStack[] = [];
  beforeAll(async () => {
    ({ doc, stacks } = await renderExample(file));
  });

  test("lists every security group the stacks make, with its rules' sources", () => {
    // GIVEN the groups of every stack, by their name in Neutron
    const groups = stacks.flatMap((st) =>
      Object.values(
        ((st.config as any).resource?.openstack_networking_secgroup_v2 ?? {}) as Record<
          string,
          { name: string }
        >,
      ).map((g) => g.name.replace(/_/g, "\\_")),
    );
    // THEN the document has a table for each; a tenant's base group names its SSH sources
    for (const name of groups) expect(doc).toContain(`### Security group ${name}\n`);
    for (const t of model.tenants)
      for (const source of t.ssh)
        expect(doc).toContain(`| tcp | 22 | ${source.ethertype} | ${source.cidr} |`);
  });

  test("states the model's figures", () => {
    expect(doc).toContain(`| Schedulable vCPUs | ${fmt(model.capacity.schedulableVcpus)} |`);
    expect(doc).toContain(`| Compute hosts | ${model.capacity.hosts} |`);
    // (pinned CPUs as the proposal counts them too: schedulable, then usable)
    if (model.capacity.dedicatedCpus > 0)
      expect(doc).toContain(
        `| Schedulable dedicated (pinned) CPUs | ${fmt(model.capacity.dedicatedCpus)} |\n| Dedicated (pinned) CPUs the pinned flavors place, NUMA node by NUMA node, with the spare hosts held back | ${fmt(model.capacity.usableDedicatedCpus)} |`,
      );
    else expect(doc).not.toContain("Dedicated (pinned) CPUs the pinned flavors place");
    expect(doc).toContain(`| Controllers | ${model.controlPlane.controllers.length} (`);
    if (model.storage.ceph)
      expect(doc).toContain(`| Ceph usable capacity (TB) | ${fmt(model.storage.ceph.usableTB)} |`);
    if (model.storage.swift) {
      expect(doc).toContain(
        `| Swift usable capacity (TB) | ${fmt(model.storage.swift.usableTB)} |`,
      );
      // (the ring's regions beside its zones: replicas spread over both)
      expect(doc).toContain(`| Regions | ${model.storage.swift.regions} |`);
      expect(doc).toContain(`| Zones | ${model.storage.swift.zones} |`);
    }
    for (const pool of model.pools) {
      const kind = { tier: "tier", stage: "stage", custom: "purpose" }[pool.purpose.kind];
      expect(doc).toContain(
        `| ${pool.id} | ${kind}: ${pool.purpose.value} | ${pool.capacity.hosts} | ${pool.capacity.spareHosts} |`,
      );
    }
    for (const n of model.networks) expect(doc).toContain(`| ${n.name} | `);
    for (const n of model.networks) expect(doc).toContain(`| ${n.cidr} | ${n.vlan ?? ""} |`);
    // Every switch with its host ports and their speed, which the proposal prices it by, and
    // the MTU its ports pass.
    for (const s of model.switches)
      expect(doc).toMatch(
        new RegExp(
          `^\\| ${s.name} \\|.*\\| ${s.hostPorts} \\| ${s.portSpeedGbps ? `${s.portSpeedGbps} Gb/s` : "-"} \\| ${s.mtu} \\|$`,
          "m",
        ),
      );
  });

  test("says where the security matrix is enforced: not by security groups on bare metal", () => {
    expect(doc).toContain(
      "Neutron security groups do not filter: enforce the matrix in the hosts' firewalls or the fabric's ACLs",
    );
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
  let files = new Map<string, string | Buffer>();
  beforeAll(async () => {
    ({ files } = await renderExample("enterprise-reference.yaml"));
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

  test("a directory's user filter is said as code in both formats", () => {
    const filter =
      "(memberOf:1.2.840.113556.1.4.1941:=CN=openstack-users,OU=Groups,DC=example,DC=com)";
    expect(String(files.get("docs/architecture.md"))).toContain(
      `- Domain corp admits only the directory's users that match \`${filter}\`.`,
    );
    const html = String(files.get("docs/architecture.html")).replace(/<wbr>/g, "");
    expect(html).toContain(`admits only the directory's users that match <code>${filter}</code>.`);
  });

  test("the HTML opens in headless Chromium without script errors and shows the diagrams", async () => {
    // GIVEN one browser (a machine without Chromium fails here: CI installs it)
    const browser = await Chromium.launch();
    try {
      // WHEN the page loads
      const page = await browser.open(String(files.get("docs/architecture.html")), {
        width: 1200,
        height: 1600,
      });
      // THEN both diagrams are drawn with their labels, and the page has a table of contents
      const drawn = await page.evaluate<number[]>(
        `[...document.querySelectorAll("figure.diagram svg")].map((s) => s.getBBox().width)`,
      );
      expect(drawn).toHaveLength(2);
      for (const w of drawn) expect(w).toBeGreaterThan(300);
      expect(await page.evaluate<number>(`document.querySelectorAll("nav.toc li").length`)).toBe(
        (String(files.get("docs/architecture.md")).match(/^## /gm) ?? []).length,
      );
      expect((await page.screenshot()).length).toBeGreaterThan(20_000);
      await page.close();
    } finally {
      await browser.close();
    }
  });
});

describe.each(EXAMPLES)("Markdown of %s", (file) => {
  test.each(["en", "zh-CN"] as const)("in %s holds no HTML entity", async (language) => {
    const { doc } = await renderExample(file, language);
    expect(doc.match(/&(#x?[0-9a-f]+|[a-z][a-z0-9]*);/gi) ?? []).toEqual([]);
  });
});

/** The English of the catalog that zh-CN words differently: whole texts, and the literal runs of two or more words between a text's placeholders. */
function englishOfCatalog(): string[] {
  const read = (file: string) =>
    JSON.parse(fs.readFileSync(`templates/i18n/${file}`, "utf8")) as Record<string, string>;
  const [en, zh] = [read("en.json"), read("zh-CN.json")];
  return Object.entries(en)
    .filter(([k, v]) => zh[k] !== v)
    .flatMap(([, v]) => v.split(/\{[^}]+\}/))
    .map((s) => s.trim())
    .filter((s) => /[a-z]{3,} [a-z]{2,}/i.test(s));
}

describe.each(EXAMPLES)("zh-CN documents of %s", (file) => {
  test("hold no English text of the catalog, runbook included", async () => {
    const { model } = loadSpecFile(path.join("examples", file));
    // The spec's own description and hardware models are the user's text, in whatever language
    // they wrote it.
    const { doc, files } = await render({
      ...model,
      metadata: { ...model.metadata, language: "zh-CN", description: undefined },
      hardware: model.hardware.map(({ vendorModel: _, ...h }) => h),
    });
    const runbook = String(files.get("RUNBOOK.md"));
    const english = englishOfCatalog();
    expect(english.length).toBeGreaterThan(200);
    expect(english.filter((text) => doc.includes(text) || runbook.includes(text))).toEqual([]);
  });
});

describe("language and escaping", () => {
  test("role names render as written, never as emphasis", async () => {
    // GIVEN roles whose underscores Markdown would read as emphasis
    const { model } = load(
      variant((s) => {
        s.identity = {
          domains: [{ name: "corp" }],
          groupRoleMappings: [
            { domain: "corp", group: "audit", role: "ops._x", tenant: "a" },
            { domain: "corp", group: "lead", role: "y_.ops", tenant: "a" },
          ],
        };
        s.tenants = [
          {
            name: "a",
            groups: [
              { name: "devs", role: "ops._x" },
              { name: "testers", role: "y_.ops" },
            ],
          },
        ];
      }),
    );
    const { html } = await render(model);
    expect(html).not.toMatch(/<em>/);
    expect(html).toContain("devs (ops._x), testers (y_.ops)");
  });

  test("zh-CN output contains no untranslated English text, findings included", async () => {
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
    const zhModel = { ...model, metadata: { ...model.metadata, language: "zh-CN" as const } };
    const { doc, html, stacks } = await renderExample("enterprise-reference.yaml", "zh-CN");
    expect(doc).toContain("# 架构设计：");
    expect(html).toContain('<html lang="zh-CN">');
    const english = Object.entries(en).filter(
      ([k, v]) => zh[k] !== v && /[a-z]{3,} [a-z]{2,}/i.test(v),
    );
    expect(english.length).toBeGreaterThan(200);
    for (const [, text] of english) expect(doc).not.toContain(text);
    // The policy findings print in Chinese too, by rule id.
    const findings = runChecks(zhModel, stacks);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(doc).not.toContain(f.message.replace(/_/g, "\\_"));
      expect(doc).toContain(zh[`rule.${f.ruleId}.title`].replace(/_/g, "\\_"));
    }
  });

  test("a zh-CN document gives a stale suppression's requirement and fix in Chinese", async () => {
    // GIVEN a zh-CN design suppressing a rule that does not exist
    const model = load(
      variant((s) => {
        s.metadata.language = "zh-CN";
        s.suppressions = [{ rule: "SW-CAP-999", reason: "a misspelt rule id" }];
      }),
    ).model;
    // WHEN its document is written
    const { doc } = await render(model);
    // THEN SW-META-001 reads as the other rules do, naming the rule id
    expect(doc).toContain("未满足的要求：规约中的每条抑制都对应一项发现");
    expect(doc).toContain("不存在规则 SW-CAP-999");
    expect(doc).not.toContain("matches no finding");
  });

  test("the glossary defines the terms the document uses, and none the design does not build", async () => {
    const term = (doc: string, name: string) => doc.includes(`\n| ${name} | `);
    const enterprise = (await renderExample("enterprise-reference.yaml")).doc;
    for (const name of [
      "CRUSH",
      "NUMA node",
      "RBAC entry",
      "IKE, IPsec, PFS",
      "LACP, MLAG",
      "VNI, VTEP, ECMP",
    ])
      expect(term(enterprise, name)).toBe(true);
    // (enterprise: replicated Ceph and Swift, no erasure coding)
    expect(term(enterprise, "Erasure coding")).toBe(false);
    const threeNode = (await renderExample("three-node.yaml")).doc;
    for (const name of ["CRUSH", "OSD", "IKE, IPsec, PFS", "RBAC entry", "Quorum"])
      expect(term(threeNode, name)).toBe(false);
  });

  test("the logical diagram draws Swift's API on its proxies, not among the controllers' services", async () => {
    const { doc } = await renderExample("enterprise-reference.yaml");
    const control = /n\d+\["cinder, fwaas[^"]*"\]/.exec(doc)?.[0] ?? "";
    expect(control).toContain("keystone");
    expect(control).not.toContain("swift");
    expect(doc).toMatch(/\[\("Swift [\d,.]+ TB<br\/>API proxies: 2"\)\]/);
  });

  test("the scope names what the tenants come with, in number", async () => {
    // (three-node: one tenant, a network, no directory groups; enterprise: both)
    expect((await renderExample("three-node.yaml")).doc).toContain(
      "- 1 tenant with its quotas and network\n",
    );
    expect((await renderExample("enterprise-reference.yaml")).doc).toContain(
      "- 2 tenants with their quotas, networks and directory groups\n",
    );
  });

  test("the design points name the design's own backends and tenant networks", async () => {
    // GIVEN the enterprise example: one Ceph backend, VXLAN tenant networks
    const { doc } = await renderExample("enterprise-reference.yaml");
    expect(doc).toContain("this design has ceph-hdd (Ceph)) bound through");
    expect(doc).toContain("| Tenant routers to the external network, VXLAN tenant networks (");
    // AND the Chinese document lists them with its own separator
    const zh = await renderExample("enterprise-reference.yaml", "zh-CN");
    expect(zh.doc).toContain("本设计为 ceph-hdd (Ceph)）");
  });

  test("zh-CN findings keep the figures of their fix", async () => {
    // GIVEN a pool of 2-thread cores at 8 vCPUs per thread: at most 2.5 per thread passes
    const model = load(
      variant((s) => {
        s.metadata.language = "zh-CN";
        s.zones[0].pools[0].cpuAllocationRatio = 8;
      }),
    ).model;
    // WHEN its document is written
    const { doc } = await render(model);
    // THEN the Chinese fix names the figure, as the English one does
    expect(doc).toContain("将该资源池的 cpuAllocationRatio 降至不超过 2.5");
  });

  test("zh-CN states the validator's warnings in Chinese, each warning the rules can raise", async () => {
    // GIVEN every warning code of the spec, model and CLI layers
    const zh = JSON.parse(fs.readFileSync("templates/i18n/zh-CN.json", "utf8")) as Record<
      string,
      string
    >;
    const sources = ["spec", "model", "cli"].flatMap((d) =>
      fs
        .readdirSync(d, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".ts"))
        .map((f) => fs.readFileSync(path.join(d, f), "utf8")),
    );
    const codes = new Set(
      sources.flatMap((text) => [
        ...[...text.matchAll(/\bwarn\(\s*"([a-z0-9-]+)"/g)].map((m) => m[1]),
        ...[...text.matchAll(/code: "([a-z0-9-]+)",[^}]*?severity: "warning"/gs)].map((m) => m[1]),
      ]),
    );
    expect(codes.size).toBeGreaterThan(10);
    // THEN each has a translated requirement and fix
    expect(
      [...codes].filter((c) => !zh[`rule.SW-SPEC-${c}.title`] || !zh[`rule.SW-SPEC-${c}.fix`]),
    ).toEqual([]);
    // AND the three-node document, whose one controller draws a warning, says it in Chinese
    const { model } = loadSpecFile("examples/three-node.yaml");
    const zhModel = { ...model, metadata: { ...model.metadata, language: "zh-CN" as const } };
    const warning = {
      ruleId: "SW-SPEC-controllers-single",
      severity: "warning" as const,
      target: "controlPlane.controllers",
      message: "1 controller is not highly available",
      fix: "use 3 or 5",
      location: { file: "three-node.yaml" },
    };
    const files = await architectureDocuments(zhModel, terraformInventory([]), [], {
      findings: [warning],
    });
    const doc = String(files.get("docs/architecture.md"));
    expect(doc).toContain("未满足的要求：控制平面能承受一台控制节点故障 | 使用 3 或 5 台控制节点");
    expect(doc).not.toContain("1 controller is not highly available");
  });

  test("lists every server of the scope by role, adding up to the total", async () => {
    // GIVEN the public cloud: controllers, network nodes, computes, Ceph and Swift hosts
    const { doc } = await renderExample("public-cloud.yaml");
    const model = loadSpecFile(path.join(ROOT, "examples/public-cloud.yaml")).model;
    // THEN each role's count is the bill of materials' and they add up to the servers
    const line = doc.split("\n").find((l) => l.startsWith(`- ${model.nodes.length} servers: `));
    const counts = [...(line ?? "").split(";")[0].matchAll(/(\d+) [A-Za-z]/g)].map((m) =>
      Number(m[1]),
    );
    expect(counts.slice(1).reduce((a, b) => a + b, 0)).toBe(model.nodes.length);
    expect(line).toContain("3 network nodes");
    expect(line).toMatch(/\d+ Swift storage nodes/);
  });

  test("groups the digits of tenant quotas as of every other figure", async () => {
    // GIVEN enterprise-reference, whose core-banking tenant has 1,024 GiB of RAM and 40,000 GiB
    // of volumes
    const { doc } = await renderExample("enterprise-reference.yaml");
    // THEN its row reads them grouped
    const row = doc.split("\n").find((l) => l.startsWith("| Core Banking |"));
    expect(row).toContain("| 40,000 |");
    expect(doc).not.toMatch(/\| (1024|40000) \|/);
  });

  test("counts one of a thing in the singular", async () => {
    // GIVEN the three-node design: one controller, one compute host, one pool, one zone, one tenant
    // WHEN its document is written
    const { doc } = await renderExample("three-node.yaml");
    // THEN the scope reads as English does
    // (the servers listed by role add up to the total)
    expect(doc).toContain(
      "3 servers: 1 controller, 1 network node and 1 compute host; the compute hosts form 1 pool over 1 availability zone\n",
    );
    expect(doc).toContain("- 1 tenant with its quotas");
    // AND Chinese sets the counts apart from the words around them, after 以及 too
    const zh = (await renderExample("three-node.yaml", "zh-CN")).doc;
    expect(zh).toContain("3 台服务器：1 台控制节点、1 台网络节点以及 1 台计算主机；");
    expect(doc).not.toMatch(/\b1 (controllers|pools|tenants|availability zones)\b/);
    expect(withCounts("{n} {n|host is|hosts are} up", { n: "1,000" })).toBe("{n} hosts are up");
    expect(withCounts("{n} {n|host is|hosts are} up", { n: 1 })).toBe("{n} host is up");
  });

  test("names only what the design has: no UNIX systems or VNIs in a VLAN design without them", async () => {
    // GIVEN the three-node design: VLAN tenant networks, no directory, no legacy systems
    const { doc } = await renderExample("three-node.yaml");
    // THEN the logical view's text and the tenant network line say what it does have
    expect(doc).toContain(
      "through the virtual IPs; the compute pools and the time servers connect",
    );
    expect(doc).toContain("Tenant networks: vlan, MTU 1500, VLAN 1000-1999 (physnet-private).\n");
    expect(doc).not.toMatch(/UNIX systems connect|, VNI/);
  });

  test("gives the fullest OSDs' PG copies beside the monitors' count, only where they differ", async () => {
    // GIVEN Ceph hosts in racks of 2, 1 and 1 (the single-host racks keep a copy of every PG)
    const model = load(
      twoClassCeph({}, [{ name: "rbd", kind: "ceph", volumeType: "standard" }]),
    ).model;
    const [hdd] = model.storage.ceph!.deviceClasses;
    expect(hdd.pgsOnFullestOsd).toBeGreaterThan(hdd.pgsPerOsd);
    // WHEN the document is written THEN its row shows both figures
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(`| ${hdd.pgsPerOsd} (${hdd.pgsOnFullestOsd} on the fullest OSDs) |`);
    // AND an example of even domains shows the monitors' count alone
    const { doc } = await renderExample("enterprise-reference.yaml");
    expect(doc).toContain("| PG copies per OSD (as the monitors count) |");
    expect(doc).not.toContain("on the fullest OSDs");
  });

  test("names the roles whose ports take each untagged network of a switch", async () => {
    // GIVEN controllers with the external network untagged and Ceph nodes with replication
    // untagged, cabled to the same switches
    const model = load(untaggedByRole()).model;
    // WHEN the document is written THEN the switch's row says which ports take which
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "| r1-sw-0a | r1 | bond0 | api, ext (untagged: Controller), mgmt, repl (untagged: Ceph OSD node), storage, tunnel | 10, 11, 12, 13 |",
    );
    expect(markdown).toContain("A port carries one untagged network: where a switch lists several");
    // AND a design whose switches each have one untagged network does not explain it
    const { doc } = await renderExample("enterprise-reference.yaml");
    expect(doc).not.toContain("A port carries one untagged network");
  });

  test("counts controllers running as VMs on the undercloud apart from the servers", async () => {
    const model = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
        s.controlPlane.deployment = "vm";
      }),
    ).model;
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain("- 7 servers: 7 compute hosts;");
    expect(markdown).toContain(
      "- 3 controllers run as virtual machines on the undercloud's hypervisors, beside these servers",
    );
    // AND a design of bare-metal controllers says nothing of virtual machines
    const metal = await renderArchitecture(load(variant(() => undefined)).model);
    expect(metal.markdown).toContain("- 10 servers: 3 controllers and 7 compute hosts;");
    expect(metal.markdown).not.toContain("run as virtual machines");
  });

  test("lists the sites with where they are, their zones, racks and servers", async () => {
    // GIVEN two sites, a zone each, the controllers spread over both zones' racks
    const model = load(
      variant((s) => {
        s.sites = [
          { name: "fra1", region: "Frankfurt", description: "Primary <b>site</b>" },
          { name: "fra2", region: "Offenbach" },
        ];
        s.zones[0].site = "fra1";
        s.zones[1].site = "fra2";
        s.zones[1].racks = ["r4"];
      }),
    ).model;
    // THEN the model places every server at one of them
    expect(model.sites.map((x) => [x.name, x.zones, x.racks])).toEqual([
      ["fra1", ["az1"], ["r1", "r2", "r3"]],
      ["fra2", ["az2"], ["r4"]],
    ]);
    expect(model.sites.reduce((n, x) => n + x.servers, 0)).toBe(model.nodes.length);
    // AND the document's table says so, the user's text escaped for Markdown
    const { markdown } = await renderArchitecture(model);
    const [fra1, fra2] = model.sites.map((x) => x.servers);
    expect(markdown).toContain(
      `| fra1 | Frankfurt | az1 | r1, r2, r3 | ${fra1} | Primary \\<b\\>site\\</b\\> |`,
    );
    expect(markdown).toContain(`| fra2 | Offenbach | az2 | r4 | ${fra2} |  |`);
  });

  test("shows what the design says each backend, domain and legacy system is for", async () => {
    const { doc } = await renderExample("enterprise-reference.yaml");
    expect(doc).toContain("| ceph-hdd | ceph | standard | ceph-hdd | Ceph RBD on HDD OSDs |");
    expect(doc).toMatch(
      /\| corp \| ldaps:\/\/ad\.example\.com .*\| Corporate Active Directory users \|/,
    );
    expect(doc).toContain("| System | Architecture | Operating system | Address | Purpose |");
    // (the flows' groups admit only them on a port made with them alone: Neutron gives a port
    // made without a group the project's default one, which allows all egress)
    expect(doc).toContain(
      "take a second port on the bridge network, made with the flows' security groups only: a port made without a group gets the project's default one",
    );
    // AND each tenant's, listed under the tenants table
    const tenants = (await renderExample("public-cloud.yaml")).doc;
    expect(tenants).toContain(
      "What each tenant is for:\n\n- Acme Retail: Web shop and order processing\n",
    );
    // AND each network's, under the IP plan
    expect(tenants).toMatch(
      /What each network is for:\n\n(- .+\n)*- \S+: Internet-facing floating IPs and public API endpoints\n/,
    );
  });

  test("speaks of Keystone domain files only where a directory backs a domain", async () => {
    // GIVEN public-cloud, whose one domain lives in Keystone's database, and the enterprise
    // reference, whose domain reads Active Directory
    const sql = (await renderExample("public-cloud.yaml")).doc;
    const ldap = (await renderExample("enterprise-reference.yaml")).doc;
    // THEN only the latter names the domain file and the bind password
    expect(sql).not.toContain("keystone.DOMAIN.conf");
    expect(ldap).toContain("keystone.DOMAIN.conf");
    // AND the Swift section points down to its ring plan, which follows it
    const swift = ldap.slice(ldap.indexOf("### Swift"));
    expect(swift).toContain("the ring plan below is in `config/swift/rings.sh`");
  });

  test("a host-only network shows no DHCP pool; the external network shows its floating range", async () => {
    // GIVEN the three-node design: management is host networking, public is Neutron's
    const { doc } = await renderExample("three-node.yaml");
    // THEN only the Neutron network has a pool in the IP plan
    expect(doc).toContain(
      "| private | management | 172.16.0.0/24 |  |  | 172.16.0.1 | 1500 | no | 3 / 254 |  |",
    );
    expect(doc).toContain("| 10.10.0.100 - 10.10.0.200 |");
  });

  test("VLAN tenant networks name the physical network the deploy bridges, declared or not", async () => {
    // GIVEN VLAN tenant networks without tenantPhysicalNetwork; the external network is on physnet-ext
    const { model } = load(
      variant((s: any) => {
        s.network.tenantNetworkType = "vlan";
        s.network.tenantVlanRange = { min: 1000, max: 1999 };
      }),
    );
    // THEN the model, the deploy plan and the document agree on physnet-ext
    expect(model.network.tenantPhysicalNetwork).toBe("physnet-ext");
    expect(model.deploy.neutron.physicalNetworks.find((p) => p.vlanRange)?.name).toBe(
      "physnet-ext",
    );
    const { doc } = await render(model);
    expect(doc).toContain("VLAN 1000-1999 (physnet-ext)");
  });

  test("lists each bond's ports: every Ethernet port without nicNames, else the named ones", async () => {
    // GIVEN compute hosts with two named 25 GbE ports, controllers naming none
    const { model } = load(
      variant((s: any) => {
        s.hardware[1].nics = [{ count: 2, speedGbps: 25 }];
        s.hardware[1].nicNames = ["ens1f0", "ens1f1"];
      }),
    );
    const { doc } = await render(model);
    // THEN the controllers bond whatever netplan's en[!x]* matches, the compute hosts their two ports
    expect(doc).toContain(
      "| Controller | ctrl | bond0 | every Ethernet port but USB ones named by MAC (`en[!x]*`) | LACP (802.3ad) | 9000 | 3 |",
    );
    expect(doc).toContain(
      "| Compute node | cmp | bond0 | ens1f0, ens1f1 | LACP (802.3ad) | 9000 | 7 |",
    );
  });

  test("the runbook's clouds.yaml command copies Kolla's admin entry under the design's cloud", async () => {
    // GIVEN the clouds.yaml Kolla's post-deploy writes (roles/common/templates/clouds.yaml.j2)
    // and an operator's own clouds.yaml holding another cloud (named by OS_CLIENT_CONFIG_FILE,
    // the first place the provider looks: the test never writes the user's home)
    // (a cloud name is an identifier in a spec; one from a hand-made model stays a Python string)
    const { model } = loadSpecFile(path.join("examples", "enterprise-reference.yaml"));
    const cloud = `prod 'x' "y" <b> \`z\``;
    const lifecycle = model.lifecycle.map((st) => ({
      ...st,
      prerequisites: st.prerequisites.map((i) =>
        i.kind === "clouds-entry" ? { ...i, params: { ...i.params, cloud } } : i,
      ),
    }));
    const designed = { ...model, cloud: { ...model.cloud, cloud }, lifecycle };
    const { files } = await render(designed);
    // (the runbook names a script file: a long command copied from the PDF would break)
    expect(String(files.get("RUNBOOK.md"))).toContain("`python3 deploy/clouds-entry.py`");
    const script = deployFiles(designed).get("deploy/clouds-entry.py") as string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-clouds-"));
    // (scripts stand in deploy/ of an output folder: its terraform/ is where the stacks run)
    fs.mkdirSync(path.join(dir, "deploy"));
    const run = (text: string, name: string) => {
      const file = path.join(dir, "deploy", name);
      fs.writeFileSync(file, text, { mode: 0o644 });
      return `python3 ${file}`;
    };
    const kolla = path.join(dir, "kolla-clouds.yaml");
    const entry = {
      auth: { auth_url: "https://api.efg.internal:5000", username: "admin", password: "s3cret" },
      region_name: "RegionOne",
      cacert: "/etc/kolla/certificates/ca/root.crt",
    };
    fs.writeFileSync(kolla, JSON.stringify({ clouds: { "kolla-admin": entry } }));
    const command = run(script.replace("/etc/kolla/clouds.yaml", kolla), "clouds-entry.py");
    fs.mkdirSync(path.join(dir, ".config", "openstack"), { recursive: true });
    const own = path.join(dir, ".config", "openstack", "clouds.yaml");
    fs.writeFileSync(own, JSON.stringify({ clouds: { other: { auth: {} } } }), { mode: 0o644 });
    // WHEN an operator runs it
    const first = spawnSync("/bin/sh", ["-c", command], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect([first.status, first.stderr]).toEqual([
      0,
      `${own}: rewritten without its comments; the previous file is ${own}.stackwright-old\n`,
    ]);
    // THEN the design's cloud holds Kolla's entry, CA included, beside the other cloud
    const written = parse(fs.readFileSync(own, "utf8"));
    expect(written.clouds).toEqual({ other: { auth: {} }, [cloud]: entry });
    // AND the file, which now holds the admin's password, is the user's alone, replaced whole
    // (written beside it first: a kill leaves the old one), the user's text kept beside it
    expect(fs.statSync(own).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(own))).toEqual([
      "clouds.yaml",
      "clouds.yaml.stackwright-old",
    ]);
    expect(fs.readFileSync(`${own}.stackwright-old`, "utf8")).toBe(
      JSON.stringify({ clouds: { other: { auth: {} } } }),
    );
    expect(fs.statSync(`${own}.stackwright-old`).mode & 0o777).toBe(0o600);
    // AND a second run changes nothing; a cloud of that name with other settings is the user's,
    // replaced only with --replace
    const again = spawnSync("/bin/sh", ["-c", command], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect([again.status, again.stderr, again.stdout.trim()]).toEqual([0, "", own]);
    const mineNow = fs.readFileSync(own, "utf8");
    fs.writeFileSync(own, mineNow.replace("s3cret", "rotated"));
    const kept = spawnSync("/bin/sh", ["-c", command], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect(kept.status).toBe(1);
    expect(kept.stderr).toContain(
      "is there already, with other settings; run again with --replace",
    );
    expect(fs.readFileSync(own, "utf8")).toBe(mineNow.replace("s3cret", "rotated"));
    const replaced = spawnSync("/bin/sh", ["-c", `${command} --replace`], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect([replaced.status, replaced.stdout.trim()]).toEqual([0, own]);
    expect(fs.readFileSync(own, "utf8")).toBe(mineNow);
    // (each text the file had is kept: the user's first, then the one --replace replaced)
    expect(fs.readFileSync(`${own}.stackwright-old`, "utf8")).toBe(
      JSON.stringify({ clouds: { other: { auth: {} } } }),
    );
    expect(fs.readFileSync(`${own}.stackwright-old.2`, "utf8")).toContain("rotated");
    // AND a file opened to others by hand is made the user's alone again, though unchanged
    fs.chmodSync(own, 0o644);
    const opened = spawnSync("/bin/sh", ["-c", command], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect([opened.status, opened.stderr]).toEqual([
      0,
      `${own}: made readable by you alone; it holds the admin's password\n`,
    ]);
    expect(fs.statSync(own).mode & 0o777).toBe(0o600);
    // AND a file that is no clouds.yaml is refused in words, not overwritten
    fs.writeFileSync(own, "- a list\n");
    const refused = spawnSync("/bin/sh", ["-c", command], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect([refused.status, refused.stderr.trim()]).toEqual([1, `${own}: not a clouds.yaml`]);
    expect(fs.readFileSync(own, "utf8")).toBe("- a list\n");
    // AND a site file the user may not read is left out: the entry goes into the user's own
    // file, which the provider reads first (run as an unprivileged user where the test is root)
    const siteDir = path.join(dir, "site");
    fs.mkdirSync(siteDir, { mode: 0o755 });
    const site = path.join(siteDir, "clouds.yaml");
    fs.writeFileSync(site, JSON.stringify({ clouds: { secret: { auth: {} } } }), { mode: 0o600 });
    fs.rmSync(own);
    const home = path.join(dir, "home");
    fs.mkdirSync(home);
    fs.chmodSync(home, 0o777);
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(kolla, 0o644);
    const asUser =
      process.getuid?.() === 0
        ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh"]
        : ["/bin/sh"];
    if (process.getuid?.() !== 0) fs.chmodSync(site, 0o000);
    const unreadable = run(
      script
        .replace("/etc/kolla/clouds.yaml", kolla)
        .replace('"/etc/openstack"', JSON.stringify(siteDir))
        .replace("pwd.getpwuid(os.getuid()).pw_dir", JSON.stringify(home)),
      "site-unreadable.py",
    );
    const copied = spawnSync(asUser[0], [...asUser.slice(1), "-c", unreadable], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: "" },
      encoding: "utf8",
    });
    const mine = path.join(home, ".config", "openstack", "clouds.yaml");
    expect([copied.status, copied.stderr, copied.stdout.trim()]).toEqual([0, "", mine]);
    expect(parse(fs.readFileSync(mine, "utf8")).clouds).toEqual({ [cloud]: entry });
    // AND a user's clouds.yml, which gophercloud reads when there is no clouds.yaml, takes the
    // entry beside its clouds rather than being hidden by a new clouds.yaml
    fs.rmSync(mine);
    const yml = path.join(home, ".config", "openstack", "clouds.yml");
    fs.writeFileSync(yml, JSON.stringify({ clouds: { other: { auth: {} } } }));
    fs.rmSync(site);
    const intoYml = spawnSync("/bin/sh", ["-c", unreadable], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: "" },
      encoding: "utf8",
    });
    expect([intoYml.status, intoYml.stderr, intoYml.stdout.trim()]).toEqual([
      0,
      `${yml}: rewritten without its comments; the previous file is ${yml}.stackwright-old\n`,
      yml,
    ]);
    expect(parse(fs.readFileSync(yml, "utf8")).clouds).toEqual({
      other: { auth: {} },
      [cloud]: entry,
    });
    expect(fs.existsSync(mine)).toBe(false);
    // AND a site file the user could write (every user's, say root's) is never changed: its
    // clouds and the entry go into the user's own, which the provider reads first
    fs.rmSync(yml);
    fs.writeFileSync(site, JSON.stringify({ clouds: { shared: { auth: {} } } }), { mode: 0o644 });
    const before = fs.readFileSync(site, "utf8");
    const shared = spawnSync("/bin/sh", ["-c", unreadable], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: "" },
      encoding: "utf8",
    });
    expect([shared.status, shared.stdout.trim()]).toEqual([0, mine]);
    expect([fs.readFileSync(site, "utf8"), fs.statSync(site).mode & 0o777]).toEqual([
      before,
      0o644,
    ]);
    expect(parse(fs.readFileSync(mine, "utf8")).clouds).toEqual({
      shared: { auth: {} },
      [cloud]: entry,
    });
    // AND a user's clouds.yaml that is a link (dotfiles) stays one: the file it leads to is written
    const dotfiles = path.join(home, "dotfiles.yaml");
    fs.renameSync(mine, dotfiles);
    fs.symlinkSync(dotfiles, mine);
    const linked = spawnSync("/bin/sh", ["-c", unreadable], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: "" },
      encoding: "utf8",
    });
    expect([linked.status, linked.stdout.trim()]).toEqual([0, dotfiles]);
    expect(fs.lstatSync(mine).isSymbolicLink()).toBe(true);
    expect(fs.statSync(dotfiles).mode & 0o777).toBe(0o600);
    // AND a clouds.yaml in a stack's folder, which gophercloud reads first when Terraform runs
    // there, is named, and left as it is
    const stack = path.join(dir, "terraform", "tenant-a");
    fs.mkdirSync(stack, { recursive: true });
    fs.writeFileSync(path.join(stack, "clouds.yaml"), "clouds: {}\n");
    fs.writeFileSync(path.join(stack, "clouds.yml"), "clouds: {}\n");
    const shadowed = spawnSync("/bin/sh", ["-c", unreadable], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: "" },
      encoding: "utf8",
    });
    // (its clouds.yml is read only where no clouds.yaml is found: not here)
    expect([shadowed.status, shadowed.stderr]).toEqual([
      0,
      "terraform/tenant-a/clouds.yaml: Terraform in that folder reads it instead; add the cloud there or remove it\n",
    ]);
    expect(fs.readFileSync(path.join(stack, "clouds.yaml"), "utf8")).toBe("clouds: {}\n");
    // (a variable naming no file is passed over, as gophercloud does: the folder's file counts)
    const unnamed = spawnSync("/bin/sh", ["-c", unreadable], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: path.join(dir, "none.yaml") },
      encoding: "utf8",
    });
    expect(unnamed.stderr).toContain("terraform/tenant-a/clouds.yaml: Terraform in that folder");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the clouds.yaml command keeps the user's other clouds as written, for gophercloud reads text", async () => {
    // GIVEN an operator's clouds.yaml whose other cloud has values YAML 1.1 reads as numbers and
    // booleans (gophercloud's yaml.v2 reads them into strings, as written), and an alias
    const { model } = loadSpecFile(path.join("examples", "enterprise-reference.yaml"));
    const script = deployFiles(model).get("deploy/clouds-entry.py") as string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-clouds-text-"));
    fs.mkdirSync(path.join(dir, "deploy"));
    const kolla = path.join(dir, "kolla-clouds.yaml");
    // (Kolla writes its values unquoted: clouds.yaml.j2, `password: {{ keystone_admin_password }}`)
    const entry = { auth: { auth_url: "https://api:5000", password: "0755" }, region_name: "NO" };
    fs.writeFileSync(
      kolla,
      "clouds:\n  kolla-admin:\n    auth:\n      auth_url: https://api:5000\n      password: 0755\n    region_name: NO\n",
    );
    const file = path.join(dir, "deploy", "clouds-entry.py");
    fs.writeFileSync(file, script.replace("/etc/kolla/clouds.yaml", kolla));
    const own = path.join(dir, "clouds.yaml");
    const other = [
      "clouds:",
      "  lab: &lab",
      "    auth: {auth_url: 'https://k:5000', username: ops, password: 0755123, project_id: 12:30:45, project_name: on}",
      "    region_name: NO",
      "  lab-copy: *lab",
      "",
    ].join("\n");
    fs.writeFileSync(own, other);
    // WHEN the design's cloud is added
    const r = spawnSync("python3", [file], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    // THEN the other clouds read as the same text, as a Go client would (YAML 1.2's core schema
    // reads 0755123, 12:30:45, on and NO as written), and the new one holds Kolla's entry
    const text = fs.readFileSync(own, "utf8");
    const asText = parse(text, { schema: "failsafe" }).clouds;
    expect(asText.lab.auth).toEqual({
      auth_url: "https://k:5000",
      username: "ops",
      password: "0755123",
      project_id: "12:30:45",
      project_name: "on",
    });
    expect(asText.lab.region_name).toBe("NO");
    expect(asText["lab-copy"]).toEqual(asText.lab);
    expect(asText[model.cloud.cloud]).toEqual(entry);
    // AND a second run leaves the file as it is
    const again = spawnSync("python3", [file], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect([again.status, again.stderr, fs.readFileSync(own, "utf8")]).toEqual([0, "", text]);
    // AND a cloud given twice, which readers take differently, or a file YAML cannot read, is
    // refused in words, the file left as it is
    for (const [bad, why] of [
      [
        `clouds:\n  ${model.cloud.cloud}: {}\n  ${model.cloud.cloud}: {}\n`,
        `${model.cloud.cloud} is given twice; keep one`,
      ],
      ["a: 1\n---\nb: 2\n", "not a clouds.yaml (expected a single document"],
      ["a: !custom [\n", "not a clouds.yaml ("],
    ]) {
      fs.writeFileSync(own, bad);
      const refused = spawnSync("python3", [file], {
        env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
        encoding: "utf8",
      });
      expect([refused.status, refused.stderr]).toEqual([
        1,
        expect.stringContaining(`${own}: ${why}`),
      ]);
      expect(refused.stderr).not.toContain("Traceback");
      expect(fs.readFileSync(own, "utf8")).toBe(bad);
    }
    // AND --replace replaces the design's cloud alone: another cloud aliasing it keeps its text
    fs.writeFileSync(own, `clouds:\n  ${model.cloud.cloud}: &p {region_name: Old}\n  copy: *p\n`);
    const replaced = spawnSync("python3", [file, "--replace"], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect(replaced.status).toBe(0);
    const after = parse(fs.readFileSync(own, "utf8"), { schema: "failsafe" }).clouds;
    expect([after.copy, after[model.cloud.cloud]]).toEqual([{ region_name: "Old" }, entry]);
    // AND without Kolla's file (post-deploy not run yet) it says so in one line
    fs.rmSync(kolla);
    const early = spawnSync("python3", [file], {
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: own },
      encoding: "utf8",
    });
    expect([early.status, early.stderr]).toEqual([
      1,
      `${kolla}: No such file or directory (run kolla-ansible post-deploy first)\n`,
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the compute section says RAM is counted as the kernel reports it, the model's share", async () => {
    const { doc } = await renderExample("enterprise-reference.yaml");
    const percent = Math.round((1 - KERNEL_MEMORY_SHARE) * 100);
    expect(doc).toContain(
      `(RAM the kernel reports - reserved RAM) x RAM allocation ratio per host, where the kernel reports ${percent} % of the installed RAM`,
    );
    const zh = await renderExample("enterprise-reference.yaml", "zh-CN");
    expect(zh.doc).toContain(`其中内核报告的内存为已安装内存的 ${percent}%`);
  });

  test("zh-CN punctuates with full-width marks after Chinese text", async () => {
    const { doc, files } = await renderExample("enterprise-reference.yaml", "zh-CN");
    const runbook = String(files.get("RUNBOOK.md"));
    expect(runbook.split("\n")[0]).toBe("# 运行手册：Private Cloud Phase 1");
    // (prose: a diagram's Mermaid source writes its shapes with ASCII brackets)
    for (const text of [doc, runbook].map((t) => t.replace(/```mermaid[\s\S]*?```/g, ""))) {
      expect(text.match(/[\u4e00-\u9fff][:;](\s|$)/gm) ?? []).toEqual([]);
      // (no space after a full-width stop before Chinese text)
      expect(text.match(/[。；：] [\u4e00-\u9fff]/g) ?? []).toEqual([]);
      // Brackets after Chinese text are full-width too: 控制节点（+ 网络节点 × 3）.
      expect(text.match(/[\u4e00-\u9fff] ?\(|\([^)]*[\u4e00-\u9fff][^)]*\)/g) ?? []).toEqual([]);
    }
    expect(doc).toContain("高可用控制平面（3）");
    expect(doc).toContain("机架 a01（zone-a；dc1）");
    expect(doc).toContain("计算资源池、存储、企业目录、时间服务器以及遗留 UNIX 系统按图示连接。");
    // (the IP plan's reserved addresses say what holds them in Chinese, listed with 、)
    expect(doc).toMatch(/10\.20\.50\.1（遗留路由器）、10\.20\.50\.254（遗留系统的下一跳）/);
    expect(doc).not.toMatch(/\((gateway|internal VIP|external VIP)\)/);
    // (and the deployment and storage choices are words, not the spec's values)
    expect(doc).toContain("部署方式：裸金属");
    expect(doc).not.toMatch(/：(baremetal|local|application|backups)[。；|]/);
    // (a count times a size with ×, lists with 、, clauses in a cell with ；)
    expect(doc).toContain("| 磁盘 | 60 × 8 TB |");
    expect(doc).toContain("- 存储：Ceph 160 TB、Swift 160 TB");
    expect(doc).toContain("包含服务 cinder、fwaas、glance");
    expect(doc).toContain("| 10.1.0.0/16；从管理地址发出的流量 |");
    expect(doc).not.toMatch(/\d x \d|[\u4e00-\u9fff]; /);
  });

  test("zh-CN uses one word per term: 实例规格, 设计规约文件, 机架", async () => {
    const { doc } = await renderExample("enterprise-reference.yaml", "zh-CN");
    expect(doc).toContain("实例规格");
    expect(doc).toContain("设计规约文件");
    expect(doc).toContain("机架");
    expect(doc.replace(/实例规格/g, "")).not.toContain("规格");
    expect(doc).not.toContain("机柜");
    expect(doc).not.toMatch(/ rack\b/);
  });

  test("a hostile tenant name appears escaped in HTML and Markdown", async () => {
    const hostile = load(
      variant((s) => {
        s.metadata.customer = "ACME | *Bank*";
        s.tenants = [{ name: "<script>alert(1)</script>", id: "evil" }];
      }),
    ).model;
    const { doc, html } = await render(hostile);
    expect(doc).toContain("\\<script\\>alert(1)\\</script\\>");
    expect(doc).toContain("ACME \\| \\*Bank\\*");
    // (a long word: it may break after ')' and '/', which changes nothing of its escaping)
    expect(html).toContain("&lt;script&gt;alert(1)<wbr>&lt;/<wbr>script&gt;");
    expect(html).not.toContain("<script>");
  });

  test("a backtick in the customer name shows as a backtick in the HTML", async () => {
    // GIVEN
    const model = load(variant((s) => (s.metadata.customer = "ACME `Bank`"))).model;
    // WHEN
    const { doc, html } = await render(model);
    // THEN the Markdown escapes it with a backslash, so it opens no code span
    expect(doc).toContain("ACME \\`Bank\\`");
    expect(doc).not.toContain("&#x60;");
    expect(html).toContain("ACME `Bank`");
    expect(html).not.toContain("&amp;#x60;");
    expect(html).not.toContain("<code>Bank</code>");
  });
});

test("an IPv6 provider network's routers must announce it as managed: the assumptions say so", async () => {
  // GIVEN a provider network of IPv6, whose subnet Neutron serves by DHCPv6 (no address mode)
  const spec = (cidr: string, dhcp?: boolean) =>
    variant((s) => {
      s.network.networks.push({
        name: "prov6",
        role: "provider",
        cidr,
        vlan: 30,
        physicalNetwork: "physnet-ext",
        ...(dhcp === undefined ? {} : { dhcp }),
      });
    });
  const model = load(spec("fd00:30::/64")).model;
  expect(model.networks.find((n) => n.name === "prov6")).toMatchObject({
    ipVersion: 6,
    dhcp: true,
  });
  const { markdown } = await renderArchitecture(model);
  // THEN the assumptions name the network and what its routers must announce
  const told =
    "- The router of the IPv6 provider network (prov6) announces its prefix without the autonomous flag (A), and as managed (M) where Neutron runs DHCPv6:";
  expect(markdown).toContain(told);
  // AND without Neutron's DHCP too: its addresses are still Neutron's, by the config drive
  expect((await renderArchitecture(load(spec("fd00:30::/64", false)).model)).markdown).toContain(
    told,
  );
  // AND an IPv4 provider network asks nothing of the kind
  const v4 = await renderArchitecture(load(spec("10.30.0.0/24")).model);
  expect(v4.markdown).not.toContain("IPv6 provider networks");
  // AND the /64's usable addresses, counted up to a billion, are shown as at least that, the
  // /24's exactly (254 hosts)
  expect(markdown).toMatch(/^\| prov6 \|.*\| \d+ \/ ≥ 1,000,000,000 \|/m);
  // (its free addresses, those outside the DHCP pool, are counted exactly)
  expect(markdown).toMatch(/^\| prov6 \| \d+ \/ ≥ 1,000,000,000 \| 9 \|$/m);
  expect(v4.markdown).toMatch(/^\| prov6 \|.*\| \d+ \/ 254 \|/m);
});

test("a pinned pool shows no CPU allocation ratio: its guests take dedicated CPUs one to one", async () => {
  const { doc } = await renderExample("enterprise-reference.yaml");
  expect(doc).toContain(
    "| zone-b-db | tier: db | 4 | 1 | compute-2s | 192 | 384 | — | 1 | 0 | 376 |",
  );
  expect(doc).toMatch(/^\| zone-a-web \| tier: web \| 6 \| 1 \| compute-2s \| 288 \| 576 \| 4 \|/m);
  // AND it says how Nova fits its guests in the hosts' NUMA nodes: 96 threads, 2 reserved (the
  // first socket's), 752.64 GiB the kernel reports over 2 sockets
  expect(doc).toContain(
    "Pool zone-b-db pins CPUs: Nova gives each guest one NUMA node unless its flavor spans more, and fits each guest node in one host node (a socket; 2 a host, with 46, 48 dedicated CPUs socket by socket, the reserved CPUs being taken from the first sockets, and 376.32 GiB of memory each), overcommitting neither. Its usable CPUs and RAM are each the most its flavors' guests take, mixed as Nova places them: one mix of guests may not reach both.",
  );
});

test("the deployment host runs Kolla-Ansible; cephadm runs on the first Ceph monitor", async () => {
  const { doc } = await renderExample("three-node.yaml");
  expect(doc).toContain("| Deployment host | the first controller runs Kolla-Ansible; outside");
  const withCeph = await renderExample("public-cloud.yaml");
  expect(withCeph.doc).toContain(
    "| Deployment host | the first controller runs Kolla-Ansible; outside",
  );
  const { model } = loadSpecFile(path.join("examples", "public-cloud.yaml"));
  expect(deployFiles(model).get("deploy/README.md")).toContain(
    "# on ceph-01, as root\ncephadm bootstrap",
  );
});

test("a finding whose fix takes another form is translated in that form", async () => {
  // GIVEN devtest-cloud: 3 Swift nodes in 3 zones, where no zone count above 3 fits
  const { doc } = await renderExample("devtest-cloud.yaml", "zh-CN");
  // THEN its Chinese fix asks for more nodes first, not for 5 zones on these 3
  expect(doc).toContain(
    "增加 Swift 存储节点（或为其增加机架），直到 5 个区域能使节点均衡且副本分离",
  );
  expect(doc).not.toContain("为 3 个副本使用 5 个 Swift 区域");
});

test("the block headroom counts backups cinder-backup keeps in Ceph beside the volumes", async () => {
  // GIVEN desktop-cloud, whose backups go to Ceph's backups pool
  const { model } = loadSpecFile(path.join(ROOT, "examples", "desktop-cloud.yaml"));
  const block = model.headroom.blockStorage!;
  expect(model.deploy.cinder.backup?.driver).toBe("ceph");
  const backups = model.tenants.reduce((s, t) => s + t.quota.backupGiB, 0);
  expect(block.backupGiB).toBe(backups);
  // THEN the headroom line names both, and the headroom is what both leave
  const { markdown } = await renderArchitecture(model);
  // (its instance disks are in Ceph too: storage.ephemeral: ceph)
  const disks = block.instanceDiskGiB ?? 0;
  expect(disks).toBeGreaterThan(0);
  const free = ((block.usableGiB - block.quotaGiB - backups - disks) / block.usableGiB) * 100;
  const n = (x: number) => x.toLocaleString("en-US");
  expect(markdown).toContain(
    `Ceph capacity before nearfull: ${n(block.usableGiB)} GiB; volume quotas that can reach it: ${n(block.quotaGiB)} GiB, and backup quotas of the backups cinder-backup keeps there: ${n(backups)} GiB; headroom ${free.toFixed(1)}%.`,
  );
});

test("the host routes say where the internal VIP's answers leave without an external VIP", async () => {
  // GIVEN enterprise-reference without its external VIP, its API network given a gateway
  const spec = parse(
    fs.readFileSync(path.join(ROOT, "examples", "enterprise-reference.yaml"), "utf8"),
  ) as any;
  delete spec.controlPlane.vips.external;
  spec.network.networks.find((n: any) => n.name === "api").gateway = "10.20.1.1";
  const { model } = loadSpecText(JSON.stringify(spec), "spec.json");
  const { markdown } = await renderArchitecture(model);
  // THEN the controllers' row names the API gateway's table, the computes' does not
  expect(markdown).toContain(
    "| Controller | mgmt (10.20.0.1); what leaves from the internal VIP's network (its answers to users) by api (10.20.1.1), by a table of its own | - | 3 |",
  );
  expect(markdown).toContain("| Compute node | mgmt (10.20.0.1) | - | 20 |");
});

test("a device class holding only the backups pool has its headroom line", async () => {
  const model = load(backupsApartFromVolumes({ volumeGiB: 1000, backupGiB: 2000 })).model;
  const hdd = model.headroom.blockStorage!.classes!.find((c) => c.deviceClass === "hdd")!;
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toContain(
    `- hdd OSDs: ${hdd.usableGiB.toLocaleString("en-US")} GiB before nearfull; backup quotas of the backups kept there: 2,000 GiB; headroom `,
  );
});

test("the runbook's cephadm command names an IPv6 registry as it is typed", async () => {
  // GIVEN a registry at an IPv6 address, whose brackets Markdown prose escapes
  const model = load(
    variant((s) => {
      s.controlPlane.containerRegistry = { address: "[fd00::5]:5000" };
      s.storage = { ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } };
    }),
  ).model;
  const { markdown } = await renderArchitecture(model);
  // THEN inside the code span it stays as typed: a backslash there would be part of the command
  expect(markdown).toContain("`cephadm --image [fd00::5]:5000/ceph/ceph:<tag> bootstrap ...`");
});

test("lists of names are separated as the document's language separates them", async () => {
  // GIVEN enterprise-reference's zone-a racks and its controllers
  const zh = (await renderExample("enterprise-reference.yaml", "zh-CN")).doc;
  const en = (await renderExample("enterprise-reference.yaml")).doc;
  // THEN zh-CN lists them with 、 (its punct.list), English with commas
  expect(zh).toContain("机架：a01、a02、a03。");
  expect(en).toContain("Racks: a01, a02, a03.");
});
