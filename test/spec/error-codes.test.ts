// Every code a user mistake can raise in the spec and the model is asserted on its path here or
// in another test; the last test reads the sources and fails for a code no test names.
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { loadDesign } from "../../cli/pipeline";
import { UserError, formatPath, type SpecIssue } from "../../core/errors";
import {
  CORE_SERVICES,
  cephAtSites,
  cephCluster,
  issuesOf,
  load,
  variant,
  swiftCluster,
  privateTypeQuota,
} from "../support/fixtures";
import { ROOT } from "../support/blueprints";
import { withLegacyBridge, withLegacyFlows } from "../support/legacy";
import { loadSpecText } from "../../model/load";
import { tempDir } from "../support/temp";

type Edit = (s: any) => void;

const swift = (s: any, extra: Record<string, unknown> = {}) => {
  s.controlPlane.services = [...CORE_SERVICES, "swift"];
  s.storage = {
    swift: {
      ...swiftCluster(extra),
    },
  };
};

/** One tenant whose two groups get these roles. */
const twoRoles = (s: any, first: string, second: string) =>
  (s.tenants = [
    {
      name: "a",
      groups: [
        { name: "ops", role: first },
        { name: "devs", role: second },
      ],
    },
  ]);

/** Ceph on three `stor` hosts with the given pools, beside the rest of `storage`. */
const cephPools = (pools: Record<string, unknown>[], storage: Record<string, unknown> = {}) => ({
  ...storage,
  ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4, pools },
});

const legacy = (s: any, network: Record<string, unknown>) => {
  s.network.networks.push({ name: "unix", cidr: "10.0.9.0/24", ...network });
  s.legacyUnix = {
    network: "unix",
    subnets: ["192.168.9.0/24"],
    nextHop: "10.0.9.254",
    systems: [{ name: "aix1", architecture: "ppc64", os: "AIX 7.2", address: "192.168.9.10" }],
  };
};

/** An Active Directory domain `corp`, with these settings of its directory. */
const corpDirectory = (more: Record<string, unknown> = {}) => ({
  name: "corp",
  ldap: {
    url: "ldaps://dc.example.com",
    userTreeDn: "OU=Users,DC=example,DC=com",
    groupTreeDn: "OU=Groups,DC=example,DC=com",
    ...more,
  },
});

const amphoraNet = (s: any, network: Record<string, unknown> = {}) =>
  s.network.networks.push({ name: "lb-mgmt", role: "octavia", cidr: "10.0.8.0/24", ...network });

const at = (issues: readonly SpecIssue[]) =>
  issues.map((i) => ({ code: i.code, path: formatPath(i.path), severity: i.severity }));

describe("error codes of the spec rules and the model", () => {
  const errors: [string, Edit, string, string][] = [
    [
      "baremetal-flavor-mixed",
      (s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.flavor = "baremetal-cmp";
      },
      "controlPlane.flavor",
      "one bare-metal flavor for the controllers and the compute hosts, of other hardware",
    ],
    [
      "default-domain-manager",
      (s) =>
        (s.identity = {
          groupRoleMappings: [{ domain: "default", group: "helpdesk", role: "manager" }],
        }),
      "identity.groupRoleMappings[0].role",
      "a group made manager of the Default domain, where Kolla's admin and service users live",
    ],
    [
      "ldap-bind-name",
      (s) =>
        (s.identity = {
          domains: [corpDirectory({ bindDn: "svc@example.com", activeDirectory: false })],
          groupRoleMappings: [],
        }),
      "identity.domains[0].ldap.bindDn",
      "an Active Directory bind name for a directory of the standard schemas",
    ],
    [
      "ldap-posix-group-ids",
      (s) =>
        (s.identity = {
          domains: [
            {
              name: "ipa",
              ldap: {
                url: "ldaps://ipa.example.com",
                userTreeDn: "cn=users,dc=example,dc=com",
                groupTreeDn: "cn=groups,dc=example,dc=com",
                bindDn: "uid=svc,dc=example,dc=com",
                activeDirectory: false,
                groupObjectClass: "posixGroup",
                userIdAttribute: "entryUUID",
              },
            },
          ],
        }),
      "identity.domains[0].ldap.userIdAttribute",
      "posixGroups (memberUid lists uids) with users identified by another attribute",
    ],
    [
      "ldap-directory-unstated",
      (s) =>
        (s.identity = researchDirectory({
          userObjectClass: "inetOrgPerson",
          userIdAttribute: "uid",
        })),
      "identity.domains[0].ldap.userObjectClass",
      "OpenLDAP's user class with Active Directory left to its default",
    ],
    [
      "address-outside-network",
      (s) => (s.network.networks[0].gateway = "10.5.0.1"),
      "network.networks[0].gateway",
      "a gateway outside its network",
    ],
    [
      "ceph-data-share",
      (s) =>
        (s.storage = cephPools([
          { name: "a", application: "volumes", dataShare: 0.7 },
          { name: "b", application: "images", dataShare: 0.5 },
        ])),
      "storage.ceph.pools",
      "Ceph pool shares above 1",
    ],
    [
      "ceph-pool-missing",
      (s) => (s.storage = cephPools([{ name: "vols", application: "volumes", dataShare: 0.5 }])),
      "storage.ceph.pools",
      "declared pools without one for Glance's images, which the design keeps in Ceph",
    ],
    [
      "ceph-pool-missing",
      (s) => {
        s.controlPlane.services.push("swift");
        s.storage = cephPools([{ name: "images", application: "images", dataShare: 0.5 }]);
      },
      "storage.ceph.pools",
      "declared pools without one for the RADOS Gateways that serve the swift service",
    ],
    [
      "ceph-osd-disks",
      (s) => {
        s.hardware[2].disks = [{ count: 4, sizeGB: 4000, kind: "hdd" }];
        s.storage = cephPools([{ name: "images", application: "images", dataShare: 0.5 }]);
        s.storage.ceph.osdsPerNode = 6;
      },
      "storage.ceph.osdsPerNode",
      "more OSDs per host than the profile has disks of their class",
    ],
    [
      "ceph-osd-disks",
      (s) => {
        s.hardware[2].disks = [{ count: 4, sizeGB: 3840, kind: "hdd" }];
        s.storage = cephPools([{ name: "images", application: "images", dataShare: 0.5 }]);
      },
      "storage.ceph.osdSizeTB",
      "OSDs of another size than the profile's disks",
    ],
    [
      "swift-disks",
      (s) => {
        swift(s);
        s.hardware[2].disks = [{ count: 4, sizeGB: 8000, kind: "hdd" }];
      },
      "storage.swift.diskSizeTB",
      "Swift disks of a size the storage profile does not have",
    ],
    [
      "swift-disks",
      (s) => {
        swift(s, { disksPerNode: 6 });
        s.hardware[2].disks = [{ count: 4, sizeGB: 4000, kind: "hdd" }];
      },
      "storage.swift.disksPerNode",
      "more Swift disks than the storage profile has",
    ],
    [
      "quota-below-stack",
      (s) =>
        (s.tenants = [{ name: "t", network: { cidr: "172.30.1.0/24" }, quota: { routers: 0 } }]),
      "tenants[0].quota.routers",
      "a router quota of 0 for a tenant whose stack makes its router",
    ],
    [
      "quota-below-stack",
      (s) =>
        (s.tenants = [
          {
            name: "t",
            sshCidrs: ["10.9.1.0/24", "10.9.2.0/24"],
            quota: { securityGroupRules: 11 },
          },
        ]),
      "tenants[0].quota.securityGroupRules",
      "fewer rules than the base group and Neutron's defaults need (12)",
    ],
    [
      "backend-shares",
      (s) =>
        (s.storage = {
          backends: [{ name: "l", kind: "lvm", volumeType: "local", shares: ["g1:/vol"] }],
        }),
      "storage.backends[0].shares",
      "Gluster shares on an LVM backend",
    ],
    [
      "glusterfs-backend-single",
      (s) =>
        (s.storage = {
          backends: [
            { name: "g1", kind: "glusterfs", volumeType: "a", shares: ["g1:/a"] },
            { name: "g2", kind: "glusterfs", volumeType: "b", shares: ["g2:/b"] },
          ],
        }),
      "storage.backends[1].kind",
      "a second GlusterFS backend, which would mount the first's volumes",
    ],
    [
      "rgw-beside-swift",
      (s) => {
        swift(s);
        s.storage.ceph = cephPools([
          { name: "images", application: "images", dataShare: 0.3 },
          { name: "objects", application: "rgw", dataShare: 0.3 },
        ]).ceph;
      },
      "storage.ceph.pools[1].application",
      "a RADOS Gateway pool beside Swift: two object-store services",
    ],
    [
      "external-network-ipv6",
      (s) => (s.network.networks[4].cidr = "2001:db8:ff::/64"),
      "network.networks[4].cidr",
      "an IPv6 external network, where neither the VIP nor floating IPs can live",
    ],
    [
      "manila-backups-unsupported",
      (s) => {
        s.controlPlane.services.push("manila");
        s.storage = { backup: { service: "manila" } };
      },
      "storage.backup.service",
      "backups to a Manila share, which nothing could create or write to",
    ],
    [
      "api-octavia-unsupported",
      (s) => (s.controlPlane.loadBalancer = "octavia"),
      "controlPlane.loadBalancer",
      "the APIs behind Octavia, which Kolla-Ansible does not build",
    ],
    [
      "group-name-too-long",
      (s) => (s.tenants = [{ name: "a", groups: [{ name: "g".repeat(65), role: "member" }] }]),
      "tenants[0].groups[0].name",
      "a 65-character group in a domain without a directory",
    ],
    [
      "octavia-network-prefix",
      (s) => {
        s.controlPlane.services.push("octavia");
        amphoraNet(s, { cidr: "fd00:10:8::/80", vlan: 30 });
      },
      "network.networks[5].cidr",
      "an IPv6 amphora network that is not a /64, where SLAAC cannot run",
    ],
    [
      "cidr-outside-supernet",
      (s) => (s.network.supernet = "10.0.0.0/23"),
      "network.networks[2].cidr",
      "a network outside the supernet",
    ],
    [
      "container-public-acl",
      (s) => swift(s, { containers: [{ name: "c", purpose: "application", readers: [".r:*"] }] }),
      "storage.swift.containers[0].readers[0]",
      "a referrer ACL on a private container",
    ],
    [
      "container-acl-entry",
      (s) =>
        swift(s, { containers: [{ name: "c", purpose: "application", readers: ["a:b,.r:*"] }] }),
      "storage.swift.containers[0].readers[0]",
      "two ACL elements in one entry, which hid a referrer from the public check",
    ],
    [
      "container-write-referrer",
      (s) =>
        swift(s, {
          containers: [{ name: "c", purpose: "application", public: true, writers: [".r:*"] }],
        }),
      "storage.swift.containers[0].writers[0]",
      "a referrer among the writers, which Swift refuses",
    ],
    [
      "container-public-acl",
      (s) =>
        swift(s, {
          containers: [{ name: "c", purpose: "application", readers: [".referrer : *"] }],
        }),
      "storage.swift.containers[0].readers[0]",
      "a referrer ACL in one of Swift's longer spellings on a private container",
    ],
    [
      "container-write-referrer",
      (s) =>
        swift(s, {
          containers: [
            { name: "c", purpose: "application", public: true, writers: [".ref:ci.example.com"] },
          ],
        }),
      "storage.swift.containers[0].writers[0]",
      "a referrer spelled .ref among the writers",
    ],
    [
      "container-acl-entry",
      (s) =>
        swift(s, { containers: [{ name: "c", purpose: "application", readers: [".rlist:x"] }] }),
      "storage.swift.containers[0].readers[0]",
      "a designator Swift does not know",
    ],
    [
      "container-acl-entry",
      (s) =>
        swift(s, {
          containers: [{ name: "c", purpose: "application", public: true, readers: [".r:-*."] }],
        }),
      "storage.swift.containers[0].readers[0]",
      "a referrer without a host or domain",
    ],
    [
      "container-write-anyone",
      (s) => swift(s, { containers: [{ name: "c", purpose: "application", writers: ["*:*"] }] }),
      "storage.swift.containers[0].writers[0]",
      "write access for every user of every project",
    ],
    [
      "flavor-too-large",
      (s) => (s.zones[0].pools[0].flavors = [{ name: "huge", vcpus: 100, ramGiB: 8 }]),
      "zones[0].pools[0].flavors[0].vcpus",
      "a flavor larger than its host",
    ],
    [
      "flavor-disk-too-large",
      (s) => {
        // Two 960 GB disks hold 1,788 GiB: a 2,000 GiB local root disk fits no host.
        s.hardware.find((h: any) => h.name === "cmp").disks = [
          { count: 2, sizeGB: 960, kind: "ssd" },
        ];
        s.zones[0].pools[0].flavors = [{ name: "big", vcpus: 2, ramGiB: 4, diskGiB: 2000 }];
      },
      "zones[0].pools[0].flavors[0].diskGiB",
      "a local root disk larger than all its host's disks (Nova: NoValidHost)",
    ],
    [
      "flavor-numa",
      (s) => {
        // 62 pinned vCPUs: two nodes of 31, but socket 0 keeps a core (2 threads): 30 pinned.
        s.zones[1].pools[0].cpuPinning = true;
        s.zones[1].pools[0].reservedHostCpus = 2;
        s.zones[1].pools[0].flavors = [{ name: "huge", vcpus: 62, ramGiB: 64 }];
      },
      "zones[1].pools[0].flavors[0]",
      "a pinned flavor no even split across the host's sockets fits (Nova: NoValidHost)",
    ],
    [
      "floating-range-gateway",
      (s) => (s.network.networks[4].gateway = "198.51.100.150"),
      "network.networks[4].floatingIpRange",
      "a floating range holding the gateway",
    ],
    [
      "floating-range-gateway",
      (s) => {
        delete s.network.networks[4].gateway;
        s.network.networks[4].floatingIpRange = { start: "198.51.100.1", end: "198.51.100.99" };
      },
      "network.networks[4].floatingIpRange",
      "a floating range holding the first host, the subnet's gateway when none is given",
    ],
    [
      "floating-range-order",
      (s) =>
        (s.network.networks[4].floatingIpRange = {
          start: "198.51.100.200",
          end: "198.51.100.100",
        }),
      "network.networks[4].floatingIpRange",
      "a floating range that ends before it starts",
    ],
    [
      "floating-range-role",
      (s) => (s.network.networks[0].floatingIpRange = { start: "10.0.0.100", end: "10.0.0.110" }),
      "network.networks[0].floatingIpRange",
      "a floating range on a management network",
    ],
    [
      "hostnames-count",
      (s) => (s.zones[0].pools[0].hostnames = ["web-a"]),
      "zones[0].pools[0].hostnames",
      "fewer host names than hosts",
    ],
    [
      "legacy-network-role",
      (s) => legacy(s, { role: "storage-replication", vlan: 30 }),
      "legacyUnix.network",
      "a legacy bridge on a non-provider network",
    ],
    [
      "metric-store-missing",
      (s) => s.controlPlane.services.push("ceilometer"),
      "controlPlane.services[8]",
      "Ceilometer on three controllers with neither Ceph nor Swift for Gnocchi's metrics",
    ],
    [
      "network-role-duplicate",
      (s) =>
        s.network.networks.push({
          name: "mgmt2",
          role: "management",
          cidr: "10.0.8.0/24",
          vlan: 18,
        }),
      "network.networks[5].role",
      "two management networks",
    ],
    [
      "network-missing",
      (s) => {
        swift(s);
        s.network.networks.splice(3, 1);
      },
      "storage.swift",
      "Swift without a storage network for its rings",
    ],
    [
      "octavia-network-missing",
      (s) => s.controlPlane.services.push("octavia"),
      "network.networks",
      "Octavia without a network its amphorae and the controllers share",
    ],
    [
      "octavia-network-duplicate",
      (s) => {
        s.controlPlane.services.push("octavia");
        amphoraNet(s, { vlan: 110 });
        s.network.networks.push({
          name: "lb-2",
          role: "octavia",
          cidr: "10.0.111.0/24",
          vlan: 111,
        });
      },
      "network.networks[6].role",
      "two octavia networks",
    ],
    [
      "octavia-network-vlan",
      (s) => {
        s.controlPlane.services.push("octavia");
        amphoraNet(s);
      },
      "network.networks[5].vlan",
      "an untagged octavia network",
    ],
    [
      "reservation-too-large",
      (s) => (s.zones[0].pools[0].reservedHostCpus = 64),
      "zones[0].pools[0].reservedHostCpus",
      "reserving every thread of the host",
    ],
    [
      "spare-hosts",
      (s) => (s.zones[0].pools[0].spareHosts = 4),
      "zones[0].pools[0].spareHosts",
      "as many spare hosts as hosts",
    ],
    [
      "storage-missing",
      (s) => (s.storage = { ephemeral: "ceph" }),
      "storage.ephemeral",
      "ephemeral disks on Ceph without Ceph",
    ],
    [
      "flat-tenant-network",
      (s) => {
        s.network.tenantNetworkType = "flat";
        s.tenants = [
          { name: "lab", network: { cidr: "172.31.0.0/24" } },
          { name: "lab2", network: { cidr: "172.31.1.0/24" } },
        ];
      },
      "tenants[1].network",
      "a tenant network of type flat, which Neutron's flat driver cannot allocate",
    ],
    [
      "tenant-key-ambiguous",
      (s) =>
        (s.tenants = [
          { name: "core-banking", id: "retail" },
          { name: "Core Banking", id: "core-banking" },
        ]),
      "tenants[0].name",
      "a tenant name that is another tenant's id, so a mapping naming it names two",
    ],
    [
      "backend-schema-too-long",
      (s) => {
        s.output = { backend: { type: "pg", schemaName: "stackwright_state_production_eu" } };
        s.tenants = [
          { name: "a", id: "retail-banking-europe-west-1" },
          { name: "b", id: "retail-banking-europe-west-2" },
        ];
      },
      "output.backend.schemaName",
      "PostgreSQL schemas of 67 bytes, which PostgreSQL cuts to 63: both tenants' stacks would share one state",
    ],
    [
      "cidr-reserved",
      (s) => (s.tenants = [{ name: "lo", network: { cidr: "127.0.0.0/24" } }]),
      "tenants[0].network.cidr",
      "a loopback tenant network, which Neutron refuses with DHCP",
    ],
    [
      "cidr-reserved",
      (s) => (s.tenants = [{ name: "mc", network: { cidr: "224.1.0.0/24" } }]),
      "tenants[0].network.cidr",
      "a multicast tenant network",
    ],
    [
      "cidr-reserved",
      (s) => (s.network.networks[0].cidr = "169.254.0.0/24"),
      "network.networks[0].cidr",
      "a host network in link-local space, where the metadata service answers",
    ],
    [
      "cidr-reserved",
      (s) => (s.tenants = [{ name: "ll", network: { cidr: "fe80::/64" } }]),
      "tenants[0].network.cidr",
      "an IPv6 link-local tenant network",
    ],
    [
      "mtu-ipv6-minimum",
      (s) => (s.tenants = [{ name: "v6", network: { cidr: "fd00:1::/64", mtu: 1000 } }]),
      "tenants[0].network.mtu",
      "an IPv6 tenant network below IPv6's minimum MTU of 1280",
    ],
    [
      "ceph-backend-pool-missing",
      (s) => {
        s.hardware[2].disks = [
          { count: 4, sizeGB: 8000, kind: "hdd" },
          { count: 2, sizeGB: 3840, kind: "ssd" },
        ];
        s.storage = {
          ceph: { nodes: 4, hardware: "stor", osdsPerNode: 4, osdSizeTB: 8, deviceClass: "hdd" },
          backends: [{ name: "fast", kind: "ceph", volumeType: "fast", deviceClass: "ssd" }],
        };
      },
      "storage.backends[0].deviceClass",
      "a Ceph backend asking for a device class no volumes pool keeps its data on",
    ],
    [
      "cinder-backend-missing",
      (s) => s.controlPlane.services.push("cinder"),
      "storage.backends",
      "Cinder listed without a volume backend, which Kolla-Ansible refuses to deploy",
    ],
    [
      "name-reserved",
      (s) => (s.zones[1].name = "internal"),
      "zones[1].name",
      "a zone named internal, Nova's zone of its own services, hidden from users",
    ],
    [
      "octavia-standby-hosts",
      (s) => {
        s.controlPlane.services.push("octavia");
        s.controlPlane.octaviaTopology = "active-standby";
        amphoraNet(s, { vlan: 30 });
        s.zones[0].pools[0].cpuPinning = true;
        s.zones[1].pools[0].hosts = 1;
      },
      "controlPlane.octaviaTopology",
      "active-standby amphorae where one host without CPU pinning can take them",
    ],
    [
      "nic-speeds-mixed",
      (s) =>
        (s.hardware[1].nics = [
          { count: 2, speedGbps: 25 },
          { count: 2, speedGbps: 1 },
        ]),
      "hardware[1].nics",
      "a profile of two port speeds that bond0 would take together",
    ],
    [
      "pools-missing",
      (s) => {
        s.zones = [{ name: "witness", racks: ["w1"], pools: [] }];
        s.tenants = [];
      },
      "zones",
      "zones of racks only, and no compute pool anywhere",
    ],
    [
      "vni-range",
      (s) => {
        s.network.tenantNetworkType = "geneve";
        s.network.vniRange = { min: 1, max: 16_711_681 };
      },
      "network.vniRange.max",
      "Geneve segments above the tunnel keys ovn-northd leaves to networks",
    ],
    [
      "ceph-networks-family",
      (s) => {
        s.network.networks.find((n: { role: string }) => n.role === "storage").cidr = "fd00:3::/64";
        s.network.networks.push({
          name: "repl",
          role: "storage-replication",
          cidr: "10.0.4.0/24",
          vlan: 14,
        });
        s.storage = cephPools([{ name: "images", application: "images", dataShare: 0.5 }]);
      },
      "network.networks[5].cidr",
      "Ceph's public and cluster networks of two IP versions",
    ],
    [
      "ntp-unreachable",
      (s) => (s.ntp = { servers: ["fd00::123", "fd00::124"], clients: "controllers" }),
      "ntp.servers",
      "time servers all of an IP version no host routes",
    ],
    [
      "ldap-unreachable",
      (s) =>
        (s.identity = {
          domains: [
            // (the spec's order, not the model's by name: the path is corp's own)
            {
              name: "zeta",
              ldap: { url: "ldaps://10.0.0.50", userTreeDn: "OU=U", groupTreeDn: "OU=G" },
            },
            {
              name: "corp",
              ldap: { url: "ldaps://[fd00:389::1]:636", userTreeDn: "OU=U", groupTreeDn: "OU=G" },
            },
          ],
          groupRoleMappings: [],
        }),
      "identity.domains[1].ldap.url",
      "a directory at an address of an IP version the controllers do not route",
    ],
    [
      "duplicate-name",
      (s) => {
        s.identity = {
          domains: [
            {
              name: "corp",
              ldap: { url: "ldaps://ad.example.com", userTreeDn: "OU=U", groupTreeDn: "OU=G" },
            },
          ],
          groupRoleMappings: [{ domain: "corp", group: "Retail-Ops", role: "member", tenant: "a" }],
        };
        s.tenants = [
          { name: "a", domain: "corp", groups: [{ name: "retail-ops", role: "member" }] },
        ];
      },
      "identity.groupRoleMappings[0].group",
      "one directory group spelt in two cases, which the directory matches as one group",
    ],
    [
      "duplicate-name",
      (s) => {
        s.identity = {
          domains: [
            {
              name: "corp",
              ldap: { url: "ldaps://ad.example.com", userTreeDn: "OU=U", groupTreeDn: "OU=G" },
            },
          ],
        };
        s.tenants = [
          {
            name: "a",
            domain: "corp",
            groups: [
              { name: "retail-ops", role: "member" },
              { name: "retail ops", role: "member" },
            ],
          },
        ];
      },
      "tenants[0].groups[1].name",
      "two directory groups whose grants Terraform names alike, which would trade addresses",
    ],
    [
      "address-reserved",
      (s) => (s.network.dnsServers = [s.network.networks[0].cidr.replace(/\.0\/24$/, ".255")]),
      "network.dnsServers[0]",
      "a DNS server at a design network's broadcast address",
    ],
    [
      "address-reserved",
      (s) =>
        (s.tenants = [{ name: "a", network: { cidr: "10.40.1.0/24", dnsServers: ["10.40.1.0"] } }]),
      "tenants[0].network.dnsServers[0]",
      "a tenant's own DNS server at its subnet's network address",
    ],
    [
      "address-reserved",
      (s) => (s.network.dnsServers = ["127.0.0.53"]),
      "network.dnsServers[0]",
      "a DNS server at a loopback address",
    ],
    [
      "address-reserved",
      (s) => (s.network.dnsServers = ["255.255.255.255"]),
      "network.dnsServers[0]",
      "a DNS server at the limited broadcast address",
    ],
    [
      "address-reserved",
      (s) => {
        withLegacyBridge(s, {
          subnets: ["192.168.50.0/24"],
          systems: [{ name: "aix", architecture: "ppc64", os: "AIX", address: "192.168.50.255" }],
        });
      },
      "legacyUnix.systems[0].address",
      "a legacy system at its subnet's broadcast address",
    ],
    [
      "address-reserved",
      (s) => {
        withLegacyBridge(s, {
          subnets: ["192.168.50.0/24"],
          systems: [{ name: "aix", architecture: "ppc64", os: "AIX", address: "192.168.50.10" }],
        });
        s.legacyUnix.nextHop = "10.20.50.255";
      },
      "legacyUnix.nextHop",
      "a next hop at the bridge network's broadcast address",
    ],
    [
      "nic-names-count",
      (s) => {
        s.hardware[1].nics = [{ count: 2, speedGbps: 25 }];
        s.hardware[1].nicNames = ["ens1f0", "ens1f1", "ens2f0"];
      },
      "hardware[1].nicNames",
      "more port names than the profile has ports",
    ],
    [
      "pool-name-ambiguous",
      (s) => (s.zones[1].pools[0].name = "az1-web"),
      "zones[1].pools[0].name",
      "a pool named as another zone's pool id, which a tenant's pool would name both",
    ],
    [
      "rack-shared",
      (s) => {
        s.sites = [{ name: "north" }, { name: "south" }];
        s.zones[0].site = "north";
        s.zones[1].site = "south";
        s.zones[1].racks = ["r4", "r2"];
      },
      "zones[1].racks[1]",
      "a rack name at two sites, which would merge two racks' switches and Ceph copies",
    ],
    [
      "rack-shared",
      (s) => {
        s.sites = [{ name: "north" }, { name: "south" }];
        s.zones[0].site = "north";
        s.zones[1].site = "south";
        s.zones[1].pools[0].racks = ["r3"];
      },
      "zones[1].pools[0].racks[0]",
      "a pool of a zone without racks placed in a rack at another site",
    ],
    [
      "duplicate-name",
      (s) => twoRoles(s, "member", "Member"),
      "tenants[0].groups[1].role",
      "a role spelt in two cases, which Keystone's database takes for one",
    ],
    [
      "unknown-reference",
      (s) => (s.hosts = [{ name: "ctrl-01", addresses: {}, rack: "r9" }]),
      "hosts[0].rack",
      "a host kept in a rack no zone declares",
    ],
    [
      "duplicate-name",
      (s) => twoRoles(s, "heat_stack_owner", "heat-stack-owner"),
      "tenants[0].groups[1].role",
      "two roles differing only in punctuation, whose grants Terraform names alike",
    ],
    [
      "cloud-entry-shared",
      (s) => {
        s.cloud.undercloud = { cloud: `${s.cloud.cloud}-a` };
        s.output = { tenantStacks: { layout: "per-tenant", networkCredentials: "project" } };
        s.tenants = [
          {
            name: "a",
            network: { cidr: "10.40.1.0/24" },
            groups: [{ name: "a-ops", role: "member" }],
          },
        ];
      },
      "cloud.undercloud.cloud",
      "the undercloud's clouds.yaml entry named as a tenant network stack's",
    ],
    [
      "firewall-rules-quota",
      (s) => {
        s.securityZones.firewall = true;
        s.tenants = [
          {
            name: "a",
            network: { cidr: "10.40.1.0/24" },
            sshCidrs: Array.from({ length: 49 }, (_, i) => `10.200.${i}.0/24`),
          },
        ];
      },
      "tenants[0].sshCidrs",
      "more SSH sources than the tenant project's firewall rule quota holds",
    ],
    [
      "firewall-ovn-stateless",
      (s) => {
        s.network.mechanism = "ovn";
        s.securityZones.firewall = true;
      },
      "securityZones.firewall",
      "a router firewall on OVN, whose FWaaS driver is stateless and would drop every reply",
    ],
    [
      "disk-use-rocksdb",
      (s) => (s.hardware[2].disks = [{ count: 4, sizeGB: 8000, kind: "hdd", use: "rocksdb" }]),
      "hardware[2].disks[0].use",
      "spinning disks marked for RocksDB, which goes on solid-state disks",
    ],
    [
      "sites-unracked",
      (s) => {
        s.sites = [{ name: "dc1" }, { name: "dc2" }];
        s.zones.forEach((z: any, i: number) => {
          z.site = i === 0 ? "dc1" : "dc2";
          z.racks = [];
          for (const p of z.pools) delete p.racks;
        });
      },
      "zones",
      "zones at two sites without racks, where the controllers and storage hosts would stand at none",
    ],
    [
      "service-core-missing",
      (s) =>
        (s.controlPlane.services = s.controlPlane.services.filter((x: string) => x !== "keystone")),
      "controlPlane.services",
      "a region without its own Keystone, which Kolla-Ansible's services would authenticate with",
    ],
    [
      "baremetal-node-duplicate",
      (s) => {
        s.cloud.undercloud = { cloud: "under" };
        const node = "0b6c9a2e-5f3d-4c8e-9a1b-2c3d4e5f6a7b";
        s.hosts = [
          { name: "az1-web-01", addresses: {}, baremetalNode: node },
          { name: "az1-web-02", addresses: {}, baremetalNode: node.toUpperCase() },
        ];
      },
      "hosts[1].baremetalNode",
      "one Ironic node named for two hosts, in any case",
    ],
    [
      "baremetal-node-unused",
      (s) =>
        (s.hosts = [
          {
            name: "az1-web-01",
            addresses: {},
            baremetalNode: "0b6c9a2e-5f3d-4c8e-9a1b-2c3d4e5f6a7b",
          },
        ]),
      "hosts[0].baremetalNode",
      "an Ironic node named where no undercloud deploys the hosts",
    ],
    [
      "baremetal-node-unused",
      (s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.deployment = "vm";
        s.hosts = [
          { name: "ctrl-01", addresses: {}, baremetalNode: "0b6c9a2e-5f3d-4c8e-9a1b-2c3d4e5f6a7b" },
        ];
      },
      "hosts[0].baremetalNode",
      "an Ironic node named for a controller that runs as a virtual machine",
    ],
    [
      "host-rack",
      (s) => (s.hosts = [{ name: "az2-app-01", addresses: {}, rack: "r1" }]),
      "hosts[0].rack",
      "a host of a zone without racks kept in another zone's rack",
    ],
    [
      "name-reserved",
      (s) => {
        swift(s);
        s.storage.swift.policies = [{ name: "gold", default: true }, { name: "policy-0" }];
      },
      "storage.swift.policies[1].name",
      "a Swift policy named policy-0 past index 0, which Swift reserves for the first",
    ],
    [
      "ceph-pg-limit",
      (s) => {
        s.hardware[2].disks = [
          { count: 4, sizeGB: 4000, kind: "hdd" },
          { count: 1, sizeGB: 3840, kind: "ssd" },
        ];
        s.storage = cephPools([
          { name: "images", application: "images", dataShare: 0.5 },
          ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({
            name: `hot${i}`,
            application: "images",
            dataShare: 0.01,
            deviceClass: "ssd",
          })),
        ]);
        s.storage.ceph.nodes = 4;
        s.storage.ceph.protection = { replicated: 4 };
      },
      "storage.ceph.pools",
      "eight pools of 32 PGs and four copies on four SSD OSDs: 256 copies each, past Ceph's 250",
    ],
    [
      "ceph-device-classes-alike",
      (s) => {
        s.hardware[2].disks = [
          { count: 4, sizeGB: 4000, kind: "ssd" },
          { count: 2, sizeGB: 3840, kind: "nvme" },
        ];
        s.storage = cephPools([
          { name: "images", application: "images", dataShare: 0.5 },
          { name: "hot", application: "images", dataShare: 0.2, deviceClass: "nvme" },
        ]);
        s.storage.ceph.deviceClass = "ssd";
      },
      "storage.ceph.pools[1].deviceClass",
      "NVMe disks about the size of the SSD OSDs, which both OSD specs would take",
    ],
    [
      "storage-missing",
      (s) => s.controlPlane.services.push("swift"),
      "controlPlane.services[8]",
      "the swift service with neither Swift nor Ceph to serve it",
    ],
    [
      "subnet-pool-mixed",
      (s) => (s.network.tenantSubnetPool = { prefixes: ["10.100.0.0/16", "fd00::/48"] }),
      "network.tenantSubnetPool.prefixes",
      "IPv4 and IPv6 prefixes in one subnet pool",
    ],
    [
      "swift-policy-default",
      (s) =>
        swift(s, {
          policies: [
            { name: "gold", default: true },
            { name: "silver", default: true },
          ],
        }),
      "storage.swift.policies",
      "two default storage policies",
    ],
    [
      "swift-policy-default",
      (s) => swift(s, { policies: [{ name: "gold" }, { name: "silver" }] }),
      "storage.swift.policies",
      "two storage policies and no default, which Swift refuses",
    ],
    [
      "tenant-id-required",
      (s) => (s.tenants = [{ name: "项目" }]),
      "tenants[0].name",
      "a tenant name that gives no identifier",
    ],
    [
      "nic-name-duplicate",
      (s) => (s.hardware[1].nicNames = ["eno1", "eno2", "eno1"]),
      "hardware[1].nicNames[2]",
      "a port listed twice",
    ],
    [
      "nic-name-reserved",
      (s) => (s.hardware[1].nicNames = ["eno1", "brbond0"]),
      "hardware[1].nicNames[1]",
      "a port named like the Linux bridge host networking creates",
    ],
    ...["br-ex", "br-ex2", "br-int", "br-tun", "ovs-system", "lo"].map(
      (name): [string, Edit, string, string] => [
        "nic-name-reserved",
        (s) => (s.hardware[1].nicNames = [name, "eno2"]),
        "hardware[1].nicNames[0]",
        `a port named ${name}, a device Open vSwitch or the kernel makes`,
      ],
    ),
    [
      "vip-duplicate",
      (s) => (s.controlPlane.vips.external = s.controlPlane.vips.internal),
      "controlPlane.vips.external",
      "the same address for both VIPs",
    ],
    [
      "vlan-in-tenant-range",
      (s) => {
        s.network.tenantNetworkType = "vlan";
        s.network.tenantVlanRange = { min: 10, max: 11 };
      },
      "network.networks[0].vlan",
      "an infrastructure VLAN inside the tenant range",
    ],
    [
      "vlan-range",
      (s) => (s.network.tenantVlanRange = { min: 300, max: 200 }),
      "network.tenantVlanRange",
      "a tenant VLAN range that ends before it starts",
    ],
    [
      "vlan-range-missing",
      (s) => (s.network.tenantNetworkType = "vlan"),
      "network.tenantVlanRange",
      "VLAN tenant networks without a range",
    ],
  ];

  errors.push(
    [
      "ceph-pool-backend",
      (s) => {
        s.storage = {
          ceph: cephCluster({}),
          backends: [{ name: "rbd", kind: "ceph", volumeType: "std", cephPool: "nowhere" }],
        };
      },
      "storage.backends[0].cephPool",
      "a Ceph backend naming a pool the design does not declare",
    ],
    [
      "ceph-pool-backend",
      (s) =>
        (s.storage = {
          backends: [{ name: "lvm", kind: "lvm", volumeType: "std", cephPool: "volumes" }],
        }),
      "storage.backends[0].cephPool",
      "an LVM backend naming a Ceph pool",
    ],
    [
      "allocation-range-role",
      (s) => (s.network.networks[0].allocationRange = { start: "10.0.0.100", end: "10.0.0.110" }),
      "network.networks[0].allocationRange",
      "an allocation range on the management network",
    ],
    [
      "dhcp-role",
      (s) => (s.network.networks[0].dhcp = false),
      "network.networks[0].dhcp",
      "DHCP turned off on the management network",
    ],
  );
  errors.push([
    "external-pool-routers",
    (s) => {
      s.tenants = [1, 2, 3].map((i) => ({ name: `t${i}`, network: { cidr: `172.30.${i}.0/24` } }));
      s.network.networks[4].floatingIpRange = { start: "198.51.100.100", end: "198.51.100.101" };
    },
    "network.networks[4].floatingIpRange",
    "three tenant routers' gateways in a pool of two external addresses",
  ]);

  test.each(errors.map(([code, edit, where, what]) => [code, what, edit, where] as const))(
    "%s: fails on %s",
    (code, _what, edit, where) => {
      // GIVEN the base spec bent one way WHEN it is loaded THEN it fails with the code at the path
      expect(at(issuesOf(variant(edit)))).toContainEqual({ code, path: where, severity: "error" });
    },
  );

  const warnings: [string, Edit, string][] = [
    [
      // (the base design's two pools, web and app: a flow of none is both's)
      "legacy-flow-every-pool",
      (s) =>
        withLegacyFlows(s, [
          { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"], pools: ["web"] },
          { name: "db2", port: 50000, direction: "to-legacy", systems: ["aix-a"] },
        ]),
      "legacyUnix.flows[1]",
    ],
    [
      // (any project's instance could stand on the public network, past its router)
      "network-shared-external",
      (s) => (s.network.networks[4].shared = true),
      "network.networks[4].shared",
    ],
    [
      // (the hosts' management network is no Neutron network)
      "network-shared-ignored",
      (s) => (s.network.networks[0].shared = true),
      "network.networks[0].shared",
    ],
    [
      "compute-disks-unstated",
      // (hosts of no disks, instance disks local, a flavor's 40 GiB root disk)
      (s) => (s.zones[0].pools[0].flavors[0].diskGiB = 40),
      "hardware[1]",
    ],
    [
      "ceph-osd-memory",
      // (16 OSDs of 4 GiB each and the host's 8 GiB in 64 GiB)
      (s) => (s.storage = { ceph: cephCluster({ osdsPerNode: 16 }) }),
      "storage.ceph.hardware",
    ],
    [
      "ntp-server-unreachable",
      // (an IPv6 server beside two IPv4 ones, where no host has IPv6)
      (s) => (s.ntp = { servers: ["10.0.0.123", "time.example.com", "fd00::123"] }),
      "ntp.servers[2]",
    ],
    [
      "ldap-server-unreachable",
      // (an IPv6 directory server beside an IPv4 one, where no controller has IPv6)
      (s) =>
        (s.identity = {
          domains: [
            {
              name: "corp",
              ldap: {
                // (a server by name beside them: the address is judged all the same)
                url: "ldaps://ad.example.com, ldaps://[fd00:389::1]:636",
                userTreeDn: "OU=U",
                groupTreeDn: "OU=G",
              },
            },
          ],
          groupRoleMappings: [],
        }),
      "identity.domains[0].ldap.url",
    ],
    [
      "instance-disk-exceeds-local",
      (s) => {
        // 5 usable hosts of 2 x 960 GB (8,940 GiB) against 100 instances of 200 GiB
        s.storage = { ephemeral: "local" };
        s.hardware[1].disks = [{ count: 2, sizeGB: 960, kind: "ssd" }];
        s.zones[0].pools[0].flavors[0].diskGiB = 200;
        s.tenants = [{ name: "t", quota: { instances: 100, cores: 200, ramGiB: 400 } }];
      },
      "storage.ephemeral",
    ],
    [
      "external-pool-floating",
      (s) => {
        // 3 gateways and 3 x 10 floating IPs in 20 addresses
        s.tenants = [1, 2, 3].map((i) => ({
          name: `t${i}`,
          network: { cidr: `172.30.${i}.0/24` },
          quota: { floatingIps: 10 },
        }));
        s.network.networks[4].floatingIpRange = { start: "198.51.100.100", end: "198.51.100.119" };
      },
      "network.networks[4].floatingIpRange",
    ],
    ["controllers-many", (s) => (s.controlPlane.controllers = 7), "controlPlane.controllers"],
    [
      "disk-use-unused",
      (s) => (s.hardware[1].disks = [{ count: 2, sizeGB: 960, kind: "nvme", use: "rocksdb" }]),
      "hardware[1].disks[0].use",
    ],
    [
      "undercloud-sites-unpinned",
      (s) => {
        s.sites = [{ name: "dc1" }, { name: "dc2" }];
        s.zones.forEach((z: any, i: number) => (z.site = i === 0 ? "dc1" : "dc2"));
        s.cloud.undercloud = { cloud: "under" };
      },
      "cloud.undercloud",
    ],
    [
      "undercloud-racks-unpinned",
      (s) => (s.cloud.undercloud = { cloud: "under" }),
      "cloud.undercloud",
    ],
    [
      "group-cross-project-role",
      (s) => (s.tenants = [{ name: "a", groups: [{ name: "ops", role: "ResellerAdmin" }] }]),
      "tenants[0].groups[0].role",
    ],
    [
      "load-balancer-member-missing",
      (s) => {
        s.controlPlane.services.push("octavia");
        amphoraNet(s, { vlan: 30 });
        s.tenants = [{ name: "a", groups: [{ name: "devs", role: "member" }] }];
      },
      "tenants[0].groups",
    ],
    [
      "swift-boot-disk-missing",
      (s) => {
        s.controlPlane.services.push("swift");
        s.hardware[2].disks = [{ count: 4, sizeGB: 4000, kind: "hdd" }];
        s.storage = { swift: swiftCluster() };
      },
      "storage.swift.storageHardware",
    ],
    ["tenant-id-derived", (s) => (s.tenants = [{ name: "Küchen-Team" }]), "tenants[0].name"],
    [
      "container-acl-project-name",
      (s) => {
        s.identity = { domains: [{ name: "labs" }] };
        s.tenants = [{ name: "genomics", domain: "labs" }];
        swift(s, {
          containers: [{ name: "c", purpose: "application", readers: ["a:b", "genomics:*"] }],
        });
      },
      "storage.swift.containers[0].readers[1]",
    ],
    [
      "container-referrer-redundant",
      (s) =>
        swift(s, {
          containers: [
            { name: "c", purpose: "application", public: true, readers: [".r:.pacs.example"] },
          ],
        }),
      "storage.swift.containers[0].readers[0]",
    ],
    [
      "ldap-anonymous-bind",
      (s) => (s.identity = { domains: [corpDirectory()] }),
      "identity.domains[0].ldap",
    ],
    [
      "ceph-volumes-unclustered",
      (s) => {
        s.storage = cephPools([], {
          backends: [
            { name: "rbd", kind: "ceph", volumeType: "standard" },
            { name: "lvm", kind: "lvm", volumeType: "local" },
          ],
        });
        delete s.storage.ceph.pools;
      },
      "storage.backends",
    ],
    [
      "vni-range-unused",
      (s) => {
        s.network.tenantNetworkType = "vlan";
        s.network.tenantVlanRange = { min: 300, max: 399 };
        s.network.vniRange = { min: 5000, max: 6000 };
      },
      "network.vniRange",
    ],
    [
      "vlan-range-unused",
      (s) => (s.network.tenantVlanRange = { min: 300, max: 399 }),
      "network.tenantVlanRange",
    ],
    [
      "legacy-network-vlan",
      (s) => legacy(s, { role: "provider", physicalNetwork: "physnet-ext" }),
      "network.networks[5].vlan",
    ],
    [
      "mtu-small",
      (s) => {
        s.network.underlayMtu = 1280;
        delete s.network.networks[4].mtu;
      },
      "network.underlayMtu",
    ],
    [
      "network-node-hardware",
      (s) => (s.controlPlane.networkNodes = 1),
      "controlPlane.networkNodeHardware",
    ],
    ["tunnel-network-missing", (s) => s.network.networks.splice(2, 1), "network.networks"],
    ["mtu-frame-large", (s) => (s.network.underlayMtu = 9200), "network.underlayMtu"],
    [
      "controller-vms-networking",
      (s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.deployment = "vm";
      },
      "controlPlane.deployment",
    ],
    [
      "tenant-ipv6-no-egress",
      (s) => (s.tenants = [{ name: "v6", network: { cidr: "fd00:1:2:3::/64" } }]),
      "tenants[0].network.cidr",
    ],
    [
      "manila-share-backend",
      (s) => s.controlPlane.services.push("manila"),
      "controlPlane.services[8]",
    ],
    [
      "ceph-pool-unused",
      (s) =>
        (s.storage = cephPools(
          [
            { name: "volumes", application: "volumes", dataShare: 0.5 },
            { name: "images", application: "images", dataShare: 0.1 },
            { name: "vms", application: "vms", dataShare: 0.3 },
          ],
          { backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }] },
        )),
      "storage.ceph.pools[2].application",
    ],
    [
      "ceph-pool-unused",
      (s) => {
        s.controlPlane.services.push("swift");
        s.storage = cephPools([
          { name: "images", application: "images", dataShare: 0.4 },
          { name: "objects", application: "rgw", dataShare: 0.3 },
          { name: "archive", application: "rgw", dataShare: 0.3 },
        ]);
      },
      // The gateways' zone takes the first rgw pool by name (pools.sh), archive.
      "storage.ceph.pools[1]",
    ],
    [
      "ceph-pool-unused",
      (s) =>
        (s.storage = cephPools([
          { name: "images", application: "images", dataShare: 0.5 },
          { name: "objects", application: "rgw", dataShare: 0.3 },
        ])),
      "storage.ceph.pools[1].application",
    ],
    [
      "ceph-pool-unused",
      (s) =>
        (s.storage = cephPools(
          [
            { name: "images", application: "images", dataShare: 0.5 },
            { name: "backups", application: "backups", dataShare: 0.5 },
          ],
          { backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }] },
        )),
      // Kolla gives cinder-backup Ceph's configuration only with a Ceph volume backend.
      "storage.ceph.pools[1].application",
    ],
    [
      "group-cloud-admin",
      (s) => (s.tenants = [{ name: "ops", groups: [{ name: "cloud-ops", role: "admin" }] }]),
      "tenants[0].groups[0].role",
    ],
    [
      "group-cloud-admin",
      (s) => {
        s.identity = {
          domains: [{ name: "corp" }],
          groupRoleMappings: [{ domain: "corp", group: "leads", role: "admin" }],
        };
      },
      "identity.groupRoleMappings[0].role",
    ],
    [
      "ceph-single-copy",
      (s) =>
        (s.storage = {
          ceph: {
            nodes: 3,
            hardware: "stor",
            osdsPerNode: 4,
            osdSizeTB: 4,
            protection: { replicated: 1 },
          },
        }),
      "storage.ceph.protection.replicated",
    ],
    [
      "ceph-nearfull-low",
      (s) =>
        (s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4, nearfullRatio: 0.085 },
        }),
      "storage.ceph.nearfullRatio",
    ],
    ["swift-single-copy", (s) => swift(s, { replicas: 1 }), "storage.swift.replicas"],
    ["swift-proxy-single", (s) => swift(s, { proxies: 1 }), "storage.swift.proxies"],
    [
      // (3 nodes of 5 disks: 2^7 partitions of 3 replicas, 25.6 per disk, balanced to 2.34 %)
      "swift-partition-power-low",
      (s) => swift(s, { partitionPower: 7, disksPerNode: 5 }),
      "storage.swift.partitionPower",
    ],
    [
      "swift-partition-power-high",
      (s) => swift(s, { partitionPower: 25 }),
      "storage.swift.partitionPower",
    ],
    [
      "swift-single-copy",
      (s) =>
        swift(s, {
          policies: [
            { name: "gold", default: true },
            { name: "scratch", replicas: 1 },
          ],
        }),
      "storage.swift.policies[1].replicas",
    ],
    [
      "glance-file-single",
      (s) => (s.storage = { image: { backend: "file" } }),
      "storage.image.backend",
    ],
    [
      "ceph-device-class-missing",
      (s) => {
        s.hardware[2].disks = [{ count: 4, sizeGB: 4000, kind: "hdd" }];
        s.storage = cephPools([
          { name: "images", application: "images", dataShare: 0.5 },
          { name: "hot", application: "images", dataShare: 0.2, deviceClass: "nvme" },
        ]);
      },
      "storage.ceph.pools[1].deviceClass",
    ],
    [
      "storage-disks-unlisted",
      (s) => {
        swift(s);
        s.hardware[2].disks = [];
      },
      "storage.swift.storageHardware",
    ],
    [
      "glusterfs-shares-missing",
      (s) => (s.storage = { backends: [{ name: "g", kind: "glusterfs", volumeType: "shared" }] }),
      "storage.backends[0]",
    ],
    ["octavia-network-unused", (s) => amphoraNet(s, { vlan: 30 }), "network.networks[5].role"],
    [
      "swift-disks-unused",
      (s) => {
        swift(s);
        s.hardware[2].disks = [{ count: 6, sizeGB: 4000, kind: "hdd" }];
      },
      "storage.swift.disksPerNode",
    ],
    [
      "flat-no-shared-network",
      (s) => {
        s.network.tenantNetworkType = "flat";
        s.tenants = [{ name: "lab" }];
      },
      "network.tenantNetworkType",
    ],
    [
      "site-empty",
      (s) => {
        s.sites = [{ name: "dc1" }, { name: "dc2" }];
        for (const z of s.zones) z.site = "dc1";
      },
      "sites[1].name",
    ],
    [
      "zone-site-missing",
      (s) => {
        s.sites = [{ name: "dc1" }];
        s.zones[0].site = "dc1";
      },
      "zones[1]",
    ],
    [
      "octavia-topology-unused",
      (s) => (s.controlPlane.octaviaTopology = "active-standby"),
      "controlPlane.octaviaTopology",
    ],
    ["zone-default-name", (s) => (s.zones[0].name = "nova"), "zones[0].name"],
    [
      "group-service-role",
      (s) => (s.tenants = [{ name: "a", groups: [{ name: "ops", role: "service" }] }]),
      "tenants[0].groups[0].role",
    ],
    [
      "role-unknown",
      (s) => (s.tenants = [{ name: "a", groups: [{ name: "ops", role: "memeber" }] }]),
      "tenants[0].groups[0].role",
    ],
    [
      "tenant-member-missing",
      (s) => {
        s.output = { tenantStacks: { layout: "per-tenant", networkCredentials: "project" } };
        s.tenants = [
          {
            name: "Viewers",
            network: { cidr: "10.60.0.0/24" },
            groups: [{ name: "viewers", role: "reader" }],
          },
        ];
      },
      "tenants[0].groups",
    ],
    [
      "ceph-pool-unused",
      (s) =>
        (s.storage = cephPools([
          { name: "images", application: "images", dataShare: 0.5 },
          { name: "images-b", application: "images", dataShare: 0.5 },
        ])),
      "storage.ceph.pools[1]",
    ],
    [
      "ceph-pool-unused",
      (s) =>
        (s.storage = cephPools(
          [
            { name: "volumes", application: "volumes", dataShare: 0.4 },
            { name: "archive", application: "volumes", dataShare: 0.4 },
            { name: "images", application: "images", dataShare: 0.2 },
          ],
          { backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }] },
        )),
      "storage.ceph.pools[0]",
    ],
    ["dns-servers-missing", (s) => (s.network.dnsServers = []), "network.dnsServers"],
    [
      // (seven OSD hosts at three sites by site: 3, 2, 2)
      "ceph-domains-uneven",
      (s) => Object.assign(s, cephAtSites(3, { nodes: 7 })),
      "storage.ceph.nodes",
    ],
    [
      "tenant-subnet-admins",
      (s) => (s.tenants = [{ name: "a", network: { cidr: "10.9.96.0/20" } }]),
      "tenants[0].network.cidr",
    ],
    [
      // (a tenant subnet holding the platform's DNS server its instances are given)
      "tenant-subnet-dns",
      (s) => (s.tenants = [{ name: "a", network: { cidr: "10.9.0.0/24" } }]),
      "tenants[0].network.cidr",
    ],
    [
      // (a rule matches its own IP version only)
      "tenant-ssh-ip-version",
      (s) =>
        (s.tenants = [
          { name: "lab", network: { cidr: "fd00:10::/64" }, sshCidrs: ["10.0.0.0/8"] },
        ]),
      "tenants[0].sshCidrs[0]",
    ],
    [
      // (a public type is every project's: listing it grants nothing)
      "tenant-volume-type-public",
      (s) => {
        s.controlPlane.services.push("cinder");
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "gold", kind: "ceph", volumeType: "gold" }],
        };
        s.tenants = [{ name: "a", volumeTypes: ["gold"] }];
      },
      "tenants[0].volumeTypes[0]",
    ],
    [
      // (a private type the tenant does not list: its project cannot use the quota)
      "quota-volume-type-private",
      (s) => privateTypeQuota(s, { backend: "gold", type: "gold" }),
      "tenants[0].quota.perVolumeType.gold",
    ],
    [
      // (the base design's DNS server is IPv4: an IPv6 subnet would get none)
      "dns-servers-version",
      (s) => (s.tenants = [{ name: "v6", network: { cidr: "fd00:1:2:3::/64" } }]),
      "network.dnsServers",
    ],
    [
      "dns-servers-rdnss",
      (s) =>
        (s.tenants = [
          {
            name: "v6",
            network: {
              cidr: "fd00:1:2:3::/64",
              dnsServers: ["fd00::53", "fd00::54", "fd00::55", "fd00::56"],
            },
          },
        ]),
      "tenants[0].network.dnsServers",
    ],
    [
      "fwaas-ovn-stateless",
      (s) => {
        s.network.mechanism = "ovn";
        s.securityZones.firewall = false;
      },
      "controlPlane.services[6]",
    ],
    [
      "ovn-vxlan",
      (s) => {
        s.network.mechanism = "ovn";
        s.network.tenantNetworkType = "vxlan";
      },
      "network.tenantNetworkType",
    ],
    ["pool-no-flavors", (s) => (s.zones[1].pools[0].flavors = []), "zones[1].pools[0]"],
    [
      "tenant-no-flavor",
      (s) => (s.tenants = [{ name: "a", flavors: ["web-small", "app-medium"] }, { name: "b" }]),
      "tenants[1]",
    ],
    [
      "tenant-pool-no-flavor",
      (s) =>
        (s.tenants = [
          { name: "a", flavors: ["web-small"] },
          { name: "b", pool: "web" },
        ]),
      "tenants[1].pool",
    ],
  ];

  test.each(warnings)("%s: warns", (code, edit, where) => {
    expect(at(load(variant(edit)).warnings)).toContainEqual({
      code,
      path: where,
      severity: "warning",
    });
  });

  test("unknown-blueprint: fails on a blueprint the catalogue does not have", () => {
    const dir = tempDir("sw-codes-");
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, stringify(variant((s) => (s.blueprint = "nope"))));
    let caught: unknown;
    try {
      loadDesign(file);
    } catch (e) {
      caught = e;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    expect(caught).toBeInstanceOf(UserError);
    expect(at((caught as UserError).issues)).toEqual([
      { code: "unknown-blueprint", path: "blueprint", severity: "error" },
    ]);
  });
});

/** Codes no user input can reach, and why; each is a defensive branch behind a stricter check. */
const UNREACHABLE: Readonly<Record<string, string>> = {
  "cidr-invalid": "the schema's CIDR type rejects every text the CIDR parser cannot read",
};

describe("every user-error code", () => {
  test("is named by at least one test", () => {
    // GIVEN every code the spec, model, core and CLI layers can raise
    const sources = ["spec", "model", "core", "cli"].flatMap((d) => tsFiles(path.join(ROOT, d)));
    const pattern =
      /\b(?:error|warn)\(\s*"([a-z][a-z0-9-]+)"|\bcode:\s*"([a-z][a-z0-9-]+)"|\bcode \?\? "([a-z][a-z0-9-]+)"/g;
    const codes = new Set<string>();
    for (const file of sources)
      for (const m of fs.readFileSync(file, "utf8").matchAll(pattern))
        codes.add((m[1] ?? m[2] ?? m[3]) as string);
    expect(codes.size).toBeGreaterThan(50);
    // WHEN the tests are searched for each, as a string literal
    const tests = tsFiles(path.join(ROOT, "test")).map((f) => fs.readFileSync(f, "utf8"));
    const asserted = (code: string) => tests.some((t) => t.includes(`"${code}"`));
    // THEN none is left out
    const missing = [...codes].filter((c) => !asserted(c) && !Object.hasOwn(UNREACHABLE, c));
    expect(missing.sort()).toEqual([]);
  });
});

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

test("a negated referrer ACL is neither a public grant nor redundant", () => {
  const warned = (publicContainer: boolean) =>
    load(
      variant((s) =>
        swift(s, {
          containers: [
            {
              name: "c",
              purpose: "application",
              public: publicContainer,
              readers: [".r:-evil.example"],
            },
          ],
        }),
      ),
    ).warnings.filter((w) => w.code.startsWith("container-"));
  // (Swift's referrer_allowed starts from deny: alone it grants nothing; on a public
  // container it turns that Referer away)
  expect(warned(false)).toEqual([]);
  expect(warned(true)).toEqual([]);
});

test("posixGroups of Active Directory list sAMAccountNames: judged against that attribute", () => {
  const codes = (userIdAttribute?: string) =>
    issuesOrWarningsOf((s) => {
      s.identity = {
        domains: [
          corpDirectory({
            bindDn: "CN=svc,DC=example,DC=com",
            groupObjectClass: "posixGroup",
            ...(userIdAttribute ? { userIdAttribute } : {}),
          }),
        ],
      };
    });
  expect(codes()).not.toContain("ldap-posix-group-ids");
  expect(codes("objectGUID")).toContain("ldap-posix-group-ids");
});

/** Codes of a variant's errors, or of its warnings when it loads. */
function issuesOrWarningsOf(edit: (s: any) => void): string[] {
  try {
    return load(variant(edit)).warnings.map((w) => w.code);
  } catch {
    return issuesOf(variant(edit)).map((i) => i.code);
  }
}

test("more IPv6 DNS servers than radvd announces are not warned under OVN, whose routers advertise otherwise", () => {
  const spec = variant((s) => {
    s.network.mechanism = "ovn";
    s.securityZones.firewall = false;
    s.controlPlane.services = s.controlPlane.services.filter((x: string) => x !== "fwaas");
    s.tenants = [
      {
        name: "v6",
        network: {
          cidr: "fd00:1:2:3::/64",
          dnsServers: ["fd00::53", "fd00::54", "fd00::55", "fd00::56"],
        },
      },
    ];
  });
  expect(load(spec).warnings.map((i) => i.code)).not.toContain("dns-servers-rdnss");
});

test("the IPv6 DNS warnings name the tenant by its project name", () => {
  const warnings = load(
    variant((s) => (s.tenants = [{ name: "v6", network: { cidr: "fd00:1:2:3::/64" } }])),
  ).warnings.filter((w) => w.code === "dns-servers-version");
  expect(warnings.map((w) => w.message)).toEqual([
    "tenant v6's subnet fd00:1:2:3::/64 is IPv6 and takes DNS servers of its own version only, but none of the 1 given is: its instances get no resolver; give it IPv6 DNS servers (tenants[].network.dnsServers)",
  ]);
});

test("a tenant subnet may hold DNS servers of the tenant's own, and part of a wider admin range", () => {
  // GIVEN a tenant whose own DNS server is one of its instances, inside an admin range wider than it
  const { warnings } = load(
    variant((s) => {
      s.securityZones.adminCidrs = ["10.0.0.0/8"];
      s.tenants = [{ name: "a", network: { cidr: "10.9.0.0/24", dnsServers: ["10.9.0.53"] } }];
    }),
  );
  // THEN neither is reported: the tenant runs that server, and the administrators are unlikely
  // to hold the addresses of a block the cloud's tenants take
  expect(warnings.map((w) => w.code).filter((c) => c.startsWith("tenant-subnet"))).toEqual([]);
});

test("the balance warning gives the spread swift-ring-builder reports, of the worst ring", () => {
  const message = (extra: Record<string, unknown>) =>
    load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = { swift: swiftCluster({ partitionPower: 7, disksPerNode: 5, ...extra }) };
      }),
    ).warnings.find((w) => w.code === "swift-partition-power-low")?.message;
  // (15 disks, 384 partition replicas: 25.6 each, so some disks get 25, 2.34 % short; the
  // builder's balance is that larger miss, not the 1.56 % of those getting 26)
  expect(message({})).toContain(
    "of 3 replicas over 15 disks give each disk about 25.6, so that ring balances only to within 2.34 %",
  );
  // AND a storage policy of 2 replicas has its own ring: 17.07 each, 5.47 % over for some
  expect(
    message({
      policies: [
        { name: "gold", default: true },
        { name: "bronze", replicas: 2 },
      ],
    }),
  ).toContain(
    "of 2 replicas over 15 disks give each disk about 17.1, so that ring balances only to within 5.47 %",
  );
});

test("a partition power giving about 100 partitions per disk or more draws no balance warning", () => {
  const codes = (partitionPower: number) =>
    load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = { swift: swiftCluster({ partitionPower, disksPerNode: 5 }) };
      }),
    ).warnings.map((w) => w.code);
  // (15 disks: 2^11 = 2,048 partitions, 136 per disk; 2^10, 68 per disk, 204.8 replicas each,
  // balanced to 0.1 %)
  expect(codes(11)).not.toContain("swift-partition-power-low");
  expect(codes(10)).not.toContain("swift-partition-power-low");
  expect(codes(24)).not.toContain("swift-partition-power-high");
});

test("tagged frames of MTU 9198 fit 9216 bytes; a network's own larger MTU is named", () => {
  // GIVEN the largest underlay that keeps tagged frames within 9216 bytes THEN no warning
  expect(
    load(variant((s) => (s.network.underlayMtu = 9198))).warnings.map((w) => w.code),
  ).not.toContain("mtu-frame-large");
  // GIVEN a 9216 underlay whose networks all run at 9000 THEN the bonds run at 9000: no warning
  const lowered = load(
    variant((s) => {
      s.network.underlayMtu = 9216;
      for (const n of s.network.networks) n.mtu = Math.min(n.mtu ?? 9000, 9000);
    }),
  );
  expect(lowered.warnings.map((w) => w.code)).not.toContain("mtu-frame-large");
  // GIVEN one network at 9216 THEN its MTU is named, with the frame it makes
  const [found] = load(
    variant((s) => {
      s.network.underlayMtu = 9216;
      for (const n of s.network.networks) n.mtu = Math.min(n.mtu ?? 9000, 9000);
      s.network.networks[3].mtu = 9216;
    }),
  ).warnings.filter((w) => w.code === "mtu-frame-large");
  expect(formatPath(found.path)).toBe("network.networks[3].mtu");
  expect(found.message).toContain(
    "the hosts' bonds run at MTU 9216, so their tagged Ethernet frames reach 9234 bytes",
  );
  // GIVEN networks all untagged at 9200 THEN their frames, with no tag, fit 9216 bytes
  const untagged = load(
    variant((s) => {
      s.hardware[0].nicNames = ["ens1f0", "ens1f1", "ens2f0", "ens2f1", "ens3f0", "ens3f1"];
      s.hardware[1].nicNames = ["ens1f0", "ens1f1", "ens2f0", "ens2f1", "ens3f0", "ens3f1"];
      s.network.underlayMtu = 9200;
      s.network.networks = s.network.networks.filter((n: any) => n.role !== "external");
      for (const n of s.network.networks) delete n.vlan;
      s.controlPlane.vips = { internal: "10.0.1.10" };
    }),
  );
  expect(untagged.warnings.map((w) => w.code)).not.toContain("mtu-frame-large");
  // AND with a flat external network on the controllers' bridge, the warning and the runbook
  // read the same switch frame: no tag, 9214 bytes
  const flat = load(
    variant((s) => {
      s.hardware[0].nicNames = ["ens1f0", "ens1f1", "ens2f0", "ens2f1", "ens3f0", "ens3f1"];
      s.hardware[1].nicNames = ["ens1f0", "ens1f1", "ens2f0", "ens2f1", "ens3f0", "ens3f1"];
      s.network.underlayMtu = 9200;
      for (const n of s.network.networks) delete n.vlan;
      delete s.network.networks.find((n: any) => n.name === "ext").mtu;
    }),
  );
  expect(flat.warnings.map((w) => w.code)).not.toContain("mtu-frame-large");
  const cabling = flat.model.lifecycle
    .flatMap((st) => st.prerequisites)
    .find((i) => i.kind.startsWith("switches"));
  expect(cabling?.params).toMatchObject({ mtu: 9200, frame: 9214 });
});

test("a nearfull ratio far below Ceph's default is warned with the fill it warns from; a usual one is not", () => {
  const at = (nearfullRatio: number) =>
    load(
      variant(
        (s) =>
          (s.storage = {
            ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4, nearfullRatio },
          }),
      ),
    ).warnings.find((i) => i.code === "ceph-nearfull-low")?.message;
  expect(at(0.085)).toBe(
    "nearfullRatio 0.085 makes Ceph warn from 8.5 % full, and the documents count only that share of its usable capacity; Ceph's default is 0.85 (0.75 to 0.85 is usual)",
  );
  expect(at(0.75)).toBeUndefined();
  // (a ratio just under the floor is not said to warn from it)
  expect(at(0.4999)).toContain("warn from 49.99 % full");
});

test("a host kept out of its pool's racks is told the pool's racks, or that another zone's is another place", () => {
  const reason = (rack: string) =>
    issuesOf(
      variant((s) => {
        s.zones[0].pools[0].racks = ["r1", "r2"];
        s.zones[1].racks = ["r9"];
        s.hosts = [{ name: "az1-web-01", addresses: {}, rack }];
      }),
    ).find((i) => i.code === "host-rack")?.message;
  // a rack of the same zone the pool does not take
  expect(reason("r3")).toBe(
    "az1-web-01 stands in a rack of its pool az1-web (r1, r2), not r3: the pool keeps its hosts to those racks of zone az1; add r3 to the pool's racks or choose one of them",
  );
  // another zone's rack
  expect(reason("r9")).toContain("not r9: another zone's rack would put it at another place");
});

test("a pinned flavor that fits a host's NUMA nodes with CPUs left over is warned with its fit", () => {
  // GIVEN enterprise-reference's db pool: compute-2s hosts, 2 reserved CPUs (46 and 48 dedicated
  // a socket), 768 GiB of which the kernel reports 752.64 (376.32 a NUMA node, which Nova checks
  // a guest cell against), 744.64 the guests' (Placement's reserved)
  const text = fs.readFileSync(path.join(ROOT, "examples/enterprise-reference.yaml"), "utf8");
  const fit = (ramGiB: number) =>
    loadSpecText(
      text.replace("vcpus: 16, ramGiB: 96,", `vcpus: 16, ramGiB: ${ramGiB},`),
      "spec.yaml",
    ).warnings.find((w) => w.code === "flavor-numa-fit");
  // THEN 16 CPUs and 128 GiB: two a node by memory (a third would need 384 GiB of the node's
  // 376.32), 4 a host, where 94 CPUs and 744.64 GiB would take 5
  expect(fit(128)).toMatchObject({
    path: ["zones", 1, "pools", 0, "flavors", 0],
    message:
      "pinned flavor db-pinned-16 (16 vCPUs, 128 GiB) fits 4 guests on a compute-2s host, each on one NUMA node (socket) by its dedicated CPUs and memory, where the host's 94 CPUs and 744.64 GiB would take 5: 30 CPUs a host stay idle unless guests of another flavor fill them (the pool's usable CPUs count what its flavors place); size it to divide a NUMA node's dedicated CPUs (46, 48 socket by socket: the reserved CPUs are taken from the first sockets) and memory",
  });
  // AND 96 GiB fits 2 and 3 a node by CPUs (288 of 376.32 GiB each), the 5 the totals take, as
  // Nova's NUMA fitting does
  expect(fit(96)).toBeUndefined();
});

test("an unpinned flavor may take every thread of a host, as Placement's VCPU max_unit does", () => {
  // GIVEN pool az1-web on cmp hosts: 64 threads, 2 kept for the host, allocation ratio 1
  const design = (vcpus: number) =>
    variant((s) => {
      s.zones[0].pools[0].cpuAllocationRatio = 1;
      s.zones[0].pools[0].flavors = [{ name: "huge", vcpus, ramGiB: 8 }];
    });
  const refused = (vcpus: number) =>
    issuesOf(design(vcpus))
      .filter((i) => i.code === "flavor-too-large")
      .map((i) => [formatPath(i.path), i.message]);
  // THEN 62 vCPUs fit the (64 - 2) x 1 Placement counts, 63 do not
  expect(load(design(62)).model.pools[0].flavors[0].vcpus).toBe(62);
  expect(refused(63)).toEqual([
    [
      "zones[0].pools[0].flavors[0].vcpus",
      "flavor huge needs 63 vCPUs; Placement gives one guest at most 62 on a cmp host (its 62 threads after reservations, times the allocation ratio 1)",
    ],
  ]);
  // AND at ratio 4 a guest takes all 64 threads (max_unit), not 65
  const at4 = (vcpus: number) =>
    variant((s) => {
      s.zones[0].pools[0].flavors = [{ name: "huge", vcpus, ramGiB: 8 }];
    });
  expect(load(at4(64)).model.pools[0].flavors[0].vcpus).toBe(64);
  expect(
    issuesOf(at4(65))
      .filter((i) => i.code === "flavor-too-large")
      .map((i) => i.message),
  ).toEqual([
    "flavor huge needs 65 vCPUs; Placement gives one guest at most 64 on a cmp host (its 64 threads)",
  ]);
});

test("LVM volume hosts at several sites are warned: Cinder places volumes whatever the instance's site", () => {
  const twoSites = (sites: number) =>
    load(
      variant((s) => {
        s.sites = [{ name: "dc1" }, { name: "dc2" }].slice(0, sites);
        s.zones[0].site = "dc1";
        s.zones[0].racks = ["r1"];
        s.zones[1].site = sites === 2 ? "dc2" : "dc1";
        s.zones[1].racks = ["r2"];
        s.controlPlane.services = [...CORE_SERVICES, "cinder"];
        s.storage = { backends: [{ name: "lvm", kind: "lvm", volumeType: "std" }] };
      }),
    ).warnings.find((w) => w.code === "volume-hosts-sites");
  expect(twoSites(2)).toMatchObject({
    path: ["storage", "backends", 0],
    message: expect.stringContaining(
      "the LVM and ZFS volume hosts stand at 2 sites (dc1, dc2), and Cinder puts a volume on any of them",
    ),
  });
  expect(twoSites(1)).toBeUndefined();
});

test("Ceph pools' data shares add up per device class, as the pools of a class split its OSDs", () => {
  const codes = (shares: [string | undefined, number][]) => {
    const spec = variant((s) => {
      s.hardware.find((h: any) => h.name === "stor").disks = [
        { count: 4, sizeGB: 4000, kind: "hdd" },
        { count: 4, sizeGB: 3840, kind: "ssd" },
      ];
      s.storage = cephPools(
        shares.map(([deviceClass, dataShare], i) => ({
          name: `p${i}`,
          application: ["volumes", "images", "vms"][i],
          dataShare,
          ...(deviceClass ? { deviceClass } : {}),
        })),
      );
    });
    try {
      return load(spec).warnings.map((w) => w.code);
    } catch (err) {
      return (err as UserError).issues?.map((i) => `${i.code}: ${i.message}`) ?? [];
    }
  };
  // 0.7 of the HDDs' and 0.5 + 0.5 of the SSDs': each class's own whole
  expect(
    codes([
      [undefined, 0.7],
      ["ssd", 0.5],
      ["ssd", 0.5],
    ]),
  ).not.toContainEqual(expect.stringContaining("ceph-data-share"));
  // 0.7 + 0.5 of the HDDs'
  expect(
    codes([
      [undefined, 0.7],
      ["hdd", 0.5],
      ["ssd", 0.5],
    ]),
  ).toContain(
    "ceph-data-share: the data shares of the pools on hdd OSDs add up to 1.2; a device class's pools share its data, so they must not exceed 1",
  );
  // AND Gnocchi's pool, which the design adds with a share of its own, is not the spec's to count
  expect(
    (() => {
      const spec = variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "ceilometer"];
        s.storage = cephPools([
          { name: "volumes", application: "volumes", dataShare: 0.6 },
          { name: "images", application: "images", dataShare: 0.1 },
          { name: "vms", application: "vms", dataShare: 0.3 },
        ]);
      });
      try {
        return load(spec).model.storage.ceph!.pools.map((p) => p.application);
      } catch (err) {
        return (err as UserError).issues?.map((i) => i.code) ?? [];
      }
    })(),
  ).toContain("metrics");
  // AND a pool asking for a class the hosts have no OSDs of stays on the cluster's, and counts
  // there (NVMe here), which the error says
  expect(
    codes([
      [undefined, 0.7],
      ["nvme", 0.5],
    ]),
  ).toContain(
    "ceph-data-share: the data shares of the pools on hdd OSDs add up to 1.2 (p1, which asks for nvme OSDs the hosts do not have, among them); a device class's pools share its data, so they must not exceed 1",
  );
});

test("an undeclared rack of a host is told where to declare it: its zone's, or any zone's for a controller", () => {
  const message = (host: string) =>
    issuesOf(variant((s) => (s.hosts = [{ name: host, addresses: {}, rack: "r9" }]))).find(
      (i) => i.code === "unknown-reference",
    )?.message;
  expect(message("az1-web-01")).toContain(
    "declare it in the racks of zone az1, which az1-web-01 stands in (zones[].racks)",
  );
  expect(message("ctrl-02")).toContain(
    "declare it in a zone's racks (zones[].racks), or remove ctrl-02's rack to let the plan place it",
  );
});

test("a standard directory left to the Active Directory default is refused only where Keystone would fail on it", () => {
  const domain = (ldap: Record<string, string>) =>
    variant((s) => (s.identity = researchDirectory(ldap)));
  const unstated = (ldap: Record<string, string>) =>
    issuesOf(domain(ldap))
      .filter((i) => i.code === "ldap-directory-unstated")
      .map((i) => i.message);
  // GIVEN groupOfUniqueNames (uniqueMember: no AD nesting) and uid named: Keystone finds both
  expect(
    load(domain({ groupObjectClass: "groupOfUniqueNames", userIdAttribute: "uid" })).model.identity
      .domains[0].ldap?.activeDirectory,
  ).toBe(true);
  // THEN groupOfNames (member: nesting by AD's rule) is refused, naming what fails
  expect(unstated({ groupObjectClass: "groupOfNames", userIdAttribute: "uid" })).toEqual([
    "domain research's groupObjectClass groupOfNames is the standard schemas' (OpenLDAP, 389 Directory Server), while activeDirectory, not written, is true: Keystone would look up group members by Active Directory's nested-group matching rule, which other directories do not implement, so no user would be in a group; set activeDirectory: false, or true where the server is Active Directory",
  ]);
  // AND users named by AD's default attribute too
  expect(unstated({ groupObjectClass: "groupOfUniqueNames" })[0]).toContain(
    "name users by sAMAccountName, which other directories lack, so no user would exist",
  );
});

/** An OpenLDAP-style directory domain `research`, with the given settings beside its DNs. */
function researchDirectory(ldap: Record<string, string>) {
  return {
    domains: [
      {
        name: "research",
        ldap: {
          url: "ldaps://ldap.example.org",
          userTreeDn: "ou=People,dc=example,dc=org",
          groupTreeDn: "ou=Groups,dc=example,dc=org",
          bindDn: "cn=keystone,dc=example,dc=org",
          ...ldap,
        },
      },
    ],
  };
}
