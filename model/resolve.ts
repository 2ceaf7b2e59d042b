import type { NetworkSpec, Spec } from "../spec/schema";
import type { SpecIssue } from "../core/errors";
import { DEFAULTS, ENCAP_OVERHEAD } from "../core/defaults";
import { addressAt, firstHostOffset, parseCidr } from "../core/net";
import { byName, sequence, tenantId } from "../core/naming";
import { allocateNetwork } from "./addressing";
import { cephModel, hardwareModel, poolCapacity, swiftModel } from "./capacity";
import { fitIssues } from "./checks";
import { firewallModel } from "./firewall";
import { haMatrix } from "./ha";
import { resolveIdentity } from "./identity";
import { apiEndpoints, portMatrix } from "./ports";
import { securityGroups } from "./security";
import type {
  HardwareModel,
  IdentityModel,
  LegacyModel,
  Model,
  NetworkModel,
  NetworkRole,
  NodeModel,
  NodeRole,
  PoolModel,
  TenantModel,
  VipModel,
} from "./types";

/** The networks each node role joins, when the network exists. */
export const NODE_NETWORKS: Readonly<Record<NodeRole, readonly NetworkRole[]>> = {
  controller: ["management", "internal-api", "storage", "external"],
  network: ["management", "internal-api", "tunnel", "external"],
  compute: ["management", "internal-api", "tunnel", "storage"],
  "ceph-osd": ["management", "storage", "storage-replication"],
  "swift-proxy": ["management", "internal-api", "storage"],
  "swift-storage": ["management", "storage", "storage-replication"],
};

/** Node roles in inventory order. */
export const ROLE_ORDER: readonly NodeRole[] = [
  "controller",
  "network",
  "compute",
  "ceph-osd",
  "swift-proxy",
  "swift-storage",
];

/** Networks that carry no route to the outside world. */
const ISOLATED_ROLES = new Set<NetworkRole>([
  "management",
  "internal-api",
  "tunnel",
  "storage",
  "storage-replication",
]);

export { byName, sequence, slug } from "../core/naming";

export interface Resolution {
  readonly model: Model;
  readonly issues: SpecIssue[];
}

/**
 * Builds the resolved model from a spec that passed the schema and the semantic rules:
 * inventory, addresses, capacity, port and HA matrices. Allocation problems come back as issues.
 */
export function resolve(spec: Spec): Resolution {
  const issues: SpecIssue[] = [];
  const hardware = new Map<string, HardwareModel>(
    spec.hardware.map((h) => [h.name, hardwareModel(h)]),
  );
  const hw = (name: string) => hardware.get(name) as HardwareModel;

  // Inventory, in a stable order: role, then zone and pool names, then sequence.
  const nodes: {
    name: string;
    role: NodeRole;
    hardware: string;
    zone?: string;
    pool?: string;
    rack?: string;
  }[] = [];
  const allRacks = [...new Set(spec.zones.flatMap((z) => z.racks))].sort();
  const rackOf = (racks: readonly string[], i: number) =>
    racks.length ? racks[i % racks.length] : undefined;
  const push = (
    names: string[],
    role: NodeRole,
    hardwareName: string,
    racks: readonly string[],
    extra: { zone?: string; pool?: string } = {},
  ) => {
    names.forEach((name, i) => {
      const rack = rackOf(racks, i);
      nodes.push({ name, role, hardware: hardwareName, ...extra, ...(rack ? { rack } : {}) });
    });
  };

  const cp = spec.controlPlane;
  const controllers = sequence("ctrl", cp.controllers);
  push(controllers, "controller", cp.hardware, allRacks);
  const networkNodes = sequence("net", cp.networkNodes);
  push(networkNodes, "network", cp.networkNodeHardware ?? cp.hardware, allRacks);

  const zones = [...spec.zones].sort(byName);
  const pools: PoolModel[] = [];
  for (const zone of zones) {
    for (const pool of [...zone.pools].sort(byName)) {
      const id = `${zone.name}-${pool.name}`;
      const hostnames = pool.hostnames ?? sequence(id, pool.hosts);
      push(hostnames, "compute", pool.hardware, pool.racks ?? zone.racks, {
        zone: zone.name,
        pool: id,
      });
      const purposeKind =
        "tier" in pool.purpose ? "tier" : "stage" in pool.purpose ? "stage" : "custom";
      pools.push({
        id,
        name: pool.name,
        zone: zone.name,
        purpose: { kind: purposeKind, value: Object.values(pool.purpose)[0] as string },
        hardware: pool.hardware,
        hostnames,
        cpuAllocationRatio: pool.cpuAllocationRatio,
        ramAllocationRatio: pool.ramAllocationRatio,
        reservedHostCpus: pool.reservedHostCpus,
        reservedHostMemoryGiB: pool.reservedHostMemoryGiB,
        cpuPinning: pool.cpuPinning,
        coupling: pool.coupling,
        flavors: [...pool.flavors].sort(byName).map((f) => ({
          name: f.name,
          vcpus: f.vcpus,
          ramMiB: f.ramGiB * 1024,
          diskGiB: f.diskGiB,
          dedicated: f.dedicated || pool.cpuPinning,
          public: f.public,
        })),
        serverGroups: [...pool.serverGroups].sort(byName),
        capacity: poolCapacity(pool, hw(pool.hardware)),
      });
    }
  }

  const ceph = spec.storage.ceph;
  const cephNodes = ceph ? sequence("ceph", ceph.nodes) : [];
  if (ceph) push(cephNodes, "ceph-osd", ceph.hardware, allRacks);
  const swift = spec.storage.swift;
  const swiftProxies = swift ? sequence("swift-proxy", swift.proxies) : [];
  const swiftStorage = swift ? sequence("swift-obj", swift.storageNodes) : [];
  if (swift) {
    push(swiftProxies, "swift-proxy", swift.proxyHardware, allRacks);
    push(swiftStorage, "swift-storage", swift.storageHardware, allRacks);
  }
  nodes.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));

  // Addresses: every node on every network its role joins.
  const vipList: VipModel[] = [];
  const apiNetwork = findApiNetwork(spec.network.networks);
  const externalNet = spec.network.networks.find((n) => n.role === "external");
  if (apiNetwork)
    vipList.push({ name: "internal", network: apiNetwork.name, address: cp.vips.internal });
  if (cp.vips.external && externalNet) {
    vipList.push({ name: "external", network: externalNet.name, address: cp.vips.external });
  }
  // Controllers run the tunnel endpoints when there are no dedicated network nodes.
  const roleNetworks = (role: NodeRole): readonly NetworkRole[] =>
    role === "controller" && cp.networkNodes === 0
      ? [...NODE_NETWORKS.controller, "tunnel"]
      : NODE_NETWORKS[role];

  const addressesByNode = new Map<string, Record<string, string>>(nodes.map((n) => [n.name, {}]));
  const tenantMtu = spec.network.underlayMtu - ENCAP_OVERHEAD[spec.network.tenantNetworkType];
  const networks: NetworkModel[] = [];
  spec.network.networks.forEach((net, index) => {
    const members = nodes.filter((n) => roleNetworks(n.role).includes(net.role)).map((n) => n.name);
    const vips = vipList.filter((v) => v.network === net.name);
    const alloc = allocateNetwork(net, ["network", "networks", index], members, vips, issues);
    for (const [node, address] of alloc.addresses) {
      (addressesByNode.get(node) as Record<string, string>)[net.name] = address;
    }
    const block = parseCidr(net.cidr);
    networks.push({
      name: net.name,
      role: net.role,
      cidr: net.cidr,
      ipVersion: block.version,
      ...(net.vlan !== undefined ? { vlan: net.vlan } : {}),
      physicalNetwork: net.physicalNetwork ?? DEFAULTS.physicalNetwork,
      networkType: net.vlan !== undefined ? "vlan" : "flat",
      ...(alloc.gateway ? { gateway: alloc.gateway } : {}),
      mtu: net.mtu ?? spec.network.underlayMtu,
      dnsServers:
        net.role === "management" || net.role === "external" || net.role === "provider"
          ? ofVersion(spec.network.dnsServers, block.version)
          : [],
      external: net.role === "external",
      routable: !ISOLATED_ROLES.has(net.role),
      shared: net.shared,
      ...(alloc.allocationPool ? { allocationPool: alloc.allocationPool } : {}),
      reservations: alloc.reservations,
      usableAddresses: alloc.usable,
      allocatedAddresses: alloc.addresses.size,
      ...(net.description ? { description: net.description } : {}),
    });
  });
  networks.sort(byName);

  const nodeModels: NodeModel[] = nodes.map((n) => ({
    ...n,
    addresses: sortKeys(addressesByNode.get(n.name) ?? {}),
  }));

  // Capacity.
  const sum = (f: (p: PoolModel) => number) => round2(pools.reduce((s, p) => s + f(p), 0));
  const capacity = {
    hosts: sum((p) => p.capacity.hosts),
    physicalCores: sum((p) => p.capacity.physicalCores),
    threads: sum((p) => p.capacity.threads),
    schedulableVcpus: sum((p) => p.capacity.schedulableVcpus),
    usableVcpus: sum((p) => p.capacity.usableVcpus),
    dedicatedCpus: sum((p) => p.capacity.dedicatedCpus),
    usableDedicatedCpus: sum((p) => p.capacity.usableDedicatedCpus),
    usableCpus: sum((p) => p.capacity.usableCpus),
    schedulableRamGiB: sum((p) => p.capacity.schedulableRamGiB),
    usableRamGiB: sum((p) => p.capacity.usableRamGiB),
  };

  const cephResolved = ceph ? cephModel(ceph, cephNodes, allRacks.length) : undefined;
  const swiftResolved = swift ? swiftModel(swift, swiftProxies, swiftStorage) : undefined;

  const managementNet = spec.network.networks.find((n) => n.role === "management");
  const ntp = spec.ntp
    ? {
        servers: spec.ntp.servers,
        sources: ntpSources(spec, nodeModels, managementNet?.name),
      }
    : undefined;

  issues.push(...fitIssues(spec, hardware, pools));
  const identity = resolveIdentity(spec);
  const legacyUnix: LegacyModel | undefined = spec.legacyUnix
    ? {
        ...spec.legacyUnix,
        systems: [...spec.legacyUnix.systems].sort(byName),
        flows: [...spec.legacyUnix.flows].sort(byName),
      }
    : undefined;
  const tenants = resolveTenants(spec, identity, issues);
  const ports = portMatrix(spec, identity);

  const model: Model = {
    formatVersion: 1,
    blueprint: spec.blueprint ?? "enterprise-reference",
    metadata: spec.metadata,
    cloud: spec.cloud,
    naming: { prefix: spec.output.namingPrefix },
    sites: [...spec.sites].sort(byName),
    hardware: [...hardware.values()].sort(byName),
    zones: zones.map((z) => ({
      name: z.name,
      ...(z.site ? { site: z.site } : {}),
      racks: [...z.racks].sort(),
      pools: pools.filter((p) => p.zone === z.name).map((p) => p.id),
      hosts: pools.filter((p) => p.zone === z.name).reduce((n, p) => n + p.capacity.hosts, 0),
    })),
    pools,
    networks,
    nodes: nodeModels,
    vips: vipList,
    controlPlane: {
      controllers,
      ha: cp.controllers >= 3,
      deployment: cp.deployment,
      flavor: cp.flavor,
      image: cp.image,
      ...(cp.keyPair ? { keyPair: cp.keyPair } : {}),
      services: [...new Set(cp.services)].sort(),
      loadBalancer: cp.loadBalancer,
      database: cp.database,
      messaging: cp.messaging,
      networkNodes,
    },
    network: {
      underlayMtu: spec.network.underlayMtu,
      tenantNetworkType: spec.network.tenantNetworkType,
      tenantMtu,
      encapsulationOverhead: ENCAP_OVERHEAD[spec.network.tenantNetworkType],
      vniRange: spec.network.vniRange,
      ...(spec.network.tenantVlanRange ? { tenantVlanRange: spec.network.tenantVlanRange } : {}),
      ...(spec.network.tenantPhysicalNetwork
        ? { tenantPhysicalNetwork: spec.network.tenantPhysicalNetwork }
        : {}),
      dnsServers: spec.network.dnsServers,
      ...(spec.network.supernet ? { supernet: spec.network.supernet } : {}),
      ...(spec.network.tenantSubnetPool
        ? {
            tenantSubnetPool: {
              prefixes: spec.network.tenantSubnetPool.prefixes,
              ipVersion: parseCidr(spec.network.tenantSubnetPool.prefixes[0]).version,
              defaultPrefixLength: spec.network.tenantSubnetPool.defaultPrefixLength,
            },
          }
        : {}),
    },
    capacity,
    storage: {
      ...(cephResolved ? { ceph: cephResolved } : {}),
      backends: [...spec.storage.backends].sort(byName).map((b) => ({
        name: b.name,
        kind: b.kind,
        volumeType: b.volumeType,
        volumeBackendName: b.name,
        ...(b.deviceClass ? { deviceClass: b.deviceClass } : {}),
        public: b.public,
        ...(b.qos ? { qos: b.qos } : {}),
        ...(b.description ? { description: b.description } : {}),
      })),
      ...(swiftResolved ? { swift: swiftResolved } : {}),
      imageBackend: spec.storage.image?.backend ?? (ceph ? "ceph" : swift ? "swift" : "file"),
      ephemeralBackend: spec.storage.ephemeral,
      ...(spec.storage.backup
        ? {
            backup:
              spec.storage.backup.service === "swift"
                ? { service: "swift", container: spec.storage.backup.container ?? "backups" }
                : {
                    service: "manila",
                    shareSizeGiB: spec.storage.backup.shareSizeGiB ?? DEFAULTS.backupShareGiB,
                  },
          }
        : {}),
    },
    identity,
    ...(ntp ? { ntp } : {}),
    ...(legacyUnix ? { legacyUnix } : {}),
    securityZones: {
      adminCidrs: spec.securityZones.adminCidrs,
      userCidrs: spec.securityZones.userCidrs,
      ...(spec.securityZones.firewall
        ? {
            firewall: firewallModel(
              spec.securityZones.adminCidrs,
              spec.securityZones.userCidrs,
              legacyUnix,
            ),
          }
        : {}),
    },
    tenants,
    output: spec.output,
    suppressions: spec.suppressions,
    endpoints: apiEndpoints(cp.services),
    ports,
    securityGroups: securityGroups({
      ports,
      networks,
      nodes: nodeModels,
      adminCidrs: spec.securityZones.adminCidrs,
      userCidrs: spec.securityZones.userCidrs,
    }),
    ha: haMatrix({
      controllers: cp.controllers,
      networkNodes: cp.networkNodes,
      loadBalancer: cp.loadBalancer,
      database: cp.database,
      messaging: cp.messaging,
      pools,
      ...(cephResolved ? { ceph: cephResolved } : {}),
      ...(swiftResolved ? { swift: swiftResolved } : {}),
      ...(ntp ? { ntpSources: ntp.servers.length } : {}),
    }),
    inventory: inventory(nodeModels),
  };
  return { model, issues };
}

/** The network the internal VIP and APIs live on. */
export function findApiNetwork(networks: readonly NetworkSpec[]): NetworkSpec | undefined {
  return (
    networks.find((n) => n.role === "internal-api") ?? networks.find((n) => n.role === "management")
  );
}

function ntpSources(spec: Spec, nodes: readonly NodeModel[], management: string | undefined) {
  const servers = spec.ntp?.servers ?? [];
  const controllerAddresses = nodes
    .filter((n) => n.role === "controller")
    .map((n) => (management ? n.addresses[management] : undefined))
    .filter((a): a is string => a !== undefined);
  const clients =
    spec.ntp?.clients === "controllers" && controllerAddresses.length
      ? controllerAddresses
      : servers;
  const sources: Partial<Record<NodeRole, readonly string[]>> = {};
  for (const role of ROLE_ORDER) {
    if (!nodes.some((n) => n.role === role)) continue;
    sources[role] = role === "controller" ? servers : clients;
  }
  return sources;
}

function resolveTenants(spec: Spec, identity: IdentityModel, issues: SpecIssue[]): TenantModel[] {
  const out: TenantModel[] = [];
  spec.tenants.forEach((t, i) => {
    const id = tenantId(t);
    if (!id) {
      issues.push({
        code: "tenant-id-required",
        path: ["tenants", i, "name"],
        severity: "error",
        message: `tenant name ${JSON.stringify(t.name)} gives no identifier for Terraform addresses; set tenants[${i}].id (lowercase letters, digits, '-')`,
      });
      return;
    }
    const typeName = (key: string) =>
      spec.storage.backends.find((b) => b.name === key)?.volumeType ?? key;
    const perVolumeType = Object.fromEntries(
      Object.entries(t.quota.perVolumeType ?? {})
        .map(([key, limits]) => [typeName(key), stripUndefined(limits)] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    const q = { ...DEFAULTS.tenantQuota, ...stripUndefined(t.quota), perVolumeType };
    const block = t.network ? parseCidr(t.network.cidr) : undefined;
    const network =
      t.network && block
        ? {
            cidr: t.network.cidr,
            ipVersion: block.version,
            gateway: addressAt(block, firstHostOffset(block)),
            // A subnet takes DNS servers of its own IP version only.
            dnsServers: ofVersion(t.network.dnsServers ?? spec.network.dnsServers, block.version),
            mtu:
              t.network.mtu ??
              spec.network.underlayMtu - ENCAP_OVERHEAD[spec.network.tenantNetworkType],
          }
        : undefined;
    out.push({
      id,
      name: t.name,
      ...(t.domain ? { domain: t.domain } : {}),
      ...(t.description ? { description: t.description } : {}),
      ...(t.pool ? { pool: t.pool } : {}),
      quota: q,
      groups: identity.assignments
        .filter((a) => a.tenant === id)
        .map((a) => ({
          name: a.group,
          role: a.role,
          ...(a.fromTenantGroups ? {} : { domain: a.groupDomain }),
        })),
      ...(network ? { network } : {}),
      sshCidrs: t.sshCidrs,
      keyPairs: t.keyPairs,
      flavors: t.flavors,
      volumeTypes: t.volumeTypes,
      stack: t.stack ?? (spec.output.tenantStacks === "single" ? "tenants" : `tenant-${id}`),
    });
  });
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The addresses of one IP version. */
function ofVersion(addresses: readonly string[], version: 4 | 6): string[] {
  return addresses.filter((a) => (a.includes(":") ? 6 : 4) === version);
}

function inventory(nodes: readonly NodeModel[]) {
  const counts = new Map<string, { role: NodeRole; hardware: string; count: number }>();
  for (const n of nodes) {
    const key = `${n.role}\u0000${n.hardware}`;
    const row = counts.get(key) ?? { role: n.role, hardware: n.hardware, count: 0 };
    row.count++;
    counts.set(key, row);
  }
  return [...counts.values()].sort(
    (a, b) =>
      ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || (a.hardware < b.hardware ? -1 : 1),
  );
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
