/** Closed vocabularies the spec schema validates and the model's types are written in. */

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];

export const NETWORK_ROLES = [
  "management",
  "internal-api",
  "tunnel",
  "storage",
  "storage-replication",
  "external",
  "provider",
] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

export const TENANT_NETWORK_TYPES = ["vxlan", "gre", "geneve", "vlan", "flat"] as const;
export type TenantNetworkType = (typeof TENANT_NETWORK_TYPES)[number];
