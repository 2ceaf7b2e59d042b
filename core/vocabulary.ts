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
  "octavia",
] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

/** Roles Neutron sees as networks (provider networks); the others are the hosts' own VLANs. */
export const NEUTRON_NETWORK_ROLES: ReadonlySet<NetworkRole> = new Set(["external", "provider"]);

/**
 * Roles whose segment crosses Open vSwitch on a physical network: the Neutron networks, and
 * Octavia's amphora management VLAN, which Kolla-Ansible creates in Neutron (amphorae boot on it)
 * while the controllers join it as a host VLAN.
 */
export const PHYSICAL_NETWORK_ROLES: ReadonlySet<NetworkRole> = new Set([
  ...NEUTRON_NETWORK_ROLES,
  "octavia",
]);

export const TENANT_NETWORK_TYPES = ["vxlan", "gre", "geneve", "vlan", "flat"] as const;
export type TenantNetworkType = (typeof TENANT_NETWORK_TYPES)[number];

/**
 * What a server does in the cloud. A node has one primary role (`NodeModel.role`, the line of
 * the bill of materials it is counted under) and may carry more (`NodeModel.roles`): Ceph
 * monitors run on OSD hosts, controllers run the network agents without network nodes, the
 * block-storage and deployer roles fall back to controllers. Consumers map roles through a
 * table and ignore roles they do not know.
 */
export const NODE_ROLES = [
  "controller",
  "network",
  "compute",
  "ceph-mon",
  "ceph-osd",
  "swift-proxy",
  "swift-storage",
  "block-storage",
  "deployer",
] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** Volume backend kinds as their products are written. */
export const BACKEND_KIND_NAMES = {
  ceph: "Ceph",
  glusterfs: "GlusterFS",
  zfs: "ZFS",
  lvm: "LVM",
} as const;
