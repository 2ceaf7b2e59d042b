import type { Model } from "./types";
import { BACKEND_KIND_NAMES } from "../core/vocabulary";

/** How the documents name a tenant network type. */
const NETWORK_TYPES = { vxlan: "VXLAN", gre: "GRE", geneve: "Geneve", vlan: "VLAN", flat: "flat" };

/**
 * Fills the model's figures into fixed prose (blueprint design points), so a document never
 * claims what the design does not build: `{cidr:<role>}` becomes the CIDR of the design's network
 * of that role ("no <role> network" where it has none), `{backends}` its Cinder backends with
 * their kinds, `{tenantNetworks}` the type of its tenant networks.
 */
export function withFigures(text: string, model: Model): string {
  const list = model.metadata.language === "zh-CN" ? "、" : ", ";
  return text
    .replace(/\{cidr:([a-z-]+)\}/g, (_, role: string) => {
      const network = model.networks.find((n) => n.role === role);
      return network ? network.cidr : `no ${role} network`;
    })
    .replace(/\{backends\}/g, () =>
      model.storage.backends.length
        ? model.storage.backends.map((b) => `${b.name} (${BACKEND_KIND_NAMES[b.kind]})`).join(list)
        : "none",
    )
    .replace(/\{tenantNetworks\}/g, () => NETWORK_TYPES[model.network.tenantNetworkType]);
}
