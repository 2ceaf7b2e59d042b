import type { ConstructRule } from "../../rule";

/** An RBAC entry for every project (`*`) shares its object with the whole cloud. */
export const noRbacToEveryProject: ConstructRule = {
  id: "SW-SEC-010",
  scope: "construct",
  severity: "error",
  title: "No RBAC entry shares a network, security group or other object with every project",
  help:
    "An RBAC policy whose target_tenant is * lets every project of the cloud use the object: " +
    "attach instances to the network, put ports in the security group, use the QoS policy or " +
    "address scope. The design shares each object with the projects that list it, one entry " +
    "each; a network for everyone says so with shared: true in network.networks.",
  check(node) {
    if (node.kind !== "resource" || node.type !== "openstack_networking_rbac_policy_v2") return [];
    if (String(node.body.target_tenant ?? "").trim() !== "*") return [];
    return [
      {
        target: node.path,
        message: `RBAC entry ${String(node.body.action ?? "")} shares ${String(node.body.object_type ?? "its object")} with every project (target_tenant *)`,
        fix: "name the one project it is for in target_tenant, or declare a network for every project with shared: true in the spec",
      },
    ];
  },
};
