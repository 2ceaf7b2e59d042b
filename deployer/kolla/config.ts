import type { Model } from "../../model/types";
import type { CinderBackendDeployModel } from "../../model/deploy";
import { domainConf } from "../../artifacts/keystone-domains";
import { iniFile, jinjaLiteral, type IniSection, type IniValue } from "../private/ini";
import { urlHost } from "../../core/net";

/** Folder Kolla-Ansible reads service overrides from (node_custom_config), under deploy/kolla. */
export const KOLLA_CONFIG_DIR = "config";

const HEADER = (what: string, dest: string) => [
  `${what}, written by Stackwright from the design.`,
  `Kolla-Ansible merges it into ${dest}: copy deploy/kolla/config to /etc/kolla/config.`,
];

/**
 * Service overrides where Kolla-Ansible reads them (`/etc/kolla/config/...`), keyed by path
 * under deploy/kolla: Nova per compute host and scheduler, Neutron ML2 and agent, Cinder
 * backends, Glance store, Keystone domains.
 */
/** neutron-fwaas's OVN service provider (Kolla-Ansible's own choice from 2026.2 on). */
const OVN_FWAAS_PROVIDER =
  "FIREWALL_V2:fwaas_db:neutron_fwaas.services.firewall.service_drivers.ovn.firewall_l3_driver.OVNFwaasDriver:default";
/** neutron-fwaas's provider for the L3 agents, as Kolla's fwaas_driver.ini names it. */
const AGENT_FWAAS_PROVIDER =
  "FIREWALL_V2:fwaas_db:neutron_fwaas.services.firewall.service_drivers.agents.agents.FirewallAgentDriver:default";
/** neutron-vpnaas's providers as Kolla's neutron_vpnaas.conf writes them (Jinja expressions). */
const OVN_VPN_PROVIDER =
  "'VPN:' ~ ('strongswan' if kolla_base_distro in ['ubuntu', 'debian'] else 'openswan') ~ ':neutron_vpnaas.services.vpn.service_drivers.ovn_ipsec.IPsecOvnVPNDriver:default'";
const AGENT_VPN_PROVIDER =
  "VPN:openswan:neutron_vpnaas.services.vpn.service_drivers.ipsec.IPsecVPNDriver:default";
/**
 * Kolla-Ansible 2025.2 and 2026.1: neutron-server under uwsgi (its `wsgi` entry) and no
 * neutron_config_files list, which master added to pass every file to each service.
 */
const UWSGI_WITHOUT_CONFIG_FILES =
  "neutron_services['neutron-server'].wsgi is defined and neutron_config_files is not defined";

export function kollaConfigFiles(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  const put = (path: string, content: string) => files.set(`${KOLLA_CONFIG_DIR}/${path}`, content);
  const d = model.deploy;
  const services = new Set(d.services);

  if (services.has("nova")) {
    // Every nova service reads the aliases: nova-api builds the request from the flavor's.
    if (d.nova.pciAliases)
      put(
        "nova.conf",
        iniFile(HEADER("Nova", "every Nova service's nova.conf"), [
          {
            name: "pci",
            comment: [
              "Flavors ask for the devices by alias (pci_passthrough:alias); NUMA-local where a",
              "guest's NUMA node has them, else from any of the host's (numa_policy preferred).",
            ],
            options: d.nova.pciAliases.map(
              (a) =>
                [
                  "alias",
                  // (device_type: Nova leaves a PF out of any request not naming type-PF)
                  JSON.stringify({
                    name: a.name,
                    vendor_id: a.vendorId,
                    product_id: a.productId,
                    device_type: a.deviceType,
                    numa_policy: "preferred",
                  }),
                ] as const,
            ),
          },
        ]),
      );
    if (d.nova.keyPairQuota)
      put(
        "nova/nova-api.conf",
        iniFile(HEADER("Nova API", "nova-api's nova.conf"), [
          {
            name: "quota",
            comment: [
              "Key pairs per user: the tenant stacks upload more than Nova's default 100 as one user.",
            ],
            options: [["key_pairs", d.nova.keyPairQuota]],
          },
        ]),
      );
    put(
      "nova/nova-scheduler.conf",
      iniFile(HEADER("Nova scheduler", "nova-scheduler's nova.conf"), [
        {
          name: "filter_scheduler",
          comment: [
            `Flavors carry aggregate_instance_extra_specs:${d.nova.aggregateKey}=<pool>; the pool's`,
            `aggregate carries ${d.nova.aggregateKey}=<pool>: AggregateInstanceExtraSpecsFilter matches them.`,
          ],
          options: [["enabled_filters", d.nova.enabledFilters.join(",")]],
        },
      ]),
    );
    for (const h of d.nova.hosts) {
      const sections: IniSection[] = [
        {
          name: "DEFAULT",
          comment: [
            `Pool ${h.pool}: placement reads the ratios from each compute host, never from aggregates.`,
          ],
          options: [
            ["cpu_allocation_ratio", h.cpuAllocationRatio],
            ["ram_allocation_ratio", h.ramAllocationRatio],
            ["reserved_host_memory_mb", h.reservedHostMemoryMb],
            ...(h.reservedHostCpus !== undefined
              ? [["reserved_host_cpus", h.reservedHostCpus] as const]
              : []),
          ],
        },
      ];
      if (h.cpuDedicatedSet)
        sections.push({
          name: "compute",
          comment: [
            `Pinned pool: ${h.dedicatedCpus} dedicated CPUs (PCPU) for guests, only pinned ones.`,
            ...(h.hostCpus
              ? [
                  `CPUs ${h.hostCpus} stay with the host: no cpu_shared_set, which Nova would offer`,
                  "to unpinned guests as VCPU. Check the CPU numbering with `lscpu -e`.",
                ]
              : ["Check the CPU numbering with `lscpu -e`."]),
          ],
          options: [["cpu_dedicated_set", h.cpuDedicatedSet]],
        });
      if (h.pciDevices)
        sections.push({
          name: "pci",
          comment: [
            "Devices passed through to instances whole: bound to vfio-pci, no host driver (RUNBOOK.md).",
          ],
          options: h.pciDevices.map(
            (p) =>
              [
                "device_spec",
                JSON.stringify({ vendor_id: p.vendorId, product_id: p.productId }),
              ] as const,
          ),
        });
      put(
        `nova/${h.name}/nova.conf`,
        iniFile(HEADER(`Nova on ${h.name}`, "its nova.conf"), sections),
      );
    }
  }

  if (services.has("neutron")) {
    const n = d.neutron;
    const types = new Set(n.typeDrivers);
    const sections: IniSection[] = [];
    if (types.has("vlan"))
      sections.push({
        name: "ml2_type_vlan",
        comment: ["Physical networks, with the tenant VLAN range where tenants get VLANs."],
        options: [
          [
            "network_vlan_ranges",
            n.physicalNetworks
              .filter((p) => p.vlan)
              .map((p) =>
                p.vlanRange ? `${p.name}:${p.vlanRange.min}:${p.vlanRange.max}` : p.name,
              )
              .join(","),
          ],
        ],
      });
    sections.push({
      name: "ml2_type_flat",
      options: [["flat_networks", n.flatNetworks.join(",")]],
    });
    // Neutron caps every network's MTU at global_physnet_mtu (1500 unless set, less the overlay
    // header): without it, the design's larger tenant and provider MTUs are refused at creation.
    // Every Neutron service reads it: from 2025.2 on Kolla splits neutron-server into the API,
    // an RPC server and periodic workers, which would not see a neutron-server.conf.
    const providers: [string, IniValue][] = [
      ...(services.has("fwaas")
        ? [
            [
              "service_provider",
              n.mechanism === "ovn" ? OVN_FWAAS_PROVIDER : AGENT_FWAAS_PROVIDER,
            ] as [string, IniValue],
          ]
        : []),
      ...(services.has("vpnaas")
        ? [
            [
              "service_provider",
              n.mechanism === "ovn" ? { kollaVariable: OVN_VPN_PROVIDER } : AGENT_VPN_PROVIDER,
            ] as [string, IniValue],
          ]
        : []),
    ];
    put(
      "neutron.conf",
      iniFile(HEADER("Neutron", "every Neutron service's neutron.conf"), [
        {
          name: "DEFAULT",
          comment: [
            "The underlay MTU: Neutron derives each network's largest MTU from it.",
            ...(n.agentHa && !n.haRouters
              ? [
                  "Routers stay on one L3 agent: an HA router's VRRP network is made of a tenant network",
                  "type, and flat gives none (Kolla's enable_neutron_agent_ha turns l3_ha on).",
                ]
              : []),
            ...(n.maxRoutes
              ? [
                  `The legacy bridge's router holds ${n.maxRoutes} routes, its legacy subnets${n.mechanism === "ovn" && model.legacyUnix?.vpn ? " and the VPN's peer CIDRs (OVN's VPN driver routes them there)" : ""} (30 by default).`,
                ]
              : []),
            ...(n.maxSubnetHostRoutes
              ? [
                  `The legacy bridge's subnet gives its ports ${n.maxSubnetHostRoutes} routes (20 by default).`,
                ]
              : []),
          ],
          options: [
            ["global_physnet_mtu", model.network.underlayMtu],
            ...(n.agentHa && !n.haRouters ? [["l3_ha", false] as [string, IniValue]] : []),
            ...(n.maxRoutes ? [["max_routes", n.maxRoutes] as [string, IniValue]] : []),
            ...(n.maxSubnetHostRoutes
              ? [["max_subnet_host_routes", n.maxSubnetHostRoutes] as [string, IniValue]]
              : []),
          ],
        },
        ...(n.quotas.length
          ? [
              {
                name: "quotas",
                comment: [
                  "Per-project defaults, which hold for the admin's project too: it owns the platform's",
                  "security groups and firewall rules and the RBAC entries sharing its networks. Each is",
                  "Neutron's default plus what the platform makes there:",
                  ...n.quotas.map((q) => `  ${q.option}: ${q.used}.`),
                ],
                options: n.quotas.map((q) => [q.option, q.value] as [string, IniValue]),
              },
            ]
          : []),
        ...(providers.length
          ? [
              {
                name: "service_providers",
                comment: [
                  "Kolla-Ansible 2025.2 and 2026.1 run neutron-server under uwsgi with neutron.conf and",
                  "ml2_conf.ini only, and the RPC server and workers without fwaas_driver.ini and",
                  "neutron_vpnaas.conf (Kolla bug 2160066): on those releases the providers are here.",
                ],
                options: providers,
                when: UWSGI_WITHOUT_CONFIG_FILES,
              },
            ]
          : []),
      ]),
    );
    if (model.network.pathMtu !== undefined)
      sections.push({
        name: "ml2",
        comment:
          n.mechanism === "ovn" && model.network.tenantNetworkType === "vxlan"
            ? [
                "Neutron sizes VXLAN networks by it less VXLAN's overhead: the tunnels' network MTU",
                "less the 8 bytes more OVN's Geneve tunnels carry.",
              ]
            : ["The tunnels' network MTU: Neutron sizes tunnel networks by it."],
        options: [["path_mtu", model.network.pathMtu]],
      });
    const vni = `${n.vniRange.min}:${n.vniRange.max}`;
    if (types.has("vxlan"))
      sections.push({ name: "ml2_type_vxlan", options: [["vni_ranges", vni]] });
    if (types.has("geneve"))
      sections.push({ name: "ml2_type_geneve", options: [["vni_ranges", vni]] });
    if (types.has("gre"))
      sections.push({ name: "ml2_type_gre", options: [["tunnel_id_ranges", vni]] });
    put("neutron/ml2_conf.ini", iniFile(HEADER("Neutron ML2", "ml2_conf.ini"), sections));
    // Kolla-Ansible up to 2026.1 writes FWaaS's agent provider whatever the backend; under OVN no
    // L3 agent runs to apply it, and firewall groups would stay unenforced.
    if (services.has("fwaas") && n.mechanism === "ovn")
      put(
        "neutron/fwaas_driver.ini",
        iniFile(HEADER("Neutron FWaaS", "fwaas_driver.ini"), [
          {
            name: "service_providers",
            comment: ["OVN applies firewall groups itself, on the routers' ports."],
            options: [["service_provider", OVN_FWAAS_PROVIDER]],
          },
        ]),
      );
    if (n.mechanism === "ovs") {
      const tunnels = n.tenantNetworkTypes.filter(
        (t) => t === "vxlan" || t === "gre" || t === "geneve",
      );
      put(
        "neutron/openvswitch_agent.ini",
        iniFile(HEADER("Open vSwitch agent", "openvswitch_agent.ini"), [
          {
            name: "agent",
            comment: [
              "Bridge mappings come from each host's neutron_physical_networks and neutron_bridge_name (inventory).",
            ],
            options: [["tunnel_types", tunnels.join(",")]],
          },
        ]),
      );
    }
  }

  if (services.has("cinder")) {
    const defaultType = model.storage.defaultVolumeType;
    if (defaultType !== undefined)
      put(
        "cinder.conf",
        iniFile(HEADER("Cinder", "every Cinder service's cinder.conf"), [
          {
            name: "DEFAULT",
            comment: [
              "Volumes made without a type (Horizon's default, Nova's boot from volume) take this",
              "one, with its backend, QoS and quotas; Cinder's own __DEFAULT__ type has no extra",
              "specs, and its volumes land on any backend.",
            ],
            options: [["default_volume_type", defaultType]],
          },
        ]),
      );
    const own = d.cinder.backends.filter((b) => b.kind !== "ceph");
    if (own.length)
      put(
        "cinder/cinder-volume.conf",
        iniFile(
          HEADER("Cinder backends", "cinder-volume's cinder.conf"),
          own.map((b) => backendSection(b)),
        ),
      );
    // Kolla copies this one file into cinder-volume as /etc/cinder/nfs_shares, templated.
    const shares = d.cinder.backends.flatMap((b) => b.shares ?? []);
    if (shares.length) put("cinder/nfs_shares", jinjaLiteral(`${shares.join("\n")}\n`));
    const hosts = [...new Set(d.cinder.backends.flatMap((b) => b.hosts))].sort();
    for (const host of hosts) {
      const served = d.cinder.backends.filter((b) => b.hosts.includes(host));
      put(
        `cinder/${host}/cinder.conf`,
        iniFile(HEADER(`Cinder on ${host}`, "its cinder.conf"), [
          {
            name: "DEFAULT",
            comment: ["The backends whose volumes this host serves."],
            options: [["enabled_backends", served.map((b) => b.name).join(",")]],
          },
          ...served.flatMap((b): IniSection[] => {
            const address = b.targetAddresses?.[host];
            return address
              ? [
                  {
                    name: b.name,
                    comment: [
                      "Its targets listen on the storage network, where hypervisors attach.",
                    ],
                    options: [["target_ip_address", address]],
                  },
                ]
              : [];
          }),
        ]),
      );
    }
    if (d.cinder.backup?.driver === "swift")
      put(
        "cinder/cinder-backup.conf",
        iniFile(HEADER("Cinder backup", "cinder-backup's cinder.conf"), [
          {
            name: "DEFAULT",
            comment: [
              "Kolla writes backup settings for ceph, nfs and s3 only: the Swift driver is set here.",
              "It authenticates with the user's token (backup_swift_auth = per_user), no credentials,",
              "and reaches Swift at its internal endpoint, not the public one the default names.",
            ],
            options: [
              ["backup_driver", "cinder.backup.drivers.swift.SwiftBackupDriver"],
              ["swift_catalog_info", "object-store:swift:internalURL"],
              // The internal endpoint's certificate is Kolla's CA's (as Kolla's own Swift
              // support once set it): swiftclient trusts no bundle it is not given.
              ["backup_swift_ca_cert_file", { kollaVariable: "openstack_cacert" }],
              ...(d.cinder.backup.container
                ? [["backup_swift_container", d.cinder.backup.container] as const]
                : []),
              ...(d.cinder.backup.storagePolicy
                ? [["backup_swift_create_storage_policy", d.cinder.backup.storagePolicy] as const]
                : []),
            ],
          },
        ]),
      );
  }

  // Nova and Cinder clone an image in Ceph only where Glance shows its location (Kolla's
  // external-ceph guide; nova/image/glance.py reads direct_url): else each boot copies it whole.
  if (services.has("glance") && d.glance.store === "rbd") {
    put(
      "glance/glance-api.conf",
      iniFile(HEADER("Glance image store", "glance-api.conf"), [
        {
          name: "DEFAULT",
          comment: [
            "Copy-on-write clones of images in Ceph for instances and volumes: they read the image's",
            "rbd:// location from Glance. No store holding credentials in its locations is enabled.",
          ],
          options: [["show_image_direct_url", true]],
        },
      ]),
    );
  }

  if (services.has("glance") && d.glance.store === "swift") {
    put(
      "glance/glance-api.conf",
      iniFile(HEADER("Glance image store", "glance-api.conf"), [
        {
          name: "DEFAULT",
          comment: ["Kolla's stores (it lists no Swift) and Swift, where images go."],
          options: [["enabled_backends", d.glance.enabledBackends.join(", ")]],
        },
        { name: "glance_store", options: [["default_backend", "swift"]] },
        {
          name: "swift",
          comment: [
            "Multi-tenant store: images live in the owner's Swift account under the user's token,",
            "so Glance holds no Swift credentials.",
          ],
          options: [
            ["swift_store_multi_tenant", true],
            ["swift_store_create_container_on_put", true],
            // As cinder-backup: the internal endpoint, not the public one through the external VIP.
            ["swift_store_endpoint_type", "internalURL"],
            ["swift_store_cacert", { kollaVariable: "openstack_cacert" }],
            ...(d.glance.swiftContainer
              ? [["swift_store_container", d.glance.swiftContainer] as const]
              : []),
          ],
        },
      ]),
    );
  }

  if (d.gnocchi?.store === "swift") {
    const kolla = (kollaVariable: string) => ({ kollaVariable });
    put(
      "gnocchi.conf",
      iniFile(HEADER("Gnocchi metric storage", "gnocchi.conf of every Gnocchi service"), [
        {
          name: "storage",
          comment: [
            "Kolla's template writes file and ceph storage only: the metrics go to Swift, in the",
            "service project, as Kolla's gnocchi user (its password comes from passwords.yml).",
          ],
          options: [
            ["driver", "swift"],
            ["swift_auth_version", 3],
            ["swift_authurl", kolla("keystone_internal_url ~ '/v3'")],
            ["swift_user", kolla("gnocchi_keystone_user")],
            ["swift_key", kolla("gnocchi_keystone_password")],
            ["swift_project_name", "service"],
            ["swift_user_domain_name", kolla("default_user_domain_name")],
            ["swift_project_domain_name", kolla("default_project_domain_name")],
            ["swift_endpoint_type", "internalURL"],
            ["swift_cacert", kolla("openstack_cacert")],
          ],
        },
      ]),
    );
  }

  if (d.octavia)
    put(
      "octavia.conf",
      iniFile(HEADER("Octavia", "octavia.conf of every Octavia service"), [
        {
          name: "health_manager",
          comment: [
            "The key the amphorae sign their heartbeats with: Kolla-Ansible writes `insecure`,",
            "so anything on the amphora network could report load balancers healthy or failed.",
            `${d.octavia.heartbeatKeyVariable} is added to /etc/kolla/passwords.yml (deploy/README.md).`,
          ],
          options: [["heartbeat_key", { kollaVariable: d.octavia.heartbeatKeyVariable }]],
        },
        ...(d.octavia.topology === "ACTIVE_STANDBY"
          ? [
              {
                name: "nova",
                comment: [
                  "Each load balancer's two amphorae in a server group Nova keeps on different compute",
                  "hosts (Octavia's default is off: a host's failure could take both).",
                ],
                options: [
                  ["enable_anti_affinity", true],
                  ["anti_affinity_policy", "anti-affinity"],
                ] as [string, boolean | string][],
              },
            ]
          : []),
      ]),
    );

  if (services.has("keystone")) {
    for (const domain of model.identity.domains) {
      if (!domain.ldap) continue;
      // Kolla renders these files as templates: the design's text stays literal, the bind
      // password comes from its variable in passwords.yml.
      put(
        `keystone/domains/keystone.${domain.name}.conf`,
        domainConf(domain.name, domain.ldap, { literal: jinjaLiteral }),
      );
    }
  }
  if (d.swiftProxies) put("haproxy/services.d/swift.cfg", swiftHaproxy(model));
  return files;
}

/** Kolla's HAProxy certificates in its container, for the internal and external VIP. */
const HAPROXY_CERTS = {
  internal: "/etc/haproxy/certificates/haproxy-internal.pem",
  external: "/etc/haproxy/certificates/haproxy.pem",
};

/**
 * Swift's proxies behind Kolla's HAProxy, which serves every file of
 * /etc/kolla/config/haproxy/services.d on the load balancers: the object-store endpoints are the
 * VIPs, and a failed proxy leaves the pool by its health check. A Jinja template to Kolla.
 */
function swiftHaproxy(model: Model): string {
  const d = model.deploy;
  const swift = d.swiftProxies!;
  // As Kolla's own services write them (put_address_in_context('url')): IPv6 in brackets.
  const at = (address: string) => `${urlHost(address)}:${swift.port}`;
  // Every endpoint has TLS (deployer/kolla/globals.ts).
  const frontend = (which: "internal" | "external", address: string) => [
    `frontend swift_proxy_${which}_front`,
    "    mode http",
    "    option httplog",
    "    option forwardfor",
    "    http-request del-header X-Forwarded-Proto",
    "    http-request set-header X-Forwarded-Proto https",
    `    bind ${at(address)} ssl crt ${HAPROXY_CERTS[which]}`,
    "    default_backend swift_proxy_back",
    "",
  ];
  const lines = [
    "# Swift's proxies behind Kolla's HAProxy, written by Stackwright from the design: Kolla-Ansible",
    "# no longer deploys Swift. Kolla copies this file to every load balancer (haproxy/services.d).",
    "",
    ...(d.vips.internal ? frontend("internal", d.vips.internal.address) : []),
    ...(d.vips.external ? frontend("external", d.vips.external.address) : []),
    "backend swift_proxy_back",
    "    mode http",
    "    option httpchk GET /healthcheck",
    ...swift.backends.map(
      (b) => `    server ${b.host} ${at(b.address)} check inter 2000 rise 2 fall 5`,
    ),
    "",
  ];
  return jinjaLiteral(lines.join("\n"));
}

function backendSection(b: CinderBackendDeployModel): IniSection {
  if (b.kind === "glusterfs")
    return {
      name: b.name,
      comment: [
        "Cinder has no GlusterFS driver since Ocata: the volumes go through the Gluster NFS export,",
        "listed in config/cinder/nfs_shares (one host:/volume per line).",
      ],
      options: [
        ["volume_driver", "cinder.volume.drivers.nfs.NfsDriver"],
        ["volume_backend_name", b.volumeBackendName],
        ["nfs_shares_config", "/etc/cinder/nfs_shares"],
      ],
    };
  return {
    name: b.name,
    comment:
      b.kind === "zfs"
        ? [
            "ZFS through LVM: the volume group sits on a zvol of the host's ZFS pool, so volumes get",
            "ZFS checksums and compression and Cinder's in-tree LVM driver exports them.",
          ]
        : [],
    options: [
      ["volume_driver", "cinder.volume.drivers.lvm.LVMVolumeDriver"],
      ["volume_backend_name", b.volumeBackendName],
      ["volume_group", b.volumeGroup as string],
      ["target_helper", { kollaVariable: "cinder_target_helper" }],
      ["target_protocol", b.targetProtocol as string],
    ],
  };
}
