import { type Spec } from "../schema";
import { Findings } from "./findings";
import { PHYSICAL_NETWORK_ROLES } from "../../core/vocabulary";

/**
 * `physicalNetwork` names the Neutron physical network of external, provider and octavia networks;
 * on a network only the hosts use, nothing reads it, so a value there would mislead a reader.
 */
export function physicalNetworks(spec: Spec, f: Findings) {
  spec.network.networks.forEach((n, i) => {
    if (n.physicalNetwork === undefined || PHYSICAL_NETWORK_ROLES.has(n.role)) return;
    f.warn(
      "physical-network-ignored",
      ["network", "networks", i, "physicalNetwork"],
      `network ${n.name} (role ${n.role}) is host networking, not a Neutron network, so physicalNetwork ${n.physicalNetwork} has no effect; remove it`,
    );
  });
}
