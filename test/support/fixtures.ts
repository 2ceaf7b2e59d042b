import type { Model } from "../../model/types";
import type { SpecInput } from "../../spec/schema";
import { loadSpecText, type LoadedSpec } from "../../model/load";
import { UserError, type SpecIssue } from "../../core/errors";

/** The services every design runs (service-core-missing). */
export const CORE_SERVICES = ["keystone", "nova", "placement", "neutron", "glance"] as const;

const BASE_SERVICES = [...CORE_SERVICES, "horizon", "fwaas", "vpnaas"] as const;

/** A small valid spec; tests copy and bend it. */
export function baseSpec(): SpecInput {
  return {
    version: 1,
    metadata: { customer: "Test Customer", project: "Test Cloud" },
    cloud: { cloud: "test" },
    hardware: [
      { name: "ctrl", sockets: 1, coresPerSocket: 16, threadsPerCore: 2, memoryGiB: 128 },
      { name: "cmp", sockets: 2, coresPerSocket: 16, threadsPerCore: 2, memoryGiB: 256 },
      { name: "stor", sockets: 1, coresPerSocket: 8, threadsPerCore: 2, memoryGiB: 64 },
    ],
    zones: [
      {
        name: "az1",
        racks: ["r1", "r2", "r3"],
        pools: [
          {
            name: "web",
            purpose: { tier: "web" },
            hosts: 4,
            hardware: "cmp",
            flavors: [{ name: "web-small", vcpus: 2, ramGiB: 4 }],
          },
        ],
      },
      {
        name: "az2",
        pools: [
          {
            name: "app",
            purpose: { tier: "app" },
            hosts: 3,
            hardware: "cmp",
            flavors: [{ name: "app-medium", vcpus: 4, ramGiB: 8 }],
          },
        ],
      },
    ],
    controlPlane: {
      controllers: 3,
      hardware: "ctrl",
      flavor: "bm-ctrl",
      vips: { internal: "10.0.1.10", external: "198.51.100.10" },
      // The default services, with the Neutron extensions variants switch on (and Cinder once a
      // variant declares volume backends or backups: see variant()).
      services: [...BASE_SERVICES],
    },
    network: {
      underlayMtu: 9000,
      dnsServers: ["10.9.0.53"],
      networks: [
        { name: "mgmt", role: "management", cidr: "10.0.0.0/24", vlan: 10 },
        { name: "api", role: "internal-api", cidr: "10.0.1.0/24", vlan: 11 },
        { name: "tunnel", role: "tunnel", cidr: "10.0.2.0/24", vlan: 12 },
        { name: "storage", role: "storage", cidr: "10.0.3.0/24", vlan: 13 },
        {
          name: "ext",
          role: "external",
          cidr: "198.51.100.0/24",
          vlan: 20,
          physicalNetwork: "physnet-ext",
          mtu: 1500,
          floatingIpRange: { start: "198.51.100.100", end: "198.51.100.200" },
        },
      ],
    },
    ntp: { servers: ["10.9.0.123", "10.9.1.123"] },
    securityZones: { adminCidrs: ["10.9.100.0/24"] },
  };
}

/**
 * Loads a spec as a JSON file holding it would load: the reader's JSON.parse path, three times
 * cheaper than a YAML round trip. Reading YAML has its own tests (spec/load, hostile-input) and
 * every example is YAML.
 */
export function load(spec: SpecInput | Record<string, unknown>): LoadedSpec {
  return loadSpecText(JSON.stringify(spec, null, 2), "spec.json");
}

/** The issues a spec fails with; fails the test when the spec loads. */
export function issuesOf(spec: SpecInput | Record<string, unknown>): SpecIssue[] {
  try {
    load(spec);
  } catch (err) {
    // The errors: warnings of the base design (or of the edit) are load()'s to check.
    if (err instanceof UserError) return err.issues.filter((i) => i.severity === "error");
    throw err;
  }
  throw new Error("expected the spec to be rejected");
}

export const pathOf = (issue: SpecIssue) =>
  issue.path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "");

/** A directory of the tests' LDAP domains: an AD over LDAPS, users and groups in their OUs. */
export const adDirectory = {
  url: "ldaps://ad.example.com",
  userTreeDn: "OU=Users,DC=example,DC=com",
  groupTreeDn: "OU=Groups,DC=example,DC=com",
};

/**
 * Deep copy of the base spec, edited by a callback. An edit that declares volume backends or
 * backups and keeps the base's services gets Cinder among them, as the default list would.
 */
export function variant(edit: (spec: any) => void): SpecInput {
  const spec = structuredClone(baseSpec()) as any;
  edit(spec);
  const services = spec.controlPlane?.services;
  if (
    (spec.storage?.backends?.length || spec.storage?.backup) &&
    Array.isArray(services) &&
    BASE_SERVICES.every((s) => services.includes(s)) &&
    !services.includes("cinder")
  )
    spec.controlPlane.services = [...services.slice(0, 4), "cinder", ...services.slice(4)];
  return spec;
}

/**
 * The base spec with an LDAP-backed domain `corp`, its group `cloud-admins` an admin of the whole
 * domain and `ops` a member of tenant Core Banking.
 */
export function ldapDomainRoles(): Model {
  return load(
    variant((s) => {
      s.identity = {
        domains: [
          {
            name: "corp",
            ldap: { url: "ldaps://ad.example.com", userTreeDn: "OU=U", groupTreeDn: "OU=G" },
          },
        ],
        groupRoleMappings: [
          { domain: "corp", group: "cloud-admins", role: "admin" },
          { domain: "corp", group: "ops", role: "member", tenant: "Core Banking" },
        ],
      };
      s.tenants = [{ name: "Core Banking", network: { cidr: "172.30.0.0/24" } }];
    }),
  ).model;
}

/** Ceph on four `stor` hosts of 10 OSDs of 4 TB (160 TB raw), with `more` (pools, protection). */
export const cephCluster = (more: Record<string, unknown> = {}) => ({
  nodes: 4,
  hardware: "stor",
  osdsPerNode: 10,
  osdSizeTB: 4,
  ...more,
});

/** `storage` with six erasure-coded (4+2) Ceph hosts behind a Ceph volume backend. */
export const erasureCodedStorage = (more: Record<string, unknown> = {}) => ({
  backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
  ceph: {
    nodes: 6,
    hardware: "stor",
    osdsPerNode: 4,
    osdSizeTB: 4,
    protection: { erasureCoded: { k: 4, m: 2 } },
    ...more,
  },
});

/**
 * The base spec with six erasure-coded (4+2) Ceph hosts holding Cinder's volumes (and Glance's
 * images), edited further by `more`.
 */
export const erasureCodedCeph = (more: Record<string, unknown> = {}): Model =>
  load(
    variant((s) => {
      s.storage = erasureCodedStorage(more);
    }),
  ).model;

/** Volumes on LVM, images and instance disks on three Ceph hosts of these disks. */
export const lvmBesideCeph = (disks: readonly { count: number; sizeGB: number; kind: string }[]) =>
  variant((s) => {
    s.storage = {
      ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 8 },
      ephemeral: "ceph",
      backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }],
    };
    s.hardware[2].disks = disks;
  });

/**
 * The base spec with `stor` hosts of 4 hdd and 2 ssd disks, and Ceph on four of them (hdd by
 * default) with `ceph` settings (pools, deviceClass) and Cinder `backends`.
 */
export const twoClassCeph = (
  ceph: Record<string, unknown>,
  backends: readonly Record<string, unknown>[],
  edit: (s: any) => void = () => undefined,
) =>
  variant((s) => {
    s.hardware[2].disks = [
      { count: 4, sizeGB: 8000, kind: "hdd" },
      { count: 2, sizeGB: 3840, kind: "ssd" },
    ];
    s.storage = {
      ceph: { nodes: 4, hardware: "stor", osdsPerNode: 4, osdSizeTB: 8, ...ceph },
      backends,
    };
    edit(s);
  });

/** Volumes on the SSD OSDs alone, Ceph's backups pool on the HDD ones, and one tenant's quotas. */
export const backupsApartFromVolumes = (quota: { volumeGiB: number; backupGiB: number }) =>
  twoClassCeph(
    {
      pools: [
        { name: "volumes", application: "volumes", dataShare: 0.3, deviceClass: "ssd" },
        { name: "images", application: "images", dataShare: 0.3 },
        { name: "backups", application: "backups", dataShare: 0.4 },
      ],
    },
    [{ name: "rbd", kind: "ceph", volumeType: "fast", deviceClass: "ssd" }],
    (s) => {
      s.tenants = [{ name: "a", quota }];
    },
  );

/**
 * A design whose availability zones hold the given racks (one zone per list), with Swift alone
 * storing data: its storage nodes take the zones' racks in turn.
 */
export function swiftAcrossRacks(
  racks: readonly (readonly string[])[],
  swift: Record<string, unknown>,
): SpecInput {
  return variant((s) => {
    s.zones = racks.map((r, i) => ({
      name: `az-${i + 1}`,
      racks: r,
      pools: [{ name: `gen-${i + 1}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
    }));
    s.controlPlane.services = [...s.controlPlane.services, "swift"];
    s.storage = { swift: swiftCluster(swift) };
  });
}

/**
 * Two sites, az1's three racks at dc1 and az2's two at dc2, with six Swift storage nodes over the
 * racks in turn, in six zones and the given regions.
 */
export const swiftAtTwoSites = (regions: number) =>
  variant((s) => {
    s.sites = [{ name: "dc1" }, { name: "dc2" }];
    s.zones[0].site = "dc1";
    s.zones[1].site = "dc2";
    s.zones[1].racks = ["r4", "r5"];
    s.controlPlane.services = [...s.controlPlane.services, "swift"];
    s.storage = { swift: swiftCluster({ storageNodes: 6, zones: 6, regions }) };
  });

/**
 * Ceph of six hosts at the given sites, a zone at each with two racks (dc1: r1, r2; dc2: r3, r4;
 * ...), each with a pool of its own, and the given Ceph settings.
 */
export const cephAtSites = (sites: number, ceph: Record<string, unknown> = {}) =>
  variant((s) => {
    s.sites = Array.from({ length: sites }, (_, i) => ({ name: `dc${i + 1}` }));
    s.zones = s.sites.map((site: { name: string }, i: number) => ({
      name: `az${i + 1}`,
      site: site.name,
      racks: [`r${2 * i + 1}`, `r${2 * i + 2}`],
      pools: [{ name: `gen${i + 1}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
    }));
    s.storage = {
      ceph: cephCluster({ nodes: 6, ...ceph }),
      backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
    };
  });

/** A Swift cluster the base spec's hardware can carry: 2 proxies, 3 storage nodes in 3 zones. */
export function swiftCluster(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    proxies: 2,
    proxyHardware: "ctrl",
    storageNodes: 3,
    storageHardware: "stor",
    disksPerNode: 4,
    diskSizeTB: 4,
    zones: 3,
    ...extra,
  };
}

/**
 * Edits a spec so that no finding but a test's own remains: every pool at a CPU ratio the
 * capacity pack accepts, users from a declared range (SW-SEC-009), images in Ceph
 * (glance-file-single) on hosts that boot from a smaller disk (ceph-boot-disk-missing).
 */
export const calm = (spec: any) => {
  for (const z of spec.zones) for (const p of z.pools) p.cpuAllocationRatio = 2;
  spec.securityZones = { ...(spec.securityZones ?? {}), userCidrs: ["10.0.0.0/8"] };
  spec.hardware[2].disks = [
    { count: 1, sizeGB: 1000, kind: "hdd" },
    { count: 4, sizeGB: 4000, kind: "hdd" },
  ];
  spec.storage = { ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } };
};

/** The base spec with Octavia on an amphora VLAN of its own (single topology). */
export const withOctavia = (edit: (spec: any) => void = () => undefined) =>
  variant((s) => {
    s.controlPlane.services.push("octavia");
    s.network.networks.push({ name: "lb", role: "octavia", cidr: "10.0.8.0/24", vlan: 30 });
    edit(s);
  });

/**
 * The external network untagged (the controllers' first untagged network, management being
 * tagged) and a replication network untagged on three Ceph nodes, in the same racks: their
 * switches' ports take different untagged networks by role.
 */
export const untaggedByRole = () =>
  variant((s) => {
    delete s.network.networks.find((n: { name: string }) => n.name === "ext").vlan;
    s.network.networks.push({ name: "repl", role: "storage-replication", cidr: "10.0.4.0/24" });
    s.storage = {
      ceph: cephCluster({ nodes: 3 }),
      backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
    };
  });

/** Controllers as VMs on an undercloud (`under`, key pair `ops`), then the given edit. */
export const vmControllers = (edit: (spec: any) => void = () => undefined) =>
  variant((s) => {
    s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
    s.controlPlane.deployment = "vm";
    edit(s);
  });

/**
 * The base design with a GPU pool az1-gpu of two gpu hosts, each with four NVIDIA H100 PCIe
 * (10de:2331) passed through, and flavors of one and four, granted to tenant research.
 */
export function withGpus(edit: (s: any) => void = () => {}): SpecInput {
  return variant((s) => {
    s.hardware.push({
      name: "gpu",
      vendorModel: "GPU server 4U",
      sockets: 2,
      coresPerSocket: 32,
      threadsPerCore: 2,
      memoryGiB: 1024,
      accelerators: [
        {
          name: "h100",
          model: "NVIDIA H100 PCIe",
          vendorId: "10de",
          productId: "2331",
          deviceType: "type-PF",
          count: 4,
        },
      ],
    });
    s.zones[0].pools.push({
      name: "gpu",
      purpose: { custom: "GPU training" },
      hosts: 2,
      hardware: "gpu",
      spareHosts: 0,
      flavors: [
        { name: "g1-h100x1", vcpus: 16, ramGiB: 120, accelerators: { h100: 1 } },
        { name: "g1-h100x4", vcpus: 60, ramGiB: 480, accelerators: { h100: 4 } },
      ],
    });
    s.tenants = [...(s.tenants ?? []), { name: "research", flavors: ["g1-h100x1", "g1-h100x4"] }];
    edit(s);
  });
}

/**
 * Cinder on Ceph with a public type std and a private type `type` of backend `backend`, and one
 * tenant given a quota of that type, listing `volumeTypes`.
 */
export function privateTypeQuota(
  s: any,
  { backend, type, volumeTypes = [] }: { backend: string; type: string; volumeTypes?: string[] },
): void {
  s.controlPlane.services.push("cinder");
  s.storage = {
    ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
    backends: [
      { name: "std", kind: "ceph", volumeType: "std" },
      { name: backend, kind: "ceph", volumeType: type, public: false },
    ],
  };
  s.tenants = [
    { name: "bank", volumeTypes, quota: { perVolumeType: { [backend]: { gigabytes: 5000 } } } },
  ];
}
