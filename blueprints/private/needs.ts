import type { Model } from "../../model/types";
import { objectStore } from "../../core/object-stores";
import { poolStage } from "../../model/pools";
import { DEFAULT_DOMAIN } from "../../model/identity";

/**
 * What a design point relies on, as the spec settings a design lacks when it does not hold: a
 * blueprint describes its reference design, and a spec may leave parts of it out.
 */
export type Needs = (model: Model) => readonly string[];

const unless =
  (holds: (m: Model) => boolean, setting: string): Needs =>
  (m) =>
    holds(m) ? [] : [setting];

/** Every need of the list, in order. */
export const all =
  (...needs: readonly Needs[]): Needs =>
  (m) =>
    needs.flatMap((n) => n(m));

export const ceph = unless((m) => m.storage.ceph !== undefined, "storage.ceph");
export const swift = unless((m) => m.storage.swift !== undefined, "storage.swift");
/** Swift's API served by Swift or by Ceph's RADOS Gateways. */
export const objectStorage = unless(
  (m) => objectStore(m.storage, m.controlPlane.services) !== undefined,
  // (settings, not words: the documents print them in every language)
  "storage.swift | storage.ceph + controlPlane.services: swift",
);
export const service = (name: string): Needs =>
  unless((m) => m.controlPlane.services.includes(name), `controlPlane.services: ${name}`);
export const firewall = unless(
  (m) => m.securityZones.firewall !== undefined,
  "securityZones.firewall",
);
export const networkNodes = unless(
  (m) => m.controlPlane.networkNodes.length > 0,
  "controlPlane.networkNodes ≥ 1",
);
export const noNetworkNodes = unless(
  (m) => m.controlPlane.networkNodes.length === 0,
  "controlPlane.networkNodes: 0",
);
export const ldap = unless(
  (m) => m.identity.domains.some((d) => d.ldap !== undefined),
  "identity.domains[].ldap",
);
export const ntp = unless((m) => m.ntp !== undefined, "ntp");
export const undercloud = unless((m) => m.undercloud !== undefined, "cloud.undercloud");
export const bareMetalControllers = unless(
  (m) => m.controlPlane.deployment === "baremetal",
  "controlPlane.deployment: baremetal",
);
/** Three or more controllers with Galera and a RabbitMQ cluster: the model's `controlPlane.ha`. */
export const haControlPlane = unless(
  (m) => m.controlPlane.ha,
  "controlPlane.controllers ≥ 3 + controlPlane.database: galera + controlPlane.messaging: rabbitmq-cluster",
);
export const singleController = unless(
  (m) => m.controlPlane.controllers.length === 1,
  "controlPlane.controllers: 1",
);
export const cephAcrossRacks = unless(
  // Without Ceph, `ceph` names what is missing.
  // (sites as failure domains hold the copies apart as surely)
  (m) => !m.storage.ceph || m.storage.ceph.failureDomain !== "host",
  "storage.ceph across as many racks as copies",
);
export const versionedContainers = unless(
  (m) => (m.storage.swift?.containers ?? []).some((c) => c.versioning),
  "storage.swift.containers[].versioning",
);
export const imagesOnSwift = unless(
  (m) => m.storage.imageBackend === "swift",
  "storage.image.backend: swift",
);
export const backupsOnSwift = unless(
  (m) => m.storage.backup?.service === "swift",
  "storage.backup.service: swift",
);
export const legacyUnix = unless((m) => m.legacyUnix !== undefined, "legacyUnix");
export const backend = (kind: string): Needs =>
  unless(
    (m) => m.storage.backends.some((b) => b.kind === kind),
    `storage.backends[].kind: ${kind}`,
  );
export const iser = unless(
  (m) => m.storage.backends.some((b) => b.targetProtocol === "iser"),
  "storage.backends[].targetProtocol: iser",
);
export const tenantNetworkType = (type: string): Needs =>
  unless((m) => m.network.tenantNetworkType === type, `network.tenantNetworkType: ${type}`);
export const mechanism = (name: "ovs" | "ovn"): Needs =>
  unless((m) => m.deploy.neutron.mechanism === name, `network.mechanism: ${name}`);
export const imagesOnCeph = unless(
  (m) => m.storage.imageBackend === "ceph",
  "storage.image.backend: ceph",
);
export const disksOnCeph = unless(
  (m) => m.storage.ephemeralBackend === "ceph",
  "storage.ephemeral: ceph",
);
export const backendQos = unless(
  (m) => m.storage.backends.some((b) => b.qos !== undefined),
  "storage.backends[].qos",
);
export const cpuOvercommit = (ratio: number): Needs =>
  unless(
    (m) => m.pools.some((p) => p.cpuAllocationRatio >= ratio),
    `zones[].pools[].cpuAllocationRatio ≥ ${ratio}`,
  );
export const spareHost = unless(
  (m) => m.pools.some((p) => p.capacity.spareHosts > 0),
  "zones[].pools[].spareHosts ≥ 1",
);
export const subnetPool = unless(
  (m) => m.network.tenantSubnetPool !== undefined,
  "network.tenantSubnetPool",
);
export const stackPerTenant = unless(
  (m) => new Set(m.tenants.map((t) => t.stack)).size === m.tenants.length,
  "a Terraform stack per tenant (output.tenantStacks, tenants[].stack)",
);
export const privateFlavors = (stage: string): Needs =>
  unless(
    (m) => m.pools.some((p) => poolStage(p) === stage && p.flavors.some((f) => !f.public)),
    `a private flavor in a ${stage} pool (public: false)`,
  );
export const privateFlavor = unless(
  (m) => m.pools.some((p) => p.flavors.some((f) => !f.public)),
  "a private flavor (zones[].pools[].flavors[].public: false)",
);
export const cpuPinning = unless(
  (m) => m.pools.some((p) => p.cpuPinning),
  "zones[].pools[].cpuPinning",
);
export const ramOvercommit = unless(
  (m) => m.pools.some((p) => p.ramAllocationRatio > 1),
  "zones[].pools[].ramAllocationRatio > 1",
);
/** Every pool keeps a spare host out of what it sells. */
export const spareHostEveryPool = unless(
  (m) => m.pools.every((p) => p.capacity.spareHosts > 0),
  "zones[].pools[].spareHosts ≥ 1 in every pool",
);
/** One compute host and no spare: the smallest footprint. */
export const singleComputeHost = unless(
  (m) => m.capacity.hosts === 1,
  "one compute host (zones[].pools[].hosts: 1)",
);
export const volumeBackends = unless((m) => m.storage.backends.length > 0, "storage.backends");
export const cephBackendQos = unless(
  (m) => m.storage.backends.some((b) => b.kind === "ceph" && b.qos !== undefined),
  "storage.backends[].qos on a Ceph backend",
);
export const userCidrs = unless(
  (m) => m.securityZones.userCidrsDeclared,
  "securityZones.userCidrs",
);
export const externalVip = unless(
  (m) => m.vips.some((v) => v.name === "external"),
  "controlPlane.vips.external",
);
/** A tenant kept from volumes: its volume quota 0. */
export const tenantWithoutVolumes = unless(
  (m) => m.tenants.some((t) => t.quota.volumes === 0),
  "a tenant with quota.volumes: 0",
);
/** Tenants in a Keystone domain of their own, not Keystone's built-in one. */
export const tenantDomain = unless(
  (m) => m.tenants.some((t) => t.domain !== undefined && t.domain !== DEFAULT_DOMAIN),
  "tenants[].domain",
);
/** Tenant networks in overlays (VXLAN, GRE, Geneve), not VLANs or flat. */
export const overlayTenantNetworks = unless(
  (m) => ["vxlan", "gre", "geneve"].includes(m.network.tenantNetworkType),
  "network.tenantNetworkType: vxlan | gre | geneve",
);
export const flatExternal = unless(
  (m) => m.networks.some((n) => n.external && n.networkType === "flat"),
  "a flat external network (network.networks[] of role external without a vlan)",
);
export const flatManagement = unless(
  (m) => m.networks.some((n) => n.role === "management" && n.networkType === "flat"),
  "a flat management network (network.networks[] of role management without a vlan)",
);
