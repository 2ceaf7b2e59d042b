import { REGISTRY, type Spec } from "../spec/schema";
import type { EndpointModel, IdentityModel, NtpModel, PortRule } from "./types";
import { volumeLocks } from "../core/volume-hosts";
import { valkeyDeployed } from "../core/valkey";
import { objectStore } from "../core/object-stores";
import {
  neutronMechanism,
  tunnelEncapsulation,
  OVN_NB_PORT,
  OVN_NB_RAFT_PORT,
  OVN_SB_PORT,
  OVN_SB_RAFT_PORT,
  ovnRelayPorts,
} from "../core/neutron";

/**
 * Security zones that traffic flows between. `users` is everything outside the cloud,
 * `enterprise` the customer's existing servers (LDAP, NTP, DNS, Gluster), `admin` the declared admin
 * CIDRs, `amphorae` Octavia's load-balancer instances on the octavia network, `routers` Neutron
 * routers' addresses on the external network (the legacy bridge's IPsec), `legacy-bridge` the
 * instances' ports on the legacy bridge network.
 */
export const SECURITY_ZONES = [
  "users",
  "admin",
  "enterprise",
  "controllers",
  "network-nodes",
  "compute",
  "ceph",
  "swift",
  "block-storage",
  "deployer",
  "legacy",
  "amphorae",
  "routers",
  "legacy-bridge",
] as const;
export type SecurityZone = (typeof SECURITY_ZONES)[number];

/** Port of the Swift proxies, and of Kolla's HAProxy in front of them on the VIPs. */
export const SWIFT_PROXY_PORT = 8080;

/** SSH: the administrators' and the deployment host's way in, and the tenants' to their instances. */
export const SSH_PORT = 22;
/** DNS, which resolvers ask over UDP and, for large answers, TCP. */
export const DNS_PORT = 53;

/** Swift's default ring ports: the servers the rings name each device by. */
export const SWIFT_RING_PORTS = { account: 6202, container: 6201, object: 6200 } as const;

/** Port the RADOS Gateways listen on (cephadm's rgw_frontend_port). */
export const CEPH_RGW_PORT = 8080;

/** Kolla's HAProxy in front of the RADOS Gateways on the VIPs (its ceph_rgw_port default). */
export const KOLLA_CEPH_RGW_PORT = 6780;

/** Keystone's API, public and internal. */
export const KEYSTONE_PORT = 5000;

/** Well-known API ports of the services behind the VIP. */
export const SERVICE_PORTS: Readonly<Record<string, readonly { name: string; port: number }[]>> = {
  keystone: [{ name: "keystone", port: KEYSTONE_PORT }],
  nova: [
    { name: "nova-api", port: 8774 },
    { name: "nova-metadata", port: 8775 },
    { name: "nova-novncproxy", port: 6080 },
  ],
  // Kolla's placement_api_port (8778 is taken in its images).
  placement: [{ name: "placement", port: 8780 }],
  neutron: [{ name: "neutron", port: 9696 }],
  cinder: [{ name: "cinder", port: 8776 }],
  glance: [{ name: "glance", port: 9292 }],
  swift: [{ name: "swift-proxy", port: SWIFT_PROXY_PORT }],
  heat: [
    { name: "heat-api", port: 8004 },
    { name: "heat-api-cfn", port: 8000 },
  ],
  horizon: [
    { name: "horizon-http", port: 80 },
    { name: "horizon-https", port: 443 },
  ],
  // Gnocchi comes with Ceilometer: the metric store its notification agents publish to.
  ceilometer: [{ name: "gnocchi-api", port: 8041 }],
  octavia: [{ name: "octavia", port: 9876 }],
  manila: [{ name: "manila", port: 8786 }],
};

/** Who calls each API besides users: the internal callers of every endpoint. */
const INTERNAL_CALLERS: Readonly<Record<string, readonly SecurityZone[]>> = {
  keystone: ["controllers", "network-nodes", "compute", "block-storage", "swift"],
  // cinder-volume and cinder-backup tell Nova of volume events (extend, attach) and read images
  // from Glance, from the block-storage hosts when they run there.
  "nova-api": ["controllers", "block-storage"],
  "nova-metadata": ["network-nodes", "controllers"],
  placement: ["controllers", "compute"],
  neutron: ["controllers", "compute", "network-nodes"],
  cinder: ["controllers", "compute"],
  glance: ["controllers", "compute", "block-storage"],
  "swift-proxy": ["controllers"],
  "ceph-rgw": ["controllers"],
  // Ceilometer's notification agents on the controllers; users and rating read it from inside.
  "gnocchi-api": ["controllers"],
  // Horizon on the controllers calls every API at its internal endpoint (Kolla's
  // OPENSTACK_ENDPOINT_TYPE internalURL), and heat-engine makes Octavia's and Manila's resources.
  "heat-api": ["controllers"],
  "heat-api-cfn": ["controllers"],
  octavia: ["controllers"],
  manila: ["controllers"],
};

/**
 * Endpoints reachable from outside the cloud. Metadata stays internal, and so does placement:
 * only Nova and the compute hosts call it, and its API shows every host's inventory.
 */
const PUBLIC = new Set([
  "keystone",
  "nova-api",
  "nova-novncproxy",
  "neutron",
  "cinder",
  "glance",
  "swift-proxy",
  "ceph-rgw",
  "heat-api",
  "heat-api-cfn",
  "horizon-http",
  "horizon-https",
  "octavia",
  "manila",
]);

/**
 * The API endpoints of the enabled services; the one table of what the external VIP serves.
 * Object storage on Ceph is its RADOS Gateways behind Kolla's HAProxy.
 */
export function apiEndpoints(
  services: readonly string[],
  objects: "swift" | "rgw" | undefined,
): EndpointModel[] {
  const ports = (service: string) =>
    service === "swift" && objects === "rgw"
      ? [{ name: "ceph-rgw", port: KOLLA_CEPH_RGW_PORT }]
      : (SERVICE_PORTS[service] ?? []);
  return [...new Set(services)].sort().flatMap((service) =>
    ports(service).map((e) => ({
      service,
      name: e.name,
      port: e.port,
      public: PUBLIC.has(e.name),
    })),
  );
}

/** Where Octavia's health managers take the amphorae's heartbeats (octavia_health_manager_port). */
export const OCTAVIA_HEALTH_MANAGER_PORT = 5555;

/** Facts of the resolved hosts the matrix follows. */
export interface PortMatrixHosts {
  /** Whom the nodes other than the controllers ask for time; absent without NTP. */
  readonly ntpClients?: NtpModel["clients"];
  /** The controllers that poll one another for time (NtpModel.peers). */
  readonly ntpPeers?: number;
  /** OVN's southbound relays (the deploy model's plan over its chassis). */
  readonly ovnRelays: number;
  /** The hosts running cinder-volume for each volume backend, and their security zone. */
  readonly volumeHosts: readonly {
    readonly kind: string;
    readonly hosts: readonly string[];
    readonly zone: "controllers" | "block-storage";
    /** LVM and ZFS: how the hypervisors reach the targets. */
    readonly targetProtocol?: "iscsi" | "iser";
  }[];
}

export function portMatrix(
  spec: Spec,
  identity: IdentityModel,
  hosts: PortMatrixHosts,
): PortRule[] {
  const rows: PortRule[] = [];
  const add = (
    service: string,
    port: string,
    protocol: PortRule["protocol"],
    from: readonly SecurityZone[],
    to: SecurityZone,
  ) => {
    for (const f of from) rows.push({ service, port, protocol, from: f, to });
  };
  const services = new Set(spec.controlPlane.services);
  const hasNetworkNodes = spec.controlPlane.networkNodes > 0;
  // Zones of servers the design has: no NTP row from Ceph or Swift hosts that do not exist.
  const absent = new Set<SecurityZone>([
    ...(hasNetworkNodes ? [] : (["network-nodes"] as const)),
    ...(spec.storage.ceph ? [] : (["ceph"] as const)),
    ...(spec.storage.swift ? [] : (["swift"] as const)),
    ...(spec.storage.blockStorageNodes ? [] : (["block-storage"] as const)),
  ]);
  const present = (zones: readonly SecurityZone[]) => zones.filter((z) => !absent.has(z));

  const ovn = services.has("neutron") && neutronMechanism(spec.network) === "ovn";
  const objects = objectStore(spec.storage, spec.controlPlane.services);
  for (const endpoint of apiEndpoints([...services], objects)) {
    const from: SecurityZone[] = [...present(INTERNAL_CALLERS[endpoint.name] ?? [])];
    // The gateways check Swift tokens with Keystone (rgw_keystone_url).
    if (objects === "rgw" && endpoint.name === "keystone") from.push("ceph");
    // OVN's metadata agent runs on every chassis, computes included (Kolla's
    // neutron-ovn-metadata-agent group), and proxies guests' requests to Nova's metadata API.
    if (ovn && endpoint.name === "nova-metadata") from.push("compute");
    // cinder-backup writes Swift backups from wherever it runs, block-storage hosts included.
    if (endpoint.name === "swift-proxy" && spec.storage.backup?.service === "swift")
      from.push(...present(["block-storage"]));
    if (endpoint.public) from.unshift("users");
    add(endpoint.name, String(endpoint.port), "tcp", from, "controllers");
  }

  const ctrl: SecurityZone[] = ["controllers"];
  // cinder-volume on block-storage hosts reaches the database and RabbitMQ like the controllers;
  // so does manila-share on the network nodes, where Kolla runs it (Manila has no conductor).
  const sqlClients = present([
    "controllers",
    "block-storage",
    ...(services.has("manila") && hasNetworkNodes ? (["network-nodes"] as const) : []),
  ]);
  if (spec.controlPlane.database === "galera") {
    add("galera-sql", "3306", "tcp", sqlClients, "controllers");
    add("galera-sst", "4444", "tcp", ctrl, "controllers");
    // (UDP 4567 only with multicast replication, which Kolla does not configure)
    add("galera-replication", "4567", "tcp", ctrl, "controllers");
    add("galera-ist", "4568", "tcp", ctrl, "controllers");
  } else {
    add("mariadb", "3306", "tcp", sqlClients, "controllers");
  }
  add(
    "rabbitmq-amqp",
    "5672",
    "tcp",
    present(["controllers", "network-nodes", "compute", "block-storage"]),
    "controllers",
  );
  if (spec.controlPlane.messaging === "rabbitmq-cluster") {
    add("rabbitmq-cluster", "25672", "tcp", ctrl, "controllers");
    add("rabbitmq-epmd", "4369", "tcp", ctrl, "controllers");
  }
  add("memcached", "11211", "tcp", ctrl, "controllers");
  if (spec.controlPlane.controllers > 1) {
    add("keepalived-vrrp", "-", "vrrp", ctrl, "controllers");
    // Kolla's keystone-ssh: the rotating controller pushes Fernet keys to the others over rsync
    // on this sshd (keystone_ssh_port); without it they refuse tokens after a rotation.
    add("keystone-ssh", "8023", "tcp", ctrl, "controllers");
  }
  add("ssh", String(SSH_PORT), "tcp", ["admin"], "controllers");
  if (hasNetworkNodes) add("ssh", String(SSH_PORT), "tcp", ["admin"], "network-nodes");
  add("ssh", String(SSH_PORT), "tcp", ["admin"], "compute");
  add("libvirt-migration", "16509", "tcp", ["compute"], "compute");
  // QEMU's own migration stream (libvirt's default port range) and the consoles noVNC relays.
  add("qemu-migration", "49152-49215", "tcp", ["compute"], "compute");
  if (services.has("nova")) {
    // libvirt gives each guest's console the next free port from 5900 (Kolla's qemu.conf sets no
    // remote_display_port_max), so a host of many guests goes past any short range.
    add("vnc-console", "5900-65535", "tcp", ctrl, "compute");
    // Kolla's nova-ssh (nova_ssh_port): resize and cold migration copy disks between computes.
    add("nova-ssh", "8022", "tcp", ["compute"], "compute");
  }
  const servers = present([
    "network-nodes",
    "compute",
    "ceph",
    "swift",
    "block-storage",
    ...(spec.deployer ? (["deployer"] as const) : []),
  ]);
  // As config/chrony: the controllers ask the design's servers, the others whom `clients` says.
  if (hosts.ntpClients) {
    add("ntp", "123", "udp", ctrl, "enterprise");
    // (serving, the controllers poll one another: chrony's orphan mode)
    if ((hosts.ntpPeers ?? 0) > 1) add("ntp", "123", "udp", ctrl, "controllers");
    add(
      "ntp",
      "123",
      "udp",
      servers,
      hosts.ntpClients === "controllers" ? "controllers" : "enterprise",
    );
  }
  // A site's own copies of what the hosts install: Kolla's images from its registry (every host
  // running Kolla's containers pulls them), the servers' packages from the mirror, or through
  // the proxy where apt goes through one.
  const registry = spec.controlPlane.containerRegistry;
  if (registry)
    add(
      "container-registry",
      // (Docker and Podman pull over HTTPS: port 443 unless the address names one)
      REGISTRY.exec(registry.address)?.[1] ?? "443",
      "tcp",
      // (Ceph's hosts too: deploy/README.md bootstraps cephadm with an image from it)
      [...ctrl, ...present(["network-nodes", "compute", "block-storage", "ceph"])],
      "enterprise",
    );
  const uc = spec.cloud.undercloud;
  const apt = uc?.packageProxy ?? uc?.packageMirror;
  if (apt) {
    const url = new URL(apt);
    add(
      uc?.packageProxy ? "package-proxy" : "package-mirror",
      url.port || (url.protocol === "https:" ? "443" : "80"),
      "tcp",
      [...ctrl, ...servers],
      "enterprise",
    );
  }
  // Every host resolves names through the design's DNS servers it reaches (netplan's nameservers).
  add("dns", "53", "udp", [...ctrl, ...servers], "enterprise");
  // (answers too large for UDP come again over TCP)
  add("dns", "53", "tcp", [...ctrl, ...servers], "enterprise");

  // Tenant traffic runs between the hosts of Kolla's network and compute groups: the network
  // nodes, or the controllers when the design has none.
  const tunnelPeers = present([hasNetworkNodes ? "network-nodes" : "controllers", "compute"]);
  switch (tunnelEncapsulation(spec.network)) {
    case "vxlan":
      for (const to of tunnelPeers) add("vxlan", "4789", "udp", tunnelPeers, to);
      break;
    case "geneve":
      for (const to of tunnelPeers) add("geneve", "6081", "udp", tunnelPeers, to);
      break;
    case "gre":
      for (const to of tunnelPeers) add("gre", "-", "gre", tunnelPeers, to);
      break;
    default:
      break;
  }
  if (ovn) {
    // Kolla-Ansible's OVN databases on the controllers: neutron-server, ovn-northd and the relays
    // reach the northbound and southbound ones, each chassis (ovn-controller, the OVN metadata
    // agent) the northbound one and the southbound through a relay (one per 50 chassis, at most
    // 9, port 16640 + n; the runbook asks for 20.0.0, the first with them). Clustered databases
    // replicate over Raft.
    const relays = ovnRelayPorts(hosts.ovnRelays);
    const relayPorts =
      relays.length === 1 ? String(relays[0]) : `${relays[0]}-${relays[relays.length - 1]}`;
    const ovnClients = [...new Set([...ctrl, ...tunnelPeers])];
    add("ovn-nb", String(OVN_NB_PORT), "tcp", ovnClients, "controllers");
    // neutron-ovn-vpn-agent, on Kolla's network group, reads it past the relays
    // (ovn_sb_connection_no_relay).
    const vpnAgents = services.has("vpnaas")
      ? present([hasNetworkNodes ? "network-nodes" : "controllers"])
      : [];
    add("ovn-sb", String(OVN_SB_PORT), "tcp", [...new Set([...ctrl, ...vpnAgents])], "controllers");
    add("ovn-sb-relay", relayPorts, "tcp", tunnelPeers, "controllers");
    if (spec.controlPlane.controllers > 1) {
      add("ovn-nb-raft", String(OVN_NB_RAFT_PORT), "tcp", ctrl, "controllers");
      add("ovn-sb-raft", String(OVN_SB_RAFT_PORT), "tcp", ctrl, "controllers");
    }
  }

  // Where cinder-volume runs for the backends of some kinds: controllers, block-storage hosts.
  const volumeZones = (kinds: (k: string) => boolean) =>
    new Set(hosts.volumeHosts.filter((b) => kinds(b.kind)).map((b) => b.zone));
  if (spec.storage.ceph) {
    // cinder-volume reaches Ceph from wherever its Ceph backends run.
    const clients: SecurityZone[] = [
      "controllers",
      "compute",
      ...(services.has("cinder") && volumeZones((k) => k === "ceph").has("block-storage")
        ? (["block-storage"] as const)
        : []),
    ];
    add("ceph-mon", "3300", "tcp", [...clients, "ceph"], "ceph");
    add("ceph-mon-legacy", "6789", "tcp", [...clients, "ceph"], "ceph");
    add("ceph-osd", "6800-7300", "tcp", [...clients, "ceph"], "ceph");
    // cephadm's manager module reaches every Ceph host over SSH to run and move daemons.
    add("ssh", String(SSH_PORT), "tcp", ["admin", "ceph"], "ceph");
    // cephadm bootstrap deploys its monitoring stack: Prometheus (9095) on a manager host scrapes
    // node-exporter on every Ceph host, the managers' exporter and ceph-exporter (Reef and later)
    // and alerts Alertmanager; admins open the managers' dashboard and the Grafana it embeds.
    add("ceph-node-exporter", "9100", "tcp", ["ceph"], "ceph");
    add("ceph-mgr-prometheus", "9283", "tcp", ["ceph"], "ceph");
    add("ceph-exporter", "9926", "tcp", ["ceph"], "ceph");
    add("ceph-prometheus", "9095", "tcp", ["ceph"], "ceph");
    add("ceph-alertmanager", "9093", "tcp", ["ceph"], "ceph");
    add("ceph-dashboard", "8443", "tcp", ["admin"], "ceph");
    add("ceph-grafana", "3000", "tcp", ["admin"], "ceph");
    // Kolla's HAProxy on the controllers forwards to the gateways on the monitor hosts.
    if (objects === "rgw") add("ceph-rgw", String(CEPH_RGW_PORT), "tcp", ctrl, "ceph");
  }
  // With a Ceph backend on several cinder-volume hosts each keeps Cinder's locks in etcd on the
  // controllers (Kolla's etcd group), as cinder-api there does through Kolla's HAProxy.
  const volumeKinds = hosts.volumeHosts.map((b) => b.kind);
  const volumeHostCount = new Set(hosts.volumeHosts.flatMap((b) => b.hosts)).size;
  if (services.has("cinder") && volumeLocks(volumeKinds, volumeHostCount)) {
    const clients: SecurityZone[] = ["controllers", ...volumeZones(() => true)];
    add("etcd-client", "2379", "tcp", [...new Set(clients)], "controllers");
    add("etcd-peer", "2380", "tcp", ["controllers"], "controllers");
  }
  // Valkey and its Sentinels on the controllers' API addresses (Kolla's valkey role): Octavia's
  // workers and Gnocchi there ask the Sentinels for the primary, replicas follow it.
  if (valkeyDeployed([...services])) {
    add("valkey", "6379", "tcp", ctrl, "controllers");
    add("valkey-sentinel", "26379", "tcp", ctrl, "controllers");
  }
  if (spec.storage.swift) {
    add("swift-object", String(SWIFT_RING_PORTS.object), "tcp", ["swift"], "swift");
    add("swift-container", String(SWIFT_RING_PORTS.container), "tcp", ["swift"], "swift");
    add("swift-account", String(SWIFT_RING_PORTS.account), "tcp", ["swift"], "swift");
    add("swift-rsync", "873", "tcp", ["swift"], "swift");
    // Users reach the proxies through Kolla's HAProxy on the VIPs (deploy/kolla/config/haproxy);
    // the proxies check tokens with Keystone there (INTERNAL_CALLERS).
    add("swift-proxy", String(SWIFT_PROXY_PORT), "tcp", ["controllers"], "swift");
    add("ssh", String(SSH_PORT), "tcp", ["admin"], "swift");
  }
  // Hypervisors attach LVM/ZFS volumes where cinder-volume exports them (the block-storage hosts,
  // or the controllers without them), on iSCSI's port; iSER over RoCEv2 carries the RDMA
  // connection in UDP 4791 as well.
  const targetZones = (protocol: "iscsi" | "iser") =>
    new Set(hosts.volumeHosts.filter((b) => b.targetProtocol === protocol).map((b) => b.zone));
  for (const zone of new Set([...targetZones("iscsi"), ...targetZones("iser")]))
    add("iscsi", "3260", "tcp", ["compute"], zone);
  for (const zone of targetZones("iser")) add("iser-rocev2", "4791", "udp", ["compute"], zone);
  // GlusterFS volumes go through their NFS export on the Gluster servers (the enterprise's): both
  // cinder-volume and the hypervisors mount them. mount.nfs speaks NFSv4 first, which needs 2049
  // alone (NFSv3 would add rpcbind and mountd).
  const glusterZones = volumeZones((k) => k === "glusterfs");
  if (glusterZones.size) add("nfs", "2049", "tcp", [...glusterZones, "compute"], "enterprise");
  if (spec.storage.blockStorageNodes)
    add(
      "ssh",
      String(SSH_PORT),
      "tcp",
      present(["admin", ...(spec.deployer ? (["deployer"] as const) : [])]),
      "block-storage",
    );
  if (spec.deployer) {
    add("ssh", String(SSH_PORT), "tcp", ["admin"], "deployer");
    for (const to of present(["controllers", "network-nodes", "compute"]))
      add("ssh", String(SSH_PORT), "tcp", ["deployer"], to);
    if (spec.storage.ceph) add("ssh", String(SSH_PORT), "tcp", ["deployer"], "ceph");
    if (spec.storage.swift) add("ssh", String(SSH_PORT), "tcp", ["deployer"], "swift");
  }
  // The ports Keystone connects to: StartTLS stays on the plain port, only ldaps:// uses 636.
  const ldapPorts = new Set(
    identity.domains.flatMap((d) => d.ldap?.servers.map((server) => server.port) ?? []),
  );
  for (const port of [...ldapPorts].sort((a, b) => a - b))
    add("ldap", String(port), "tcp", ctrl, "enterprise");
  if (services.has("octavia")) {
    // On the octavia network (Kolla's octavia_health_manager_port, octavia_amp_listen_port):
    // heartbeats to the health managers, the workers' calls to the amphora agent.
    add(
      "octavia-health-manager",
      String(OCTAVIA_HEALTH_MANAGER_PORT),
      "udp",
      ["amphorae"],
      "controllers",
    );
    add("octavia-amphora-agent", "9443", "tcp", ["controllers"], "amphorae");
  }
  // The legacy site's VPN gateway reaches the bridge router's IPsec at its external address (the VPN
  // agent's namespace on Kolla's network hosts): IKE, NAT traversal, and ESP where no NAT stands
  // between.
  // The connection initiates too (bi-directional): the same, the other way.
  if (spec.legacyUnix?.vpn) {
    add("ipsec-ike", "500", "udp", ["legacy"], "routers");
    add("ipsec-nat-t", "4500", "udp", ["legacy"], "routers");
    add("ipsec-esp", "-", "esp", ["legacy"], "routers");
    add("ipsec-ike", "500", "udp", ["routers"], "legacy");
    add("ipsec-nat-t", "4500", "udp", ["routers"], "legacy");
    add("ipsec-esp", "-", "esp", ["routers"], "legacy");
  }
  // The flows run between the instances' ports on the bridge network and the legacy systems,
  // bridged past the compute hosts' own addresses.
  for (const flow of spec.legacyUnix?.flows ?? []) {
    if (flow.direction === "to-legacy")
      add(flow.name, String(flow.port), flow.protocol, ["legacy-bridge"], "legacy");
    else add(flow.name, String(flow.port), flow.protocol, ["legacy"], "legacy-bridge");
  }
  return rows;
}
