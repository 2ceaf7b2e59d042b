import { type Spec } from "../schema";
import { Findings } from "./findings";

/**
 * Every tagged network rides the hosts' trunk bond (`bond0.<vlan>`), and provider segments the
 * hosts do not join ride the trunk too unless their physical network has a bond of its own: one
 * VLAN id, one network, whatever physical network names the spec gives them.
 */
export function vlans(spec: Spec, f: Findings) {
  const seen = new Map<number, number>();
  spec.network.networks.forEach((n, i) => {
    if (n.vlan === undefined) return;
    const first = seen.get(n.vlan);
    if (first !== undefined) {
      f.error(
        "vlan-duplicate",
        ["network", "networks", i, "vlan"],
        `VLAN ${n.vlan} is already used by network ${spec.network.networks[first].name} (network.networks[${first}].vlan); tagged networks share the hosts' trunk, so each needs a VLAN of its own`,
      );
    } else seen.set(n.vlan, i);
  });
  const range = spec.network.tenantVlanRange;
  if (range) {
    if (range.min > range.max)
      f.error(
        "vlan-range",
        ["network", "tenantVlanRange"],
        `min ${range.min} is above max ${range.max}`,
      );
    // Conservative: the tenant physical network's bridge usually sits on the trunk as well. Only
    // VLAN tenant networks take VLANs from the range (otherwise it is warned as unused).
    if (spec.network.tenantNetworkType !== "vlan") return;
    spec.network.networks.forEach((n, i) => {
      if (n.vlan !== undefined && n.vlan >= range.min && n.vlan <= range.max) {
        f.error(
          "vlan-in-tenant-range",
          ["network", "networks", i, "vlan"],
          `VLAN ${n.vlan} of network ${n.name} lies inside the tenant VLAN range ${range.min}-${range.max}; tenant VLANs and tagged networks share the hosts' trunk, so keep them apart`,
        );
      }
    });
  }
}
