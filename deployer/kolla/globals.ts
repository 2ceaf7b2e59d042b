import { stringify } from "yaml";
import { CA_BUNDLES } from "../../core/ca-bundles";
import { AMPHORA_FLAVOR } from "../../core/defaults";
import { OVN_CHASSIS_PER_RELAY } from "../../core/neutron";
import type { Model } from "../../model/types";
import { jinjaLiteral } from "../private/ini";

/** Kolla-Ansible's enable_* switch of each OpenStack service of the design that Kolla deploys. */
export const SERVICE_SWITCHES: Readonly<Record<string, string>> = {
  keystone: "enable_keystone",
  nova: "enable_nova",
  placement: "enable_placement",
  neutron: "enable_neutron",
  cinder: "enable_cinder",
  glance: "enable_glance",
  heat: "enable_heat",
  horizon: "enable_horizon",
  ceilometer: "enable_ceilometer",
  octavia: "enable_octavia",
  manila: "enable_manila",
  fwaas: "enable_neutron_fwaas",
  vpnaas: "enable_neutron_vpnaas",
};

type Scalar = string | number | boolean;
type Value =
  Scalar | readonly Record<string, Scalar>[] | { readonly [key: string]: Scalar | Value };

/**
 * The variables of `deploy/kolla/globals.yml`, in file order. Every name is one Kolla-Ansible
 * defines (deployer/kolla/variables.json lists them with the file that defines each). Interface
 * names are not here: they differ per host and live in the inventory.
 */
/** The CA bundle inside Kolla's images: Red Hat's path on CentOS and Rocky, Debian's otherwise. */
const OPENSTACK_CACERT = `{{ '/etc/pki/tls/certs/ca-bundle.crt' if kolla_base_distro in ['centos', 'rocky'] else '${CA_BUNDLES.debian}' }}`;

export function kollaGlobals(model: Model): [string, Value][] {
  const d = model.deploy;
  const g: [string, Value][] = [];
  const set = (key: string, value: Value | undefined) => {
    if (value !== undefined) g.push([key, value]);
  };
  if (d.vips.internal) {
    set("kolla_internal_vip_address", d.vips.internal.address);
    set("kolla_internal_fqdn", d.vips.internal.fqdn);
  }
  if (d.vips.external) {
    set("kolla_external_vip_address", d.vips.external.address);
    set("kolla_external_fqdn", d.vips.external.fqdn);
  }
  set("keepalived_virtual_router_id", d.vips.virtualRouterId);
  // The password is passwords.yml's docker_registry_password (kolla-genpwd leaves it empty).
  if (d.registry) {
    set("docker_registry", d.registry.address);
    set("docker_namespace", d.registry.namespace);
    if (d.registry.username !== undefined)
      set("docker_registry_username", jinjaLiteral(d.registry.username));
  }
  // Keystone's catalog region: the providers of every stack ask for this one. Ansible templates
  // extra-vars, so the user's text goes in as a Jinja literal.
  set("openstack_region_name", jinjaLiteral(model.cloud.region));
  if (d.vips.ipVersion === 6) {
    set("network_address_family", "ipv6");
    set("api_address_family", "ipv6");
  }
  // Tunnels over the other IP version: Kolla then takes local_ip and ovn-encap-ip from that
  // family of tunnel_interface and sets Neutron's overlay_ip_version.
  if (model.network.overlayIpVersion !== d.vips.ipVersion)
    set("tunnel_address_family", model.network.overlayIpVersion === 6 ? "ipv6" : "ipv4");
  // TLS on every endpoint. Without an external VIP Kolla puts the public endpoints on the
  // internal one, and its prechecks refuse one VIP with TLS on one side only
  // (prechecks/tasks/service_checks.yml).
  set("kolla_enable_tls_internal", true);
  set("kolla_enable_tls_external", true);
  set("kolla_copy_ca_into_containers", true);
  // Kolla's TLS guide: services do not always read the system trust store, so they are given
  // the containers' bundle, which the copied CA joins; its path follows the image's distribution.
  set("openstack_cacert", OPENSTACK_CACERT);
  // OS_CACERT of admin-openrc.sh, on the deployment host: where the runbook puts the CA (and
  // `kolla-ansible certificates` writes its own).
  set("kolla_admin_openrc_cacert", "{{ kolla_certificates_dir }}/ca/root.crt");
  set("enable_haproxy", true);
  set("enable_keepalived", true);

  for (const [service, key] of Object.entries(SERVICE_SWITCHES))
    set(key, d.services.includes(service));
  // Users of the design's domains log in to Horizon by domain; otherwise only Default's can.
  if (d.services.includes("horizon") && model.identity.domains.length)
    set("horizon_keystone_multidomain", true);
  // Kolla turns Octavia's jobboard on with Octavia, and its precheck then demands Valkey.
  if (d.valkey) set("enable_valkey", true);
  const amp = d.octavia?.network;
  if (amp) {
    // Kolla's default is a tenant network no controller reaches: the amphorae go on the design's
    // VLAN, which the controllers join (octavia_network_interface) and the computes bridge.
    set("octavia_amp_network", {
      name: amp.name,
      provider_network_type: amp.networkType,
      provider_physical_network: amp.physicalNetwork,
      ...(amp.vlan !== undefined ? { provider_segmentation_id: amp.vlan } : {}),
      mtu: amp.mtu,
      external: false,
      shared: false,
      subnet: {
        name: `${amp.name}-subnet`,
        cidr: amp.cidr,
        // Kolla plugs a router into an IPv6 subnet; its announcements give the amphorae their
        // addresses (SLAAC, on a /64: octavia-network-prefix).
        ...(amp.ipVersion === 6
          ? { ip_version: 6, ipv6_address_mode: "slaac", ipv6_ra_mode: "slaac" }
          : {}),
        ...(amp.allocationPool
          ? {
              allocation_pool_start: amp.allocationPool.start,
              allocation_pool_end: amp.allocationPool.end,
            }
          : {}),
        ...(amp.gateway ? { gateway_ip: amp.gateway } : { no_gateway_ip: true }),
        enable_dhcp: true,
      },
    });
    if (d.octavia?.topology === "ACTIVE_STANDBY")
      set("octavia_loadbalancer_topology", d.octavia.topology);
    // Kolla's amphora flavor as it makes it, asking for the design's pool as the pools' own
    // flavors do (AggregateInstanceExtraSpecsFilter lets a flavor asking for none anywhere).
    const pool = model.controlPlane.octavia?.pool;
    if (pool)
      set("octavia_amp_flavor", {
        name: AMPHORA_FLAVOR.name,
        is_public: false,
        vcpus: AMPHORA_FLAVOR.vcpus,
        ram: AMPHORA_FLAVOR.ramMiB,
        disk: AMPHORA_FLAVOR.diskGiB,
        extra_specs: { [`aggregate_instance_extra_specs:${d.nova.aggregateKey}`]: pool },
      });
    // Kolla reads the health managers' addresses in the API network's family unless told.
    if (amp.ipVersion !== d.vips.ipVersion)
      set("octavia_network_address_family", amp.ipVersion === 6 ? "ipv6" : "ipv4");
  }

  const n = d.neutron;
  set("neutron_plugin_agent", n.mechanism === "ovn" ? "ovn" : "openvswitch");
  set("neutron_type_drivers", n.typeDrivers.join(","));
  set("neutron_tenant_network_types", n.tenantNetworkTypes.join(","));
  set("enable_neutron_provider_networks", n.computesNeedBridges);
  set("enable_neutron_agent_ha", n.agentHa);
  // More chassis per relay than Kolla's 50 keeps the relays at nine or fewer (core/neutron.ts).
  if (n.ovnRelays && n.ovnRelays.chassisPerRelay !== OVN_CHASSIS_PER_RELAY)
    set("ovn_sb_db_relay_compute_per_relay", n.ovnRelays.chassisPerRelay);

  const backends = d.cinder.backends;
  // Kolla writes one LVM backend itself and places cinder-volume on the storage hosts only when
  // it is on; the overrides complete its section and add the others.
  const lvm = backends.find((b) => b.name === d.cinder.kollaLvmBackend);
  set("enable_cinder_backend_lvm", lvm !== undefined);
  if (lvm) {
    set("cinder_backend_lvm_name", lvm.name);
    set("cinder_volume_group", lvm.volumeGroup);
  }
  const nfs = backends.filter((b) => b.kind === "glusterfs");
  set("enable_cinder_backend_nfs", nfs.length > 0);
  if (nfs.length) set("cinder_backend_nfs_name", nfs[0].name);
  const rbd = backends.filter((b) => b.kind === "ceph");
  set("cinder_backend_ceph", rbd.length > 0);
  if (rbd.length)
    set(
      "cinder_ceph_backends",
      rbd.map((b) => ({
        name: b.name,
        backend_name: b.volumeBackendName,
        cluster: "ceph",
        user: "cinder",
        pool: b.cephPool as string,
        enabled: true,
      })),
    );
  // Kolla's precheck wants a cluster name for several cinder-volume hosts, and a coordination
  // backend for Cinder's locks with a Ceph backend on several (Kolla picks etcd when it is on).
  const volumeHosts = d.cinder.volumeHosts;
  if (volumeHosts?.mode === "cluster") set("cinder_cluster_name", volumeHosts.cluster);
  if (d.cinder.etcdLocks) set("enable_etcd", true);
  // Kolla gives Cinder Valkey for its locks whenever Valkey is on: they stay in etcd where the
  // design keeps them, and Cinder keeps none where it needs none (the ports lead nowhere else).
  if (d.valkey && d.services.includes("cinder"))
    set("cinder_coordination_backend", d.cinder.etcdLocks ? "etcd" : "");
  if (volumeHosts?.mode === "independent") set("cinder_cluster_skip_precheck", true);
  set("enable_cinder_backup", d.cinder.backup !== undefined);
  if (d.cinder.backup) set("cinder_backup_driver", d.cinder.backup.driver);
  // Kolla takes the backup's Ceph cluster and user from the cinder_ceph_backends entry of this
  // name ("rbd-1" unless set), and resolves it with any Ceph volume backend, whatever the backup
  // driver (cinder's external_ceph.yml): with no entry of that name the task fails.
  if (d.cinder.backupCephBackend)
    set("cinder_backup_backend_ceph_name", d.cinder.backupCephBackend);

  set("glance_backend_ceph", d.glance.store === "rbd");
  set("glance_backend_file", d.glance.store === "file");
  set("nova_backend_ceph", d.nova.cephEphemeral);

  const ceph = d.ceph;
  if (ceph) {
    set("ceph_cinder_pool_name", ceph.kollaPools.volumes);
    set("ceph_glance_pool_name", ceph.kollaPools.images);
    set("ceph_nova_pool_name", ceph.kollaPools.vms);
    set("ceph_cinder_backup_pool_name", ceph.kollaPools.backups);
    if (ceph.rgw) {
      set("enable_ceph_rgw", true);
      set("enable_ceph_rgw_keystone", true);
      // Kolla registers the object-store endpoint at /v1 when this is on, /swift/v1 when off; the
      // gateways serve Swift under rgw_swift_url_prefix, "swift" unless Ceph is told otherwise.
      set("ceph_rgw_swift_compatibility", false);
      // The gateways keep the ceph_rgw password they were given: Kolla would reset it on every
      // reconfigure (its RadosGW guide says to turn this off).
      set("update_keystone_service_user_passwords", false);
      const addresses = new Map(ceph.hosts.map((h) => [h.name, h.address]));
      set(
        "ceph_rgw_hosts",
        ceph.rgw.hosts.map((host) => ({
          host,
          ip: addresses.get(host) ?? host,
          port: ceph.rgw?.port ?? 0,
        })),
      );
    }
  }
  // Kolla's ceilometer precheck wants a publisher: Gnocchi, on the store the model chose. Kolla's
  // template writes only file and ceph storage; the Swift driver is in config/gnocchi.conf.
  if (d.gnocchi) {
    set("enable_gnocchi", true);
    set("gnocchi_backend_storage", d.gnocchi.store);
    set("ceph_gnocchi_pool_name", d.gnocchi.cephPool);
    set("ceph_gnocchi_user", d.gnocchi.cephUser);
  }
  return g;
}

export function kollaGlobalsFile(model: Model): string {
  // The release the runbook asks for: the design's features set its minimum.
  const release = model.lifecycle
    .find((st) => st.id === "deploy")
    ?.prerequisites.find((i) => i.kind === "kolla-release")?.params;
  const minimum = String(release?.minimum ?? "");
  const header = [
    "# Kolla-Ansible globals, written by Stackwright from the design: copy to /etc/kolla/globals.yml.",
    "# Interface names differ per host and are in the inventory: values here are extra-vars and would",
    "# override them. Passwords are not here: `kolla-genpwd` fills /etc/kolla/passwords.yml.",
    `# Choose kolla_base_distro and openstack_release yourself (Kolla-Ansible ${minimum} or later):`,
    "# the design does not pin them.",
    "",
  ];
  const body = stringify(Object.fromEntries(kollaGlobals(model)), {
    lineWidth: 0,
    defaultStringType: "QUOTE_DOUBLE",
    defaultKeyType: "PLAIN",
  });
  return `${header.join("\n")}---\n${body}`;
}
