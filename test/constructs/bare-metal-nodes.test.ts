// Declares the cdktf matchers on jest's expect.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { ComputeInstanceV2 } from "../../.gen/providers/openstack/compute-instance-v2";
import { ComputeServergroupV2 } from "../../.gen/providers/openstack/compute-servergroup-v2";
import { BareMetalNodes } from "../../constructs/bare-metal-nodes";
import { nodeUserData } from "../../artifacts/netplan";
import { synthStack } from "../support/synth";
import { load, variant } from "../support/fixtures";

Testing.setupJest();

const model = load(
  variant((s) => {
    s.cloud.undercloud = { cloud: "under", image: "img-${var.x}", keyPair: "ops" };
    s.controlPlane.flavor = "bm-%{ctrl}";
  }),
).model;
const userData = Object.fromEntries(model.nodes.map((n) => [n.name, nodeUserData(model, n)]));

describe("BareMetalNodes", () => {
  test("provisions one instance per node, named by its host name, on the provisioning network", () => {
    // GIVEN / WHEN
    const out = synthStack(
      (s) =>
        new BareMetalNodes(s, "nodes", {
          nodes: model.nodes,
          undercloud: model.undercloud!,
          userData,
          namingPrefix: "sw",
        }),
    );
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
      // (no spec edit replaces a deployed machine: Ironic would wipe it, and cannot resize it)
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

  test("places controllers that run as VMs in a hard anti-affinity group", () => {
    const out = synthStack(
      (s) =>
        new BareMetalNodes(s, "nodes", {
          nodes: model.nodes,
          undercloud: model.undercloud!,
          userData,
          namingPrefix: "sw",
          controllersAsVms: true,
        }),
    );
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
