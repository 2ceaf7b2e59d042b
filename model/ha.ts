import { firstOf, someOf } from "../core/lists";
import { metricStore } from "../core/metric-store";
import { DHCP_AGENTS_PER_NETWORK, routerHosts } from "../core/neutron";
import { volumeHostsMode } from "../core/volume-hosts";
import { glanceOnOneController } from "../core/object-stores";
import { valkeyDeployed } from "../core/valkey";
import { erasureMinSize, ioSlack } from "../core/ceph-pools";
import { lossesSurvived } from "../core/swift-ring";
import { ringProtectionOf, swiftRingLayout } from "./capacity";
import type { CephModel, HaRow, PoolModel, SwiftModel, VolumeBackendModel } from "./types";

/** Majority quorum: a cluster of n survives floor((n-1)/2) failures. */
export const quorumTolerance = (n: number) => Math.max(0, Math.floor((n - 1) / 2));

/**
 * The site holding a majority of the controllers (all of them, at one site), and where each
 * stands: its loss stops their quorum (Galera, RabbitMQ) and with it the whole cloud. Controllers
 * as VMs stand wherever the undercloud's hypervisors are: they are at no site of the design.
 */
export function controllerQuorumSite(
  nodes: readonly { name: string; role: string; site?: string; virtual?: boolean }[],
): { readonly site: string; readonly bySite: ReadonlyMap<string, readonly string[]> } | undefined {
  const controllers = nodes.filter((n) => n.role === "controller" && !n.virtual);
  if (controllers.some((n) => !n.site)) return undefined;
  const bySite = new Map<string, string[]>();
  for (const n of controllers)
    bySite.set(n.site as string, [...(bySite.get(n.site as string) ?? []), n.name]);
  // An odd count (the spec refuses an even one) has at most one site holding a majority.
  const slack = quorumTolerance(controllers.length);
  const site = [...bySite.keys()].sort().find((s) => (bySite.get(s) as string[]).length > slack);
  return site ? { site, bySite } : undefined;
}

export interface HaInputs {
  readonly controllers: number;
  /** The controllers' host names, where other rows' services may run beside them. */
  readonly controllerNames?: readonly string[];
  readonly networkNodes: number;
  readonly database: "galera" | "single";
  readonly messaging: "rabbitmq-cluster" | "single";
  readonly pools: readonly PoolModel[];
  readonly ceph?: CephModel;
  readonly swift?: SwiftModel;
  readonly ntpSources?: number;
  /** Hosts running cinder-volume for LVM, ZFS and GlusterFS backends. */
  readonly blockStorageHosts?: number;
  /** Those hosts are the controllers rather than dedicated block-storage nodes. */
  readonly colocatedBlockStorage?: boolean;
  /** Hosts running cinder-volume for Ceph backends. @default the controllers */
  readonly cephVolumeHosts?: number;
  /** Those are the block-storage hosts (beside LVM there: core/volume-hosts). */
  readonly cephVolumeOnBlockHosts?: boolean;
  readonly dedicatedDeployer?: boolean;
  /** OpenStack services on the controllers; rows for the ones present. @default none */
  readonly services?: readonly string[];
  /** Octavia's amphorae per load balancer. @default "single" */
  readonly octaviaTopology?: "single" | "active-standby";
  /** ML2/OVN: no L3 or DHCP agents, whatever the tenant network type. @default false */
  readonly ovn?: boolean;
  /**
   * Tenant network type flat: Neutron makes an HA router's VRRP network of a tenant type, and
   * flat gives none, so routers stay on one L3 agent (l3_ha off). @default false
   */
  readonly flatTenants?: boolean;
  /** The legacy bridge's router, the one router the design makes. @default false */
  readonly legacyRouter?: boolean;
  readonly backends?: readonly Pick<VolumeBackendModel, "name" | "kind">[];
  /** Where Glance keeps images. */
  readonly imageStore?: "ceph" | "swift" | "file";
}

/** Cinder backends whose volumes live on one host's disks: cinder-volume cannot move. */
const HOST_LOCAL_BACKENDS = new Set(["lvm", "zfs"]);

/**
 * Cinder's locks in etcd on every controller (Kolla's etcd group), beside the Cinder row: a
 * quorum more that the volume services need.
 */
export function withEtcdRow(rows: readonly HaRow[], controllers: number): HaRow[] {
  const row: HaRow = {
    kind: controllers === 1 ? "etcd-single" : "etcd",
    params: {},
    component: "Cinder's locks (etcd)",
    mechanism:
      controllers === 1
        ? "etcd on the one controller, holding the locks of Cinder's volume services; no failover"
        : "etcd on every controller as a Raft cluster, holding the locks of Cinder's volume services",
    nodes: controllers,
    failuresTolerated: quorumTolerance(controllers),
  };
  const cinder = rows.findIndex((r) => r.kind.startsWith("cinder-volume"));
  const at = cinder < 0 ? rows.length : cinder + 1;
  return [...rows.slice(0, at), row, ...rows.slice(at)];
}

export function haMatrix(i: HaInputs): HaRow[] {
  const c = i.controllers;
  // Every service on the controllers reads the database and sends over the message queue: none
  // keeps working with more controllers down than their quorums lose.
  const backing = Math.min(
    i.database === "galera" ? quorumTolerance(c) : 0,
    i.messaging === "rabbitmq-cluster" ? quorumTolerance(c) : 0,
  );
  const rows: HaRow[] = [
    c === 1
      ? {
          kind: "apis-single",
          params: {},
          component: "OpenStack APIs",
          mechanism: "one controller serves every API; no failover",
          nodes: 1,
          failuresTolerated: 0,
        }
      : {
          kind: "apis-keepalived",
          params: {},
          component: "OpenStack APIs",
          mechanism: "keepalived VIP (VRRP) with HAProxy, active/active API services",
          nodes: c,
          failuresTolerated: backing,
        },
    {
      kind: i.database === "galera" ? "database-galera" : "database-single",
      params: {},
      component: "Database",
      mechanism:
        i.database === "galera"
          ? "MariaDB Galera multi-primary cluster (quorum)"
          : "single MariaDB instance",
      nodes: i.database === "galera" ? c : 1,
      failuresTolerated: i.database === "galera" ? quorumTolerance(c) : 0,
    },
    {
      kind: i.messaging === "rabbitmq-cluster" ? "mq-cluster" : "mq-single",
      params: {},
      component: "Message queue",
      mechanism:
        i.messaging === "rabbitmq-cluster"
          ? "RabbitMQ cluster with quorum queues"
          : "single RabbitMQ node",
      nodes: i.messaging === "rabbitmq-cluster" ? c : 1,
      failuresTolerated: i.messaging === "rabbitmq-cluster" ? quorumTolerance(c) : 0,
    },
    {
      kind: c === 1 ? "cache-single" : "cache",
      params: {},
      component: "Token and API cache",
      mechanism:
        c === 1
          ? "memcached on the one controller"
          : "memcached on every controller, clients spread keys",
      nodes: c,
      failuresTolerated: Math.max(0, c - 1),
    },
  ];
  const services = new Set(i.services ?? []);
  // Stateless workers on every controller share their queues: any survivor takes the work.
  const worker = (
    kind: string,
    component: string,
    mechanism: string,
    single: string,
    params: HaRow["params"] = {},
  ) =>
    rows.push({
      kind: c === 1 ? `${kind}-single` : kind,
      params,
      component,
      mechanism: c === 1 ? `${single} on the one controller; no failover` : mechanism,
      nodes: c,
      failuresTolerated: backing,
    });
  if (services.has("nova"))
    worker(
      "nova-scheduler",
      "Nova scheduler and conductor",
      "nova-scheduler and nova-conductor on every controller, sharing RabbitMQ queues",
      "nova-scheduler and nova-conductor",
    );
  if (services.has("cinder")) {
    // Ceph backends run cinder-volume on the controllers (or beside LVM on the block-storage
    // hosts); LVM, ZFS and GlusterFS get their row from the block-storage hosts (below).
    const ceph = (i.backends ?? []).filter((b) => b.kind === "ceph").map((b) => b.name);
    const cephHosts = i.cephVolumeHosts ?? c;
    const mode = volumeHostsMode(
      (i.backends ?? []).map((b) => b.kind),
      cephHosts,
    );
    if (ceph.length && mode === "independent") {
      // Kolla's cluster would take in every cinder-volume host: the design's other backends
      // keep Ceph's out of it too.
      rows.push({
        kind: `cinder-volume-shared${i.cephVolumeOnBlockHosts ? "-block-hosts" : ""}`,
        params: { backends: ceph, hosts: cephHosts },
        component: "Cinder volume service",
        mechanism: `cinder-volume on every ${i.cephVolumeOnBlockHosts ? "block-storage host" : "controller"}, each serving its own volumes of ${ceph.join(", ")}${i.cephVolumeOnBlockHosts ? " beside the local ones" : ""} (no active/active cluster beside the design's other backends): while a host is down its volumes stay attached but cannot be created, extended or deleted`,
        nodes: cephHosts,
        failuresTolerated: 0,
      });
    } else if (ceph.length) {
      worker(
        "cinder-volume",
        "Cinder volume service",
        "cinder-volume on every controller as one active/active cluster over shared storage",
        "cinder-volume",
      );
    }
  }
  if (services.has("heat"))
    worker(
      "heat-engine",
      "Heat engine",
      "heat-engine on every controller; any surviving engine serves new requests, but a stack change a dead engine was making is not resumed: the stack is left in progress or failed until its user updates it again",
      "heat-engine",
    );
  if (services.has("octavia"))
    if (i.octaviaTopology === "active-standby")
      worker(
        "octavia-active-standby",
        "Octavia control plane",
        "Octavia API, worker and health manager on every controller; each load balancer runs on an active and a standby amphora on two compute hosts (Kolla's ACTIVE_STANDBY topology, Nova anti-affinity): VRRP moves its VIP to the standby within seconds when the active fails, and the health manager rebuilds the failed one; Octavia's jobboard in Valkey lets a surviving controller's worker finish the changes a failed one was making",
        "Octavia services (load balancers on active-standby amphora pairs)",
      );
    else
      worker(
        "octavia",
        "Octavia control plane",
        "Octavia API, worker and health manager on every controller; each load balancer runs on one amphora (Kolla's SINGLE topology), which the health manager replaces when it fails, its listeners down until then; Octavia's jobboard in Valkey lets a surviving controller's worker finish the changes a failed one was making",
        "Octavia services",
      );
  if (valkeyDeployed([...services]))
    rows.push({
      kind: c === 1 ? "valkey-single" : "valkey",
      params: {},
      component: "Octavia's jobboard (Valkey)",
      mechanism:
        c === 1
          ? "Valkey on the one controller; no failover"
          : "Valkey on every controller, one primary replicating to the others; Sentinel on every controller promotes a replica when a majority of them agree the primary is down",
      nodes: c,
      failuresTolerated: quorumTolerance(c),
    });
  if (services.has("ceilometer"))
    worker(
      "telemetry",
      "Telemetry (Ceilometer)",
      "ceilometer notification and central agents on every controller, sharing RabbitMQ queues; a polling agent per compute host",
      "ceilometer agents",
    );
  if (i.imageStore && glanceOnOneController([...services], i.imageStore, c))
    rows.push({
      kind: "images-file",
      params: {},
      component: "Image service (Glance)",
      mechanism: "glance-api on the first controller only, images on its disk; no failover",
      nodes: 1,
      failuresTolerated: 0,
    });
  const metrics = services.has("ceilometer")
    ? metricStore({ ceph: i.ceph !== undefined, services: [...services], controllers: c })
    : undefined;
  const pool = i.ceph?.pools.find((p) => p.application === "metrics")?.name ?? "";
  if (metrics === "file")
    rows.push({
      kind: "metrics-file",
      params: {},
      component: "Metric store (Gnocchi)",
      mechanism: "Gnocchi on the one controller, metrics on its disk; no failover",
      nodes: 1,
      failuresTolerated: 0,
    });
  else if (metrics) {
    const where = metrics === "ceph" ? `the Ceph pool ${pool}` : "Swift";
    worker(
      `metrics-${metrics}`,
      "Metric store (Gnocchi)",
      `gnocchi-api behind HAProxy and gnocchi-metricd on every controller, metrics in ${where}; the surviving metricd workers take over the backlog`,
      `gnocchi-api and gnocchi-metricd, metrics in ${where},`,
      metrics === "ceph" ? { pool } : {},
    );
  }
  const l3 = i.networkNodes > 0 ? i.networkNodes : c;
  const where = i.networkNodes > 0 ? "network-nodes" : "controllers";
  if (i.ovn) {
    rows.push({
      kind: "ovn-db",
      params: {},
      component: "OVN databases",
      mechanism: "OVN northbound and southbound databases as a Raft cluster on the controllers",
      nodes: c,
      failuresTolerated: quorumTolerance(c),
    });
    const routers = routerHosts(l3, true);
    rows.push({
      kind: `ovn-gateways-${where}`,
      params: { routers },
      component: "OVN routing and DHCP",
      mechanism: `distributed routing, each router's gateway on ${routers} gateway chassis of the ${where.replace("-", " ")} with BFD failover; ovn-controller answers DHCP on every host`,
      nodes: l3,
      failuresTolerated: Math.max(0, routers - 1),
    });
  } else {
    const routers = routerHosts(l3, false);
    const flat = l3 > 1 && i.flatTenants === true;
    // A router on one agent: the legacy bridge's stops with its node.
    const flatKind = i.legacyRouter ? `l3-${where}-flat-legacy` : `l3-${where}-flat`;
    rows.push({
      kind: l3 === 1 ? `l3-${where}-single` : flat ? flatKind : `l3-${where}`,
      params:
        l3 === 1
          ? {}
          : flat
            ? { dhcp: DHCP_AGENTS_PER_NETWORK }
            : { routers, dhcp: DHCP_AGENTS_PER_NETWORK },
      component: "Neutron L3/DHCP agents",
      mechanism:
        l3 === 1
          ? `L3 and DHCP agents on ${where.replace("-", " ")}: one node, so routers and DHCP stop with it`
          : flat
            ? `each network's DHCP on ${DHCP_AGENTS_PER_NETWORK} agents (Neutron moves it from a dead one), on the ${where.replace("-", " ")}; ${i.legacyRouter ? "the legacy bridge's router" : "a router, which the design makes none of,"} runs on one L3 agent and stops with its node: the flat tenant type gives HA routers no network for their VRRP traffic`
            : `HA routers (VRRP) on ${routers} L3 agents each and each network's DHCP on ${DHCP_AGENTS_PER_NETWORK} agents (Neutron moves it from a dead one), on the ${where.replace("-", " ")}`,
      nodes: l3,
      // (on the controllers Neutron moves a network's DHCP only while their database keeps
      // quorum: losing both of its agents then stops it)
      failuresTolerated: flat
        ? i.legacyRouter
          ? 0
          : Math.min(l3, DHCP_AGENTS_PER_NETWORK) - 1
        : Math.max(
            0,
            (where === "controllers" ? Math.min(routers, DHCP_AGENTS_PER_NETWORK) : routers) - 1,
          ),
    });
  }
  for (const pool of i.pools) {
    // (no spare host: nowhere to evacuate to, the instances wait for their host)
    const spare = pool.capacity.spareHosts;
    rows.push({
      kind: spare ? "compute-pool" : "compute-pool-unspared",
      params: { pool: pool.id, spare },
      component: `Compute pool ${pool.id}`,
      mechanism: spare
        ? `N+${spare} spare ${spare === 1 ? "host" : "hosts"}, instances evacuated by the operator`
        : "no spare host: a failed host's instances wait for its repair",
      nodes: pool.capacity.hosts,
      failuresTolerated: spare,
    });
  }
  if (i.ceph) {
    rows.push({
      kind: "ceph-monitors",
      // (where the monitors run decides which servers' failures they share: hostGroupOf)
      params: {
        on: i.ceph.monitors.every((m) => i.ceph!.nodes.includes(m))
          ? "osd"
          : i.ceph.monitors.every((m) => i.controllerNames?.includes(m))
            ? "controllers"
            : "own",
      },
      component: "Ceph monitors",
      mechanism: "Paxos quorum of monitors",
      nodes: i.ceph.monitors.length,
      failuresTolerated: quorumTolerance(i.ceph.monitors.length),
    });
    const p = i.ceph.protection;
    // I/O stops below min_size: the model's for replicated pools (pools.sh sets it); Ceph's
    // default k + min(1, m - 1) for erasure-coded ones, which tolerate m - 1 failures (m = 1: 1)
    // but no more than the replicated pools beside them (ioSlack).
    const ecMinSize = p.kind === "erasure-coded" ? erasureMinSize(p.k, p.m) : 0;
    const tolerated = ioSlack(p, i.ceph.nodes.length);
    // A CRUSH datacenter is one of the design's sites.
    const domainWord = i.ceph.failureDomain === "datacenter" ? "site" : i.ceph.failureDomain;
    rows.push({
      kind: p.kind === "replicated" ? "ceph-replicated" : "ceph-erasure-coded",
      params:
        p.kind === "replicated"
          ? { size: p.size, minSize: p.minSize, domain: i.ceph.failureDomain }
          : { k: p.k, m: p.m, minSize: ecMinSize, domain: i.ceph.failureDomain },
      component: "Ceph data",
      mechanism:
        p.kind === "replicated"
          ? `${p.size}x replication across ${domainWord}s (min_size ${p.minSize})`
          : `erasure coding k=${p.k}, m=${p.m} across ${domainWord}s (min_size ${ecMinSize})`,
      nodes: i.ceph.nodes.length,
      failuresTolerated: tolerated,
    });
    const spare = i.ceph.spareFailureDomain;
    const allOsds = i.ceph.deviceClasses.reduce((n, c) => n + c.osds, 0);
    const fill = i.ceph.recoveryFillRatio;
    const estimated = i.ceph.recoveryFillEstimated === true;
    const percent = Math.round((fill ?? 0) * 100);
    const alone = i.ceph.hostsAlone;
    rows.push({
      kind: alone
        ? "ceph-osd-hosts-alone"
        : !spare || fill === undefined
          ? "ceph-osd-hosts-no-spare"
          : estimated
            ? "ceph-osd-hosts-fill-estimated"
            : "ceph-osd-hosts-fill",
      params: {
        osds: allOsds,
        domain: i.ceph.failureDomain,
        ...(fill !== undefined ? { fill: percent } : {}),
        ...(alone ? { hosts: firstOf(alone) } : {}),
      },
      component: "Ceph OSD hosts",
      mechanism: alone
        ? `${allOsds} OSDs; a failed host's placement groups recover onto the other hosts of its ${domainWord}, but with no spare ${domainWord} those of a host alone in its ${domainWord} (${someOf(alone, 6)}) stay degraded until it returns`
        : !spare || fill === undefined
          ? `${allOsds} OSDs; with no spare ${domainWord} to recover onto, a failed host's placement groups stay degraded until it returns`
          : `${allOsds} OSDs; Ceph recovers a failed host's placement groups onto the other hosts while the cluster is under ${estimated ? "about " : ""}${percent} % full (each OSD stops taking backfill at 90 %${estimated ? `; estimated from where CRUSH moves a failed host's placement groups, its ${domainWord}-mates taking the most: crushtool --test on the cluster's map tells exactly` : ""})`,
      nodes: i.ceph.nodes.length,
      failuresTolerated: tolerated,
    });
  }
  if (i.swift) {
    rows.push({
      kind: i.swift.proxies.length === 1 ? "swift-proxies-single" : "swift-proxies",
      params: {},
      component: "Swift proxies",
      mechanism:
        i.swift.proxies.length === 1
          ? "one proxy behind the VIP"
          : "active/active proxies behind the VIP",
      nodes: i.swift.proxies.length,
      failuresTolerated: Math.max(0, i.swift.proxies.length - 1),
    });
    // Storage policies may keep fewer copies than the cluster default, or erasure-code objects:
    // the weakest bounds what the cluster's data survives.
    const layout = swiftRingLayout(i.swift);
    const replicas = i.swift.fewestReplicas;
    const replicated = i.swift.policies.filter((p) => !p.erasureCoding);
    const most = Math.max(replicas, ...replicated.map((p) => p.replicas));
    const fewest = replicated.find((p) => p.replicas === replicas)?.name;
    // The erasure-coded policy surviving fewest zone losses, then fewest parity fragments.
    const coded = i.swift.policies
      .flatMap((p) =>
        p.erasureCoding ? [{ name: p.name, ec: p.erasureCoding, replicas: p.replicas }] : [],
      )
      .map((p) => ({
        ...p,
        survived: lossesSurvived(
          {
            ...layout,
            policies: [ringProtectionOf({ replicas: p.replicas, erasureCoding: p.ec })],
          },
          "zone",
        ),
      }))
      .sort((a, b) => a.survived - b.survived || a.ec.parityFragments - b.ec.parityFragments)[0];
    rows.push({
      kind: "swift-storage-hosts",
      params: { disks: i.swift.disks, ec: coded ? 1 : 0 },
      component: "Swift storage hosts",
      // (Swift copies a down host's partitions again only once its devices leave the rings)
      mechanism: `${i.swift.disks} disks; the other ${coded ? "replicas and fragments" : "replicas"} serve a failed host's objects, and new writes go to handoff nodes; its partitions are ${coded ? "copied or rebuilt" : "copied"} again only once its devices are removed from the rings and the rings rebalanced`,
      nodes: i.swift.storageNodes.length,
      failuresTolerated: i.swift.lossesSurvived.nodes,
    });
    // Counted in storage nodes like every row; the Swift zones' count is the storage table's.
    const objects = {
      nodes: i.swift.storageNodes.length,
      failuresTolerated: i.swift.lossesSurvived.nodes,
    };
    rows.push(
      coded
        ? {
            kind: replicated.length ? "swift-objects-ec-policies" : "swift-objects-ec",
            params: {
              data: coded.ec.dataFragments,
              parity: coded.ec.parityFragments,
              zones: i.swift.zones,
              policy: coded.name,
              ...(replicated.length ? { replicas } : {}),
            },
            component: "Swift objects",
            mechanism: replicated.length
              ? `erasure coding of ${coded.ec.dataFragments} data and ${coded.ec.parityFragments} parity fragments in ${coded.name}, ${replicas} or more replicas in the other storage policies, over ${i.swift.zones} zones`
              : `erasure coding of ${coded.ec.dataFragments} data and ${coded.ec.parityFragments} parity fragments (${coded.name}) over ${i.swift.zones} zones: any ${coded.ec.dataFragments} fragments rebuild an object`,
            ...objects,
          }
        : most > replicas && fewest
          ? {
              kind: "swift-objects-policies",
              params: { replicas, most, zones: i.swift.zones, policy: fewest },
              component: "Swift objects",
              mechanism: `${replicas} to ${most} replicas by storage policy over ${i.swift.zones} zones (the fewest in ${fewest})`,
              ...objects,
            }
          : {
              kind: "swift-objects",
              params: { replicas, zones: i.swift.zones },
              component: "Swift objects",
              mechanism: `${replicas} replicas over ${i.swift.zones} zones`,
              ...objects,
            },
    );
  }
  if (i.blockStorageHosts) {
    const colocated = i.colocatedBlockStorage === true;
    // LVM and ZFS volumes live on one host's disks; GlusterFS volumes stay reachable through
    // the Gluster cluster, but each host's cinder-volume manages its own.
    const local = (i.backends ?? []).some((b) => HOST_LOCAL_BACKENDS.has(b.kind));
    const hosted = (i.backends ?? []).filter((b) => b.kind !== "ceph").map((b) => b.name);
    const one = i.blockStorageHosts === 1;
    const hostWord = colocated
      ? one
        ? "controller"
        : "controllers"
      : `block-storage ${one ? "host" : "hosts"}`;
    rows.push({
      kind: `block-storage-${colocated ? "controllers" : "nodes"}${local ? "" : "-shared"}`,
      params: { hosts: i.blockStorageHosts, backends: hosted },
      component: "Block storage (cinder-volume)",
      mechanism: local
        ? `cinder-volume on ${i.blockStorageHosts} ${hostWord}; each LVM/ZFS volume lives on one host and is unavailable while that host is down`
        : `cinder-volume on ${i.blockStorageHosts} ${hostWord}, each serving its own volumes of ${hosted.join(", ")}: while a host is down its volumes stay attached but cannot be created, extended or deleted`,
      nodes: i.blockStorageHosts,
      failuresTolerated: 0,
    });
  }
  rows.push({
    kind: i.dedicatedDeployer ? "deployer-dedicated" : "deployer-controller",
    // (cephadm runs on the first Ceph monitor, never a controller: deploy/README.md)
    params: {},
    component: "Deployment host",
    mechanism: i.dedicatedDeployer
      ? "outside the data path: the cloud runs without it; rebuilt from the spec, the generated configuration and a copy of its /etc/kolla (passwords, certificates) and of the Terraform state where it keeps them (see the runbook)"
      : "the first controller runs Kolla-Ansible; outside the data path, rebuilt from the spec, the generated configuration and a copy of its /etc/kolla (passwords, certificates) and of the Terraform state where it keeps them (see the runbook)",
    nodes: 1,
    // The cloud runs without it wherever it is; a controller's own failure is the controllers' row.
    failuresTolerated: 1,
  });
  if (i.ntpSources !== undefined) {
    rows.push({
      kind: "ntp",
      params: {},
      component: "Time (NTP)",
      mechanism: "chrony with several sources per node",
      nodes: i.ntpSources,
      failuresTolerated: Math.max(0, i.ntpSources - 1),
    });
  }
  return rows;
}
