import { z } from "zod";
import { DEFAULTS } from "../core/defaults";
import { LANGUAGES, NETWORK_ROLES, TENANT_NETWORK_TYPES } from "../core/vocabulary";

export { LANGUAGES, NETWORK_ROLES, TENANT_NETWORK_TYPES };

// Identifiers become hostnames, availability zones and Terraform addresses: keep them DNS-safe.
const IDENT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NO_CONTROL = /^[^\p{Cc}]*$/u;

/** Names that are members of every JavaScript object and so cannot name a construct. */
const RESERVED_IDENTS: ReadonlySet<string> = new Set(["constructor"]);

export const ident = () =>
  z
    .string({ error: "expected a name" })
    .regex(IDENT, {
      error: "expected a lowercase name of letters, digits and '-' (1-63 characters, DNS-safe)",
    })
    .refine((s) => !RESERVED_IDENTS.has(s), {
      error: (issue) => `${JSON.stringify(issue.input)} is a reserved word; choose another name`,
    });
/** Free text shown to people (customer names, descriptions); escaped wherever it is written. */
export const text = (max = 200) =>
  z
    .string({ error: "expected text" })
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(NO_CONTROL, { error: "must not contain control characters (line breaks, tabs)" });
const longText = () =>
  z
    .string({ error: "expected text" })
    .max(4000, { error: "must be at most 4000 characters" })
    // Line breaks and tabs are fine in long text; other control characters are not.
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$/, {
      error: "must not contain control characters",
    });
const posInt = (max = 1_000_000) =>
  z
    .int({ error: "expected a positive integer" })
    .min(1, { error: "expected a positive integer" })
    .max(max, { error: `must be at most ${max}` });
const nonNegInt = (max = 1_000_000) =>
  z
    .int({ error: "expected a whole number" })
    .min(0, { error: "must be 0 or more" })
    .max(max, { error: `must be at most ${max}` });
const ratio = (max: number) =>
  z
    .number({ error: "expected a number" })
    .positive({ error: "must be greater than 0" })
    .max(max, { error: `must be at most ${max}` });
const ipv4 = () => z.ipv4({ error: "expected an IPv4 address" });
const ipAddress = () =>
  z.union([z.ipv4(), z.ipv6()], { error: "expected an IPv4 or IPv6 address" });
const cidr = () =>
  z.union([z.cidrv4(), z.cidrv6()], {
    error: "expected a CIDR such as 10.0.0.0/24 or 2001:db8::/64",
  });
const vlanId = () =>
  z
    .int({ error: "expected a VLAN ID" })
    .min(1, { error: "VLAN IDs are 1-4094" })
    .max(4094, { error: "VLAN IDs are 1-4094" });
const port = () =>
  z
    .int({ error: "expected a port number" })
    .min(1, { error: "ports are 1-65535" })
    .max(65535, { error: "ports are 1-65535" });

const strict = z.strictObject;

export const TIERS = ["web", "app", "db"] as const;
export const STAGES = ["dev", "test", "preprod", "prod"] as const;
export const SERVICES = [
  "keystone",
  "nova",
  "placement",
  "neutron",
  "cinder",
  "glance",
  "swift",
  "heat",
  "horizon",
  "ceilometer",
  "octavia",
  "manila",
  /** Neutron extensions: FWaaS v2 firewall groups and VPNaaS IPsec. */
  "fwaas",
  "vpnaas",
] as const;

const metadata = strict({
  customer: text(),
  project: text(),
  language: z.enum(LANGUAGES, { error: "expected en or zh-CN" }).default(DEFAULTS.language),
  version: text(40).default("1.0"),
  author: text().optional(),
  description: longText().optional(),
});

/** Kernel network interface names (`eno1`, `ens1f0`): at most 15 characters. */
const interfaceName = () =>
  z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/, {
    error: "expected a network interface name such as eno1 or ens1f0 (at most 15 characters)",
  });

/** A DNS domain such as `cloud.example.net`. */
const dnsDomain = () =>
  z
    .string()
    .max(200, { error: "must be at most 200 characters" })
    .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: "expected a lowercase DNS domain such as cloud.example.net",
    });

/**
 * The undercloud: a cloud running Nova with Ironic that provisions this cloud's servers. Without
 * it the hosts already exist (installed by hand, MAAS or Foreman).
 */
const undercloud = strict({
  /** Its clouds.yaml entry; never the overcloud's. */
  cloud: ident().or(text(64)),
  region: text(64).default(DEFAULTS.region),
  /** Glance image every node is deployed with. @default controlPlane.image */
  image: text(128).optional(),
  /** Undercloud network the nodes boot and are provisioned on. */
  network: text(64).default(DEFAULTS.provisioningNetwork),
  keyPair: text(64).optional(),
});

const cloud = strict({
  /** The clouds.yaml entry the provider authenticates with; credentials never appear in the spec. */
  cloud: ident().or(text(64)),
  region: text(64).default(DEFAULTS.region),
  undercloud: undercloud.optional(),
});

const site = strict({
  name: ident(),
  region: text(64).optional(),
  description: text().optional(),
});

const disk = strict({
  count: posInt(128),
  sizeGB: posInt(1_000_000),
  kind: z.enum(["ssd", "nvme", "hdd"], { error: "expected ssd, nvme or hdd" }),
});

const nic = strict({
  count: posInt(16),
  speedGbps: posInt(800),
});

const hardwareProfile = strict({
  name: ident(),
  vendorModel: text().optional(),
  sockets: posInt(8),
  coresPerSocket: posInt(256),
  threadsPerCore: z.union([z.literal(1), z.literal(2)], { error: "expected 1 or 2" }).default(2),
  memoryGiB: posInt(65536),
  disks: z.array(disk).default([]),
  nics: z.array(nic).default([]),
  /** Ironic flavor of this hardware on the undercloud. @default baremetal-<name> */
  baremetalFlavor: text(64).optional(),
  /**
   * Kernel names of the ports that form the host bonds, in order. Needed when a host carries
   * several untagged networks (one bond each). @default every Ethernet port in one bond
   */
  nicNames: z.array(interfaceName()).min(1).optional(),
});

const purpose = z.union(
  [
    strict({ tier: z.enum(TIERS, { error: "expected web, app or db" }) }),
    strict({ stage: z.enum(STAGES, { error: "expected dev, test, preprod or prod" }) }),
    strict({ custom: text(64) }),
  ],
  {
    error:
      "expected one of { tier: web|app|db }, { stage: dev|test|preprod|prod } or { custom: <text> }",
  },
);

const flavor = strict({
  name: ident(),
  vcpus: posInt(1024),
  ramGiB: posInt(16384),
  diskGiB: nonNegInt(65536).default(0),
  /** Dedicated (pinned) CPUs; only valid in pools with cpuPinning. */
  dedicated: z.boolean().default(false),
  public: z.boolean().default(true),
});

const pool = strict({
  name: ident(),
  purpose,
  hosts: posInt(10_000),
  /** Hypervisor host names as Nova knows them; generated from zone and pool when absent. */
  hostnames: z.array(ident()).optional(),
  hardware: ident(),
  racks: z.array(ident()).optional(),
  cpuAllocationRatio: ratio(64).default(DEFAULTS.cpuAllocationRatio),
  ramAllocationRatio: ratio(4).default(DEFAULTS.ramAllocationRatio),
  reservedHostCpus: nonNegInt(256).default(DEFAULTS.reservedHostCpus),
  reservedHostMemoryGiB: nonNegInt(4096).default(DEFAULTS.reservedHostMemoryGiB),
  spareHosts: nonNegInt(1000).default(DEFAULTS.spareHostsPerPool),
  cpuPinning: z.boolean().default(false),
  /** Tightly coupled pools share racks with storage for high-throughput data workloads. */
  coupling: z.enum(["loose", "tight"], { error: "expected loose or tight" }).default("loose"),
  flavors: z.array(flavor).default([]),
  /** Server groups for workloads that must (not) share a hypervisor. */
  serverGroups: z
    .array(
      strict({
        name: ident(),
        policy: z.enum(["affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity"], {
          error: "expected affinity, anti-affinity, soft-affinity or soft-anti-affinity",
        }),
        maxServersPerHost: posInt(1000).optional(),
      }),
    )
    .default([]),
});

const zone = strict({
  name: ident(),
  site: ident().optional(),
  racks: z.array(ident()).default([]),
  pools: z.array(pool).min(1, { error: "a zone needs at least one pool" }),
});

const vips = strict({
  internal: ipv4(),
  external: ipv4().optional(),
});

const controlPlane = strict({
  // More than 9 buys no tolerance a quorum needs, and every controller adds to each one's
  // cloud-init user data, which must stay under Nova's 64 KiB limit.
  controllers: posInt(9).default(DEFAULTS.controllers),
  /** Controller host names. @default ctrl-01, ctrl-02, ... */
  hostnames: z.array(ident()).optional(),
  hardware: ident(),
  deployment: z
    .enum(["baremetal", "vm"], { error: "expected baremetal or vm" })
    .default(DEFAULTS.controllerDeployment),
  /** Nova flavor the controllers boot with (an Ironic bare-metal flavor or a VM flavor). */
  flavor: text(64),
  image: text(128).default(DEFAULTS.controllerImage),
  keyPair: text(64).optional(),
  services: z
    .array(z.enum(SERVICES, { error: `expected one of ${SERVICES.join(", ")}` }))
    .min(1, { error: "enable at least one service" })
    .default(["keystone", "nova", "placement", "neutron", "cinder", "glance", "horizon"]),
  vips,
  loadBalancer: z
    .enum(["keepalived", "octavia"], { error: "expected keepalived or octavia" })
    .default(DEFAULTS.loadBalancer),
  database: z
    .enum(["galera", "single"], { error: "expected galera or single" })
    .default(DEFAULTS.database),
  messaging: z
    .enum(["rabbitmq-cluster", "single"], { error: "expected rabbitmq-cluster or single" })
    .default(DEFAULTS.messaging),
  /** Dedicated network nodes (L3/DHCP/metadata agents); 0 runs them on the controllers. */
  networkNodes: nonNegInt(16).default(0),
  networkNodeHardware: ident().optional(),
  /** Network node host names. @default net-01, net-02, ... */
  networkNodeHostnames: z.array(ident()).optional(),
  /** keepalived's VRRP router id for the VIPs; unique on their network segment. */
  virtualRouterId: z
    .int({ error: "expected a VRRP router id" })
    .min(1, { error: "VRRP router ids are 1-255" })
    .max(255, { error: "VRRP router ids are 1-255" })
    .default(DEFAULTS.virtualRouterId),
});

const allocationRange = strict({ start: ipv4(), end: ipv4() });

const network = strict({
  name: ident(),
  role: z.enum(NETWORK_ROLES, { error: `expected one of ${NETWORK_ROLES.join(", ")}` }),
  cidr: cidr(),
  vlan: vlanId().optional(),
  physicalNetwork: ident().optional(),
  gateway: ipv4().optional(),
  mtu: z
    .int({ error: "expected an MTU" })
    .min(576, { error: "MTU must be at least 576" })
    .max(9216, { error: "MTU must be at most 9216" })
    .optional(),
  /** Routed to the outside; management and storage networks never are. */
  floatingIpRange: allocationRange.optional(),
  shared: z.boolean().default(false),
  description: text().optional(),
});

const networkPlan = strict({
  supernet: cidr().optional(),
  /** DNS domain of the hosts: each node's FQDN is `<host name>.<domain>`. @default <namingPrefix>.internal */
  domain: dnsDomain().optional(),
  underlayMtu: z
    .int({ error: "expected an MTU" })
    .min(1280, { error: "underlay MTU must be at least 1280" })
    .max(9216, { error: "underlay MTU must be at most 9216" })
    .default(DEFAULTS.underlayMtu),
  tenantNetworkType: z
    .enum(TENANT_NETWORK_TYPES, { error: `expected one of ${TENANT_NETWORK_TYPES.join(", ")}` })
    .default(DEFAULTS.tenantNetworkType),
  vniRange: strict({ min: posInt(16_777_215), max: posInt(16_777_215) }).default({
    ...DEFAULTS.vniRange,
  }),
  /** VLAN range for VLAN tenant networks. */
  tenantVlanRange: strict({ min: vlanId(), max: vlanId() }).optional(),
  tenantPhysicalNetwork: ident().optional(),
  /** Neutron's mechanism: Open vSwitch agents or OVN. @default ovn for geneve tenant networks, else ovs */
  mechanism: z.enum(["ovs", "ovn"], { error: "expected ovs or ovn" }).optional(),
  /** Given to the subnets of their own IP version (Neutron allows at most 5 per subnet). */
  dnsServers: z.array(ipAddress()).default([]),
  networks: z.array(network).min(1, { error: "declare at least the management network" }),
  /** Address pool tenants draw self-service subnets from. */
  tenantSubnetPool: strict({
    prefixes: z.array(cidr()).min(1),
    /** Checked against the prefixes and their IP version by the semantic rules. */
    defaultPrefixLength: posInt(128).default(24),
  }).optional(),
});

const cephPool = strict({
  name: ident(),
  application: z.enum(["volumes", "images", "vms", "backups", "rgw"], {
    error: "expected volumes, images, vms, backups or rgw",
  }),
  deviceClass: z.enum(["ssd", "nvme", "hdd"]).optional(),
  /** Expected share of the cluster's data, 0-1, for placement-group guidance. */
  dataShare: ratio(1).default(0.25),
});

const ceph = strict({
  nodes: posInt(10_000),
  /** OSD host names. @default ceph-01, ceph-02, ... */
  hostnames: z.array(ident()).optional(),
  hardware: ident(),
  osdsPerNode: posInt(128),
  osdSizeTB: z.number().positive().max(1000),
  deviceClass: z.enum(["ssd", "nvme", "hdd"]).default("hdd"),
  protection: z
    .union(
      [
        strict({ replicated: posInt(10) }),
        strict({ erasureCoded: strict({ k: posInt(32), m: posInt(16) }) }),
      ],
      { error: "expected { replicated: <size> } or { erasureCoded: { k, m } }" },
    )
    .default({ replicated: DEFAULTS.cephReplicaSize }),
  nearfullRatio: ratio(0.95).default(DEFAULTS.cephNearfullRatio),
  pools: z.array(cephPool).default([
    { name: "volumes", application: "volumes", dataShare: 0.5 },
    { name: "images", application: "images", dataShare: 0.1 },
    { name: "vms", application: "vms", dataShare: 0.3 },
    { name: "backups", application: "backups", dataShare: 0.1 },
  ]),
});

const volumeBackend = strict({
  name: ident(),
  kind: z.enum(["ceph", "glusterfs", "zfs", "lvm"], {
    error: "expected ceph, glusterfs, zfs or lvm",
  }),
  /** The Cinder volume type users see. */
  volumeType: text(64),
  /** How LVM and ZFS volumes reach the hypervisors: iSCSI, or iSER (iSCSI over RDMA). */
  targetProtocol: z.enum(["iscsi", "iser"], { error: "expected iscsi or iser" }).optional(),
  deviceClass: z.enum(["ssd", "nvme", "hdd"]).optional(),
  public: z.boolean().default(true),
  qos: strict({
    readIopsSec: posInt(10_000_000).optional(),
    writeIopsSec: posInt(10_000_000).optional(),
    totalBytesSec: posInt(100_000_000_000).optional(),
  }).optional(),
  description: text().optional(),
});

/** Swift container names: no '/', at most 256 bytes of UTF-8 (Swift's container_name_max_length). */
const containerName = () =>
  text(256)
    .regex(/^[^/]*$/, { error: "must not contain '/'; Swift container names cannot" })
    .refine((s) => s.length > 256 || Buffer.byteLength(s, "utf8") <= 256, {
      error: (issue) =>
        `must be at most 256 bytes in UTF-8 (Swift's limit); this one is ${Buffer.byteLength(String(issue.input), "utf8")} bytes`,
    });

const swiftContainer = strict({
  name: containerName(),
  purpose: z.enum(["images", "backups", "application"], {
    error: "expected images, backups or application",
  }),
  /** Public read (`.r:*`) only when the design says so. */
  public: z.boolean().default(false),
  versioning: z.boolean().default(false),
  storagePolicy: ident().optional(),
  readers: z.array(text(128)).default([]),
  writers: z.array(text(128)).default([]),
});

const swift = strict({
  proxies: posInt(100),
  proxyHardware: ident(),
  /** @default swift-proxy-01, ... */
  proxyHostnames: z.array(ident()).optional(),
  storageNodes: posInt(10_000),
  storageHardware: ident(),
  /** @default swift-obj-01, ... */
  storageHostnames: z.array(ident()).optional(),
  disksPerNode: posInt(128),
  diskSizeTB: z.number().positive().max(1000),
  zones: posInt(100),
  regions: posInt(10).default(1),
  replicas: posInt(10).default(DEFAULTS.swiftReplicas),
  partitionPower: z.int().min(6).max(32).optional(),
  policies: z
    .array(
      strict({
        name: ident(),
        replicas: posInt(10).optional(),
        default: z.boolean().default(false),
      }),
    )
    .default([]),
  containers: z.array(swiftContainer).default([]),
});

/**
 * Hosts running cinder-volume for the LVM, ZFS and GlusterFS backends (iSCSI/iSER targets).
 * Without them those backends run on the controllers.
 */
const blockStorageNodes = strict({
  hosts: posInt(1000),
  hardware: ident(),
  /** @default vol-01, vol-02, ... */
  hostnames: z.array(ident()).optional(),
});

const storage = strict({
  ceph: ceph.optional(),
  backends: z.array(volumeBackend).default([]),
  blockStorageNodes: blockStorageNodes.optional(),
  swift: swift.optional(),
  /** Glance's store; defaults to Ceph when declared, else Swift, else local files. */
  image: strict({
    backend: z.enum(["ceph", "swift", "file"], { error: "expected ceph, swift or file" }),
  }).optional(),
  ephemeral: z.enum(["local", "ceph"], { error: "expected local or ceph" }).default("local"),
  backup: strict({
    service: z.enum(["swift", "manila"], { error: "expected swift or manila" }),
    container: containerName().optional(),
    shareSizeGiB: posInt(1_000_000).optional(),
  }).optional(),
});

const ldap = strict({
  url: z.string().regex(/^ldaps?:\/\/[^\s]+$/, { error: "expected an ldap:// or ldaps:// URL" }),
  userTreeDn: text(256),
  groupTreeDn: text(256),
  /** Bind user; its password comes from a sensitive variable, never from the spec. */
  bindDn: text(256).optional(),
  tls: z.boolean().default(true),
  userObjectClass: text(64).default("person"),
  groupObjectClass: text(64).default("group"),
  userIdAttribute: text(64).default("sAMAccountName"),
  activeDirectory: z.boolean().default(true),
});

const identity = strict({
  domains: z
    .array(
      strict({
        name: ident(),
        description: text().optional(),
        ldap: ldap.optional(),
      }),
    )
    .default([]),
  groupRoleMappings: z
    .array(
      strict({
        domain: ident(),
        group: text(128),
        role: ident(),
        tenant: text(128).optional(),
      }),
    )
    .default([]),
});

const ntp = strict({
  servers: z
    .array(
      z.union([
        ipv4(),
        z.string().regex(/^[A-Za-z0-9.-]+$/, { error: "expected a host name or IPv4 address" }),
      ]),
    )
    .min(1, { error: "declare at least one NTP server" }),
  /** Who the non-controller nodes sync from. */
  clients: z
    .enum(["controllers", "servers"], { error: "expected controllers or servers" })
    .default("controllers"),
});

const legacySystem = strict({
  name: ident(),
  architecture: z.enum(["ppc64", "ppc64le", "sparc", "ia64", "s390x", "x86_64"], {
    error: "expected ppc64, ppc64le, sparc, ia64, s390x or x86_64",
  }),
  os: text(64),
  address: ipv4(),
  description: text().optional(),
});

const legacyFlow = strict({
  name: ident(),
  port: port(),
  protocol: z.enum(["tcp", "udp"], { error: "expected tcp or udp" }).default("tcp"),
  /** `to-legacy`: cloud workloads call the UNIX system; `from-legacy`: the reverse. */
  direction: z.enum(["to-legacy", "from-legacy"], { error: "expected to-legacy or from-legacy" }),
  systems: z.array(ident()).min(1),
  pools: z.array(ident()).default([]),
});

const legacyUnix = strict({
  network: ident(),
  subnets: z.array(cidr()).min(1, { error: "declare the legacy subnets to route to" }),
  nextHop: ipv4(),
  systems: z.array(legacySystem).min(1, { error: "declare at least one legacy system" }),
  flows: z.array(legacyFlow).default([]),
  vpn: strict({
    peerAddress: ipv4(),
    peerCidrs: z.array(cidr()).min(1),
  }).optional(),
});

/** A dedicated deployment host (Kolla-Ansible, cephadm); without it the first controller deploys. */
const deployer = strict({
  hardware: ident(),
  hostname: ident().default(DEFAULTS.deployerHostname),
});

/** Addresses an existing host already has; the IP plan allocates around them. */
const host = strict({
  name: ident(),
  addresses: z.record(ident(), ipAddress()),
});

const securityZones = strict({
  /** Where administrators connect from: SSH and other management ports open to these only. */
  adminCidrs: z.array(cidr()).default([]),
  /**
   * Where API and dashboard users connect from. Unset means anywhere (0.0.0.0/0), which the
   * policy check SW-SEC-009 reports; the model holds the resolved list.
   */
  userCidrs: z.array(cidr()).optional(),
  firewall: z.boolean().default(false),
});

const quota = strict({
  instances: nonNegInt().optional(),
  cores: nonNegInt().optional(),
  ramGiB: nonNegInt().optional(),
  volumes: nonNegInt().optional(),
  volumeGiB: nonNegInt(10_000_000).optional(),
  networks: nonNegInt().optional(),
  subnets: nonNegInt().optional(),
  routers: nonNegInt().optional(),
  ports: nonNegInt().optional(),
  floatingIps: nonNegInt().optional(),
  securityGroups: nonNegInt().optional(),
  securityGroupRules: nonNegInt().optional(),
  loadBalancers: nonNegInt().optional(),
  /** Quotas per Cinder volume type, keyed by backend name or volume type name. */
  perVolumeType: z
    .record(
      z.string().min(1).max(64),
      strict({ volumes: nonNegInt().optional(), gigabytes: nonNegInt(10_000_000).optional() }),
    )
    .optional(),
});

const tenant = strict({
  /** The Keystone project name; free text, escaped wherever written. */
  name: text(64),
  /** Stable identifier for Terraform addresses; derived from the name when it is plain ASCII. */
  id: ident().optional(),
  domain: ident().optional(),
  description: text().optional(),
  pool: ident().optional(),
  quota: quota.default({}),
  groups: z.array(strict({ name: text(128), role: ident() })).default([]),
  network: strict({
    cidr: cidr(),
    /** Of the network's IP version. @default network.dnsServers of that version */
    dnsServers: z.array(ipAddress()).optional(),
    /** Must fit the overlay: underlay MTU minus the encapsulation overhead. */
    mtu: z
      .int({ error: "expected an MTU" })
      .min(576, { error: "MTU must be at least 576" })
      .max(9216, { error: "MTU must be at most 9216" })
      .optional(),
  }).optional(),
  sshCidrs: z.array(cidr()).default([]),
  keyPairs: z
    .array(
      strict({
        name: ident(),
        publicKey: z
          .string()
          .regex(
            /^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( [^\p{Cc}]*)?$/u,
            { error: "expected an OpenSSH public key (ssh-ed25519, ssh-rsa or ecdsa)" },
          ),
      }),
    )
    .default([]),
  flavors: z.array(ident()).default([]),
  volumeTypes: z.array(ident()).default([]),
  stack: ident().optional(),
});

const backend = z.discriminatedUnion(
  "type",
  [
    // State next to each stack's configuration; other stacks read it as ../<stack>/terraform.tfstate.
    strict({ type: z.literal("local") }),
    strict({
      type: z.literal("s3"),
      bucket: text(63),
      /** Prefix of the state keys; each stack writes `<key>/<stack>/terraform.tfstate`. */
      key: text(200).optional(),
      endpoint: z.url({ error: "expected an https URL" }),
      region: text(64).default("us-east-1"),
    }),
    strict({ type: z.literal("http"), address: z.url({ error: "expected a URL" }) }),
    /** `schemaName` prefixes each stack's schema: `<schemaName>_<stack>`. */
    strict({
      type: z.literal("pg"),
      schemaName: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,30}$/, {
          error: "expected a PostgreSQL schema name prefix: lowercase letters, digits, _",
        })
        .optional(),
    }),
  ],
  { error: "expected a backend type: local, s3, http or pg" },
);

const suppression = strict({
  rule: text(64),
  target: text(256).optional(),
  reason: text(500).min(10, { error: "a suppression needs a reason of at least 10 characters" }),
});

export const specSchema = strict({
  $schema: z.string().optional(),
  version: z.literal(1, { error: "expected spec format version 1" }).default(1),
  blueprint: ident().optional(),
  metadata,
  cloud,
  sites: z.array(site).default([]),
  hardware: z.array(hardwareProfile).min(1, { error: "declare at least one hardware profile" }),
  zones: z.array(zone).min(1, { error: "declare at least one availability zone" }),
  controlPlane,
  network: networkPlan,
  storage: storage.default({ backends: [], ephemeral: "local" }),
  deployer: deployer.optional(),
  /** Fixed addresses of hosts that already exist, by host name and network name. */
  hosts: z.array(host).default([]),
  identity: identity.default({ domains: [], groupRoleMappings: [] }),
  ntp: ntp.optional(),
  legacyUnix: legacyUnix.optional(),
  securityZones: securityZones.default({
    adminCidrs: [],
    firewall: false,
  }),
  tenants: z.array(tenant).default([]),
  output: strict({
    backend: backend.default({ type: "local" }),
    format: z
      .enum(["json", "hcl"], { error: "expected json or hcl" })
      .default(DEFAULTS.outputFormat),
    namingPrefix: ident().default(DEFAULTS.namingPrefix),
    tenantStacks: z.enum(["per-tenant", "single"]).default("per-tenant"),
    /**
     * `project`: each tenant's network resources go into a stack `network-<tenant id>` applied
     * with the clouds.yaml entry `<cloud>-<tenant id>`, an application credential of that
     * tenant's project; onboarding (project, quotas, roles, access) stays with admin credentials.
     */
    tenantNetworkCredentials: z
      .enum(["admin", "project"], { error: "expected admin or project" })
      .default("admin"),
  }).default({
    backend: { type: "local" },
    format: DEFAULTS.outputFormat,
    namingPrefix: DEFAULTS.namingPrefix,
    tenantStacks: "per-tenant",
    tenantNetworkCredentials: "admin",
  }),
  suppressions: z.array(suppression).default([]),
});

/** The spec as the user writes it. */
export type SpecInput = z.input<typeof specSchema>;
/** The spec after defaults are applied. */
export type Spec = z.output<typeof specSchema>;
export type PoolSpec = Spec["zones"][number]["pools"][number];
export type NetworkSpec = Spec["network"]["networks"][number];
export type HardwareSpec = Spec["hardware"][number];
export type TenantSpec = Spec["tenants"][number];
