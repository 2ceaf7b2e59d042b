import { isIPv4, isIPv6 } from "net";
import { z } from "zod";
import { DEFAULTS } from "../core/defaults";
import { CEPH_BACKFILLFULL_RATIO } from "../core/ceph-pools";
import { sshPublicKeyProblem } from "../core/ssh-key";
import { dnProblem, TYPE as DN_TYPE } from "../core/ldap-dn";
import { SWIFT_EC_TYPES } from "../core/swift-ring";
import { LANGUAGES, NETWORK_ROLES, TENANT_NETWORK_TYPES } from "../core/vocabulary";

export { LANGUAGES, NETWORK_ROLES, TENANT_NETWORK_TYPES };

// Identifiers become hostnames, availability zones and Terraform addresses: keep them DNS-safe.
const IDENT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Unicode category Cc spelled as ranges: JSON Schema validators outside JavaScript lack \p{}.
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/u;

/**
 * An http(s) URL as Terraform's backends take it: written out with `//` and a host, no white
 * space, control characters or backslashes, which URL parsers drop or turn into slashes, so that
 * the credential check reads what the backend will (`https:/u:p@h` is `https://u:p@h` to them).
 */
const WEB_URL = /^[hH][tT][tT][pP][sS]?:\/\/[^\s\\/?#@]*[^\s\\/?#@:][^\s\\]*$/;
/**
 * Only what RFC 3986 lets a URL hold, any other character percent-encoded: apt's configuration
 * quotes a proxy in `"` and its sources list ends a URI at white space, neither escaping.
 */
const URL_CHARACTERS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
/**
 * Terraform reads a backend block as written but a remote-state source's settings as templates:
 * text with `${` or `%{` cannot be written so that both name the same state.
 */
const NO_TEMPLATE = /^(?![\s\S]*[$%]\{)/;
const noTemplate = {
  error:
    "must not contain ${ or %{: the backend reads it as written, other stacks' remote state as a template",
};

/** No query string nor fragment: nothing after a URL's path. */
const NO_QUERY = /^[^?#]*$/;
const webUrl = {
  error:
    "expected an http(s) URL: http:// or https:// and a host, without spaces, control characters or backslashes",
};

/**
 * An http(s) URL: a host, a port no client refuses, no spaces or control characters; `templated`
 * where Terraform reads it as a template too (a state backend's).
 */
const httpUrl = (templated = false) => {
  const url = z
    .string({ error: "expected an http(s) URL" })
    // The pattern backtracks quadratically on long text: nothing longer reaches it.
    .max(2048, { error: "must be at most 2048 characters", abort: true })
    // (one error for a URL wrong several ways)
    .regex(NO_CONTROL, { ...webUrl, abort: true })
    .regex(WEB_URL, { ...webUrl, abort: true });
  // (a state backend's `${` said as such, before the characters a URL may not hold)
  return (
    (templated ? url.regex(NO_TEMPLATE, { ...noTemplate, abort: true }) : url)
      .regex(URL_CHARACTERS, {
        error:
          "must hold only the characters of a URL (RFC 3986): letters, digits and -._~:/?#[]@!$&'()*+,;=, any other percent-encoded (%22 for a quote) and a host of other scripts in its xn-- form",
        abort: true,
      })
      // (a port out of range said as such: the URL parser refuses 65536 as it refuses any URL)
      .refine(
        (u) => {
          const port = /^https?:\/\/(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/i.exec(u)?.[1];
          return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
        },
        { error: "the port must be from 1 to 65535", abort: true },
      )
      .refine((u) => URL.canParse(u), { ...webUrl, abort: true })
  );
};

/** An http(s) URL of a service the hosts reach (a package mirror or proxy): no query string. */
const serviceUrl = (what: string) =>
  httpUrl().regex(NO_QUERY, {
    error: `must not hold a query string or fragment: ${what} takes none`,
  });

/**
 * Names that are members of every JavaScript object and so cannot name a construct: a pattern,
 * so that the JSON Schema refuses them too.
 */
const notReserved = (names: readonly string[]) => new RegExp(`^(?!(?:${names.join("|")})$)`);
const NOT_RESERVED_IDENT = notReserved(["constructor"]);
const NOT_OBJECT_MEMBER = notReserved(Object.getOwnPropertyNames(Object.prototype).sort());
const reserved = {
  error: (issue: { input?: unknown }) =>
    `${JSON.stringify(issue.input)} is a reserved word; choose another name`,
};

/**
 * A Keystone role name as Keystone and Kolla-Ansible spell them: `member`, `load-balancer_member`,
 * `heat_stack_owner`, `ResellerAdmin`, `key-manager:service-admin`.
 */
const ROLE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
const roleName = () =>
  z
    .string({ error: "expected a role name" })
    .regex(ROLE, {
      error:
        "expected a Keystone role name: a letter, then letters, digits, '_', '.', ':' or '-' (at most 64 characters)",
    })
    // A member of every JavaScript object (toString, constructor) cannot name a construct.
    .regex(NOT_OBJECT_MEMBER, reserved);

export const ident = () =>
  z
    .string({ error: "expected a name" })
    .regex(IDENT, {
      error: "expected a lowercase name of letters, digits and '-' (1-63 characters, DNS-safe)",
    })
    .regex(NOT_RESERVED_IDENT, reserved);
/** Nova flavor names: an identifier that may also hold '.' and '_' (`m1.small`, `c5_xlarge`). */
const FLAVOR_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,61}[a-z0-9])?$/;
const flavorName = () =>
  z
    .string({ error: "expected a flavor name" })
    .regex(FLAVOR_NAME, {
      error:
        "expected a lowercase flavor name of letters, digits, '.', '_' and '-' (1-63 characters, starting and ending with a letter or digit)",
    })
    .regex(NOT_RESERVED_IDENT, reserved);
/**
 * OpenStack region names. Kolla-Ansible writes the region unquoted into service configs and
 * command lines and renders it through Jinja twice (kolla_toolbox re-templates module
 * arguments), so no quoting survives: only characters none of those read specially.
 */
const REGION = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/;
const regionName = () =>
  z.string({ error: "expected a region name" }).regex(REGION, {
    error:
      "expected a region name of letters, digits, '.', '_' and '-' (1-64 characters, starting and ending with a letter or digit): Kolla-Ansible writes it unquoted into configs and commands",
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
/**
 * A whole number from `min` to `max`, out-of-range values reported once with the range message.
 * zod's int() also checks the safe-integer bounds and would report `1e308` a second time, with
 * the type message; aborting there and giving it the range message keeps one clear error.
 */
const wholeNumber = (
  min: number,
  max: number,
  messages: { readonly type: string; readonly min?: string; readonly max?: string } = {
    type: "expected a whole number",
  },
) => {
  const below = messages.min ?? `must be at least ${min}`;
  const above = messages.max ?? `must be at most ${max}`;
  return z
    .int({
      error: (issue) =>
        issue.code === "too_big" ? above : issue.code === "too_small" ? below : messages.type,
      abort: true,
    })
    .min(min, { error: below })
    .max(max, { error: above });
};
const posInt = (max = 1_000_000) =>
  wholeNumber(1, max, { type: "expected a positive integer", min: "expected a positive integer" });
const nonNegInt = (max = 1_000_000) =>
  wholeNumber(0, max, { type: "expected a whole number", min: "must be 0 or more" });
const ratio = (max: number, above = `must be at most ${max}`) =>
  z
    .number({ error: "expected a number" })
    .positive({ error: "must be greater than 0" })
    .max(max, { error: above });
const ipv4 = () => z.ipv4({ error: "expected an IPv4 address" });
// No IPv4 part in an IPv6 text (::ffff:10.0.0.1): the JSON Schema's IPv6 pattern refuses it.
const ipv6 = () => z.ipv6().regex(/^[^.]*$/);
const cidrv6 = () => z.cidrv6().regex(/^[^.]*$/);
const DOTTED_IPV6 =
  "an IPv6 text may not hold an IPv4 part here: write an IPv4 address as IPv4, or the IPv6 one in hex (::ffff:a00:1 for ::ffff:10.0.0.1)";
// (an IPv6 text ending in a dotted quad, a prefix length after it or not: not a host:port)
const dottedIpv6 = (input: unknown) =>
  typeof input === "string" && /^[0-9A-Fa-f:]*:(?:\d{1,3}\.){3}\d{1,3}(?:\/\d+)?$/.test(input);
const ipAddress = () =>
  z.union([z.ipv4(), ipv6()], {
    error: (issue) => (dottedIpv6(issue.input) ? DOTTED_IPV6 : "expected an IPv4 or IPv6 address"),
  });
const cidr = () =>
  z.union([z.cidrv4(), cidrv6()], {
    // A list is the dual-stack attempt: each network here is one subnet of one IP version.
    error: (issue) =>
      Array.isArray(issue.input)
        ? "expected one CIDR, not a list: a network here has one subnet, IPv4 or IPv6 (no dual stack)"
        : dottedIpv6(issue.input)
          ? DOTTED_IPV6
          : "expected a CIDR such as 10.0.0.0/24 or 2001:db8::/64",
  });
const vlanId = () =>
  wholeNumber(1, 4094, {
    type: "expected a VLAN ID",
    min: "VLAN IDs are 1-4094",
    max: "VLAN IDs are 1-4094",
  });
const port = () =>
  wholeNumber(1, 65535, {
    type: "expected a port number",
    min: "ports are 1-65535",
    max: "ports are 1-65535",
  });

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
  customer: text().meta({
    description: "Customer name, shown on the documents and the proposal.",
    examples: ["Example Corp"],
  }),
  project: text().meta({
    description: "Project name, shown on the documents and the proposal.",
    examples: ["Private cloud phase 1"],
  }),
  language: z
    .enum(LANGUAGES, { error: "expected en or zh-CN" })
    .default(DEFAULTS.language)
    .describe("Language the documents are written in."),
  version: text(40).default("1.0").describe("Version of this design, shown on the documents."),
  author: text().optional().describe("Author shown on the documents."),
  description: longText()
    .optional()
    .describe(
      "Introduction of the architecture document: blank lines part its paragraphs; a single line break joins two lines, as in Markdown.",
    ),
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

/** A registry as Docker and Podman name one: a host name or address, and a port. */
export const REGISTRY =
  /^(?:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;
/** An image namespace (path) in a registry: `openstack.kolla`, `mirror/kolla`. */
const REGISTRY_NAMESPACE =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

const containerRegistry = strict({
  address: z
    .string({ error: "expected a registry host and port" })
    .max(255, { error: "must be at most 255 characters", abort: true })
    .regex(REGISTRY, {
      abort: true,
      error: (issue) => {
        const input = String(issue.input);
        return input.includes("://")
          ? "expected the registry's host and port without a scheme, such as registry.example.net:5000 (Docker and Podman pull over HTTPS)"
          : input.includes("@")
            ? "expected the registry's host and port, without credentials: the password goes into Kolla's passwords.yml (docker_registry_password), the user into username"
            : "expected a lowercase registry host name or address and an optional port, such as registry.example.net:5000 or [fd00::5]:5000";
      },
    })
    .refine(
      (a) => {
        const port = Number(REGISTRY.exec(a)?.[1] ?? 443);
        return port >= 1 && port <= 65535;
      },
      { error: "the port must be from 1 to 65535" },
    )
    // Docker takes an IPv6 address in brackets, an IPv4 one bare; a dotted quad is no name, and
    // the unspecified address is no host to pull from.
    .refine(
      (a) => {
        const host = a.replace(/:\d+$/, "");
        if (host.startsWith("[")) {
          const v6 = host.slice(1, -1);
          return isIPv6(v6) && !/^[0:]+$/.test(v6);
        }
        return !/^[\d.]+$/.test(host) || (isIPv4(host) && host !== "0.0.0.0");
      },
      {
        error:
          "expected a host name, an IPv4 address, or an IPv6 address in brackets, such as [fd00::5]:5000",
      },
    )
    .meta({
      description: "Host (name or address) and port of the registry; no scheme.",
      examples: ["registry.example.net:5000"],
    }),
  namespace: z
    .string()
    .max(255, { error: "must be at most 255 characters", abort: true })
    .regex(REGISTRY_NAMESPACE, {
      error: "expected an image namespace such as openstack.kolla or mirror/kolla (lowercase)",
    })
    .default(DEFAULTS.registryNamespace)
    .describe("Namespace (path) of Kolla's images in the registry; Kolla's own when absent."),
  username: text(128)
    .optional()
    .describe(
      "User the hosts log in to the registry as; its password goes into Kolla's passwords.yml (docker_registry_password), never into the spec. Anonymous pulls when absent.",
    ),
});

/**
 * The undercloud: a cloud running Nova with Ironic that provisions this cloud's servers. Without
 * it the hosts already exist (installed by hand, MAAS or Foreman).
 */
const undercloud = strict({
  cloud: text(64).describe("Name of the undercloud's clouds.yaml entry; never the overcloud's."),
  // Only the bare-metal stack's provider reads it (Kolla never does): any region name.
  region: text(64).default(DEFAULTS.region).describe("Undercloud region name."),
  image: text(128)
    .optional()
    .describe(
      "Glance image every server is deployed with; controlPlane.image when absent. Controllers as VMs boot controlPlane.image.",
    ),
  network: text(64)
    .default(DEFAULTS.provisioningNetwork)
    .describe("Undercloud network the nodes boot and are provisioned on."),
  keyPair: text(64)
    .optional()
    .describe(
      "Undercloud key pair injected into the nodes, owned by the cloud entry's user; controlPlane.keyPair when absent.",
    ),
  packageMirror: serviceUrl("an apt mirror")
    .optional()
    .meta({
      description:
        "Ubuntu package mirror the servers install from (their user data's apt primary and security archives), for a site without the internet; the image's own archives when absent.",
      examples: ["http://mirror.example.net/ubuntu"],
    }),
  packageProxy: serviceUrl("apt's proxy")
    .optional()
    .meta({
      description:
        "HTTP proxy apt reaches its archives through on the servers; none when absent. A proxy needing credentials is set in the image: no credential goes into the spec.",
      examples: ["http://proxy.example.net:3128"],
    }),
});

const cloud = strict({
  cloud: text(64).meta({
    description:
      "Name of the clouds.yaml entry the OpenStack provider authenticates with; credentials never appear in the spec.",
    examples: ["example-prod"],
  }),
  region: regionName().default(DEFAULTS.region).describe("OpenStack region name."),
  undercloud: undercloud
    .optional()
    .describe(
      "The undercloud: a cloud running Nova with Ironic that provisions this cloud's servers; without it the hosts already exist (installed by hand, MAAS or Foreman).",
    ),
});

const site = strict({
  name: ident().describe("Site name, referred to by zones[].site."),
  region: text(64).optional().describe("Geographic region or city of the site."),
  description: text().optional().describe("What the site is, for the documents."),
});

const disk = strict({
  count: posInt(128).describe("Number of disks of this kind per server."),
  sizeGB: posInt(1_000_000).describe("Size of one disk in GB."),
  kind: z
    .enum(["ssd", "nvme", "hdd"], { error: "expected ssd, nvme or hdd" })
    .describe("Disk technology."),
  use: z
    .enum(["system", "rocksdb"], { error: "expected system or rocksdb" })
    .optional()
    .describe(
      "What the disks are for where their size does not say: system, the operating system's; rocksdb, the spinning Ceph OSDs' RocksDB and WAL (solid-state disks). Without it the OSDs take the disks of their sizes and RocksDB the largest solid-state disks left; LVM and ZFS volume groups take their class's disks, and where no disk is left over one of the smallest is counted as the system's.",
    ),
});

const nic = strict({
  count: posInt(16).describe("Number of network ports of this speed per server."),
  speedGbps: posInt(800).describe("Speed of one port in Gbit/s."),
});

/** A PCI vendor or product id as Nova's device_spec and alias take it: four hex digits. */
const pciId = (what: string) =>
  z
    .string({
      error: `expected the PCI ${what} id as text of four hex digits, quoted in YAML ("1002")`,
    })
    .regex(/^[0-9a-f]{4}$/, {
      error: `expected the PCI ${what} id as four lowercase hex digits, as lspci -nn shows it (10de:2330 is vendor 10de, product 2330)`,
    });

const accelerator = strict({
  name: ident().meta({
    description:
      "Nova's PCI alias for the device: flavors ask for it by this name (flavors[].accelerators).",
    examples: ["h100"],
  }),
  model: text(128)
    .optional()
    .describe("Vendor and model of the device, for the documents and the bill of materials."),
  vendorId: pciId("vendor").meta({
    description: "PCI vendor id (10de for NVIDIA, 1002 for AMD).",
    examples: ["10de"],
  }),
  productId: pciId("product").meta({ description: "PCI product id.", examples: ["2330"] }),
  deviceType: z
    .enum(["type-PCI", "type-PF"], { error: "expected type-PCI or type-PF" })
    .describe(
      "How Nova's libvirt driver reports the device, which the alias must name (Nova schedules no other): type-PF for a device with SR-IOV capability (lspci -vvv lists Single Root I/O Virtualization, as A100, H100 and L40S do), type-PCI otherwise.",
    ),
  count: posInt(64).describe("Devices of this kind per server."),
});

const hardwareProfile = strict({
  name: ident().meta({
    description: "Profile name; pools, controllers and storage refer to it.",
    examples: ["compute-2s"],
  }),
  vendorModel: text().optional().describe("Vendor and model, for the bill of materials."),
  sockets: posInt(8).describe("CPU sockets per server."),
  coresPerSocket: posInt(256).describe("Physical cores per socket."),
  threadsPerCore: z
    .union([z.literal(1), z.literal(2)], { error: "expected 1 or 2" })
    .default(2)
    .describe("Hardware threads per core: 2 with SMT (Hyper-Threading), else 1."),
  memoryGiB: posInt(65536).describe("Memory per server in GiB."),
  disks: z.array(disk).default([]).describe("Local disks per server."),
  nics: z.array(nic).default([]).describe("Network ports per server."),
  accelerators: z
    .array(accelerator)
    .default([])
    .describe(
      "GPUs and other PCI devices compute hosts of this profile pass through to instances whole (Nova's PCI passthrough: device_spec per host, an alias per name).",
    ),
  baremetalFlavor: text(64)
    .optional()
    .describe("Ironic flavor of this hardware on the undercloud; baremetal-<name> when absent."),
  rackUnits: posInt(20)
    .optional()
    .describe(
      "Height of one server in rack units (U), for the racks' fill; 1 when absent (the least a server takes).",
    ),
  nicNames: z
    .array(interfaceName())
    .min(1)
    .optional()
    .meta({
      description:
        "Kernel names of the ports that form the host bonds, in order; needed when a host carries several untagged networks (one bond each). Every Ethernet port in one bond when absent.",
      examples: [["eno1", "eno2"]],
    }),
});

const purpose = z.union(
  [
    // Both: a production database pool, say (tier db, stage prod).
    strict({
      tier: z
        .enum(TIERS, { error: "expected web, app or db" })
        .describe("Application tier the pool hosts."),
      stage: z
        .enum(STAGES, { error: "expected dev, test, preprod or prod" })
        .describe("Lifecycle stage the pool hosts."),
    }),
    strict({
      tier: z
        .enum(TIERS, { error: "expected web, app or db" })
        .describe("Application tier the pool hosts."),
    }),
    strict({
      stage: z
        .enum(STAGES, { error: "expected dev, test, preprod or prod" })
        .describe("Lifecycle stage the pool hosts."),
    }),
    strict({ custom: text(64).describe("Any other purpose, in words.") }),
  ],
  {
    error:
      "expected one of { tier: web|app|db }, { stage: dev|test|preprod|prod }, both, or { custom: <text> }",
  },
);

const flavor = strict({
  name: flavorName().meta({ description: "Nova flavor name.", examples: ["m1.small", "gpu-8"] }),
  vcpus: posInt(1024).describe("Virtual CPUs."),
  ramGiB: posInt(16384).describe("Memory in GiB."),
  diskGiB: nonNegInt(65536).default(0).describe("Root disk in GiB; 0 boots from a volume."),
  dedicated: z
    .boolean()
    .default(false)
    .describe(
      "Dedicated (pinned) CPUs; only valid in pools with cpuPinning, whose flavors are all dedicated whether they say so or not.",
    ),
  public: z
    .boolean()
    .optional()
    .describe(
      "Offered to every project. When absent: private if a tenant lists it in tenants[].flavors (granted to those tenants), else public.",
    ),
  accelerators: z
    .record(ident(), posInt(64))
    .optional()
    .meta({
      description:
        "PCI devices each instance gets whole, by the name of one of its pool hardware's accelerators, and how many (pci_passthrough:alias).",
      examples: [{ h100: 1 }],
    }),
});

const pool = strict({
  name: ident().meta({
    description: "Pool name, unique in its zone; the pool becomes a host aggregate.",
    examples: ["web"],
  }),
  purpose: purpose.meta({
    description:
      "What the pool runs: an application tier, a lifecycle stage, both, or a custom purpose.",
    examples: [{ tier: "web" }, { stage: "prod" }, { tier: "db", stage: "prod" }],
  }),
  hosts: posInt(10_000).describe("Number of compute hosts, spare hosts included."),
  hostnames: z
    .array(ident())
    .optional()
    .describe(
      "Hypervisor host names as Nova knows them; generated from zone and pool when absent.",
    ),
  hardware: ident().describe("Hardware profile (hardware[].name) of the hosts."),
  racks: z.array(ident()).optional().describe("Racks (zone racks) the hosts are spread over."),
  cpuAllocationRatio: ratio(64)
    .default(DEFAULTS.cpuAllocationRatio)
    .describe("Virtual CPUs Nova may place per physical thread (nova.conf cpu_allocation_ratio)."),
  ramAllocationRatio: ratio(4)
    .default(DEFAULTS.ramAllocationRatio)
    .describe("Memory overcommit Nova allows (nova.conf ram_allocation_ratio)."),
  reservedHostCpus: nonNegInt(256)
    .default(DEFAULTS.reservedHostCpus)
    .describe("CPU threads per host kept for the hypervisor itself."),
  reservedHostMemoryGiB: nonNegInt(4096)
    .default(DEFAULTS.reservedHostMemoryGiB)
    .describe("Memory per host in GiB kept for the hypervisor itself."),
  spareHosts: nonNegInt(1000)
    .default(DEFAULTS.spareHostsPerPool)
    .describe(
      "Hosts held back so instances can restart after a host failure (N+1); not counted as capacity.",
    ),
  quotaOvercommit: z
    .number({ error: "expected a number" })
    .min(1, { error: "must be at least 1: quotas may add up to the pool's capacity or more" })
    .max(10, { error: "must be at most 10" })
    .default(DEFAULTS.quotaOvercommit)
    .describe(
      "How far the quotas of the pool's tenants may add up past its usable capacity: 1 keeps every quota usable at once; 1.5 lets them add up to 1.5 times it, betting that not every tenant uses its whole quota at once (Nova then refuses instances once the hosts are full, before a tenant reaches its quota).",
    ),
  cpuPinning: z
    .boolean()
    .default(false)
    .describe(
      "Pin guests' CPUs to physical cores: the pool's hosts offer dedicated CPUs alone, and every flavor of the pool asks for them (hw:cpu_policy dedicated).",
    ),
  coupling: z
    .enum(["loose", "tight"], { error: "expected loose or tight" })
    .default("loose")
    .describe(
      "tight: the pool shares racks with storage for high-throughput data workloads; loose: it need not.",
    ),
  flavors: z.array(flavor).default([]).describe("Flavors offered on this pool."),
  serverGroups: z
    .array(
      strict({
        name: ident().describe("Server group name."),
        policy: z
          .enum(["affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity"], {
            error: "expected affinity, anti-affinity, soft-affinity or soft-anti-affinity",
          })
          .describe("Nova scheduling policy of the group."),
        maxServersPerHost: posInt(1000)
          .optional()
          .describe("At most this many members on one host (anti-affinity rules)."),
      }),
    )
    .default([])
    .describe(
      "Server groups for workloads that must (not) share a hypervisor; each tenant on the pool (tenants[].pool, or a flavor of the pool in tenants[].flavors) gets its own, in its project.",
    ),
});

const zone = strict({
  name: ident().meta({ description: "Availability zone name.", examples: ["az1"] }),
  site: ident().optional().describe("The site (sites[].name) the zone is in."),
  racks: z.array(ident()).default([]).describe("Racks of the zone."),
  pools: z
    .array(pool)
    .default([])
    .describe(
      "Compute pools of the zone; none (or left out) for a room of racks only, such as a quorum witness's or storage's (controlPlane.racks, storage.*.racks).",
    ),
});

/** keepalived's VIPs as Kolla-Ansible configures them: IPv4 only. */
const vipAddress = () =>
  z.ipv4({
    error:
      "expected an IPv4 address: the VIPs are IPv4 only here, so the network they sit on (internal-api, public) needs an IPv4 subnet",
  });

const vips = strict({
  internal: vipAddress().meta({
    description: "Virtual IP of the internal API endpoints.",
    examples: ["10.0.1.10"],
  }),
  external: vipAddress()
    .optional()
    .meta({
      description:
        "Virtual IP of the public API endpoints and the dashboard, on the external network, where the controllers then take addresses and their default route; without it Kolla puts the public endpoints on the internal VIP, and no host stands on the external network.",
      examples: ["198.51.100.10"],
    }),
});

/** Racks a group of servers other than a pool's is kept to, as a pool's racks keep its hosts. */
const groupRacks = (who: string) =>
  z
    .array(ident())
    .min(1, { error: "name at least one rack, or remove racks to use every zone's" })
    .optional()
    .describe(
      `Racks (zones[].racks) ${who} are spread over; every zone's racks when absent, compute-only zones' too.`,
    );

const controlPlane = strict({
  // More than 9 buys no tolerance a quorum needs, and every controller adds to each one's
  // cloud-init user data, which must stay under Nova's 64 KiB limit.
  controllers: posInt(9)
    .default(DEFAULTS.controllers)
    .describe("Number of controllers: 3 or 5 keep a quorum through a failure; 1 is a lab."),
  hostnames: z
    .array(ident())
    .optional()
    .describe("Controller host names; ctrl-01, ctrl-02, ... when absent."),
  hardware: ident().describe("Hardware profile (hardware[].name) of the controllers."),
  racks: groupRacks("the controllers and network nodes"),
  deployment: z
    .enum(["baremetal", "vm"], { error: "expected baremetal or vm" })
    .default(DEFAULTS.controllerDeployment)
    .describe(
      "Controllers on bare metal or as virtual machines on the undercloud (vm needs cloud.undercloud, whose bare-metal stack makes them one to a hypervisor).",
    ),
  flavor: text(64)
    .optional()
    .describe(
      "Nova flavor the controllers boot with on the undercloud: a VM flavor with deployment vm (required then), else an Ironic bare-metal flavor, their hardware profile's (hardware[].baremetalFlavor) when absent. Unused without cloud.undercloud.",
    ),
  image: text(128).default(DEFAULTS.controllerImage).describe("Image the controllers boot."),
  keyPair: text(64).optional().describe("Nova key pair injected into the controllers."),
  services: z
    .array(z.enum(SERVICES, { error: `expected one of ${SERVICES.join(", ")}` }))
    .min(1, { error: "enable at least one service" })
    .default(["keystone", "nova", "placement", "neutron", "cinder", "glance", "horizon"])
    .describe(
      "OpenStack services to deploy: keystone, nova, placement, neutron and glance always (the region's own Keystone, the pools, networks and images), the others as the design needs; the default list takes cinder only with storage.backends or storage.backup (Kolla-Ansible deploys no Cinder without a backend). ceilometer brings Gnocchi, the metric store it publishes to: on Ceph, else Swift, else (one controller) the controller's disk.",
    ),
  vips: vips.describe("Virtual IPs of the API endpoints."),
  loadBalancer: z
    .enum(["keepalived", "octavia"], { error: "expected keepalived or octavia" })
    .default(DEFAULTS.loadBalancer)
    .describe(
      "What balances the API endpoints: Kolla's HAProxy on keepalived VIPs (octavia is refused).",
    ),
  octaviaTopology: z
    .enum(["single", "active-standby"], { error: "expected single or active-standby" })
    .optional()
    .describe(
      "Octavia's amphorae per load balancer (with octavia in services): single, one amphora the health manager rebuilds when it fails (Kolla's default); active-standby, a VRRP pair on two compute hosts kept apart by Nova anti-affinity.",
    ),
  octaviaPool: ident()
    .optional()
    .describe(
      "The pool Octavia's amphorae run on (zones[].pools[].name, or its id <zone>-<pool> where a name repeats): their flavor asks for it as the pool's own flavors do; without it they run on any host whose pool admits a flavor that asks for none.",
    ),
  database: z
    .enum(["galera", "single"], { error: "expected galera or single" })
    .default(DEFAULTS.database)
    .describe("A MariaDB Galera cluster or a single database."),
  messaging: z
    .enum(["rabbitmq-cluster", "single"], { error: "expected rabbitmq-cluster or single" })
    .default(DEFAULTS.messaging)
    .describe("A RabbitMQ cluster or a single broker."),
  networkNodes: nonNegInt(16)
    .default(0)
    .describe(
      "Dedicated network nodes (L3, DHCP and metadata agents); 0 runs them on the controllers.",
    ),
  networkNodeHardware: ident()
    .optional()
    .describe("Hardware profile of the network nodes; the controllers' when absent."),
  networkNodeHostnames: z
    .array(ident())
    .optional()
    .describe("Network node host names; net-01, net-02, ... when absent."),
  virtualRouterId: wholeNumber(1, 255, {
    type: "expected a VRRP router id",
    min: "VRRP router ids are 1-255",
    max: "VRRP router ids are 1-255",
  })
    .default(DEFAULTS.virtualRouterId)
    .describe("keepalived's VRRP router id for the VIPs; unique on their network segment."),
  containerRegistry: containerRegistry
    .optional()
    .describe(
      "Registry the hosts pull Kolla's container images from: a site's own copy, for a site without the internet or pinned images; Kolla's (quay.io, openstack.kolla) when absent.",
    ),
});

const allocationRange = strict({
  start: ipAddress().describe("First address of the range, of the network's IP version."),
  end: ipAddress().describe("Last address of the range, of the network's IP version."),
});

const network = strict({
  name: ident().meta({ description: "Network name.", examples: ["mgmt"] }),
  role: z
    .enum(NETWORK_ROLES, { error: `expected one of ${NETWORK_ROLES.join(", ")}` })
    .describe(
      "What the network carries; octavia is the VLAN between Octavia's amphorae and the controllers.",
    ),
  cidr: cidr().meta({ description: "The network's subnet.", examples: ["10.0.0.0/24"] }),
  vlan: vlanId().optional().describe("VLAN ID; a network without one is flat."),
  physicalNetwork: ident()
    .optional()
    .describe(
      "Neutron physical network (provider:physical_network) of external, provider and octavia networks; for octavia, when absent, the first by name of the external and provider networks' (physnet1 where they name none): name it where that one carries a data plane of its own.",
    ),
  gateway: ipAddress()
    .optional()
    .describe(
      "Gateway address, of the network's IP version; the first host address for roles that have a gateway when absent.",
    ),
  mtu: wholeNumber(576, 9216, {
    type: "expected an MTU",
    min: "MTU must be at least 576",
    max: "MTU must be at most 9216",
  })
    .optional()
    .describe("MTU of the network; the underlay MTU when absent."),
  floatingIpRange: allocationRange
    .optional()
    .describe("Addresses handed out as floating IPs; only on networks routed to the outside."),
  allocationRange: allocationRange
    .optional()
    .describe(
      "Addresses Neutron hands to instances' ports on a provider network (its subnet's allocation pool), leaving the rest of the segment to the devices already on it; the longest free run above the hosts when absent.",
    ),
  dhcp: z
    .boolean()
    .optional()
    .describe(
      "Neutron's DHCP on a provider network's subnet (true when absent); false where the segment has a DHCP server of its own, whose answers would race Neutron's (and carry addresses port security drops). Neutron then serves no metadata on the network either: an instance on it alone takes its address from a config drive (Nova's force_config_drive, or --config-drive), or reaches the metadata through another network.",
    ),
  shared: z
    .boolean()
    .default(false)
    .describe(
      "A provider network shared with every project; else only the tenants listing it (tenants[].providerNetworks) may use it. On the external network it lets every project's instances attach to it directly (warned); other roles' networks are not the tenants' to share.",
    ),
  description: text().optional().describe("What the network is for, for the documents."),
});

const networkPlan = strict({
  supernet: cidr()
    .optional()
    .describe("Block every network of its IP version but the external one must fit in."),
  domain: dnsDomain()
    .optional()
    .meta({
      description:
        "DNS domain of the hosts: each node's FQDN is <host name>.<domain>; <namingPrefix>.internal when absent.",
      examples: ["cloud.example.net"],
    }),
  underlayMtu: wholeNumber(1280, 9216, {
    type: "expected an MTU",
    min: "underlay MTU must be at least 1280",
    max: "underlay MTU must be at most 9216",
  })
    .default(DEFAULTS.underlayMtu)
    .describe(
      "MTU of the physical network; tenant networks get it minus the encapsulation overhead.",
    ),
  tenantNetworkType: z
    .enum(TENANT_NETWORK_TYPES, { error: `expected one of ${TENANT_NETWORK_TYPES.join(", ")}` })
    .default(DEFAULTS.tenantNetworkType)
    .describe(
      "Network type of tenants' self-service networks (and of HA routers' own networks); flat for a cloud of provider networks only: Neutron allocates no flat network to a project.",
    ),
  vniRange: strict({
    // GRE keys are 32 bits; VXLAN's and Geneve's VNIs 24 (the tenant-network rules say so).
    min: posInt(4_294_967_295).describe("First segment ID."),
    max: posInt(4_294_967_295).describe(
      "Last segment ID: at most 16777215 for VXLAN and Geneve, 4294967295 for GRE.",
    ),
  })
    .default({
      ...DEFAULTS.vniRange,
    })
    .describe("Segment IDs for VXLAN, GRE or Geneve tenant networks."),
  tenantVlanRange: strict({
    min: vlanId().describe("First VLAN ID."),
    max: vlanId().describe("Last VLAN ID."),
  })
    .optional()
    .describe("VLAN IDs for VLAN tenant networks."),
  tenantPhysicalNetwork: ident().optional().describe("Physical network of VLAN tenant networks."),
  mechanism: z
    .enum(["ovs", "ovn"], { error: "expected ovs or ovn" })
    .optional()
    .describe(
      "Neutron's mechanism: Open vSwitch agents or OVN (default: ovn for geneve tenant networks, else ovs).",
    ),
  dnsServers: z
    .array(ipAddress())
    .default([])
    .meta({
      description:
        "DNS servers, given to the subnets of their own IP version (Neutron allows at most 5 per subnet).",
      examples: [["10.9.0.53"]],
    }),
  enterpriseCidrs: z
    .array(cidr())
    .max(64)
    .default([])
    .meta({
      description:
        "The enterprise's networks, where its NTP and directory servers given by name are: hosts whose default route leaves by another network (the controllers' external one) reach them by the management network's gateway.",
      examples: [["10.1.0.0/16"]],
    }),
  networks: z
    .array(network)
    .min(1, { error: "declare at least the management network" })
    .describe("The cloud's networks by role; at least the management network."),
  tenantSubnetPool: strict({
    prefixes: z.array(cidr()).min(1).describe("Prefixes of the pool."),
    /** Checked against the prefixes and their IP version by the semantic rules. */
    defaultPrefixLength: posInt(128)
      .default(24)
      .describe("Prefix length of a subnet drawn from the pool."),
  })
    .optional()
    .describe("Address pool tenants draw self-service subnets from."),
});

const cephPool = strict({
  name: ident().describe("Ceph pool name."),
  application: z
    .enum(["volumes", "images", "vms", "backups", "rgw", "metrics"], {
      error: "expected volumes, images, vms, backups, rgw or metrics",
    })
    .describe(
      "What the pool stores; metrics is Gnocchi's (Ceilometer's metric store), added as `gnocchi` when ceilometer runs and no pool declares it.",
    ),
  deviceClass: z
    .enum(["ssd", "nvme", "hdd"])
    .optional()
    .describe("Device class the pool's CRUSH rule selects."),
  dataShare: ratio(1)
    .default(0.25)
    .describe(
      "Expected share of its device class's data, 0-1: the pools on one device class split its OSDs' placement groups (100 copies per OSD, each pool's count at the nearest power of two, as Ceph's autoscaler rounds, and at least 32) by these shares, which add up to 1 at most.",
    ),
});

const ceph = strict({
  nodes: posInt(10_000).describe("Ceph OSD hosts."),
  hostnames: z
    .array(ident())
    .optional()
    .describe("OSD host names; ceph-01, ceph-02, ... when absent."),
  hardware: ident().describe("Hardware profile (hardware[].name) of the OSD hosts."),
  racks: groupRacks("the OSD hosts"),
  osdsPerNode: posInt(128).describe("OSDs (data disks) per host."),
  osdSizeTB: z.number().positive().max(1000).describe("Size of one OSD in TB."),
  deviceClass: z.enum(["ssd", "nvme", "hdd"]).default("hdd").describe("Device class of the OSDs."),
  protection: z
    .union(
      [
        strict({ replicated: posInt(10).describe("Copies of each object (pool size).") }),
        strict({
          erasureCoded: strict({
            k: posInt(32).describe("Data chunks per object."),
            m: posInt(16).describe("Coding chunks per object: the failures it survives."),
          }).describe("Erasure-coding profile: k data and m coding chunks."),
        }),
      ],
      { error: "expected { replicated: <size> } or { erasureCoded: { k, m } }" },
    )
    .default({ replicated: DEFAULTS.cephReplicaSize })
    .meta({
      description: "How data survives failures: replicated copies or erasure coding.",
      examples: [{ replicated: 3 }, { erasureCoded: { k: 4, m: 2 } }],
    }),
  // Ceph wants nearfull <= backfillfull (0.90 unless set) <= full: pools.sh sets only nearfull,
  // and past backfillfull the monitors report HEALTH_ERR (OSD_OUT_OF_ORDER_FULL, OSDMap.cc).
  nearfullRatio: ratio(
    CEPH_BACKFILLFULL_RATIO,
    `must be at most ${CEPH_BACKFILLFULL_RATIO.toFixed(2)}, Ceph's backfillfull ratio, where OSDs stop taking data to recover: above it the monitors report the ratios out of order (HEALTH_ERR)`,
  )
    .default(DEFAULTS.cephNearfullRatio)
    .describe(
      "Fill ratio at which Ceph warns (ceph osd set-nearfull-ratio), at most its backfillfull ratio 0.90; growth headroom counts up to it, and the documents show the usable capacity before it beside the whole.",
    ),
  pools: z
    .array(cephPool)
    .optional()
    .describe(
      "Ceph pools; when absent, one per application the design keeps in Ceph (volumes, images, vms, rgw for the RADOS Gateways' objects; backups when Cinder sends them nowhere else), named after it.",
    ),
});

const volumeBackend = strict({
  name: ident().describe("Backend name."),
  kind: z
    .enum(["ceph", "glusterfs", "zfs", "lvm"], {
      error: "expected ceph, glusterfs, zfs or lvm",
    })
    .describe("Storage behind the Cinder backend."),
  volumeType: text(64).meta({
    description: "The Cinder volume type users see.",
    examples: ["ssd"],
  }),
  targetProtocol: z
    .enum(["iscsi", "iser"], { error: "expected iscsi or iser" })
    .optional()
    .describe("How LVM and ZFS volumes reach the hypervisors: iSCSI, or iSER (iSCSI over RDMA)."),
  shares: z
    .array(
      text(255).regex(/^[A-Za-z0-9.:[\]-]+:\/[^\s]*$/, {
        error: "expected host:/volume, the export as mount.nfs takes it",
      }),
    )
    .optional()
    .describe(
      "GlusterFS: the volumes cinder-volume mounts through their NFS export (Cinder's nfs_shares), as host:/volume.",
    ),
  deviceClass: z
    .enum(["ssd", "nvme", "hdd"])
    .optional()
    .describe(
      "Device class of the backend. LVM and ZFS: the disks of this kind on its hosts make its volume group (without it, the disks of kinds no other backend names), those marked use: system or rocksdb excepted.",
    ),
  cephPool: ident()
    .optional()
    .describe(
      "Ceph: the volumes pool (storage.ceph.pools[].name) the backend writes, to keep its volumes in a pool of their own; the volumes pool of its deviceClass (else the cluster's) when absent.",
    ),
  public: z
    .boolean()
    .default(true)
    .describe(
      "Offered to every project; a private volume type is granted to the tenants that list it.",
    ),
  qos: strict({
    readIopsSec: posInt(10_000_000).optional().describe("Read operations per second."),
    writeIopsSec: posInt(10_000_000).optional().describe("Write operations per second."),
    totalBytesSec: posInt(100_000_000_000)
      .optional()
      .describe("Read and write throughput in bytes per second."),
  })
    .optional()
    .describe("Front-end QoS limits of the volume type."),
  description: text().optional().describe("What the backend is for."),
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
  name: containerName().describe("Container name."),
  purpose: z
    .enum(["images", "backups", "application"], {
      error: "expected images, backups or application",
    })
    .describe("What the container holds."),
  public: z
    .boolean()
    .default(false)
    .describe("Readable by anyone (.r:*); only when the design says so."),
  versioning: z.boolean().default(false).describe("Keep earlier versions of overwritten objects."),
  storagePolicy: ident()
    .optional()
    .describe("Storage policy (storage.swift.policies[].name) of the container."),
  readers: z.array(text(128)).default([]).describe("Swift ACL entries allowed to read."),
  writers: z.array(text(128)).default([]).describe("Swift ACL entries allowed to write."),
});

const swift = strict({
  proxies: posInt(100).describe("Swift proxy nodes."),
  proxyHardware: ident().describe("Hardware profile (hardware[].name) of the proxies."),
  proxyHostnames: z
    .array(ident())
    .optional()
    .describe("Proxy host names; swift-proxy-01, ... when absent."),
  storageNodes: posInt(10_000).describe("Swift storage nodes."),
  storageHardware: ident().describe("Hardware profile (hardware[].name) of the storage nodes."),
  storageHostnames: z
    .array(ident())
    .optional()
    .describe("Storage node host names; swift-obj-01, ... when absent."),
  racks: groupRacks("the proxies and storage nodes"),
  disksPerNode: posInt(128).describe("Data disks per storage node."),
  diskSizeTB: z.number().positive().max(1000).describe("Size of one disk in TB."),
  zones: posInt(100).describe("Swift zones (failure domains)."),
  regions: posInt(10)
    .default(1)
    .describe(
      "Swift regions: with storage nodes at several sites, one per site (each site a region) or 1.",
    ),
  replicas: posInt(10).default(DEFAULTS.swiftReplicas).describe("Copies of each object."),
  partitionPower: wholeNumber(6, 32)
    .optional()
    .describe("Ring partition power (2^n partitions); computed from the disks when absent."),
  policies: z
    .array(
      strict({
        name: ident().describe("Policy name."),
        replicas: posInt(10)
          .optional()
          .describe(
            "Copies of each object; storage.swift.replicas when absent and not erasure coded.",
          ),
        erasureCoding: strict({
          dataFragments: posInt(31).describe("Data fragments of each object."),
          parityFragments: posInt(31).describe(
            "Parity fragments of each object: the fragments it survives losing.",
          ),
          type: z
            .enum(SWIFT_EC_TYPES, { error: `expected ${SWIFT_EC_TYPES.join(", ")}` })
            .default("liberasurecode_rs_vand")
            .describe(
              "PyECLib backend (ec_type): liberasurecode_rs_vand ships with liberasurecode; the isa_l types need Intel's ISA-L library on every Swift node.",
            ),
        })
          .optional()
          .meta({
            description:
              "Erasure coding instead of copies: any dataFragments of the dataFragments + parityFragments fragments rebuild an object.",
            examples: [{ dataFragments: 8, parityFragments: 4 }],
          }),
        default: z.boolean().default(false).describe("The default policy of new containers."),
      }),
    )
    .default([])
    .describe("Storage policies."),
  containers: z.array(swiftContainer).default([]).describe("Containers to create."),
});

/**
 * Hosts running cinder-volume for the LVM, ZFS and GlusterFS backends (iSCSI/iSER targets).
 * Without them those backends run on the controllers.
 */
const blockStorageNodes = strict({
  hosts: posInt(1000).describe("Hosts running cinder-volume."),
  hardware: ident().describe("Hardware profile (hardware[].name) of the hosts."),
  hostnames: z.array(ident()).optional().describe("Host names; vol-01, vol-02, ... when absent."),
  racks: groupRacks("the hosts"),
});

const storage = strict({
  ceph: ceph.optional().describe("Ceph cluster for volumes, images and instance disks."),
  backends: z
    .array(volumeBackend)
    .default([])
    .describe(
      "Cinder volume backends; the first public one's volume type is Cinder's default, which volumes made without a type take.",
    ),
  blockStorageNodes: blockStorageNodes
    .optional()
    .describe(
      "Hosts running cinder-volume for the LVM, ZFS and GlusterFS backends (iSCSI/iSER targets); without them those backends run on the controllers.",
    ),
  swift: swift.optional().describe("Swift object storage."),
  image: strict({
    backend: z
      .enum(["ceph", "swift", "file"], { error: "expected ceph, swift or file" })
      .describe("Glance's store."),
  })
    .optional()
    .describe("Glance's store; Ceph when declared, else Swift, else local files when absent."),
  ephemeral: z
    .enum(["local", "ceph"], { error: "expected local or ceph" })
    .default("local")
    .describe("Where instance root disks live."),
  backup: strict({
    service: z
      .enum(["swift", "manila"], { error: "expected swift or manila" })
      .describe(
        "Backup target service: swift (manila is refused: no Manila share backend is configured and cinder-backup cannot write to a share).",
      ),
    container: containerName().optional().describe("Swift container of the backups."),
  })
    .optional()
    .describe("Where Cinder backups go."),
});

/**
 * RFC 4512 descriptors (`inetOrgPerson`, `sAMAccountName`): the model reads object classes by
 * name (a posixGroup's members are user ids), so an OID would be misread.
 */
const LDAP_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;
const ldapName = () =>
  text(64).regex(LDAP_NAME, {
    error:
      "expected an LDAP name: letters, digits and '-', starting with a letter (inetOrgPerson, sAMAccountName)",
  });
/**
 * A DN as Keystone passes it to the directory: it starts with an attribute type and `=`. Quotes
 * around one (copied from an INI file) are not part of a DN.
 */
/** An attribute type and `=`: how a DN starts. */
const DN_START = DN_TYPE;
/** A DN as the directory parses it (RFC 4514): Keystone hands it over unchecked. */
const notDn = {
  error: (issue: { input?: unknown }) => `not a DN: ${dnProblem(String(issue.input))}`,
};
const ldapDn = () =>
  text(256)
    .regex(DN_START, {
      error:
        "expected a DN such as ou=Users,dc=example,dc=com, starting with an attribute type and '=' (no quotes around it)",
      abort: true,
    })
    .refine((dn) => !dnProblem(dn), notDn);

/** Active Directory's other bind names: user@domain (UPN) and DOMAIN\user (down-level). */
export const AD_BIND_NAME =
  /^(?:[^\s@\\=,]+@[^\s@\\=,]+|[^\s@\\=,]+\\[^\s@\\=,](?:[^@\\=,]*[^\s@\\=,])?)$/;

/** An attribute description (RFC 4512): a name or numeric OID, with options. */
const LDAP_ATTR = String.raw`(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)(?:;[A-Za-z0-9-]+)*`;
/** A matching rule: a name or numeric OID. */
const LDAP_RULE = String.raw`(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)`;
/** An item's attribute and filter type: equality (or presence, substrings), ~=, >=, <=, extensible. */
const LDAP_ITEM = new RegExp(
  String.raw`^(?:(${LDAP_ATTR})(=|~=|>=|<=)|(${LDAP_ATTR})?(:dn)?(:${LDAP_RULE})?:=)`,
  "i",
);
/** A value: no NUL, parenthesis or backslash but as an escape of two hex digits. */
const LDAP_VALUE = /^(?:[^\0()*\\]|\\[0-9A-Fa-f]{2})*/;

/**
 * An LDAP search filter as RFC 4515 writes it, one parenthesized filter: `&` and `|` of filters,
 * `!` of one, or an item of an attribute, a filter type and a value (a value's own parentheses,
 * asterisks and backslashes escaped as \28, \2a, \5c; asterisks of substrings not twice in a row).
 */
export function isLdapFilter(s: string): boolean {
  let i = 0;
  const value = (): string => {
    const v = LDAP_VALUE.exec(s.slice(i))?.[0] ?? "";
    i += v.length;
    return v;
  };
  const item = (): boolean => {
    const m = LDAP_ITEM.exec(s.slice(i));
    if (!m) return false;
    i += m[0].length;
    // An extensible item names its attribute or its matching rule.
    if (m[1] === undefined && m[3] === undefined && m[5] === undefined) return false;
    value();
    if (m[2] !== "=") return true;
    // Equality, presence and substrings: parts between single asterisks.
    while (s[i] === "*") {
      i++;
      if (s[i] === "*") return false;
      value();
    }
    return true;
  };
  const filter = (): boolean => {
    if (s[i] !== "(") return false;
    i++;
    const op = s[i];
    if (op === "&" || op === "|") {
      i++;
      while (s[i] === "(") if (!filter()) return false;
    } else if (op === "!") {
      i++;
      if (!filter()) return false;
    } else if (!item()) return false;
    if (s[i] !== ")") return false;
    i++;
    return true;
  };
  return filter() && i === s.length;
}
const ldapFilter = () =>
  text(1024).refine(isLdapFilter, {
    error:
      "expected one LDAP filter (RFC 4515), such as (memberOf=cn=openstack,ou=Groups,dc=example,dc=com): each item an attribute, =, ~=, >=, <= or :=, and a value, joined by & | ! in parentheses; a value's own ( ) * \\ written \\28 \\29 \\2a \\5c",
  });

const ldap = strict({
  url: z
    .string()
    // python-ldap (OpenLDAP's ldap_initialize) takes URLs separated by commas or spaces.
    .regex(/^ldaps?:\/\/\S+(?:, +\S+)*$/, {
      error: "expected an ldap:// or ldaps:// URL, or several separated by commas",
    })
    .regex(NO_CONTROL, { error: "must not contain control characters" })
    .meta({
      description: "LDAP server, or several separated by commas, which Keystone tries in turn.",
      examples: ["ldaps://ad.example.com", "ldaps://dc1.example.com,ldaps://dc2.example.com"],
    }),
  userTreeDn: ldapDn().meta({
    description: "Base DN of the users.",
    examples: ["ou=Users,dc=example,dc=com"],
  }),
  groupTreeDn: ldapDn().meta({
    description: "Base DN of the groups.",
    examples: ["ou=Groups,dc=example,dc=com"],
  }),
  bindDn: text(256)
    // (Active Directory also binds by user@domain or DOMAIN\user: judged with activeDirectory)
    .regex(new RegExp(`${DN_START.source}|${AD_BIND_NAME.source}`), {
      error:
        "expected a DN such as cn=keystone,ou=Services,dc=example,dc=com (no quotes around it), or for Active Directory keystone@example.com or EXAMPLE\\keystone",
      abort: true,
    })
    .refine((name) => AD_BIND_NAME.test(name) || !DN_START.test(name) || !dnProblem(name), notDn)
    .optional()
    .describe(
      "Bind user: a DN, or for Active Directory also user@domain or DOMAIN\\user; its password goes into Kolla-Ansible's passwords.yml (deploy/README.md names the variable), never into the spec.",
    ),
  tls: z
    .boolean()
    .default(true)
    .describe("Encrypt the connection: StartTLS on ldap:// URLs (ldaps:// always is)."),
  userObjectClass: ldapName()
    .optional()
    .describe("Object class of users (person for Active Directory, else inetOrgPerson)."),
  groupObjectClass: ldapName()
    .optional()
    .describe("Object class of groups (group for Active Directory, else groupOfNames)."),
  userIdAttribute: ldapName()
    .optional()
    .describe(
      "Attribute that holds the user name (sAMAccountName for Active Directory, else uid).",
    ),
  activeDirectory: z
    .boolean()
    .optional()
    .describe(
      "The server is Active Directory (true when absent); false for an LDAP directory of the standard schemas (OpenLDAP, 389 Directory Server).",
    ),
  userFilter: ldapFilter()
    .optional()
    .meta({
      description:
        "A filter users must also match to exist in Keystone, and so to log in: group membership, most often (Keystone's own conditions stay: an id attribute, no AD computer accounts). Every user under userTreeDn when absent.",
      examples: [
        "(memberOf=cn=openstack-users,ou=Groups,dc=example,dc=com)",
        "(memberOf:1.2.840.113556.1.4.1941:=cn=openstack-users,ou=Groups,dc=example,dc=com)",
      ],
    }),
  groupFilter: ldapFilter()
    .optional()
    .meta({
      description:
        "A filter the groups Keystone sees must match; every group under groupTreeDn when absent.",
      examples: ["(cn=openstack-*)"],
    }),
});

const identity = strict({
  domains: z
    .array(
      strict({
        name: ident().describe("Domain name."),
        description: text().optional().describe("What the domain is for."),
        ldap: ldap
          .optional()
          .describe(
            "LDAP or Active Directory behind the domain; Keystone's SQL backend when absent.",
          ),
      }),
    )
    .default([])
    .describe("Keystone domains."),
  groupRoleMappings: z
    .array(
      strict({
        domain: ident().describe("Domain (identity.domains[].name) of the group."),
        group: text(128).describe("Group name."),
        role: roleName().meta({ description: "Keystone role granted.", examples: ["member"] }),
        tenant: text(128)
          .optional()
          .describe(
            "Project (tenants[].name or id) the role is on; when absent, the domain itself (a domain-scoped grant: Keystone's domain APIs, such as managing its projects and groups; it gives no access to the projects inside, which need grants of their own).",
          ),
      }),
    )
    .default([])
    .describe("Roles granted to groups."),
});

const ntp = strict({
  servers: z
    .array(
      z.union(
        [
          z.ipv4(),
          ipv6(),
          // DNS labels of letters, digits and inner hyphens; a name of digits only is no name.
          z
            .string()
            .regex(
              /^(?=.*[A-Za-z])(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/,
            ),
        ],
        {
          error: (issue) =>
            dottedIpv6(issue.input)
              ? DOTTED_IPV6
              : typeof issue.input === "string" && /^[^:]+:\d+$/.test(issue.input)
                ? "expected a host name or an IPv4 or IPv6 address, without a port: chrony asks NTP's port 123"
                : "expected a host name or an IPv4 or IPv6 address",
        },
      ),
    )
    .min(1, { error: "declare at least one NTP server" })
    .meta({
      description: "NTP servers: host names or IPv4 or IPv6 addresses.",
      examples: [["0.pool.ntp.org", "10.9.0.123"]],
    }),
  clients: z
    .enum(["controllers", "servers"], { error: "expected controllers or servers" })
    .default("controllers")
    .describe("Where the other nodes get time from: the controllers or the servers directly."),
});

const legacySystem = strict({
  name: ident().describe("System name."),
  architecture: z
    .enum(["ppc64", "ppc64le", "sparc", "ia64", "s390x", "x86_64"], {
      error: "expected ppc64, ppc64le, sparc, ia64, s390x or x86_64",
    })
    .describe("CPU architecture."),
  os: text(64).meta({ description: "Operating system and version.", examples: ["AIX 7.3"] }),
  address: ipv4().describe("IPv4 address."),
  description: text().optional().describe("What the system does."),
});

const legacyFlow = strict({
  name: ident().describe("Flow name."),
  port: port().describe("Destination port."),
  protocol: z
    .enum(["tcp", "udp"], { error: "expected tcp or udp" })
    .default("tcp")
    .describe("Transport protocol."),
  direction: z
    .enum(["to-legacy", "from-legacy"], { error: "expected to-legacy or from-legacy" })
    .describe("to-legacy: cloud workloads call the UNIX systems; from-legacy: the reverse."),
  systems: z
    .array(ident())
    .min(1)
    .describe("Legacy systems (legacyUnix.systems[].name) of the flow."),
  pools: z
    .array(ident())
    .default([])
    .describe(
      "Compute pools (names) whose workloads take part in the flow; none: the tenants of every pool do (warned where the design has several).",
    ),
});

const legacyUnix = strict({
  network: ident().describe(
    "The network (network.networks[].name) that reaches the legacy subnets.",
  ),
  subnets: z
    .array(cidr())
    .min(1, { error: "declare the legacy subnets to route to" })
    .describe("Legacy subnets routed to."),
  nextHop: ipv4().describe("Router towards the legacy subnets."),
  systems: z
    .array(legacySystem)
    .min(1, { error: "declare at least one legacy system" })
    .describe("Legacy systems."),
  flows: z
    .array(legacyFlow)
    .default([])
    .describe("Allowed traffic between the cloud and the legacy systems."),
  subnetGateway: z
    .boolean()
    .default(false)
    .describe(
      "Put the cloud's legacy router on the bridge subnet's gateway, as Stackwright did before 2026-12: DHCP then offers every instance's bridge port a default route through a router that reaches only the legacy and VPN subnets. Only for clouds running that way, whose router cannot move while its routes and VPN use the subnet; otherwise the subnet has no gateway, the router takes the network's gateway address on a port of its own, and DHCP offers the bridge ports the legacy, VPN and metadata routes but no default route.",
    ),
  vpn: strict({
    peerAddress: ipv4().describe("Public address of the VPN peer."),
    peerCidrs: z.array(cidr()).min(1).describe("Subnets behind the peer."),
  })
    .optional()
    .describe("IPsec VPN to the legacy site."),
});

/** A dedicated deployment host (Kolla-Ansible, cephadm); without it the first controller deploys. */
const deployer = strict({
  hardware: ident().describe("Hardware profile (hardware[].name) of the deployment host."),
  hostname: ident()
    .default(DEFAULTS.deployerHostname)
    .describe("Host name of the deployment host."),
});

/** What the design fixes for one host: its addresses, rack, Ironic node. */
const host = strict({
  name: ident().describe("Host name of the existing host."),
  addresses: z
    .record(ident(), ipAddress())
    .default({})
    .meta({
      description:
        "Its fixed addresses by network name; the IP plan allocates around them. None when the entry fixes only its rack or Ironic node.",
      examples: [{ mgmt: "10.0.0.5" }],
    }),
  rack: ident()
    .optional()
    .describe(
      "The rack (zones[].racks) it stands in; the plan spreads the other hosts over the racks.",
    ),
  baremetalNode: z
    .string()
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
      error: "expected an Ironic node UUID",
    })
    .refine((u) => !/^[0-]+$/.test(u), {
      error:
        "the nil UUID names no Ironic node; give the node's UUID (openstack baremetal node list)",
    })
    .optional()
    .describe(
      "The undercloud's Ironic node (UUID) this host is deployed on, so it lands in its planned rack (Nova's hypervisor_hostname; admin credentials on the undercloud); any free node of its flavor when absent.",
    ),
});

const securityZones = strict({
  adminCidrs: z
    .array(cidr())
    .default([])
    .meta({
      description:
        "Where administrators connect from: SSH and other management ports are open to these only.",
      examples: [["10.20.0.0/16"]],
    }),
  userCidrs: z
    .array(cidr())
    .optional()
    .describe(
      "Where API and dashboard users connect from; unset means anywhere (0.0.0.0/0), which policy check SW-SEC-009 reports. With the firewall, every tenant router also lets them in on HTTP and HTTPS (80, 443) unless the tenant sets usersWeb: false; a tenant publishes other services with tenants[].ingress.",
    ),
  firewall: z
    .boolean()
    .default(false)
    .describe("Guard the networks with FWaaS v2 firewall groups."),
});

const quota = strict({
  instances: nonNegInt()
    .optional()
    .describe(`Instances; ${DEFAULTS.tenantQuota.instances} when absent.`),
  cores: nonNegInt()
    .optional()
    .describe(`Virtual CPUs; ${DEFAULTS.tenantQuota.cores} when absent.`),
  ramGiB: nonNegInt()
    .optional()
    .describe(`Memory in GiB; ${DEFAULTS.tenantQuota.ramGiB} when absent.`),
  volumes: nonNegInt().optional().describe(`Volumes; ${DEFAULTS.tenantQuota.volumes} when absent.`),
  volumeGiB: nonNegInt(10_000_000)
    .optional()
    .describe(`Volume storage in GiB; ${DEFAULTS.tenantQuota.volumeGiB} when absent.`),
  networks: nonNegInt()
    .optional()
    .describe(`Networks; ${DEFAULTS.tenantQuota.networks} when absent.`),
  subnets: nonNegInt().optional().describe(`Subnets; ${DEFAULTS.tenantQuota.subnets} when absent.`),
  routers: nonNegInt().optional().describe(`Routers; ${DEFAULTS.tenantQuota.routers} when absent.`),
  ports: nonNegInt()
    .optional()
    .describe(
      "Ports; when absent, enough for the instance quota plus the networks' own ports (router, DHCP, metadata, load balancers), at least 100.",
    ),
  backups: nonNegInt().optional().describe("Volume backups; the volumes quota when absent."),
  backupGiB: nonNegInt(10_000_000)
    .optional()
    .describe("Volume backup storage in GiB; the volume storage quota when absent."),
  floatingIps: nonNegInt()
    .optional()
    .describe(`Floating IPs; ${DEFAULTS.tenantQuota.floatingIps} when absent.`),
  securityGroups: nonNegInt()
    .optional()
    .describe(`Security groups; ${DEFAULTS.tenantQuota.securityGroups} when absent.`),
  securityGroupRules: nonNegInt()
    .optional()
    .describe(`Security group rules; ${DEFAULTS.tenantQuota.securityGroupRules} when absent.`),
  loadBalancers: nonNegInt()
    .optional()
    .describe(`Octavia load balancers; ${DEFAULTS.tenantQuota.loadBalancers} when absent.`),
  perVolumeType: z
    .record(
      z.string().min(1).max(64),
      strict({
        volumes: nonNegInt().optional().describe("Volumes of the type."),
        gigabytes: nonNegInt(10_000_000).optional().describe("Storage of the type in GiB."),
      }),
    )
    .optional()
    .describe("Quotas per Cinder volume type, keyed by backend name or volume type name."),
});

// A key's comment holds no control character.
const SSH_PUBLIC_KEY =
  // eslint-disable-next-line no-control-regex -- the control characters it refuses
  /^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( [^\u0000-\u001f\u007f-\u009f]*)?$/u;

/** A service's port and protocol, as tenant ingress and tier rules name them. */
const servicePort = {
  port: port().describe("Destination port, or the first of a range up to toPort."),
  toPort: port()
    .optional()
    .describe("Last port of a range from port (8000 to 8100, say); port alone when absent."),
  protocol: z
    .enum(["tcp", "udp"], { error: "expected tcp or udp" })
    .default("tcp")
    .describe("IP protocol."),
};

const tenant = strict({
  name: text(64).meta({
    description: "The Keystone project name; free text.",
    examples: ["Web Shop"],
  }),
  id: ident()
    .optional()
    .describe(
      "Stable identifier for Terraform addresses; derived from the name when it is plain ASCII.",
    ),
  domain: ident().optional().describe("Keystone domain (identity.domains[].name) of the project."),
  description: text().optional().describe("What the project is for."),
  pool: ident()
    .optional()
    .describe(
      "Compute pool whose capacity the quota is checked against; the whole cloud when absent.",
    ),
  quota: quota
    .default({})
    .describe(
      "Project quotas; each absent one takes Stackwright's default (a small project's share, below OpenStack's service-wide defaults for networks, routers and floating IPs).",
    ),
  groups: z
    .array(
      strict({
        name: text(128).describe("Group name."),
        role: roleName().meta({
          description: "Keystone role the group gets on the project.",
          examples: ["member", "reader", "load-balancer_member"],
        }),
      }),
    )
    .default([])
    .describe("Groups and the role each gets on the project."),
  network: strict({
    cidr: cidr().meta({ description: "Subnet of the network.", examples: ["192.168.10.0/24"] }),
    dnsServers: z
      .array(ipAddress())
      .optional()
      .describe("DNS servers of the subnet; network.dnsServers of its IP version when absent."),
    mtu: wholeNumber(576, 9216, {
      type: "expected an MTU",
      min: "MTU must be at least 576",
      max: "MTU must be at most 9216",
    })
      .optional()
      .describe("MTU; must fit the overlay (underlay MTU minus the encapsulation overhead)."),
  })
    .optional()
    .describe("The project's self-service network and router."),
  sshCidrs: z
    .array(cidr())
    .default([])
    .describe("Where SSH to the project's instances is allowed from."),
  ingress: z
    .array(
      strict({
        ...servicePort,
        sources: z
          .array(cidr())
          .min(1)
          .describe(
            "Where from: CIDRs of the tenant network's IP version, 0.0.0.0/0 (or ::/0) for the whole Internet.",
          ),
      }),
    )
    .default([])
    .meta({
      description:
        "Services the project publishes through its router's firewall (securityZones.firewall), beside SSH from sshCidrs and the users' web ports (unless usersWeb is false): a portal's HTTPS from the Internet, say. Its instances' own security groups must admit them too.",
      examples: [[{ port: 443, sources: ["0.0.0.0/0"] }]],
    }),
  egress: z
    .array(
      strict({
        ...servicePort,
        destinations: z
          .array(cidr())
          .min(1)
          .describe("Where to: CIDRs of the tenant network's IP version."),
      }),
    )
    .optional()
    .meta({
      description:
        "What the project's instances may open through its router's firewall (securityZones.firewall), beside DNS to its subnet's DNS servers; absent: everything, as every project's router lets out by default. A cardholder data environment lists what it needs.",
      examples: [[{ port: 443, destinations: ["203.0.113.0/24"] }]],
    }),
  usersWeb: z
    .boolean()
    .default(true)
    .describe(
      "Whether the project's router firewall (securityZones.firewall) lets the enterprise's users (securityZones.userCidrs) reach its instances' HTTP and HTTPS, as every project's does by default; false for a restricted project, which publishes what it serves in ingress.",
    ),
  tiers: z
    .array(
      strict({
        name: ident().meta({
          description:
            "Tier name: a security group of the project's, which the tier's instances join beside the base group.",
          examples: ["web"],
        }),
        ingress: z
          .array(
            strict({
              ...servicePort,
              fromTiers: z
                .array(ident())
                .default([])
                .describe("Tiers (of this project) whose instances may reach the port."),
              sources: z
                .array(cidr())
                .default([])
                .describe(
                  "CIDRs that may reach the port: the users' networks, or the tenant network's own CIDR for the members of a load balancer (its amphorae reach them from addresses there).",
                ),
            }),
          )
          .default([])
          .describe("What reaches the tier's instances, beyond SSH and ICMP from sshCidrs."),
      }),
    )
    .default([])
    .meta({
      description:
        "Application tiers of the project, each a security group that admits only what its ingress names: with tiers, the base group no longer admits all traffic between the project's instances, and each instance launches with the base group and its tier's group, not the project's default group (which admits all traffic between its members).",
      examples: [
        [
          { name: "web", ingress: [{ port: 443, sources: ["10.20.0.0/16"] }] },
          { name: "app", ingress: [{ port: 8080, fromTiers: ["web"] }] },
          { name: "db", ingress: [{ port: 5432, fromTiers: ["app"] }] },
        ],
      ],
    }),
  tiersEnforced: z
    .boolean()
    .default(true)
    .describe(
      "With tiers, whether the base group stops admitting all traffic between the project's instances; false while a running tenant's instances move into their tiers' groups (the groups exist, nothing is cut off), then remove it.",
    ),
  keyPairs: z
    .array(
      strict({
        name: ident().describe("Key pair name."),
        publicKey: z
          .string()
          .regex(SSH_PUBLIC_KEY, {
            // A YAML `|` block keeps the line break after the key: say so rather than "invalid".
            error: (issue) =>
              /[\r\n]/.test(String(issue.input)) && SSH_PUBLIC_KEY.test(String(issue.input).trim())
                ? "expected the key on one line: remove the line break (in YAML write it plain, or as |- )"
                : "expected an OpenSSH public key (ssh-ed25519, ssh-rsa or ecdsa)",
          })
          // Nova loads the key itself and refuses one that is not what its type says.
          .refine((key) => !SSH_PUBLIC_KEY.test(key) || !sshPublicKeyProblem(key), {
            error: (issue) =>
              `not a public key Nova accepts: ${sshPublicKeyProblem(String(issue.input))}; paste the whole line of the .pub file`,
          })
          .describe("OpenSSH public key."),
      }),
    )
    .default([])
    .describe("SSH key pairs to register."),
  flavors: z
    .array(flavorName())
    .default([])
    .describe(
      "Flavors only the projects that list them may use: they are private, with an access grant per listing tenant.",
    ),
  volumeTypes: z
    .array(ident())
    .default([])
    .describe("Private volume types (backend names) the project may use."),
  providerNetworks: z
    .array(ident())
    .default([])
    .describe(
      "Provider networks (network.networks[].name, role provider) the project's instances may attach to: each is shared with the project by a Neutron RBAC entry, so a network not shared with every project reaches only the tenants that list it.",
    ),
  stack: ident()
    .optional()
    .describe("Terraform stack of the tenant; tenants naming the same stack share it."),
});

const tenantStackLayout = () =>
  z.enum(["per-tenant", "single"], { error: "expected per-tenant or single" });

/**
 * S3's bucket naming rules, which Ceph RGW applies too (rgw_relaxed_s3_bucket_names off): other
 * names fail at `terraform init`, after the stacks were written.
 */
const S3_BUCKET =
  /^(?!xn--|sthree-)(?!.*(?:\.\.|\.-|-\.))(?!\d+\.\d+\.\d+\.\d+$)(?!.*-s3alias$)(?!.*--ol-s3$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const backend = z.discriminatedUnion(
  "type",
  [
    // State next to each stack's configuration; other stacks read it as ../<stack>/terraform.tfstate.
    strict({
      type: z.literal("local").describe("State files next to each stack's configuration."),
    }),
    strict({
      type: z.literal("s3").describe("State in an S3-compatible store such as Ceph RGW."),
      bucket: z
        .string({ error: "expected text" })
        .regex(S3_BUCKET, {
          error:
            "expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no two dots in a row nor a dot beside a hyphen, not an IP address",
        })
        .describe("Bucket of the state files (S3's bucket naming rules)."),
      key: text(200)
        .regex(NO_TEMPLATE, noTemplate)
        // Terraform's S3 backend refuses a key starting with '/' or holding '//' at init.
        .refine((k) => !k.startsWith("/") && !k.includes("//"), {
          error: "must not start with '/' nor hold '//': Terraform's S3 backend refuses such a key",
        })
        .optional()
        .describe("Prefix of the state keys; each stack writes <key>/<stack>/terraform.tfstate."),
      endpoint: httpUrl(true)
        .regex(NO_QUERY, {
          error:
            "must not hold a query string or fragment: an S3 endpoint takes none, and the store's keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        })
        .describe("S3 endpoint URL (Ceph RGW or another S3-compatible store)."),
      region: text(64).regex(NO_TEMPLATE, noTemplate).default("us-east-1").describe("S3 region."),
    }),
    strict({
      type: z.literal("http").describe("State behind Terraform's HTTP backend."),
      address: httpUrl(true).describe("State address; each stack uses <address>/<stack>."),
    }),
    strict({
      type: z.literal("pg").describe("State in PostgreSQL, one schema per stack."),
      schemaName: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,30}$/, {
          error: "expected a PostgreSQL schema name prefix: lowercase letters, digits, _",
        })
        .optional()
        .describe("Prefix of each stack's PostgreSQL schema: <schemaName>_<stack>."),
    }),
  ],
  { error: "expected a backend type: local, s3, http or pg" },
);

const suppression = strict({
  rule: text(64).meta({
    description: "Rule id of the finding.",
    examples: ["SW-CAP-001", "SW-SPEC-controllers-single"],
  }),
  target: text(256)
    .optional()
    .meta({
      description:
        "Spec or construct path the suppression covers, with everything below it; every target of the rule when absent.",
      examples: ["zones.zone-b.pools.devtest"],
    }),
  reason: text(500)
    .min(10, { error: "a suppression needs a reason of at least 10 characters" })
    .describe("Why the design accepts the finding; at least 10 characters."),
});

export const specSchema = strict({
  $schema: z
    .string()
    .optional()
    .describe("The JSON Schema the file is written against, for editors; Stackwright ignores it."),
  version: z
    .literal(1, { error: "expected spec format version 1" })
    .default(1)
    .describe("Spec format version."),
  blueprint: ident()
    .optional()
    .describe(
      "Blueprint that turns the design into stacks and documents (see stackwright blueprints); enterprise-reference when absent.",
    ),
  metadata: metadata.describe("Who the design is for, and the documents' language and version."),
  cloud: cloud.describe("The OpenStack cloud Terraform applies to."),
  sites: z.array(site).default([]).describe("Data-center sites of the availability zones."),
  hardware: z
    .array(hardwareProfile)
    .min(1, { error: "declare at least one hardware profile" })
    .describe("Server hardware profiles; pools, controllers and storage refer to them by name."),
  zones: z
    .array(zone)
    .min(1, { error: "declare at least one availability zone" })
    .describe("Availability zones, each with its compute pools."),
  controlPlane: controlPlane.describe(
    "The control plane: controllers, services, VIPs, database and messaging.",
  ),
  network: networkPlan.describe(
    "The network plan: networks by role, tenant networking, MTU and DNS.",
  ),
  storage: storage
    .default({ backends: [], ephemeral: "local" })
    .describe("Block, object, image and backup storage."),
  deployer: deployer
    .optional()
    .describe("The host that runs the deployment tools (Kolla-Ansible, cephadm)."),
  hosts: z
    .array(host)
    .default([])
    .describe(
      "Hosts of the design with what is fixed for them: addresses by network name (of hosts that exist), the rack, the Ironic node the undercloud deploys them on.",
    ),
  identity: identity
    .default({ domains: [], groupRoleMappings: [] })
    .describe("Keystone domains (LDAP or Active Directory) and the roles of groups."),
  ntp: ntp.optional().describe("Time sources of every node."),
  legacyUnix: legacyUnix
    .optional()
    .describe("The bridge to legacy UNIX systems: routes, allowed flows and an optional VPN."),
  securityZones: securityZones
    .default({
      adminCidrs: [],
      firewall: false,
    })
    .describe("Where administrators and users connect from, and the firewall."),
  tenants: z
    .array(tenant)
    .default([])
    .describe("Projects to create, each with quotas, groups, network, keys and private flavors."),
  output: strict({
    backend: backend
      .default({ type: "local" })
      .describe("Where Terraform keeps each stack's state."),
    format: z
      .enum(["json", "hcl"], { error: "expected json or hcl" })
      .default(DEFAULTS.outputFormat)
      .describe("Terraform as JSON (cdk.tf.json) or HCL (cdk.tf)."),
    namingPrefix: ident()
      .default(DEFAULTS.namingPrefix)
      .describe("Prefix of the names of created resources."),
    tenantStacks: z
      .union(
        [
          tenantStackLayout(),
          strict({
            layout: tenantStackLayout()
              .default("per-tenant")
              .describe("One Terraform stack per tenant, or one for all tenants."),
            networkCredentials: z
              .enum(["admin", "project"], { error: "expected admin or project" })
              .default("admin")
              .describe(
                "admin: each tenant's network, router, security group and key pairs are applied with the admin entry, in the tenant stack; project: they go into a stack network-<tenant id> applied with the clouds.yaml entry <cloud>-<tenant id>, an application credential of that project (see RUNBOOK.md).",
              ),
          }),
        ],
        {
          error:
            "expected per-tenant, single or { layout: per-tenant|single, networkCredentials: admin|project }",
        },
      )
      .default("per-tenant")
      .describe(
        "Tenant stacks: per-tenant or single (the layout), or { layout, networkCredentials } to apply each tenant's own network resources with that project's credentials.",
      ),
    tenantNetworkCredentials: z
      .never({
        error:
          "output.tenantNetworkCredentials moved: write output.tenantStacks: { networkCredentials: project } (with layout: per-tenant or single beside it)",
      })
      .optional()
      .describe("Moved to output.tenantStacks.networkCredentials; refused here."),
  })
    .default({
      backend: { type: "local" },
      format: DEFAULTS.outputFormat,
      namingPrefix: DEFAULTS.namingPrefix,
      tenantStacks: "per-tenant",
    })
    .describe("What synth writes: Terraform backend and format, naming and stack layout."),
  suppressions: z
    .array(suppression)
    .default([])
    .describe(
      "Findings the design accepts, each with a reason; they stay visible in every report.",
    ),
});

/** The spec as the user writes it. */
export type SpecInput = z.input<typeof specSchema>;
/** The spec after defaults are applied. */
export type Spec = z.output<typeof specSchema>;
export type PoolSpec = Spec["zones"][number]["pools"][number];
export type NetworkSpec = Spec["network"]["networks"][number];
export type HardwareSpec = Spec["hardware"][number];
