import type { CephModel, HaRow, PoolModel, SwiftModel } from "./types";

/** Majority quorum: a cluster of n survives floor((n-1)/2) failures. */
export const quorumTolerance = (n: number) => Math.max(0, Math.floor((n - 1) / 2));

export interface HaInputs {
  readonly controllers: number;
  readonly networkNodes: number;
  readonly loadBalancer: "keepalived" | "octavia";
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
  readonly dedicatedDeployer?: boolean;
}

export function haMatrix(i: HaInputs): HaRow[] {
  const c = i.controllers;
  const rows: HaRow[] = [
    {
      kind: i.loadBalancer === "octavia" ? "apis-octavia" : "apis-keepalived",
      params: {},
      component: "OpenStack APIs",
      mechanism:
        i.loadBalancer === "octavia"
          ? "Octavia load balancer in front of active/active API services"
          : "keepalived VIP (VRRP) with HAProxy, active/active API services",
      nodes: c,
      failuresTolerated: Math.max(0, c - 1),
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
      kind: "cache",
      params: {},
      component: "Token and API cache",
      mechanism: "memcached on every controller, clients spread keys",
      nodes: c,
      failuresTolerated: Math.max(0, c - 1),
    },
  ];
  const l3 = i.networkNodes > 0 ? i.networkNodes : c;
  rows.push({
    kind: i.networkNodes > 0 ? "l3-network-nodes" : "l3-controllers",
    params: {},
    component: "Neutron L3/DHCP agents",
    mechanism: `HA routers (VRRP) and redundant DHCP agents on ${i.networkNodes > 0 ? "network nodes" : "controllers"}`,
    nodes: l3,
    failuresTolerated: Math.max(0, l3 - 1),
  });
  for (const pool of i.pools) {
    rows.push({
      kind: "compute-pool",
      params: { pool: pool.id, spare: pool.capacity.spareHosts },
      component: `Compute pool ${pool.id}`,
      mechanism: `N+${pool.capacity.spareHosts} spare hosts, instance evacuation`,
      nodes: pool.capacity.hosts,
      failuresTolerated: pool.capacity.spareHosts,
    });
  }
  if (i.ceph) {
    rows.push({
      kind: "ceph-monitors",
      params: {},
      component: "Ceph monitors",
      mechanism: "Paxos quorum of monitors",
      nodes: i.ceph.monitors.length,
      failuresTolerated: quorumTolerance(i.ceph.monitors.length),
    });
    const p = i.ceph.protection;
    rows.push({
      kind: p.kind === "replicated" ? "ceph-replicated" : "ceph-erasure-coded",
      params:
        p.kind === "replicated"
          ? { size: p.size, minSize: p.minSize, domain: i.ceph.failureDomain }
          : { k: p.k, m: p.m, domain: i.ceph.failureDomain },
      component: "Ceph data",
      mechanism:
        p.kind === "replicated"
          ? `${p.size}x replication across ${i.ceph.failureDomain}s (min_size ${p.minSize})`
          : `erasure coding k=${p.k}, m=${p.m} across ${i.ceph.failureDomain}s`,
      nodes: i.ceph.nodes.length,
      failuresTolerated: p.kind === "replicated" ? p.size - p.minSize : p.m,
    });
  }
  if (i.swift) {
    rows.push({
      kind: "swift-proxies",
      params: {},
      component: "Swift proxies",
      mechanism: "active/active proxies behind the VIP",
      nodes: i.swift.proxies.length,
      failuresTolerated: Math.max(0, i.swift.proxies.length - 1),
    });
    rows.push({
      kind: "swift-objects",
      params: { replicas: i.swift.replicas, zones: i.swift.zones },
      component: "Swift objects",
      mechanism: `${i.swift.replicas} replicas over ${i.swift.zones} zones`,
      nodes: i.swift.storageNodes.length,
      failuresTolerated: Math.max(0, Math.min(i.swift.replicas, i.swift.zones) - 1),
    });
  }
  if (i.blockStorageHosts) {
    const colocated = i.colocatedBlockStorage === true;
    rows.push({
      kind: colocated ? "block-storage-controllers" : "block-storage-nodes",
      params: { hosts: i.blockStorageHosts },
      component: "Block storage (cinder-volume, LVM/ZFS/GlusterFS)",
      mechanism: `cinder-volume on ${i.blockStorageHosts} ${colocated ? "controllers" : "block-storage hosts"}; each volume lives on one host, so it is unavailable while that host is down`,
      nodes: i.blockStorageHosts,
      failuresTolerated: 0,
    });
  }
  rows.push({
    kind: i.dedicatedDeployer ? "deployer-dedicated" : "deployer-controller",
    params: {},
    component: "Deployment host (Kolla-Ansible, cephadm)",
    mechanism: `outside the data path: the cloud keeps running without it${i.dedicatedDeployer ? "" : " (it is the first controller)"}; rebuilt from the spec and the generated configuration`,
    nodes: 1,
    failuresTolerated: i.dedicatedDeployer ? 1 : 0,
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
