import { ironicResourceClass } from "../core/ironic";
import * as fs from "fs";
import { isIP } from "net";
import * as path from "path";
import { stringify } from "yaml";
import { readManifest, readRegularFile, retiredRecords, sha256 } from "./manifest";
import { STACK_FILES, stackHoldsState } from "./output";
import { STAGE_FOLDERS } from "../model/lifecycle";
import { ADMIN_API_QUOTAS, CRUSH_ROOT } from "../model/deploy";
import { RGW_CA_BUNDLE } from "../deployer/ceph/cluster";
import type { Model } from "../model/types";
import {
  canonicalAddress,
  canonicalCidr,
  contains,
  overlaps,
  parseCidr,
  type Cidr,
} from "../core/net";
import { constructIdFor, terraformName } from "../core/terraform-names";
import { DEFAULT_DOMAIN } from "../model/identity";
import { STACKS, openstackName } from "../core/naming";
import { someOf } from "../core/lists";
import { UserError } from "../core/errors";
import { foldName } from "../spec/text-checks";
import { stableJson } from "../synth/stable-json";

/** What the previous synth into a folder planned that running hosts and clouds keep. */
export interface PreviousPlan {
  /**
   * Tenants an earlier run already kept beside their stack's state, gone from the last plan:
   * part of this plan for what their state still holds, told of already.
   */
  readonly retired?: ReadonlySet<string>;
  /** Compute hosts that passed PCI devices through to instances, with their `vendor:product`s. */
  readonly passthroughHosts?: ReadonlyMap<string, readonly string[]>;
  /** The tiers of tenants whose instances were kept apart by tiers, by tenant id. */
  readonly tenantTiers?: ReadonlyMap<string, readonly string[]>;
  /** Tenants whose router let out only what they listed (tenants[].egress). */
  readonly restrictedEgress?: ReadonlySet<string>;
  /** Tenants whose network stack was applied with the project's own credentials. */
  readonly projectNetworkTenants?: ReadonlySet<string>;
  /** Tenants whose base group no longer admitted all traffic between their instances. */
  readonly closedBaseGroups?: ReadonlySet<string>;
  /** Each node's addresses by network name. */
  readonly addresses: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The rack each racked node stands in. */
  readonly racks: ReadonlyMap<string, string>;
  /** The compute pools, by id: each an aggregate with its flavors. */
  readonly pools: ReadonlySet<string>;
  /** Each flavor's visibility and size, by pool id and flavor name. */
  readonly flavors: ReadonlyMap<string, FlavorPlan>;
  /** Each tenant's stack, by tenant id. */
  readonly tenantStacks: ReadonlyMap<string, string>;
  /** Each tenant's network block, by tenant id. */
  readonly tenantNetworks: ReadonlyMap<string, string>;
  /** Each tenant's project as Keystone keys it: its domain and name, by tenant id. */
  readonly tenantProjects?: ReadonlyMap<string, { readonly domain: string; readonly name: string }>;
  /** Each tenant's quotas, by tenant id. */
  readonly tenantQuotas?: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** The Neutron networks the platform stack made: each one's block, by name. */
  readonly networks?: ReadonlyMap<string, string>;
  /** Each Neutron network's segment: its type, physical network and VLAN, in words. */
  readonly segments?: ReadonlyMap<string, string>;
  /** Each network's role, by name (host networks too). */
  readonly networkRoles?: ReadonlyMap<string, string>;
  /** The prefixes of the tenant subnet pool, when the design had one. */
  readonly subnetPool?: readonly string[];
  /** The groups Keystone keeps itself, named for people, by {@link groupKey}. */
  readonly keystoneGroups: ReadonlyMap<string, string>;
  /** Each tenant's server groups' rules and Nova name, by `tenant/pool/name`. */
  readonly serverGroups: ReadonlyMap<
    string,
    { readonly rules: string; readonly novaName?: string }
  >;
  /** The Ceph pool each service keeps its data in, by what the service keeps. */
  readonly cephPools: ReadonlyMap<string, string>;
  /** Each Ceph pool's pg_num, by pool name. */
  readonly pgNums: ReadonlyMap<string, number>;
  /** The hosts running cinder-volume for each Ceph backend, by backend name. */
  readonly cephVolumeHosts: ReadonlyMap<string, readonly string[]>;
  /** The active/active cluster those hosts formed (Kolla's cinder_cluster_name), if any. */
  readonly volumeCluster?: string;
  /** The hosts' DNS domain: every FQDN, the VIPs' names and their certificates. */
  readonly domain?: string;
  /** Where the stacks kept their state: the backend's type and its settings, as one key. */
  readonly stateBackend?: { readonly type: string; readonly key: string };
  /** The OSD hosts that ran Ceph's monitors (and the gateways, which go with them). */
  readonly cephMonitors: readonly string[];
  /** How the Ceph cluster kept its data, as protectionText spells it. */
  readonly cephProtection?: string;
  /** Whether its servers were the bare-metal stack's (provisioned on an undercloud). */
  readonly bareMetal: boolean;
  /** The Ironic node each server was pinned to, by host name. */
  readonly machines?: ReadonlyMap<string, string>;
  /** Each host's hardware profile and bare-metal flavor, and whether it was a VM, by host name. */
  readonly servers?: ReadonlyMap<
    string,
    {
      readonly hardware: string;
      readonly flavor?: string;
      readonly virtual: boolean;
      /** Its primary role (NodeModel's). */
      readonly role?: string;
      /** Its zone and pool (by id), for citing the spec where it was. */
      readonly zone?: string;
      readonly pool?: string;
    }
  >;
  /** The undercloud's image and key pair the servers were deployed with. */
  readonly undercloud?: { readonly image?: string; readonly keyPair?: string };
  /** The grants on whole domains, which the domain-roles stack held, as text. */
  readonly domainGrants?: readonly string[];
  /** Each declared domain: whether Keystone read it from a directory (LDAP). */
  readonly directories: ReadonlyMap<string, boolean>;
  /** How each directory's users and groups were found: its LDAP classes and user id attribute. */
  readonly directorySchemas?: ReadonlyMap<string, DirectorySchema>;
  /** The legacy bridge's shares each tenant was given: its network and flow groups. */
  readonly legacyShares: ReadonlyMap<string, readonly string[]>;
  /**
   * Where Kolla pulled its images from (`<address>/<namespace>`), "" for Kolla's own; absent for a
   * plan that did not say.
   */
  readonly registry?: string;
  /** The provider networks each tenant was given (its RBAC shares), by tenant id. */
  readonly providerShares?: ReadonlyMap<string, readonly string[]>;
  /** The Neutron networks shared with every project. */
  readonly sharedNetworks?: ReadonlySet<string>;
  /** Each tenant's grants ({@link grantKey}), by whether the tenant's groups listed them. */
  readonly grants: ReadonlyMap<string, ReadonlyMap<string, boolean>>;
  /** Octavia's load balancer topology, when the design ran Octavia. */
  readonly octaviaTopology?: string;
  /** Whether the tenants' routers had FWaaS firewall groups on the platform's policies. */
  readonly firewall?: boolean;
  /** The platform's firewall rules (keys, with their names) each tenant router's policy held. */
  readonly firewallRules?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Each volume type's visibility, by volume type name. */
  readonly volumeTypes?: ReadonlyMap<string, boolean>;
  /** Octavia ran with Kolla's `insecure` heartbeat key (a plan from before the design set one). */
  readonly octaviaUnkeyed?: boolean;
  /** Where Gnocchi kept Ceilometer's metrics (ceph, swift or file). */
  readonly metricStore?: string;
  /** Whether Kolla ran Valkey (a plan from before Octavia's jobboard had it: no). */
  readonly valkey?: boolean;
  /** Whether the legacy bridge's router had a gateway on the external network. */
  readonly legacyGateway?: boolean;
  /** The VIPs' addresses, by name (internal, external). */
  readonly vips?: ReadonlyMap<string, string>;
  /** The network the legacy bridge was on (legacyUnix.network). */
  readonly legacyNetwork?: string;
  /** Whether the legacy router held the bridge subnet's gateway (plans before 2026-12 all did). */
  readonly legacySubnetGateway?: boolean;
  /** The legacy subnets the legacy router routed to the next hop (earlier plans: every one). */
  readonly legacyRouterRoutes?: readonly string[];
  /** The physical network VLAN tenant networks were made on, and their VLAN range. */
  readonly tenantPhysicalNetwork?: string;
  readonly tenantVlanRange?: { readonly min: number; readonly max: number };
  /** Each Cinder backend's volume type, by backend name (the type's Terraform address). */
  readonly backendTypes?: ReadonlyMap<string, string>;
  /** Each Swift storage node's place in the rings, as `r<region>z<zone>`. */
  readonly swiftPlaces?: ReadonlyMap<string, string>;
  /** The platform's own Swift containers, with their storage policy ("" for the default). */
  readonly platformContainers?: ReadonlyMap<string, string>;
  /** Cinder's default volume type, when it had one. */
  readonly defaultVolumeType?: string;
  /** The hosts Kolla ran MariaDB's and RabbitMQ's clusters on. */
  readonly serviceHosts?: ReadonlyMap<"mariadb" | "rabbitmq", readonly string[]>;
  /** cinder-backup's driver, when Kolla ran it, and whether a Ceph volume backend ran beside it. */
  readonly cinderBackup?: {
    readonly driver: string;
    readonly besideCephVolumes: boolean;
    /** The Swift storage policy it created its containers with, when it named one. */
    readonly storagePolicy?: string;
  };
  /** Whether Kolla's external endpoints had TLS (plans from before every endpoint had it). */
  readonly tlsExternal?: boolean;
  /** Each OSD spec's RocksDB devices as the model gave them (once a bare true), by class. */
  readonly osdDbDevices?: ReadonlyMap<string, unknown>;
  /** The failure domain Ceph's rules spread copies over. */
  readonly crushDomain?: string;
  /** Where cephadm placed each OSD host in the CRUSH map (bucket type to name; none: the root). */
  readonly crushLocations?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /**
   * SSH sources whose rules were made at addresses of the source as written (a plan from before
   * the rules were keyed by their block), where that differs from the block, by tenant id.
   */
  readonly sshKeyedAsWritten?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The hosts of each LVM or ZFS backend, whose volumes are on their disks, by backend name. */
  readonly localVolumeHosts?: ReadonlyMap<string, readonly string[]>;
  /** The hosts Nova ran instances on. */
  readonly computeHosts?: ReadonlySet<string>;
  /** Neutron's mechanism (ovs, ovn) and the type drivers ML2 loaded. */
  readonly neutron?: { readonly mechanism: string; readonly typeDrivers: readonly string[] };
  /** The segment of the network Kolla made for Octavia's amphorae, in words. */
  readonly octaviaSegment?: string;
  /** The Swift rings' partition power. */
  readonly swiftPartitionPower?: number;
  /**
   * The Swift storage policies by index: name, and how objects are kept (`replicated`, or
   * `<data>+<parity> <ec_type>`).
   */
  readonly swiftPolicies?: readonly {
    readonly name: string;
    readonly kept: string;
    readonly default?: boolean;
  }[];
  /** Data disks of each Swift storage node. */
  readonly swiftDisksPerNode?: number;
  /** Replicas of each Swift ring (account, container, object, object-1 ...), by ring. */
  readonly swiftRings?: ReadonlyMap<string, number>;
  /** The OpenStack services Kolla-Ansible deployed. */
  readonly services?: readonly string[];
}

/** A list of the Swift cluster a model.json gives, or none. */
const swiftList = (model: Record<string, unknown>, key: "nodeZones" | "containers"): unknown[] => {
  const swift = isRecord(model.storage) ? model.storage.swift : undefined;
  return isRecord(swift) && Array.isArray(swift[key]) ? swift[key] : [];
};

/** A grant as Keystone keeps it: one row per group, domain, role and project. */
const grantKey = (tenantDomain: unknown, g: { name?: unknown; role?: unknown; domain?: unknown }) =>
  `${String(g.domain ?? tenantDomain ?? DEFAULT_DOMAIN)}/${String(g.name)} as ${String(g.role)}`;

/** A tenant's grants: listed by its groups (no domain in the model) or by a mapping. */
const grantsOf = (t: { domain?: unknown; groups?: unknown }) =>
  new Map(
    (Array.isArray(t.groups) ? t.groups : []).flatMap((g) =>
      isRecord(g) ? [[grantKey(t.domain, g), g.domain === undefined] as const] : [],
    ),
  );

interface FlavorPlan {
  readonly public: boolean;
  readonly size: string;
}

/** A flavor's size as Nova fixes it at creation (vcpus, ram and disk are ForceNew). */
const flavorSize = (f: { vcpus: unknown; ramMiB: unknown; diskGiB: unknown }) =>
  `${String(f.vcpus)} vCPUs, ${String(f.ramMiB)} MiB, ${String(f.diskGiB)} GiB disk`;
/**
 * A Keystone group as its Terraform address knows it: a name the address reads alike (another
 * case, say) is the same group, renamed in place.
 */
const groupKey = (g: { domain: string; name: string }) => `${g.domain}/${terraformName([g.name])}`;
const serverGroupKey = (tenant: string, g: { pool: unknown; name: unknown }) =>
  `${tenant}/${String(g.pool)}/${String(g.name)}`;
/** A server group's policy and rules, which Nova fixes at creation (both are ForceNew). */
const serverGroupRules = (g: { policy: unknown; maxServersPerHost?: unknown }) =>
  `${String(g.policy)}${g.maxServersPerHost === undefined ? "" : `, at most ${String(g.maxServersPerHost)} per host`}`;

const MODEL_FILE = "model.json";
const flavorKey = (pool: string, flavor: string) => `${pool}/${flavor}`;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A block as one form of text, or `undefined` for text that is not one (a hand-edited plan). */
const blockOf = (text: string): Cidr | undefined => {
  try {
    return parseCidr(text);
  } catch {
    return undefined;
  }
};
const sameBlock = (a: string, b: string) => {
  const x = blockOf(a);
  const y = blockOf(b);
  return x && y ? canonicalCidr(a) === canonicalCidr(b) : a === b;
};

/** A project name as Keystone compares it: without outer spaces, in any case (utf8_general_ci). */
const projectKey = (domain: string, name: string) => `${domain}/${foldName(name.trim())}`;

/** A tenant's quotas as numbers, by name; a volume type's as `perVolumeType.<type>.<quota>`. */
function quotaFigures(quota: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(quota))
    if (typeof value === "number") out[name] = value;
  if (isRecord(quota.perVolumeType))
    for (const [type, limits] of Object.entries(quota.perVolumeType))
      if (isRecord(limits))
        for (const [name, value] of Object.entries(limits))
          if (typeof value === "number") out[`perVolumeType.${type}.${name}`] = value;
  return out;
}

/**
 * Quotas their service refuses to set below what the project uses, by service: Nova without
 * `force`, Neutron from 2025.1 without `force` (quotasv2.py), neither of which the provider
 * sends, and Cinder always (its quotas API, per volume type too). Octavia does not check.
 */
const CHECKED_QUOTAS: ReadonlyMap<string, string> = new Map([
  // (Nova counts no usage of server group members when setting a limit: nova/quota.py)
  ...["instances", "cores", "ramGiB", "serverGroups"].map((q) => [q, "compute"] as const),
  ...[
    "networks",
    "subnets",
    "routers",
    "ports",
    "floatingIps",
    "securityGroups",
    "securityGroupRules",
  ].map((q) => [q, "network"] as const),
  ...["volumes", "volumeGiB", "backups", "backupGiB"].map((q) => [q, "block storage"] as const),
]);

/** The service that checks a quota against usage (per-type volume quotas are Cinder's). */
const checkedBy = (name: string) =>
  name.startsWith("perVolumeType.") ? "block storage" : CHECKED_QUOTAS.get(name);

/** The tenant subnet pool's prefixes of a model.json, when it had one. */
function subnetPoolOf(model: Record<string, unknown>): { subnetPool?: string[] } {
  const network = isRecord(model.network) ? model.network : {};
  const pool = isRecord(network.tenantSubnetPool) ? network.tenantSubnetPool : undefined;
  const prefixes = pool && Array.isArray(pool.prefixes) ? pool.prefixes.map(String) : undefined;
  return prefixes ? { subnetPool: prefixes } : {};
}

/**
 * Where services keep their data in Ceph, read from a model as written to model.json: Cinder's
 * backends, Glance, Gnocchi, Nova's disks and the backups, each by what it keeps.
 */
function cephPools(model: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const deploy = isRecord(model) && isRecord(model.deploy) ? model.deploy : {};
  const put = (what: string, pool: unknown) => {
    if (typeof pool === "string") out.set(what, pool);
  };
  const cinder = isRecord(deploy.cinder) ? deploy.cinder : {};
  for (const b of Array.isArray(cinder.backends) ? cinder.backends : [])
    if (isRecord(b) && typeof b.name === "string")
      put(`the volumes of Cinder backend ${b.name}`, b.cephPool);
  if (isRecord(deploy.glance)) put("Glance's images", deploy.glance.cephPool);
  if (isRecord(deploy.gnocchi)) put("Gnocchi's measures", deploy.gnocchi.cephPool);
  const kolla =
    isRecord(deploy.ceph) && isRecord(deploy.ceph.kollaPools) ? deploy.ceph.kollaPools : {};
  put("Nova's instance disks", kolla.vms);
  put("the volume backups", kolla.backups);
  return out;
}

/** A Ceph protection, as a change names it: replicated 3, erasure-coded 4+2. */
function protectionText(p: unknown): string | undefined {
  if (!isRecord(p)) return undefined;
  if (p.kind === "replicated" && typeof p.size === "number") return `replicated ${p.size}`;
  if (p.kind === "erasure-coded" && typeof p.k === "number" && typeof p.m === "number")
    return `erasure-coded ${p.k}+${p.m}`;
  return undefined;
}

function cephProtectionOf(model: Record<string, unknown>): { cephProtection?: string } {
  const storage = isRecord(model.storage) ? model.storage : {};
  const text = protectionText(isRecord(storage.ceph) ? storage.ceph.protection : undefined);
  return text ? { cephProtection: text } : {};
}

/**
 * The Ceph cluster's protection when it changes kind or erasure code: Ceph converts no pool (nor
 * a pool's erasure-code profile), so data written before keeps the old one, its capacity too,
 * until moved image by image.
 */
export function cephProtectionChange(previous: PreviousPlan, model: Model) {
  const now = model.storage.ceph && protectionText(model.storage.ceph.protection);
  const before = previous.cephProtection;
  // (pools.sh sets a replicated pool's size on the running pools too)
  if (!now || !before || now === before) return undefined;
  if (now.startsWith("replicated") && before.startsWith("replicated")) return undefined;
  return {
    from: before,
    to: now,
    toErasure: now.startsWith("erasure"),
    fromErasure: before.startsWith("erasure"),
  };
}

/** Each Ceph pool's pg_num in a model as model.json holds it. */
function pgNumsOf(model: Record<string, unknown>): Map<string, number> {
  const storage = isRecord(model.storage) ? model.storage : {};
  const ceph = isRecord(storage.ceph) ? storage.ceph : {};
  return new Map(
    (Array.isArray(ceph.pools) ? ceph.pools : []).flatMap((p) =>
      isRecord(p) && typeof p.name === "string" && typeof p.pgNum === "number"
        ? [[p.name, p.pgNum] as const]
        : [],
    ),
  );
}

/**
 * Pools of both plans whose pg_num changes: pools.sh creates pools only, so a running cluster
 * keeps the number it was created with.
 */
export function pgNumChanges(previous: PreviousPlan, model: Model) {
  return (model.storage.ceph?.pools ?? []).flatMap((p) => {
    const before = previous.pgNums.get(p.name);
    return before === undefined || before === p.pgNum
      ? []
      : [{ pool: p.name, from: before, to: p.pgNum }];
  });
}

/**
 * Ceph backends of both plans whose cinder-volume moves to other hosts: Cinder files a volume
 * under the host that made it (`<host>@<backend>#<pool>`), and the new hosts' services do not
 * take over the old ones' volumes until an operator moves them.
 */
export function movedVolumeServices(previous: PreviousPlan, model: Model) {
  return model.storage.backends.flatMap((b) => {
    const before = previous.cephVolumeHosts.get(b.name);
    if (b.kind !== "ceph" || !before) return [];
    const gone = before.filter((h) => !b.hosts.includes(h));
    const cluster = previous.volumeCluster;
    const stays = model.deploy.cinder.volumeHosts;
    return gone.length
      ? [
          {
            backend: b.name,
            pool: b.volumeBackendName,
            from: gone,
            to: b.hosts,
            // Volumes of a cluster carry its name too, which update_host leaves.
            ...(cluster && !(stays?.mode === "cluster" && stays.cluster === cluster)
              ? { cluster }
              : {}),
          },
        ]
      : [];
  });
}

/**
 * Names running services hold that this plan changes (a new naming prefix, say): the hosts'
 * domain, in every FQDN, the VIPs' names Kolla's endpoints and certificates carry; the Cinder
 * cluster every volume of an active/active backend is filed under.
 */
export function renamedServices(previous: PreviousPlan, model: Model) {
  const cluster = model.deploy.cinder.volumeHosts;
  return [
    ...(previous.domain !== undefined && previous.domain !== model.domain
      ? [{ what: "domain" as const, from: previous.domain, to: model.domain }]
      : []),
    ...(previous.volumeCluster !== undefined &&
    cluster?.mode === "cluster" &&
    cluster.cluster !== previous.volumeCluster
      ? [{ what: "volume-cluster" as const, from: previous.volumeCluster, to: cluster.cluster }]
      : []),
  ];
}

/**
 * A Neutron network's segment in words, from its VLAN and physical network only (what every
 * version's model.json holds): `VLAN 200 on physnet-ext`, `untagged on physnet-lab`.
 */
function segmentOf(n: { physicalNetwork?: unknown; vlan?: unknown }) {
  const on = typeof n.physicalNetwork === "string" ? ` on ${n.physicalNetwork}` : "";
  return `${typeof n.vlan === "number" ? `VLAN ${n.vlan}` : "untagged"}${on}`;
}

/**
 * The stacks' state moving to another backend (or another place of one): `terraform init` stops
 * until told to migrate, and its other choice, -reconfigure, starts from an empty state.
 */
export function stateBackendChange(previous: PreviousPlan, model: Model) {
  const before = previous.stateBackend;
  const after = model.output.backend;
  // (keys sorted both sides: model.json's order need not be the model's)
  return before && before.key !== stableJson(after)
    ? { from: before.type, to: after.type }
    : undefined;
}

/** Monitors of both plans' Ceph that this plan puts on other OSD hosts. */
export function movedMonitors(previous: PreviousPlan, model: Model) {
  const now = model.storage.ceph?.monitors ?? [];
  const before = previous.cephMonitors;
  if (!before.length || !now.length) return undefined;
  const from = before.filter((m) => !now.includes(m));
  return from.length ? { from, to: now.filter((m) => !before.includes(m)) } : undefined;
}

/**
 * The plan of the model.json the previous synth wrote into `outDir`, when there is one. One the
 * folder's manifest lists but that is gone or holds no plan is refused: without it every check
 * that keeps a running cloud's hosts, projects and data would pass unseen.
 */
export function previousPlan(outDir: string, unchecked = false): PreviousPlan | undefined {
  let listed: boolean;
  try {
    listed = Object.hasOwn(readManifest(outDir)?.files ?? {}, MODEL_FILE);
  } catch {
    // Not our folder, or a damaged manifest: the output writer decides about the folder.
    return undefined;
  }
  if (!listed || (unchecked && !fs.existsSync(path.join(outDir, MODEL_FILE)))) return undefined;
  const file = path.join(outDir, MODEL_FILE);
  let model: unknown;
  try {
    model = JSON.parse(readRegularFile(file).toString("utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const missing = code === "ENOENT";
    throw lostPlan(
      file,
      missing
        ? "is missing"
        : code === "ELOOP" || code === "ENOTREG"
          ? "is no regular file (a symbolic link, a pipe or a device)"
          : "is no JSON",
      missing,
    );
  }
  let retired: unknown[] = [];
  try {
    // Tenants that left the design but whose stack's folder still holds their state are part of
    // it (a folder the user emptied and deleted holds no project any more).
    retired = Object.entries(retiredRecords(outDir))
      .filter(([stack]) => stackHoldsState(outDir, stack))
      .flatMap(([, records]) => records);
  } catch {
    // (damaged records of retired tenants: the plan stands without them)
  }
  const tenants = isRecord(model) && Array.isArray(model.tenants) ? model.tenants : [];
  const ids = new Set(tenants.flatMap((t) => (isRecord(t) ? [t.id] : [])));
  const gone = retired.filter((t) => isRecord(t) && !ids.has(t.id));
  const plan = planOf(
    isRecord(model) && gone.length ? { ...model, tenants: [...tenants, ...gone] } : model,
  );
  if (!plan) throw lostPlan(file, "holds no plan (its nodes and pools)", false);
  return gone.length
    ? { ...plan, retired: new Set(gone.flatMap((t) => (isRecord(t) ? [String(t.id)] : []))) }
    : plan;
}

/** A refusal for the previous plan the folder's manifest lists but that cannot be read. */
function lostPlan(file: string, what: string, missing: boolean): UserError {
  return new UserError(
    `${file} ${what}, while the folder's stackwright.json lists it: synth compares each run with the plan it holds to keep the running cloud's hosts, projects and data (a renamed tenant would destroy its project); restore it from version control or a backup; else ${missing ? "pass" : "delete it and pass"} --renumber and --destroy-removed to take this design's plan unchecked`,
  );
}

/**
 * The records of the previous plan's tenants whose stack leaves the design, by stack, with those
 * the manifest still holds from earlier runs: the output writer keeps the ones whose folder
 * stays beside its state.
 */
export function retiringTenants(outDir: string, model: Model): Record<string, unknown[]> {
  const stacks = new Set(model.tenants.map((t) => t.stack));
  const out = new Map<string, Map<unknown, unknown>>();
  const add = (t: unknown) => {
    if (!isRecord(t) || typeof t.stack !== "string" || stacks.has(t.stack)) return;
    const records = out.get(t.stack) ?? new Map<unknown, unknown>();
    records.set(t.id, t);
    out.set(t.stack, records);
  };
  try {
    const manifest = readManifest(outDir);
    for (const t of Object.values(retiredRecords(outDir)).flat()) add(t);
    if (Object.hasOwn(manifest?.files ?? {}, MODEL_FILE)) {
      const previous = JSON.parse(readRegularFile(path.join(outDir, MODEL_FILE)).toString("utf8"));
      // (the last plan's record of a tenant replaces an older one)
      for (const t of isRecord(previous) && Array.isArray(previous.tenants) ? previous.tenants : [])
        add(t);
    }
  } catch {
    // Not our folder, or a damaged file: the output writer decides about the folder.
  }
  return Object.fromEntries([...out].map(([stack, records]) => [stack, [...records.values()]]));
}

/** The plan of a model as model.json holds it (any version's), when it is one. */
export function planOf(model: unknown): PreviousPlan | undefined {
  if (!isRecord(model) || !Array.isArray(model.nodes) || !Array.isArray(model.pools))
    return undefined;
  const addresses = new Map<string, Record<string, string>>();
  const racks = new Map<string, string>();
  for (const n of model.nodes)
    if (isRecord(n) && typeof n.name === "string" && typeof n.rack === "string")
      racks.set(n.name, n.rack);
  // (a hand-edited entry that is no address is no host's address: it moves nothing)
  for (const n of model.nodes)
    if (isRecord(n) && typeof n.name === "string" && isRecord(n.addresses))
      addresses.set(
        n.name,
        Object.fromEntries(
          Object.entries(n.addresses).filter(
            (e): e is [string, string] => typeof e[1] === "string" && isIP(e[1]) !== 0,
          ),
        ),
      );
  const flavors = new Map<string, FlavorPlan>();
  for (const p of model.pools)
    if (isRecord(p) && typeof p.id === "string" && Array.isArray(p.flavors))
      for (const f of p.flavors)
        if (isRecord(f) && typeof f.name === "string" && typeof f.public === "boolean")
          flavors.set(flavorKey(p.id, f.name), {
            public: f.public,
            size: flavorSize({ vcpus: f.vcpus, ramMiB: f.ramMiB, diskGiB: f.diskGiB }),
          });
  const tenantStacks = new Map<string, string>();
  const serverGroups = new Map<string, { rules: string; novaName?: string }>();
  const tenantNetworks = new Map<string, string>();
  const tenantProjects = new Map<string, { domain: string; name: string }>();
  const tenantQuotas = new Map<string, Record<string, number>>();
  const legacyShares = new Map<string, string[]>();
  const providerShares = new Map<string, string[]>();
  const grants = new Map<string, Map<string, boolean>>();
  const sshKeyedAsWritten = new Map<string, Map<string, string>>();
  for (const t of Array.isArray(model.tenants) ? model.tenants : []) {
    if (!isRecord(t) || typeof t.id !== "string") continue;
    const asWritten = (Array.isArray(t.ssh) ? t.ssh : []).flatMap((s) =>
      isRecord(s) &&
      s.key === undefined &&
      typeof s.written === "string" &&
      typeof s.cidr === "string" &&
      s.written !== s.cidr
        ? [[s.cidr, s.written] as const]
        : [],
    );
    if (asWritten.length) sshKeyedAsWritten.set(t.id, new Map(asWritten));
    if (typeof t.stack === "string") tenantStacks.set(t.id, t.stack);
    grants.set(t.id, grantsOf(t));
    const groups = Array.isArray(t.legacyGroups) ? t.legacyGroups.map(String) : [];
    if (groups.length) legacyShares.set(t.id, legacyShareNames(groups));
    if (Array.isArray(t.providerNetworks))
      providerShares.set(
        t.id,
        t.providerNetworks.filter((n): n is string => typeof n === "string"),
      );
    if (isRecord(t.network) && typeof t.network.cidr === "string")
      tenantNetworks.set(t.id, t.network.cidr);
    if (typeof t.name === "string")
      tenantProjects.set(t.id, {
        domain: typeof t.domain === "string" ? t.domain : DEFAULT_DOMAIN,
        name: t.name,
      });
    if (isRecord(t.quota)) tenantQuotas.set(t.id, quotaFigures(t.quota));
    for (const g of Array.isArray(t.serverGroups) ? t.serverGroups : [])
      if (isRecord(g))
        serverGroups.set(serverGroupKey(t.id, { pool: g.pool, name: g.name }), {
          rules: serverGroupRules({ policy: g.policy, maxServersPerHost: g.maxServersPerHost }),
          ...(typeof g.novaName === "string" ? { novaName: g.novaName } : {}),
        });
  }
  const keystoneGroups = new Map<string, string>();
  const identity = isRecord(model.identity) ? model.identity : {};
  for (const g of Array.isArray(identity.keystoneGroups) ? identity.keystoneGroups : [])
    if (isRecord(g) && typeof g.domain === "string" && typeof g.name === "string")
      keystoneGroups.set(
        groupKey({ domain: g.domain, name: g.name }),
        `Keystone group ${g.name} of domain ${g.domain}`,
      );
  const controlPlane = isRecord(model.controlPlane) ? model.controlPlane : {};
  const octavia = isRecord(controlPlane.octavia) ? controlPlane.octavia : {};
  // (Before grants on domains had a stack of their own, the platform's held them.)
  const ownStack = typeof identity.domainRoleStack === "string";
  const domainGrants = (
    ownStack && Array.isArray(identity.assignments) ? identity.assignments : []
  ).flatMap((a) =>
    isRecord(a) && typeof a.domain === "string"
      ? [
          `group ${String(a.group)} of domain ${String(a.groupDomain)} as ${String(a.role)} on domain ${a.domain}`,
        ]
      : [],
  );
  const directories = new Map<string, boolean>();
  const directorySchemas = new Map<string, DirectorySchema>();
  for (const d of Array.isArray(identity.domains) ? identity.domains : [])
    if (isRecord(d) && typeof d.name === "string") {
      directories.set(d.name, isRecord(d.ldap));
      const { userObjectClass, groupObjectClass, userIdAttribute } = isRecord(d.ldap) ? d.ldap : {};
      if (
        typeof userObjectClass === "string" &&
        typeof groupObjectClass === "string" &&
        typeof userIdAttribute === "string"
      )
        directorySchemas.set(d.name, { userObjectClass, groupObjectClass, userIdAttribute });
    }
  const backends = (
    isRecord(model.storage) && Array.isArray(model.storage.backends) ? model.storage.backends : []
  ).filter(isRecord);
  const networkList = (Array.isArray(model.networks) ? model.networks : []).filter(isRecord);
  const octaviaNet = networkList.find((n) => n.role === "octavia");
  const deploy = isRecord(model.deploy) ? model.deploy : {};
  const neutron = isRecord(deploy.neutron) ? deploy.neutron : {};
  const swift = isRecord(model.storage) && isRecord(model.storage.swift) ? model.storage.swift : {};
  const nova = isRecord(deploy.nova) ? deploy.nova : {};
  return {
    passthroughHosts: new Map(
      (Array.isArray(nova.hosts) ? nova.hosts : []).flatMap((h) =>
        isRecord(h) && typeof h.name === "string" && Array.isArray(h.pciDevices)
          ? [[h.name, h.pciDevices.filter(isRecord).map(pciId)] as const]
          : [],
      ),
    ),
    localVolumeHosts: new Map(
      backends.flatMap((b) =>
        (b.kind === "lvm" || b.kind === "zfs") &&
        typeof b.name === "string" &&
        Array.isArray(b.hosts)
          ? [[b.name, b.hosts.map(String)] as const]
          : [],
      ),
    ),
    computeHosts: new Set(
      model.nodes.flatMap((n) =>
        isRecord(n) &&
        typeof n.name === "string" &&
        Array.isArray(n.roles) &&
        n.roles.includes("compute")
          ? [n.name]
          : [],
      ),
    ),
    ...(typeof neutron.mechanism === "string" && Array.isArray(neutron.typeDrivers)
      ? { neutron: { mechanism: neutron.mechanism, typeDrivers: neutron.typeDrivers.map(String) } }
      : {}),
    ...(octaviaNet ? { octaviaSegment: segmentOf(octaviaNet) } : {}),
    ...(typeof swift.partitionPower === "number"
      ? { swiftPartitionPower: swift.partitionPower }
      : {}),
    ...(typeof swift.disksPerNode === "number" ? { swiftDisksPerNode: swift.disksPerNode } : {}),
    ...(typeof swift.replicas === "number"
      ? {
          swiftRings: swiftRingReplicas({
            replicas: swift.replicas,
            policies: (Array.isArray(swift.policies) ? swift.policies : []).flatMap((p) =>
              isRecord(p) && typeof p.ring === "string" && typeof p.replicas === "number"
                ? [{ ring: p.ring, replicas: p.replicas }]
                : [],
            ),
          }),
        }
      : {}),
    ...(Array.isArray(swift.policies)
      ? {
          swiftPolicies: swift.policies.filter(isRecord).map((p) => ({
            name: String(p.name),
            kept: isRecord(p.erasureCoding) ? keptAs(p.erasureCoding) : "replicated",
            ...(p.default === true ? { default: true } : {}),
          })),
        }
      : {}),
    ...(Array.isArray(controlPlane.services)
      ? { services: controlPlane.services.filter((x): x is string => typeof x === "string") }
      : {}),
    // (from the firewall's policies: a tenant's egress without a firewall restricted nothing)
    restrictedEgress: new Set(
      (isRecord(model.securityZones) &&
      isRecord(model.securityZones.firewall) &&
      Array.isArray(model.securityZones.firewall.tenantPolicies)
        ? model.securityZones.firewall.tenantPolicies
        : []
      ).flatMap((p) =>
        isRecord(p) && typeof p.tenant === "string" && Array.isArray(p.egress) ? [p.tenant] : [],
      ),
    ),
    projectNetworkTenants: new Set(
      (Array.isArray(model.tenants) ? model.tenants : []).flatMap((t) =>
        isRecord(t) && typeof t.id === "string" && isRecord(t.networkStack) ? [t.id] : [],
      ),
    ),
    // (a model.json before tiersEnforced: tiers closed the base group)
    closedBaseGroups: new Set(
      (Array.isArray(model.tenants) ? model.tenants : []).flatMap((t) =>
        isRecord(t) &&
        typeof t.id === "string" &&
        Array.isArray(t.tiers) &&
        t.tiers.length &&
        t.baseGroupOpen !== true
          ? [t.id]
          : [],
      ),
    ),
    tenantTiers: new Map(
      (Array.isArray(model.tenants) ? model.tenants : []).flatMap((t) =>
        isRecord(t) && typeof t.id === "string" && Array.isArray(t.tiers) && t.tiers.length
          ? [
              [
                t.id,
                t.tiers.flatMap((g) => (isRecord(g) && typeof g.name === "string" ? [g.name] : [])),
              ] as const,
            ]
          : [],
      ),
    ),
    addresses,
    racks,
    pools: new Set(
      model.pools.flatMap((p) => (isRecord(p) && typeof p.id === "string" ? [p.id] : [])),
    ),
    flavors,
    tenantStacks,
    tenantNetworks,
    tenantProjects,
    tenantQuotas,
    networks: new Map(
      (Array.isArray(model.networks) ? model.networks : []).flatMap((n) =>
        isRecord(n) && n.neutron === true && typeof n.name === "string"
          ? [[n.name, typeof n.cidr === "string" ? n.cidr : ""] as const]
          : [],
      ),
    ),
    segments: new Map(
      (Array.isArray(model.networks) ? model.networks : []).flatMap((n) =>
        isRecord(n) && n.neutron === true && typeof n.name === "string"
          ? [[n.name, segmentOf(n)] as const]
          : [],
      ),
    ),
    networkRoles: new Map(
      (Array.isArray(model.networks) ? model.networks : []).flatMap((n) =>
        isRecord(n) && typeof n.name === "string" && typeof n.role === "string"
          ? [[n.name, n.role] as const]
          : [],
      ),
    ),
    ...subnetPoolOf(model),
    keystoneGroups,
    serverGroups,
    cephPools: cephPools(model),
    pgNums: pgNumsOf(model),
    cephVolumeHosts: cephVolumeHostsOf(model),
    cephMonitors: cephMonitorsOf(model),
    ...cephProtectionOf(model),
    ...volumeClusterOf(model),
    ...(typeof model.domain === "string" ? { domain: model.domain } : {}),
    ...(isRecord(model.output) &&
    isRecord(model.output.backend) &&
    typeof model.output.backend.type === "string"
      ? {
          stateBackend: {
            type: model.output.backend.type,
            key: stableJson(model.output.backend),
          },
        }
      : {}),
    bareMetal: isRecord(model.undercloud),
    ...tenantSegmentsOf(model),
    vips: new Map(
      (Array.isArray(model.vips) ? model.vips : []).flatMap((v) =>
        isRecord(v) && typeof v.name === "string" && typeof v.address === "string"
          ? [[v.name, v.address] as const]
          : [],
      ),
    ),
    ...(isRecord(model.legacyUnix) && typeof model.legacyUnix.network === "string"
      ? {
          legacyNetwork: model.legacyUnix.network,
          legacySubnetGateway: model.legacyUnix.subnetGateway !== false,
          legacyRouterRoutes: (Array.isArray(model.legacyUnix.routerRoutes)
            ? model.legacyUnix.routerRoutes
            : Array.isArray(model.legacyUnix.subnets)
              ? model.legacyUnix.subnets
              : []
          ).map(String),
        }
      : {}),
    servers: new Map(
      model.nodes.flatMap((n) =>
        isRecord(n) && typeof n.name === "string" && typeof n.hardware === "string"
          ? [
              [
                n.name,
                {
                  hardware: n.hardware,
                  ...(typeof n.baremetalFlavor === "string" ? { flavor: n.baremetalFlavor } : {}),
                  virtual: n.virtual === true,
                  ...(typeof n.role === "string" ? { role: n.role } : {}),
                  ...(typeof n.zone === "string" ? { zone: n.zone } : {}),
                  ...(typeof n.pool === "string" ? { pool: n.pool } : {}),
                },
              ] as const,
            ]
          : [],
      ),
    ),
    machines: new Map(
      model.nodes.flatMap((n) =>
        isRecord(n) && typeof n.name === "string" && typeof n.baremetalNode === "string"
          ? [[n.name, n.baremetalNode] as const]
          : [],
      ),
    ),
    ...(isRecord(model.undercloud)
      ? {
          undercloud: {
            ...(typeof model.undercloud.image === "string"
              ? { image: model.undercloud.image }
              : {}),
            ...(typeof model.undercloud.keyPair === "string"
              ? { keyPair: model.undercloud.keyPair }
              : {}),
          },
        }
      : {}),
    directories,
    directorySchemas,
    ...(domainGrants.length ? { domainGrants } : {}),
    legacyShares,
    providerShares,
    sharedNetworks: new Set(
      (Array.isArray(model.networks) ? model.networks : []).flatMap((n) =>
        isRecord(n) && n.shared === true && typeof n.name === "string" ? [n.name] : [],
      ),
    ),
    grants,
    ...(typeof octavia.topology === "string" ? { octaviaTopology: octavia.topology } : {}),
    firewall: isRecord(model.securityZones) && isRecord(model.securityZones.firewall),
    firewallRules: tenantFirewallRules(
      isRecord(model.securityZones) && isRecord(model.securityZones.firewall)
        ? model.securityZones.firewall
        : {},
    ),
    sshKeyedAsWritten,
    serviceHosts: serviceHostsOf(model),
    ...deployFactsOf(model),
    ...(isRecord(model.storage) && typeof model.storage.defaultVolumeType === "string"
      ? { defaultVolumeType: model.storage.defaultVolumeType }
      : {}),
    backendTypes: new Map(
      backends.flatMap((b) =>
        typeof b.name === "string" && typeof b.volumeType === "string"
          ? [[b.name, b.volumeType] as const]
          : [],
      ),
    ),
    swiftPlaces: new Map(
      swiftList(model, "nodeZones").flatMap((z) =>
        isRecord(z) && typeof z.node === "string"
          ? [[z.node, `r${String(z.region)}z${String(z.zone)}`] as const]
          : [],
      ),
    ),
    platformContainers: new Map(
      swiftList(model, "containers").flatMap((c) =>
        isRecord(c) && typeof c.name === "string" && c.account === "platform"
          ? [[c.name, typeof c.storagePolicy === "string" ? c.storagePolicy : ""] as const]
          : [],
      ),
    ),
    volumeTypes: new Map(
      backends.flatMap((b) =>
        typeof b.volumeType === "string" && typeof b.public === "boolean"
          ? [[b.volumeType, b.public] as const]
          : [],
      ),
    ),
  };
}

/** Where a plan made VLAN tenant networks: their physical network and VLAN range. */
function tenantSegmentsOf(
  model: Record<string, unknown>,
): Pick<PreviousPlan, "tenantPhysicalNetwork" | "tenantVlanRange"> {
  const network = isRecord(model.network) ? model.network : {};
  const range = isRecord(network.tenantVlanRange) ? network.tenantVlanRange : undefined;
  return {
    ...(typeof network.tenantPhysicalNetwork === "string"
      ? { tenantPhysicalNetwork: network.tenantPhysicalNetwork }
      : {}),
    ...(range && typeof range.min === "number" && typeof range.max === "number"
      ? { tenantVlanRange: { min: range.min, max: range.max } }
      : {}),
  };
}

/**
 * Volume types of both plans that become private: Cinder keeps them in place, and projects
 * without access can create no more volumes of them (their volumes stay).
 */
export function privatizedVolumeTypes(previous: PreviousPlan, model: Model): string[] {
  return model.storage.backends
    .filter((b) => !b.public && previous.volumeTypes?.get(b.volumeType) === true)
    .map((b) => b.volumeType);
}

/**
 * SSH sources of tenants of both plans whose rules move from addresses of the source as written
 * to addresses of its block: Terraform deletes the old rules and creates the new ones in one
 * apply, in no order, and Neutron refuses a rule while its twin stands (SecurityGroupRuleExists).
 */
export function rekeyedSshSources(previous: PreviousPlan, model: Model) {
  // A spelling Terraform's name reads alike (another case) keeps the address: the changed
  // description replaces the rules in place, the old ones first.
  const address = (key: string) => terraformName([`rule-ssh-${constructIdFor(key)}`]);
  return model.tenants.flatMap((t) => {
    const before = previous.sshKeyedAsWritten?.get(t.id);
    return before
      ? t.ssh.flatMap((s) => {
          const written = before.get(s.cidr);
          return written === undefined || address(written) === address(s.cidr)
            ? []
            : [{ tenant: t.id, written, cidr: s.cidr }];
        })
      : [];
  });
}

/**
 * Cinder's default volume type when this plan changes it (a plan from before it was set has
 * none): cinder.conf names it, and the platform stack makes it.
 */
export function defaultVolumeTypeChange(previous: PreviousPlan, model: Model) {
  const from = previous.defaultVolumeType;
  const to = model.storage.defaultVolumeType;
  return from === to
    ? undefined
    : { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** A registry as one text, `<address>/<namespace>`; "" for Kolla's own. */
function registryOf(registry: unknown): string {
  return isRecord(registry) &&
    typeof registry.address === "string" &&
    typeof registry.namespace === "string"
    ? `${registry.address}/${registry.namespace}`
    : "";
}

/**
 * The registry Kolla pulls from, when it changes: every container's image then changes, so the
 * next deploy, reconfigure or upgrade recreates each from the new place.
 */
export function registryChange(
  previous: PreviousPlan,
  model: Model,
): { from: string; to: string } | undefined {
  if (previous.registry === undefined) return undefined;
  const to = registryOf(model.deploy.registry);
  return to === previous.registry ? undefined : { from: previous.registry, to };
}

/** What Kolla and cephadm were given that later plans compare with, from a model.json. */
function deployFactsOf(model: Record<string, unknown>) {
  const deploy = isRecord(model.deploy) ? model.deploy : {};
  const cinder = isRecord(deploy.cinder) ? deploy.cinder : {};
  const backup = isRecord(cinder.backup) ? cinder.backup : {};
  const backends = Array.isArray(cinder.backends) ? cinder.backends.filter(isRecord) : [];
  const tls = isRecord(deploy.tls) ? deploy.tls : {};
  const ceph = isRecord(deploy.ceph) ? deploy.ceph : {};
  const specs = Array.isArray(ceph.osdSpecs) ? ceph.osdSpecs.filter(isRecord) : [];
  return {
    ...(typeof backup.driver === "string"
      ? {
          cinderBackup: {
            driver: backup.driver,
            besideCephVolumes: backends.some((b) => b.kind === "ceph"),
            ...(typeof backup.storagePolicy === "string"
              ? { storagePolicy: backup.storagePolicy }
              : {}),
          },
        }
      : {}),
    ...(typeof tls.external === "boolean" ? { tlsExternal: tls.external } : {}),
    ...(isRecord(deploy.octavia) && deploy.octavia.heartbeatKeyVariable === undefined
      ? { octaviaUnkeyed: true }
      : {}),
    ...(isRecord(deploy.gnocchi) && typeof deploy.gnocchi.store === "string"
      ? { metricStore: deploy.gnocchi.store }
      : {}),
    // (a plan from before Valkey: none)
    ...(isRecord(model.deploy) ? { valkey: deploy.valkey === true } : {}),
    ...(isRecord(model.deploy) ? { registry: registryOf(deploy.registry) } : {}),
    // (earlier versions gave the legacy router a gateway wherever an external network was)
    ...(isRecord(model.legacyUnix)
      ? {
          legacyGateway:
            typeof model.legacyUnix.externalGateway === "boolean"
              ? model.legacyUnix.externalGateway
              : Array.isArray(model.networks) &&
                model.networks.some((n) => isRecord(n) && n.external === true),
        }
      : {}),
    osdDbDevices: new Map(specs.map((o) => [String(o.deviceClass), o.dbDevices])),
    ...(typeof ceph.failureDomain === "string" ? { crushDomain: ceph.failureDomain } : {}),
    crushLocations: new Map(
      (Array.isArray(ceph.hosts) ? ceph.hosts.filter(isRecord) : []).flatMap((h) =>
        Array.isArray(h.labels) && h.labels.includes("osd")
          ? [
              [
                String(h.name),
                isRecord(h.crushLocation)
                  ? Object.fromEntries(
                      Object.entries(h.crushLocation).map(([k, v]) => [k, String(v)]),
                    )
                  : {},
              ] as const,
            ]
          : [],
      ),
    ),
  };
}

/**
 * OSD hosts and racks this plan puts elsewhere in the CRUSH map (a failure domain turned to racks
 * or sites, a host planned in another rack): cephadm places a host only when it adds it, so the
 * ones it has are moved by hand, racks whole where only their site changes. With the failure
 * domain changed, the rules change too: pools.sh moves the replicated pools onto the new ones,
 * and erasure-coded pools, whose rule came from their profile, are moved by hand.
 */
export function crushChanges(previous: PreviousPlan, model: Model) {
  const ceph = model.deploy.ceph;
  const before = previous.crushLocations;
  if (!ceph || !before) return undefined;
  const loc = (l: Readonly<Record<string, string>>) =>
    Object.entries(l)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
  const rackSite = (locations: Iterable<Readonly<Record<string, string>>>) =>
    new Map([...locations].flatMap((l) => (l.rack ? [[l.rack, l.datacenter ?? ""] as const] : [])));
  const wasIn = rackSite(before.values());
  const osdHosts = ceph.hosts.filter((h) => h.labels.includes("osd"));
  const from = previous.crushDomain;
  const domainChanged = from !== undefined && from !== ceph.failureDomain;
  // To a narrower domain (sites to racks or hosts, racks to hosts) the new rules find their
  // buckets where they are, and the old ones lose theirs as racks leave their sites: the rules
  // change first and racks stay in place. To a wider one the buckets move first.
  const rank = (d: string) => ["host", "rack", "datacenter"].indexOf(d);
  const narrower = domainChanged && rank(ceph.failureDomain) < rank(from);
  const moves: string[] = [];
  // Racks left in their former sites' buckets, moved out once the data has settled; the empty
  // buckets then go (a rack or host named like one later would stop cephadm adding it).
  const afterwards: string[] = [];
  const racks = rackSite(osdHosts.flatMap((h) => h.crushLocation ?? []));
  const byName = (a: [string, string], b: [string, string]) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
  for (const [rack, site] of [...racks].sort(byName)) {
    if (!wasIn.has(rack) || wasIn.get(rack) === site || (narrower && !site)) continue;
    moves.push(
      `ceph osd crush move ${rack} ${loc({ root: CRUSH_ROOT, ...(site ? { datacenter: site } : {}) })}`,
    );
  }
  if (narrower)
    for (const [rack, was] of [...wasIn].sort(byName))
      if (was && !racks.get(rack))
        afterwards.push(`ceph osd crush move ${rack} root=${CRUSH_ROOT}`);
  const sitesNow = new Set([...racks.values()]);
  const formerSites = [...new Set([...before.values()].flatMap((l) => l.datacenter ?? []))]
    .filter((site) => !sitesNow.has(site))
    .sort();
  if (narrower) afterwards.push(...formerSites.map((site) => `ceph osd crush rm ${site}`));
  for (const h of osdHosts) {
    const was = before.get(h.name);
    const now = h.crushLocation;
    // New hosts are cephadm's; a host under the root stays there for a rule by host.
    if (!was || !now || loc(was) === loc(now)) continue;
    if (now.rack && was.rack === now.rack) continue;
    moves.push(`ceph osd crush move ${h.name} ${loc(now)}`);
  }
  if (!moves.length && !domainChanged) return undefined;
  const erasure = domainChanged
    ? ceph.pools.flatMap((p) => [
        ...(p.protection.kind === "erasure-coded" ? [{ pool: p.name, rule: p.rule }] : []),
        ...(p.dataPool ? [{ pool: p.dataPool.name, rule: p.dataPool.rule }] : []),
      ])
    : [];
  return {
    ...(domainChanged ? { from, to: ceph.failureDomain } : {}),
    moves,
    rulesFirst: narrower,
    afterwards,
    // (the profile pools.sh sets has the rule's name)
    erasure: [
      ...new Set(erasure.map(({ rule }) => `ceph osd crush rule create-erasure ${rule} ${rule}`)),
      ...erasure.map(({ pool, rule }) => `ceph osd pool set ${pool} crush_rule ${rule}`),
    ],
  };
}

/**
 * cinder-backup leaving the design or changing driver: Cinder restores and deletes a backup only
 * with the driver that took it, and Kolla-Ansible removes no service it no longer deploys. Ceph
 * backups without a Ceph volume backend never worked (Kolla gave cinder-backup no Ceph
 * configuration), so nothing is lost; any other target holds the backups taken so far.
 */
export const backupTargetChange = (previous: PreviousPlan, model: Model) => {
  const before = previous.cinderBackup;
  const after = model.deploy.cinder.backup?.driver;
  return before && before.driver !== after
    ? {
        driver: before.driver,
        ...(after !== undefined ? { to: after } : {}),
        heldBackups: before.driver !== "ceph" || before.besideCephVolumes,
      }
    : undefined;
};

/**
 * The Swift storage policy cinder-backup creates its containers with, when it changes: Cinder
 * sets it only on a container it creates (cinder/backup/drivers/swift.py), so projects that have
 * backups keep their container's.
 */
export function backupPolicyChange(previous: PreviousPlan, model: Model) {
  const before = previous.cinderBackup;
  const after = model.deploy.cinder.backup;
  if (before?.driver !== "swift" || after?.driver !== "swift") return undefined;
  // The policy a new container gets, by its index (Swift's key): the one named, else the
  // default (a lone policy, or Swift's own Policy-0, without a flag).
  // (a plan from before policies carried their flag names no default among several: unknown)
  const used = (policies: readonly { name: string; default?: boolean }[], named?: string) => {
    const flagged = policies.findIndex((p) => p.default);
    const index = named
      ? policies.findIndex((p) => p.name === named)
      : flagged >= 0 || policies.length < 2
        ? Math.max(0, flagged)
        : undefined;
    return index === undefined ? undefined : { index, name: policies[index]?.name ?? "Policy-0" };
  };
  const from = used(previous.swiftPolicies ?? [], before.storagePolicy);
  const to = used(model.storage.swift?.policies ?? [], after.storagePolicy);
  return !from || !to || from.index === to.index ? undefined : { from: from.name, to: to.name };
}

/**
 * External TLS turned on: a plan from before every endpoint had it (one VIP, whose public
 * endpoints Kolla puts on the internal one).
 */
export const externalTlsOn = (previous: PreviousPlan) => previous.tlsExternal === false;

/**
 * Spinning OSD specs whose db_devices took every free solid-state disk (a plan from before they
 * had a size): another class's OSD disks may have become RocksDB devices.
 */
export function dbDevicesNarrowed(previous: PreviousPlan, model: Model) {
  return (model.deploy.ceph?.osdSpecs ?? []).flatMap((o) =>
    previous.osdDbDevices?.get(o.deviceClass) === true
      ? [{ deviceClass: o.deviceClass, ...(o.dbDevices ? { band: o.dbDevices } : {}) }]
      : [],
  );
}

/**
 * Spinning OSD specs whose RocksDB devices change size: cephadm applies db_devices to the OSDs it
 * makes from then on, and those made already keep their RocksDB where it is.
 */
export function dbDevicesChanged(previous: PreviousPlan, model: Model) {
  const before = previous.osdDbDevices;
  const band = (b: unknown) => (isRecord(b) ? `${String(b.minGB)}G:${String(b.maxGB)}G` : "none");
  return (model.deploy.ceph?.osdSpecs ?? []).flatMap((o) => {
    if (!o.rotational || !before?.has(o.deviceClass)) return [];
    const was = before.get(o.deviceClass);
    // (a bare true: dbDevicesNarrowed says more)
    if (was === true) return [];
    const from = band(was);
    const to = band(o.dbDevices);
    return from === to ? [] : [{ deviceClass: o.deviceClass, from, to }];
  });
}

/**
 * Where Kolla ran MariaDB and RabbitMQ, from a model.json: their own hosts, or (before a single
 * database or broker had them) every controller.
 */
function serviceHostsOf(model: Record<string, unknown>) {
  const deploy = isRecord(model.deploy) ? model.deploy : {};
  const groups = isRecord(deploy.kollaGroups) ? deploy.kollaGroups : {};
  const own = isRecord(deploy.serviceHosts) ? deploy.serviceHosts : {};
  const control = Array.isArray(groups.control) ? groups.control.map(String) : [];
  return new Map(
    (["mariadb", "rabbitmq"] as const).map((s) => [
      s,
      Array.isArray(own[s]) ? own[s].map(String) : control,
    ]),
  );
}

/**
 * MariaDB's or RabbitMQ's cluster running on hosts this plan leaves out of it: Kolla-Ansible
 * shrinks neither (a Galera node it no longer manages keeps running, and the remaining node
 * restarts alone), so the design must say so on purpose.
 */
export function shrunkClusters(previous: PreviousPlan, model: Model) {
  const now = model.deploy;
  return (["mariadb", "rabbitmq"] as const).flatMap((service) => {
    const before = previous.serviceHosts?.get(service) ?? [];
    const after = now.serviceHosts[service] ?? now.kollaGroups.control;
    const left = before.filter((h) => !after.includes(h) && now.kollaGroups.control.includes(h));
    return left.length ? [{ service, from: before, to: after }] : [];
  });
}

/** Each tenant policy's platform rules, by key with their names, from a model.json's firewall. */
function tenantFirewallRules(firewall: Record<string, unknown>) {
  const names = new Map<string, string>();
  for (const r of Array.isArray(firewall.ingress) ? firewall.ingress : [])
    if (isRecord(r) && typeof r.key === "string") names.set(r.key, String(r.name));
  const out = new Map<string, Map<string, string>>();
  for (const p of Array.isArray(firewall.tenantPolicies) ? firewall.tenantPolicies : [])
    if (isRecord(p) && typeof p.tenant === "string" && Array.isArray(p.platformRules))
      out.set(
        p.tenant,
        new Map(p.platformRules.map((k) => [String(k), names.get(String(k)) ?? String(k)])),
      );
  return out;
}

/**
 * Platform firewall rules that tenant routers' policies hold and the platform stack deletes (a
 * flow or a network renamed or dropped): the provider takes a rule out of every policy before
 * deleting it, so until a tenant's own stack is applied with what replaces it, its router drops
 * that traffic.
 */
export function firewallRulesWithdrawn(previous: PreviousPlan, model: Model) {
  if (!model.securityZones.firewall) return [];
  const now = new Set(model.securityZones.firewall.ingress.map((r) => r.key));
  const tenants = new Set(model.tenants.map((t) => t.id));
  const rules = new Map<string, string[]>();
  for (const [tenant, held] of previous.firewallRules ?? [])
    for (const [key, name] of held)
      if (tenants.has(tenant) && !now.has(key))
        rules.set(name, [...(rules.get(name) ?? []), tenant]);
  return [...rules].map(([rule, holders]) => ({ rule, tenants: holders.sort() }));
}

/**
 * Platform rules a tenant router's policy held and the design now keeps out of it (the users'
 * web ports of a tenant that turns usersWeb off): its apply cuts that traffic to its instances.
 */
export function firewallRulesDropped(previous: PreviousPlan, model: Model) {
  const policies = model.securityZones.firewall?.tenantPolicies ?? [];
  const platform = new Set(model.securityZones.firewall?.ingress.map((r) => r.key));
  return policies.flatMap((p) => {
    const kept = new Set(p.platformRules);
    const dropped = [...(previous.firewallRules?.get(p.tenant) ?? [])]
      .filter(([key]) => platform.has(key) && !kept.has(key))
      .map(([, name]) => name)
      .sort();
    return dropped.length ? [{ tenant: p.tenant, rules: dropped }] : [];
  });
}

/**
 * The firewall leaving the design: the tenant stacks must drop their firewall groups before the
 * platform stack deletes the policies they use (Neutron: FirewallPolicyInUse), and both before
 * neutron-fwaas leaves, if it does (without its API Terraform forgets the groups).
 */
export const firewallDropped = (
  previous: PreviousPlan,
  model: Model,
): false | { readonly fwaasLeaves: boolean } =>
  previous.firewall === true &&
  model.securityZones.firewall === undefined && {
    fwaasLeaves: !model.controlPlane.services.includes("fwaas"),
  };

/**
 * The firewall joining a design whose tenants already run: each tenant router's new firewall
 * group denies every inbound flow its policy does not name (neutron-fwaas ends each chain with a
 * drop), so those flows stop when the tenant stack is applied. The tenants that had a router.
 */
export function firewallAdded(previous: PreviousPlan, model: Model): string[] {
  if (previous.firewall !== false || !model.securityZones.firewall) return [];
  return model.tenants
    .filter((t) => t.network && previous.tenantNetworks.has(t.id))
    .map((t) => t.id)
    .sort();
}

/**
 * Octavia's topology when it changes: Octavia fixes each load balancer's when creating it (its
 * failover rebuilds the same), so only load balancers created afterwards take the new one.
 */
/**
 * Octavia deployed by a plan that left the heartbeat key at Kolla's `insecure`: once the design's
 * key reaches the health managers, they drop the running amphorae's heartbeats and fail every
 * load balancer over to new amphorae.
 */
export function octaviaHeartbeatKeyed(previous: PreviousPlan, model: Model): string | undefined {
  const variable = model.deploy.octavia?.heartbeatKeyVariable;
  return previous.octaviaUnkeyed && variable ? variable : undefined;
}

/**
 * Gnocchi's store moved by the design (it follows the storage: Ceph, else Swift, else a
 * controller's disk): after the reconfigure Gnocchi starts an empty store, the metrics stay.
 */
export function metricStoreChange(previous: PreviousPlan, model: Model) {
  const to = model.deploy.gnocchi?.store;
  const from = previous.metricStore;
  return from && to && from !== to ? { from, to } : undefined;
}

/**
 * The legacy bridge's router losing its gateway on the external network: the provider reads the
 * gateway back (external_network_id is computed), so leaving it out of the configuration keeps
 * the running one, which routes the external network to the legacy subnets.
 */
export function legacyGatewayLeft(previous: PreviousPlan, model: Model): string | undefined {
  return previous.legacyGateway === true &&
    model.legacyUnix !== undefined &&
    !model.legacyUnix.externalGateway
    ? openstackName(model.naming.prefix, "legacy")
    : undefined;
}

/**
 * Valkey joining or leaving the controllers with Octavia's jobboard. Kolla moves Gnocchi's
 * incoming measures into it or out of it, leaving those not yet processed behind, and removes no
 * service it no longer deploys.
 */
export function valkeyChange(previous: PreviousPlan, model: Model) {
  const now = model.deploy.valkey;
  if (previous.valkey === undefined || previous.valkey === now) return undefined;
  return {
    change: now ? ("joins" as const) : ("leaves" as const),
    gnocchi: previous.metricStore !== undefined && model.deploy.gnocchi !== undefined,
  };
}

/**
 * Swift storage nodes the ring plan places in another region or zone: rings.sh builds new rings
 * only, so the running rings keep them where they were until their devices are moved.
 */
export function swiftPlacesMoved(previous: PreviousPlan, model: Model) {
  return (model.storage.swift?.nodeZones ?? []).flatMap((z) => {
    const from = previous.swiftPlaces?.get(z.node);
    const to = `r${z.region}z${z.zone}`;
    return from === undefined || from === to ? [] : [{ node: z.node, from, to }];
  });
}

/**
 * What the projects made with a service that outlives it: its API gone, nothing can delete it
 * or keep it running right.
 */
const PROJECT_RESOURCES: Readonly<Record<string, { what: string; remove: string }>> = {
  octavia: {
    what: "the projects' load balancers: their amphorae keep running in Octavia's service project with no health manager to fail them over, and their VIP ports keep addresses in the tenants' subnets, which Neutron then refuses to delete",
    remove: "openstack loadbalancer delete --cascade for each of openstack loadbalancer list",
  },
  manila: {
    what: "the projects' shares: their data stays on the share backends, reachable through no API",
    remove:
      "openstack share snapshot delete, then openstack share delete for each of openstack share list --all-projects, then the share networks, which Manila keeps while shares use them",
  },
  cinder: {
    what: "the projects' volumes, snapshots and backups: they stay in their backends, and nothing can attach, extend, back up or delete them again",
    remove:
      "openstack volume delete for each of openstack volume list --all-projects, backups and snapshots first",
  },
};

/** Services leaving the design whose projects' resources would outlive them. */
export function servicesLeavingData(previous: PreviousPlan, model: Model) {
  return droppedServices(previous, model).flatMap((service) =>
    PROJECT_RESOURCES[service] ? [{ service, ...PROJECT_RESOURCES[service] }] : [],
  );
}

/** Services the previous plan deployed and this one does not: Kolla-Ansible removes none. */
export function droppedServices(previous: PreviousPlan, model: Model): string[] {
  const now = new Set(model.controlPlane.services);
  return (previous.services ?? []).filter((s) => !now.has(s));
}

/**
 * Devices the rings gain or lose on a running cluster: nodes that join or leave, and disks per
 * node (rings.sh builds new rings only; the running builders take them by hand).
 */
export function swiftDeviceChanges(previous: PreviousPlan, model: Model) {
  const swift = model.storage.swift;
  const before = previous.swiftPlaces;
  if (!swift || !before?.size) return undefined;
  const now = new Set(swift.storageNodes);
  const added = swift.storageNodes.filter((n) => !before.has(n));
  const removed = [...before.keys()].filter((n) => !now.has(n)).sort();
  const disks =
    previous.swiftDisksPerNode !== undefined && previous.swiftDisksPerNode !== swift.disksPerNode
      ? { before: previous.swiftDisksPerNode, now: swift.disksPerNode }
      : undefined;
  return added.length || removed.length || disks ? { added, removed, disks } : undefined;
}

export function octaviaTopologyChange(previous: PreviousPlan, model: Model) {
  const to = model.controlPlane.octavia?.topology;
  const from = previous.octaviaTopology;
  return from && to && from !== to ? { from, to } : undefined;
}

/**
 * Data the previous plan kept in a Ceph pool that this one points its service elsewhere: after
 * `kolla-ansible reconfigure` the service no longer finds what is in the old pool.
 */
export function movedCephData(previous: PreviousPlan, model: Model) {
  const now = cephPools(model);
  return [...previous.cephPools].flatMap(([what, pool]) => {
    const to = now.get(what);
    return to === undefined || to === pool ? [] : [{ what, from: pool, to }];
  });
}

/** The legacy bridge's RBAC shares a tenant with these flow groups gets (constructs/tenant.ts). */
const legacyShareNames = (groups: readonly string[]) =>
  groups.length
    ? [
        "the legacy bridge network",
        ...groups.map((g) => {
          // A key is the direction, then the pools its flows are limited to (LegacyGroupModel).
          const [direction, ...pools] = g.split("+");
          return `the legacy ${direction} security group${pools.length ? ` of pools ${pools.join(", ")}` : ""}`;
        }),
      ]
    : [];

/**
 * Domains of both plans that Keystone reads from another place: Kolla-Ansible never deletes a
 * domain's configuration file, so Keystone stays on the directory of a domain that leaves it
 * (and refuses the groups the platform then creates there: LDAP is read-only); a domain that
 * moves to a directory hides the groups and users Keystone kept for it.
 */
export function directoryChanges(previous: PreviousPlan, model: Model) {
  return model.identity.domains.flatMap((d) => {
    const before = previous.directories.get(d.name);
    const now = d.ldap !== undefined;
    return before === undefined || before === now ? [] : [{ domain: d.name, toDirectory: now }];
  });
}

/**
 * Domains new to this plan that read a directory: Keystone reads a domain's file only at start-up
 * and only for a domain that exists then, and Kolla-Ansible renders it with the bind password.
 */
export function newDirectoryDomains(previous: PreviousPlan, model: Model) {
  return model.identity.domains.flatMap((d) =>
    d.ldap && !previous.directories.has(d.name)
      ? [{ domain: d.name, passwordVariable: d.ldap.bindPasswordVariable }]
      : [],
  );
}

/** What a directory's users and groups are to Keystone. */
export interface DirectorySchema {
  readonly userObjectClass: string;
  readonly groupObjectClass: string;
  readonly userIdAttribute: string;
}

/**
 * Directories of both plans whose users or groups Keystone now finds by other classes or another
 * id attribute: a user's Keystone id comes from that attribute (its id mapping), so users look
 * new, and what was granted to them directly, their application credentials too, no longer apply.
 */
export function directorySchemaChanges(previous: PreviousPlan, model: Model) {
  return model.identity.domains.flatMap((d) => {
    const before = previous.directorySchemas?.get(d.name);
    if (!before || !d.ldap) return [];
    const changed = (["userIdAttribute", "userObjectClass", "groupObjectClass"] as const)
      .filter((k) => before[k] !== d.ldap![k])
      .map((k) => `${k} ${before[k]} -> ${d.ldap![k]}`);
    return changed.length ? [{ domain: d.name, changed }] : [];
  });
}

/**
 * Legacy bridge shares of tenants of both plans that this plan drops: Neutron refuses to remove
 * a share while the project has ports on the network or in the group (RbacPolicyInUse, 409).
 */
export function droppedLegacyShares(previous: PreviousPlan, model: Model) {
  return model.tenants.flatMap((t) => {
    const now = new Set(legacyShareNames(t.legacyGroups));
    const dropped = (previous.legacyShares.get(t.id) ?? []).filter((s) => !now.has(s));
    return dropped.length ? [{ tenant: t.id, shares: dropped }] : [];
  });
}

/**
 * VIPs of both plans at another address: Kolla's reconfigure moves keepalived and the endpoints
 * it registers, while DNS, certificates naming the address and hand-made endpoints stay.
 */
export function movedVips(previous: PreviousPlan, model: Model) {
  return model.vips.flatMap((v) => {
    const before = previous.vips?.get(v.name);
    const vip = model.deploy.vips[v.name];
    return before !== undefined && vip && before !== v.address
      ? [{ name: v.name, from: before, to: v.address, fqdn: vip.fqdn }]
      : [];
  });
}

/**
 * Routes the legacy router had to the legacy subnets that this plan drops: where it is not the
 * bridge's gateway the instances reach the next hop by their host routes, and a route on the
 * router carried only what reached it from elsewhere (the external network, with a VPN).
 */
export function droppedLegacyRoutes(previous: PreviousPlan, model: Model): string[] {
  const legacy = model.legacyUnix;
  if (!legacy || previous.legacyNetwork !== legacy.network) return [];
  // (a subnet gone from the design takes its route for that reason alone)
  const now = new Set(legacy.routerRoutes);
  return (previous.legacyRouterRoutes ?? []).filter(
    (r) => !now.has(r) && legacy.subnets.includes(r),
  );
}

/**
 * The legacy bridge put on another network: the tenants' shares of the old one are replaced
 * (Neutron refuses to delete a share while the project has ports there, RbacPolicyInUse), and the
 * router, its routes and the host routes leave the network the instances are on.
 */
export function legacyBridgeMoved(previous: PreviousPlan, model: Model) {
  const now = model.legacyUnix?.network;
  const before = previous.legacyNetwork;
  return before !== undefined && now !== undefined && now !== before
    ? { from: before, to: now }
    : undefined;
}

/**
 * Tenants new to a cloud whose subnet pool runs, with their network allocated from it: Neutron
 * hands projects' own subnets from the same pool, lowest free blocks first, and refuses a prefix
 * one of them holds (SubnetAllocationError).
 */
export function newPoolTenants(previous: PreviousPlan, model: Model) {
  if (!previous.subnetPool?.length) return [];
  return model.tenants.flatMap((t) =>
    t.network?.fromSubnetPool && !previous.tenantStacks.has(t.id)
      ? [{ tenant: t.id, cidr: t.network.cidr }]
      : [],
  );
}

/**
 * Running tenants whose instances tiers now keep apart: the apply drops the base group's rules
 * that let them all talk. Where the tier groups come in the same apply (`fresh`), no instance
 * can be in one yet.
 */
export function newlyTiered(previous: PreviousPlan, model: Model) {
  return model.tenants.flatMap((t) =>
    t.tiers &&
    !t.baseGroupOpen &&
    previous.tenantStacks.has(t.id) &&
    !previous.closedBaseGroups?.has(t.id)
      ? [
          {
            tenant: t,
            // (a tier whose group comes in the same apply holds no instance yet)
            fresh: (t.tiers ?? []).some(
              (g) => !(previous.tenantTiers?.get(t.id) ?? []).includes(g.name),
            ),
          },
        ]
      : [],
  );
}

/**
 * Running tenants whose tier groups come while the base group keeps admitting all traffic
 * between their instances (tiersEnforced: false): the time to move instances into them.
 */
export function tiersMoving(previous: PreviousPlan, model: Model) {
  return model.tenants.filter(
    (t) =>
      t.tiers &&
      t.baseGroupOpen &&
      previous.tenantStacks.has(t.id) &&
      t.tiers.some((g) => !(previous.tenantTiers?.get(t.id) ?? []).includes(g.name)),
  );
}

/**
 * Running compute hosts that now pass devices through: their kernel needs the IOMMU on and the
 * devices bound to vfio-pci, which takes a reboot, before Nova can hand the devices out.
 */
export function newPassthroughHosts(previous: PreviousPlan, model: Model) {
  return model.deploy.nova.hosts.flatMap((h) =>
    h.pciDevices && previous.addresses.has(h.name) && !previous.passthroughHosts?.has(h.name)
      ? [h.name]
      : [],
  );
}

/** A device's `vendor:product`, as vfio-pci.ids lists it. */
const pciId = (d: { readonly vendorId?: unknown; readonly productId?: unknown }) =>
  `${String(d.vendorId)}:${String(d.productId)}`;

/**
 * Running hosts that passed devices through and now pass other kinds too (`added`: bound to
 * vfio-pci at boot, so a reboot) or no longer pass some (`released`: Nova keeps a device an
 * instance holds), by host.
 */
export function passthroughChanges(previous: PreviousPlan, model: Model) {
  const now = new Map(
    model.deploy.nova.hosts.map((h) => [h.name, (h.pciDevices ?? []).map(pciId)]),
  );
  const added: { host: string; ids: string[] }[] = [];
  const released: { host: string; ids: string[] }[] = [];
  for (const [host, before] of [...(previous.passthroughHosts ?? [])].sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const ids = now.get(host);
    if (!ids) continue; // a host leaving: its own refusal or note
    const more = ids.filter((id) => !before.includes(id));
    const fewer = before.filter((id) => !ids.includes(id));
    if (more.length) added.push({ host, ids: more });
    if (fewer.length) released.push({ host, ids: fewer });
  }
  return { added, released };
}

/**
 * Tiers of a kept tenant that leave the design: Neutron refuses to delete a group a port still
 * uses, and the apply fails once their rules, and other tiers' rules naming them, are gone.
 */
export function droppedTiers(previous: PreviousPlan, model: Model) {
  return model.tenants.flatMap((t) => {
    const now = new Set((t.tiers ?? []).map((g) => g.name));
    const gone = (previous.tenantTiers?.get(t.id) ?? []).filter((name) => !now.has(name));
    return gone.length ? [{ tenant: t, tiers: gone }] : [];
  });
}

/**
 * Keystone groups the platform stack now makes that tenant or domain-role stacks look up by
 * name: planned before the platform is applied, their lookup finds no group.
 */
export function keystoneGroupsAhead(previous: PreviousPlan, model: Model) {
  const fresh = model.identity.keystoneGroups.filter(
    (g) => !previous.keystoneGroups.has(groupKey(g)),
  );
  const keys = new Set(fresh.map(groupKey));
  const stacks = new Set<string>();
  for (const a of model.identity.assignments) {
    if (!keys.has(groupKey({ domain: a.groupDomain, name: a.group }))) continue;
    const tenant =
      a.tenant === undefined ? undefined : model.tenants.find((t) => t.id === a.tenant);
    const stack = tenant ? tenant.stack : model.identity.domainRoleStack;
    if (stack) stacks.add(stack);
  }
  return stacks.size
    ? { groups: fresh.map((g) => `${g.name} of domain ${g.domain}`), stacks: [...stacks].sort() }
    : undefined;
}

/**
 * The legacy router moving between the bridge subnet's gateway and a port of its own on the same
 * network: its interface is replaced, which Neutron refuses while router routes go through it
 * (RouterInterfaceInUseByRoute) or a VPN connection uses the subnet, and the new port's address
 * is the old interface's until that goes.
 */
export function legacyAttachmentChange(previous: PreviousPlan, model: Model) {
  const legacy = model.legacyUnix;
  return legacy &&
    previous.legacyNetwork === legacy.network &&
    previous.legacySubnetGateway !== undefined &&
    previous.legacySubnetGateway !== legacy.subnetGateway
    ? { toPort: !legacy.subnetGateway }
    : undefined;
}

/**
 * Provider networks a tenant of both plans is no longer given while the network stays and is not
 * shared with every project: Neutron refuses to delete the share while the project has ports on
 * it (a wildcard share would cover them).
 */
export function droppedProviderShares(previous: PreviousPlan, model: Model) {
  const restricted = new Set(model.networks.filter((n) => !n.shared).map((n) => n.name));
  return model.tenants.flatMap((t) => {
    const dropped = (previous.providerShares?.get(t.id) ?? []).filter(
      (n) => restricted.has(n) && !t.providerNetworks.includes(n),
    );
    return dropped.length ? [{ tenant: t.id, networks: dropped }] : [];
  });
}

/**
 * Networks shared with every project in the previous plan and no longer: Neutron removes the
 * wildcard share only while every other project with ports there holds a share of its own, and the
 * tenants newly given the network get theirs from their stacks, applied after the platform's.
 */
export function unsharedNetworks(previous: PreviousPlan, model: Model) {
  return model.networks.flatMap((n) => {
    if (n.shared || !previous.sharedNetworks?.has(n.name)) return [];
    const before = (id: string) => previous.providerShares?.get(id)?.includes(n.name) ?? false;
    return [
      {
        network: n.name,
        granted: n.tenants.filter(before),
        pending: n.tenants.filter((id) => !before(id)),
      },
    ];
  });
}

/**
 * Legacy flow groups tenants of both plans are newly shared: Neutron puts no running instance's
 * port in a group, so their bridge ports lack its rules until an operator adds them.
 */
export function gainedLegacyGroups(previous: PreviousPlan, model: Model) {
  return model.tenants.flatMap((t) => {
    const before = previous.legacyShares.get(t.id);
    if (!before) return [];
    const gained = legacyShareNames(t.legacyGroups)
      .slice(1)
      .filter((s) => !before.includes(s));
    return gained.length ? [{ tenant: t.id, groups: gained }] : [];
  });
}

/**
 * Grants of both plans that move between a tenant's groups and identity.groupRoleMappings: their
 * Terraform address changes, and Terraform may delete the old address after creating the new
 * one, which is the same Keystone row (Keystone creates a grant once and deletes it once).
 */
export function movedGrants(previous: PreviousPlan, model: Model) {
  return model.tenants.flatMap((t) => {
    const before = previous.grants.get(t.id);
    if (!before) return [];
    return [...grantsOf(t)].flatMap(([grant, listed]) =>
      before.has(grant) && before.get(grant) !== listed ? [{ tenant: t.id, grant, listed }] : [],
    );
  });
}

/** An address as one form of text, however it was written (`FD00::B` is `fd00::b`). */
const sameAddress = (a: string, b: string) => {
  try {
    return canonicalAddress(a) === canonicalAddress(b);
  } catch {
    return a === b;
  }
};

/** Hosts of both plans whose address on a network of both changed. */
export function renumberedHosts(previous: PreviousPlan, model: Model) {
  const was = formerNames(previous, model);
  return model.nodes.flatMap((n) => {
    const before = previous.addresses.get(n.name);
    if (!before) return [];
    return Object.entries(n.addresses).flatMap(([network, address]) => {
      const from = before[network] ?? before[was.get(network) ?? ""];
      return from !== undefined && !sameAddress(from, address)
        ? [{ host: n.name, network, from, to: address }]
        : [];
    });
  });
}

/**
 * Networks that hosts of the previous plan join now (the Ceph monitors the internal API network,
 * for the RADOS Gateways): their switch ports must carry them before netplan puts addresses there.
 */
export function joinedNetworks(previous: PreviousPlan, model: Model) {
  const was = formerNames(previous, model);
  const joined = new Map<string, string[]>();
  for (const n of model.nodes) {
    const before = previous.addresses.get(n.name);
    if (!before || n.virtual) continue;
    for (const network of Object.keys(n.addresses))
      if (before[network] === undefined && before[was.get(network) ?? ""] === undefined)
        joined.set(network, [...(joined.get(network) ?? []), n.name]);
  }
  return [...joined]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([network, hosts]) => {
      const vlan = model.networks.find((x) => x.name === network)?.vlan;
      return { network, hosts, ...(vlan !== undefined ? { vlan } : {}) };
    });
}

/**
 * Provider VLANs new to this plan: every host that bridges their physical network needs the VLAN
 * trunked to its ports before an instance there reaches anything (Neutron tags it in Open vSwitch).
 */
export function newProviderVlans(previous: PreviousPlan, model: Model) {
  const before = previous.networks;
  if (!before) return [];
  return model.networks.flatMap((n) =>
    n.role === "provider" && n.neutron && n.vlan !== undefined && !before.has(n.name)
      ? [
          {
            network: n.name,
            vlan: n.vlan,
            physicalNetwork: n.physicalNetwork ?? "",
            hosts: model.deploy.hosts
              .filter((h) => h.bridges.some((b) => b.physicalNetwork === n.physicalNetwork))
              .map((h) => h.name),
          },
        ]
      : [],
  );
}

/**
 * Networks renamed since the previous plan: a new name whose role both plans give one network
 * alone (management, storage...), by its former name. A rename with a new block re-addresses.
 */
function formerNames(previous: PreviousPlan, model: Model): Map<string, string> {
  const roles = previous.networkRoles;
  if (!roles) return new Map();
  const byRole = (entries: Iterable<readonly [string, string]>) => {
    const out = new Map<string, string[]>();
    for (const [name, role] of entries) out.set(role, [...(out.get(role) ?? []), name]);
    return out;
  };
  const before = byRole(roles);
  const now = byRole(model.networks.map((n) => [n.name, n.role] as const));
  const out = new Map<string, string>();
  for (const [role, names] of now) {
    const old = before.get(role);
    if (names.length === 1 && old?.length === 1 && old[0] !== names[0] && !roles.has(names[0]))
      out.set(names[0], old[0]);
  }
  return out;
}

/**
 * Networks whose new block no longer holds the addresses running hosts have: no pin keeps them,
 * the hosts must be re-addressed. By network, with the old addresses' hosts.
 */
export function renumberedBlocks(previous: PreviousPlan, model: Model) {
  const out = new Map<string, { cidr: string; hosts: string[] }>();
  for (const m of renumberedHosts(previous, model)) {
    const net = model.networks.find((n) => n.name === m.network);
    if (!net || contains(parseCidr(net.cidr), m.from)) continue;
    const entry = out.get(net.name) ?? { cidr: net.cidr, hosts: [] };
    entry.hosts.push(m.host);
    out.set(net.name, entry);
  }
  return [...out].map(([network, e]) => ({ network, ...e }));
}

/**
 * Hosts of both plans that this plan puts in another rack (a rack added to a zone reshuffles the
 * round-robin): the servers stand where they stand, and Ceph's CRUSH map would move their data.
 */
export function movedRacks(previous: PreviousPlan, model: Model) {
  return model.nodes.flatMap((n) => {
    const before = previous.racks.get(n.name);
    return before === undefined || n.rack === undefined || before === n.rack
      ? []
      : [{ host: n.name, from: before, to: n.rack }];
  });
}

/**
 * The `hosts:` entries that keep every host of both plans at its previous addresses and in its
 * previous rack: the plan allocates the new hosts around them.
 */
export function pinnedHosts(
  previous: PreviousPlan,
  model: Model,
  /** Racks the spec's own hosts: entries set, kept as the user moved them. */
  racked: ReadonlyMap<string, string> = new Map(),
): string {
  // Only networks the host still joins and racks the design still has: a fixed address
  // elsewhere, or an undeclared rack, is refused (a controller as a VM stands in none).
  const blocks = new Map(model.networks.map((n) => [n.name, parseCidr(n.cidr)]));
  const renamedTo = new Map([...formerNames(previous, model)].map(([now, was]) => [was, now]));
  const inBlock = (network: string, address: string) => {
    const block = blocks.get(network);
    return block !== undefined && contains(block, address);
  };
  const declared = new Set(model.zones.flatMap((z) => z.racks));
  const gone = new Map<string, string[]>();
  const hosts = model.nodes.flatMap((n) => {
    const before = previous.addresses.get(n.name);
    if (!before) return [];
    // By the network's name now (a renamed one's former name mapped); an address its new block
    // no longer holds cannot be kept (renumberedBlocks).
    const kept = Object.entries(before).flatMap(([network, address]) => {
      const name = network in n.addresses ? network : renamedTo.get(network);
      return name !== undefined && name in n.addresses && inBlock(name, address)
        ? [[name, address] as const]
        : [];
    });
    const was = n.virtual ? undefined : (racked.get(n.name) ?? previous.racks.get(n.name));
    const rack = was !== undefined && declared.has(was) ? was : undefined;
    if (was !== undefined && rack === undefined) gone.set(was, [...(gone.get(was) ?? []), n.name]);
    return kept.length || rack !== undefined
      ? [{ name: n.name, addresses: Object.fromEntries(kept), ...(rack ? { rack } : {}) }]
      : [];
  });
  const removed = [...gone].sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    stringify({ hosts }, { lineWidth: 0 }) +
    removed
      .map(
        ([rack, names]) =>
          `# ${names.join(", ")} stood in rack ${rack}, which the design no longer declares: declare it again to keep ${names.length === 1 ? "that host" : "those hosts"} there\n`,
      )
      .join("")
  );
}

/**
 * The hosts this plan adds that the spec does not pin, and the `hosts:` entries that keep every
 * unpinned host where it is planned: once built they stand there, and a later pool or host
 * planned ahead of them would move them.
 */
export function newHostPins(
  previous: PreviousPlan,
  model: Model,
  pinned: ReadonlySet<string>,
): { readonly names: string[]; readonly entries: string } | undefined {
  const names = model.nodes
    .filter((n) => !previous.addresses.has(n.name) && !pinned.has(n.name))
    .map((n) => n.name);
  // Every unpinned host, not the new ones alone: pinned hosts are placed first, so pinning only
  // the new ones can move the others.
  const hosts = model.nodes
    .filter((n) => !pinned.has(n.name))
    .map((n) => ({
      name: n.name,
      addresses: { ...n.addresses },
      ...(n.rack && !n.virtual ? { rack: n.rack } : {}),
    }));
  return names.length ? { names, entries: stringify({ hosts }, { lineWidth: 0 }) } : undefined;
}

/** Flavors of both plans that change visibility: Nova replaces them, with a new id. */
export function flavorVisibilityChanges(previous: PreviousPlan, model: Model) {
  return model.pools.flatMap((p) =>
    p.flavors.flatMap((f) => {
      const before = previous.flavors.get(flavorKey(p.id, f.name));
      return before === undefined || before.public === f.public
        ? []
        : [{ pool: p.id, flavor: f.name, public: f.public }];
    }),
  );
}

/** Flavors of both plans whose size changes: Nova replaces them, with a new id. */
export function flavorSizeChanges(previous: PreviousPlan, model: Model) {
  return model.pools.flatMap((p) =>
    p.flavors.flatMap((f) => {
      const before = previous.flavors.get(flavorKey(p.id, f.name));
      const size = flavorSize(f);
      return before === undefined || before.size === size
        ? []
        : [{ pool: p.id, flavor: f.name, from: before.size, to: size }];
    }),
  );
}

/**
 * Running tenants whose routers let out only what they list from now on: connections their
 * instances open elsewhere stop at the next apply.
 */
export function newlyRestrictedEgress(previous: PreviousPlan, model: Model) {
  const policies = model.securityZones.firewall?.tenantPolicies ?? [];
  return model.tenants.filter(
    (t) =>
      policies.some((p) => p.tenant === t.id && p.egress) &&
      previous.tenantStacks.has(t.id) &&
      !previous.restrictedEgress?.has(t.id),
  );
}

/**
 * Running tenants whose server groups a network stack makes from now on (project credentials):
 * before, their members made them by hand, and Nova takes a second group of the same name.
 */
export function serverGroupsAdopted(previous: PreviousPlan, model: Model) {
  return model.tenants.flatMap((t) =>
    t.networkStack &&
    t.serverGroups.length &&
    previous.tenantStacks.has(t.id) &&
    !previous.projectNetworkTenants?.has(t.id)
      ? [
          {
            tenant: t.id,
            stack: t.networkStack.stack,
            // (groups new to the design were never made by hand)
            groups: t.serverGroups
              .filter((g) => previous.serverGroups.has(serverGroupKey(t.id, g)))
              .map((g) => g.novaName),
          },
        ].filter((a) => a.groups.length)
      : [],
  );
}

/**
 * Server groups of a tenant of both plans that Nova replaces or deletes, and whose servers leave
 * them: rules or Nova name changed (both are ForceNew; the name carries the naming prefix, the
 * pool and the group's name), or gone from the design. Nova deletes a group with members.
 */
export function serverGroupChanges(previous: PreviousPlan, model: Model) {
  const now = new Map(
    model.tenants.flatMap((t) => t.serverGroups.map((g) => [serverGroupKey(t.id, g), g] as const)),
  );
  const tenants = new Set(model.tenants.map((t) => t.id));
  // Only a network stack, applied with the project's own credentials, makes a tenant's groups;
  // with admin credentials a member of the project makes them by hand.
  const managed = new Set(model.tenants.filter((t) => t.networkStack).map((t) => t.id));
  const changed = model.tenants.flatMap((t) =>
    t.serverGroups.flatMap((g) => {
      const before = previous.serverGroups.get(serverGroupKey(t.id, g));
      if (!before) return [];
      const rules = serverGroupRules(g);
      const renamed = before.novaName !== undefined && before.novaName !== g.novaName;
      return before.rules === rules && !renamed
        ? []
        : [
            {
              tenant: t.id,
              group: g.novaName,
              managed: managed.has(t.id),
              change: [
                ...(before.rules === rules ? [] : [`${before.rules} -> ${rules}`]),
                ...(renamed ? [`named ${before.novaName} -> ${g.novaName}`] : []),
              ].join(", "),
            },
          ];
    }),
  );
  const gone = [...previous.serverGroups].flatMap(([key, before]) => {
    const tenant = key.slice(0, key.indexOf("/"));
    return now.has(key) || !tenants.has(tenant)
      ? []
      : [
          {
            tenant,
            group: before.novaName ?? key.slice(tenant.length + 1),
            managed: managed.has(tenant),
            change: "leaves the design",
          },
        ];
  });
  return [...changed, ...gone];
}

/**
 * Quotas of tenants of both plans that this plan lowers where the service refuses a limit below
 * what the project uses (HTTP 400 or 409; the provider never forces it), with their services.
 */
export function loweredQuotas(previous: PreviousPlan, model: Model) {
  return model.tenants.flatMap((t) => {
    const before = previous.tenantQuotas?.get(t.id);
    if (!before) return [];
    const now = quotaFigures(t.quota as unknown as Record<string, unknown>);
    const services = new Set<string>();
    const lowered = Object.entries(now).flatMap(([name, value]) => {
      const was = before[name];
      const service = checkedBy(name);
      // -1 is no limit.
      if (
        service === undefined ||
        was === undefined ||
        value === -1 ||
        (was !== -1 && value >= was)
      )
        return [];
      services.add(service);
      return [`${name} ${was === -1 ? "unlimited" : was} -> ${value}`];
    });
    return lowered.length ? [{ tenant: t.id, lowered, services: [...services].sort() }] : [];
  });
}

/**
 * Flavors of pools of both plans that leave the design or move to another pool: the platform
 * stack deletes them (running instances keep their copy), and a moved one may be created before
 * the old one is deleted, which Nova refuses (flavor names are unique).
 */
export function droppedFlavors(previous: PreviousPlan, model: Model) {
  const pools = new Set(model.pools.map((p) => p.id));
  const now = new Map(model.pools.flatMap((p) => p.flavors.map((f) => [f.name, p.id] as const)));
  return [...previous.flavors].flatMap(([key, plan]) => {
    const pool = key.slice(0, key.indexOf("/"));
    const flavor = key.slice(pool.length + 1);
    const to = now.get(flavor);
    // (a pool gone, renamed say, is refused as such; its flavors named again elsewhere move)
    if (to === pool || (!pools.has(pool) && to === undefined)) return [];
    // A private flavor's grants name its id: the new flavor is granted by the tenants' stacks.
    return [{ pool, flavor, ...(to !== undefined ? { to } : {}), private: !plan.public }];
  });
}

/**
 * What the previous plan made that the next apply destroys with its data: tenants gone from a
 * stack that stays (their stack's apply deletes the project and its networks; a stack of their
 * own is left alone), groups Keystone keeps itself (deleted with their members), and servers
 * the bare-metal stack provisioned.
 */
export function destroyedByApply(previous: PreviousPlan, model: Model): string[] {
  return destroyedItems(previous, model).map((i) => i.text);
}

/**
 * What `destroyedByApply` says, each with where the spec says it: a path (under the tenant named
 * by `tenant`, the path below it).
 */
export interface DestroyedItem {
  readonly text: string;
  readonly at: readonly (string | number)[];
  readonly tenant?: string;
  /** A compute server it names, cited where its pool is rather than at `at`. */
  readonly host?: string;
}

export function destroyedItems(previous: PreviousPlan, model: Model): DestroyedItem[] {
  const stacks = new Set(model.tenants.map((t) => t.stack));
  const tenants = new Set(model.tenants.map((t) => t.id));
  const groups = new Set(model.identity.keystoneGroups.map(groupKey));
  // A new tenant (one renamed whose id comes from its name, or given another id) is another
  // project: its subnet asks for a block a dropped one's still holds, and Keystone refuses a
  // second project of one name in a domain.
  const dropped = [...previous.tenantStacks.keys()].filter((id) => !tenants.has(id));
  const renamed = model.tenants.flatMap((t) => {
    if (previous.tenantStacks.has(t.id)) return [];
    const block = t.network && blockOf(t.network.cidr);
    const old = dropped.find((id) => {
      const before = blockOf(previous.tenantNetworks.get(id) ?? "");
      return block !== undefined && before !== undefined && overlaps(before, block);
    });
    return old === undefined
      ? []
      : [
          `tenant ${old}, which ${t.id} replaces on network ${t.network?.cidr} (a new project; set id: ${old} on it to keep the old one)`,
        ];
  });
  // Keystone keeps one project of a name per domain: a tenant taking a name another tenant's
  // project had in the last plan (dropped, or renamed in this one) may be renamed or created
  // before that one is renamed or deleted, and Keystone refuses it (409).
  const holders = new Map(
    [...(previous.tenantProjects ?? [])].map(([id, p]) => [projectKey(p.domain, p.name), id]),
  );
  const nameTaken = model.tenants.flatMap((t) => {
    const domain = t.domain ?? DEFAULT_DOMAIN;
    const key = projectKey(domain, t.name);
    const holder = holders.get(key);
    const own = previous.tenantProjects?.get(t.id);
    if (
      holder === undefined ||
      holder === t.id ||
      (own && projectKey(own.domain, own.name) === key)
    )
      return [];
    if (!previous.tenantStacks.has(t.id) && !tenants.has(holder))
      return [
        `tenant ${holder}, which ${t.id} replaces as project ${t.name} of domain ${domain} (a new project; set id: ${holder} on it to keep the old one)`,
      ];
    return [
      `the project name ${t.name} of domain ${domain}, which tenant ${holder}'s project had in the last plan (Keystone refuses a second project of one name, and ${t.id}'s may be named before ${holder}'s is renamed or deleted: first give ${holder} a name no project has and apply, then this one)`,
    ];
  });
  // A tenant of its own stack that leaves the design: nothing applies that stack again. With
  // local state its folder stays, named (cli/output.ts); with a remote backend the folder goes,
  // and its project, network and access would stay in the cloud, out of any plan.
  // (the state stays where the last plan kept it while the folders move to another backend)
  const remote =
    model.output.backend.type !== "local" ||
    (previous.stateBackend !== undefined && previous.stateBackend.type !== "local");
  // (one an earlier run already kept, gone from the last plan, was accepted then)
  const orphaned = dropped
    .filter((id) => remote && !previous.retired?.has(id))
    .filter((id) => !stacks.has(previous.tenantStacks.get(id) ?? ""))
    .map(
      (id) =>
        `tenant ${id} (stack ${previous.tenantStacks.get(id)} leaves the design, and with it the configuration its remote state needs: its project, network and access stay in the cloud unmanaged unless terraform destroy runs there first, after taking prevent_destroy off its project)`,
    );
  // The same for the grants on whole domains: an admin of a domain would stay one, unrevoked.
  const grantsOrphaned =
    remote && previous.domainGrants?.length && !model.identity.domainRoleStack
      ? [
          `the grants on whole domains (stack ${STACKS.domainRoles} leaves the design, and with it the configuration its remote state needs: ${someOf(previous.domainGrants)} stay in Keystone, revoked by nothing, unless terraform destroy runs there first)`,
        ]
      : [];
  // The same for the bare-metal stack: its servers would stay on the undercloud.
  const bareMetalOrphaned =
    remote && previous.bareMetal && !model.undercloud
      ? [
          `the servers of the bare-metal stack (it leaves the design with cloud.undercloud, and with it the configuration its remote state needs: its ${previous.addresses.size} servers, ${someOf([...previous.addresses.keys()].sort(), 5)}, stay on the undercloud, managed by nothing, unless terraform destroy runs there first)`,
        ]
      : [];
  // A tenant's subnet is replaced with its block (cidr is ForceNew): the router interface goes
  // first, then Neutron refuses the subnet its instances' ports use (SubnetInUse).
  const renetworked = model.tenants.flatMap((t) => {
    const before = previous.tenantNetworks.get(t.id);
    if (before === undefined || !previous.tenantStacks.has(t.id)) return [];
    if (!t.network)
      return [
        `the network of tenant ${t.id} (${before}: its router, subnet and network; Neutron refuses to delete them while instance ports use them: delete the instances' ports first)`,
      ];
    return sameBlock(before, t.network.cidr)
      ? []
      : [
          `the subnet of tenant ${t.id} (${before} -> ${t.network.cidr}: Terraform replaces it and its router interface, and Neutron refuses to delete a subnet its instances' ports use, leaving the tenant unrouted: move the instances off it first, or keep the block)`,
        ];
  });
  // Keystone cannot move a project to another domain: Terraform would replace it, which its
  // prevent_destroy stops at plan.
  const moved = model.tenants.flatMap((t) => {
    const before = previous.tenantProjects?.get(t.id);
    const domain = t.domain ?? DEFAULT_DOMAIN;
    return before && before.domain !== domain
      ? [
          `the project of tenant ${t.id} (it moves from domain ${before.domain} to ${domain}, which Keystone cannot do: Terraform would replace it, and its prevent_destroy stops the plan; keep the domain, or give the tenant a new id for a new project there)`,
        ]
      : [];
  });
  // The platform's Neutron networks: an external one holds the routers' gateways and floating
  // IPs, a provider one the instances' ports (NetworkInUse).
  const networkNow = new Map(model.networks.filter((n) => n.neutron).map((n) => [n.name, n.cidr]));
  const goneNetworks = [...(previous.networks ?? [])].flatMap(([name, cidr]) => {
    const now = networkNow.get(name);
    if (now === undefined)
      return [
        `network ${name} (the platform stack deletes it: Neutron refuses while routers' gateways, floating IPs or ports use it)`,
      ];
    return cidr === "" || sameBlock(cidr, now)
      ? []
      : [
          `the subnet of network ${name} (${cidr} -> ${now}: Terraform replaces it, and Neutron refuses to delete a subnet ports use, SubnetInUse)`,
        ];
  });
  // The provider sends a new segment as the network's `segments`, which ML2 does not update (it
  // changes only a lone segment's provider:segmentation_id, and only while no port is bound):
  // the change never applies, and every plan shows it again.
  const resegmented = model.networks.flatMap((n) => {
    const before = previous.segments?.get(n.name);
    const now = segmentOf(n);
    return n.neutron && before !== undefined && before !== now
      ? [
          `the segment of network ${n.name} (${before} -> ${now}: Neutron does not move a network to another segment through the provider's update, so every plan would show it again, and the switches and hosts carry the old one; make a network of another name on the new segment and move the ports there)`,
        ]
      : [];
  });
  // Neutron refuses to delete a subnet pool with allocations, and to drop any of its prefixes
  // (a new set must hold the old one: IllegalSubnetPoolPrefixUpdate).
  const poolNow = model.network.tenantSubnetPool?.prefixes.map(blockOf) ?? [];
  const shrunk = (previous.subnetPool ?? []).filter((prefix) => {
    const old = blockOf(prefix);
    return (
      old !== undefined &&
      !poolNow.some(
        (p) => p !== undefined && overlaps(p, old) && p.first <= old.first && old.last <= p.last,
      )
    );
  });
  const pool = shrunk.length
    ? [
        `the tenant subnet pool's ${shrunk.join(", ")} (${model.network.tenantSubnetPool ? "Neutron keeps every prefix a pool had: a new set must hold the old one" : "Neutron refuses to delete a pool whose blocks tenants hold"})`,
      ]
    : [];
  // The bare-metal stack deletes a server gone from the design (renamed, it is another one).
  const nodes = new Set(model.nodes.map((n) => n.name));
  const goneServers =
    previous.bareMetal && model.undercloud
      ? [...previous.addresses.keys()].filter((name) => !nodes.has(name))
      : [];
  // A compute server takes the instances running on it: Nova must let go of them first.
  const wasCompute = new Set(previous.computeHosts ?? []);
  const goneComputes = goneServers.filter((name) => wasCompute.has(name));
  const servers = [
    ...(goneComputes.length
      ? [
          `compute ${goneComputes.length === 1 ? "server" : "servers"} ${someOf(goneComputes, 5)} (the bare-metal stack deletes ${goneComputes.length === 1 ? "it" : "them"} on the undercloud, with the instances running there: first, ${computeRemovalSteps(true, gonePoolIds(previous, model))})`,
        ]
      : []),
  ];
  // A pool gone (renamed, or its zone) takes its aggregate and flavors: Nova deletes the flavors
  // its instances run with, and they find no host to move or resize to.
  const gonePools = gonePoolIds(previous, model).map(
    (pool) =>
      `pool ${pool} (its aggregate and flavors: the platform stack deletes them, and its instances' flavors with them; those flavors pin its instances to its aggregate, so no host of another pool, its own hosts renamed into one included, takes them to migrate, evacuate or unshelve: keep the pool until each is resized to a flavor of the pool replacing it)`,
  );
  // A volume type's address is its backend's name: a backend gone (renamed, it is another)
  // takes its type, QoS and grants. Cinder refuses to delete a type volumes use or the default
  // one, and to make a second type of one name (409) when the renamed backend keeps it.
  const backendNow = new Map(model.storage.backends.map((b) => [b.name, b.volumeType]));
  const goneBackends = [...(previous.backendTypes ?? [])]
    .filter(([name]) => !backendNow.has(name))
    .map(([name, type]) => {
      const heir = [...backendNow].find(([, t]) => t === type)?.[0];
      return `volume type ${type} of backend ${name} (the platform stack deletes it, its QoS and its grants${heir ? `, and makes ${type} again for backend ${heir}, which Cinder refuses while the old one stands` : ""}; Cinder refuses to delete a type volumes use, or the default type: keep the backend's name)`;
    });
  // Swift cannot rename a container or change its storage policy: Terraform deletes it and makes
  // another, and Swift refuses to delete a container that holds objects (409).
  const containersNow = new Map(
    (model.storage.swift?.containers ?? [])
      .filter((c) => c.account === "platform")
      .map((c) => [c.name, c.storagePolicy ?? ""]),
  );
  const goneContainers = [...(previous.platformContainers ?? [])].flatMap(([name, policy]) => {
    const now = containersNow.get(name);
    if (now === undefined)
      return [
        `Swift container ${name} (the platform stack deletes it, which Swift refuses while it holds objects; a renamed container is another one: copy the objects first)`,
      ];
    // (none, or the default one, is what a container without a policy of its own read back)
    const defaultPolicy = model.storage.swift?.policies.find((p) => p.default)?.name;
    return now === policy || now === "" || (policy === "" && now === defaultPolicy)
      ? []
      : [
          `Swift container ${name} (its storage policy goes from ${policy || "the default"} to ${now}: Swift keeps a container's policy for life, so Terraform deletes it and makes it again, which Swift refuses while it holds objects)`,
        ];
  });
  // A domain gone from the design goes from the platform stack, and its prevent_destroy with it:
  // Keystone deletes its projects, users, groups and role assignments with it.
  const domainsNow = new Set(model.identity.domains.map((d) => d.name));
  const goneDomains = [...previous.directories.keys()]
    .filter((d) => !domainsNow.has(d))
    .map(
      (d) =>
        `domain ${d} (the platform stack deletes it, and Keystone its projects, users, groups and role assignments with it: its prevent_destroy leaves the configuration with it)`,
    );
  // An LVM or ZFS backend's volumes are on its hosts' disks: a host it leaves takes them.
  const hostsNow = new Map(model.storage.backends.map((b) => [b.name, new Set(b.hosts)]));
  const goneVolumeHosts = [...(previous.localVolumeHosts ?? [])].flatMap(([backend, hosts]) => {
    const now = hostsNow.get(backend);
    const gone = now ? hosts.filter((h) => !now.has(h)) : [];
    return gone.length
      ? [
          `the volumes of backend ${backend} on ${gone.join(", ")} (they are on ${gone.length === 1 ? "its" : "their"} disks, which no cinder-volume serves once Kolla leaves ${gone.length === 1 ? "it" : "them"} out: move them to the other hosts first, with cinder migrate)`,
        ]
      : [];
  });
  // Each where the spec says it, or the nearest section it leaves out: a tenant's by its id.
  const at =
    (path: readonly (string | number)[], tenantOf?: (text: string) => string | undefined) =>
    (texts: readonly string[]): DestroyedItem[] =>
      texts.map((text) => {
        const tenant = tenantOf?.(text);
        return { text, at: path, ...(tenant !== undefined ? { tenant } : {}) };
      });
  // (the tenant the text names first: "tenant <id>", "tenant <id>'s", "the subnet of tenant <id>")
  const named = (text: string) => /\btenant ([^\s,'()]+)/.exec(text)?.[1];
  return [
    ...at(["identity", "domains"])(goneDomains),
    ...at(["storage", "backends"])(goneVolumeHosts),
    ...at(["tenants"])(renamed),
    ...at(["tenants"])(nameTaken),
    ...at(["storage", "backends"])(goneBackends),
    ...at(["storage", "swift", "containers"])(goneContainers),
    ...at(["tenants"])(orphaned),
    ...at(["identity"])(grantsOrphaned),
    ...at(["cloud"])(bareMetalOrphaned),
    ...at(["network", "cidr"], named)(renetworked),
    ...at(["domain"], named)(moved),
    ...at(["network", "networks"])(goneNetworks),
    ...at(["network", "networks"])(resegmented),
    ...at(["network", "tenantSubnetPool"])(pool),
    ...goneServers
      .filter((name) => !wasCompute.has(name))
      .map((name) => ({
        text: `server ${name} (the bare-metal stack deletes it on the undercloud)`,
        at: sectionOfRole(
          previous.servers?.get(name)?.role,
          model.nodes.some((n) => n.role === "deployer"),
        ),
      })),
    ...at(["zones"])(servers).map((item) => ({ ...item, host: goneComputes[0] })),
    ...at(["zones"])(gonePools),
    ...at(["tenants"])(
      [...previous.tenantStacks]
        .filter(([id, stack]) => !tenants.has(id) && stacks.has(stack))
        .map(([id, stack]) => `tenant ${id} (its project, network and access in stack ${stack})`),
    ),
    ...at(["tenants"])(
      [...previous.keystoneGroups]
        .filter(([key]) => !groups.has(key))
        .map(([, group]) => `${group} (and its members)`),
    ),
  ].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** The section of the spec that names a server of this role, where a removal is cited. */
function sectionOfRole(role: string | undefined, ownDeployer: boolean): readonly string[] {
  switch (role) {
    case "controller":
      return ["controlPlane"];
    case "network":
      return ["controlPlane", "networkNodes"];
    case "ceph-osd":
    case "ceph-mon":
      return ["storage", "ceph"];
    case "swift-proxy":
    case "swift-storage":
      return ["storage", "swift"];
    case "block-storage":
      return ["storage", "blockStorageNodes"];
    // (without a host of its own the deployer runs on a controller: the spec's deployer section
    // may be gone)
    case "deployer":
      return ownDeployer ? ["deployer", "hostname"] : ["controlPlane"];
    default:
      return ["zones"];
  }
}

/**
 * Compute hosts the previous plan had and this one drops, where no undercloud deletes them (its
 * refusal names those): Kolla-Ansible's removal runs while the host is still in the inventory.
 */
export function droppedComputeHosts(previous: PreviousPlan, model: Model): string[] {
  if (previous.bareMetal && model.undercloud) return [];
  const now = new Set(model.nodes.filter((n) => n.roles.includes("compute")).map((n) => n.name));
  return [...(previous.computeHosts ?? [])].filter((h) => !now.has(h)).sort();
}

/**
 * A pool's flavors pin its instances to its aggregate: with its last host disabled, live
 * migration finds no host for them, so they move by a resize to another pool's flavor first.
 */
const pinnedPoolSteps = (pools: readonly string[]) =>
  `pool${pools.length === 1 ? "" : "s"} ${someOf(pools, 5)} ${pools.length === 1 ? "goes" : "go"}, whose instances run flavors pinned to ${pools.length === 1 ? "its aggregate" : "their aggregates"} (aggregate_instance_extra_specs), which no other host takes: live migration finds none once the last host is disabled; keep ${pools.length === 1 ? "it" : "them"} in the design beside the pools replacing ${pools.length === 1 ? "it" : "them"} until their hosts are deployed and the platform stack applied, resize each instance to a flavor of its new pool (openstack server resize --flavor <flavor> <server>, then openstack server resize confirm <server>) or delete it, then remove ${pools.length === 1 ? "it" : "them"}; `;

/** Pools of the previous plan this one drops (renamed, or their zone), by id. */
export function gonePoolIds(previous: PreviousPlan, model: Model): string[] {
  const now = new Set(model.pools.map((p) => p.id));
  return [...previous.pools].filter((p) => !now.has(p)).sort();
}

/**
 * Kolla-Ansible's steps for removing compute hosts (adding-and-removing-hosts): their agents and
 * services deleted before the hosts stop would register again at their next heartbeat.
 */
export const computeRemovalSteps = (undercloud: boolean, gonePools: readonly string[] = []) =>
  `${gonePools.length ? pinnedPoolSteps(gonePools) : ""}for each host: openstack compute service set --disable <host> nova-compute; live-migrate its instances (openstack --os-compute-api-version 2.25 server migrate --live-migration for each of openstack server list --all-projects --host <host>: from 2.25 Nova block-migrates local disks itself) and check they moved; with the previous inventory, kolla-ansible stop -i deploy/kolla/inventory --yes-i-really-really-mean-it --limit <host>${undercloud ? "; synthesize with --destroy-removed and apply the bare-metal stack, which deletes the server" : ""}; then openstack network agent delete for each of openstack network agent list --host <host>, and openstack compute service delete --os-compute-api-version 2.53 for each of its compute services (Kolla-Ansible's guide to removing hosts)`;

/**
 * Neutron plumbing a running cloud cannot change in place: the mechanism (Open vSwitch or OVN),
 * a type driver its networks' segments need, or the segment of Octavia's management network,
 * which Kolla-Ansible made and keeps (its prepare task changes no segment).
 */
export function neutronPlumbingChanges(previous: PreviousPlan, model: Model): string[] {
  const out: string[] = [];
  const now = model.deploy.neutron;
  const before = previous.neutron;
  if (before && before.mechanism !== now.mechanism)
    out.push(
      `Neutron moves from ${MECHANISM_NAMES[before.mechanism] ?? before.mechanism} to ${MECHANISM_NAMES[now.mechanism] ?? now.mechanism}: Kolla-Ansible migrates no running cloud, and every network, router and port stays on the old agents' plumbing`,
    );
  const dropped = (before?.typeDrivers ?? []).filter((t) => !now.typeDrivers.includes(t));
  if (dropped.length)
    out.push(
      `ML2 no longer loads the ${dropped.join(", ")} type driver${dropped.length === 1 ? "" : "s"}, whose segments the running networks keep: Neutron stops serving them`,
    );
  // Running VLAN tenant networks keep their segments: on another physical network no host maps
  // theirs, and VLANs left out of the range are no longer trunked.
  const physnet = model.network.tenantPhysicalNetwork;
  if (previous.tenantPhysicalNetwork && physnet && physnet !== previous.tenantPhysicalNetwork)
    out.push(
      `VLAN tenant networks move from physical network ${previous.tenantPhysicalNetwork} to ${physnet}: the running ones keep their segments on ${previous.tenantPhysicalNetwork}, which the hosts' bridge mappings and ML2's VLAN ranges no longer carry, so their instances lose their network`,
    );
  const range = model.network.tenantVlanRange;
  const was = previous.tenantVlanRange;
  if (was && range && (range.min > was.min || range.max < was.max))
    out.push(
      `the tenant VLAN range narrows from ${was.min}-${was.max} to ${range.min}-${range.max}: running tenant networks keep the VLANs Neutron gave them, and those outside the new range are no longer trunked to the hosts (the switch table and runbook follow the range)`,
    );
  // (Octavia leaving is refused for its load balancers, not for a network nothing uses then)
  const octavia = model.controlPlane.octavia && model.networks.find((n) => n.role === "octavia");
  const segment = octavia && segmentOf(octavia);
  if (previous.octaviaSegment !== undefined && segment && segment !== previous.octaviaSegment)
    out.push(
      `Octavia's management network ${octavia.name} moves from ${previous.octaviaSegment} to ${segment}: Kolla-Ansible keeps the network it made, so the health managers would listen where no amphora is`,
    );
  return out;
}

const MECHANISM_NAMES: Readonly<Record<string, string>> = { ovs: "Open vSwitch", ovn: "OVN" };

/** How an erasure-coded policy keeps objects, as Swift reads them back: fragments and type. */
const keptAs = (ec: Record<string, unknown>) =>
  `${String(ec.dataFragments)}+${String(ec.parityFragments)} ${String(ec.type)}`;

/**
 * Swift storage policies this plan drops or codes otherwise: Swift keeps each object under its
 * policy's index and reads an erasure-coded one's fragments by the policy's scheme. A cluster
 * without policies has Swift's own replicated Policy-0; a name may change (Swift allows it).
 */
export function swiftPolicyChanges(
  previous: PreviousPlan,
  model: Model,
): { index: number; change: string }[] {
  // (Swift leaving the design is the services' and containers' checks to judge)
  if (!model.storage.swift || !previous.swiftPolicies) return [];
  const implicit = [{ name: "Policy-0", kept: "replicated" }];
  const before = previous.swiftPolicies.length ? previous.swiftPolicies : implicit;
  const now = model.storage.swift.policies.length
    ? model.storage.swift.policies.map((p) => ({
        name: p.name,
        kept: p.erasureCoding ? keptAs({ ...p.erasureCoding }) : "replicated",
      }))
    : implicit;
  const how = (kept: string) => (kept === "replicated" ? "as copies" : `in ${kept} erasure coding`);
  return before.flatMap((b, index) => {
    const p = now[index];
    if (!p)
      return [
        {
          index,
          change: `policy ${b.name} (index ${index}) is gone, and its containers' objects with it`,
        },
      ];
    return p.kept === b.kept
      ? []
      : [
          {
            index,
            change: `policy ${b.name} (index ${index}${p.name !== b.name ? `, now ${p.name}` : ""}) kept objects ${how(b.kept)} and would keep them ${how(p.kept)}: Swift could no longer read those it holds`,
          },
        ];
  });
}

/** Each ring's replicas: the account and container rings' and every policy's object ring. */
const swiftRingReplicas = (swift: {
  replicas: number;
  policies: readonly { ring: string; replicas: number }[];
}) =>
  new Map([
    ["account", swift.replicas],
    ["container", swift.replicas],
    ...(swift.policies.length
      ? swift.policies.map((p) => [p.ring, p.replicas] as const)
      : [["object", swift.replicas] as const]),
  ]);

/**
 * Swift rings this plan adds to a running cluster (a storage policy added) and replicated rings
 * whose copies change: rings.sh builds only missing rings, so both are steps on the running
 * cluster. (An erasure-coded ring's count is its policy's scheme, refused to change.)
 */
export function swiftRingChanges(previous: PreviousPlan, model: Model) {
  const swift = model.storage.swift;
  const before = previous.swiftRings;
  if (!swift || !before) return undefined;
  const now = swiftRingReplicas(swift);
  const policyOf = new Map(swift.policies.map((p) => [p.ring, p]));
  const added = [...now.keys()].filter((ring) => !before.has(ring));
  const replicas = [...now].flatMap(([ring, to]) => {
    const from = before.get(ring);
    const policy = policyOf.get(ring);
    // (a plan without policies had Swift's replicated Policy-0)
    const keptBefore = previous.swiftPolicies?.length
      ? previous.swiftPolicies[policy?.index ?? 0]?.kept
      : "replicated";
    const coded =
      policy?.erasureCoding !== undefined || (policy !== undefined && keptBefore !== "replicated");
    return from === undefined || from === to || coded ? [] : [{ ring, from, to }];
  });
  return added.length || replicas.length
    ? {
        added: added.map((ring) => ({
          ring,
          policy: policyOf.get(ring)?.name ?? ring,
          index: policyOf.get(ring)?.index ?? 0,
        })),
        replicas,
      }
    : undefined;
}

/** The Swift rings' partition power, when this plan changes it: running rings keep theirs. */
export function swiftPartitionPowerChange(previous: PreviousPlan, model: Model) {
  const now = model.storage.swift?.partitionPower;
  const before = previous.swiftPartitionPower;
  return before !== undefined && now !== undefined && now !== before ? { before, now } : undefined;
}

/** The hosts of each Ceph backend in a model.json's storage section. */
function cephVolumeHostsOf(model: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const storage = isRecord(model.storage) ? model.storage : {};
  for (const b of Array.isArray(storage.backends) ? storage.backends : [])
    if (isRecord(b) && b.kind === "ceph" && typeof b.name === "string" && Array.isArray(b.hosts))
      out.set(b.name, b.hosts.map(String));
  return out;
}

/** The cinder-volume cluster of a model.json's deploy section, when it had one. */
function volumeClusterOf(model: Record<string, unknown>): { volumeCluster?: string } {
  const deploy = isRecord(model.deploy) ? model.deploy : {};
  const cinder = isRecord(deploy.cinder) ? deploy.cinder : {};
  const hosts = isRecord(cinder.volumeHosts) ? cinder.volumeHosts : {};
  return hosts.mode === "cluster" && typeof hosts.cluster === "string"
    ? { volumeCluster: hosts.cluster }
    : {};
}

/** The monitors of a model.json's Ceph, when it had one. */
function cephMonitorsOf(model: Record<string, unknown>): string[] {
  const storage = isRecord(model.storage) ? model.storage : {};
  const ceph = isRecord(storage.ceph) ? storage.ceph : {};
  return Array.isArray(ceph.monitors) ? ceph.monitors.map(String) : [];
}

/**
 * Host configuration (netplan per host, chrony per role) this synth changes against what the
 * previous one wrote into the folder, by the hashes its manifest recorded (a file the user edited
 * counts as written): running hosts keep theirs, as the bare-metal stack's user data applies once.
 */
/**
 * What of a file a deployer or Terraform reads, by its kind, where a change elsewhere in it asks
 * nothing of the operator: YAML's and INI's text but whole-line `#` comments; a stack's JSON but
 * cdktf's `//` metadata and the attributes a resource's lifecycle ignores (no plan shows them).
 */
function readView(file: string): ((text: string) => string) | undefined {
  const neutron = file.endsWith(path.join(STAGE_FOLDERS.kolla, "config", "neutron.conf"));
  // (Kolla's inventory is Ansible's INI, whose comments start with # or ;)
  const inventory = file.endsWith(path.join(STAGE_FOLDERS.kolla, "inventory"));
  if (/\.(ya?ml|conf|ini|cfg)$/.test(file) || inventory)
    return (text) => {
      const lines = text
        .split("\n")
        .filter((line) => !(inventory ? /^\s*[#;]/ : /^\s*#/).test(line));
      return (neutron ? withoutApiQuotas(lines) : lines).join("\n");
    };
  if (file.endsWith(".tf.json")) return (text) => JSON.stringify(terraformSeen(JSON.parse(text)));
  return undefined;
}

/**
 * neutron.conf without the quotas the platform stack also sets on the admin's project through
 * Neutron's API (AdminProjectQuotas): a change of those takes a platform apply, not a
 * neutron-server restart. quota_firewall_rule has no such API and stays; so does a [quotas]
 * section that keeps an option.
 */
function withoutApiQuotas(lines: readonly string[]): string[] {
  // (blank lines too, which INI ignores and which surround the section)
  const option = (line: string) => /^\s*(\w+)\s*=/.exec(line)?.[1] ?? "";
  const kept = lines.filter(
    (line) => line.trim() !== "" && !Object.hasOwn(ADMIN_API_QUOTAS, option(line)),
  );
  return kept.filter((line, i) => {
    // (what follows a section may be another, or a Jinja block of Kolla's template)
    return line.trim() !== "[quotas]" || /^\s*\w+\s*=/.test(kept[i + 1] ?? "");
  });
}

/** A stack's JSON configuration as Terraform plans it: no metadata, no ignored attributes. */
function terraformSeen(config: unknown): unknown {
  if (!isRecord(config)) return config;
  const rest: Record<string, unknown> = { ...config };
  delete rest["//"];
  const resources = isRecord(rest.resource) ? rest.resource : {};
  const kept = Object.fromEntries(
    Object.entries(resources).map(([type, byName]) => [
      type,
      isRecord(byName)
        ? Object.fromEntries(
            Object.entries(byName).map(([name, r]) => {
              if (!isRecord(r)) return [name, r];
              const ignored = isRecord(r.lifecycle) ? r.lifecycle.ignore_changes : undefined;
              const drop = new Set(["//", ...(Array.isArray(ignored) ? ignored.map(String) : [])]);
              return [name, Object.fromEntries(Object.entries(r).filter(([k]) => !drop.has(k)))];
            }),
          )
        : byName,
    ]),
  );
  return { ...rest, resource: kept };
}

/**
 * Whether the file the last run wrote (still as it wrote it) reads as `content` does to its
 * consumer (readView).
 */
function readsTheSame(file: string, sha: string, content: string | Buffer): boolean {
  const view = readView(file);
  if (!view) return false;
  try {
    const before = readRegularFile(file);
    return sha256(before) === sha && view(before.toString("utf8")) === view(content.toString());
  } catch {
    return false;
  }
}

/** A stack's configuration file, in either format: its stack's name. */
const STACK_FILE = /^terraform\/([^/]+)\/cdk\.tf(?:\.json)?$/;

export function changedHostConfig(
  outDir: string,
  files: ReadonlyMap<string, string | Buffer>,
): {
  /** Stacks of the folder whose configuration changes. */
  terraform: string[];
  /** Stacks new to a folder whose Terraform an earlier run wrote. */
  newStacks: string[];
  netplan: string[];
  chrony: string[];
  droppedKollaConfig: string[];
  kolla: string[];
  ceph: string[];
  /** The monitors' setting an earlier pools.sh made, which this one no longer does. */
  subtreeLimitDropped: boolean;
} {
  let manifest: ReturnType<typeof readManifest>;
  try {
    manifest = readManifest(outDir);
  } catch {
    return {
      terraform: [],
      newStacks: [],
      netplan: [],
      chrony: [],
      droppedKollaConfig: [],
      kolla: [],
      ceph: [],
      subtreeLimitDropped: false,
    };
  }
  // The part of each file's name the pattern takes, where the last run wrote that file with other
  // content (or, with `added`, did not write it while it wrote the folder).
  const changed = (pattern: RegExp, added = false) => {
    const had = (folder: string) =>
      Object.keys(manifest?.files ?? {}).some((name) => name.startsWith(folder));
    return [...files]
      .flatMap(([name, content]) => {
        const which = pattern.exec(name)?.[1];
        const before = manifest?.files[name]?.sha256;
        if (which === undefined || before === sha256(content)) return [];
        if (before && readsTheSame(path.join(outDir, name), before, content)) return [];
        return before || (added && had(name.slice(0, name.length - which.length))) ? [which] : [];
      })
      .sort();
  };
  // Files of a deployer's folder, changed or new.
  const changedOrNew = (folder: string) => changed(new RegExp(`^${folder}/(.+)$`), true);
  // The runbook copies the Kolla configuration over /etc/kolla/config, which keeps a file this
  // run no longer writes: Kolla would go on merging it (a metric store's old driver, say).
  const kollaConfig = `${STAGE_FOLDERS.kolla}/config/`;
  return {
    // (a stack's configuration, in either format)
    terraform: changed(STACK_FILE),
    newStacks: (() => {
      // (by stack, in either format: a stack written in the other one is no new stack)
      const had = new Set(
        Object.keys(manifest?.files ?? {}).flatMap((f) => STACK_FILE.exec(f)?.[1] ?? []),
      );
      if (!had.size) return [];
      return [...files.keys()].flatMap((name) => {
        const stack = STACK_FILE.exec(name)?.[1];
        return stack !== undefined && !had.has(stack) ? [stack] : [];
      });
    })(),
    netplan: changed(new RegExp(`^${STAGE_FOLDERS.netplan}/(.+)\\.yaml$`)),
    // What the deployers read: running services take a change only when they are run again.
    kolla: changedOrNew(STAGE_FOLDERS.kolla),
    ceph: changedOrNew(STAGE_FOLDERS.ceph),
    chrony: changed(new RegExp(`^${STAGE_FOLDERS.chrony}/(.+)\\.conf$`)),
    droppedKollaConfig: Object.keys(manifest?.files ?? {})
      .filter((name) => name.startsWith(kollaConfig) && !files.has(name))
      .map((name) => name.slice(kollaConfig.length))
      .sort(),
    subtreeLimitDropped: (() => {
      const pools = `${STAGE_FOLDERS.ceph}/pools.sh`;
      const setting = /^ceph config set mon mon_osd_down_out_subtree_limit /m;
      if (!manifest?.files[pools] || setting.test(String(files.get(pools) ?? ""))) return false;
      try {
        return setting.test(readRegularFile(path.join(outDir, pools)).toString("utf8"));
      } catch {
        return false;
      }
    })(),
  };
}

/** The local state path earlier versions wrote into a stack's backend block. */
const oldStatePath = (stack: string) => `"../${stack}/terraform.tfstate"`;

/**
 * Stack folders whose configuration spells its local state `../<stack>/terraform.tfstate`, as
 * earlier versions wrote it: a `terraform init` without `.terraform`, or with `-reconfigure`,
 * takes that for another file than Terraform's default and empties the state.
 */
export function respeltLocalState(outDir: string, model: Model): string[] {
  if (model.output.backend.type !== "local") return [];
  const root = path.join(outDir, "terraform");
  let stacks: string[];
  try {
    stacks = fs.readdirSync(root);
  } catch {
    return [];
  }
  return stacks
    .filter((stack) =>
      STACK_FILES.some((file) => {
        try {
          return fs
            .readFileSync(path.join(root, stack, file), "utf8")
            .includes(oldStatePath(stack));
        } catch {
          return false;
        }
      }),
    )
    .sort();
}

/**
 * A kept stack configuration (a stack that left the design but holds state) in this version's
 * spelling of its local state; undefined when it has none of the old one.
 */
export function respellLocalState(rel: string, text: string): string | undefined {
  const m = /^terraform\/([^/]+)\/(cdk\.tf\.json|cdk\.tf)$/.exec(rel);
  if (!m || !text.includes(oldStatePath(m[1]))) return undefined;
  return text.split(oldStatePath(m[1])).join('"terraform.tfstate"');
}

/**
 * Hosts the previous synth planned without an undercloud that the bare-metal stack now
 * provisions: if they run already, its apply deploys other machines with their addresses.
 */
export function newlyProvisioned(previous: PreviousPlan, model: Model): string[] {
  if (previous.bareMetal || !model.undercloud) return [];
  return model.nodes.filter((n) => previous.addresses.has(n.name)).map((n) => n.name);
}

/**
 * Compute hosts new in this plan: the platform stack puts them in their pools' aggregates, which
 * take a host only once Nova has registered it, so Kolla deploys them first.
 */
export function newComputeHosts(previous: PreviousPlan, model: Model): string[] {
  return model.nodes
    .filter((n) => n.role === "compute" && !previous.addresses.has(n.name))
    .map((n) => n.name);
}

/**
 * Hosts new to the plan that Kolla-Ansible deploys beside the compute hosts (network nodes,
 * controllers, volume hosts), by role: nothing deploys them until it is run for them.
 */
export function newKollaHosts(previous: PreviousPlan, model: Model) {
  if (!previous.addresses.size) return [];
  const roles = ["controller", "network", "block-storage"] as const;
  // (each host once, by the first of these roles it has: a controller may run the agents too)
  const fresh = model.nodes.filter(
    (n) => !previous.addresses.has(n.name) && !n.roles.includes("compute"),
  );
  return roles.flatMap((role) => {
    const hosts = fresh
      .filter((n) => roles.find((r) => n.roles.includes(r)) === role)
      .map((n) => n.name);
    return hosts.length ? [{ role, hosts }] : [];
  });
}

/**
 * Ceph hosts the previous plan had not, joining a cluster it had: the README's Ceph block
 * bootstraps a cluster and is not run again; cephadm adds them from cluster.yaml once they accept
 * its SSH key.
 */
export function newCephHosts(previous: PreviousPlan, model: Model) {
  const ceph = model.deploy.ceph;
  if (!ceph || previous.cephMonitors.length === 0) return undefined;
  const hosts = ceph.hosts.filter((h) => !previous.addresses.has(h.name));
  return hosts.length
    ? { bootstrap: ceph.bootstrapHost, hosts: hosts.map((h) => h.name) }
    : undefined;
}

/**
 * The undercloud's image or key pair changing: only servers deployed from then on take them (the
 * bare-metal stack never redeploys a server), running hosts keep theirs.
 */
/**
 * Hosts of both plans on other hardware, another bare-metal flavor, or moved between a server and
 * a VM: nothing redeploys a running host (the bare-metal stack ignores its flavor), while its
 * Kolla and netplan settings now fit the new one.
 */
export function serverChanges(previous: PreviousPlan, model: Model) {
  // (a flavor is the undercloud's: without one, only the hardware says what a host is)
  const undercloud = previous.bareMetal && model.undercloud !== undefined;
  return model.nodes.flatMap((n) => {
    const before = previous.servers?.get(n.name);
    if (!before || !previous.addresses.has(n.name)) return [];
    const shown = (v: { hardware: string; flavor?: string; virtual: boolean }) =>
      `${v.virtual ? "a VM" : `hardware ${v.hardware}`}${undercloud && v.flavor ? ` (flavor ${v.flavor})` : ""}`;
    const now = { hardware: n.hardware, flavor: n.baremetalFlavor, virtual: n.virtual === true };
    const changed =
      before.virtual !== now.virtual ||
      (!now.virtual && before.hardware !== now.hardware) ||
      (undercloud && before.flavor !== undefined && before.flavor !== now.flavor);
    return changed
      ? [
          {
            host: n.name,
            role: n.role,
            roles: n.roles,
            from: shown(before),
            to: shown(now),
            undercloud,
            vm: now.virtual,
            vmBefore: before.virtual,
            // (a flavor kept while the hardware changes still asks for the old resource class)
            ...(undercloud &&
            !now.virtual &&
            before.flavor === now.flavor &&
            before.hardware !== now.hardware
              ? {
                  flavor: now.flavor,
                  classes: {
                    from: ironicResourceClass(before.hardware),
                    to: ironicResourceClass(now.hardware),
                  },
                }
              : {}),
          },
        ]
      : [];
  });
}

export function deploymentChanges(previous: PreviousPlan, model: Model) {
  const before = previous.undercloud;
  const now = model.undercloud;
  if (!before || !now) return [];
  // A running server stays on its machine: a node named or changed for it applies when it is
  // deployed anew.
  const repinned = model.nodes.filter(
    (n) =>
      previous.addresses.has(n.name) &&
      n.baremetalNode !== undefined &&
      previous.machines?.get(n.name) !== n.baremetalNode,
  );
  return [
    ...repinned.map((n) => ({
      kind: "node" as const,
      what: `Ironic node of ${n.name}`,
      from: previous.machines?.get(n.name) ?? "any",
      to: n.baremetalNode as string,
    })),
    ...(before.image !== undefined && before.image !== now.image
      ? [{ kind: "image" as const, what: "image", from: before.image, to: now.image }]
      : []),
    ...(before.keyPair !== now.keyPair
      ? [
          {
            kind: "key-pair" as const,
            what: "key pair",
            from: before.keyPair ?? "none",
            to: now.keyPair ?? "none",
          },
        ]
      : []),
  ];
}

/**
 * Whether the gateways' CA bundle mount is new to a folder whose cluster.yaml ran gateways
 * without it: cephadm redeploys them on the next apply, and a host without the file starts none.
 */
export function rgwCaMountAdded(outDir: string, model: Model): boolean {
  if (!model.deploy.ceph?.rgw?.keystoneUrl) return false;
  try {
    const before = readRegularFile(path.join(outDir, "deploy", "ceph", "cluster.yaml")).toString(
      "utf8",
    );
    return /^service_type: rgw$/m.test(before) && !before.includes(RGW_CA_BUNDLE);
  } catch {
    return false;
  }
}

/** Output names of a local Terraform state, once it has been applied. */
function outputsApplied(file: string): Set<string> | undefined {
  try {
    const outputs = (JSON.parse(readRegularFile(file).toString("utf8")) as { outputs?: unknown })
      .outputs;
    return isRecord(outputs) && Object.keys(outputs).length
      ? new Set(Object.keys(outputs))
      : undefined;
  } catch {
    return undefined;
  }
}

/** Output names of a stack's configuration as written (JSON or HCL). */
function outputsWritten(file: string): Set<string> | undefined {
  let text: string;
  try {
    text = readRegularFile(file).toString("utf8");
  } catch {
    return undefined;
  }
  if (file.endsWith(".json")) {
    try {
      const output = (JSON.parse(text) as { output?: unknown }).output;
      return new Set(isRecord(output) ? Object.keys(output) : []);
    } catch {
      return undefined; // edited past reading: the output writer names it
    }
  }
  return new Set([...text.matchAll(/^output "([^"]+)"/gm)].map((m) => m[1]));
}

/**
 * Stacks reading platform outputs the platform stack in the folder does not have yet: planned
 * before the platform stack is applied again, they fail ("Unsupported attribute").
 */
export function platformOutputsAhead(
  outDir: string,
  stacks: readonly { name: string; content: string; readsFrom: readonly string[] }[],
): { stacks: string[]; outputs: string[] } | undefined {
  // The outputs of the platform's local state where it has one (what was applied), else of its
  // configuration in the folder (what was planned).
  const folder = path.join(outDir, "terraform", STACKS.platform);
  const before =
    outputsApplied(path.join(folder, "terraform.tfstate")) ??
    STACK_FILES.map((f) => outputsWritten(path.join(folder, f))).find((o) => o !== undefined);
  if (!before) return undefined;
  const missing = new Set<string>();
  const readers = stacks.filter((s) => {
    if (!s.readsFrom.includes(STACKS.platform)) return false;
    const read = [
      ...s.content.matchAll(
        new RegExp(
          `data\\.terraform_remote_state\\.${STACKS.platform}\\.outputs\\.([A-Za-z0-9_-]+)`,
          "g",
        ),
      ),
    ]
      .map((m) => m[1])
      .filter((o) => !before.has(o));
    for (const o of read) missing.add(o);
    return read.length > 0;
  });
  return readers.length
    ? { stacks: readers.map((s) => s.name), outputs: [...missing].sort() }
    : undefined;
}
