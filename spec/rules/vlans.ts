import { type Spec } from "../schema";
import { DEFAULTS } from "../../core/defaults";
import { Findings } from "./findings";

export function vlans(spec: Spec, f: Findings) {
  const seen = new Map<string, number>();
  spec.network.networks.forEach((n, i) => {
    if (n.vlan === undefined) return;
    const key = `${n.physicalNetwork ?? DEFAULTS.physicalNetwork}/${n.vlan}`;
    const first = seen.get(key);
    if (first !== undefined) {
      f.error(
        "vlan-duplicate",
        ["network", "networks", i, "vlan"],
        `VLAN ${n.vlan} on ${n.physicalNetwork ?? DEFAULTS.physicalNetwork} is already used by network ${spec.network.networks[first].name}`,
      );
    } else seen.set(key, i);
  });
  const range = spec.network.tenantVlanRange;
  if (range) {
    if (range.min > range.max)
      f.error(
        "vlan-range",
        ["network", "tenantVlanRange"],
        `min ${range.min} is above max ${range.max}`,
      );
    const phys = spec.network.tenantPhysicalNetwork ?? DEFAULTS.physicalNetwork;
    spec.network.networks.forEach((n, i) => {
      if (
        n.vlan !== undefined &&
        (n.physicalNetwork ?? DEFAULTS.physicalNetwork) === phys &&
        n.vlan >= range.min &&
        n.vlan <= range.max
      ) {
        f.error(
          "vlan-in-tenant-range",
          ["network", "networks", i, "vlan"],
          `VLAN ${n.vlan} of network ${n.name} lies inside the tenant VLAN range ${range.min}-${range.max} on ${phys}`,
        );
      }
    });
  }
}
