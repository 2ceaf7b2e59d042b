import { parse } from "yaml";
import { BLUEPRINTS } from "../../blueprints/catalog";
import { architectureDocuments } from "../../documents/architecture";
import { terraformInventory } from "../../documents/view-model";
import type { SynthesizedStack } from "../../synth/app";
import { loadSpecFile } from "../../model/load";
import type { Model } from "../../model/types";
import { resourcesOf, ROOT, SEED_BLUEPRINTS } from "../support/blueprints";
import * as path from "path";
import { synthesized } from "../support/synth-cache";
import {
  chronyConfigs,
  keystoneDomainConfigs,
  netplanConfigs,
  swiftRingPlan,
} from "../../artifacts";
import { deployFiles } from "../../deployer";

/** Resource types that only the cloud being built can hold. */
const OVERCLOUD_ONLY =
  /^openstack_(networking|compute_aggregate|compute_flavor|identity|blockstorage|objectstorage|fw_|lb_|sharedfilesystem)/;

describe.each(SEED_BLUEPRINTS)("stages of %s", (name) => {
  const blueprint = BLUEPRINTS.find((b) => b.name === name)!;
  const model: Model = loadSpecFile(path.join(ROOT, blueprint.example)).model;
  let stacks: SynthesizedStack[] = [];
  let json: Record<string, any> = {};
  beforeAll(async () => {
    stacks = await synthesized(blueprint, model, "json");
    json = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)]));
  });

  test("the platform stack creates no compute instance for the cloud's own services", () => {
    expect(resourcesOf(json["platform"], "openstack_compute_instance_v2")).toEqual([]);
    // (no port for a VIP: the only one may be the legacy router's interface on the bridge)
    expect(
      resourcesOf(json["platform"], "openstack_networking_port_v2").map((p: any) => p.name),
    ).toEqual(model.legacyUnix ? [`${model.naming.prefix}-legacy-router`] : []);
  });

  test("a bare-metal stack, when present, talks to the undercloud only and holds every node", () => {
    const baremetal = json["baremetal"];
    if (!model.undercloud) {
      expect(baremetal).toBeUndefined();
      return;
    }
    expect(baremetal.provider.openstack).toEqual([
      { cloud: model.undercloud.cloud, region: model.undercloud.region },
    ]);
    expect(model.undercloud.cloud).not.toBe(model.cloud.cloud);
    expect(Object.keys(baremetal.resource).filter((t) => OVERCLOUD_ONLY.test(t))).toEqual([]);
    const instances = resourcesOf(baremetal, "openstack_compute_instance_v2");
    const byName = (a: string[], b: string[]) => (a[0] < b[0] ? -1 : 1);
    expect(instances.map((i) => [i.name, i.flavor_name]).sort(byName)).toEqual(
      model.nodes.map((n) => [n.name, n.baremetalFlavor]).sort(byName),
    );
    for (const i of instances) {
      const node = model.nodes.find((n) => n.name === i.name)!;
      const userData = parse(i.user_data) as {
        hostname: string;
        fqdn: string;
        write_files: { path: string; content: string }[];
      };
      expect([userData.hostname, userData.fqdn]).toEqual([node.name, node.fqdn]);
      const netplan = parse(
        userData.write_files.find((f) => f.path === "/etc/netplan/60-stackwright.yaml")!.content,
      );
      const planned = node.interfaces.map((f) => `${f.address}/${f.prefixLength}`).sort();
      const written = [
        ...Object.values(netplan.network.bonds ?? {}),
        ...Object.values(netplan.network.vlans ?? {}),
      ]
        .flatMap((d: any) => d.addresses ?? [])
        .sort();
      expect(written).toEqual(planned);
    }
  });

  test("every host an aggregate names is a compute node of that pool", () => {
    for (const a of resourcesOf(json["platform"], "openstack_compute_aggregate_v2")) {
      const pool = a.metadata.pool;
      const computeNodes = model.nodes
        .filter((n) => n.role === "compute" && n.pool === pool)
        .map((n) => n.name);
      expect(a.hosts).toEqual(computeNodes);
      expect(a.hosts.length).toBeGreaterThan(0);
    }
  });

  test("every role of every node has addresses, a BOM line and an HA row", () => {
    const haKinds = new Set(model.ha.map((r) => r.kind));
    const haRowOf: Record<string, (k: string) => boolean> = {
      controller: (k) => k.startsWith("apis-"),
      network: (k) => k.startsWith("l3-") || k.startsWith("ovn-gateways-"),
      compute: (k) => k.startsWith("compute-pool"),
      "ceph-mon": (k) => k === "ceph-monitors",
      "ceph-osd": (k) => k.startsWith("ceph-") && k !== "ceph-monitors",
      "swift-proxy": (k) => k === "swift-proxies",
      "swift-storage": (k) => k === "swift-objects",
      "block-storage": (k) => k.startsWith("block-storage-"),
      deployer: (k) => k.startsWith("deployer-"),
    };
    for (const n of model.nodes) {
      expect(Object.keys(n.addresses).length).toBeGreaterThan(0);
      expect(n.interfaces.map((i) => i.address)).toEqual(
        n.interfaces.map((i) => n.addresses[i.network]),
      );
      for (const role of n.roles) {
        expect(model.inventory.some((r) => r.roles.includes(role))).toBe(true);
        expect([...haKinds].some(haRowOf[role])).toBe(true);
      }
    }
  });

  test("the instructions run kolla-ansible on the inventory and name every config folder", async () => {
    // GIVEN the runbook and the deploy README, and every configuration file synth writes
    const files = await architectureDocuments(
      model,
      terraformInventory(stacks),
      blueprint.designPoints,
    );
    const written = new Map([
      ...keystoneDomainConfigs(model),
      ...chronyConfigs(model),
      ...swiftRingPlan(model),
      ...netplanConfigs(model),
      ...deployFiles(model),
    ]);
    const instructions = `${files.get("RUNBOOK.md")}\n${written.get("deploy/README.md")}`;
    // THEN each kolla-ansible command but install-deps names the inventory (without -i it reads
    // /etc/kolla/ansible/inventory/all-in-one, which nothing installs)
    const commands = [...instructions.matchAll(/kolla-ansible [a-z-]+[^`\n]*/g)].map((m) => m[0]);
    expect(commands.length).toBeGreaterThan(3);
    for (const c of commands.filter((c) => !c.startsWith("kolla-ansible install-deps")))
      expect(c).toContain("-i deploy/kolla/inventory");
    // AND each folder of config/ is named where an operator is told what to do with it
    const folders = new Set(
      [...written.keys()]
        .filter((f) => f.startsWith("config/"))
        .map((f) => f.split("/").slice(0, 2).join("/")),
    );
    for (const folder of folders)
      expect([folder, instructions.includes(folder)]).toEqual([folder, true]);
  });

  test("writes RUNBOOK.md with the stages in order and a lands-in column in en and zh-CN", async () => {
    const inventory = terraformInventory(stacks);
    for (const language of ["en", "zh-CN"] as const) {
      const m = { ...model, metadata: { ...model.metadata, language } };
      const files = await architectureDocuments(m, inventory, blueprint.designPoints);
      const runbook = String(files.get("RUNBOOK.md"));
      const doc = String(files.get("docs/architecture.md"));
      const order = ["1. ", "2. ", "3. ", "4. "].map((n) => runbook.indexOf(`### ${n}`));
      expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]))).toBe(true);
      expect(doc).toContain(runbook.slice(runbook.indexOf("## ")).trim().split("\n")[0]);
      const header = language === "en" ? "| Lands in |" : "| 落地位置 |";
      expect(doc).toContain(header);
      // (a list in a step is joined as the language joins one: 、 in Chinese)
      const services = model.lifecycle
        .flatMap((st) => st.prerequisites)
        .find((i) => i.kind === "services-enabled")?.params.services as string[];
      expect(services.length).toBeGreaterThan(1);
      expect(runbook).toContain(services.join(language === "en" ? ", " : "、"));
      for (const point of blueprint.designPoints) {
        expect(point.landsIn.length).toBeGreaterThan(0);
        const row = doc
          .split("\n")
          .find((l) => l.startsWith(`| ${point.id.replace(/_/g, "\\_")} |`));
        const last = row?.split("|").slice(-2)[0].trim();
        expect(last).toBeTruthy();
      }
    }
  });
});

test("Octavia's service project is given quotas for every amphora the tenants' quotas allow", async () => {
  // GIVEN public-cloud: active-standby load balancers, 26 in the tenants' quotas
  const { model } = loadSpecFile(path.join(ROOT, "examples/public-cloud.yaml"));
  const allowed = model.tenants.reduce((n, t) => n + t.quota.loadBalancers, 0);
  expect([model.controlPlane.octavia?.amphoraePerLoadBalancer, allowed]).toEqual([2, 26]);
  // THEN the tenants' stage asks for the service project's quotas before their stacks, as
  // Nova's defaults (10 instances, 10 server groups) stop the fifth pair
  const tenants = model.lifecycle.find((st) => st.id === "tenants")!;
  expect(tenants.prerequisites).toContainEqual({
    kind: "octavia-service-quotas-pairs",
    params: { loadBalancers: 26, amphorae: 52, amphoraVcpus: 1, amphoraRamGiB: 1 },
  });
  // AND the runbook leaves them to the platform stack, which sets them: no command of its own
  const blueprint = BLUEPRINTS.find((b) => b.name === model.blueprint)!;
  const stacks = await synthesized(blueprint, model, "json");
  const platform = JSON.parse(stacks.find((s) => s.name === "platform")!.content);
  expect(Object.keys(platform.resource.openstack_compute_quotaset_v2)).toHaveLength(1);
  const files = await architectureDocuments(
    model,
    terraformInventory(stacks),
    blueprint.designPoints,
  );
  const runbook = String(files.get("RUNBOOK.md"));
  expect(runbook).toContain(
    "keeps the unlimited Nova and Neutron quotas the platform stack gave it",
  );
  expect(runbook).not.toMatch(/openstack quota set [^`]* service`/);
  // AND a design without Octavia asks for none
  const { model: box } = loadSpecFile(path.join(ROOT, "examples/three-node.yaml"));
  expect(
    box.lifecycle.flatMap((st) => st.prerequisites).some((i) => i.kind.startsWith("octavia-")),
  ).toBe(false);
});
