import type { Language, NetworkRole, NodeRole, TenantNetworkType } from "../core/vocabulary";
import type { CephApplication } from "../core/ceph-pools";
import type { SWIFT_EC_TYPES } from "../core/swift-ring";
import type { DeployModel } from "./deploy";
import type { DesignFacts } from "./design-facts";

export type { NetworkRole, NodeRole };

export interface AddressReservation {
  readonly address: string;
  /** What holds it, in words (messages name it so). */
  readonly purpose: string;
  /** The same as a kind the documents translate, and the name it concerns (a domain, a backend). */
  readonly kind:
    | "gateway"
    | "vip-internal"
    | "vip-external"
    | "dns"
    | "ntp"
    | "ldap"
    | "vpn-peer"
    | "gluster"
    | "legacy-next-hop"
    | "legacy-router";
  readonly subject?: string;
}

export interface NetworkModel {
  readonly name: string;
  readonly role: NetworkRole;
  readonly cidr: string;
  readonly ipVersion: 4 | 6;
  readonly vlan?: number;
  /**
   * Neutron physical network: Neutron networks (`neutron`) and the octavia network, which
   * Kolla-Ansible creates in Neutron for the amphorae, have one.
   */
  readonly physicalNetwork?: string;
  /** Neutron segment type for this provider network. */
  readonly networkType: "vlan" | "flat";
  /**
   * Created in Neutron: external and provider networks, which routers and instances attach to.
   * Infrastructure networks (management, API, tunnel, storage) are host networking only.
   */
  readonly neutron: boolean;
  /**
   * Neutron serves DHCP on the subnet: provider and octavia networks, whose instances (amphorae)
   * take its addresses.
   */
  readonly dhcp: boolean;
  readonly gateway?: string;
  readonly mtu: number;
  readonly dnsServers: readonly string[];
  readonly external: boolean;
  /** Reachable from the external network through a router. Management and storage never are. */
  readonly routable: boolean;
  readonly shared: boolean;
  /**
   * Tenants (ids) a provider network is shared with by an RBAC entry each, as they list it; with
   * `shared` too, so none loses access when the network stops being shared with every project.
   */
  readonly tenants: readonly string[];
  /**
   * Neutron's DHCP or floating-IP pool: Neutron networks and the octavia network (amphorae), above
   * the hosts' addresses; host-only networks have none.
   */
  readonly allocationPool?: { readonly start: string; readonly end: string };
  readonly reservations: readonly AddressReservation[];
  /** Host addresses of the subnet, counted up to MAX_COUNTED_ADDRESSES (an IPv6 /64 has 2^64). */
  readonly usableAddresses: number;
  readonly allocatedAddresses: number;
  readonly description?: string;
}

/** One network on one host: the Linux device that carries it and its planned address. */
export interface NodeInterface {
  /** Network name in `Model.networks`. */
  readonly network: string;
  readonly role: NetworkRole;
  /**
   * `bond0.110` for a tagged network, the bond itself (`bond0`) for an untagged one; on a bond
   * Open vSwitch also takes, its Linux bridge instead of the bond (`brbond0.110`, `brbond0`).
   */
  readonly device: string;
  /** The bond, or its Linux bridge, the device rides on; equal to `device` when untagged. */
  readonly parent: string;
  readonly vlan?: number;
  /** From the IP plan; absent when the host joins the segment without an address. */
  readonly address?: string;
  readonly prefixLength: number;
  readonly mtu: number;
}

/** A bond of physical ports that carries one or more of a host's networks. */
export interface NodeLink {
  /** `bond0`, `bond1`, ... */
  readonly device: string;
  /** Kernel names of the member ports; empty means every Ethernet port of the host. */
  readonly members: readonly string[];
  /** Largest MTU of the networks on it. */
  readonly mtu: number;
  /** LACP when the bond has several ports, active-backup for a single port. */
  readonly mode: "802.3ad" | "active-backup";
  /** Present when Open vSwitch bridges take the bond's traffic too. */
  readonly bridge?: NodeLinkBridge;
}

/**
 * Kayobe's layout for a bond that carries host addresses and Open vSwitch bridges: a device in an
 * OVS bridge loses its host addresses and VLAN devices (OVS takes its frames first), so the bond
 * joins a Linux bridge that carries them, with one end of a veth pair whose peer goes into OVS.
 * Bridge and veth take the bond's MTU.
 */
export interface NodeLinkBridge {
  /** `brbond0`: holds the host addresses and VLAN devices of the bond's networks. */
  readonly device: string;
  /** `p-brbond0-phy`: the veth end in the Linux bridge. */
  readonly patch: string;
  /** `p-brbond0-ovs`: its peer, the port Kolla-Ansible adds to OVS (neutron_external_interface). */
  readonly ovsPatch: string;
  /** The physical networks whose OVS bridges the veth feeds, by name. */
  readonly physicalNetworks: readonly string[];
}

export interface NodeModel {
  /** Short host name: the name Nova, the aggregates and every inventory register it under. */
  readonly name: string;
  /** `<name>.<network.domain>`. */
  readonly fqdn: string;
  /** Primary role: the bill-of-materials line this server is counted under. */
  readonly role: NodeRole;
  /** Every role the node carries, the primary one included, in `ROLE_ORDER`. */
  readonly roles: readonly NodeRole[];
  readonly hardware: string;
  readonly zone?: string;
  readonly pool?: string;
  readonly rack?: string;
  /** The declared site it stands at: its rack's, else its zone's. */
  readonly site?: string;
  /**
   * A virtual machine on the undercloud (controllers deployed as VMs): no server is bought,
   * cabled or powered for it.
   */
  readonly virtual?: true;
  /** Address per network name. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Host networking, one entry per network the node joins, by network name. */
  readonly interfaces: readonly NodeInterface[];
  /** The bonds the interfaces ride on. */
  readonly links: readonly NodeLink[];
  /** Default route: the external network's gateway when the node joins it, else management's. */
  readonly defaultGateway?: { readonly network: string; readonly address: string };
  /**
   * The design's DNS servers the node reaches, each with the network whose link reaches it: the
   * one holding it, else the management one when it routes there, else the default route's.
   */
  readonly nameservers: readonly { readonly address: string; readonly network: string }[];
  /**
   * Routes beside the default one: the enterprise's DNS, time and directory servers by the
   * management gateway when the default route leaves by another network.
   */
  readonly routes: readonly {
    readonly to: string;
    readonly via: string;
    readonly network: string;
  }[];
  /** Then too: what the host sends from a management address (its own, a VIP) leaves by that gateway. */
  readonly managementReplies?: ReplyTable;
  /**
   * With the enterprise's networks routed by management: what the host sends from its default
   * route's network (the external VIP's answers to clients in those networks) leaves by that
   * network's gateway, as it came in.
   */
  readonly defaultReplies?: ReplyTable;
  /**
   * Without an external VIP, with a gateway on the internal VIP's network: what the host sends
   * from that network (the internal VIP's answers to users) leaves by its gateway, as it came in.
   */
  readonly apiReplies?: ReplyTable;
  /** Ironic flavor the node is deployed with when an undercloud provisions it. */
  readonly baremetalFlavor: string;
  /** The undercloud's Ironic node (UUID) it is deployed on, when the spec names one. */
  readonly baremetalNode?: string;
}

/** A routing table for what leaves from a network's addresses: by its gateway (netplan routing-policy). */
export interface ReplyTable {
  readonly network: string;
  /** The network's subnet, whose addresses (the host's, a VIP) the rule takes. */
  readonly from: string;
  readonly via: string;
  readonly table: number;
  /** The host's subnets of that IP version, on-link in the table too. */
  readonly onLink: readonly { readonly network: string; readonly to: string }[];
}

/** The cloud that provisions this one's servers (Nova with Ironic), when the spec declares it. */
export interface UndercloudModel {
  /** Its clouds.yaml entry. */
  readonly cloud: string;
  readonly region: string;
  readonly image: string;
  /** Undercloud network the nodes are provisioned on. */
  readonly network: string;
  readonly keyPair?: string;
  /** The Ubuntu mirror the servers' apt takes its archives from (else the image's). */
  readonly packageMirror?: string;
  /** The HTTP proxy the servers' apt goes through. */
  readonly packageProxy?: string;
}

/** A switch of the physical design: a top-of-rack pair member per bond, per rack. */
export interface SwitchModel {
  readonly name: string;
  readonly rack?: string;
  /** Where a switch of unracked servers stands: their site, when declared. */
  readonly site?: string;
  /** The host bond it terminates (`bond0`: the trunk, `bond1`...: further untagged networks). */
  readonly link: string;
  /** Networks it carries. */
  readonly networks: readonly string[];
  /** VLAN ids it trunks. */
  readonly vlans: readonly number[];
  /** Networks it carries untagged (the ports' native VLAN): flat and untagged ones. */
  readonly untagged?: readonly string[];
  /**
   * Where its ports take different untagged networks (a port carries one): each with the roles
   * whose hosts' ports carry it untagged. Absent with one untagged network at most.
   */
  readonly native?: readonly { readonly network: string; readonly roles: readonly NodeRole[] }[];
  /** VLAN ranges it trunks as well: the tenant VLAN range where its bond feeds that network. */
  readonly vlanRanges?: readonly { readonly min: number; readonly max: number }[];
  /** Host ports cabled to it. */
  readonly hostPorts: number;
  /** The largest IP MTU of the host bonds cabled to it, which its ports must pass. */
  readonly mtu: number;
  /** Speed of those ports: the fastest NIC of their hosts' profiles (absent when none lists NICs). */
  readonly portSpeedGbps?: number;
  /**
   * The same by the role of the hosts cabled to it: a plan that buys some roles' servers only
   * (the commercial alternative) needs that many of its ports, at that speed.
   */
  readonly roles: readonly {
    readonly role: NodeRole;
    readonly hostPorts: number;
    readonly portSpeedGbps?: number;
  }[];
}

/** Values by name for a catalog text; a list is joined as the document's language joins one. */
export type Params = Readonly<Record<string, string | number | readonly string[]>>;

/** How a stage of the lifecycle needs something, as a key the documents translate. */
export interface LifecycleItem {
  readonly kind: string;
  readonly params: Params;
}

/** What runs a lifecycle stage. */
export type LifecycleTool =
  | "terraform-undercloud"
  | "existing-hosts"
  | "kolla-ansible-cephadm"
  | "kolla-ansible"
  | "terraform"
  | "terraform-project";

/**
 * One stage of building the cloud, in order: bare metal, deploy, platform, tenants, and the
 * tenants' own networks when they are applied with project credentials.
 */
export interface LifecycleStage {
  readonly id: "baremetal" | "deploy" | "platform" | "tenants" | "tenant-networks";
  /** The tool that runs it; documents name it in their language. */
  readonly tool: LifecycleTool;
  /** clouds.yaml entries the stage talks to (one per project for tenant networks), if any. */
  readonly clouds: readonly string[];
  /** Output folders the stage reads, relative to the output root. */
  readonly folders: readonly string[];
  /** What must hold before the stage runs. */
  readonly prerequisites: readonly LifecycleItem[];
  /** Shell commands, run from the output root, in order. */
  readonly commands: readonly string[];
  /** Set when the design skips this stage (e.g. no undercloud: hosts already exist). */
  readonly skipped?: LifecycleItem;
}

export interface VipModel {
  readonly name: "internal" | "external";
  readonly network: string;
  readonly address: string;
  /** Prefix length of the VIP's network, as keepalived announces it. */
  readonly prefixLength: number;
}

/** A PCI device compute hosts pass through to instances whole (GPUs, FPGAs). */
export interface AcceleratorModel {
  /** Nova's PCI alias: flavors ask for the device by it. */
  readonly name: string;
  readonly model?: string;
  readonly vendorId: string;
  readonly productId: string;
  /** As Nova's libvirt driver reports it: type-PF with SR-IOV capability. */
  readonly deviceType: "type-PCI" | "type-PF";
  /** Devices per server. */
  readonly count: number;
}

export interface HardwareModel {
  readonly name: string;
  readonly vendorModel?: string;
  /** Devices for passthrough, where the profile has any. */
  readonly accelerators?: readonly AcceleratorModel[];
  readonly sockets: number;
  readonly coresPerSocket: number;
  readonly threadsPerCore: number;
  readonly physicalCores: number;
  readonly threads: number;
  readonly memoryGiB: number;
  /** What the kernel reports of it (MemTotal), which Nova and Placement count. */
  readonly memoryVisibleGiB: number;
  readonly disks: readonly {
    count: number;
    sizeGB: number;
    kind: string;
    use?: "system" | "rocksdb";
  }[];
  readonly rawDiskGB: number;
  /**
   * What its disks give local instance disks, combined into one file system (the runbook's
   * volume group): every disk but those kept for the system or RocksDB, and where none is kept
   * for the system, one disk less for it (a lone one, else the smallest).
   */
  readonly instanceDiskGB: number;
  /** The disks behind instanceDiskGB, for the deploy guide's volume group. */
  readonly instanceDisks: {
    readonly disks: readonly { count: number; sizeGB: number; kind: string }[];
    /** The host's one file system holds the instances beside the system. */
    readonly sharesSystem: boolean;
    /** No disk is kept for the system: it takes one of these (left out of `disks`). */
    readonly systemTakesOne?: { sizeGB: number; kind: string };
  };
  readonly nics: readonly { count: number; speedGbps: number }[];
}

export interface FlavorModel {
  readonly name: string;
  readonly vcpus: number;
  readonly ramMiB: number;
  readonly diskGiB: number;
  readonly dedicated: boolean;
  /**
   * Pinned flavors: the NUMA nodes a guest spans (`hw:numa_nodes` when more than one), the
   * fewest whose even split fits a host's sockets; 0 when none does (refused as flavor-numa).
   */
  readonly numaNodes?: number;
  /** Pinned flavors: the guests of it one of the pool's hosts takes, NUMA node by NUMA node. */
  readonly perHost?: number;
  /** Every project sees it; a private flavor is granted to the tenants that list it. */
  readonly public: boolean;
  /** PCI devices each instance gets whole, by alias, sorted (`pci_passthrough:alias`). */
  readonly accelerators?: readonly { readonly name: string; readonly count: number }[];
}

export interface PoolCapacity {
  readonly hosts: number;
  readonly spareHosts: number;
  readonly physicalCores: number;
  readonly threads: number;
  readonly memoryGiB: number;
  /** Shared vCPUs the scheduler can place: (threads - reserved) x ratio, per host, summed. */
  readonly schedulableVcpus: number;
  /** Dedicated (pinned) CPUs when the pool pins: Placement's PCPU inventory. */
  readonly dedicatedCpus: number;
  readonly schedulableRamGiB: number;
  /** The same figures with the spare hosts held back (N+1). */
  readonly usableVcpus: number;
  /**
   * Dedicated CPUs the pool's pinned flavors place on the hosts left beside the spare ones, NUMA
   * node by NUMA node (placeablePinnedCpus): at most the inventory.
   */
  readonly usableDedicatedCpus: number;
  /** What tenants can be sold: usable shared vCPUs plus usable dedicated CPUs. */
  readonly usableCpus: number;
  readonly usableRamGiB: number;
  /** How far the tenants' quotas may add up: the usable figures times the quota overcommit. */
  readonly quotaOvercommit: number;
  readonly quotableCpus: number;
  /**
   * Where every flavor takes passthrough devices: the most CPUs and memory a host's devices let
   * its guests take, which caps the usable and quotable figures.
   */
  readonly deviceBound?: {
    readonly vcpus: number;
    readonly ramGiB: number;
    /** The devices hold the guests back more than the CPUs, NUMA nodes and memory do. */
    readonly binds: boolean;
  };
  /**
   * Where instance disks are local and every flavor of the pool has a root disk: Placement's
   * DISK_GB inventory (the disks that hold instance disks, at disk_allocation_ratio 1.0) lets a
   * host's guests booted from images take at most these CPUs and memory, with the device bound
   * where there is one too.
   */
  readonly diskBound?: {
    readonly vcpus: number;
    readonly ramGiB: number;
    /** What a host's disks give instance disks, in GiB. */
    readonly diskGiB: number;
    /**
     * The bound caps the usable figures: without Cinder every guest boots from an image. With
     * it, a guest booted from a volume asks no DISK_GB, and the bound is said, not counted.
     */
    readonly caps: boolean;
    /** The pool's usable CPUs for guests booted from images: the usable hosts at the bound. */
    readonly usableCpus: number;
  };
  /**
   * A pinned pool's host NUMA nodes (a socket each), as Nova fits its guests: each node's
   * dedicated CPUs and the memory Nova checks a guest node against.
   */
  readonly numaNodes?: { readonly cpus: readonly number[]; readonly memoryGiB: number };
  /** The hosts' passthrough devices: per host, in the pool, and beside the spare hosts. */
  readonly accelerators?: readonly {
    readonly name: string;
    readonly perHost: number;
    readonly total: number;
    readonly usable: number;
  }[];
  readonly quotableRamGiB: number;
}

export interface PoolModel {
  /** Unique key: `<zone>-<pool>`. */
  readonly id: string;
  readonly name: string;
  readonly zone: string;
  readonly purpose: {
    /** The tier when the pool has one, else its stage, else its custom purpose. */
    readonly kind: "tier" | "stage" | "custom";
    readonly value: string;
    /** The stage of a pool that has a tier too. */
    readonly stage?: string;
  };
  readonly hardware: string;
  readonly hostnames: readonly string[];
  readonly cpuAllocationRatio: number;
  readonly ramAllocationRatio: number;
  readonly reservedHostCpus: number;
  readonly reservedHostMemoryGiB: number;
  readonly cpuPinning: boolean;
  readonly coupling: "loose" | "tight";
  readonly flavors: readonly FlavorModel[];
  readonly serverGroups: readonly ServerGroupModel[];
  readonly capacity: PoolCapacity;
}

/** A Nova server group a pool offers its workloads. */
export interface ServerGroupModel {
  readonly name: string;
  readonly policy: "affinity" | "anti-affinity" | "soft-affinity" | "soft-anti-affinity";
  readonly maxServersPerHost?: number;
}

export interface ZoneModel {
  readonly name: string;
  readonly site?: string;
  readonly racks: readonly string[];
  readonly pools: readonly string[];
  /** Compute hosts of all its pools. */
  readonly hosts: number;
}

export interface CephPoolModel {
  readonly name: string;
  readonly application: CephApplication;
  readonly deviceClass?: string;
  /** The device class its CRUSH rule selects: its own when the OSD hosts have such disks. */
  readonly osdClass: string;
  readonly dataShare: number;
  readonly pgNum: number;
}

/** The OSDs of one device class and the PG copies the design's pools put on each. */
export interface CephDeviceClassModel {
  readonly deviceClass: string;
  readonly osds: number;
  /** The class's disks in TB, and what its pools can keep in them after copies or chunks. */
  readonly rawTB: number;
  readonly usableTB: number;
  /** Each OSD's size: the cluster's osdSizeTB, another class's disks' mean. */
  readonly osdSizeTB: number;
  /** As the monitors count them against mon_max_pg_per_osd: an average over 3 OSDs or more. */
  readonly pgsPerOsd: number;
  /**
   * On the fullest OSDs, when they hold more: those of the fewest-host failure domain, or every
   * OSD of a class of fewer than three.
   */
  readonly pgsOnFullestOsd?: number;
}

export type CephFailureDomain = "datacenter" | "rack" | "host";

export interface CephModel {
  readonly nodes: readonly string[];
  /** OSDs of the cluster's device class (osdsPerNode per host); deviceClasses has every class's. */
  readonly osds: number;
  readonly osdSizeTB: number;
  readonly deviceClass: string;
  readonly protection:
    | { readonly kind: "replicated"; readonly size: number; readonly minSize: number }
    | { readonly kind: "erasure-coded"; readonly k: number; readonly m: number };
  /** What the CRUSH rules spread copies over: sites (CRUSH datacenters), racks or hosts. */
  readonly failureDomain: CephFailureDomain;
  /** Failure domains holding OSDs. */
  readonly failureDomains: number;
  /**
   * A failed OSD host's data has somewhere to recover: more failure domains than an object's
   * copies (or chunks), or, by rack, another OSD host in every rack.
   */
  readonly spareFailureDomain: boolean;
  /**
   * Without a spare failure domain, where some domains hold two OSD hosts or more: the hosts
   * alone in theirs, whose placement groups stay degraded (the others recover onto their
   * domain-mates).
   */
  readonly hostsAlone?: readonly string[];
  /**
   * With copies spread by rack or host over several sites: the sites holding as many failure
   * domains as a placement group's copies (or chunks past its parity), each of which may hold
   * every copy of some placement groups and lose them with it.
   */
  readonly sitesLosingData?: readonly string[];
  /**
   * With a spare failure domain, how full the cluster may be (a ratio of raw) while a failed
   * host's data still recovers: each OSD stops taking backfill at the backfillfull ratio, and
   * the host taking the most of that data, for its own load, decides.
   */
  readonly recoveryFillRatio?: number;
  /**
   * The recovery fill is estimated: with more racks (or sites) than copies, by mapping placement
   * groups as CRUSH's rules do before and after a host fails (`crushtool --test` on the
   * cluster's own map tells exactly).
   */
  readonly recoveryFillEstimated?: true;
  /** Every device class's OSDs: the sums of deviceClasses. */
  readonly rawTB: number;
  readonly usableTB: number;
  /**
   * Racks or sites holding unequal shares of the OSD hosts, where that costs usable capacity:
   * the hosts of each domain, and the usable TB were they spread evenly.
   */
  readonly unevenDomains?: {
    readonly hosts: Readonly<Record<string, number>>;
    readonly evenUsableTB: number;
  };
  readonly nearfullRatio: number;
  /** Usable capacity before the cluster reaches nearfull. */
  readonly usableAtNearfullTB: number;
  /** Usable capacity at the recovery fill ratio, where that comes before nearfull. */
  readonly usableToRecoverTB?: number;
  readonly pools: readonly CephPoolModel[];
  /** Device classes holding OSDs, the cluster's first. */
  readonly deviceClasses: readonly CephDeviceClassModel[];
  /** Usable TB of the RADOS Gateway pools (objects), in their classes' OSDs; the rest is block. */
  readonly objectTB: number;
  /** objectTB's share of the usable capacity: the part of the Ceph servers that serves objects. */
  readonly objectShare: number;
  readonly monitors: readonly string[];
}

/**
 * Usable TB split by what it serves: Ceph's RADOS Gateway pools and Swift serve objects, the rest
 * of Ceph (RBD volumes, images, instances' disks, backups) serves blocks. Ceph holds data up to
 * nearfull and no further than a failed host's data still recovers; Swift holds its usable TB
 * (it re-replicates only when a node's devices leave the ring).
 */
export interface StorageServed {
  readonly blockTB: number;
  readonly objectTB: number;
  readonly heldBlockTB: number;
  readonly heldObjectTB: number;
}

/** A hardware profile's disks an LVM or ZFS backend's volume group takes on each host. */
export interface VolumeDisks {
  readonly hardware: string;
  readonly hosts: number;
  readonly disks: readonly {
    readonly count: number;
    readonly sizeGB: number;
    readonly kind: string;
  }[];
  /** The system took one of these disks: no disk of the profile is marked for it or spare. */
  readonly systemTakesOne: boolean;
  readonly perHostTB: number;
}

export interface VolumeBackendModel {
  readonly name: string;
  readonly kind: "ceph" | "glusterfs" | "zfs" | "lvm";
  readonly volumeType: string;
  readonly volumeBackendName: string;
  /** LVM and ZFS: how volumes reach the hypervisors. */
  readonly targetProtocol?: "iscsi" | "iser";
  /** GlusterFS: the NFS exports cinder-volume mounts, as host:/volume. */
  readonly shares?: readonly string[];
  /** Hosts running cinder-volume for it: block-storage nodes, or the controllers for Ceph. */
  readonly hosts: readonly string[];
  readonly deviceClass?: string;
  /** Ceph: the volumes pool it writes (its device class's, the cluster's when it names none). */
  readonly cephPool?: string;
  /**
   * LVM and ZFS: the disks its volume group takes on each host. A volume lives on one host's
   * group, one copy; RAID below LVM and a zpool's redundancy are not counted.
   */
  readonly volumeDisks?: {
    readonly profiles: readonly VolumeDisks[];
    /** All hosts' disks, in TB. */
    readonly rawTB: number;
    /** One host's disks: the largest volume or group of volumes one host can hold. */
    readonly largestVolumeTB: number;
  };
  readonly public: boolean;
  readonly qos?: { readIopsSec?: number; writeIopsSec?: number; totalBytesSec?: number };
  readonly description?: string;
}

/**
 * The Swift account a container lives in, which decides who creates it:
 * - `platform`: the admin project's account; Terraform creates it in the platform stack;
 * - `each-tenant`: the account of each project that owns the data, where the service creates it:
 *   Glance's multi-tenant store one container per image (`<name>_<image id>`, on upload, with
 *   swift_store_create_container_on_put), cinder-backup (per_user auth) the named container on
 *   the project's first backup.
 */
export type SwiftAccount = "platform" | "each-tenant";

export interface SwiftContainerModel {
  readonly name: string;
  readonly purpose: "images" | "backups" | "application";
  readonly account: SwiftAccount;
  readonly public: boolean;
  readonly versioning: boolean;
  readonly storagePolicy?: string;
  readonly readers: readonly string[];
  readonly writers: readonly string[];
}

export interface SwiftModel {
  /**
   * Zone counts, from the most replicas of a ring to 16 past the design's zones, that give no
   * zone more than its share of the ring's weight and, where any count does, leave no rack or
   * availability zone holding every replica of some objects: the counts the Swift warnings and
   * SW-CAP-006 suggest.
   */
  readonly zoneCounts: readonly number[];
  readonly proxies: readonly string[];
  readonly storageNodes: readonly string[];
  /** Each storage node's ring zone and region: nodes round-robin into zones, zones into regions. */
  readonly nodeZones: readonly {
    readonly node: string;
    readonly zone: number;
    readonly region: number;
  }[];
  /**
   * Storage nodes, and Swift zones, whose loss every ring survives with each object and container
   * listing readable (the account and container rings included).
   */
  readonly lossesSurvived: { readonly nodes: number; readonly zones: number };
  /**
   * The network the ring devices replicate over (rsync, REPLICATE), when the design has a
   * storage-replication network, which every storage node joins.
   */
  readonly replicationNetwork?: string;
  /**
   * The `bind_ip` the storage servers need: `::` where the ring's networks (storage, replication)
   * are IPv6; their default, 0.0.0.0, listens on IPv4 only (swift.common.wsgi takes the socket's
   * family from it). The proxies are on the API network, IPv4 as the VIPs are.
   */
  readonly bindIp: "::" | "0.0.0.0";
  /** Data disks of the cluster, each node's the same number. */
  readonly disks: number;
  readonly disksPerNode: number;
  readonly diskSizeTB: number;
  readonly rawTB: number;
  /** Raw capacity over what the default policy keeps of each object (copies, or (k + m) / k). */
  readonly usableTB: number;
  /** Copies in the account and container rings, and in replicated policies that set none. */
  readonly replicas: number;
  /**
   * Pieces of each object in the default policy's ring, where containers that name no policy
   * keep their objects: copies, or data and parity fragments under erasure coding.
   */
  readonly objectReplicas: number;
  /** The default policy's erasure coding, when it has one. */
  readonly objectErasureCoding?: SwiftErasureCoding;
  /**
   * Copies in the replicated policy keeping fewest (the account and container rings' where every
   * policy is erasure coded).
   */
  readonly fewestReplicas: number;
  readonly zones: number;
  readonly regions: number;
  readonly partitionPower: number;
  readonly partitions: number;
  readonly weightPerDisk: number;
  readonly minPartHours: number;
  /**
   * Storage policies in declaration order: `index` is the policy's permanent Swift index (its
   * `[storage-policy:<index>]`), `ring` the object ring builder it reads (`object`, `object-1`, ...).
   */
  readonly policies: readonly {
    name: string;
    index: number;
    ring: string;
    /** The object ring's replicas: copies, or data + parity fragments under erasure coding. */
    replicas: number;
    default: boolean;
    erasureCoding?: SwiftErasureCoding;
    /** The raw capacity over what the policy keeps of each object (copies, or (k + m) / k). */
    usableTB: number;
  }[];
  readonly containers: readonly SwiftContainerModel[];
}

/** A storage policy's erasure coding: any `dataFragments` of each object's fragments rebuild it. */
export interface SwiftErasureCoding {
  readonly type: (typeof SWIFT_EC_TYPES)[number];
  readonly dataFragments: number;
  readonly parityFragments: number;
}

/** One API endpoint of an enabled service, behind the VIPs. */
export interface EndpointModel {
  readonly service: string;
  readonly name: string;
  readonly port: number;
  /** Served on the external VIP too; internal-only endpoints (nova-metadata) are not. */
  readonly public: boolean;
}

export interface PortRule {
  readonly service: string;
  readonly port: string;
  readonly protocol: "tcp" | "udp" | "vrrp" | "gre" | "esp";
  readonly from: string;
  readonly to: string;
}

export interface SecurityRuleModel {
  readonly direction: "ingress" | "egress";
  readonly ethertype: "IPv4" | "IPv6";
  readonly protocol: "tcp" | "udp" | "vrrp" | "gre" | "esp";
  readonly portMin?: number;
  readonly portMax?: number;
  /** Exactly one of these is set: a source prefix or a security group of the model. */
  readonly remoteIpPrefix?: string;
  readonly remoteGroup?: string;
  readonly description: string;
}

export interface SecurityGroupModel {
  readonly name: string;
  /** Its name in Neutron (the platform's groups, a tenant's tier groups). */
  readonly neutronName?: string;
  readonly description: string;
  readonly rules: readonly SecurityRuleModel[];
}

export interface InventoryRow {
  /** Primary role of these servers. */
  readonly role: NodeRole;
  /** Every role any of them carries, the primary one included, in `ROLE_ORDER`. */
  readonly roles: readonly NodeRole[];
  readonly hardware: string;
  readonly count: number;
  /** How many of them also carry each co-located role (e.g. 3 of 9 OSD hosts run a monitor). */
  readonly colocated: Readonly<Partial<Record<NodeRole, number>>>;
  /** Virtual machines on the undercloud, not servers. */
  readonly virtual?: true;
}

export interface HaRow {
  /** Stable key of the row's kind; documents translate component and mechanism by it. */
  readonly kind: string;
  readonly params: Params;
  readonly component: string;
  readonly mechanism: string;
  readonly nodes: number;
  readonly failuresTolerated: number;
}

export interface TenantQuota {
  readonly instances: number;
  readonly cores: number;
  readonly ramGiB: number;
  readonly volumes: number;
  readonly volumeGiB: number;
  readonly networks: number;
  readonly subnets: number;
  readonly routers: number;
  readonly ports: number;
  readonly floatingIps: number;
  readonly securityGroups: number;
  readonly securityGroupRules: number;
  readonly loadBalancers: number;
  /**
   * Nova's server group quotas, which the spec does not set: at least Nova's default 10, and
   * room for the pools' server groups the tenant runs in and for every instance in one group.
   */
  readonly serverGroups: number;
  readonly serverGroupMembers: number;
  /** cinder-backup's quotas: the volume quotas unless the spec sets them. */
  readonly backups: number;
  readonly backupGiB: number;
  /** By Cinder volume type name. */
  readonly perVolumeType: Readonly<
    Record<string, { readonly volumes?: number; readonly gigabytes?: number }>
  >;
}

/** An ingress rule of a tenant's base security group. */
export interface TenantBaseRuleModel {
  /** Its construct id: `rule-intra-group-ipv4`, `rule-ssh-<key>`, `rule-icmp-<key>`. */
  readonly id: string;
  readonly ethertype: "IPv4" | "IPv6";
  /** Neutron's protocol name; every protocol when absent. */
  readonly protocol?: string;
  readonly port?: number;
  /** The source block; the group's own members when absent. */
  readonly remoteIpPrefix?: string;
  readonly description: string;
}

/** One block allowed SSH and ICMP into a tenant's base security group. */
export interface TenantSshSource {
  /** As written in the spec, for messages. */
  readonly written: string;
  /**
   * The block as Neutron stores it (`str(netaddr.IPNetwork(x).cidr)`: network address, short
   * lower-case IPv6), so a plan compares equal and equal blocks however written are one.
   */
  readonly cidr: string;
  /** Construct id of its rules, from the block: a respelt source keeps its rules' addresses. */
  readonly key: string;
  readonly ethertype: "IPv4" | "IPv6";
  /** Neutron protocol name of the ICMP rule. */
  readonly icmpProtocol: "icmp" | "ipv6-icmp";
}

export interface TenantModel {
  readonly id: string;
  readonly name: string;
  readonly domain?: string;
  readonly description?: string;
  readonly pool?: string;
  /**
   * The legacy bridge's security groups (LegacyGroupModel keys) of the legacy UNIX flows the
   * tenant's workloads take part in: on a pool a flow names, or any pool when it names none.
   * With any, the bridge network and those groups are shared with the project.
   */
  readonly legacyGroups: readonly string[];
  readonly quota: TenantQuota;
  /** Directory groups and their role on the project; `domain` names where the group lives. */
  readonly groups: readonly { name: string; role: string; domain?: string }[];
  readonly network?: {
    cidr: string;
    ipVersion: 4 | 6;
    gateway: string;
    dnsServers: readonly string[];
    mtu: number;
    /**
     * The CIDR lies inside the default tenant subnet pool, so the subnet is allocated from the
     * pool (subnetpool_id with this CIDR) and the pool never hands it out again.
     */
    fromSubnetPool: boolean;
  };
  /** Sources allowed SSH and ICMP into the base security group, in spec order. */
  readonly ssh: readonly TenantSshSource[];
  /**
   * Services the tenant publishes through its router's firewall: a port from canonical sources,
   * one firewall rule each, in spec order without repeats.
   */
  /** Whether its router's firewall lets the users' HTTP and HTTPS in (the platform's rules). */
  readonly usersWeb: boolean;
  readonly ingress: readonly TenantServiceModel[];
  /**
   * What its router lets its instances open, where the tenant restricts it (tenants[].egress): a
   * port to canonical destinations, in spec order; absent, everything.
   */
  readonly egress?: readonly TenantServiceModel[];
  /**
   * What the tenant's own stack takes from its Neutron quota: network, subnet and router, the
   * base security group beside the default one Neutron makes, and all their rules.
   */
  readonly stackUsage: {
    readonly networks: number;
    readonly subnets: number;
    readonly routers: number;
    readonly securityGroups: number;
    readonly securityGroupRules: number;
  };
  /**
   * Tier security groups (`remoteGroup` names another tier): with them the base group keeps only
   * SSH and ICMP, and each instance joins its tier's group.
   */
  readonly tiers?: readonly SecurityGroupModel[];
  /** Its base security group's name in Neutron, which its instances launch with. */
  readonly baseGroup: string;
  /**
   * Whether the base group admits all traffic between its members: without tiers, or while a
   * running tenant's instances move into their tiers' groups (tiersEnforced: false).
   */
  readonly baseGroupOpen: boolean;
  /**
   * The base group's own rules (inside the group unless tiers keep the instances apart, SSH and
   * ICMP per source), as its stack makes them and the documents list them: made without a
   * project, with admin credentials Neutron files them under the admin's project.
   */
  readonly baseRules: readonly TenantBaseRuleModel[];
  readonly keyPairs: readonly { name: string; publicKey: string }[];
  readonly flavors: readonly string[];
  readonly volumeTypes: readonly string[];
  /** Provider networks (names in `Model.networks`) shared with the project, each by RBAC. */
  readonly providerNetworks: readonly string[];
  /**
   * The server groups of the pools the tenant runs on (the pool it names and the pools of the
   * flavors it lists), each its own: Nova shows a non-admin only the groups of their project.
   */
  readonly serverGroups: readonly (ServerGroupModel & {
    readonly pool: string;
    /** The group's name in Nova: `<naming prefix>-<pool id>-<name>`. */
    readonly novaName: string;
  })[];
  readonly stack: string;
  /**
   * With project credentials (`output.tenantStacks.networkCredentials: project`): the stack of the
   * tenant's network resources and key pairs, the clouds.yaml entry holding an application
   * credential of its project, and the name a project member gives that credential.
   */
  readonly networkStack?: {
    readonly stack: string;
    readonly cloud: string;
    readonly credential: string;
  };
}

export interface LdapModel {
  /** Keystone's `url`: one server, or several separated by commas, tried in turn. */
  readonly url: string;
  /**
   * Each server Keystone may connect to, with its port: the URL's, else 636 for ldaps:// and
   * 389 for ldap://.
   */
  readonly servers: readonly { readonly host: string; readonly port: number }[];
  /** `ldaps`: TLS from the first byte; `starttls`: ldap:// upgraded by StartTLS; `plain`: no TLS. */
  readonly transport: "ldaps" | "starttls" | "plain";
  readonly bindDn?: string;
  /**
   * With a bind DN: the Ansible variable Kolla-Ansible fills the bind password from when it
   * renders the domain file (kept in /etc/kolla/passwords.yml, never in the output).
   */
  readonly bindPasswordVariable?: string;
  readonly userTreeDn: string;
  readonly groupTreeDn: string;
  readonly userObjectClass: string;
  readonly groupObjectClass: string;
  readonly userIdAttribute: string;
  /**
   * Attribute of a group that lists its members, by the group object class: `memberUid` (user
   * ids) for posixGroup, `uniqueMember` for groupOfUniqueNames, else `member` (DNs).
   */
  readonly groupMemberAttribute: "member" | "uniqueMember" | "memberUid";
  /** The members are user ids, not DNs (Keystone's group_members_are_ids). */
  readonly groupMembersAreIds: boolean;
  readonly activeDirectory: boolean;
  /** The design's filter of the users Keystone sees, beside Keystone's own conditions. */
  readonly userFilter?: string;
  /** The design's filter of the groups Keystone sees. */
  readonly groupFilter?: string;
}

export interface DomainModel {
  readonly name: string;
  readonly description: string;
  readonly ldap?: LdapModel;
}

/** One Keystone role assignment of a directory group; each appears once in the model. */
export interface RoleAssignmentModel {
  readonly group: string;
  /** The domain the group lives in. */
  readonly groupDomain: string;
  readonly role: string;
  /** Project scope: the tenant's id. Exactly one of `tenant` and `domain` is set. */
  readonly tenant?: string;
  /** Domain scope: the domain the role applies to. */
  readonly domain?: string;
  /** True when the assignment comes from the tenant's own `groups` list rather than a mapping. */
  readonly fromTenantGroups: boolean;
}

export interface IdentityModel {
  /** Declared domains; Keystone's built-in `default` domain is never among them. */
  readonly domains: readonly DomainModel[];
  readonly assignments: readonly RoleAssignmentModel[];
  /**
   * Groups the assignments name that Keystone keeps itself (in its Default domain or a domain
   * without a directory), sorted: the platform stack creates them, the stacks with the
   * assignments look them up. Directory groups are only looked up.
   */
  readonly keystoneGroups: readonly { readonly domain: string; readonly name: string }[];
  /**
   * The stack of the roles on whole domains, when there are any: applied after the platform
   * stack, which creates the domains, and after Keystone has restarted to read their directory
   * configuration (it loads a domain's file only if the domain exists when it starts).
   */
  readonly domainRoleStack?: string;
}

export interface NtpModel {
  readonly servers: readonly string[];
  /** Whom the nodes other than the controllers ask: the controllers, or the servers directly. */
  readonly clients: "controllers" | "servers";
  /** Time sources per node role. */
  readonly sources: Readonly<Partial<Record<NodeRole, readonly string[]>>>;
  /**
   * The controllers' management addresses where they serve the other nodes (clients:
   * controllers), else none: each controller polls them all (chrony ignores its own) and keeps a
   * local reference in orphan mode, so that with the upstream servers lost they keep one time.
   */
  readonly peers: readonly string[];
}

/** One phase of the legacy site's IPsec tunnel, as neutron-vpnaas and the peer both take it. */
export interface LegacyVpnPhase {
  readonly auth: "sha256";
  readonly encryption: "aes-256";
  readonly pfs: "group14";
  readonly lifetimeSeconds: number;
}

export interface LegacyModel {
  readonly network: string;
  readonly subnets: readonly string[];
  readonly nextHop: string;
  /** The cloud's legacy router's address on the bridge: the bridge network's gateway address. */
  readonly routerAddress: string;
  /**
   * The router holds the bridge subnet's gateway (clouds built so: `legacyUnix.subnetGateway`),
   * and DHCP offers the bridge ports a default route through it; else the subnet has no gateway
   * and the router takes its address on a port of its own.
   */
  readonly subnetGateway: boolean;
  /**
   * The routes the bridge subnet gives the instances' ports on it, by DHCP (IPv4 option 121,
   * with a default route through the router only when it holds the subnet's gateway) or, on IPv6
   * or without DHCP, in the metadata's network data (nova/virt/netutils.py): each legacy subnet
   * by the next hop on the bridge, each remote site's subnet by the cloud's legacy router, which
   * runs the VPN.
   */
  readonly hostRoutes: readonly { readonly destination: string; readonly nextHop: string }[];
  /**
   * The legacy subnets the router routes to the next hop: only where it holds the bridge subnet's
   * gateway, for instances that take it as their default route. Else the instances reach the
   * next hop directly by their host routes, and a route on the router would carry only what
   * reaches it from the external network, past the flows' security groups.
   */
  readonly routerRoutes: readonly string[];
  readonly systems: readonly {
    name: string;
    architecture: string;
    os: string;
    address: string;
    description?: string;
  }[];
  readonly flows: readonly {
    name: string;
    port: number;
    protocol: "tcp" | "udp";
    direction: "to-legacy" | "from-legacy";
    systems: readonly string[];
    pools: readonly string[];
    /** The key of its security group (LegacyGroupModel). */
    group: string;
  }[];
  readonly vpn?: {
    peerAddress: string;
    peerCidrs: readonly string[];
    /** The cloud's side of the tunnel: the bridge network's block. */
    localSubnet: string;
    /** What the remote site's VPN gateway must match: phase 1 (IKE) and phase 2 (IPsec). */
    ike: LegacyVpnPhase & { readonly version: "v2" };
    ipsec: LegacyVpnPhase & { readonly mode: "tunnel"; readonly protocol: "esp" };
    /** Dead peer detection: the interval and timeout in seconds, and what follows a timeout. */
    dpd: { readonly action: "restart"; readonly interval: number; readonly timeout: number };
  };
  /**
   * The legacy router's gateway on the external network, for the VPN only (Neutron runs VPN
   * services on routers with one): without a VPN it would route the external network to the
   * legacy subnets past the flows, with no SNAT and no firewall group.
   */
  readonly externalGateway: boolean;
  /**
   * The security groups of the flows: one per direction and set of pools the flows are limited
   * to, so a tenant is shared only the groups of flows its pools take part in (Neutron adds up
   * every group on a port).
   */
  readonly groups: readonly LegacyGroupModel[];
  /** The security group rules the flows open, one per group, protocol, port and address. */
  readonly rules: readonly LegacyRuleModel[];
}

/** A security group of the legacy flows. */
export interface LegacyGroupModel {
  /**
   * The direction; where the flows of a direction are limited to different pools, each pool its
   * flows are limited to after a '+' (`egress+app+db`).
   */
  readonly key: string;
  /**
   * What names it in Terraform (addresses, outputs): the direction alone for a direction's
   * only group, else the direction, the pools and a digest of the key, so no other group's
   * id ever reads alike (`app-db` and `app`, `db` would) and adding a flow moves none.
   */
  readonly id: string;
  readonly direction: "ingress" | "egress";
  /** The pools, as the flows name them, whose tenants share it; none: every pool. */
  readonly pools: readonly string[];
  /** Its name in Neutron. */
  readonly neutronName: string;
}

/**
 * A rule of the legacy security groups: ingress for flows from the legacy systems, egress for
 * flows to them. One per group, protocol, port and address, Neutron's own key: it refuses a
 * second rule alike but for its description, so flows on one port of one address share a rule.
 */
export interface LegacyRuleModel {
  /** The key of its group. */
  readonly group: string;
  readonly direction: "ingress" | "egress";
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly address: string;
  /** The address as the rule's remote: the system alone. */
  readonly remoteIpPrefix: string;
  /** The systems at that address the flows name, by name. */
  readonly systems: readonly string[];
  /** The flows it carries, by name. */
  readonly flows: readonly string[];
}

export interface Model extends DesignFacts {
  readonly formatVersion: 1;
  readonly blueprint: string;
  readonly metadata: MetadataModel;
  readonly cloud: CloudModel;
  readonly naming: { readonly prefix: string };
  readonly sites: readonly SiteModel[];
  readonly hardware: readonly HardwareModel[];
  readonly zones: readonly ZoneModel[];
  readonly pools: readonly PoolModel[];
  readonly networks: readonly NetworkModel[];
  readonly nodes: readonly NodeModel[];
  /** DNS domain of the hosts' FQDNs. */
  readonly domain: string;
  readonly undercloud?: UndercloudModel;
  readonly switches: readonly SwitchModel[];
  /**
   * Racks the servers stand in: each named rack holding one, and one more for the servers of no
   * rack at each site (the switch plan cables them apart). VMs stand in none.
   */
  readonly racksUsed: number;
  readonly lifecycle: readonly LifecycleStage[];
  readonly vips: readonly VipModel[];
  readonly controlPlane: {
    readonly controllers: readonly string[];
    /** Survives a controller's loss: three or more, Galera and a RabbitMQ cluster. */
    readonly ha: boolean;
    readonly deployment: "baremetal" | "vm";
    readonly flavor: string;
    readonly image: string;
    readonly keyPair?: string;
    readonly services: readonly string[];
    /** What balances the API endpoints: Kolla's HAProxy on keepalived VIPs. */
    readonly loadBalancer: "keepalived";
    /** Octavia's load balancers (with octavia): one amphora each, or an active-standby pair. */
    readonly octavia?: {
      readonly topology: "single" | "active-standby";
      readonly amphoraePerLoadBalancer: 1 | 2;
      /** The pool (its id) the amphorae's flavor asks for, when the design pins them to one. */
      readonly pool?: string;
      /** The amphorae the tenants' load-balancer quotas allow, and what their flavor takes. */
      readonly amphorae: {
        readonly count: number;
        readonly vcpus: number;
        readonly ramGiB: number;
      };
    };
    readonly database: "galera" | "single";
    readonly messaging: "rabbitmq-cluster" | "single";
    readonly networkNodes: readonly string[];
    /** keepalived's VRRP router id for the VIPs (Kolla's keepalived_virtual_router_id). */
    readonly virtualRouterId: number;
    /** Host that runs Kolla-Ansible and cephadm. */
    readonly deployer: string;
  };
  readonly network: {
    readonly underlayMtu: number;
    readonly tenantNetworkType: TenantNetworkType;
    readonly tenantMtu: number;
    readonly encapsulationOverhead: number;
    /** What the tunnels between hosts carry: the tunnel network's MTU, else the underlay's. */
    readonly tunnelMtu: number;
    /** IP version of the tunnels' outer headers: the tunnel network's, else management's. */
    readonly overlayIpVersion: 4 | 6;
    /**
     * Neutron's `[ml2] path_mtu` when below the underlay's: the tunnels' network MTU, less what
     * OVN's Geneve carries beyond a VXLAN type's overhead (core/neutron.ts overlayFigures).
     */
    readonly pathMtu?: number;
    readonly vniRange: { readonly min: number; readonly max: number };
    readonly tenantVlanRange?: { readonly min: number; readonly max: number };
    /** VLAN tenant networks: the declared physical network, else the first Neutron one by name. */
    readonly tenantPhysicalNetwork?: string;
    readonly dnsServers: readonly string[];
    readonly supernet?: string;
    readonly tenantSubnetPool?: TenantSubnetPoolModel;
  };
  readonly capacity: {
    /** Passthrough devices of the compute pools by kind: in all, and beside the spare hosts. */
    readonly accelerators?: readonly {
      readonly name: string;
      readonly model?: string;
      readonly total: number;
      readonly usable: number;
    }[];
    /** Zones with pools: Nova's availability zones. */
    readonly availabilityZones: number;
    readonly hosts: number;
    readonly physicalCores: number;
    readonly threads: number;
    readonly schedulableVcpus: number;
    readonly usableVcpus: number;
    readonly dedicatedCpus: number;
    /** Dedicated CPUs pinned flavors place with the spare hosts held back (N+1). */
    readonly usableDedicatedCpus: number;
    /** What tenants can be sold: usable shared vCPUs plus usable dedicated CPUs. */
    readonly usableCpus: number;
    /**
     * Where a pool's local disks bound guests booted from images but Cinder lets guests boot
     * from volumes: the usable CPUs if every guest booted from an image.
     */
    readonly imageBootCpus?: number;
    readonly schedulableRamGiB: number;
    readonly usableRamGiB: number;
  };
  readonly storage: {
    readonly ceph?: CephModel;
    readonly backends: readonly VolumeBackendModel[];
    /**
     * Cinder's default volume type (default_volume_type): the first public backend's in the
     * spec's order. Without it Cinder's `__DEFAULT__` type, which has no extra specs, lets a
     * volume made without a type land on any backend, past QoS and per-type quotas; a private
     * type would not do either, since Cinder gives its default to every project.
     */
    readonly defaultVolumeType?: string;
    /** LVM and ZFS: the raw TB of every volume group's disks. */
    readonly volumeServersTB?: number;
    readonly swift?: SwiftModel;
    /** Ceph's and Swift's usable TB by what it serves, and the data that fits in it. */
    readonly served: StorageServed;
    readonly imageBackend: "ceph" | "swift" | "file";
    readonly ephemeralBackend: "local" | "ceph";
    /** Where Cinder backups go: a Swift container (Manila shares are refused). */
    readonly backup?: { readonly service: "swift"; readonly container: string };
  };
  readonly identity: IdentityModel;
  readonly ntp?: NtpModel;
  readonly legacyUnix?: LegacyModel;
  readonly securityZones: SecurityZonesModel;
  readonly tenants: readonly TenantModel[];
  readonly output: OutputModel;
  readonly suppressions: readonly SuppressionModel[];
  /** API endpoints of the enabled services, in service order. */
  readonly endpoints: readonly EndpointModel[];
  readonly ports: readonly PortRule[];
  readonly securityGroups: readonly SecurityGroupModel[];
  readonly ha: readonly HaRow[];
  /**
   * Bill of materials: servers by primary role and hardware, every server counted once;
   * `colocated` says how many also run another role (Ceph monitors, deployer, block storage).
   */
  readonly inventory: readonly InventoryRow[];
  /** Kolla-Ansible and cephadm facts (model/deploy.ts). */
  readonly deploy: DeployModel;
}

/** A port (or range) to or from one block, through a tenant router's firewall. */
export interface TenantServiceModel {
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  /** The last port of a range from port. */
  readonly toPort?: number;
  readonly cidr: string;
}

/** One FWaaS v2 rule of the platform's tenant-router policies. */
export interface FirewallRuleModel {
  /** Stable key from the rule's content (never its position): the construct id. */
  readonly key: string;
  /** Name suffix after `<prefix>-fw-`. */
  readonly name: string;
  readonly description: string;
  readonly action: "allow";
  readonly protocol: "tcp" | "udp" | "icmp" | "any";
  readonly ipVersion: 4 | 6;
  readonly sourceIpAddress?: string;
  readonly destinationIpAddress?: string;
  readonly destinationPort?: number;
  /** The last port of a range from destinationPort (FWaaS takes `first:last`). */
  readonly destinationPortMax?: number;
}

/** A tenant router's outside-to-inside FWaaS v2 policy, made in the tenant's own stack. */
export interface FirewallTenantPolicyModel {
  readonly tenant: string;
  /** The platform's shared rules it holds (keys of FirewallModel.ingress), in order. */
  readonly platformRules: readonly string[];
  /** Rules of the tenant's own, after those: SSH and ICMP from its sources, its published services. */
  readonly ownRules: readonly FirewallRuleModel[];
  /** Whether it publishes services of its own (tenants[].ingress). */
  readonly publishes: boolean;
  /** Whether it keeps the users' web ports out of its platform rules (tenants[].usersWeb false). */
  readonly usersWebOut?: true;
  /**
   * Its own inside-to-outside rules, where the tenant restricts what its instances open
   * (tenants[].egress): DNS to its subnet's servers, then what it lists. Absent: the platform's
   * shared policy, which lets everything out.
   */
  readonly egress?: readonly FirewallRuleModel[];
}

/** The FWaaS v2 rules and policies tenant routers apply: outside to inside, and inside to outside. */
export interface FirewallModel {
  /** The platform's outside-to-inside rules, all in its policy inside-ingress. */
  readonly ingress: readonly FirewallRuleModel[];
  readonly egress: readonly FirewallRuleModel[];
  /** Each tenant router's outside-to-inside policy, for the tenants with a network. */
  readonly tenantPolicies: readonly FirewallTenantPolicyModel[];
}

export interface SecurityZonesModel {
  /** Where administrators connect from. */
  readonly adminCidrs: readonly string[];
  /** Where API and dashboard users connect from; anywhere (0.0.0.0/0) when the spec leaves it unset. */
  readonly userCidrs: readonly string[];
  /** Whether the spec declared userCidrs; unset opens the user-facing endpoints to everyone. */
  readonly userCidrsDeclared: boolean;
  /** FWaaS v2 policies for tenant routers, when the design enables the firewall. */
  readonly firewall?: FirewallModel;
}

export interface MetadataModel {
  readonly customer: string;
  readonly project: string;
  readonly language: Language;
  readonly version: string;
  readonly author?: string;
  readonly description?: string;
}

/** The clouds.yaml entry the provider authenticates with, and the region. */
export interface CloudModel {
  readonly cloud: string;
  readonly region: string;
}

export interface SiteModel {
  readonly name: string;
  /** Where it is (a region or city), not an OpenStack region. */
  readonly region?: string;
  readonly description?: string;
  /** The zones at the site and their racks, by name. */
  readonly zones: readonly string[];
  readonly racks: readonly string[];
  /** Servers standing there (in one of its racks, or unracked in one of its zones), not VMs. */
  readonly servers: number;
}

/** Where every stack keeps its Terraform state. */
export type BackendModel =
  | { readonly type: "local" }
  | {
      readonly type: "s3";
      readonly bucket: string;
      readonly key?: string;
      readonly endpoint: string;
      readonly region: string;
    }
  | { readonly type: "http"; readonly address: string }
  | { readonly type: "pg"; readonly schemaName?: string };

export interface OutputModel {
  readonly backend: BackendModel;
  readonly format: "json" | "hcl";
  readonly namingPrefix: string;
  readonly tenantStacks: {
    /** One stack per tenant, or one `tenants` stack for all. */
    readonly layout: "per-tenant" | "single";
    /**
     * `project`: each tenant's own network resources and key pairs go to a stack of their own,
     * applied with an application credential of the tenant's project (`TenantModel.networkStack`).
     */
    readonly networkCredentials: "admin" | "project";
  };
}

/** A policy finding the design accepts, with its reason; it stays visible in reports. */
export interface SuppressionModel {
  readonly rule: string;
  readonly target?: string;
  readonly reason: string;
}

/** The pool tenant self-service subnets come from, in its own address scope. */
export interface TenantSubnetPoolModel {
  readonly prefixes: readonly string[];
  /** The prefixes' one IP version (the spec rules refuse a mix). */
  readonly ipVersion: 4 | 6;
  readonly defaultPrefixLength: number;
}
