import type { Model } from "./types";

/**
 * Fills the model's figures into fixed prose (blueprint design points): `{cidr:<role>}` becomes
 * the CIDR of the design's network of that role, so a document never prints an address the design
 * does not use. A role the design lacks reads as "no <role> network".
 */
export function withFigures(text: string, model: Model): string {
  return text.replace(/\{cidr:([a-z-]+)\}/g, (_, role: string) => {
    const network = model.networks.find((n) => n.role === role);
    return network ? network.cidr : `no ${role} network`;
  });
}
