import type { ConstructRule } from "../../rule";

const DESCRIBED = new Set([
  "openstack_networking_secgroup_v2",
  "openstack_networking_secgroup_rule_v2",
  "openstack_fw_group_v2",
  "openstack_fw_policy_v2",
  "openstack_fw_rule_v2",
]);

/** Reviewers and auditors read why a rule exists in its description. */
export const securityRulesDescribed: ConstructRule = {
  id: "SW-SEC-008",
  scope: "construct",
  severity: "warning",
  title: "Every security group, firewall policy and rule has a description",
  help:
    "A rule nobody can explain is a rule nobody dares to remove. Every security group, security " +
    "group rule and FWaaS group, policy and rule carries a description saying what it allows and " +
    "why; Stackwright derives them from the port matrix.",
  check(node) {
    if (node.kind !== "resource" || !DESCRIBED.has(node.type)) return [];
    const d = node.body.description;
    if (typeof d === "string" && d.trim() !== "") return [];
    return [
      {
        target: node.path,
        message: `${node.type} has no description`,
        fix: "describe what the rule or group allows and why",
      },
    ];
  },
};
