// Declares the cdktf matchers on jest's expect.
import "cdktf/lib/testing/adapters/jest";
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { ComputeInstanceV2 } from "../../.gen/providers/openstack/compute-instance-v2";
import { ComputeServergroupV2 } from "../../.gen/providers/openstack/compute-servergroup-v2";
import { BareMetalNodes } from "../../constructs/bare-metal-nodes";
import { nodeUserData } from "../../artifacts/netplan";
import { synthStack } from "../support/synth";
import { load, variant, vmControllers } from "../support/fixtures";
import { renderArchitecture } from "../support/documents";
import type { Model } from "../../model/types";

Testing.setupJest();

const model = load(
  variant((s) => {
    s.cloud.undercloud = { cloud: "under", image: "img-${var.x}", keyPair: "ops" };
    s.controlPlane.flavor = "bm-%{ctrl}";
  }),
).model;
const userData = Object.fromEntries(model.nodes.map((n) => [n.name, nodeUserData(model, n)]));

/** The design's servers as the bare-metal stack declares them (another design's, given one). */
const synthNodes = (
  more: { controllersAsVms?: boolean; controllerImage?: string } = {},
  of: Model = model,
) =>
  synthStack(
    (s) =>
      new BareMetalNodes(s, "nodes", {
        nodes: of.nodes,
        undercloud: of.undercloud!,
        userData:
          of === model
            ? userData
            : Object.fromEntries(of.nodes.map((n) => [n.name, nodeUserData(of, n)])),
        namingPrefix: "sw",
        ...more,
      }),
  );

describe("BareMetalNodes", () => {
  test("provisions one instance per node, named by its host name, on the provisioning network", () => {
    // GIVEN / WHEN
    const out = synthNodes();
    // THEN
    const instances = Object.values(JSON.parse(out).resource.openstack_compute_instance_v2);
    expect(instances).toHaveLength(model.nodes.length);
    expect(out).toHaveResourceWithProperties(ComputeInstanceV2, {
      name: "ctrl-01",
      // User text stays literal for Terraform.
      flavor_name: "bm-%%{ctrl}",
      image_name: "img-$${var.x}",
      key_pair: "ops",
      config_drive: true,
      network: [{ name: "provisioning" }],
      metadata: {
        role: "controller",
        roles: "controller,network,deployer",
        fqdn: "ctrl-01.sw.internal",
        rack: "r1",
      },
      // (no spec edit replaces a deployed machine: Ironic would wipe it, and cannot resize it;
      // no prevent_destroy, which would stop every plan after a failed, tainted deploy)
      lifecycle: {
        ignore_changes: [
          "image_name",
          "image_id",
          "flavor_name",
          "flavor_id",
          "key_pair",
          "config_drive",
          "network",
          "user_data",
          "scheduler_hints",
          "hypervisor_hostname",
          "power_state",
        ],
      },
      timeouts: { create: "90m", delete: "60m" },
    });
    expect(out).toHaveResourceWithProperties(ComputeInstanceV2, {
      name: "az2-app-01",
      flavor_name: "baremetal-cmp",
    });
    expect(out).not.toHaveResource(ComputeServergroupV2);
  });

  test("deploys a host on the Ironic node the spec names, so it stands in its planned rack", () => {
    // GIVEN az1-web-01 pinned to its machine (Nova names an Ironic node's hypervisor by UUID,
    // in lowercase)
    const pinned = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.hosts = [
          {
            name: "az1-web-01",
            addresses: {},
            baremetalNode: "0B6C9A2E-5F3D-4C8E-9A1B-2C3D4E5F6A7B",
          },
        ];
      }),
    ).model;
    const out = synthStack(
      (s) =>
        new BareMetalNodes(s, "nodes", {
          nodes: pinned.nodes,
          undercloud: pinned.undercloud!,
          userData: Object.fromEntries(pinned.nodes.map((n) => [n.name, "#cloud-config\n"])),
          namingPrefix: "sw",
        }),
    );
    // THEN it asks Nova for that node; the others take any free node of their flavor
    expect(out).toHaveResourceWithProperties(ComputeInstanceV2, {
      name: "az1-web-01",
      hypervisor_hostname: "0b6c9a2e-5f3d-4c8e-9a1b-2c3d4e5f6a7b",
    });
    const others = Object.values(JSON.parse(out).resource.openstack_compute_instance_v2).filter(
      (i: any) => i.name !== "az1-web-01",
    );
    expect(others.every((i: any) => i.hypervisor_hostname === undefined)).toBe(true);
    // AND the others of its hardware profile wait for it to claim its node, which they could
    // take first (it would then find none); those of other profiles do not wait
    const instance = JSON.parse(out).resource.openstack_compute_instance_v2;
    const keyOf = (name: string) => Object.keys(instance).find((k) => instance[k].name === name)!;
    const web02 = instance[keyOf("az1-web-02")];
    expect(web02.depends_on).toEqual([`openstack_compute_instance_v2.${keyOf("az1-web-01")}`]);
    expect(instance[keyOf("az1-web-01")].depends_on).toBeUndefined();
    const ctrl = pinned.nodes.find((n) => n.role === "controller")!;
    expect(instance[keyOf(ctrl.name)].depends_on).toBeUndefined();
    // AND the runbook says who may choose a node, and how many are left to chance
    const items = pinned.lifecycle.find((st) => st.id === "baremetal")?.prerequisites ?? [];
    expect(items.find((i) => i.kind === "baremetal-nodes-free")?.params).toEqual({
      free: pinned.nodes.length - 1,
      cloud: "under",
    });
    // AND the provisioning network comes before the nodes, which Ironic cleans on it when they
    // are made available; each flavor names the resource class of its nodes' hardware profile
    const kinds = items.map((i) => i.kind);
    expect(kinds.indexOf("provisioning-network")).toBeLessThan(kinds.indexOf("undercloud-ironic"));
    expect(items.find((i) => i.kind === "undercloud-ironic")?.params.profiles).toEqual([
      "cmp",
      "ctrl",
    ]);
    expect(items.find((i) => i.kind === "baremetal-flavors")?.params.flavors).toEqual([
      "baremetal-cmp (resources:CUSTOM_CMP=1)",
      "bm-ctrl (resources:CUSTOM_CTRL=1)",
    ]);
    // AND the deployment waits for every server's first boot, which Terraform does not
    const deploy = pinned.lifecycle.find((st) => st.id === "deploy")?.prerequisites ?? [];
    expect(deploy[0].kind).toBe("first-boot-done");
  });

  test("keeps only attributes the provider's compute instance has", () => {
    // GIVEN the provider's schema, as Terraform validates ignore_changes against it
    const schema = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, "..", "..", "providers", "openstack", "schema.json"),
        "utf8",
      ),
    );
    const block = (Object.values(schema.provider_schemas)[0] as any).resource_schemas
      .openstack_compute_instance_v2.block;
    const names = new Set([
      ...Object.keys(block.attributes),
      ...Object.keys(block.block_types ?? {}),
    ]);
    const out = synthNodes();
    const instance = Object.values(JSON.parse(out).resource.openstack_compute_instance_v2)[0] as {
      lifecycle: { ignore_changes: string[] };
    };
    // THEN every kept attribute is one of its attributes or blocks
    expect(instance.lifecycle.ignore_changes.filter((a) => !names.has(a))).toEqual([]);
    // AND every argument the stack sets that a server cannot change in place is kept
    for (const arg of [
      "image_name",
      "flavor_name",
      "key_pair",
      "config_drive",
      "network",
      "user_data",
    ])
      expect(instance.lifecycle.ignore_changes).toContain(arg);
  });

  test("places controllers that run as VMs in a hard anti-affinity group", () => {
    const out = synthNodes({ controllersAsVms: true });
    expect(out).toHaveResourceWithProperties(ComputeServergroupV2, {
      name: "sw-controllers",
      policies: ["anti-affinity"],
    });
    const instances = Object.values(JSON.parse(out).resource.openstack_compute_instance_v2) as {
      name: string;
      scheduler_hints?: unknown;
    }[];
    expect(instances.filter((i) => i.scheduler_hints).map((i) => i.name)).toEqual([
      "ctrl-01",
      "ctrl-02",
      "ctrl-03",
    ]);
  });

  test("boots controllers that run as VMs with their own image, the servers with the undercloud's", async () => {
    const out = synthNodes({ controllersAsVms: true, controllerImage: "ubuntu-24.04-vm" });
    const instances = Object.values(JSON.parse(out).resource.openstack_compute_instance_v2) as {
      name: string;
      image_name: string;
    }[];
    const images = new Map(instances.map((i) => [i.name, i.image_name]));
    expect(images.get("ctrl-01")).toBe("ubuntu-24.04-vm");
    expect(
      instances
        .filter((i) => !i.name.startsWith("ctrl-"))
        .every((i) => i.image_name === "img-$${var.x}"),
    ).toBe(true);
    // AND a VM says no rack of the design, which its hypervisor is not in
    const vmModel = load(
      vmControllers((s) => {
        s.cloud.undercloud.image = "metal-image";
        s.controlPlane.image = "vm-image";
      }),
    ).model;
    // (a controller running as a VM stands in no rack of the design: the model gives it none)
    expect(vmModel.nodes.find((n) => n.name === "ctrl-01")?.rack).toBeUndefined();
    const vmOut = synthNodes({ controllersAsVms: true }, vmModel);
    const vmInstances = Object.values(JSON.parse(vmOut).resource.openstack_compute_instance_v2) as {
      name: string;
      metadata: Record<string, string>;
    }[];
    const racked = new Set(vmModel.nodes.filter((n) => n.rack && !n.virtual).map((n) => n.name));
    expect(racked.size).toBeGreaterThan(0);
    for (const i of vmInstances)
      expect([i.name, "rack" in i.metadata]).toEqual([i.name, racked.has(i.name)]);
    // AND the model says which image the controllers boot: theirs, as VMs
    expect([vmModel.controlPlane.image, vmModel.undercloud?.image]).toEqual([
      "vm-image",
      "metal-image",
    ]);
    // AND the runbook asks for both images in the undercloud's Glance, as whole-disk images of
    // the nodes' boot mode, and for flavors whose own disk is not 0 (which only admins may boot)
    expect(vmModel.lifecycle.flatMap((st) => st.prerequisites)).toContainEqual({
      kind: "undercloud-image",
      params: { image: ["metal-image", "vm-image"], images: 2 },
    });
    const { markdown } = await renderArchitecture(vmModel);
    expect(markdown).toContain(
      "Images metal-image, vm-image are in the undercloud's Glance, as whole-disk images for Ironic",
    );
    expect(markdown).toContain(
      "Each flavor's own disk is not 0 and at least its image's min_disk: Nova lets only admins boot an image on a flavor of disk 0 (os_compute_api:servers:create:zero_disk_flavor)",
    );
  });

  test("fails when a node has no user data", () => {
    expect(() =>
      synthStack(
        (s) =>
          new BareMetalNodes(s, "nodes", {
            nodes: model.nodes,
            undercloud: model.undercloud!,
            userData: {},
            namingPrefix: "sw",
          }),
      ),
    ).toThrow(/no user data for ctrl-01, ctrl-02/);
  });
});
