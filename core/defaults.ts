/**
 * Every default of the spec in one place: the zod schema's `.default()` values, the resolver
 * and the constructs all read these, so documentation and behaviour cannot drift.
 */
/** Kolla-Ansible's own registry and namespace (docker_registry, docker_namespace). */
export const KOLLA_REGISTRY = "quay.io";
export const KOLLA_NAMESPACE = "openstack.kolla";
/** The images Kolla publishes; from 22.0.0 its prechecks call them test images. */
export const KOLLA_IMAGES = `${KOLLA_REGISTRY}/${KOLLA_NAMESPACE}`;

export const DEFAULTS = {
  language: "en",
  region: "RegionOne",
  namingPrefix: "sw",
  /** Nova's initial_cpu_allocation_ratio. */
  cpuAllocationRatio: 4,
  /** Tenant quotas add up to a pool's usable capacity at most: every quota usable at once. */
  quotaOvercommit: 1,
  /** No RAM overcommit for enterprise workloads. */
  ramAllocationRatio: 1,
  reservedHostCpus: 2,
  reservedHostMemoryGiB: 8,
  /** Hosts kept free per pool so one failure does not strand workloads (N+1). */
  spareHostsPerPool: 1,
  controllers: 3,
  controllerDeployment: "baremetal",
  controllerImage: "ubuntu-24.04",
  /** Undercloud network the bare-metal nodes are provisioned on. */
  provisioningNetwork: "provisioning",
  /** Kolla-Ansible's keepalived_virtual_router_id default. */
  virtualRouterId: 51,
  /** Kolla-Ansible's docker_namespace: where quay.io keeps its images. */
  registryNamespace: KOLLA_NAMESPACE,
  deployerHostname: "deploy-01",
  loadBalancer: "keepalived",
  /** Kolla-Ansible's octavia_loadbalancer_topology default (SINGLE). */
  octaviaTopology: "single",
  database: "galera",
  messaging: "rabbitmq-cluster",
  underlayMtu: 1500,
  tenantNetworkType: "vxlan",
  vniRange: { min: 1000, max: 65535 },
  /** First host offset on each subnet for node addresses; lower ones are kept for gateways and VIPs. */
  firstNodeOffset: 11,
  physicalNetwork: "physnet1",
  cephReplicaSize: 3,
  cephNearfullRatio: 0.85,
  /** Target placement groups per OSD for pool PG guidance. */
  cephTargetPgsPerOsd: 100,
  /** Data share of the Gnocchi pool added for Ceilometer when the spec declares no metrics pool. */
  cephMetricsDataShare: 0.01,
  swiftReplicas: 3,
  /** Partitions per disk when the partition power is derived. */
  swiftPartitionsPerDisk: 100,
  ntpMinSources: 2,
  terraformBackend: "local",
  outputFormat: "json",
  tenantQuota: {
    instances: 20,
    cores: 40,
    ramGiB: 80,
    volumes: 20,
    volumeGiB: 1000,
    networks: 5,
    subnets: 10,
    routers: 2,
    ports: 100,
    floatingIps: 5,
    securityGroups: 20,
    securityGroupRules: 200,
    loadBalancers: 2,
  },
} as const;

/**
 * Encapsulation overhead on an IPv4 underlay (Neutron's figures: 20 bytes of IP header and the
 * type's own; Geneve's is `[ml2_type_geneve] max_header_size`, 30 by default).
 */
export const ENCAP_OVERHEAD = { vxlan: 50, gre: 42, geneve: 50, vlan: 0, flat: 0 } as const;

/** Geneve's overhead under OVN: Kolla sets max_header_size = 38 there (OVN's metadata option). */
export const OVN_GENEVE_OVERHEAD = 58;

/** Network roles whose subnet gets the first host as gateway unless the spec names one. */
export const ROLES_WITH_DEFAULT_GATEWAY: ReadonlySet<string> = new Set([
  "external",
  "provider",
  "management",
]);

/** Kolla-Ansible's amphora flavor (octavia_amp_flavor's defaults), as the design sizes it too. */
export const AMPHORA_FLAVOR = { name: "amphora", vcpus: 1, ramMiB: 1024, diskGiB: 5 } as const;

/** Where users connect from when the design names no userCidrs: anywhere. */
export const DEFAULT_USER_CIDRS: readonly string[] = ["0.0.0.0/0"];
