import type { ConstructRule } from "../../rule";

/** Instances get SSH keys, never an administrator password in the configuration and state. */
export const noAdminPass: ConstructRule = {
  id: "SW-SEC-003",
  scope: "construct",
  severity: "error",
  title: "No instance sets admin_pass",
  help:
    "admin_pass sets the instance's root or Administrator password through Nova; it lands in the " +
    "Terraform configuration or state in clear text and gives password logins to anyone who " +
    "reads them. Use key pairs (controlPlane.keyPair, tenants[].keyPairs) and cloud-init instead.",
  check(node) {
    if (node.kind !== "resource" || node.type !== "openstack_compute_instance_v2") return [];
    const pass = node.body.admin_pass;
    if (pass === undefined || pass === null || pass === "") return [];
    return [
      {
        target: node.path,
        message:
          "the instance sets admin_pass: the password is stored in Terraform state in clear text",
        fix: "remove admin_pass and log in with a key pair",
      },
    ];
  },
};
