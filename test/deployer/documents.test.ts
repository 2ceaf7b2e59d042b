import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { architectureDocuments } from "../../documents/architecture";
import { terraformInventory } from "../../documents/view-model";
import { loadSpecFile } from "../../model/load";
import { deployFiles } from "../../deployer";
import { ROOT } from "../support/blueprints";
import { synthesized } from "../support/synth-cache";
import { artifactFiles, loadDesign } from "../../cli/pipeline";
import { SEED_BLUEPRINTS } from "../support/blueprints";
import MarkdownIt from "markdown-it";
import { markdownCode, markdownParagraphs, markdownText } from "../../core/markdown";

describe("the architecture document names the deploy files", () => {
  test("compute, network and storage chapters cite files that exist, with the same values", async () => {
    // GIVEN
    const blueprint = findBlueprint("enterprise-reference");
    const { model } = loadSpecFile(path.join(ROOT, blueprint?.example as string));
    const stacks = await synthesized(blueprint as any, model, "json");
    // WHEN
    const docs = await architectureDocuments(
      model,
      terraformInventory(stacks),
      blueprint?.designPoints ?? [],
      {},
    );
    const doc = String(docs.get("docs/architecture.md"));
    const files = deployFiles(model);
    // THEN every file a chapter names is written
    const named = [...doc.matchAll(/`(deploy\/[^`]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThanOrEqual(8);
    // Two files exist only for some designs; the document says when.
    const conditional: Record<string, boolean> = {
      "deploy/kolla/config/cinder/cinder-volume.conf": model.storage.backends.some(
        (b) => b.kind !== "ceph",
      ),
      "deploy/kolla/config/glance/glance-api.conf": ["swift", "ceph"].includes(
        model.storage.imageBackend,
      ),
    };
    for (const file of named) {
      const pattern = new RegExp(`^${file.replace(/[.]/g, "\\.").replace("<host>", "[^/]+")}$`);
      const exists = [...files.keys()].some((f) => pattern.test(f));
      expect([file, exists]).toEqual([file, conditional[file] ?? true]);
    }
    // and the figures the document cites are the files' figures.
    const pools = files.get("deploy/ceph/pools.sh") as string;
    for (const p of model.storage.ceph?.pools ?? []) {
      expect(doc).toMatch(new RegExp(`\\| ${p.name} \\| [^\\n]*\\| ${p.pgNum} \\|`));
      expect(pools).toContain(`ceph osd pool create ${p.name} ${p.pgNum} ${p.pgNum} `);
    }
    for (const pool of model.pools) {
      const conf = files.get(`deploy/kolla/config/nova/${pool.hostnames[0]}/nova.conf`) as string;
      expect(conf).toContain(`cpu_allocation_ratio = ${pool.cpuAllocationRatio}\n`);
      expect(doc).toMatch(
        new RegExp(
          `\\| ${pool.id} \\|[^\\n]*\\| ${pool.cpuAllocationRatio} \\| ${pool.ramAllocationRatio} \\|`,
        ),
      );
    }
  });
});

describe("the runbook and deploy/README.md give one deployment procedure", () => {
  // GIVEN the reference design (Ceph, Kolla-Ansible) written out as synth writes it
  const blueprint = findBlueprint("enterprise-reference");
  const { model } = loadSpecFile(path.join(ROOT, blueprint?.example as string));
  let runbook = "";
  let readme = "";
  let clusterYaml = "";
  beforeAll(async () => {
    const stacks = await synthesized(blueprint as any, model, "json");
    const docs = await architectureDocuments(model, terraformInventory(stacks), [], {});
    runbook = String(docs.get("RUNBOOK.md"));
    const files = deployFiles(model);
    readme = files.get("deploy/README.md") as string;
    clusterYaml = files.get("deploy/ceph/cluster.yaml") as string;
  });
  const shell = (text: string, after: string) =>
    text.slice(text.indexOf(after)).split("```sh\n")[1].split("\n```")[0].split("\n");

  test("the Ceph bootstrap is written once, in deploy/README.md; the others point there", () => {
    const count = (text: string) => text.split("cephadm bootstrap").length - 1;
    expect([count(readme), count(runbook), count(clusterYaml)]).toEqual([1, 0, 0]);
    expect(readme).toContain(
      "cephadm bootstrap --mon-ip 10.20.3.34 --cluster-network 10.20.4.0/24\n",
    );
    expect(runbook).toContain(
      "- The Ceph cluster runs and Kolla-Ansible has its configuration and keyrings: bootstrap it on ceph-01 with cephadm, apply deploy/ceph/cluster.yaml and run deploy/ceph/pools.sh as deploy/README.md says (section 1).\n",
    );
    expect(clusterYaml).toContain("# Bootstrap on ceph-01 (see deploy/README.md)");
    // AND the commands run where their files are: the specifications copied to the bootstrap
    // host, the cluster's SSH key on every other host before cephadm adds them
    const ceph = shell(readme, "## 1. Ceph");
    const hosts = model.deploy.ceph?.hosts ?? [];
    expect(hosts.map((h) => h.name)).toEqual([
      "ceph-01",
      "ceph-02",
      "ceph-03",
      "ceph-04",
      "ceph-05",
    ]);
    expect(ceph).toEqual([
      "# from the root of the output folder: the specifications and pool script to the bootstrap host",
      `ssh root@${hosts[0].address} mkdir -p stackwright-ceph`,
      `scp deploy/ceph/* root@${hosts[0].address}:stackwright-ceph/`,
      "# on ceph-01, as root",
      "cephadm bootstrap --mon-ip 10.20.3.34 --cluster-network 10.20.4.0/24",
      "# the ceph and rbd commands the next lines and pools.sh run",
      "cephadm install ceph-common",
      "ceph config set global public_network 10.20.3.0/24",
      // (from the deployment host, which logs in to every host; the new cluster cannot)
      "# on the deployment host again: the cluster's SSH key on the other Ceph hosts, which cephadm adds over SSH",
      ...hosts
        .slice(1)
        .map(
          (h) =>
            `ssh root@${hosts[0].address} cat /etc/ceph/ceph.pub | ssh root@${h.address} 'mkdir -p -m 0700 /root/.ssh && cat >> /root/.ssh/authorized_keys'`,
        ),
      "# on ceph-01 again, as root",
      "ceph orch apply -i stackwright-ceph/cluster.yaml",
      "# when `ceph osd tree` shows every OSD up:",
      "sh stackwright-ceph/pools.sh",
    ]);
    // AND the keyrings go from the bootstrap host to the deployment host, where Kolla-Ansible runs
    expect(readme).toContain(
      "Then, on the deployment host, deploy-01, put the cluster's configuration and the keyrings\n",
    );
    expect(readme).toContain(
      `ssh root@${hosts[0].address} ceph config generate-minimal-conf | sed 's/^[[:blank:]]*//' > "$scratch/ceph.conf"\n`,
    );
    // AND every Ceph host has what cephadm needs: containers and LVM, and cephadm itself on the
    // bootstrap host
    expect(readme).toContain(
      "Every Ceph host (ceph-01, ceph-02, ceph-03, ceph-04, ceph-05) runs Podman (or Docker) and has LVM2, and\nceph-01 has cephadm",
    );
    // (the addresses the host specifications give cephadm)
    for (const h of hosts)
      expect(clusterYaml).toContain(`hostname: ${h.name}\naddr: ${h.address}\n`);
  });

  test("Kolla-Ansible runs from /etc/kolla, where passwords.yml is, with the same commands in both", () => {
    // THEN no --configdir points Kolla-Ansible at the output folder, whose passwords.yml is absent
    const kolla = [
      "cp deploy/kolla/globals.yml /etc/kolla/globals.yml",
      "cp -rT deploy/kolla/config /etc/kolla/config",
      "kolla-ansible install-deps",
      "kolla-ansible bootstrap-servers -i deploy/kolla/inventory",
      "kolla-ansible prechecks -i deploy/kolla/inventory",
      "kolla-ansible deploy -i deploy/kolla/inventory",
      "kolla-ansible post-deploy -i deploy/kolla/inventory",
    ];
    expect(shell(runbook, "### 2. ")).toEqual(kolla);
    expect(shell(readme, "## 2. OpenStack (Kolla-Ansible)")).toEqual(kolla);
    // AND deploy/README.md says where Kolla-Ansible 22 wants --use-test-images, which older
    // releases this design may run on do not know
    expect(readme).toContain(
      "With Kolla-Ansible 22.0.0 (2026.1) or later and Kolla's own images (the design names no\nregistry), add `--use-test-images` to `prechecks`: it stops on them otherwise.",
    );
    expect(`${runbook}${readme}`).not.toContain("--configdir deploy");
    expect(runbook).toContain(
      "- passwords.yml is in /etc/kolla, Kolla-Ansible's configuration directory,",
    );
    expect(readme).toContain("to `/etc/kolla/passwords.yml`, make it");
    expect(readme).toContain("yours alone (`chmod 600 /etc/kolla/passwords.yml`");
    expect(runbook).toContain("make it yours alone (`chmod 600 /etc/kolla/passwords.yml`:");
    // AND settings of one's own survive the copy in globals.d, which Kolla-Ansible reads too
    expect(readme).toContain(
      "keep settings of your own (a Manila share backend, say) in\n`/etc/kolla/globals.d/*.yml`",
    );
  });
});

describe("the architecture document names Gnocchi with Ceilometer", () => {
  test("in the HA matrix and the port matrix, in English and Chinese", async () => {
    // GIVEN the public cloud (Ceilometer, Ceph)
    const blueprint = findBlueprint("public-cloud");
    const { model } = loadSpecFile(path.join(ROOT, blueprint?.example as string));
    const expected = {
      en: "| Metric store (Gnocchi) | gnocchi-api behind HAProxy and gnocchi-metricd on every controller, metrics in the Ceph pool gnocchi;",
      "zh-CN":
        "| 指标存储（Gnocchi） | 每台控制节点运行 gnocchi-api（经 HAProxy）和 gnocchi-metricd，指标存于 Ceph 池 gnocchi；",
    };
    for (const language of ["en", "zh-CN"] as const) {
      // WHEN
      const docs = await architectureDocuments(
        { ...model, metadata: { ...model.metadata, language } },
        terraformInventory([]),
        [],
        {},
      );
      const doc = String(docs.get("docs/architecture.md"));
      // THEN
      expect(doc).toContain(expected[language]);
      expect(doc).toContain("| gnocchi-api | 8041 | tcp |");
    }
  });
});

test("deploy/README.md shows the project's name as text, never as Markdown or HTML", () => {
  // GIVEN a project name with raw HTML, an entity, a code span and emphasis
  const project = "PoC <img src=x onerror=alert(1)> &amp; `rm -rf` *bold* [link](x)";
  const { model } = loadSpecFile(path.join(ROOT, findBlueprint("three-node")!.example));
  const readme = deployFiles({ ...model, metadata: { ...model.metadata, project } }).get(
    "deploy/README.md",
  ) as string;
  // WHEN a Markdown renderer reads its heading
  const html = new MarkdownIt({ html: true }).render(readme.split("\n")[0]);
  // THEN it is the name as written, in one heading with no other element
  expect(html).toBe(
    "<h1>Deploying PoC &lt;img src=x onerror=alert(1)&gt; &amp;amp; `rm -rf` *bold* [link](x)</h1>\n",
  );
});

test("user text that starts like a list item stays one paragraph of text", () => {
  const md = new MarkdownIt();
  for (const text of ["- item one", "+ plus", "1. first", "2) second", "  - indented"])
    expect(md.render(markdownText(text))).toBe(`<p>${text.trim()}</p>\n`);
  // (a sign or a number inside the text is left alone)
  expect(markdownText("-5 dB, 1.5 GHz")).toBe("-5 dB, 1.5 GHz");
});

test("user text with lone CRs, rules or list markers on its lines stays paragraphs of text", () => {
  const md = new MarkdownIt();
  // A lone CR ends a line to CommonMark: it must not start a rule, a heading or a list.
  expect(md.render(markdownText("intro\r-----\rInjected chapter\r---"))).toBe(
    "<p>intro ----- Injected chapter ---</p>\n",
  );
  expect(md.render(markdownText("---"))).toBe("<p>---</p>\n");
  // Blank lines part paragraphs (CRLF, LF or CR), the schema's promise for the introduction.
  expect(md.render(markdownParagraphs("First one\r\n\r\n---\r\rThird\nline"))).toBe(
    "<p>First one</p>\n<p>---</p>\n<p>Third line</p>\n",
  );
});

test("code spans keep the text as written, backticks and spaces included", () => {
  // GIVEN names an operator copies from a README: with backticks, at the ends too, and spaces
  const md = new MarkdownIt();
  for (const text of ["prod$(id);`id` 'q\" |x <b>", "`a``b`", " padded ", "plain"]) {
    // WHEN one is written as a code span and read back by a Markdown renderer
    const html = md.renderInline(markdownCode(text));
    // THEN the code element holds exactly that text
    expect(html).toBe(`<code>${md.utils.escapeHtml(text)}</code>`);
  }
});

test.each(SEED_BLUEPRINTS)("%s: deploy/README.md cites only files the synth writes", (name) => {
  // GIVEN the example's configuration outside Terraform, as synth writes it
  const design = loadDesign(path.join(ROOT, findBlueprint(name)!.example));
  const files = artifactFiles(design);
  const readme = files.get("deploy/README.md") as string;
  // THEN every deploy/ or config/ file it names in code is among them
  const cited = [...readme.matchAll(/`((?:deploy|config)\/[^`<>\s]+\.[a-z]+)`/g)].map((m) => m[1]);
  expect(cited.filter((f) => !files.has(f))).toEqual([]);
  // (the Ceph steps, and their script, exactly when the design has Ceph)
  expect(cited.includes("deploy/ceph/pools.sh")).toBe(
    design.loaded.model.deploy.ceph !== undefined,
  );
});

test("a design without Cinder backends cites no Cinder configuration", async () => {
  // GIVEN the three-node example, which has no volume backend
  const blueprint = findBlueprint("three-node")!;
  const { model } = loadSpecFile(path.join(ROOT, blueprint.example));
  expect(model.storage.backends).toEqual([]);
  // WHEN its architecture document is written
  const stacks = await synthesized(blueprint, model, "json");
  const docs = await architectureDocuments(
    model,
    terraformInventory(stacks),
    blueprint.designPoints,
  );
  // THEN it names no Cinder file, and those it names for storage are written
  const doc = String(docs.get("docs/architecture.md"));
  expect(doc).not.toContain("deploy/kolla/config/cinder/");
  expect(doc).toContain("`deploy/kolla/globals.yml`");
  expect(deployFiles(model).has("deploy/kolla/globals.yml")).toBe(true);
});
