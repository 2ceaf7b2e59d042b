import type { ConstructRule } from "../../rule";
import { asBool, literalText } from "../../private/targets";

/** A network is every project's only where the design declares it shared. */
export const noUndeclaredSharedNetwork: ConstructRule = {
  id: "SW-SEC-011",
  scope: "construct",
  severity: "error",
  title: "No network is shared with every project unless the design declares it shared",
  help:
    "A network with shared: true lets every project attach instances and ports to it, past the " +
    "routers and firewalls that separate tenants; on the external network, straight onto the " +
    "public VLAN. Only provider networks the spec marks shared are; the others reach the " +
    "tenants that list them through one RBAC entry each.",
  check(node, stack, model) {
    if (node.kind !== "resource" || node.type !== "openstack_networking_network_v2") return [];
    if (asBool(node.body.shared) !== true) return [];
    // The design's network at this address, by the name the design gave it (a hand edit may
    // rename another network after a shared one).
    const designed = stack.designed(node);
    const named = designed?.name ?? node.body.name;
    const name = typeof named === "string" ? literalText(named) : node.name;
    const prefix = model.output.namingPrefix;
    const declared =
      designed !== undefined &&
      model.networks.some((n) => n.shared && (name === n.name || name === `${prefix}-${n.name}`));
    if (declared) return [];
    return [
      {
        target: node.path,
        message: `network ${name} is shared with every project, which the design does not declare`,
        fix: "set shared to false and share it with the projects that need it (tenants[].providerNetworks), or mark it shared: true in network.networks",
      },
    ];
  },
};
