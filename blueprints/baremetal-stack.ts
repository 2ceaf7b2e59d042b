import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { Model } from "../model/types";
import { CloudStack } from "../synth/stack";
import { BareMetalNodes } from "../constructs/bare-metal-nodes";
import { nodeUserData } from "../artifacts/netplan";

/** Name of the stack that provisions the servers on the undercloud. */
export const BAREMETAL_STACK = "baremetal";

/**
 * The bare-metal stage: every node of every role provisioned on the undercloud, through the
 * undercloud's clouds.yaml entry only; nothing in it touches the cloud being built.
 */
export function addBareMetalStack(app: Construct, model: Model): CloudStack {
  const uc = model.undercloud;
  if (!uc) throw new Error("addBareMetalStack needs a model with an undercloud");
  const stack = new CloudStack(app, BAREMETAL_STACK, {
    model,
    description: `Bare metal: the ${model.nodes.length} servers of the cloud, provisioned by the undercloud ${uc.cloud}`,
    cloud: { cloud: uc.cloud, region: uc.region },
  });
  const nodes = new BareMetalNodes(stack, "nodes", {
    nodes: model.nodes,
    undercloud: uc,
    userData: Object.fromEntries(model.nodes.map((n) => [n.name, nodeUserData(model, n)])),
    namingPrefix: model.naming.prefix,
    controllersAsVms: model.controlPlane.deployment === "vm",
    controllerImage: model.controlPlane.image,
  });
  new TerraformOutput(stack, "node_ids", {
    value: Object.fromEntries(Object.entries(nodes.instances).map(([k, v]) => [k, v.id])),
    description: "Undercloud instance id of each server by host name",
  });
  return stack;
}
