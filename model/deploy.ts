import { ovsBridgeName } from "../core/host-devices";
import { pinnedCpuLayout } from "./capacity";
import {
  DEFAULT_FIREWALL_GROUP_RULES,
  DEFAULT_GROUP_RULES,
  FIREWALL_RULE_QUOTA,
  NEW_GROUP_EGRESS_RULES,
  haRouters,
  neutronMechanism,
  type NeutronMechanism,
} from "../core/neutron";
import type { Spec } from "../spec/schema";
import { formatPath, type SpecIssue } from "../core/errors";
import { urlHost } from "../core/net";
import { DEFAULTS } from "../core/defaults";
import { PHYSICAL_NETWORK_ROLES } from "../core/vocabulary";
import type { DesignFacts } from "./design-facts";
import type {
  CephFailureDomain,
  HardwareModel,
  Model,
  NetworkModel,
  NetworkRole,
  NodeModel,
  NodeRole,
  PoolModel,
} from "./types";
import { metricStore, type MetricStore } from "../core/metric-store";
import { volumeHostsMode, volumeLocks } from "../core/volume-hosts";
import { valkeyDeployed } from "../core/valkey";
import {
  classDiskBand,
  osdCandidates,
  osdDiskBand,
  rocksDbDisks,
  rocksDbShare,
  rotational,
} from "../core/ceph-disks";
import { backupStoragePolicy, objectStore } from "../core/object-stores";
import {
  CEPH_DEFAULT_POOL_SIZE,
  cephPoolFor,
  erasureLayout,
  RBD_METADATA_PGS,
  rbdDataPoolName,
  replicatedPoolSize,
  type CephApplication,
} from "../core/ceph-pools";
import { CEPH_RGW_PORT, KEYSTONE_PORT, SWIFT_PROXY_PORT } from "./ports";
import { someOf } from "../core/lists";
import { KOLLA_GROUPS, KOLLA_GROUPS_BY_ROLE, type KollaGroup } from "../core/kolla-groups";

/** Aggregate metadata key that pins flavors to a pool; the flavors carry it as an extra spec. */
export const POOL_AGGREGATE_KEY = "pool";

/**
 * Nova's default scheduler filters (nova 2023.1+ `[filter_scheduler] enabled_filters`) plus the
 * filter that makes `aggregate_instance_extra_specs:pool` on the flavors pin them to their pool.
 */
export const SCHEDULER_FILTERS = [
  "ComputeFilter",
  "ComputeCapabilitiesFilter",
  "ImagePropertiesFilter",
  "ServerGroupAntiAffinityFilter",
  "ServerGroupAffinityFilter",
  "AggregateInstanceExtraSpecsFilter",
] as const;

export interface DeployHost {
  readonly name: string;
  /** Address Ansible and cephadm reach the host on: its management address. */
  readonly address: string;
  readonly roles: readonly NodeRole[];
  readonly kollaGroups: readonly KollaGroup[];
  /** Devices per Kolla interface role; absent when the host is not on that network. */
  readonly interfaces: {
    readonly management?: string;
    readonly api?: string;
    readonly tunnel?: string;
    readonly externalVip?: string;
    /** Octavia's amphora management VLAN (Kolla's octavia_network_interface). */
    readonly octavia?: string;
  };
  /**
   * The Open vSwitch bridges of the host, one per physical network it serves, with the device
   * each is attached to (Kolla's neutron_physical_networks, neutron_bridge_name and
   * neutron_external_interface of the host). Network hosts serve every physical network; compute
   * hosts those instances attach to (provider networks, VLAN or flat tenant networks).
   */
  readonly bridges: readonly HostBridge[];
  /**
   * Where the host's iSCSI targets listen (its LVM or ZFS backends' `target_ip_address`): Kolla's
   * tgtd binds its portal to `tgtd_interface_address`, the API address unless told.
   */
  readonly iscsiTarget?: string;
}

export interface HostBridge {
  readonly physicalNetwork: string;
  readonly bridge: string;
  readonly device: string;
}

export interface PhysicalNetworkModel {
  readonly name: string;
  /** Open vSwitch bridge it is mapped to on the hosts. */
  readonly bridge: string;
  /** Tenant VLAN range on it, when tenants get VLAN networks there. */
  readonly vlanRange?: { readonly min: number; readonly max: number };
  /** Networks of the design on it (external, provider). */
  readonly networks: readonly string[];
  /** Carries VLAN segments (tagged networks or the tenant VLAN range), so ML2 lists it for VLANs. */
  readonly vlan: boolean;
  /** Instances attach to it (provider networks, VLAN or flat tenant networks): computes map it. */
  readonly instances: boolean;
  /** Largest MTU of the Neutron networks on it (tenant networks included): its bond's minimum. */
  readonly mtu: number;
}

export interface NovaHostModel {
  readonly name: string;
  readonly pool: string;
  readonly cpuAllocationRatio: number;
  readonly ramAllocationRatio: number;
  readonly reservedHostMemoryMb: number;
  /** Unpinned pools: CPUs kept for the host (`reserved_host_cpus`). */
  readonly reservedHostCpus?: number;
  /** Pinned pools: host CPUs for pinned guests (`cpu_dedicated_set`). */
  readonly cpuDedicatedSet?: string;
  /**
   * Pinned pools: the CPUs left to the host, in neither of Nova's sets. Not `cpu_shared_set`:
   * Nova would report those as VCPU inventory and place unpinned guests (any flavor without the
   * pool's extra spec, Octavia's amphorae) on them.
   */
  readonly hostCpus?: string;
  /** CPUs in the dedicated set, equal to the pool's dedicated CPUs per host. */
  readonly dedicatedCpus: number;
  /** Devices it passes through to instances (`[pci] device_spec`). */
  readonly pciDevices?: readonly { readonly vendorId: string; readonly productId: string }[];
}

export interface CinderBackendDeployModel {
  readonly name: string;
  readonly kind: "ceph" | "glusterfs" | "zfs" | "lvm";
  readonly volumeBackendName: string;
  /** Hosts that run cinder-volume for it. */
  readonly hosts: readonly string[];
  /** RBD pool for Ceph backends. */
  readonly cephPool?: string;
  /** LVM volume group for LVM and ZFS (LVM on a zvol) backends. */
  readonly volumeGroup?: string;
  readonly targetProtocol?: "iscsi" | "iser";
  /**
   * LVM and ZFS: each host's address on the storage network, where its targets listen (Kolla
   * leaves them on my_ip, the API network).
   */
  readonly targetAddresses?: Readonly<Record<string, string>>;
  /** GlusterFS: the NFS exports of Kolla's nfs_shares file. */
  readonly shares?: readonly string[];
}

export interface CephHostModel {
  readonly name: string;
  readonly address: string;
  readonly labels: readonly string[];
  /**
   * Where cephadm creates the host's CRUSH bucket (its host spec's `location`): under its site's
   * datacenter bucket (and its rack there) or its rack when the rules spread copies across them,
   * which CRUSH only finds as buckets of that type.
   */
  readonly crushLocation?: {
    readonly root: string;
    readonly datacenter?: string;
    readonly rack?: string;
  };
}

export interface CephOsdSpecModel {
  /** `<device class>` of the OSDs it creates. */
  readonly deviceClass: string;
  readonly hosts: readonly string[];
  /** Data disks: spinning (hdd) or not. */
  readonly rotational: boolean;
  /**
   * The data disks' sizes: for the design's own device class the disks its capacity counts, for
   * another the profile's disks of that kind.
   */
  readonly sizeGB: { readonly minGB: number; readonly maxGB: number };
  /**
   * Sizes of the solid-state disks that carry the RocksDB/WAL of spinning OSDs, when the hosts
   * have such disks that no solid-state OSD spec would take too (cephadm's db_devices takes every
   * free disk its filter matches, another spec's OSD disks included).
   */
  readonly dbDevices?: { readonly minGB: number; readonly maxGB: number };
  /** The disks of each host it takes, and what each spinning OSD of the host gets of them. */
  readonly dbDisks?: readonly {
    readonly count: number;
    readonly kind: string;
    readonly sizeGB: number;
  }[];
  readonly dbGBPerOsd?: number;
}

export interface CephPoolDeployModel {
  readonly name: string;
  readonly pgNum: number;
  /** rbd, rgw or gnocchi (librados objects), as `ceph osd pool application enable` takes it. */
  readonly application: "rbd" | "rgw" | "gnocchi";
  readonly rule: string;
  readonly deviceClass: string;
  readonly protection:
    | { readonly kind: "replicated"; readonly size: number; readonly minSize: number }
    | { readonly kind: "erasure-coded"; readonly k: number; readonly m: number };
  /**
   * On erasure-coded Ceph, an RBD pool keeps only the image metadata (replicated, few PGs) and
   * its images' data goes to this erasure-coded pool (the pool's rbd_default_data_pool), which
   * has the design's pg_num.
   */
  readonly dataPool?: {
    readonly name: string;
    readonly pgNum: number;
    readonly rule: string;
    readonly protection: { readonly kind: "erasure-coded"; readonly k: number; readonly m: number };
  };
}

export interface CephDeployModel {
  readonly hosts: readonly CephHostModel[];
  readonly monitors: readonly string[];
  readonly managers: readonly string[];
  /** Host the cluster is bootstrapped on, and its monitor address. */
  readonly bootstrapHost: string;
  readonly bootstrapMonIp: string;
  readonly publicNetwork?: string;
  readonly clusterNetwork?: string;
  /** Its networks are IPv6 only: daemons must bind no IPv4 address (`ms_bind_ipv4 false`). */
  readonly ipv6Only: boolean;
  readonly failureDomain: CephFailureDomain;
  /**
   * Copies of the pools Ceph and its gateways create themselves (`.mgr`, RADOS Gateway's), when
   * the design keeps fewer than Ceph's default three: at three they could not be placed.
   */
  readonly poolDefaults?: { readonly size: number; readonly minSize: number };
  /**
   * The smallest CRUSH bucket type whose whole loss Ceph's monitors leave in (their
   * `mon_osd_down_out_subtree_limit`), where the default, rack, would hold back a host alone in
   * its rack (or site): its OSDs are never marked out, so its data never recovers elsewhere.
   */
  readonly downOutSubtreeLimit?: "datacenter" | "root";
  readonly osdSpecs: readonly CephOsdSpecModel[];
  readonly rules: readonly { readonly name: string; readonly deviceClass: string }[];
  /**
   * The replicated rule, of no device class, of the pools Ceph and its gateways make themselves:
   * one of the rack or site domain when copies go to distinct racks or sites (Ceph's own
   * `replicated_rule` spreads them by host only), else Ceph's own.
   */
  readonly ownPoolsRule: string;
  readonly pools: readonly CephPoolDeployModel[];
  /** RADOS Gateway with the Swift API, when the design serves object storage from Ceph. */
  readonly rgw?: {
    readonly hosts: readonly string[];
    readonly port: number;
    /** The pool the default zone's placement keeps object data in. */
    readonly dataPool: string;
    /** Keystone's internal endpoint, where the gateways check Swift tokens. */
    readonly keystoneUrl?: string;
  };
  /** Pool names Kolla's Cinder, Glance, Nova, Cinder backup and Gnocchi use. */
  readonly kollaPools: {
    readonly volumes?: string;
    readonly images?: string;
    readonly vms?: string;
    readonly backups?: string;
    readonly metrics?: string;
  };
}

/** What the deployment tools (Kolla-Ansible, cephadm) need beyond the rest of the model. */
export interface DeployModel {
  readonly hosts: readonly DeployHost[];
  readonly kollaGroups: Readonly<Record<KollaGroup, readonly string[]>>;
  /**
   * Kolla service groups on fewer hosts than their upstream parent: a single database or
   * message broker on the first controller (Kolla would cluster every controller of `control`).
   */
  readonly serviceHosts: Readonly<Partial<Record<"mariadb" | "rabbitmq", readonly string[]>>>;
  readonly vips: {
    readonly internal?: { readonly address: string; readonly fqdn: string };
    readonly external?: { readonly address: string; readonly fqdn: string };
    readonly virtualRouterId: number;
    readonly ipVersion: 4 | 6;
  };
  /**
   * The noVNC console URL Nova hands clients (nova.conf's novncproxy_base_url as Kolla writes
   * it): HTTPS on the public name, the external VIP's, else the internal one's.
   */
  readonly consoleUrl?: string;
  readonly services: readonly string[];
  /** The registry the hosts pull Kolla's images from, when not Kolla's own (quay.io). */
  readonly registry?: {
    readonly address: string;
    readonly namespace: string;
    readonly username?: string;
  };
  /**
   * Valkey on the controllers for Octavia's jobboard (core/valkey); Kolla then gives Gnocchi its
   * coordination and incoming measures there too.
   */
  readonly valkey: boolean;
  /** Gnocchi, the metric store Ceilometer publishes to: deployed with Ceilometer. */
  readonly gnocchi?: {
    readonly store: MetricStore;
    /** Its Ceph pool and cephx user (Kolla's ceph_gnocchi_pool_name and ceph_gnocchi_user). */
    readonly cephPool?: string;
    readonly cephUser?: string;
  };
  readonly neutron: {
    readonly mechanism: NeutronMechanism;
    readonly typeDrivers: readonly string[];
    readonly tenantNetworkTypes: readonly string[];
    readonly physicalNetworks: readonly PhysicalNetworkModel[];
    /** Flat provider networks' physical networks. */
    readonly flatNetworks: readonly string[];
    readonly vniRange: { readonly min: number; readonly max: number };
    /** L3 HA routers and DHCP agents on several network hosts. */
    readonly agentHa: boolean;
    /**
     * Kolla's agent HA turns l3_ha on, but an HA router's VRRP network is made of a tenant
     * network type, and flat gives none: routers then stay on one L3 agent.
     */
    readonly haRouters: boolean;
    /** Compute hosts map the physical networks too (provider or VLAN tenant networks). */
    readonly computesNeedBridges: boolean;
    /** OVN's southbound relays over Kolla's network and compute hosts (its ovn-controller group). */
    readonly ovnRelays?: { readonly count: number; readonly chassisPerRelay: number };
    /**
     * Neutron's per-project quotas (`[quotas]` of neutron.conf) the admin's project would pass:
     * it owns the platform's security groups and firewall rules and the RBAC entries sharing the
     * legacy bridge with tenants. Each is Neutron's default plus what the platform makes there.
     */
    readonly quotas: readonly NeutronQuotaModel[];
    /**
     * Routes on the legacy bridge's router past Neutron's max_routes (30 per router): its legacy
     * subnets, and under OVN the VPN's peer CIDRs.
     */
    readonly maxRoutes?: number;
    /** Host routes of the legacy bridge's subnet past max_subnet_host_routes (20 per subnet). */
    readonly maxSubnetHostRoutes?: number;
  };
  readonly nova: {
    readonly enabledFilters: readonly string[];
    /**
     * The PCI aliases flavors ask for (`[pci] alias`), read by nova-api to build the request and
     * by nova-compute for moves: every nova service's.
     */
    readonly pciAliases?: readonly {
      readonly name: string;
      readonly vendorId: string;
      readonly productId: string;
      readonly deviceType: "type-PCI" | "type-PF";
    }[];
    readonly aggregateKey: string;
    readonly hosts: readonly NovaHostModel[];
    readonly cephEphemeral: boolean;
    /**
     * Nova's per-user key pair quota (`[quota] key_pairs`, 100) when the tenant stacks upload more
     * as one user: the admin's, or one project member's. Its default plus theirs.
     */
    readonly keyPairQuota?: number;
  };
  readonly cinder: {
    readonly backends: readonly CinderBackendDeployModel[];
    /**
     * The LVM or ZFS backend Kolla writes itself (cinder_backend_lvm_name, its volume group
     * cinder_volume_group): the first; the overrides add the others.
     */
    readonly kollaLvmBackend?: string;
    /**
     * The Ceph backend whose cluster and user cinder-backup takes (Kolla's
     * cinder_backup_backend_ceph_name): the first; Kolla resolves it whatever the backup driver.
     */
    readonly backupCephBackend?: string;
    readonly backup?: {
      readonly driver: "swift" | "ceph";
      readonly container?: string;
      /** Swift storage policy cinder-backup creates its containers with. */
      readonly storagePolicy?: string;
      /**
       * Kolla copies the cephx keyrings of client.cinder and client.cinder-backup into
       * cinder-backup whenever it runs beside a Ceph volume backend, whatever its driver
       * (cinder's external_ceph.yml): pools.sh makes the user, the README says where they go.
       */
      readonly cephKeyrings: boolean;
    };
    /**
     * Kolla child groups (`cinder`: the controllers, `storage`) holding exactly the hosts the
     * backends name. Kolla picks cinder-volume's group by whether LVM is on, not by backend
     * (GlusterFS on block-storage hosts would run on the controllers), so the inventory gives
     * every cinder-volume and cinder-backup group these children. Empty without backends.
     */
    readonly volumeGroups: readonly ("cinder" | "storage")[];
    /**
     * Where Kolla runs iscsid (its own initiator, beside which the host's must stop) with LVM
     * volumes: the child groups the inventory gives the iscsid group (compute and storage, the
     * controllers only as volume hosts) and their hosts. Empty without backends.
     */
    readonly iscsid: { readonly groups: readonly string[]; readonly hosts: readonly string[] };
    /**
     * cinder-volume on several hosts: one active/active cluster of that name (Kolla's
     * cinder_cluster_name, with etcd for Cinder's locks) when every backend is Ceph, which
     * supports it; otherwise each host serves its own backends and Kolla's precheck, which
     * wants a cluster for several hosts, is skipped. Absent with one host.
     */
    readonly volumeHosts?:
      { readonly mode: "cluster"; readonly cluster: string } | { readonly mode: "independent" };
    /** Cinder's locks in etcd (Kolla's cinder_coordination_backend): see volumeLocks. */
    readonly etcdLocks: boolean;
  };
  readonly glance: {
    readonly store: "rbd" | "file" | "swift";
    /**
     * Glance's enabled stores as `name:type`: Kolla-Ansible's own (http always, cinder with
     * Cinder) and the design's store, which Kolla does not list when it is Swift.
     */
    readonly enabledBackends: readonly string[];
    readonly cephPool?: string;
    readonly swiftContainer?: string;
  };
  readonly ceph?: CephDeployModel;
  /** Octavia with its amphora management network (Kolla's provider mode). */
  readonly octavia?: OctaviaDeployModel;
  /**
   * Swift's proxies behind Kolla's HAProxy on the VIPs: Kolla-Ansible no longer deploys Swift,
   * so a custom HAProxy service fronts the proxies at their addresses on the internal VIP's
   * network.
   */
  readonly swiftProxies?: {
    readonly port: number;
    readonly backends: readonly { readonly host: string; readonly address: string }[];
    /** Keystone's internal endpoint, where the proxies' auth_token middleware checks tokens. */
    readonly keystoneUrl?: string;
  };
}

export interface OctaviaDeployModel {
  /** The design's octavia network, which Kolla-Ansible creates in Neutron for the amphorae. */
  readonly network: NetworkModel & { readonly physicalNetwork: string };
  /** Hosts of the health managers and their address on it: where the amphorae report. */
  readonly healthManagers: readonly { readonly host: string; readonly address: string }[];
  /** Kolla's `octavia_loadbalancer_topology`; ACTIVE_STANDBY pairs need Nova anti-affinity. */
  readonly topology: "SINGLE" | "ACTIVE_STANDBY";
  /**
   * The passwords.yml variable of the key amphorae sign their heartbeats with (Kolla-Ansible
   * writes `insecure`); amphorae keep the key they booted with.
   */
  readonly heartbeatKeyVariable: string;
}

/** The passwords.yml variable of Octavia's heartbeat key, which Kolla-Ansible leaves `insecure`. */
export const OCTAVIA_HEARTBEAT_KEY = "octavia_heartbeat_key";

type Base = Omit<Model, "deploy" | keyof DesignFacts>;

/** A Neutron quota of the admin's project: what the platform makes there, the option's value. */
export interface NeutronQuotaModel {
  readonly option: NeutronQuota;
  readonly used: number;
  readonly value: number;
}

/** Neutron's and neutron-fwaas's quota defaults (neutron/conf/quota.py, extensions/firewall_v2.py). */
const NEUTRON_QUOTA_DEFAULTS = {
  quota_rbac_policy: 10,
  quota_security_group: 10,
  quota_security_group_rule: 100,
  quota_firewall_rule: FIREWALL_RULE_QUOTA,
} as const;
type NeutronQuota = keyof typeof NEUTRON_QUOTA_DEFAULTS;

/**
 * The admin's project quotas the platform stack sets through Neutron's API, by the provider's
 * argument (openstack_networking_quota_v2); neutron-fwaas's firewall rule quota has no API.
 */
export const ADMIN_API_QUOTAS = {
  quota_security_group: "securityGroup",
  quota_security_group_rule: "securityGroupRule",
  quota_rbac_policy: "rbacPolicy",
} as const satisfies Partial<Record<NeutronQuota, string>>;
/** Neutron's max_routes: routes per router. */
const NEUTRON_MAX_ROUTES = 30;
/** Neutron's max_subnet_host_routes: host routes per subnet. */
const NEUTRON_MAX_SUBNET_HOST_ROUTES = 20;
/** Nova's [quota] key_pairs: key pairs per user. */
const NOVA_KEY_PAIRS = 100;

/** CRUSH root the rules take (`ceph osd crush rule create-replicated <name> default ...`). */
export const CRUSH_ROOT = "default";
/** The rule Ceph makes itself, by host over every device class (osd_pool_default_crush_rule). */
export const CEPH_DEFAULT_RULE = "replicated_rule";
/** cephx user of Gnocchi: Kolla's ceph_gnocchi_user default. */
const GNOCCHI_CEPH_USER = "gnocchi";
/** LVM volume group of the first LVM backend: Kolla's cinder_volume_group default. */
const FIRST_VOLUME_GROUP = "cinder-volumes";

/** The deployment facts of the design: Kolla-Ansible inventory and configuration, cephadm. */
export function deployModel(
  base: Base,
  spec: Spec,
  ovnRelays?: { readonly count: number; readonly chassisPerRelay: number },
): DeployModel {
  const net = (role: NetworkRole) => base.networks.find((n) => n.role === role);
  const management = net("management");
  const apiNet = base.networks.find(
    (n) => n.name === base.vips.find((v) => v.name === "internal")?.network,
  );
  const external = net("external");
  const tunnel = net("tunnel");
  const amphora = net("octavia");

  const mechanism = neutronMechanism(spec.network);
  const physicalNetworks = physnets(base);
  const kollaGroups = Object.fromEntries(KOLLA_GROUPS.map((g) => [g, [] as string[]])) as Record<
    KollaGroup,
    string[]
  >;

  const hosts: DeployHost[] = [];
  for (const node of base.nodes) {
    const f = node;
    const groups = kollaGroupsOf(node);
    if (groups.length === 0) continue;
    for (const g of groups) kollaGroups[g].push(node.name);
    const on = (n?: NetworkModel) =>
      n ? f.interfaces.find((i) => i.network === n.name) : undefined;
    const mgmt = on(management);
    hosts.push({
      name: node.name,
      address:
        (management && node.addresses[management.name]) ??
        Object.values(node.addresses)[0] ??
        node.name,
      roles: f.roles,
      kollaGroups: groups,
      interfaces: {
        ...(mgmt ? { management: mgmt.device } : {}),
        ...(on(apiNet) ? { api: on(apiNet)?.device } : {}),
        ...(on(tunnel) && (groups.includes("network") || groups.includes("compute"))
          ? { tunnel: on(tunnel)?.device }
          : {}),
        ...(groups.includes("control") &&
        on(external) &&
        base.vips.some((v) => v.name === "external")
          ? { externalVip: on(external)?.device }
          : {}),
        ...(groups.includes("control") &&
        on(amphora) &&
        base.controlPlane.services.includes("octavia")
          ? { octavia: on(amphora)?.device }
          : {}),
      },
      bridges: hostBridges(node, physicalNetworks),
    });
  }

  const internalVip = base.vips.find((v) => v.name === "internal");
  const externalVip = base.vips.find((v) => v.name === "external");
  const tenantType = base.network.tenantNetworkType;
  const typeDrivers = [
    ...new Set([
      ...(physicalNetworks.some((p) => p.vlan) ? ["vlan"] : []),
      ...(base.networks.some((n) => n.neutron && n.networkType === "flat") ? ["flat"] : []),
      tenantType,
    ]),
  ].sort();

  // The tenant stacks share the legacy bridge's network and flow groups, and the provider networks
  // tenants list, from the admin's project.
  const tenantShares = base.tenants.reduce(
    (n, t) =>
      n + (t.legacyGroups.length ? 1 + t.legacyGroups.length : 0) + t.providerNetworks.length,
    0,
  );
  const ceph = base.storage.ceph;
  // The gateways check Swift tokens at Keystone's internal endpoint, as Kolla's services do
  // (internal TLS is always on).
  const keystoneUrl = internalVip
    ? `https://${urlHost(vipFqdn(base, "internal", internalVip.address))}:${KEYSTONE_PORT}`
    : undefined;
  const cephDeploy = ceph ? cephDeployModel(base, keystoneUrl) : undefined;
  // Kolla's kolla_external_fqdn is the internal one when no external VIP is set
  // (group_vars/all/common.yml), and TLS is always on.
  const publicVip = externalVip ?? internalVip;
  const novnc = base.endpoints.find((e) => e.name === "nova-novncproxy");
  const consoleUrl =
    publicVip && novnc
      ? `https://${urlHost(vipFqdn(base, publicVip === externalVip ? "external" : "internal", publicVip.address))}:${novnc.port}/vnc_lite.html`
      : undefined;
  const poolFor = (application: CephApplication, deviceClass?: string) =>
    ceph && cephPoolFor(ceph.pools, application, deviceClass)?.name;

  let lvmCount = 0;
  const blockHosts = kollaGroups.storage;
  // Hypervisors attach LVM and ZFS volumes over the storage network when the design has one.
  const storageNet = base.networks.find((n) => n.role === "storage");
  const cinderBackends: CinderBackendDeployModel[] = base.storage.backends.map((b) => {
    const hostsOf = b.kind === "ceph" ? kollaGroups.control : blockHosts;
    const withHosts = (b as { hosts?: readonly string[] }).hosts ?? hostsOf;
    const common = {
      name: b.name,
      kind: b.kind,
      volumeBackendName: b.volumeBackendName,
      hosts: [...withHosts],
    };
    if (b.kind === "ceph") {
      return {
        ...common,
        cephPool: b.cephPool ?? b.name,
      };
    }
    if (b.kind === "glusterfs") return { ...common, ...(b.shares ? { shares: b.shares } : {}) };
    const protocol = (b as { targetProtocol?: "iscsi" | "iser" }).targetProtocol;
    const targets = storageNet
      ? withHosts.flatMap((host) => {
          const address = nodeAddress(base, host, storageNet.name);
          return address ? [[host, address] as const] : [];
        })
      : [];
    return {
      ...common,
      // (a later backend named `volumes` would take the first one's group)
      volumeGroup:
        lvmCount++ === 0
          ? FIRST_VOLUME_GROUP
          : `cinder-${b.name}` === FIRST_VOLUME_GROUP
            ? `cinder-${b.name}-${b.kind}`
            : `cinder-${b.name}`,
      // iSER needs RDMA NICs: only when the backend says so.
      targetProtocol: protocol ?? "iscsi",
      ...(targets.length ? { targetAddresses: Object.fromEntries(targets) } : {}),
    };
  });

  const services = [...base.controlPlane.services];
  const backup = base.storage.backup;
  const backupPolicy = backupStoragePolicy(base.storage);
  const driver = cinderBackupDriver({
    swift: backup?.service === "swift" && base.storage.swift !== undefined,
    cephPools: ceph?.pools ?? [],
    backends: cinderBackends,
    services,
  });
  const cinderBackup =
    driver === "swift"
      ? {
          driver,
          ...(backup?.container ? { container: backup.container } : {}),
          ...(backupPolicy ? { storagePolicy: backupPolicy } : {}),
        }
      : driver
        ? { driver }
        : undefined;

  const octavia: OctaviaDeployModel | undefined =
    amphora?.physicalNetwork && services.includes("octavia")
      ? {
          network: { ...amphora, physicalNetwork: amphora.physicalNetwork },
          healthManagers: hosts.flatMap((h) => {
            const address = h.interfaces.octavia && nodeAddress(base, h.name, amphora.name);
            return address ? [{ host: h.name, address }] : [];
          }),
          topology:
            base.controlPlane.octavia?.topology === "active-standby" ? "ACTIVE_STANDBY" : "SINGLE",
          heartbeatKeyVariable: OCTAVIA_HEARTBEAT_KEY,
        }
      : undefined;

  const imageContainer = base.storage.swift?.containers.find((c) => c.purpose === "images")?.name;
  const store =
    base.storage.imageBackend === "ceph"
      ? "rbd"
      : base.storage.imageBackend === "swift"
        ? "swift"
        : "file";

  const metrics = services.includes("ceilometer")
    ? metricStore({
        ceph: ceph !== undefined,
        services,
        controllers: base.controlPlane.controllers.length,
      })
    : undefined;
  const gnocchi = metrics
    ? {
        store: metrics,
        ...(metrics === "ceph" && poolFor("metrics")
          ? { cephPool: poolFor("metrics"), cephUser: GNOCCHI_CEPH_USER }
          : {}),
      }
    : undefined;

  const volumeHostCount = new Set(cinderBackends.flatMap((b) => b.hosts)).size;
  // The legacy bridge's router routes its subnets where it is the bridge's gateway; under OVN
  // the VPN driver adds a route per peer CIDR to the same router, and Neutron checks the whole
  // list against max_routes.
  const legacy = base.legacyUnix;
  const legacyRoutes = legacy
    ? legacy.routerRoutes.length + (mechanism === "ovn" ? (legacy.vpn?.peerCidrs.length ?? 0) : 0)
    : 0;
  const volumeMode = volumeHostsMode(
    cinderBackends.map((b) => b.kind),
    volumeHostCount,
  );
  const swiftProxies = apiNet
    ? (base.storage.swift?.proxies ?? []).flatMap((host) => {
        const address = nodeAddress(base, host, apiNet.name);
        return address ? [{ host, address }] : [];
      })
    : [];

  // One target address per host: every local backend of a host takes its storage address.
  const targetOf = new Map(cinderBackends.flatMap((b) => Object.entries(b.targetAddresses ?? {})));
  const kollaLvm = cinderBackends.find((b) => b.volumeGroup === FIRST_VOLUME_GROUP);
  // One alias per device name of the compute hosts' hardware (the spec keeps a name one device).
  const aliases = [
    ...new Map(
      base.pools
        .flatMap((p) => hardwareOf(base, p.hardware).accelerators ?? [])
        .map((a) => [
          a.name,
          { name: a.name, vendorId: a.vendorId, productId: a.productId, deviceType: a.deviceType },
        ]),
    ).values(),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const backupCeph = cinderBackends.find((b) => b.kind === "ceph");
  return {
    hosts: hosts.map((h) =>
      targetOf.has(h.name) ? { ...h, iscsiTarget: targetOf.get(h.name) as string } : h,
    ),
    kollaGroups,
    ...(spec.controlPlane.containerRegistry
      ? { registry: { ...spec.controlPlane.containerRegistry } }
      : {}),
    serviceHosts: {
      ...(base.controlPlane.database === "single" && kollaGroups.control.length > 1
        ? { mariadb: kollaGroups.control.slice(0, 1) }
        : {}),
      ...(base.controlPlane.messaging === "single" && kollaGroups.control.length > 1
        ? { rabbitmq: kollaGroups.control.slice(0, 1) }
        : {}),
    },
    vips: {
      ...(internalVip
        ? {
            internal: {
              address: internalVip.address,
              fqdn: vipFqdn(base, "internal", internalVip.address),
            },
          }
        : {}),
      ...(externalVip
        ? {
            external: {
              address: externalVip.address,
              fqdn: vipFqdn(base, "external", externalVip.address),
            },
          }
        : {}),
      virtualRouterId: base.controlPlane.virtualRouterId,
      ipVersion: internalVip && internalVip.address.includes(":") ? 6 : 4,
    },
    ...(consoleUrl ? { consoleUrl } : {}),
    services,
    valkey: valkeyDeployed(services),
    ...(gnocchi ? { gnocchi } : {}),
    neutron: {
      mechanism,
      typeDrivers,
      tenantNetworkTypes: [tenantType],
      physicalNetworks,
      flatNetworks: [
        ...new Set(
          base.networks
            .filter((n) => n.neutron && n.networkType === "flat")
            .map((n) => n.physicalNetwork as string),
        ),
      ].sort(),
      vniRange: base.network.vniRange,
      agentHa: kollaGroups.network.length > 1,
      // (OVN routes without L3 agents: l3_ha is not read)
      haRouters: haRouters(kollaGroups.network.length, tenantType, mechanism),
      computesNeedBridges: computesNeedBridges(base),
      ...(ovnRelays ? { ovnRelays } : {}),
      quotas: adminProjectQuotas(base, tenantShares),
      ...(legacyRoutes > NEUTRON_MAX_ROUTES ? { maxRoutes: legacyRoutes } : {}),
      ...(base.legacyUnix && base.legacyUnix.hostRoutes.length > NEUTRON_MAX_SUBNET_HOST_ROUTES
        ? { maxSubnetHostRoutes: base.legacyUnix.hostRoutes.length }
        : {}),
    },
    nova: {
      // Placement counts a pinned host's PCPUs across its NUMA nodes; only this filter checks that
      // the guest fits one node, so without it nova-compute refuses the claim and reschedules.
      enabledFilters: [
        ...SCHEDULER_FILTERS,
        ...(base.pools.some((p) => p.cpuPinning) ? ["NUMATopologyFilter"] : []),
        // Only this filter checks a host has the devices a flavor's alias asks for.
        ...(aliases.length ? ["PciPassthroughFilter"] : []),
      ],
      ...(aliases.length ? { pciAliases: aliases } : {}),
      aggregateKey: POOL_AGGREGATE_KEY,
      hosts: base.pools.flatMap((p) => novaHosts(p, hardwareOf(base, p.hardware))),
      cephEphemeral: base.storage.ephemeralBackend === "ceph",
      ...keyPairQuota(base),
    },
    cinder: {
      backends: cinderBackends,
      ...(kollaLvm ? { kollaLvmBackend: kollaLvm.name } : {}),
      ...(backupCeph ? { backupCephBackend: backupCeph.name } : {}),
      ...(cinderBackup
        ? {
            backup: {
              ...cinderBackup,
              cephKeyrings: cinderBackends.some((b) => b.kind === "ceph"),
            },
          }
        : {}),
      volumeGroups: volumeGroups(cinderBackends, kollaGroups),
      iscsid: iscsidPlacement(volumeGroups(cinderBackends, kollaGroups), kollaGroups),
      etcdLocks: volumeLocks(
        cinderBackends.map((b) => b.kind),
        volumeHostCount,
      ),
      ...(volumeMode
        ? {
            volumeHosts:
              volumeMode === "cluster"
                ? { mode: volumeMode, cluster: `${base.naming.prefix}-volume` }
                : { mode: volumeMode },
          }
        : {}),
    },
    glance: {
      store,
      // In Kolla's order (glance_backends, then its Ceph backend).
      enabledBackends: [
        store === "file" ? "file:file" : undefined,
        "http:http",
        services.includes("cinder") ? "cinder:cinder" : undefined,
        store === "rbd" ? "rbd:rbd" : undefined,
        store === "swift" ? "swift:swift" : undefined,
      ].filter((b): b is string => b !== undefined),
      ...(store === "rbd" && poolFor("images") ? { cephPool: poolFor("images") } : {}),
      ...(store === "swift" && imageContainer ? { swiftContainer: imageContainer } : {}),
    },
    ...(cephDeploy ? { ceph: cephDeploy } : {}),
    ...(octavia ? { octavia } : {}),
    ...(swiftProxies.length
      ? {
          swiftProxies: {
            port: SWIFT_PROXY_PORT,
            backends: swiftProxies,
            ...(keystoneUrl ? { keystoneUrl } : {}),
          },
        }
      : {}),
  };
}

/** The child groups that hold the backends' hosts: controllers, then other storage hosts. */
function volumeGroups(
  backends: readonly CinderBackendDeployModel[],
  groups: Readonly<Record<KollaGroup, readonly string[]>>,
): ("cinder" | "storage")[] {
  const served = new Set(backends.flatMap((b) => b.hosts));
  return [
    ...(groups.control.some((h) => served.has(h)) ? (["cinder"] as const) : []),
    ...(groups.storage.some((h) => served.has(h) && !groups.control.includes(h))
      ? (["storage"] as const)
      : []),
  ];
}

/**
 * Kolla's iscsid group as this design places it: its initiator runs wherever volumes attach
 * (compute) and where they are exported or copied into (the volume hosts). Kolla's own file adds
 * Ironic's hosts, which this design has none of.
 */
function iscsidPlacement(
  volumeGroups: readonly ("cinder" | "storage")[],
  groups: Readonly<Record<KollaGroup, readonly string[]>>,
): { groups: string[]; hosts: string[] } {
  if (!volumeGroups.length) return { groups: [], hosts: [] };
  const children = [...new Set(["compute", "storage", ...volumeGroups])];
  // (cinder is the controllers' child group)
  const hostsOf = (g: string) => (g === "cinder" ? groups.control : groups[g as KollaGroup]);
  return { groups: children, hosts: [...new Set(children.flatMap(hostsOf))] };
}

/** Roles of the networks instances boot on (amphorae on the octavia one): computes bridge them. */
const BOOTED_ON: ReadonlySet<NetworkRole> = new Set(["provider", "octavia"]);

function computesNeedBridges(base: Base): boolean {
  const t = base.network.tenantNetworkType;
  return (
    t === "vlan" ||
    base.networks.some((n) => BOOTED_ON.has(n.role) && n.physicalNetwork !== undefined)
  );
}

/** The Kolla-Ansible groups a node's roles put it in. */
function kollaGroupsOf(node: { readonly roles: readonly NodeRole[] }): KollaGroup[] {
  return KOLLA_GROUPS.filter((g) => node.roles.some((r) => KOLLA_GROUPS_BY_ROLE[r]?.includes(g)));
}

/**
 * The physical networks a node with these roles bridges into Open vSwitch: every one on network
 * hosts (routers), those instances attach to on computes.
 */
export function servedPhysicalNetworks(
  roles: readonly NodeRole[],
  physicalNetworks: readonly PhysicalNetworkModel[],
): PhysicalNetworkModel[] {
  const groups = kollaGroupsOf({ roles });
  if (groups.includes("network")) return [...physicalNetworks];
  if (groups.includes("compute")) return physicalNetworks.filter((p) => p.instances);
  return [];
}

/** A host's Open vSwitch bridges, each fed by the veth of the bond host networking put it on. */
function hostBridges(
  node: NodeModel,
  physicalNetworks: readonly PhysicalNetworkModel[],
): HostBridge[] {
  return physicalNetworks.flatMap((p) => {
    const patch = node.links.find((l) => l.bridge?.physicalNetworks.includes(p.name))?.bridge;
    return patch ? [{ physicalNetwork: p.name, bridge: p.bridge, device: patch.ovsPatch }] : [];
  });
}

/** What the bridge plan needs: known before the rest of the model is derived. */
export type BridgeFacts = Pick<Base, "nodes">;

/**
 * Bonds that would carry several physical networks on a host: each bond has one veth into Open
 * vSwitch, and OVS adds a port to one bridge only.
 */
function deviceConflicts(facts: BridgeFacts) {
  return facts.nodes.flatMap((node) =>
    node.links.flatMap((l) =>
      l.bridge && l.bridge.physicalNetworks.length > 1
        ? [{ host: node.name, device: l.device, physicalNetworks: [...l.bridge.physicalNetworks] }]
        : [],
    ),
  );
}

/**
 * One Open vSwitch bridge per physical network: br-ex, br-ex2, ... in name order. Its networks are
 * the Neutron networks and the octavia network on it (amphorae boot on computes).
 */
export function physnets(base: Pick<Base, "networks" | "network">): PhysicalNetworkModel[] {
  const names = new Set<string>();
  for (const n of base.networks) if (n.physicalNetwork) names.add(n.physicalNetwork);
  const t = base.network.tenantNetworkType;
  const tenantPhysnet = base.network.tenantPhysicalNetwork;
  if (tenantPhysnet) names.add(tenantPhysnet);
  return [...names].sort().map((name, i) => ({
    name,
    bridge: ovsBridgeName(i),
    ...(t === "vlan" && name === tenantPhysnet && base.network.tenantVlanRange
      ? { vlanRange: base.network.tenantVlanRange }
      : {}),
    networks: base.networks.filter((n) => n.physicalNetwork === name).map((n) => n.name),
    vlan:
      (t === "vlan" && name === tenantPhysnet) ||
      base.networks.some((n) => n.physicalNetwork === name && n.networkType === "vlan"),
    instances:
      name === tenantPhysnet ||
      base.networks.some((n) => BOOTED_ON.has(n.role) && n.physicalNetwork === name),
    mtu: Math.max(
      ...base.networks.filter((n) => n.physicalNetwork === name).map((n) => n.mtu),
      name === tenantPhysnet ? base.network.tenantMtu : 0,
    ),
  }));
}

function nodeAddress(base: Base, node: string, network: string): string | undefined {
  return base.nodes.find((n) => n.name === node)?.addresses[network];
}

function vipFqdn(base: Base, which: "internal" | "external", address: string): string {
  const domain = (base as Base & { domain?: string }).domain;
  return domain ? `${which === "internal" ? "api-int" : "api"}.${domain}` : address;
}

function hardwareOf(base: Base, name: string): HardwareModel {
  return base.hardware.find((h) => h.name === name) as HardwareModel;
}

/** Per compute host Nova settings; a pinned host's CPUs as `pinnedCpuLayout` lays them out. */
export function novaHosts(pool: PoolModel, hw: HardwareModel): NovaHostModel[] {
  const common = {
    pool: pool.id,
    cpuAllocationRatio: pool.cpuAllocationRatio,
    ramAllocationRatio: pool.ramAllocationRatio,
    reservedHostMemoryMb: pool.reservedHostMemoryGiB * 1024,
    ...(hw.accelerators
      ? {
          pciDevices: hw.accelerators.map((a) => ({
            vendorId: a.vendorId,
            productId: a.productId,
          })),
        }
      : {}),
  };
  const perHost = pool.capacity.hosts ? pool.capacity.dedicatedCpus / pool.capacity.hosts : 0;
  if (!pool.cpuPinning)
    return pool.hostnames.map((name) => ({
      name,
      ...common,
      reservedHostCpus: pool.reservedHostCpus,
      dedicatedCpus: 0,
    }));
  // The dedicated set holds exactly what the capacity plan counts; extra threads stay unused.
  const { host, dedicated } = pinnedCpuLayout(pool.reservedHostCpus, hw);
  const dedicatedSet = dedicated.slice(0, perHost);
  return pool.hostnames.map((name) => ({
    name,
    ...common,
    cpuDedicatedSet: cpuList(dedicatedSet),
    ...(host.length ? { hostCpus: cpuList(host) } : {}),
    dedicatedCpus: dedicatedSet.length,
  }));
}

/** `0-1,32-33` from [0, 1, 32, 33]. */
export function cpuList(cpus: readonly number[]): string {
  const sorted = [...cpus].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** Parses `0-1,32-33` back to the CPU numbers. */
export function parseCpuList(list: string): number[] {
  return list.split(",").flatMap((part) => {
    const [a, b] = part.split("-").map(Number);
    return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
  });
}

function cephDeployModel(base: Base, keystoneUrl: string | undefined): CephDeployModel {
  const ceph = base.storage.ceph as NonNullable<Base["storage"]["ceph"]>;
  const management = base.networks.find((n) => n.role === "management");
  const storage = base.networks.find((n) => n.role === "storage");
  const replication = base.networks.find((n) => n.role === "storage-replication");
  const node = (name: string) => base.nodes.find((n) => n.name === name) as NodeModel;
  const monitors = base.nodes.filter((n) => n.roles.includes("ceph-mon")).map((n) => n.name);
  const mons = monitors.length ? monitors : [...ceph.monitors];
  const managers = mons.slice(0, Math.min(mons.length, 2));
  const rgwHosts = objectStore(base.storage, base.controlPlane.services) === "rgw" ? mons : [];
  // The rules require a pool for the gateways; the first one takes their objects.
  const rgwPool = ceph.pools.find((p) => p.application === "rgw")?.name;
  const hostNames = [...new Set([...ceph.nodes, ...mons])];
  const hosts: CephHostModel[] = hostNames.map((name) => {
    const n = node(name);
    const labels = [
      ...(name === mons[0] ? ["_admin"] : []),
      ...(mons.includes(name) ? ["mon"] : []),
      ...(managers.includes(name) ? ["mgr"] : []),
      ...(ceph.nodes.includes(name) ? ["osd"] : []),
      ...(rgwHosts.includes(name) ? ["rgw"] : []),
    ];
    return {
      name,
      address:
        (management && n.addresses[management.name]) ?? Object.values(n.addresses)[0] ?? name,
      labels,
      ...(ceph.failureDomain === "datacenter" && ceph.nodes.includes(name) && n.site
        ? {
            crushLocation: {
              root: CRUSH_ROOT,
              datacenter: n.site,
              ...(n.rack ? { rack: n.rack } : {}),
            },
          }
        : ceph.failureDomain === "rack" && ceph.nodes.includes(name) && n.rack
          ? { crushLocation: { root: CRUSH_ROOT, rack: n.rack } }
          : {}),
    };
  });
  // A host alone in its rack (or site) is a whole bucket to the monitors, which by default
  // (rack) never mark it out. Marked out, its data recovers where CRUSH finds room: its failure
  // domain again where that holds other hosts (a site of several racks), else a spare domain.
  const located = hosts.filter((h) => h.crushLocation);
  const count = (level: "rack" | "datacenter") => {
    const counts = new Map<string, number>();
    for (const h of located) {
      const bucket = h.crushLocation?.[level];
      if (bucket !== undefined) counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    return counts;
  };
  const perRack = count("rack");
  const perSite = count("datacenter");
  const domainLevel = ceph.failureDomain === "host" ? undefined : ceph.failureDomain;
  const recovers = (h: CephHostModel) =>
    ceph.spareFailureDomain ||
    (domainLevel !== undefined &&
      ((domainLevel === "rack" ? perRack : perSite).get(h.crushLocation?.[domainLevel] ?? "") ??
        0) >= 2);
  const alone = (level: "rack" | "datacenter", counts: Map<string, number>) =>
    located.some((h) => counts.get(h.crushLocation?.[level] ?? "") === 1 && recovers(h));
  const downOutSubtreeLimit = alone("datacenter", perSite)
    ? "root"
    : alone("rack", perRack)
      ? "datacenter"
      : undefined;
  const osdHardware = hardwareOf(base, node(ceph.nodes[0]).hardware);
  // Classes in name order, as the OSD specs and rules have always been written.
  const osdClasses = ceph.deviceClasses.map((c) => c.deviceClass).sort();
  const dataSpecs = osdClasses.map((c) => ({
    deviceClass: c,
    hosts: [...ceph.nodes],
    rotational: rotational(c),
    sizeGB:
      c === ceph.deviceClass
        ? osdDiskBand(ceph.osdSizeTB)
        : classDiskBand(
            osdCandidates(osdHardware.disks)
              .filter((d) => d.kind === c)
              .map((d) => d.sizeGB),
          ),
  }));
  // Spinning OSDs keep their RocksDB on the host's solid-state disks no OSD spec takes (the
  // validator refuses ones about a solid-state class's OSD size: ceph-db-disks-alike).
  const rocksDb = rocksDbDisks(
    osdHardware.disks,
    new Map(dataSpecs.map((s) => [s.deviceClass, s.sizeGB])),
  );
  const db = rocksDb && "band" in rocksDb ? rocksDb : undefined;
  // The spinning OSDs of a host share its RocksDB disks.
  const spinningPerHost =
    ceph.deviceClasses.filter((c) => rotational(c.deviceClass)).reduce((n, c) => n + c.osds, 0) /
    ceph.nodes.length;
  const share = db && rocksDbShare(db, spinningPerHost);
  const osdSpecs: CephOsdSpecModel[] = dataSpecs.map((s) =>
    s.rotational && db && share
      ? { ...s, dbDevices: db.band, dbDisks: share.disks, dbGBPerOsd: share.perOsdGB }
      : s,
  );
  const rules = osdClasses.map((c) => ({ name: `${ceph.failureDomain}-${c}`, deviceClass: c }));
  const pools: CephPoolDeployModel[] = ceph.pools.map((p) => {
    const deviceClass = p.osdClass;
    const application =
      p.application === "metrics" ? "gnocchi" : p.application === "rgw" ? "rgw" : "rbd";
    const baseRule = `${ceph.failureDomain}-${deviceClass}`;
    const layout =
      ceph.protection.kind === "erasure-coded" ? erasureLayout(p.application) : undefined;
    const replicate = layout !== undefined && layout !== "erasure-coded";
    const rule = `${baseRule}${replicate ? "-replicated" : ""}`;
    if (replicate && !rules.some((r) => r.name === rule)) rules.push({ name: rule, deviceClass });
    const size = replicatedPoolSize(ceph.nodes.length);
    const dataPool =
      layout === "rbd-data-pool" && ceph.protection.kind === "erasure-coded"
        ? {
            name: rbdDataPoolName(p.name),
            pgNum: p.pgNum,
            rule: baseRule,
            protection: ceph.protection,
          }
        : undefined;
    return {
      name: p.name,
      pgNum: dataPool ? RBD_METADATA_PGS : p.pgNum,
      application,
      rule,
      deviceClass,
      protection: replicate
        ? { kind: "replicated", size, minSize: Math.max(1, size - 1) }
        : ceph.protection,
      ...(dataPool ? { dataPool } : {}),
    };
  });
  const firstMon = node(mons[0]);
  const bootstrapNet = storage ?? management;
  const copies =
    ceph.protection.kind === "replicated"
      ? ceph.protection.size
      : replicatedPoolSize(ceph.nodes.length);
  const bootstrapMonIp =
    (bootstrapNet && firstMon.addresses[bootstrapNet.name]) ??
    Object.values(firstMon.addresses)[0] ??
    "";
  return {
    hosts,
    monitors: mons,
    managers,
    bootstrapHost: mons[0],
    bootstrapMonIp,
    ipv6Only:
      bootstrapMonIp.includes(":") && [storage, replication].every((n) => !n || n.ipVersion === 6),
    ...(storage ? { publicNetwork: storage.cidr } : {}),
    ...(replication ? { clusterNetwork: replication.cidr } : {}),
    failureDomain: ceph.failureDomain,
    ...(copies < CEPH_DEFAULT_POOL_SIZE
      ? { poolDefaults: { size: copies, minSize: Math.max(1, copies - 1) } }
      : {}),
    ...(downOutSubtreeLimit ? { downOutSubtreeLimit } : {}),
    osdSpecs,
    rules,
    ownPoolsRule:
      ceph.failureDomain === "host" ? CEPH_DEFAULT_RULE : `${ceph.failureDomain}-own-pools`,
    pools,
    ...(rgwHosts.length && rgwPool
      ? {
          rgw: {
            hosts: rgwHosts,
            port: CEPH_RGW_PORT,
            dataPool: rgwPool,
            ...(keystoneUrl ? { keystoneUrl } : {}),
          },
        }
      : {}),
    kollaPools: {
      ...(poolName(ceph, "volumes") ? { volumes: poolName(ceph, "volumes") } : {}),
      ...(poolName(ceph, "images") ? { images: poolName(ceph, "images") } : {}),
      ...(poolName(ceph, "vms") ? { vms: poolName(ceph, "vms") } : {}),
      ...(poolName(ceph, "backups") ? { backups: poolName(ceph, "backups") } : {}),
      ...(poolName(ceph, "metrics") ? { metrics: poolName(ceph, "metrics") } : {}),
    },
  };
}

function poolName(ceph: NonNullable<Base["storage"]["ceph"]>, application: string) {
  return ceph.pools.find((p) => p.application === application)?.name;
}

/**
 * Physical networks that would share one bond on a host, as spec errors: the bond feeds Open
 * vSwitch through one veth, and OVS adds a port to one bridge only, so Kolla-Ansible cannot
 * build the second bridge. Two physical networks on one wire are one layer-2 domain anyway.
 * Each error names the spec path of every physical network involved and the hosts affected.
 */
export function deviceConflictIssues(facts: BridgeFacts, spec: Spec): SpecIssue[] {
  const pathOf = (physnet: string): (string | number)[] => {
    const i = spec.network.networks.findIndex(
      (n) =>
        PHYSICAL_NETWORK_ROLES.has(n.role) &&
        (n.physicalNetwork ?? DEFAULTS.physicalNetwork) === physnet,
    );
    return i >= 0
      ? ["network", "networks", i, "physicalNetwork"]
      : ["network", "tenantPhysicalNetwork"];
  };
  const byNetworks = new Map<string, { device: string; physnets: string[]; hosts: string[] }>();
  for (const c of deviceConflicts(facts)) {
    const key = `${c.device}\u0000${c.physicalNetworks.join(",")}`;
    const group = byNetworks.get(key) ?? {
      device: c.device,
      physnets: [...c.physicalNetworks],
      hosts: [],
    };
    group.hosts.push(c.host);
    byNetworks.set(key, group);
  }
  return [...byNetworks.values()].map(({ device, physnets, hosts }) => {
    // In spec order: the error sits at the network declared last.
    const order = (p: string) => {
      const at = pathOf(p)[2];
      return typeof at === "number" ? at : -1;
    };
    physnets.sort((a, b) => order(a) - order(b));
    const named = physnets.map((p) => `${p} (${formatPath(pathOf(p))})`);
    const shown = someOf(hosts);
    return {
      code: "ovs-device-conflict",
      path: pathOf(physnets[physnets.length - 1]),
      severity: "error" as const,
      message: `physical networks ${named.join(" and ")} would share bond ${device} on ${shown}: the bond reaches Open vSwitch through one veth, which OVS adds to one bridge only, so Kolla-Ansible cannot map both; put these networks on one physical network`,
    };
  });
}

/**
 * Flat Neutron networks that would share a bond's untagged segment with a host network, as spec
 * errors: a flat segment leaves the Open vSwitch bridge untagged, through the veth and the Linux
 * bridge onto the bond, where the host's untagged network already is. Instances on it would sit in
 * that network's layer-2 domain (management, say) next to the hosts.
 */
export function untaggedSegmentIssues(
  facts: BridgeFacts,
  networks: readonly NetworkModel[],
  spec: Spec,
): SpecIssue[] {
  const flats = networks.filter((n) => n.neutron && n.vlan === undefined);
  const found = new Map<string, { flat: string; host: string; hosts: string[] }>();
  for (const node of facts.nodes) {
    for (const link of node.links) {
      const bridge = link.bridge;
      if (!bridge) continue;
      const native = node.interfaces.find(
        (i) => i.parent === bridge.device && i.vlan === undefined,
      );
      if (!native) continue;
      const onBond = flats
        .filter((n) => bridge.physicalNetworks.includes(n.physicalNetwork ?? ""))
        .map((n) => n.name);
      for (const flat of onBond) {
        if (flat === native.network) continue;
        const key = `${flat}\u0000${native.network}`;
        const entry = found.get(key) ?? { flat, host: native.network, hosts: [] };
        entry.hosts.push(node.name);
        found.set(key, entry);
      }
    }
  }
  return [...found.values()].map(({ flat, host, hosts }) => {
    const i = spec.network.networks.findIndex((n) => n.name === flat);
    const role = networks.find((n) => n.name === host)?.role;
    const shown = someOf(hosts);
    return {
      code: "flat-shares-host-segment",
      path: ["network", "networks", i],
      severity: "error" as const,
      message: `flat network ${flat} would be untagged on the bond that carries ${role} network ${host} untagged on ${shown}: instances would share that network's segment with the hosts; give ${flat} (network.networks[${i}].vlan) or ${host} a VLAN id`,
    };
  });
}

/**
 * Where cinder-backup keeps backups: the Swift container the design names, else Ceph's backups
 * pool beside a Ceph volume backend (Kolla gives cinder-backup Ceph's configuration only then).
 */
export function cinderBackupDriver(d: {
  readonly swift: boolean;
  readonly cephPools: readonly Parameters<typeof cephPoolFor>[0][number][];
  readonly backends: readonly { readonly kind: string }[];
  readonly services: readonly string[];
}): "swift" | "ceph" | undefined {
  if (d.swift) return "swift";
  return cephPoolFor(d.cephPools, "backups") &&
    d.backends.some((b) => b.kind === "ceph") &&
    d.services.includes("cinder")
    ? "ceph"
    : undefined;
}

/**
 * What the stacks make in the admin's project, against Neutron's per-project quotas, which hold
 * for admins too: the platform's security groups with Neutron's two egress rules each, the legacy
 * bridge's flow groups (Neutron's rules made, then deleted), the project's own default group (4
 * rules), the rules admin-run tenant stacks add to their base groups, the firewall rules with the
 * project's default firewall group's, and RBAC entries: the tenants' shares (legacy bridge and
 * provider networks), one per external or shared network and per shared address scope and subnet
 * pool. A quota the platform would pass is Neutron's default plus what the platform makes; the
 * RBAC one also once anything is shared with tenants, as before.
 */
function adminProjectQuotas(base: Base, tenantShares: number): NeutronQuotaModel[] {
  const legacyGroups = base.legacyUnix?.groups.length ?? 0;
  const groups = base.securityGroups.length + legacyGroups;
  const implicitShares =
    base.networks.reduce(
      (n, net) => n + (net.neutron && net.external ? 1 : 0) + (net.neutron && net.shared ? 1 : 0),
      0,
    ) + (base.network.tenantSubnetPool ? 2 : 0);
  const firewall = base.securityZones.firewall;
  const used: Record<NeutronQuota, number> = {
    quota_rbac_policy: tenantShares + implicitShares,
    quota_security_group: groups + 1,
    quota_security_group_rule:
      base.securityGroups.reduce((n, g) => n + g.rules.length, 0) +
      (base.legacyUnix?.rules.length ?? 0) +
      NEW_GROUP_EGRESS_RULES * groups +
      DEFAULT_GROUP_RULES +
      // (every tenant's: a network stack's project credentials make new ones the project's, but
      // rules made before a switch stay the admin's, and an import changes no owner)
      base.tenants.reduce((n, t) => n + t.baseRules.length, 0),
    // neutron-fwaas makes the project's default firewall group of 4 rules on first listing.
    quota_firewall_rule: firewall
      ? firewall.ingress.length + firewall.egress.length + DEFAULT_FIREWALL_GROUP_RULES
      : 0,
  };
  return (Object.keys(NEUTRON_QUOTA_DEFAULTS) as NeutronQuota[])
    .filter(
      (option) =>
        used[option] > NEUTRON_QUOTA_DEFAULTS[option] ||
        (option === "quota_rbac_policy" && tenantShares > 0),
    )
    .map((option) => ({
      option,
      used: used[option],
      value: NEUTRON_QUOTA_DEFAULTS[option] + used[option],
    }));
}

/** Key pairs one user uploads: the admin's for admin-run tenant stacks, a member's otherwise. */
function keyPairQuota(base: Base): { keyPairQuota?: number } {
  const byAdmin = base.tenants
    .filter((t) => !t.networkStack)
    .reduce((n, t) => n + t.keyPairs.length, 0);
  const byMember = Math.max(
    0,
    ...base.tenants.filter((t) => t.networkStack).map((t) => t.keyPairs.length),
  );
  const most = Math.max(byAdmin, byMember);
  return most > NOVA_KEY_PAIRS ? { keyPairQuota: NOVA_KEY_PAIRS + most } : {};
}
