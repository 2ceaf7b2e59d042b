import { findBlueprint } from "../../blueprints/catalog";
import { renderMarkdown } from "../../documents/render";
import { documentViewModel, terraformInventory } from "../../documents/view-model";
import { loadSpecFile } from "../../spec/load";
import { synthesizeTerraform } from "../../synth/app";
import { load, variant } from "../support/fixtures";

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });

async function render(model: ReturnType<typeof loadSpecFile>["model"]) {
  const blueprint = findBlueprint(model.blueprint);
  if (!blueprint) throw new Error("no blueprint");
  const stacks = await synthesizeTerraform(blueprint, model, "json");
  return {
    doc: renderMarkdown("architecture", documentViewModel(model, terraformInventory(stacks)), "en"),
    stacks,
  };
}

describe("architecture document", () => {
  const { model } = loadSpecFile("examples/enterprise-reference.yaml");
  let doc = "";
  let stacks: Awaited<ReturnType<typeof render>>["stacks"] = [];
  beforeAll(async () => {
    ({ doc, stacks } = await render(model));
  });

  test("states the model's capacity figures", () => {
    expect(doc).toContain(`| Schedulable vCPUs | ${fmt(model.capacity.schedulableVcpus)} |`);
    expect(doc).toContain(`| Compute hosts | ${model.capacity.hosts} |`);
    expect(doc).toContain(
      `| Ceph usable capacity (TB) | ${fmt(model.storage.ceph?.usableTB ?? -1)} |`,
    );
    for (const pool of model.pools) {
      expect(doc).toContain(
        `| ${pool.id} | ${pool.purpose.kind}: ${pool.purpose.value} | ${pool.capacity.hosts} |`,
      );
    }
  });

  test("lists the same networks, nodes and zones as the Terraform", () => {
    const tf = JSON.parse(stacks[0].content);
    const subnets = Object.values(tf.resource.openstack_networking_subnet_v2) as { cidr: string }[];
    for (const s of subnets) expect(doc).toContain(`| ${s.cidr} |`);
    for (const n of model.networks)
      expect(doc).toContain(`| ${n.name} | ${n.role} | ${n.cidr} | ${n.vlan ?? ""} |`);
    const aggregates = Object.values(tf.resource.openstack_compute_aggregate_v2) as {
      zone: string;
      hosts: string[];
    }[];
    for (const a of aggregates) {
      expect(doc).toContain(`### Zone ${a.zone}`);
      for (const h of a.hosts) expect(doc).toContain(`| ${h} | compute |`);
    }
    const instances = Object.values(tf.resource.openstack_compute_instance_v2) as {
      name: string;
    }[];
    for (const i of instances)
      expect(doc).toContain(`| ${i.name.replace(/^efg-/, "")} | controller |`);
    expect(doc).toContain(`| **Total** | **${terraformInventory(stacks).total}** |`);
  });

  test("escapes user text", async () => {
    const hostile = load(
      variant((s) => {
        s.metadata.customer = "<script>alert(1)</script> | *bold*";
      }),
    ).model;
    const out = (await render(hostile)).doc;
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\*");
    expect(out).not.toContain("<script>");
  });

  test("renders a zh-CN spec without failing", async () => {
    const zh = load(variant((s) => (s.metadata.language = "zh-CN"))).model;
    expect((await render(zh)).doc).toContain("| 2 |");
  });
});
