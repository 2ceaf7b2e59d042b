import type { ConstructRule } from "../../rule";

const isSet = (value: unknown) => value !== undefined && value !== null && value !== "";

/** A security group rule without a remote applies to every address. */
export const ruleHasRemote: ConstructRule = {
  id: "SW-SEC-002",
  scope: "construct",
  severity: "error",
  title: "Every security group rule names a remote prefix, a remote group or an address group",
  help:
    "Neutron treats a rule with neither remote_ip_prefix nor remote_group_id as open to every " +
    "address, which is easy to write by accident and hard to spot in review. Name the source (or " +
    "destination) explicitly: a prefix such as 10.0.0.0/24, or a security group.",
  check(node) {
    if (node.kind !== "resource" || node.type !== "openstack_networking_secgroup_rule_v2")
      return [];
    if (
      isSet(node.body.remote_ip_prefix) ||
      isSet(node.body.remote_group_id) ||
      isSet(node.body.remote_address_group_id)
    )
      return [];
    return [
      {
        target: node.path,
        message: `${String(node.body.direction ?? "ingress")} rule without remote_ip_prefix, remote_group_id or remote_address_group_id applies to every address`,
        fix: "set remote_ip_prefix to the allowed network, or remote_group_id to the allowed security group",
      },
    ];
  },
};
