import type { NetworkSpec, Spec } from "../spec/schema";
import type { SpecIssue } from "../core/errors";
import { AMPHORA_FLAVOR, DEFAULTS, DEFAULT_USER_CIDRS } from "../core/defaults";
import {
  addressAt,
  canonicalAddress,
  canonicalCidr,
  contains,
  isPrivateAddress,
  firstHostOffset,
  formatCidr,
  isValidCidr,
  offsetOf,
  ofVersion,
  parseCidr,
  tooBroad,
  within,
} from "../core/net";
import { isIP } from "net";
import {
  byName,
  networkCloudName,
  networkStackName,
  openstackName,
  pgSchemaName,
  stableId,
  tenantId,
  poolId,
} from "../core/naming";
import { NEUTRON_NETWORK_ROLES, PHYSICAL_NETWORK_ROLES } from "../core/vocabulary";
import { allocateNetwork, compactPrefixes, enterpriseServerAddresses } from "./addressing";
import {
  cephModel,
  cephMonitorCount,
  hardwareModel,
  pinnedNumaNodes,
  pinnedPerHost,
  poolCapacity,
  storageServed,
  swiftModel,
  swiftRingLayout,
  volumeServerDisks,
} from "./capacity";
import {
  heavyRegion,
  unevenRegion,
  heavyZone,
  ringLostWithPlace,
  type RingLoss,
  ringNodes,
  copyCounts,
  zonesOfPlace,
  type RingLayout,
} from "../core/swift-ring";
import {
  backupQuotaIssues,
  cephMemoryIssues,
  fitIssues,
  localDiskIssues,
  segmentRangeIssues,
  volumeQuotaIssues,
} from "./checks";
import {
  backupContainer,
  backupStoragePolicy,
  imageBackend,
  objectStore,
} from "../core/object-stores";
import {
  CEPH_MAX_PGS_PER_OSD,
  CEPH_MIN_POOL_PGS,
  cephPoolApplications,
  backendPool,
  cephPoolFor,
  defaultCephPools,
  type CephApplication,
} from "../core/ceph-pools";
import {
  CRUSH_ROOT,
  deployModel,
  deviceConflictIssues,
  physnets,
  servedPhysicalNetworks,
  untaggedSegmentIssues,
  cinderBackupDriver,
} from "./deploy";
import { firewallModel, legacyGroupOf, legacyGroups, legacyRules } from "./firewall";
import { hostDomain, HOSTED_BACKENDS } from "../spec/hosts";
import { classDisksPerHost } from "../core/ceph-disks";
import {
  hostNetworking,
  gatewaysJoinApi,
  networksOfNode,
  planNodes,
  pxeNativeVlanIssues,
  controllerVmNetworkIssues,
  frameSizeIssues,
  ROLE_ORDER,
  untaggedMtuIssues,
  nodeZones,
} from "./nodes";
import { cephVolumeHosts, volumeHostsMode } from "../core/volume-hosts";
import { rackGroups, switchPlan } from "./switches";
import { lifecycle } from "./lifecycle";
import {
  baremetalFlavorIssues,
  fixedAddressIssues,
  quorumSiteIssues,
  bootDiskHintIssues,
  undercloudSiteIssues,
} from "./host-checks";
import { haMatrix, withEtcdRow } from "./ha";
import { resolveIdentity } from "./identity";
import {
  blockHeadroom,
  instanceDiskQuota,
  cephVolumeQuota,
  designFacts,
  isTenantPool,
  poolSize,
  type DesignFacts,
} from "./design-facts";
import { apiEndpoints, portMatrix, SSH_PORT } from "./ports";
import { SENSITIVE_PORTS, securityGroups } from "./security";
import {
  DEFAULT_GROUP_RULES,
  subnetServicePorts,
  neutronMechanism,
  NEW_GROUP_EGRESS_RULES,
  overlayFigures,
  ovnRelayPlan,
} from "../core/neutron";
import { someOf } from "../core/lists";
import { lastPort, portIn, portText, type PortSpan } from "../core/port-range";
import type {
  CephModel,
  CephPoolModel,
  HardwareModel,
  IdentityModel,
  InventoryRow,
  LegacyModel,
  SwiftModel,
  Model,
  NetworkModel,
  NetworkRole,
  NodeModel,
  SiteModel,
  NodeRole,
  NtpModel,
  PoolModel,
  ReplyTable,
  RoleAssignmentModel,
  SecurityGroupModel,
  SecurityRuleModel,
  TenantBaseRuleModel,
  TenantModel,
  TenantServiceModel,
  TenantSshSource,
  VipModel,
} from "./types";

/** The routing table of a host's answers from its management address (netplan routing-policy). */
export const MANAGEMENT_ROUTING_TABLE = 100;
/** The routing table of a host's answers from its default route's network (netplan routing-policy). */
export const DEFAULT_ROUTING_TABLE = 101;
/** The routing table of the internal VIP's answers to users, without an external VIP. */
export const API_ROUTING_TABLE = 102;
/** Cinder's quota value for no limit. */
const UNLIMITED = -1;

export { NODE_NETWORKS, ROLE_ORDER } from "./nodes";
export { sequence } from "../core/naming";

/** Networks that carry no route to the outside world. */
const ISOLATED_ROLES = new Set<NetworkRole>([
  "management",
  "internal-api",
  "tunnel",
  "storage",
  "storage-replication",
  "octavia",
]);

/**
 * Networks that exist in Neutron: routers and instances attach to them. The control plane's own
 * VLANs are host networking (netplan, Kolla's *_interface variables), as in Kayobe, where only
 * the external networks are mapped to Neutron: a Neutron network on an infrastructure VLAN would
 * put DHCP and router ports on segments whose hosts address themselves statically.
 */

export { byName, slug } from "../core/naming";

export interface Resolution {
  /** Allocation and fit problems; every one is found before the derived facts. */
  readonly issues: SpecIssue[];
  /**
   * The whole model. Its derived facts (port matrix, security groups, HA, deploy plan,
   * lifecycle, design facts) are worked out on the first call, only for a spec without issues.
   */
  readonly model: () => Model;
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

  const cp = spec.controlPlane;
  const ceph = spec.storage.ceph;
  const cephMonitors = ceph ? cephMonitorCount(ceph.nodes) : 0;
  const nodes = planNodes(spec, cephMonitors);
  const networkHosts = nodes.filter((n) => n.roles.includes("network")).length;
  const namesOf = (role: NodeRole) => nodes.filter((n) => n.role === role).map((n) => n.name);
  const controllers = namesOf("controller");
  const networkNodes = namesOf("network");

  const zones = [...spec.zones].sort(byName);
  const listedFlavors = new Set(spec.tenants.flatMap((t) => t.flavors));
  // The aggregate's hosts are exactly the pool's compute nodes, in node order.
  const computeOf = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.role !== "compute" || n.pool === undefined) continue;
    const names = computeOf.get(n.pool);
    if (names) names.push(n.name);
    else computeOf.set(n.pool, [n.name]);
  }
  const pools: PoolModel[] = [];
  for (const zone of zones) {
    for (const pool of [...zone.pools].sort(byName)) {
      const id = poolId(zone.name, pool.name);
      const hostnames = computeOf.get(id) ?? [];
      const purposeKind =
        "tier" in pool.purpose ? "tier" : "stage" in pool.purpose ? "stage" : "custom";
      pools.push({
        id,
        name: pool.name,
        zone: zone.name,
        purpose: {
          kind: purposeKind,
          value:
            "tier" in pool.purpose
              ? pool.purpose.tier
              : "stage" in pool.purpose
                ? pool.purpose.stage
                : pool.purpose.custom,
          ...("tier" in pool.purpose && "stage" in pool.purpose
            ? { stage: pool.purpose.stage }
            : {}),
        },
        hardware: pool.hardware,
        hostnames,
        cpuAllocationRatio: pool.cpuAllocationRatio,
        ramAllocationRatio: pool.ramAllocationRatio,
        reservedHostCpus: pool.reservedHostCpus,
        reservedHostMemoryGiB: pool.reservedHostMemoryGiB,
        cpuPinning: pool.cpuPinning,
        coupling: pool.coupling,
        flavors: [...pool.flavors].sort(byName).map((f) => {
          const dedicated = f.dedicated || pool.cpuPinning;
          const size = { vcpus: f.vcpus, ramMiB: f.ramGiB * 1024 };
          const reserved = [pool.reservedHostCpus, pool.reservedHostMemoryGiB] as const;
          const numaNodes = dedicated
            ? pinnedNumaNodes(size, ...reserved, hw(pool.hardware))
            : undefined;
          return {
            name: f.name,
            ...size,
            diskGiB: f.diskGiB,
            dedicated,
            ...(numaNodes !== undefined
              ? {
                  numaNodes,
                  perHost: pinnedPerHost(size, numaNodes, ...reserved, hw(pool.hardware)),
                }
              : {}),
            // A flavor tenants list is theirs alone: private, granted to each of them.
            public: f.public ?? !listedFlavors.has(f.name),
            ...(f.accelerators && Object.keys(f.accelerators).length
              ? {
                  accelerators: Object.entries(f.accelerators)
                    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                    .map(([name, count]) => ({ name, count })),
                }
              : {}),
          };
        }),
        serverGroups: [...pool.serverGroups].sort(byName),
        // (Octavia's amphorae, kept here, take no devices: the pool's CPUs are not the devices')
        capacity: poolCapacity(pool, hw(pool.hardware), {
          deviceFreeGuests:
            cp.services.includes("octavia") &&
            isTenantPool({ name: pool.name, id }, cp.octaviaPool),
          localDisks: spec.storage.ephemeral === "local",
          volumes: cp.services.includes("cinder"),
        }),
      });
    }
  }

  const cephNodes = namesOf("ceph-osd");
  const swift = spec.storage.swift;
  const swiftProxies = namesOf("swift-proxy");
  const swiftStorage = namesOf("swift-storage");
  const blockStorageHosts = nodes
    .filter((n) => n.roles.includes("block-storage"))
    .map((n) => n.name);
  const cephOnBlockHosts =
    cephVolumeHosts(
      spec.storage.backends.map((b) => b.kind),
      spec.storage.blockStorageNodes !== undefined,
    ) === "block-storage";
  // The hosts running cinder-volume for a backend: the one place this is decided.
  const volumeHostsOf = (kind: string) =>
    HOSTED_BACKENDS.has(kind) || (kind === "ceph" && cephOnBlockHosts)
      ? blockStorageHosts
      : controllers;
  // Kolla runs one cinder-volume per host for all its backends, and Cinder clusters it only
  // when every backend is Ceph: beside others, each host keeps the Ceph volumes it made (the HA
  // table's row; a shared backend_host would let one host's restart reset another's work).
  const backendKinds = spec.storage.backends.map((b) => b.kind);
  const cephVolumeHostCount = volumeHostsOf("ceph").length;
  const otherKinds = [...new Set(backendKinds.filter((k) => k !== "ceph"))];
  if (
    backendKinds.includes("ceph") &&
    volumeHostsMode(backendKinds, cephVolumeHostCount) === "independent"
  )
    issues.push({
      code: "ceph-volumes-unclustered",
      path: ["storage", "backends"],
      severity: "warning",
      message: `the Ceph backends share cinder-volume with ${otherKinds.join(" and ")} backends on ${cephVolumeHostCount} hosts, and Cinder clusters it only when every backend is Ceph: each host serves the Ceph volumes it made, which cannot be extended, deleted, snapshotted or newly attached while it is down; keep only Ceph backends for an active/active volume service, or accept it (the HA table lists it)`,
    });

  // Addresses: every node on every network its role joins.
  const vipList: VipModel[] = [];
  const apiNetwork = findApiNetwork(spec.network.networks);
  const externalNet = spec.network.networks.find((n) => n.role === "external");
  const prefixOf = (n: NetworkSpec) => Number(n.cidr.split("/")[1]);
  if (apiNetwork)
    vipList.push({
      name: "internal",
      network: apiNetwork.name,
      address: cp.vips.internal,
      prefixLength: prefixOf(apiNetwork),
    });
  if (cp.vips.external && externalNet) {
    vipList.push({
      name: "external",
      network: externalNet.name,
      address: cp.vips.external,
      prefixLength: prefixOf(externalNet),
    });
  }
  // A node joins the networks of every role it carries (controllers without network nodes
  // thereby join the tunnel network).
  const rgwGateways = gatewaysJoinApi(spec);
  const joins = new Map(
    nodes.map((n) => [
      n.name,
      networksOfNode(n.roles, cp.vips.external !== undefined, rgwGateways),
    ]),
  );
  // Fixed addresses are kept only when every one of them fits; otherwise the issues say why.
  const fixedIssues = fixedAddressIssues(spec);
  issues.push(
    ...fixedIssues,
    ...undercloudSiteIssues(spec, nodes),
    ...baremetalFlavorIssues(spec, nodes),
    ...bootDiskHintIssues(spec, nodes),
  );
  const fixed = new Map(
    fixedIssues.some((i) => i.severity === "error")
      ? []
      : // (as Neutron, netplan's readers and the documents write them: IPv6 compressed)
        spec.hosts.map((h) => [
          h.name,
          Object.fromEntries(
            Object.entries(h.addresses).map(([net, address]) => [net, canonicalAddress(address)]),
          ),
        ]),
  );

  const addressesByNode = new Map<string, Record<string, string>>(nodes.map((n) => [n.name, {}]));
  const overlay = overlayFigures(spec.network);
  const tenantMtu = overlay.tenantMtu;
  const networks: NetworkModel[] = [];
  // The amphora VLAN goes where the routers' segments go: network hosts bridge one physical
  // network per bond, so a name of its own would need a bond of its own.
  const amphoraPhysnet =
    spec.network.networks
      .filter((n) => NEUTRON_NETWORK_ROLES.has(n.role))
      .map((n) => n.physicalNetwork ?? DEFAULTS.physicalNetwork)
      .sort()[0] ??
    spec.network.tenantPhysicalNetwork ??
    DEFAULTS.physicalNetwork;
  // (the first by name, kept so that a running cloud's amphora network stays where it is; said
  // where it is not the external network's, on whose physical network the routers' segments go)
  const amphoraNetwork = spec.network.networks.findIndex((n) => n.role === "octavia");
  const external = spec.network.networks.find((n) => n.role === "external");
  const externalPhysnet = external && (external.physicalNetwork ?? DEFAULTS.physicalNetwork);
  if (
    amphoraNetwork >= 0 &&
    spec.network.networks[amphoraNetwork].physicalNetwork === undefined &&
    external &&
    externalPhysnet !== amphoraPhysnet
  )
    issues.push({
      code: "octavia-physnet-default",
      path: ["network", "networks", amphoraNetwork],
      severity: "warning",
      message: `the octavia network ${spec.network.networks[amphoraNetwork].name} names no physical network and takes ${amphoraPhysnet}, the first by name of the external and provider networks', not ${externalPhysnet} of the external network ${external.name}, where the routers' segments go; set its physicalNetwork to the one whose bond should carry the amphora VLAN`,
    });
  const enterpriseAddresses = enterpriseServerAddresses(spec);
  spec.network.networks.forEach((net, index) => {
    const members = nodes.filter((n) => joins.get(n.name)?.has(net.role)).map((n) => n.name);
    const vips = vipList.filter((v) => v.network === net.name);
    const pinned = new Map<string, string>();
    for (const m of members) {
      const address = fixed.get(m)?.[net.name];
      if (address !== undefined) pinned.set(m, address);
    }
    const held = [
      ...(spec.legacyUnix?.network === net.name
        ? [
            {
              address: spec.legacyUnix.nextHop,
              purpose: "legacyUnix.nextHop",
              kind: "legacy-next-hop" as const,
            },
          ]
        : []),
      ...enterpriseAddresses,
    ];
    const alloc = allocateNetwork(
      net,
      ["network", "networks", index],
      members,
      vips,
      issues,
      pinned,
      held,
    );
    for (const [node, address] of alloc.addresses) {
      (addressesByNode.get(node) as Record<string, string>)[net.name] = address;
    }
    const block = parseCidr(net.cidr);
    // The legacy router takes the gateway's address on a port: the subnet offers no default route.
    const routerPort = spec.legacyUnix?.network === net.name && !spec.legacyUnix.subnetGateway;
    const neutron = NEUTRON_NETWORK_ROLES.has(net.role);
    const amphorae = net.role === "octavia";
    // Without a pool, Kolla and Terraform give Neutron the whole subnet: its DHCP would hand out
    // the hosts' and VIPs' addresses.
    const sized = () =>
      issues.some(
        (i) => i.code === "subnet-too-small" && i.path[2] === index && i.path[0] === "network",
      );
    // Neutron's gateway check refuses an IPv4 subnet's first and last addresses as its gateway:
    // on a /31 or /32 that is every address (check_gateway_invalid_in_subnet).
    if (neutron && block.version === 4 && block.prefix >= 31 && !sized())
      issues.push({
        code: "subnet-too-small",
        path: ["network", "networks", index, "cidr"],
        severity: "error",
        message: `${net.cidr} has no address Neutron takes as the gateway of network ${net.name}'s subnet (it refuses an IPv4 subnet's first and last addresses, which are all a /${block.prefix} has); use a /30 or larger prefix`,
      });
    else if ((net.role === "provider" || amphorae) && !alloc.allocationPool && !sized())
      issues.push({
        code: "subnet-too-small",
        path: ["network", "networks", index, "cidr"],
        severity: "error",
        message: `${net.cidr} leaves no free addresses for Neutron's DHCP pool after the hosts, VIPs and gateway of network ${net.name}; use a larger prefix`,
      });
    // The pool's first addresses go to Neutron's own ports: a DHCP port per agent serving the
    // network (two with agent HA), or OVN's metadata port (IPv4 subnets with DHCP only); instances
    // need one more at least. Without DHCP Neutron takes none.
    const pool = alloc.allocationPool;
    const mechanism = neutronMechanism(spec.network);
    const ownPorts = subnetServicePorts(mechanism, block.version, networkHosts);
    if (net.role === "provider" && net.dhcp !== false && ownPorts > 0 && pool && !sized()) {
      const size = offsetOf(block, pool.end) - offsetOf(block, pool.start) + 1n;
      if (size <= BigInt(ownPorts))
        issues.push({
          code: "subnet-too-small",
          path: ["network", "networks", index, "cidr"],
          severity: "error",
          message: `${net.cidr} leaves ${size} ${size === 1n ? "address" : "addresses"} (${pool.start === pool.end ? pool.start : `${pool.start}-${pool.end}`}) for Neutron's DHCP pool of network ${net.name}, and ${mechanism === "ovn" ? "OVN's metadata port takes one" : ownPorts > 1 ? `its ${ownPorts} DHCP agents' ports take ${ownPorts}` : "its DHCP agent's port takes one"}: none is left for an instance; use a larger prefix, or widen the pool with network.networks[${index}].allocationRange`,
        });
    }
    // An octavia network without the octavia service is only warned about: it stays host-only.
    const crossesOvs =
      PHYSICAL_NETWORK_ROLES.has(net.role) &&
      (!amphorae || spec.controlPlane.services.includes("octavia"));
    networks.push({
      name: net.name,
      role: net.role,
      cidr: canonicalCidr(net.cidr),
      ipVersion: block.version,
      ...(net.vlan !== undefined ? { vlan: net.vlan } : {}),
      ...(crossesOvs
        ? {
            physicalNetwork:
              net.physicalNetwork ?? (amphorae ? amphoraPhysnet : DEFAULTS.physicalNetwork),
          }
        : {}),
      networkType: net.vlan !== undefined ? "vlan" : "flat",
      neutron,
      // Floating IPs need no DHCP; provider-network instances (unless the segment has a DHCP
      // server of its own) and amphorae take theirs from Neutron.
      dhcp: net.role === "provider" ? (net.dhcp ?? true) : amphorae,
      ...(alloc.gateway && !routerPort ? { gateway: alloc.gateway } : {}),
      mtu: net.mtu ?? spec.network.underlayMtu,
      dnsServers:
        net.role === "management" || net.role === "external" || net.role === "provider"
          ? ofVersion(spec.network.dnsServers, block.version)
          : [],
      external: net.role === "external",
      routable: !ISOLATED_ROLES.has(net.role),
      shared: net.shared,
      tenants:
        net.role === "provider"
          ? spec.tenants.flatMap((t) => {
              const id = t.providerNetworks.includes(net.name) ? tenantId(t) : undefined;
              return id ? [id] : [];
            })
          : [],
      ...((neutron || amphorae) && alloc.allocationPool
        ? { allocationPool: alloc.allocationPool }
        : {}),
      reservations: routerPort
        ? alloc.reservations.map((r) =>
            r.kind === "gateway"
              ? { address: r.address, purpose: "legacy router", kind: "legacy-router" as const }
              : r,
          )
        : alloc.reservations,
      usableAddresses: alloc.usable,
      allocatedAddresses: alloc.addresses.size,
      ...(net.description ? { description: net.description } : {}),
    });
  });
  issues.push(...flatNetworkIssues(networks, spec));
  networks.sort(byName);

  const domain = hostDomain(spec);
  const uc = spec.cloud.undercloud;
  const undercloud = uc
    ? {
        cloud: uc.cloud,
        region: uc.region,
        image: uc.image ?? cp.image,
        network: uc.network,
        ...((uc.keyPair ?? cp.keyPair) ? { keyPair: uc.keyPair ?? cp.keyPair } : {}),
        ...(uc.packageMirror ? { packageMirror: uc.packageMirror } : {}),
        ...(uc.packageProxy ? { packageProxy: uc.packageProxy } : {}),
      }
    : undefined;
  // VLAN tenant networks ride one physical network: the declared one, else the first by name of
  // the Neutron networks' (the deploy plan bridges it, the documents name it). Flat gives
  // projects no network, so nothing of theirs rides one.
  const tenantType = spec.network.tenantNetworkType;
  const tenantPhysicalNetwork =
    tenantType === "vlan"
      ? (spec.network.tenantPhysicalNetwork ??
        networks
          .flatMap((n) => (n.neutron && n.physicalNetwork ? [n.physicalNetwork] : []))
          .sort()[0])
      : undefined;
  const network: Model["network"] = {
    underlayMtu: spec.network.underlayMtu,
    tenantNetworkType: spec.network.tenantNetworkType,
    tenantMtu,
    encapsulationOverhead: overlay.overhead,
    tunnelMtu: overlay.pathMtu,
    overlayIpVersion: overlay.ipVersion,
    ...(overlay.neutronPathMtu < spec.network.underlayMtu
      ? { pathMtu: overlay.neutronPathMtu }
      : {}),
    vniRange: spec.network.vniRange,
    ...(spec.network.tenantVlanRange ? { tenantVlanRange: spec.network.tenantVlanRange } : {}),
    ...(tenantPhysicalNetwork ? { tenantPhysicalNetwork } : {}),
    dnsServers: spec.network.dnsServers.map(canonicalAddress),
    ...(spec.network.supernet ? { supernet: spec.network.supernet } : {}),
    ...(spec.network.tenantSubnetPool
      ? {
          tenantSubnetPool: {
            prefixes: compactPrefixes(spec.network.tenantSubnetPool.prefixes),
            ipVersion: parseCidr(spec.network.tenantSubnetPool.prefixes[0]).version,
            defaultPrefixLength: spec.network.tenantSubnetPool.defaultPrefixLength,
          },
        }
      : {}),
  };
  const physicalNetworks = physnets({ networks, network });
  const reportedHardware = new Set<string>();
  const externalName = networks.find((n) => n.external)?.name;
  const management = networks.find((n) => n.role === "management");
  const managementName = management?.name;
  const identity = resolveIdentity(spec);
  // The enterprise's services the hosts call by address: DNS, time and directory servers.
  const enterpriseServices = [
    ...new Set(
      [
        ...spec.network.dnsServers,
        ...(spec.ntp?.servers ?? []),
        ...identity.domains.flatMap((d) => d.ldap?.servers.map((s) => s.host) ?? []),
      ]
        .filter((a) => isIP(a) !== 0)
        .map(canonicalAddress),
    ),
  ];
  const enterpriseBlocks = spec.network.enterpriseCidrs
    .filter(isValidCidr)
    .map((c) => ({ text: canonicalCidr(c), block: parseCidr(c) }));
  // Nova reports an Ironic node's hypervisor by its UUID in lowercase.
  const machineOf = new Map(
    spec.hosts.flatMap((h) =>
      h.baremetalNode ? [[h.name, h.baremetalNode.toLowerCase()] as const] : [],
    ),
  );
  const reachOf = new Map<string, (address: string) => boolean>();
  const siteAt = sitePlaces(spec);
  const nodeModels: NodeModel[] = nodes.map((n) => {
    // Controllers as VMs stand where the undercloud's hypervisors are, which the design does
    // not place: in no rack of its own, at a site only where it has one.
    const virtual = n.role === "controller" && spec.controlPlane.deployment === "vm";
    const rack = virtual ? undefined : n.rack;
    const site = siteAt({ ...(rack ? { rack } : {}), ...(n.zone ? { zone: n.zone } : {}) });
    const addresses = sortKeys(addressesByNode.get(n.name) ?? {});
    const hwIndex = spec.hardware.findIndex((h) => h.name === n.hardware);
    const served = servedPhysicalNetworks(n.roles, physicalNetworks);
    const { interfaces, links } = hostNetworking(
      addresses,
      networks,
      served,
      spec.hardware[hwIndex] ?? { name: n.hardware },
      hwIndex,
      issues,
      reportedHardware,
      // (the external network without an external VIP, or on a network node: Neutron's, on the
      // node's ports; an untagged provider network its bridges serve, whose segment takes ports
      // of its own unless a network the node stands on shares its physical network, and so its
      // bond)
      networks.filter(
        (net) =>
          !addresses[net.name] &&
          ((networksOfNode(n.roles, true, rgwGateways).has(net.role) &&
            !joins.get(n.name)?.has(net.role)) ||
            (net.external && n.roles.includes("network")) ||
            (net.role === "provider" &&
              net.vlan === undefined &&
              served.some(
                (p) =>
                  p.networks.includes(net.name) &&
                  !p.networks.some((o) => o !== net.name && addresses[o] !== undefined),
              ))),
      ),
    );
    const gatewayNet = [externalName, managementName]
      .map((name) => networks.find((net) => net.name === name))
      .find((net) => net?.gateway && addresses[net.name]);
    const apiNet = networks.find(
      (net) => net.name === vipList.find((v) => v.name === "internal")?.network,
    );
    const joined = networks.filter((net) => addresses[net.name] && isValidCidr(net.cidr));
    const connected = (a: string) => joined.some((net) => contains(parseCidr(net.cidr), a));
    // A host whose default route leaves by another network (the controllers' external one)
    // reaches the enterprise's services by the management gateway, and answers from its
    // management address that way too (a routing table of its own): else both would leave by
    // the public gateway.
    const viaManagement =
      gatewayNet &&
      management?.gateway &&
      gatewayNet.name !== management.name &&
      addresses[management.name]
        ? management
        : undefined;
    const sameFamily = (a: string, net: { cidr: string }) =>
      a.includes(":") === net.cidr.includes(":");
    const replyTable = (
      net: { name: string; cidr: string },
      via: string,
      table: number,
    ): ReplyTable => ({
      network: net.name,
      from: net.cidr,
      via,
      table,
      onLink: joined
        .filter((j) => sameFamily(j.cidr, net))
        .map((j) => ({ network: j.name, to: j.cidr })),
    });
    // The enterprise's networks first; a server in one needs no route of its own.
    const blocks = viaManagement
      ? enterpriseBlocks.filter((b) => sameFamily(b.text, viaManagement))
      : [];
    const routes = viaManagement
      ? [
          ...blocks.map((b) => b.text),
          ...enterpriseServices
            .filter(
              (a) =>
                sameFamily(a, viaManagement) &&
                !connected(a) &&
                !blocks.some((b) => contains(b.block, a)),
            )
            .map((a) => `${a}/${a.includes(":") ? 128 : 32}`),
        ].map((to) => ({
          to,
          via: viaManagement.gateway as string,
          network: viaManagement.name,
        }))
      : [];
    // A server address the host reaches: on a network it joins, of its default route's version,
    // or of management's when the enterprise's servers go by the management gateway.
    reachOf.set(
      n.name,
      (a) =>
        connected(a) ||
        (gatewayNet?.gateway !== undefined && sameFamily(a, gatewayNet)) ||
        (viaManagement !== undefined && sameFamily(a, viaManagement)),
    );
    // Each DNS server on the link that reaches it: systemd-resolved sends a link's queries out
    // of that link only (IP_UNICAST_IF), whatever the routes say.
    const nameservers = spec.network.dnsServers.flatMap((address) => {
      const network =
        joined.find((net) => contains(parseCidr(net.cidr), address)) ??
        (viaManagement && sameFamily(address, viaManagement) ? viaManagement : undefined) ??
        (gatewayNet?.gateway && sameFamily(address, gatewayNet) ? gatewayNet : undefined);
      return network ? [{ address, network: network.name }] : [];
    });
    return {
      name: n.name,
      fqdn: `${n.name}.${domain}`,
      role: n.role,
      roles: n.roles,
      hardware: n.hardware,
      ...(n.zone ? { zone: n.zone } : {}),
      ...(n.pool ? { pool: n.pool } : {}),
      ...(rack ? { rack } : {}),
      addresses,
      interfaces,
      links,
      ...(gatewayNet?.gateway
        ? { defaultGateway: { network: gatewayNet.name, address: gatewayNet.gateway } }
        : {}),
      nameservers,
      routes,
      // What leaves from a network's addresses goes by its gateway, a VIP keepalived puts there
      // too (the whole subnet); the host's own subnets stay on-link in that table, else its
      // neighbours there would be reached through the gateway.
      ...(viaManagement
        ? {
            managementReplies: replyTable(
              viaManagement,
              viaManagement.gateway as string,
              MANAGEMENT_ROUTING_TABLE,
            ),
          }
        : {}),
      // Without an external VIP users call the internal one: its answers, and the controllers' own
      // from that network, go back by its gateway, not by the default route (asymmetric, dropped
      // by a stateful firewall on the way).
      ...(apiNet?.gateway &&
      !cp.vips.external &&
      n.roles.includes("controller") &&
      addresses[apiNet.name] &&
      apiNet.name !== gatewayNet?.name
        ? { apiReplies: replyTable(apiNet, apiNet.gateway, API_ROUTING_TABLE) }
        : {}),
      // The enterprise's blocks may hold clients of the external VIP: its answers to them go
      // back the way they came, not by the management route.
      ...(viaManagement && gatewayNet?.gateway && blocks.some((b) => sameFamily(b.text, gatewayNet))
        ? { defaultReplies: replyTable(gatewayNet, gatewayNet.gateway, DEFAULT_ROUTING_TABLE) }
        : {}),
      baremetalFlavor: n.baremetalFlavor,
      ...(machineOf.has(n.name) ? { baremetalNode: machineOf.get(n.name) as string } : {}),
      ...(virtual ? { virtual: true as const } : {}),
      ...(site ? { site } : {}),
    };
  });
  const siteOf: ReadonlyMap<string, string> = new Map(
    nodeModels.flatMap((n) => (n.site ? [[n.name, n.site] as const] : [])),
  );

  issues.push(
    ...dnsReachIssues(nodeModels, spec),
    ...quorumSiteIssues(nodeModels),
    ...segmentRangeIssues(spec, networkHosts),
  );

  // Capacity.
  const sum = (f: (p: PoolModel) => number) => round2(pools.reduce((s, p) => s + f(p), 0));
  const capacity = {
    // Nova's availability zones: the zones with pools (a zone of racks only makes no aggregate).
    availabilityZones: new Set(pools.map((p) => p.zone)).size,
    hosts: sum((p) => p.capacity.hosts),
    physicalCores: sum((p) => p.capacity.physicalCores),
    threads: sum((p) => p.capacity.threads),
    schedulableVcpus: sum((p) => p.capacity.schedulableVcpus),
    usableVcpus: sum((p) => p.capacity.usableVcpus),
    dedicatedCpus: sum((p) => p.capacity.dedicatedCpus),
    usableDedicatedCpus: sum((p) => p.capacity.usableDedicatedCpus),
    usableCpus: sum((p) => p.capacity.usableCpus),
    ...(pools.some((p) => p.capacity.diskBound && !p.capacity.diskBound.caps)
      ? { imageBootCpus: sum((p) => p.capacity.diskBound?.usableCpus ?? p.capacity.usableCpus) }
      : {}),
    schedulableRamGiB: sum((p) => p.capacity.schedulableRamGiB),
    usableRamGiB: sum((p) => p.capacity.usableRamGiB),
    ...acceleratorTotals(pools, hw),
  };

  const cephResolved = ceph
    ? cephModel(
        ceph,
        ceph.pools ?? defaultCephPools(spec.storage, spec.controlPlane.services),
        cephNodes,
        cephNodes.map((n) => nodeModels.find((m) => m.name === n)?.rack),
        cephNodes.map((n) => siteOf.get(n)),
        spec.controlPlane.services.includes("ceilometer"),
        otherOsdClasses(spec, ceph),
        nodeModels.filter((n) => n.roles.includes("ceph-mon")).map((n) => n.name),
      )
    : undefined;
  // (a Ceph backend always has a volumes pool: default, or ceph-pool-missing)
  const cephPoolOf = (b: Spec["storage"]["backends"][number]) =>
    b.kind === "ceph" && cephResolved
      ? { cephPool: b.cephPool ?? backendPool(cephResolved, b.deviceClass)?.name ?? b.name }
      : {};
  if (cephResolved)
    issues.push(
      ...(spec.storage.ceph?.pools
        ? dataShareIssues(cephResolved, new Set(spec.storage.ceph.pools.map((p) => p.name)))
        : []),
      ...cephPgIssues(cephResolved),
      ...unusedPoolIssues(spec, cephResolved),
      ...crushNameIssues(spec, cephResolved, nodeModels),
      ...unevenDomainIssues(cephResolved),
      ...cephSiteIssues(cephResolved),
    );
  const swiftReplication = networks.find((n) => n.role === "storage-replication")?.name;
  const anyAddress = (...nets: (NetworkModel | undefined)[]) =>
    nets.some((n) => n?.cidr.includes(":")) ? ("::" as const) : ("0.0.0.0" as const);
  const swiftRing = swift
    ? {
        ...swiftModel(swift, swiftProxies, swiftStorage, siteOf),
        ...(swiftReplication ? { replicationNetwork: swiftReplication } : {}),
        bindIp: anyAddress(
          networks.find((n) => n.role === "storage"),
          networks.find((n) => n.role === "storage-replication"),
        ),
      }
    : undefined;
  // The zone counts every piece of Swift advice names, near the design's (each count lays the
  // ring out again, and a long list advises nothing).
  const swiftCounts =
    swiftRing &&
    swiftZoneCounts(
      swiftRing,
      nodeModels,
      zones,
      siteOf,
      Math.max(swiftRing.zones, swiftRing.replicas) + 16,
    );
  const swiftResolved: SwiftModel | undefined = swiftRing && {
    ...swiftRing,
    zoneCounts: swiftCounts!.apart.length ? swiftCounts!.apart : swiftCounts!.even,
  };
  if (swiftResolved)
    issues.push(...swiftLayoutIssues(swiftResolved, nodeModels, zones, siteOf, swiftCounts!));
  const swiftBackups = backupContainer(spec.storage);
  const managementNet = spec.network.networks.find((n) => n.role === "management");
  const ntp = spec.ntp ? ntpModel(spec.ntp, nodeModels, managementNet?.name) : undefined;
  issues.push(
    ...serverReachIssues(
      nodeModels,
      reachOf,
      ntp,
      identity,
      spec.identity.domains.map((d) => d.name),
      enterpriseBlocks.length > 0,
      domain,
    ),
  );

  // Security group and firewall sources in the form Neutron returns (rules are ForceNew).
  const adminCidrs = spec.securityZones.adminCidrs.map(canonicalCidr);
  const userCidrs = (spec.securityZones.userCidrs ?? DEFAULT_USER_CIDRS).map(canonicalCidr);
  const legacyUnix: LegacyModel | undefined =
    spec.legacyUnix &&
    resolveLegacy(
      spec.legacyUnix,
      networks.find((n) => n.name === spec.legacyUnix?.network),
      networks.some((n) => n.external),
      spec.output.namingPrefix,
    );
  const tenants = resolveTenants(
    spec,
    identity,
    pools,
    tenantMtu,
    legacyUnix,
    issues,
    networkHosts,
  );
  issues.push(...externalPoolIssues(spec, networks, tenants, legacyUnix));
  issues.push(...legacySharedIssues(tenants, legacyUnix));
  const quotaBackends = [...spec.storage.backends].sort(byName).map((b) => ({
    name: b.name,
    kind: b.kind,
    volumeType: b.volumeType,
    public: b.public,
    ...cephPoolOf(b),
  }));
  // Tenants whose default volume quota reaches Ceph whole: the warning says it was counted.
  const defaulted = new Set(
    spec.tenants.flatMap((t) => (t.quota.volumeGiB === undefined ? [tenantId(t)] : [])),
  );
  // Once for the check and the documents: the model's backends and tenants are these.
  const backupDriver = cinderBackupDriver({
    swift: spec.storage.backup?.service === "swift" && swiftResolved !== undefined,
    cephPools: cephResolved?.pools ?? [],
    backends: quotaBackends,
    services: spec.controlPlane.services,
  });
  if (spec.storage.ephemeral === "local") issues.push(...localDiskIssues(pools, hardware, tenants));
  const blockStorage = blockHeadroom(
    cephResolved,
    quotaBackends,
    tenants,
    spec.controlPlane.services,
    backupDriver === "ceph",
    spec.storage.ephemeral === "ceph" ? instanceDiskQuota(tenants, pools) : 0,
  );
  // (without Cinder no tenant stack sets a backup quota)
  if (backupDriver === "swift" && spec.controlPlane.services.includes("cinder"))
    issues.push(
      ...backupQuotaIssues(
        swiftResolved,
        tenants,
        spec.tenants.filter((t) => t.quota.backupGiB === undefined).length,
        backupStoragePolicy(spec.storage),
      ),
    );
  issues.push(
    ...volumeQuotaIssues(
      blockStorage,
      tenants.filter(
        (t) =>
          defaulted.has(t.id) &&
          t.quota.volumeGiB > 0 &&
          cephVolumeQuota(t, quotaBackends) === t.quota.volumeGiB,
      ).length,
    ),
  );
  issues.push(
    ...cephMemoryIssues(
      cephResolved,
      spec.hardware.find((h) => h.name === spec.storage.ceph?.hardware),
    ),
  );
  issues.push(...pgSchemaIssues(spec, tenants));
  issues.push(...deviceConflictIssues({ nodes: nodeModels }, spec));
  issues.push(...untaggedMtuIssues(nodeModels, spec));
  issues.push(...pxeNativeVlanIssues(nodeModels, networks, spec));
  issues.push(...controllerVmNetworkIssues(nodeModels, networks, physicalNetworks));
  // (VMs on the undercloud are cabled to its hypervisors, not to the design's switches)
  const servers = nodeModels.filter((n) => !n.virtual);
  const switches = switchPlan(servers, networks, physicalNetworks, hardware);
  issues.push(...frameSizeIssues(switches, spec));
  issues.push(...rackFillIssues(servers, switches, spec));
  issues.push(...untaggedSegmentIssues({ nodes: nodeModels }, networks, spec));
  // The pool Octavia's amphorae are pinned to: one pool, by name or id, whose hosts run shared
  // CPUs (the amphora flavor asks for no dedicated ones).
  const octaviaPool = (() => {
    const key = cp.octaviaPool;
    if (key === undefined || !cp.services.includes("octavia")) return undefined;
    const path = ["controlPlane", "octaviaPool"];
    const matches = pools.filter((p) => isTenantPool(p, key));
    const fail = (message: string) => {
      issues.push({ code: "octavia-pool", path, severity: "error", message });
      return undefined;
    };
    if (!matches.length)
      return fail(
        `no pool is named ${key} (${pools.map((p) => p.id).join(", ")}): name one of them`,
      );
    if (matches.length > 1)
      return fail(
        `pools ${matches.map((p) => p.id).join(", ")} are all named ${key}, and a flavor asks for one pool: name one by its id`,
      );
    if (matches[0].cpuPinning)
      return fail(
        `pool ${matches[0].id} pins CPUs, and its hosts offer no shared CPUs for the amphorae's flavor (it asks for none dedicated): Nova would find no host; name a pool of shared CPUs`,
      );
    return matches[0];
  })();
  // What the tenants' load-balancer quotas let Octavia boot in its service project.
  const octavia = cp.services.includes("octavia")
    ? (() => {
        const base = octaviaModel(cp.octaviaTopology);
        const count =
          tenants.reduce((n, t) => n + t.quota.loadBalancers, 0) * base.amphoraePerLoadBalancer;
        return {
          ...base,
          ...(octaviaPool ? { pool: octaviaPool.id } : {}),
          amphorae: {
            count,
            vcpus: count * AMPHORA_FLAVOR.vcpus,
            ramGiB: (count * AMPHORA_FLAVOR.ramMiB) / 1024,
          },
        };
      })()
    : undefined;
  issues.push(...fitIssues(spec, hardware, pools, octavia));
  const controlPlane: Model["controlPlane"] = {
    controllers,
    // Three controllers are not a highly available control plane when its database or queue is
    // one node (HA rules suppressed with a reason): every controller then waits on that one.
    ha: cp.controllers >= 3 && cp.database === "galera" && cp.messaging === "rabbitmq-cluster",
    deployment: cp.deployment,
    // Bare-metal controllers without a flavor of their own boot with their profile's.
    flavor: nodeModels.find((n) => n.role === "controller")?.baremetalFlavor ?? "",
    // The undercloud boots every server with its image; controllers as VMs boot their own, a
    // VM image (a bare-metal one may lack the virtual hardware's drivers).
    image: cp.deployment === "vm" ? cp.image : (undercloud?.image ?? cp.image),
    ...(cp.keyPair ? { keyPair: cp.keyPair } : {}),
    services: [...new Set(cp.services)].sort(),
    // Octavia in front of the APIs is refused (api-octavia-unsupported).
    loadBalancer: "keepalived",
    ...(octavia ? { octavia } : {}),
    database: cp.database,
    messaging: cp.messaging,
    networkNodes,
    virtualRouterId: cp.virtualRouterId,
    deployer: nodeModels.find((n) => n.roles.includes("deployer"))?.name ?? controllers[0],
  };
  const zoneModels: Model["zones"] = zones.map((z) => ({
    name: z.name,
    ...(z.site ? { site: z.site } : {}),
    racks: [...z.racks].sort(),
    pools: pools.filter((p) => p.zone === z.name).map((p) => p.id),
    hosts: pools.filter((p) => p.zone === z.name).reduce((n, p) => n + p.capacity.hosts, 0),
  }));

  // What the LVM and ZFS volume groups stand on; a backend with no disk of its class is warned.
  const volumeDisks = volumeServerDisks(
    spec.storage.backends,
    blockStorageHosts.map((h) => hw(nodes.find((n) => n.name === h)!.hardware)),
  );
  // Cinder puts a volume on any host of its backend, whatever the instance's site, and Nova
  // attaches it over iSCSI from there: a site's loss takes the volumes it holds from instances
  // elsewhere. LVM and ZFS keep each volume on one host.
  const hostSites = [...new Set(blockStorageHosts.flatMap((h) => siteOf.get(h) ?? []))].sort();
  const local = spec.storage.backends.findIndex((b) => b.kind === "lvm" || b.kind === "zfs");
  if (local >= 0 && hostSites.length > 1)
    issues.push({
      code: "volume-hosts-sites",
      severity: "warning",
      path: ["storage", "backends", local],
      message: `the LVM and ZFS volume hosts stand at ${hostSites.length} sites (${hostSites.join(", ")}), and Cinder puts a volume on any of them whatever the site of the instance it is for, which Nova then reaches over iSCSI across the sites: losing a site takes its volumes from instances at the others; keep the volume hosts at one site, or a site's volumes in Ceph`,
    });
  spec.storage.backends.forEach((b, i) => {
    const bare = volumeDisks.get(b.name)?.profiles.filter((p) => p.perHostTB === 0) ?? [];
    if (bare.length)
      issues.push({
        code: "volume-disks-missing",
        severity: "warning",
        path: ["storage", "backends", i, ...(b.deviceClass ? ["deviceClass"] : [])],
        message: `hardware ${bare.map((p) => p.hardware).join(", ")} of the hosts serving ${b.kind} backend ${b.name} lists no disk ${b.deviceClass ? `of class ${b.deviceClass}` : "of a kind no other backend names"} outside those marked for the system or RocksDB${bare.some((p) => p.systemTakesOne) ? " (its one such disk holds the system)" : ""}: its ${b.kind === "zfs" ? "zpool" : "volume group"} has nothing to stand on as designed; list the disks in hardware[].disks`,
      });
  });

  // The derived facts, once someone reads the model.
  const complete = (): Model => {
    // OVN's relays, planned once over its chassis (Kolla's network and compute hosts).
    const ovnRelays =
      neutronMechanism(spec.network) === "ovn"
        ? ovnRelayPlan(
            nodeModels.filter((n) => n.roles.some((r) => r === "network" || r === "compute"))
              .length,
          )
        : undefined;
    const volumeHosts = spec.storage.backends.map((b) => {
      const hosts = volumeHostsOf(b.kind);
      const dedicated = spec.storage.blockStorageNodes !== undefined && hosts === blockStorageHosts;
      const zone = dedicated ? ("block-storage" as const) : ("controllers" as const);
      return b.kind === "lvm" || b.kind === "zfs"
        ? { kind: b.kind, hosts, zone, targetProtocol: b.targetProtocol ?? ("iscsi" as const) }
        : { kind: b.kind, hosts, zone };
    });
    const ports = portMatrix(spec, identity, {
      ...(ntp ? { ntpClients: ntp.clients, ntpPeers: ntp.peers.length } : {}),
      ovnRelays: ovnRelays?.count ?? 0,
      volumeHosts,
    });

    const resolved: Omit<Model, keyof DesignFacts | "deploy"> = {
      formatVersion: 1,
      blueprint: spec.blueprint ?? "enterprise-reference",
      metadata: spec.metadata,
      // The undercloud is a model fact of its own (`undercloud`).
      cloud: { cloud: spec.cloud.cloud, region: spec.cloud.region },
      naming: { prefix: spec.output.namingPrefix },
      sites: siteModels(spec, siteOf, nodeModels),
      hardware: [...hardware.values()].sort(byName),
      zones: zoneModels,
      pools,
      networks,
      nodes: nodeModels,
      domain,
      ...(undercloud ? { undercloud } : {}),
      switches,
      racksUsed: rackGroups(servers).length,
      lifecycle: [],
      vips: vipList,
      controlPlane,
      network,
      capacity,
      storage: {
        ...(cephResolved ? { ceph: cephResolved } : {}),
        backends: [...spec.storage.backends].sort(byName).map((b) => ({
          name: b.name,
          kind: b.kind,
          volumeType: b.volumeType,
          volumeBackendName: b.name,
          ...(b.targetProtocol ? { targetProtocol: b.targetProtocol } : {}),
          ...(b.shares ? { shares: b.shares } : {}),
          hosts: volumeHostsOf(b.kind),
          ...(b.deviceClass ? { deviceClass: b.deviceClass } : {}),
          ...cephPoolOf(b),
          ...(volumeDisks.has(b.name) ? { volumeDisks: volumeDisks.get(b.name)! } : {}),
          public: b.public,
          ...(b.qos ? { qos: b.qos } : {}),
          ...(b.description ? { description: b.description } : {}),
        })),
        ...(spec.storage.backends.some((b) => b.public)
          ? { defaultVolumeType: spec.storage.backends.find((b) => b.public)!.volumeType }
          : {}),
        ...(volumeDisks.size
          ? {
              volumeServersTB:
                Math.round([...volumeDisks.values()].reduce((t, v) => t + v.rawTB * 100, 0)) / 100,
            }
          : {}),
        ...(swiftResolved ? { swift: swiftResolved } : {}),
        served: storageServed(cephResolved, swiftResolved),
        imageBackend: imageBackend(spec.storage),
        ephemeralBackend: spec.storage.ephemeral,
        ...(swiftBackups !== undefined
          ? { backup: { service: "swift", container: swiftBackups } }
          : {}),
      },
      identity,
      ...(ntp ? { ntp } : {}),
      ...(legacyUnix ? { legacyUnix } : {}),
      securityZones: {
        adminCidrs,
        userCidrs,
        userCidrsDeclared: spec.securityZones.userCidrs !== undefined,
        ...(spec.securityZones.firewall
          ? {
              firewall: firewallModel(adminCidrs, userCidrs, legacyUnix, tenants),
            }
          : {}),
      },
      tenants,
      output: {
        backend: spec.output.backend,
        format: spec.output.format,
        namingPrefix: spec.output.namingPrefix,
        tenantStacks: tenantStacksOf(spec),
      },
      suppressions: spec.suppressions,
      endpoints: apiEndpoints(cp.services, objectStore(spec.storage, cp.services)),
      ports,
      securityGroups: securityGroups({
        ports,
        networks,
        nodes: nodeModels,
        adminCidrs,
        userCidrs,
      }).map((g) => ({ ...g, neutronName: openstackName(spec.output.namingPrefix, g.name) })),
      ha: haMatrix({
        controllers: cp.controllers,
        controllerNames: nodeModels.filter((n) => n.role === "controller").map((n) => n.name),
        networkNodes: cp.networkNodes,
        database: cp.database,
        messaging: cp.messaging,
        pools,
        ...(cephResolved ? { ceph: cephResolved } : {}),
        ...(swiftResolved ? { swift: swiftResolved } : {}),
        ...(ntp ? { ntpSources: ntp.servers.length } : {}),
        blockStorageHosts: blockStorageHosts.length,
        colocatedBlockStorage: blockStorageHosts.length > 0 && !spec.storage.blockStorageNodes,
        cephVolumeHosts: cephVolumeHostCount,
        cephVolumeOnBlockHosts: cephOnBlockHosts,
        dedicatedDeployer: Boolean(spec.deployer),
        services: cp.services,
        ...(cp.octaviaTopology ? { octaviaTopology: cp.octaviaTopology } : {}),
        ovn: neutronMechanism(spec.network) === "ovn",
        flatTenants: spec.network.tenantNetworkType === "flat",
        legacyRouter: spec.legacyUnix !== undefined,
        backends: spec.storage.backends,
        imageStore: imageBackend(spec.storage),
      }),
      inventory: inventory(nodeModels),
    };
    const deploy = deployModel(resolved, spec, ovnRelays);
    const withDeploy = {
      ...resolved,
      deploy,
      ha: deploy.cinder.etcdLocks ? withEtcdRow(resolved.ha, cp.controllers) : resolved.ha,
    };
    const staged = { ...withDeploy, lifecycle: lifecycle(withDeploy) };
    return { ...staged, ...designFacts(staged, blockStorage) };
  };
  let model: Model | undefined;
  return { issues, model: () => (model ??= complete()) };
}

/**
 * OSDs per host of the device classes a pool or backend asks for besides the cluster's: the disks
 * of that kind the class's OSD spec takes (deploy/ceph/cluster.yaml).
 */
function otherOsdClasses(
  spec: Spec,
  ceph: NonNullable<Spec["storage"]["ceph"]>,
): Map<string, { osds: number; tb: number }> {
  const disks = spec.hardware.find((h) => h.name === ceph.hardware)?.disks ?? [];
  const asked = [
    ...(ceph.pools ?? []).flatMap((p) => (p.deviceClass ? [p.deviceClass] : [])),
    ...spec.storage.backends.flatMap((b) =>
      b.kind === "ceph" && b.deviceClass ? [b.deviceClass] : [],
    ),
  ];
  return new Map(asked.map((c) => [c, classDisksPerHost(disks, c)]));
}

/**
 * The pools of a device class split its OSDs by their data shares: within 1 for each class the
 * pools are on (a class without OSDs on the hosts leaves its pools on the cluster's).
 */
function dataShareIssues(ceph: CephModel, declared: ReadonlySet<string>): SpecIssue[] {
  // (the shares the spec gives: a pool the design adds, Gnocchi's, takes its own small one)
  const byClass = new Map<string, number>();
  for (const p of ceph.pools)
    if (declared.has(p.name)) byClass.set(p.osdClass, (byClass.get(p.osdClass) ?? 0) + p.dataShare);
  // A pool asking for a class without OSDs lands on the cluster's: said, as its warning may not be.
  const moved = (cls: string) =>
    ceph.pools.filter(
      (p) => declared.has(p.name) && p.osdClass === cls && p.deviceClass && p.deviceClass !== cls,
    );
  return [...byClass]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .filter(([, share]) => share > 1.0001)
    .map(([cls, share]) => {
      const here = moved(cls);
      return {
        code: "ceph-data-share",
        path: ["storage", "ceph", "pools"],
        severity: "error" as const,
        message: `the data shares of the pools on ${cls} OSDs add up to ${Math.round(share * 100) / 100}${here.length ? ` (${here.map((p) => `${p.name}, which asks for ${p.deviceClass} OSDs the hosts do not have,`).join(" and ")} among them)` : ""}; a device class's pools share its data, so they must not exceed 1`,
      };
    });
}

/** The monitor refuses to create a pool that takes an OSD past mon_max_pg_per_osd PG copies. */
function cephPgIssues(ceph: CephModel): SpecIssue[] {
  // Erasure-coded pools put k+m copies of each PG on the class's OSDs.
  const protection = ceph.protection.kind === "erasure-coded" ? ", replicated protection" : "";
  return ceph.deviceClasses
    .filter((c) => c.pgsPerOsd > CEPH_MAX_PGS_PER_OSD)
    .map((c) => ({
      code: "ceph-pg-limit",
      severity: "error" as const,
      path: ["storage", "ceph", "pools"],
      message: `the pools on ${c.deviceClass} OSDs put ${c.pgsPerOsd} placement-group copies on each of its ${c.osds} OSDs (at least ${CEPH_MIN_POOL_PGS} PGs per pool), past the ${CEPH_MAX_PGS_PER_OSD} Ceph's monitors allow (mon_max_pg_per_osd): pools.sh would stop at the pool that passes it; give the hosts more ${c.deviceClass} OSDs${protection} or fewer pools on ${c.deviceClass}`,
    }));
}

interface CrowdedPlace {
  readonly kind: "rack" | "availability zone";
  readonly place: string;
  /** The ring of which it may hold enough pieces of some partition to lose its objects. */
  readonly loss: RingLoss;
  /** The Swift zones of its storage nodes. */
  readonly zones: readonly number[];
}

/**
 * Where the storage nodes stand: the racks and availability zones that may hold every replica of
 * some partition, for a layout of the nodes. A cloud of one rack (or zone) has no rack (or zone)
 * failure apart from the site's; the recovery rows judge the same places.
 */
function crowdedPlaces(
  layout: RingLayout,
  nodes: readonly { readonly name: string; readonly rack?: string; readonly zone?: string }[],
  zones: readonly { readonly name: string; readonly racks: readonly string[] }[],
): CrowdedPlace[] {
  const rackOf = new Map(nodes.map((n) => [n.name, n.rack]));
  const zoneOf = nodeZones(nodes, zones);
  const placesBy = (placeOf: (n: string) => string | undefined) =>
    [...new Set(layout.nodeZones.map((n) => placeOf(n.node)))].filter((p) => p !== undefined);
  const racks = placesBy((n) => rackOf.get(n));
  const azs = placesBy(zoneOf);
  const cloudRacks = new Set(nodes.flatMap((n) => (n.rack === undefined ? [] : [n.rack]))).size;
  const out: CrowdedPlace[] = [];
  for (const [kind, places, placeOf, apart] of [
    ["rack", racks, (n: string) => rackOf.get(n), cloudRacks],
    ["availability zone", azs, zoneOf, zones.length],
  ] as const) {
    if (apart < 2) continue;
    for (const place of places) {
      const inPlace = (n: string) => placeOf(n) === place;
      const loss = ringLostWithPlace(layout, inPlace);
      if (loss !== undefined) out.push({ kind, place, loss, zones: zonesOfPlace(layout, inPlace) });
    }
  }
  return out;
}

/**
 * Zone counts (at least the most replicas of a ring) that give no zone more than its share of
 * the ring's weight, and of those the ones that leave no rack or availability zone holding every
 * replica of some partition: what both Swift warnings suggest.
 */
function swiftZoneCounts(
  swift: Omit<SwiftModel, "zoneCounts">,
  nodes: readonly { readonly name: string; readonly rack?: string }[],
  zones: readonly { readonly name: string; readonly racks: readonly string[] }[],
  siteOf: ReadonlyMap<string, string>,
  /** The largest count to try (@default every count up to the storage nodes). */
  upTo = swift.storageNodes.length,
): { even: number[]; apart: number[] } {
  const most = Math.max(...copyCounts(swiftRingLayout(swift)));
  const even: number[] = [];
  const apart: number[] = [];
  for (let count = most; count <= Math.min(upTo, swift.storageNodes.length); count++) {
    const layout = {
      ...swiftRingLayout(swift),
      nodeZones: ringNodes(swift.storageNodes, count, swift.regions, siteOf),
    };
    if (heavyZone(layout)) continue;
    even.push(count);
    if (!crowdedPlaces(layout, nodes, zones).length) apart.push(count);
  }
  return { even, apart };
}

/** `all 3 replicas`, or `5 of the 14 fragments (more than the 4 parity fragments)`. */
const piecesHeld = (loss: RingLoss) =>
  loss.parity === undefined
    ? `all ${loss.of} replicas`
    : `${loss.lost} of the ${loss.of} fragments (more than the ${loss.parity} parity ${loss.parity === 1 ? "fragment" : "fragments"})`;

/** What a place's Swift storage nodes hold of some partitions, or of every one, and lose. */
function lossText(loss: RingLoss): string {
  const dbs =
    "container databases (their listings, and the storage policy their objects are read by)";
  if (!loss.every)
    return `enough for ${piecesHeld(loss)} of some ${loss.containers ? dbs : "objects"} as the ring spreads them by weight: ${loss.containers ? "containers" : "objects"} with ${loss.parity === undefined ? "every replica" : "that many fragments"} there are lost with it`;
  const policies = loss.policies?.length
    ? ` of storage ${loss.policies.length === 1 ? "policy" : "policies"} ${loss.policies.join(", ")}`
    : "";
  if (loss.mixed)
    return `which the rings give more of every object${policies} than its policy survives losing: every object${policies} is lost with it`;
  const pieces =
    loss.parity === undefined
      ? `${loss.lost === loss.of ? "all" : `at least ${loss.lost} of the`} ${loss.of} replicas`
      : `at least ${loss.lost} of the ${loss.of} fragments (more than the ${loss.parity} parity ${loss.parity === 1 ? "fragment" : "fragments"})`;
  return `which the ring gives ${pieces} of every ${loss.containers ? "container database" : "object"}${policies}: ${loss.containers ? "every container's listing and reads are" : `every object${policies} is`} lost with it`;
}

const listed = (counts: readonly number[]) =>
  counts.length <= 3
    ? counts.length > 1
      ? `${counts.slice(0, -1).join(", ")} or ${counts[counts.length - 1]}`
      : String(counts[0])
    : `${counts.slice(0, 3).join(", ")} or another of ${counts.slice(3).join(", ")}`;

/** OSD hosts spread unevenly over the racks or sites the copies go to, at a cost in capacity. */
/**
 * Copies spread by rack or host over sites that hold as many racks as copies: CRUSH may put every
 * copy of a placement group at one site, and every volume and image has some of its data there.
 */
function cephSiteIssues(ceph: CephModel): SpecIssue[] {
  const sites = ceph.sitesLosingData;
  if (!sites) return [];
  const ec = ceph.protection.kind === "erasure-coded";
  const by = ceph.failureDomain === "rack" ? "rack" : "host";
  return [
    {
      code: "ceph-copies-one-site",
      severity: "warning",
      path: ["storage", "ceph", "nodes"],
      message: `Ceph spreads each placement group's ${ec ? "chunks" : "copies"} over ${by}s, not sites, and ${sites.length === 1 ? `site ${sites[0]} holds` : `each of sites ${sites.join(", ")} holds`} as many ${by}s of OSD hosts as ${ec ? "a placement group loses data with" : "a placement group has copies"}: some placement groups keep ${ec ? "more chunks than their parity" : "every copy"} there, and since every block device Ceph keeps (volume, image or instance disk) is striped over many placement groups, losing that site loses data of them at every site; keep the OSD hosts at one site, or spread them over as many sites as ${ec ? "chunks" : "copies"} so that Ceph spreads them by site (Stackwright does not write Ceph's two-site stretch mode)`,
    },
  ];
}

function unevenDomainIssues(ceph: CephModel): SpecIssue[] {
  const uneven = ceph.unevenDomains;
  if (!uneven) return [];
  const kind = ceph.failureDomain === "datacenter" ? "site" : "rack";
  const spread = Object.entries(uneven.hosts)
    .map(([d, n]) => `${d}: ${n}`)
    .join(", ");
  return [
    {
      code: "ceph-domains-uneven",
      severity: "warning",
      path: ["storage", "ceph", "nodes"],
      message: `Ceph keeps each copy in another ${kind}, and the OSD hosts stand unevenly over the ${kind}s (${spread}): CRUSH cannot fill the ${kind}s of more hosts before the others are full, so the cluster holds ${ceph.usableTB} TB usable where hosts spread evenly would give ${uneven.evenUsableTB} TB; give each ${kind} as many OSD hosts`,
    },
  ];
}

/**
 * Racks and sites the CRUSH map holds as buckets, whose names CRUSH keeps in one namespace with
 * the root's and the hosts': a rack or site named like another bucket stops cephadm adding hosts
 * (the monitor refuses a bucket of another type under a taken name).
 */
function crushNameIssues(
  spec: Spec,
  ceph: CephModel,
  nodes: readonly { readonly name: string; readonly rack?: string; readonly site?: string }[],
): SpecIssue[] {
  if (ceph.failureDomain === "host") return [];
  const osdHosts = nodes.filter((n) => ceph.nodes.includes(n.name));
  const taken = new Map<string, string>([[CRUSH_ROOT, "the CRUSH root"]]);
  for (const n of nodes) if (ceph.nodes.includes(n.name)) taken.set(n.name, `host ${n.name}`);
  const issues: SpecIssue[] = [];
  const claim = (name: string, what: string, path: (string | number)[]) => {
    const other = taken.get(name);
    if (other === undefined) taken.set(name, what);
    else if (other !== what)
      issues.push({
        code: "ceph-bucket-name",
        severity: "error",
        path,
        message: `${what} is a bucket of Ceph's CRUSH map, where ${other} has the name ${name} already, and CRUSH names are one namespace: cephadm could not place the OSD hosts; rename the ${what.split(" ")[0]}`,
      });
  };
  if (ceph.failureDomain === "datacenter")
    for (const site of [...new Set(osdHosts.flatMap((n) => n.site ?? []))].sort()) {
      const i = spec.sites.findIndex((s) => s.name === site);
      claim(site, `site ${site}`, ["sites", i, "name"]);
    }
  for (const rack of [...new Set(osdHosts.flatMap((n) => n.rack ?? []))].sort()) {
    const z = spec.zones.findIndex((zone) => zone.racks.includes(rack));
    claim(rack, `rack ${rack}`, ["zones", z, "racks", spec.zones[z]?.racks.indexOf(rack) ?? 0]);
  }
  return issues;
}

/** The fewest parity fragments beside `data` that a region of `share` of the weight cannot pass. */
function parityFor(data: number, share: number): number {
  let parity = 1;
  while (Math.ceil((data + parity) * share - 1e-9) > parity) parity++;
  return parity;
}

/**
 * A Swift zone with more than its share of the ring's weight (one in as many as the replicas)
 * gets two replicas of some objects, and a rack or availability zone whose nodes' share of the
 * ring reaches a partition's replicas may get them all: the ring builder places by weight
 * before zones (see swift-ring.ts).
 */
function swiftLayoutIssues(
  swift: SwiftModel,
  nodes: readonly { readonly name: string; readonly rack?: string }[],
  zones: readonly { readonly name: string; readonly racks: readonly string[] }[],
  siteOf: ReadonlyMap<string, string>,
  /** The zone counts that keep zones even, and of those the ones that keep replicas apart. */
  counts: { readonly even: readonly number[]; readonly apart: readonly number[] },
): SpecIssue[] {
  // Regions are the sites the storage nodes stand at, one each, where the design has several.
  const sites = [...new Set(swift.storageNodes.flatMap((n) => siteOf.get(n) ?? []))].sort();
  // A warning: rings built so are running somewhere, and their regions move only by hand.
  const oneSite: SpecIssue[] =
    sites.length === 1 && swift.regions > 1
      ? [
          {
            code: "swift-regions-sites",
            severity: "warning",
            path: ["storage", "swift", "regions"],
            message: `Swift's storage nodes all stand at site ${sites[0]}, and the ring's ${swift.regions} regions split it as if its nodes were far apart (Swift spreads replicas over regions first and reads from the nearest): set regions to 1, before the rings are built`,
          },
        ]
      : [];
  if (sites.length > 1 && swift.regions > 1 && swift.regions !== sites.length)
    return [
      {
        code: "swift-regions-sites",
        severity: "error",
        path: ["storage", "swift", "regions"],
        message: `Swift's storage nodes stand at ${sites.length} sites (${sites.join(", ")}), and the ring's ${swift.regions} regions would each mix nodes of several: set regions to ${sites.length}, a region per site, or to 1`,
      },
    ];
  const layout = swiftRingLayout(swift);
  const heavy = heavyZone(layout);
  const [crowded] = crowdedPlaces(layout, nodes, zones);
  const region = heavyRegion(layout);
  const uneven = region ? undefined : unevenRegion(layout);
  // The parity the lost policy needs, and whether its ec_type takes it (isa_l_rs_vand: up to 4).
  const parity =
    region?.ring.parity !== undefined
      ? parityFor(region.ring.replicas - region.ring.parity, region.nodes / layout.nodeZones.length)
      : 0;
  const vand =
    swift.policies.find((p) => p.name === region?.ring.name)?.erasureCoding?.type ===
      "isa_l_rs_vand" && parity >= 5;
  const regionIssue: SpecIssue[] = region
    ? [
        {
          code: "swift-regions-uneven",
          severity: "warning",
          path: ["storage", "swift", "regions"],
          message:
            region.ring.parity === undefined
              ? `Swift region ${region.region} holds ${region.nodes} of the ${layout.nodeZones.length} storage nodes, enough of the ring's weight for every replica of some objects (the builder places by weight before regions): losing that region loses them; give each region as many storage nodes (zones a multiple of regions, storage nodes a multiple of zones)`
              : `Swift region ${region.region} holds ${region.nodes} of the ${layout.nodeZones.length} storage nodes, enough of the ring's weight for ${region.pieces} of the ${region.ring.replicas} fragments of some objects of ${region.ring.name ? `storage policy ${region.ring.name}` : "an erasure-coded policy"}, more than its ${region.ring.parity} parity fragments (the builder places by weight before regions): losing that region loses them; ${region.even ? `give the policy at least ${parity} parity fragments${vand ? " (of isa_l_rs_cauchy: isa_l_rs_vand takes at most 4)" : ""}, spread the storage nodes over more regions (sites), or keep what must outlive a site in a replicated policy` : "give each region as many storage nodes (zones a multiple of regions, storage nodes a multiple of zones)"}`,
        },
      ]
    : uneven
      ? [
          {
            code: "swift-regions-uneven",
            severity: "warning",
            path: ["storage", "swift", "regions"],
            message: `Swift region ${uneven.region} holds ${uneven.nodes} of the ${layout.nodeZones.length} storage nodes, more of the ring's weight than an even split of the replicas over the regions: the builder puts ${uneven.replicas} replicas of some objects there, where an even split puts ${uneven.even}, so losing that region leaves those objects fewer copies than the others; give each region as many storage nodes (zones a multiple of regions, storage nodes a multiple of zones)`,
          },
        ]
      : [];
  if (!heavy && !crowded) return [...oneSite, ...regionIssue];
  const most = Math.max(...copyCounts(layout));
  const total = layout.nodeZones.length;
  const { even, apart } = counts;
  const issues: SpecIssue[] = [];
  if (heavy) {
    const counts = apart.length ? apart : even;
    issues.push({
      code: "swift-zones-uneven",
      severity: "warning",
      path: ["storage", "swift", "zones"],
      message: `Swift zone ${heavy.zone} holds ${heavy.nodes} of the ${total} storage nodes, more than one in ${most} of the ring's weight: Swift puts two replicas of some objects in it, so losing it can take two replicas of an object; ${counts.length ? `set zones to ${listed(counts)}, which give${counts.length === 1 ? "s" : ""} each zone at most its share${apart.length ? "" : ", though none of them also keeps a replica of every object out of each rack and availability zone, which takes more racks"}` : `add storage nodes until a zone count of at least ${most} divides them`}`,
    });
  }
  if (crowded) {
    issues.push({
      code: "swift-zones-share-rack",
      severity: "warning",
      path: ["storage", "swift", "zones"],
      message: `${crowded.kind === "rack" ? `rack ${crowded.place} holds` : `the racks of availability zone ${crowded.place} hold`} Swift storage nodes of zones ${crowded.zones.join(", ")}, ${lossText(crowded.loss)}; ${apart.length ? `set zones to ${listed(apart)}, which keep${apart.length === 1 ? "s" : ""} enough of every object out of each rack and availability zone` : "spread the storage nodes over more racks and availability zones"}`,
    });
  }
  return [...oneSite, ...issues, ...regionIssue];
}

/** Keystone's default roles that imply member, which Neutron's policies ask for to create networks. */
const NETWORK_WRITER_ROLES: ReadonlySet<string> = new Set(["member", "manager", "admin"]);

/** Who writes the first pool of an application. */
const APPLICATION_WRITER: Readonly<Record<CephApplication, string>> = {
  volumes: "Cinder",
  images: "Glance",
  vms: "Nova",
  backups: "cinder-backup",
  metrics: "Gnocchi",
  rgw: "the RADOS Gateways' zone",
};

/**
 * The site a server stands at: by its rack (the first zone by name that lists it, as the plan
 * places racks), else by its zone; in a design of one site, that site.
 */
function sitePlaces(spec: Spec): (place: { rack?: string; zone?: string }) => string | undefined {
  const zones = [...spec.zones].sort(byName);
  const siteOfRack = new Map<string, string | undefined>();
  for (const z of zones) for (const r of z.racks) if (!siteOfRack.has(r)) siteOfRack.set(r, z.site);
  const siteOfZone = new Map(zones.map((z) => [z.name, z.site]));
  const only = spec.sites.length === 1 ? spec.sites[0].name : undefined;
  return (n) =>
    (n.rack !== undefined ? siteOfRack.get(n.rack) : n.zone ? siteOfZone.get(n.zone) : undefined) ??
    only;
}

/** The declared sites with what stands there (servers: VMs on the undercloud are not). */
function siteModels(
  spec: Spec,
  siteOf: ReadonlyMap<string, string>,
  nodes: readonly NodeModel[],
): SiteModel[] {
  const zones = [...spec.zones].sort(byName);
  return [...spec.sites].sort(byName).map((site) => {
    const at = zones.filter((z) => z.site === site.name);
    return {
      ...site,
      zones: at.map((z) => z.name),
      racks: [...new Set(at.flatMap((z) => z.racks))].sort(),
      servers: nodes.filter((n) => !n.virtual && siteOf.get(n.name) === site.name).length,
    };
  });
}

/**
 * A second pool of an application the design keeps in Ceph that no service writes: Glance, Nova,
 * cinder-backup, Gnocchi and the gateways take the first pool of their application (in name
 * order, as the model keeps them), each Ceph backend one volumes pool. Pools of applications the
 * design keeps elsewhere are the spec rules' warning.
 */
function unusedPoolIssues(spec: Spec, ceph: CephModel): SpecIssue[] {
  const services = spec.controlPlane.services;
  const used = cephPoolApplications(spec.storage, services);
  if (services.includes("ceilometer")) used.add("metrics");
  const backends = spec.storage.backends.flatMap((b) => (b.kind === "ceph" ? [b] : []));
  const written = (pool: CephPoolModel) =>
    pool.application === "volumes"
      ? backends.some((b) =>
          b.cephPool ? b.cephPool === pool.name : backendPool(ceph, b.deviceClass) === pool,
        )
      : cephPoolFor(ceph.pools, pool.application) === pool;
  return (spec.storage.ceph?.pools ?? []).flatMap((declared, i) => {
    const pool = ceph.pools.find((p) => p.name === declared.name);
    if (!pool || !used.has(pool.application) || written(pool)) return [];
    const taker =
      pool.application === "volumes"
        ? "no Ceph backend takes it (a backend takes the volumes pool naming its deviceClass, else one on that class, the cluster's when it names none, else the first by name)"
        : `${APPLICATION_WRITER[pool.application]} writes only the first ${pool.application} pool by name, ${cephPoolFor(ceph.pools, pool.application)?.name}`;
    return [
      {
        code: "ceph-pool-unused",
        severity: "warning" as const,
        path: ["storage", "ceph", "pools", i],
        message: `pool ${pool.name} is made with ${pool.pgNum} placement groups but nothing writes it: ${taker}; remove it${pool.application === "volumes" ? " or give a backend its deviceClass" : ""}`,
      },
    ];
  });
}

/** The network the internal VIP and APIs live on. */
export function findApiNetwork(networks: readonly NetworkSpec[]): NetworkSpec | undefined {
  return (
    networks.find((n) => n.role === "internal-api") ?? networks.find((n) => n.role === "management")
  );
}

/** Time sources per role: the controllers ask the servers, the others whom `clients` says. */
function ntpModel(
  ntp: NonNullable<Spec["ntp"]>,
  nodes: readonly NodeModel[],
  management: string | undefined,
): NtpModel {
  const controllerAddresses = nodes
    .filter((n) => n.role === "controller")
    .map((n) => (management ? n.addresses[management] : undefined))
    .filter((a): a is string => a !== undefined);
  const clients =
    ntp.clients === "controllers" && controllerAddresses.length ? "controllers" : "servers";
  const sources: Partial<Record<NodeRole, readonly string[]>> = {};
  for (const role of ROLE_ORDER) {
    if (!nodes.some((n) => n.role === role)) continue;
    sources[role] =
      role === "controller" || clients === "servers" ? ntp.servers : controllerAddresses;
  }
  return {
    servers: ntp.servers,
    clients,
    sources,
    peers: clients === "controllers" ? controllerAddresses : [],
  };
}

/** `output.tenantStacks` in its long form: a bare layout applies everything with admin credentials. */
function tenantStacksOf(spec: Spec): Model["output"]["tenantStacks"] {
  const t = spec.output.tenantStacks;
  return typeof t === "string" ? { layout: t, networkCredentials: "admin" } : t;
}

/** Nova's quotas of server groups per project and of members per group, unless set. */
const NOVA_DEFAULT_SERVER_GROUPS = 10;
const NOVA_DEFAULT_SERVER_GROUP_MEMBERS = 10;

/**
 * Every router's gateway on the external network takes an address of its allocation pool, as
 * each floating IP does: Neutron fails the router past it (IpAddressGenerationFailure), and the
 * floating IPs the quotas allow past what the gateways leave.
 */
function externalPoolIssues(
  spec: Spec,
  networks: readonly NetworkModel[],
  tenants: readonly TenantModel[],
  legacy: LegacyModel | undefined,
): SpecIssue[] {
  const external = networks.find((n) => n.external);
  if (!external) return [];
  const index = spec.network.networks.findIndex((n) => n.name === external.name);
  const ranged = spec.network.networks[index]?.floatingIpRange !== undefined;
  const path = ["network", "networks", index, ranged ? "floatingIpRange" : "cidr"];
  const pool = poolSize(external);
  const routers = tenants.filter((t) => t.network).length + (legacy?.externalGateway ? 1 : 0);
  const floating = tenants.reduce((sum, t) => sum + t.quota.floatingIps, 0);
  const gateways = `${routers} ${routers === 1 ? "router takes" : "routers take"} a gateway address of it${legacy?.externalGateway ? " (the tenants' and the legacy VPN's)" : ""}`;
  if (routers > pool)
    return [
      {
        code: "external-pool-routers",
        path,
        severity: "error",
        message: `the allocation pool of external network ${external.name} holds ${pool} addresses, but ${gateways}: Neutron fails the routers past it; widen ${ranged ? "floatingIpRange" : "the network"}`,
      },
    ];
  if (routers + floating > pool)
    return [
      {
        code: "external-pool-floating",
        path,
        severity: "warning",
        message: `the allocation pool of external network ${external.name} holds ${pool} addresses, but ${gateways} and the tenants' quotas allow ${floating} floating IPs: ${routers + floating - pool} of them find no address; widen ${ranged ? "floatingIpRange" : "the network"} or lower quota.floatingIps`,
      },
    ];
  return [];
}

function resolveTenants(
  spec: Spec,
  identity: IdentityModel,
  pools: readonly PoolModel[],
  tenantMtu: number,
  legacy: LegacyModel | undefined,
  issues: SpecIssue[],
  /** Hosts running Neutron's agents: several give each network two DHCP agents. */
  networkHosts: number,
): TenantModel[] {
  const { layout, networkCredentials } = tenantStacksOf(spec);
  // A tenant is on a pool by tenants[].pool or by one of its flavors, as for server groups.
  const onPool = (t: Spec["tenants"][number], p: PoolModel) =>
    isTenantPool(p, t.pool) || p.flavors.some((f) => t.flavors.includes(f.name));
  const serverGroupsOf = (t: Spec["tenants"][number]) =>
    pools
      .filter((p) => onPool(t, p))
      .flatMap((p) =>
        p.serverGroups.map((g) => ({
          pool: p.id,
          ...g,
          novaName: [spec.output.namingPrefix, p.id, g.name].join("-"),
        })),
      )
      .sort((a, b) => (a.pool === b.pool ? byName(a, b) : a.pool < b.pool ? -1 : 1));
  const legacyGroupsOf = (t: Spec["tenants"][number]) => {
    const flows = (legacy?.flows ?? []).filter(
      (f) =>
        f.pools.length === 0 ||
        pools.some((p) => (f.pools.includes(p.name) || f.pools.includes(p.id)) && onPool(t, p)),
    );
    const keys = new Set(flows.map((f) => f.group));
    return (legacy?.groups ?? []).filter((g) => keys.has(g.key)).map((g) => g.key);
  };
  const out: TenantModel[] = [];
  // Each tenant's role assignments, gathered in one pass (assignments keep their order).
  const assignmentsOf = new Map<string, RoleAssignmentModel[]>();
  for (const a of identity.assignments) {
    if (a.tenant === undefined) continue;
    const list = assignmentsOf.get(a.tenant);
    if (list) list.push(a);
    else assignmentsOf.set(a.tenant, [a]);
  }
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
    const declaredPerType = new Map(
      Object.entries(t.quota.perVolumeType ?? {}).map(
        ([key, limits]) => [typeName(key), limits] as const,
      ),
    );
    // Every volume type of the design, unlimited (Cinder's -1) where the tenant sets no limit:
    // a limit dropped from the spec is set back, as the provider never clears a key it no longer
    // declares.
    const perVolumeType = Object.fromEntries(
      [...new Set(spec.storage.backends.map((b) => b.volumeType))].sort().map((type) => {
        const limits = declaredPerType.get(type);
        return [
          type,
          { volumes: limits?.volumes ?? UNLIMITED, gigabytes: limits?.gigabytes ?? UNLIMITED },
        ] as const;
      }),
    );
    const serverGroups = serverGroupsOf(t);
    const declared = { ...DEFAULTS.tenantQuota, ...stripUndefined(t.quota) };
    // An instance on the shared legacy bridge has a second port there, charged to the tenant, as
    // is one on a provider network it is given beside its own network.
    const extraPorts = {
      legacy: legacyGroupsOf(t).length ? 1 : 0,
      provider: t.network && t.providerNetworks.length ? 1 : 0,
    };
    const portsPerInstance = 1 + extraPorts.legacy + extraPorts.provider;
    const instancePorts = declared.instances * portsPerInstance;
    // Its own network's router interface and DHCP (or metadata) ports, and a VIP port per load
    // balancer.
    const networkPorts = t.network
      ? 1 +
        subnetServicePorts(
          neutronMechanism(spec.network),
          t.network.cidr.includes(":") ? 6 : 4,
          networkHosts,
        )
      : 0;
    const vipPorts = spec.controlPlane.services.includes("octavia") ? declared.loadBalancers : 0;
    // (as the warning names Neutron's own ports beside the router interface)
    const servicePorts =
      networkPorts < 2
        ? ""
        : neutronMechanism(spec.network) === "ovn"
          ? " and metadata port"
          : networkPorts > 2
            ? " and DHCP ports"
            : " and DHCP port";
    if (t.quota.ports !== undefined && t.quota.ports < instancePorts + networkPorts + vipPorts)
      issues.push({
        code: "quota-ports-below-instances",
        path: ["tenants", i, "quota", "ports"],
        severity: "warning",
        message: `${t.quota.ports} ports for ${declared.instances} instances: each instance takes ${portsPerInstance === 1 ? "a port" : `${portsPerInstance === 2 ? "two ports" : "three ports"} (${[extraPorts.legacy ? "one on the legacy bridge" : "", extraPorts.provider ? "one on a provider network it is given" : ""].filter(Boolean).join(" and ")})`}${[
          networkPorts
            ? `its network's router interface${servicePorts} take${servicePorts ? "" : "s"} ${networkPorts}`
            : "",
          vipPorts ? `its load balancers' VIPs up to ${vipPorts}` : "",
        ]
          .filter(Boolean)
          .map((x) => `, and ${x}`)
          .join(
            "",
          )}: ${instancePorts + networkPorts + vipPorts} in all, so Nova refuses instances past the ports; raise quota.ports or leave it out to have it computed`,
      });
    const q = {
      ...declared,
      // Nova takes each instance's port from the Neutron quota, next to the router interface,
      // DHCP ports (up to 3 agents) of each subnet, the metadata port of each network and each
      // load balancer's VIP: a fixed default would refuse instances the compute quota allows.
      ports:
        t.quota.ports ??
        Math.max(
          DEFAULTS.tenantQuota.ports,
          instancePorts + 4 * declared.subnets + declared.networks + declared.loadBalancers,
        ),
      // Nova's defaults (10 groups of 10) would refuse a pool's 11th instance in its group.
      serverGroups: Math.max(NOVA_DEFAULT_SERVER_GROUPS, serverGroups.length),
      serverGroupMembers: Math.max(NOVA_DEFAULT_SERVER_GROUP_MEMBERS, declared.instances),
      // Cinder's defaults (10 backups, 1000 GB) would refuse backing up the volumes the quota
      // allows: a backup of each volume by default.
      backups: t.quota.backups ?? declared.volumes,
      backupGiB: t.quota.backupGiB ?? declared.volumeGiB,
      perVolumeType,
    };
    const block = t.network ? parseCidr(t.network.cidr) : undefined;
    const network =
      t.network && block
        ? {
            cidr: canonicalCidr(t.network.cidr),
            ipVersion: block.version,
            gateway: addressAt(block, firstHostOffset(block)),
            // A subnet takes DNS servers of its own IP version only.
            dnsServers: ofVersion(t.network.dnsServers ?? spec.network.dnsServers, block.version),
            mtu: t.network.mtu ?? tenantMtu,
            fromSubnetPool: (spec.network.tenantSubnetPool?.prefixes ?? []).some((p) =>
              within(block, parseCidr(p)),
            ),
          }
        : undefined;
    const ssh = t.sshCidrs.map(sshSource);
    t.ingress.forEach((rule, j) =>
      rule.sources.forEach((source, k) =>
        issues.push(
          ...sensitiveOpen(
            rule,
            source,
            ["tenants", i, "ingress", j, "sources", k],
            "publish it to the networks that need it",
          ),
        ),
      ),
    );
    const tiers = tierGroups(t, i, issues, (tier) =>
      openstackName(spec.output.namingPrefix, id, "tier", tier),
    );
    // The base group's rules: all traffic inside it (IPv4, IPv6) unless tiers keep the instances
    // apart, then SSH and ICMP per source.
    const baseGroupOpen = !tiers.length || !t.tiersEnforced;
    const baseRules = tenantBaseRules(ssh, baseGroupOpen);
    if (!t.tiersEnforced)
      issues.push({
        code: tiers.length ? "tiers-not-enforced" : "tiers-enforced-unused",
        path: ["tenants", i, "tiersEnforced"],
        severity: "warning",
        message: tiers.length
          ? `tenant ${t.name}'s base group still admits all traffic between its instances, so its tiers keep nothing apart; remove tiersEnforced: false once each running instance is in its tier's group`
          : `tenant ${t.name} has no tiers, and its base group admits all traffic between its instances whatever tiersEnforced says; remove tiersEnforced`,
      });
    const usage = {
      networks: network ? 1 : 0,
      subnets: network ? 1 : 0,
      routers: network ? 1 : 0,
      securityGroups: 2 + tiers.length,
      securityGroupRules:
        DEFAULT_GROUP_RULES +
        NEW_GROUP_EGRESS_RULES * (1 + tiers.length) +
        baseRules.length +
        tiers.reduce((n, g) => n + g.rules.length, 0),
    };
    for (const [key, used] of Object.entries(usage) as [keyof typeof usage, number][])
      if (q[key] < used)
        issues.push({
          code: "quota-below-stack",
          path: ["tenants", i, "quota", key],
          severity: "error",
          message: `quota.${key} ${q[key]} is below the ${used} the tenant's own stack creates (its network, subnet and router, its base security group beside the default one Neutron makes${tiers.length ? `, its ${tiers.length} tier ${tiers.length === 1 ? "group" : "groups"}` : ""}, and their rules), so Neutron refuses them; raise it to at least ${used}`,
        });
    const roles = (assignmentsOf.get(id) ?? []).map((a) => a.role);
    if (
      networkCredentials === "project" &&
      !roles.some((r) => NETWORK_WRITER_ROLES.has(r.toLowerCase()))
    )
      issues.push({
        code: "tenant-member-missing",
        path: ["tenants", i, "groups"],
        severity: "warning",
        message: `tenant ${t.name}'s network stack is applied with an application credential a member of its project makes (output.tenantStacks.networkCredentials: project), but no group of the design gets member, manager or admin on it (${roles.length ? `roles: ${[...new Set(roles)].join(", ")}` : "no group at all"}): a credential carries its maker's roles, and Neutron lets members create networks; give a group role member`,
      });
    out.push({
      id,
      name: t.name,
      ...(t.domain ? { domain: t.domain } : {}),
      ...(t.description ? { description: t.description } : {}),
      ...(t.pool ? { pool: t.pool } : {}),
      legacyGroups: legacyGroupsOf(t),
      quota: q,
      groups: (assignmentsOf.get(id) ?? []).map((a) => ({
        name: a.group,
        role: a.role,
        ...(a.fromTenantGroups ? {} : { domain: a.groupDomain }),
      })),
      ...(network ? { network } : {}),
      ssh,
      usersWeb: t.usersWeb,
      // (a pair repeated is refused: duplicate-cidr)
      ingress: t.ingress.flatMap((rule) => services(rule, rule.sources)),
      ...(t.egress
        ? { egress: t.egress.flatMap((rule) => services(rule, rule.destinations)) }
        : {}),
      ...(tiers.length ? { tiers } : {}),
      baseGroup: openstackName(spec.output.namingPrefix, id, "base"),
      baseGroupOpen,
      stackUsage: usage,
      baseRules,
      keyPairs: t.keyPairs,
      flavors: t.flavors,
      volumeTypes: t.volumeTypes,
      providerNetworks: t.providerNetworks,
      serverGroups,
      stack: t.stack ?? (layout === "single" ? "tenants" : `tenant-${id}`),
      ...(networkCredentials === "project"
        ? {
            networkStack: {
              stack: networkStackName(id),
              cloud: networkCloudName(spec.cloud.cloud, id),
              credential: `stackwright-network-${id}`,
            },
          }
        : {}),
    });
  });
  // A flow only the bridge's groups carry reaches no instance when no tenant gets them.
  for (const flow of legacy?.flows ?? []) {
    if (out.some((t) => t.legacyGroups.includes(flow.group))) continue;
    // (the model's flows are sorted: the spec's index names the flow)
    const fi = spec.legacyUnix?.flows.findIndex((f) => f.name === flow.name) ?? -1;
    issues.push({
      code: "legacy-flow-no-tenant",
      path: ["legacyUnix", "flows", fi],
      severity: "warning",
      message: `${flow.pools.length ? `flow ${flow.name} is limited to pool${flow.pools.length === 1 ? "" : "s"} ${flow.pools.join(", ")}, where no tenant runs (tenants[].pool or a flavor of the pool)` : `flow ${flow.name} is for every pool, and the design has no tenant`}: no project gets the bridge network or its security group, so it reaches no instance; give a tenant one of those pools, or name the pools whose tenants take part`,
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A remote shell, database, queue or storage port a tenant opens, by its router or a tier's
 * group, is held to the admin sources' breadth, as sshCidrs are (ssh-cidr-open).
 */
function sensitiveOpen(
  rule: PortSpan & { readonly protocol: string },
  source: string,
  path: SpecIssue["path"],
  remedy: string,
): SpecIssue[] {
  const sensitive = [...SENSITIVE_PORTS].filter((p) => portIn(p, rule)).sort((a, b) => a - b);
  if (!sensitive.length) return [];
  const broad = tooBroad(
    source,
    lastPort(rule) === rule.port
      ? `${rule.protocol.toUpperCase()} port ${rule.port}`
      : `${rule.protocol.toUpperCase()} ports ${portText(rule)} (${sensitive.length === 1 ? "port" : "ports"} ${someOf(sensitive.map(String), 3)} among them)`,
  );
  return broad
    ? [
        {
          code: "ingress-open",
          path,
          severity: "error",
          message: `${broad}, ${lastPort(rule) === rule.port ? "a port" : "ports"} of remote shells, databases, message queues or storage back ends; ${remedy}`,
        },
      ]
    : [];
}

/**
 * A tenant's tier security groups: each admits its ingress from other tiers' groups (IPv4 and
 * IPv6, as the base group's rule inside it did: instances may share provider networks of either
 * version) and from CIDRs; a sensitive port is held to the admin sources' breadth, as published
 * ingress is.
 */
function tierGroups(
  t: Spec["tenants"][number],
  i: number,
  issues: SpecIssue[],
  neutronName: (tier: string) => string,
): SecurityGroupModel[] {
  const ethertypes = ["IPv4", "IPv6"] as const;
  return t.tiers.map((tier, ti) => {
    const rules = new Map<string, SecurityRuleModel>();
    const add = (rule: SecurityRuleModel) =>
      rules.set(
        [
          rule.ethertype,
          rule.protocol,
          rule.portMin,
          rule.portMax,
          rule.remoteGroup,
          rule.remoteIpPrefix,
        ].join("|"),
        rule,
      );
    tier.ingress.forEach((rule, j) => {
      const port = { protocol: rule.protocol, portMin: rule.port, portMax: lastPort(rule) };
      for (const from of rule.fromTiers)
        for (const ethertype of ethertypes)
          add({
            direction: "ingress",
            ethertype,
            ...port,
            remoteGroup: from,
            description: `${rule.protocol.toUpperCase()} ${portText(rule)} from tier ${from}`,
          });
      rule.sources.forEach((source, k) => {
        issues.push(
          ...sensitiveOpen(
            rule,
            source,
            ["tenants", i, "tiers", ti, "ingress", j, "sources", k],
            "let the tiers or networks that need it reach it",
          ),
        );
        const block = parseCidr(source);
        add({
          direction: "ingress",
          ethertype: block.version === 6 ? "IPv6" : "IPv4",
          ...port,
          remoteIpPrefix: formatCidr(block),
          description: `${rule.protocol.toUpperCase()} ${portText(rule)} from ${formatCidr(block)}`,
        });
      });
    });
    return {
      name: tier.name,
      neutronName: neutronName(tier.name),
      description: `tier ${tier.name}: what its ingress names, beside the base group's SSH and ICMP`,
      rules: [...rules.values()],
    };
  });
}

/** The pools' passthrough devices by kind, with the model the hardware names: in all, and usable. */
function acceleratorTotals(pools: readonly PoolModel[], hw: (name: string) => HardwareModel) {
  const totals = new Map<string, { name: string; model?: string; total: number; usable: number }>();
  for (const p of pools)
    for (const a of p.capacity.accelerators ?? []) {
      const model = hw(p.hardware).accelerators?.find((d) => d.name === a.name)?.model;
      const t = totals.get(a.name) ?? {
        name: a.name,
        ...(model ? { model } : {}),
        total: 0,
        usable: 0,
      };
      totals.set(a.name, { ...t, total: t.total + a.total, usable: t.usable + a.usable });
    }
  const list = [...totals.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return list.length ? { accelerators: list } : {};
}

/** The addresses of one IP version. */
/**
 * Servers by primary role and hardware, each counted once, with the roles they also carry and
 * how many of them carry each.
 */
function inventory(nodes: readonly NodeModel[]): InventoryRow[] {
  const rows = new Map<
    string,
    { role: NodeRole; hardware: string; nodes: NodeModel[]; virtual: boolean }
  >();
  for (const n of nodes) {
    const virtual = n.virtual === true;
    const key = `${n.role}\u0000${n.hardware}\u0000${virtual}`;
    const row = rows.get(key) ?? { role: n.role, hardware: n.hardware, nodes: [], virtual };
    row.nodes.push(n);
    rows.set(key, row);
  }
  const rank = (r: { role: NodeRole }) => ROLE_ORDER.indexOf(r.role);
  return [...rows.values()]
    .sort(
      (a, b) =>
        rank(a) - rank(b) || (a.hardware < b.hardware ? -1 : a.hardware > b.hardware ? 1 : 0),
    )
    .map(({ role, hardware, nodes: members, virtual }) => {
      const roles = ROLE_ORDER.filter((r) => members.some((n) => n.roles.includes(r)));
      const colocated: Partial<Record<NodeRole, number>> = {};
      for (const r of roles)
        if (r !== role) colocated[r] = members.filter((n) => n.roles.includes(r)).length;
      return {
        role,
        roles,
        hardware,
        count: members.length,
        colocated,
        ...(virtual ? { virtual: true as const } : {}),
      };
    });
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A tenant's base group's rules: all traffic between its members (IPv4, IPv6) while the group is
 * open, then SSH and ICMP from each source.
 */
export function tenantBaseRules(
  ssh: readonly TenantSshSource[],
  open: boolean,
): TenantBaseRuleModel[] {
  return [
    ...(open ? (["IPv4", "IPv6"] as const) : []).map((ethertype) => ({
      id: `rule-intra-group-${ethertype.toLowerCase()}`,
      ethertype,
      description: "all traffic between members of this group",
    })),
    ...ssh.flatMap((source) => [
      {
        id: `rule-ssh-${source.key}`,
        ethertype: source.ethertype,
        protocol: "tcp",
        port: SSH_PORT,
        remoteIpPrefix: source.cidr,
        description: `SSH from ${source.cidr}`,
      },
      {
        id: `rule-icmp-${source.key}`,
        ethertype: source.ethertype,
        protocol: source.icmpProtocol,
        remoteIpPrefix: source.cidr,
        description: `ICMP from ${source.cidr}`,
      },
    ]),
  ];
}

/** A tenant SSH source as the security group rules need it. */
export function sshSource(written: string): TenantSshSource {
  const block = parseCidr(written);
  const v6 = block.version === 6;
  const cidr = formatCidr(block);
  return {
    written,
    cidr,
    key: stableId(cidr),
    ethertype: v6 ? "IPv6" : "IPv4",
    icmpProtocol: v6 ? "ipv6-icmp" : "icmp",
  };
}

/** The legacy section without its VPN as written, which the model gives with its crypto. */
const withoutVpn = <T extends { vpn?: unknown }>({ vpn: _vpn, ...rest }: T) => rest;

const VPN_CRYPTO = { auth: "sha256", encryption: "aes-256", pfs: "group14" } as const;

function resolveLegacy(
  legacy: NonNullable<Spec["legacyUnix"]>,
  bridge: Pick<NetworkModel, "cidr" | "reservations"> | undefined,
  external: boolean,
  prefix: string,
): LegacyModel {
  // (a bridge network without a gateway is refused before: provider networks have one)
  const bridgeGateway = bridge?.reservations.find(
    (r) => r.kind === "gateway" || r.kind === "legacy-router",
  )?.address;
  const systems = [...legacy.systems].sort(byName);
  const groupOf = legacyGroupOf(legacy.flows);
  const flows = [...legacy.flows].sort(byName).map((f) => ({ ...f, group: groupOf(f).key }));
  // Route destinations and next hops are ForceNew; Neutron returns them in canonical form.
  const subnets = legacy.subnets.map(canonicalCidr);
  const peers = legacy.vpn?.peerCidrs.map(canonicalCidr) ?? [];
  const nextHop = canonicalAddress(legacy.nextHop);
  const hostRoutes = [
    ...subnets.map((destination) => ({ destination, nextHop })),
    ...(bridgeGateway
      ? peers.map((destination) => ({ destination, nextHop: canonicalAddress(bridgeGateway) }))
      : []),
  ];
  return {
    ...withoutVpn(legacy),
    subnets,
    routerAddress: bridgeGateway ?? "",
    hostRoutes: hostRoutes.filter(
      (r, i) => hostRoutes.findIndex((o) => o.destination === r.destination) === i,
    ),
    routerRoutes: legacy.subnetGateway ? subnets : [],
    ...(legacy.vpn
      ? {
          vpn: {
            ...legacy.vpn,
            peerCidrs: legacy.vpn.peerCidrs.map(canonicalCidr),
            // (the bridge network's block: a spec naming none is refused before)
            localSubnet: bridge?.cidr ?? "",
            // IKEv2, AES-256, SHA-256 and DH group 14: what current IPsec gateways all take.
            ike: { version: "v2", ...VPN_CRYPTO, lifetimeSeconds: 28800 },
            ipsec: { mode: "tunnel", protocol: "esp", ...VPN_CRYPTO, lifetimeSeconds: 3600 },
            dpd: { action: "restart", interval: 30, timeout: 120 },
          } as const,
        }
      : {}),
    externalGateway: legacy.vpn !== undefined && external,
    systems,
    flows,
    // Pools joined by '+', which no pool name holds: `app-db` and `app`, `db` differ.
    groups: legacyGroups(flows).map((g) => ({
      ...g,
      neutronName: openstackName(
        prefix,
        "legacy",
        g.direction,
        ...(g.key === g.direction ? [] : [g.pools.join("+")]),
      ),
    })),
    rules: legacyRules(flows, systems),
  };
}

/** PostgreSQL cuts identifiers to 63 bytes (NAMEDATALEN - 1). */
const PG_IDENTIFIER_MAX = 63;

/**
 * With the pg backend every stack keeps its state in a schema named after it (synth/stack.ts);
 * PostgreSQL cuts longer names, so two stacks alike in their first 63 bytes would share a state.
 */
function pgSchemaIssues(spec: Spec, tenants: readonly TenantModel[]): SpecIssue[] {
  const backend = spec.output.backend;
  if (backend.type !== "pg") return [];
  return tenants.flatMap((t) =>
    [t.stack, ...(t.networkStack ? [t.networkStack.stack] : [])].flatMap((stack) => {
      const schema = pgSchemaName(backend.schemaName, stack);
      const bytes = Buffer.byteLength(schema);
      return bytes <= PG_IDENTIFIER_MAX
        ? []
        : [
            {
              code: "backend-schema-too-long",
              path: backend.schemaName
                ? ["output", "backend", "schemaName"]
                : ["tenants", spec.tenants.findIndex((st) => tenantId(st) === t.id), "id"],
              severity: "error" as const,
              message: `stack ${stack} keeps its state in PostgreSQL schema ${schema}, ${bytes} bytes; PostgreSQL cuts names to ${PG_IDENTIFIER_MAX}, so stacks alike in their first ${PG_IDENTIFIER_MAX} would share one state: shorten output.backend.schemaName or the tenant's id`,
            },
          ];
    }),
  );
}

/**
 * ML2 reserves a physical network for the first flat network on it (type_flat:
 * FlatNetworkInUse): a second flat network there fails to create, in Terraform or in Kolla's
 * amphora network setup.
 */
function flatNetworkIssues(networks: readonly NetworkModel[], spec: Spec): SpecIssue[] {
  const first = new Map<string, string>();
  const out: SpecIssue[] = [];
  for (const n of networks) {
    if (n.networkType !== "flat" || n.physicalNetwork === undefined) continue;
    const taken = first.get(n.physicalNetwork);
    if (taken === undefined) {
      first.set(n.physicalNetwork, n.name);
      continue;
    }
    const i = spec.network.networks.findIndex((x) => x.name === n.name);
    out.push({
      code: "flat-physnet-shared",
      path: ["network", "networks", i],
      severity: "error",
      message: `flat networks ${taken} and ${n.name} are both on physical network ${n.physicalNetwork}: Neutron takes one flat network per physical network and refuses the second (FlatNetworkInUse); give ${n.name} a VLAN id (network.networks[${i}].vlan) or a physical network of its own`,
    });
  }
  return out;
}

/** Octavia's topology and the amphorae each load balancer boots. */
function octaviaModel(
  topology: "single" | "active-standby" = DEFAULTS.octaviaTopology,
): Pick<NonNullable<Model["controlPlane"]["octavia"]>, "topology" | "amphoraePerLoadBalancer"> {
  return { topology, amphoraePerLoadBalancer: topology === "active-standby" ? 2 : 1 };
}

/**
 * Hosts with a default route that reach none of the DNS servers: of another IP version than the
 * route, on no network they join (an IPv6 management network beside IPv4 servers). Without names
 * they install no packages and pull no images.
 */
function dnsReachIssues(nodes: readonly NodeModel[], spec: Spec): SpecIssue[] {
  if (!spec.network.dnsServers.length) return [];
  const byRoute = new Map<string, string[]>();
  for (const n of nodes)
    if (n.defaultGateway && n.nameservers.length === 0)
      byRoute.set(n.defaultGateway.network, [
        ...(byRoute.get(n.defaultGateway.network) ?? []),
        n.name,
      ]);
  return [...byRoute].map(([route, hosts]) => ({
    code: "dns-unreachable",
    path: ["network", "dnsServers"],
    severity: "error",
    message: `${someOf(hosts)} route by network ${route}, of another IP version than the DNS servers ${spec.network.dnsServers.join(", ")}, and join no network holding one: they could resolve no name (packages, container images); add a DNS server of ${route}'s IP version, or one on a network they join`,
  }));
}

/** Top-level domains no public name is under (RFC 6762, RFC 8375, ICANN's .internal, habits). */
const PRIVATE_SUFFIXES = [
  ".local",
  ".internal",
  ".intranet",
  ".lan",
  ".corp",
  ".home.arpa",
  ".localdomain",
];

/**
 * Hosts that reach none of their time servers, and controllers (Keystone) none of a directory's
 * servers, where all are given by address: of another IP version than every route they have.
 * Servers given by name are not judged (DNS may answer in either version).
 */
function serverReachIssues(
  nodes: readonly NodeModel[],
  reachOf: ReadonlyMap<string, (address: string) => boolean>,
  ntp: NtpModel | undefined,
  identity: IdentityModel,
  /** The domains as the spec lists them (the model's are sorted by name). */
  specDomains: readonly string[],
  enterpriseRouted: boolean,
  hostDomain: string,
): SpecIssue[] {
  const literal = (a: string) => isIP(a) !== 0;
  const urlPath = (domain: string) => [
    "identity",
    "domains",
    specDomains.indexOf(domain),
    "ldap",
    "url",
  ];
  const out: SpecIssue[] = [];
  if (ntp) {
    const lost = nodes.filter((n) => {
      const sources = ntp.sources[n.role] ?? [];
      const reaches = reachOf.get(n.name);
      return (
        reaches && sources.length > 0 && sources.every(literal) && !sources.some((s) => reaches(s))
      );
    });
    if (lost.length)
      out.push({
        code: "ntp-unreachable",
        path: ["ntp", "servers"],
        severity: "error",
        message: `${someOf(lost.map((n) => n.name))} reach none of their time servers (${[...new Set(lost.flatMap((n) => ntp.sources[n.role] ?? []))].join(", ")}): none stands on a network they join, and none is of the IP version of a route they have (their default route's, say); add one they reach: on a network they join, or of their default route's IP version`,
      });
    // A server some hosts cannot reach leaves them fewer sources than the design counts: chrony
    // needs three to outvote a wrong clock.
    ntp.servers.forEach((server, i) => {
      if (!literal(server)) return;
      const short = nodes.filter((n) => {
        const reaches = reachOf.get(n.name);
        return (
          reaches && !lost.includes(n) && ntp.sources[n.role]?.includes(server) && !reaches(server)
        );
      });
      if (short.length)
        out.push({
          code: "ntp-server-unreachable",
          path: ["ntp", "servers", i],
          severity: "warning",
          message: `${someOf(short.map((n) => n.name))} cannot reach time server ${server}: it stands on no network they join, and is of the IP version of no route they have; chrony there counts it as a source it never hears from; remove it, or give a server of their networks' IP version instead`,
        });
    });
  }
  const controllers = nodes.filter((n) => n.role === "controller");
  identity.domains.forEach((d) => {
    const servers = d.ldap?.servers.map((s) => s.host) ?? [];
    if (!servers.length) return;
    // (all unreachable only where every server is an address: a name may resolve to one)
    const lost = servers.every(literal)
      ? controllers.filter((n) => {
          const reaches = reachOf.get(n.name);
          return reaches && !servers.some((s) => reaches(s));
        })
      : [];
    if (lost.length)
      out.push({
        code: "ldap-unreachable",
        path: urlPath(d.name),
        severity: "error",
        message: `the controllers (${someOf(lost.map((n) => n.name))}), where Keystone runs, reach none of domain ${d.name}'s directory servers (${servers.join(", ")}): none stands on a network they join, and none is of the IP version of a route they have (their default route's, say); give one they reach: on a network they join, or of their default route's IP version`,
      });
    // One they cannot reach beside others: Keystone tries the URL's servers in turn, and waits
    // out this one's timeout each time it comes first.
    else
      for (const server of new Set(servers.filter(literal))) {
        const short = controllers.filter((n) => {
          const reaches = reachOf.get(n.name);
          return reaches !== undefined && !reaches(server);
        });
        if (short.length)
          out.push({
            code: "ldap-server-unreachable",
            path: urlPath(d.name),
            severity: "warning",
            message: `the controllers (${someOf(short.map((n) => n.name))}) cannot reach domain ${d.name}'s directory server ${server}: it stands on no network they join, and is of the IP version of no route they have; Keystone tries it in turn and waits out its timeout whenever it comes first; remove it from the URL, or give a server of their networks' IP version instead`,
          });
      }
  });
  // A directory server given by name goes by the default route: where the controllers' default
  // leaves by a public network, it leaves the enterprise, unless its networks are routed. (Time
  // servers by name may well be public ones.)
  const keystone = nodes.filter(
    (n) =>
      n.role === "controller" &&
      n.managementReplies !== undefined &&
      n.defaultGateway !== undefined &&
      !isPrivateAddress(n.defaultGateway.address),
  );
  if (keystone.length && !enterpriseRouted)
    identity.domains.forEach((d) => {
      const names = (d.ldap?.servers.map((s) => s.host) ?? []).filter((h) => !literal(h));
      if (!names.length) return;
      const one = names.length === 1;
      out.push({
        code: "ldap-public-route",
        path: urlPath(d.name),
        severity: "warning",
        message: `domain ${d.name}'s directory server${one ? "" : "s"} ${names.join(", ")} ${one ? "is" : "are"} given by name: the controllers (${someOf(keystone.map((n) => n.name))}) send ${one ? "it" : "them"} by their default route, through ${keystone[0].defaultGateway?.network} (${keystone[0].defaultGateway?.address}, a public address), not by the management gateway as a server given by address; list the enterprise's networks in network.enterpriseCidrs, or give ${one ? "its address" : "their addresses"}${d.ldap?.transport === "plain" ? "" : ` where ${one ? "its certificate names it" : "their certificates name them"} (TLS checks the URL's host against the certificate, and a domain controller's usually names DNS names only)`}`,
      });
    });
  // A time server named inside the enterprise (a private top-level domain, or the hosts' own
  // domain) goes the same way; a public one (pool.ntp.org) is meant to.
  const inside = (name: string) => {
    const n = name.toLowerCase().replace(/\.$/, "");
    return (
      !n.includes(".") ||
      n === hostDomain ||
      n.endsWith(`.${hostDomain}`) ||
      PRIVATE_SUFFIXES.some((s) => n.endsWith(s))
    );
  };
  const privateNames = (ntp?.servers ?? []).filter((s) => !literal(s) && inside(s));
  const askers = nodes.filter(
    (n) =>
      n.managementReplies !== undefined &&
      n.defaultGateway !== undefined &&
      !isPrivateAddress(n.defaultGateway.address) &&
      (ntp?.sources[n.role] ?? []).some((s) => privateNames.includes(s)),
  );
  if (askers.length && !enterpriseRouted) {
    const one = privateNames.length === 1;
    out.push({
      code: "ntp-public-route",
      path: ["ntp", "servers"],
      severity: "warning",
      message: `time server${one ? "" : "s"} ${privateNames.join(", ")} ${one ? "is" : "are"} named inside the enterprise but given by name: ${someOf(askers.map((n) => n.name))} send${askers.length === 1 ? "s" : ""} ${one ? "it" : "them"} by the default route, through ${askers[0].defaultGateway?.network} (${askers[0].defaultGateway?.address}, a public address), not by the management gateway as a server given by address; give ${one ? "its address" : "their addresses"}, or list the enterprise's networks in network.enterpriseCidrs`,
    });
  }
  return out;
}

/**
 * Tenants given the legacy bridge for different flows share its one segment and subnet: a member
 * may attach a port with groups of the project's own (Neutron lets it), and reach through the
 * next hop what another tenant's flows were declared for. Only the legacy side's firewall sees
 * that traffic, by destination and port.
 */
function legacySharedIssues(
  tenants: readonly TenantModel[],
  legacy: LegacyModel | undefined,
): SpecIssue[] {
  if (!legacy) return [];
  const flowsOf = (t: TenantModel) =>
    legacy.flows.filter((f) => t.legacyGroups.includes(f.group)).map((f) => f.name);
  const given = tenants.filter((t) => t.legacyGroups.length);
  const kinds = new Map<string, string[]>();
  for (const t of given) {
    const key = flowsOf(t).join("\n");
    kinds.set(key, [...(kinds.get(key) ?? []), t.name]);
  }
  if (kinds.size < 2) return [];
  const sets = [...kinds.entries()].map(
    ([flows, names]) => `${someOf(names, 3)}: ${flows.split("\n").join(", ")}`,
  );
  return [
    {
      code: "legacy-bridge-mixed",
      path: ["legacyUnix", "flows"],
      severity: "warning",
      message: `tenants given the bridge network ${legacy.network} for different flows share its one segment and subnet (${sets.join("; ")}); a project member may attach a port to it with any of the project's own security groups (Neutron allows it), and the instance then reaches every legacy system through the next hop ${legacy.nextHop} on any port, the flows' security groups binding only the ports made with them; a firewall there cannot tell the tenants apart on one subnet, so each still reaches the others' declared flows; admit at the legacy side's firewall only the declared flows, from the bridge network's subnet, by destination and port`,
    },
  ];
}

/** A standard rack's height in rack units. */
const RACK_UNITS = 42;

/**
 * Servers and switches a rack must hold, by their height (a server's rackUnits, at least 1U; a
 * switch 1U): more than a 42U rack takes is a plan no one can build. Servers of no rack are one
 * rack per site to the switch plan and the proposal, and held to it alike.
 */
function rackFillIssues(
  servers: readonly NodeModel[],
  switches: readonly { readonly rack?: string; readonly site?: string }[],
  spec: Spec,
): SpecIssue[] {
  const units = new Map(spec.hardware.map((h) => [h.name, h.rackUnits ?? 1]));
  // Each rack where a zone first lists it (a suppression then holds for that rack alone).
  const declared = (rack: string): SpecIssue["path"] => {
    const zi = spec.zones.findIndex((z) => z.racks.includes(rack));
    return zi < 0 ? ["zones"] : ["zones", zi, "racks", spec.zones[zi].racks.indexOf(rack)];
  };
  return rackGroups(servers).flatMap((g) => {
    const switchUnits = switches.filter((s) =>
      g.rack !== undefined ? s.rack === g.rack : s.rack === undefined && s.site === g.site,
    ).length;
    const fill =
      g.servers.reduce((n, server) => n + (units.get(server.hardware) ?? 1), 0) + switchUnits;
    if (fill <= RACK_UNITS) return [];
    const what =
      g.rack !== undefined
        ? `rack ${g.rack}'s ${g.servers.length} servers and its switches take`
        : `the ${g.servers.length} servers of no rack${g.site ? ` at site ${g.site}` : ""}, which the switch plan and the proposal count as one rack, and their switches take`;
    return [
      {
        code: "rack-overfull",
        path: g.rack !== undefined ? declared(g.rack) : ["zones"],
        severity: "warning" as const,
        message: `${what} ${fill}U by the hardware's rackUnits (1U where a profile states none), beyond the ${RACK_UNITS}U of a standard rack; spread the servers over more racks`,
      },
    ];
  });
}

/** A port (or range) to or from each block, the block as Neutron stores it. */
function services(
  rule: PortSpan & { readonly protocol: "tcp" | "udp" },
  blocks: readonly string[],
): TenantServiceModel[] {
  return blocks.map((block) => ({
    protocol: rule.protocol,
    port: rule.port,
    ...(lastPort(rule) !== rule.port ? { toPort: lastPort(rule) } : {}),
    cidr: formatCidr(parseCidr(block)),
  }));
}
