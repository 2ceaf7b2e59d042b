import type { ConstructRule } from "../../rule";
import type { StackView, TerraformNode } from "../../terraform";

const isController = (node: TerraformNode): boolean =>
  node.kind === "resource" &&
  node.type === "openstack_compute_instance_v2" &&
  (node.body.metadata as Record<string, unknown> | undefined)?.role === "controller";

/** The server groups an instance asks the scheduler to place it in. */
function serverGroupsOf(instance: TerraformNode, stack: StackView): TerraformNode[] {
  const hints = Array.isArray(instance.body.scheduler_hints) ? instance.body.scheduler_hints : [];
  return hints
    .map((h) => stack.resolve((h as Record<string, unknown> | null)?.group))
    .filter((g): g is TerraformNode => g?.type === "openstack_compute_servergroup_v2");
}

/**
 * Controllers deployed as VMs on the undercloud boot into a server group with hard
 * anti-affinity, so one hypervisor failure takes at most one of them.
 */
export const controllerAntiAffinity: ConstructRule = {
  id: "SW-HA-002",
  scope: "construct",
  severity: "error",
  title: "Controllers are placed by a hard anti-affinity server group",
  help:
    "Two controllers on one host turn one host failure into a lost quorum. Every controller " +
    "instance must name, in scheduler_hints, a server group whose policy is anti-affinity " +
    "(soft-anti-affinity is a preference the scheduler may ignore).",
  check(node, stack, model) {
    if (model.controlPlane.controllers.length < 2) return [];
    // Ironic nodes are separate machines; Nova's anti-affinity counts the one nova-compute host
    // they all share and would refuse a second controller. Only controllers as VMs need a group.
    if (model.controlPlane.deployment === "baremetal") return [];
    if (isController(node) && serverGroupsOf(node, stack).length === 0) {
      return [
        {
          target: node.path,
          message:
            "the controller names no server group in scheduler_hints; nothing keeps the controllers on different hosts",
          fix: "place the controllers in a server group with policy anti-affinity (scheduler_hints.group)",
        },
      ];
    }
    if (node.kind !== "resource" || node.type !== "openstack_compute_servergroup_v2") return [];
    const holdsControllers = stack.nodes.some(
      (n) => isController(n) && serverGroupsOf(n, stack).includes(node),
    );
    const policies = Array.isArray(node.body.policies) ? node.body.policies.map(String) : [];
    if (!holdsControllers || policies.includes("anti-affinity")) return [];
    return [
      {
        target: node.path,
        message: `the controllers' server group has policy ${policies.join(", ") || "(none)"}, not anti-affinity`,
        fix: "set the controllers' server group policies to [anti-affinity]",
      },
    ];
  },
};
