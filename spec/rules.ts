import { NETWORK_ROLES, type Spec } from "./schema";
import type { SpecIssue } from "./errors";
import { DEFAULTS, ENCAP_OVERHEAD, ROLES_WITH_DEFAULT_GATEWAY } from "./defaults";
import {
  addressToBigInt,
  bigIntToAddress,
  contains,
  lastHostOffset,
  overlaps,
  parseCidr,
  type Cidr,
} from "./net";
import { hardwareModel, poolCapacity } from "../model/capacity";
import { slug } from "../model/resolve";

type Path = readonly (string | number)[];

/** Collects issues for one spec; each rule below adds what it finds. */
class Findings {
  readonly issues: SpecIssue[] = [];
  error(code: string, path: Path, message: string) {
    this.issues.push({ code, path, message, severity: "error" });
  }
  warn(code: string, path: Path, message: string) {
    this.issues.push({ code, path, message, severity: "warning" });
  }
}

/** Cross-field rules that the schema alone cannot express. Every rule runs; all issues come back at once. */
export function checkSpec(spec: Spec): SpecIssue[] {
  const f = new Findings();
  for (const rule of RULES) rule(spec, f);
  return f.issues;
}

const RULES: readonly ((spec: Spec, f: Findings) => void)[] = [
  uniqueNames,
  references,
  cidrs,
  subnetPool,
  dnsServers,
  vlans,
  tenantNetworking,
  tenantNetworks,
  tenants,
  controllers,
  vips,
  flavors,
  capacity,
  ceph,
  swift,
  storageChoices,
  serverGroups,
  mtu,
  ntp,
  legacy,
  leastPrivilege,
];

/**
 * Reports every item whose key an earlier item already has. `show` is how an item is named in
 * the message (its key by default), `code` the issue code.
 */
function duplicates<T>(
  items: readonly T[],
  key: (t: T) => string,
  f: Findings,
  path: (i: number) => Path,
  what: string,
  options: { code?: string; show?: (t: T) => string } = {},
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) {
      f.error(
        options.code ?? "duplicate-name",
        path(i),
        `${what} ${JSON.stringify(options.show ? options.show(item) : k)} is already declared at index ${first}`,
      );
    } else seen.set(k, i);
  });
}

/** One key per block, however it is written: `2001:DB8::/32` and `2001:db8::/32` are the same. */
function cidrKey(text: string): string {
  try {
    const c = parseCidr(text);
    return `${c.version}|${addressToBigInt(text.split("/")[0])}/${c.prefix}`;
  } catch {
    return text.toLowerCase();
  }
}

/** One key per address, however it is written. */
function addressKey(text: string): string {
  try {
    return `${text.includes(":") ? 6 : 4}|${addressToBigInt(text)}`;
  } catch {
    return text.toLowerCase();
  }
}

/** The volume backend a tenant names, by backend name or by its Cinder volume type. */
function backendOf(spec: Spec, key: string) {
  return (
    spec.storage.backends.find((b) => b.name === key) ??
    spec.storage.backends.find((b) => b.volumeType === key)
  );
}

/** Construct ids of the tenant subnet pool beside the networks (constructs/network-fabric.ts). */
const SUBNET_POOL_IDS: ReadonlySet<string> = new Set(["tenant-scope", "tenant-pool"]);

function uniqueNames(spec: Spec, f: Findings) {
  duplicates(
    spec.hardware,
    (h) => h.name,
    f,
    (i) => ["hardware", i, "name"],
    "hardware profile",
  );
  duplicates(
    spec.sites,
    (s) => s.name,
    f,
    (i) => ["sites", i, "name"],
    "site",
  );
  duplicates(
    spec.zones,
    (z) => z.name,
    f,
    (i) => ["zones", i, "name"],
    "zone",
  );
  spec.zones.forEach((z, zi) =>
    duplicates(
      z.pools,
      (p) => p.name,
      f,
      (i) => ["zones", zi, "pools", i, "name"],
      `pool in zone ${z.name}:`,
    ),
  );
  duplicates(
    spec.network.networks,
    (n) => n.name,
    f,
    (i) => ["network", "networks", i, "name"],
    "network",
  );
  if (spec.network.tenantSubnetPool) {
    spec.network.networks.forEach((n, i) => {
      if (SUBNET_POOL_IDS.has(n.name))
        f.error(
          "name-reserved",
          ["network", "networks", i, "name"],
          `network name ${JSON.stringify(n.name)} is taken by the tenant subnet pool's resources; rename the network`,
        );
    });
  }
  duplicates(
    spec.storage.backends,
    (b) => b.name,
    f,
    (i) => ["storage", "backends", i, "name"],
    "volume backend",
  );
  duplicates(
    spec.storage.backends,
    (b) => b.volumeType,
    f,
    (i) => ["storage", "backends", i, "volumeType"],
    "volume type",
  );
  // Tenants name a backend by its name or its volume type, so one namespace holds both.
  spec.storage.backends.forEach((b, i) => {
    const other = spec.storage.backends.find((o) => o !== b && o.name === b.volumeType);
    if (other)
      f.error(
        "duplicate-name",
        ["storage", "backends", i, "volumeType"],
        `volume type ${JSON.stringify(b.volumeType)} of backend ${b.name} is the name of backend ${other.name}; tenants name a backend by either, so give it another volume type`,
      );
  });
  duplicates(
    spec.identity.domains,
    (d) => d.name,
    f,
    (i) => ["identity", "domains", i, "name"],
    "domain",
  );
  duplicates(
    spec.tenants,
    (t) => t.name,
    f,
    (i) => ["tenants", i, "name"],
    "tenant",
  );
  if (spec.storage.ceph) {
    duplicates(
      spec.storage.ceph.pools,
      (p) => p.name,
      f,
      (i) => ["storage", "ceph", "pools", i, "name"],
      "Ceph pool",
    );
  }
  if (spec.storage.swift) {
    duplicates(
      spec.storage.swift.containers,
      (c) => c.name,
      f,
      (i) => ["storage", "swift", "containers", i, "name"],
      "container",
    );
    const defaults = spec.storage.swift.policies.filter((p) => p.default).length;
    if (defaults > 1)
      f.error(
        "swift-policy-default",
        ["storage", "swift", "policies"],
        `${defaults} storage policies are marked default; mark exactly one`,
      );
  }
  if (spec.legacyUnix) {
    duplicates(
      spec.legacyUnix.systems,
      (s) => s.name,
      f,
      (i) => ["legacyUnix", "systems", i, "name"],
      "legacy system",
    );
    duplicates(
      spec.legacyUnix.flows,
      (s) => s.name,
      f,
      (i) => ["legacyUnix", "flows", i, "name"],
      "flow",
    );
    spec.legacyUnix.flows.forEach((fl, fi) =>
      duplicates(
        fl.systems,
        (s) => s,
        f,
        (i) => ["legacyUnix", "flows", fi, "systems", i],
        `system of flow ${fl.name}:`,
      ),
    );
  }
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) =>
      duplicates(
        p.serverGroups,
        (g) => g.name,
        f,
        (i) => ["zones", zi, "pools", pi, "serverGroups", i, "name"],
        `server group of pool ${z.name}-${p.name}:`,
      ),
    ),
  );
  // A group mapped twice to one role on one scope would be assigned twice.
  const tenantId = (key: string) => {
    const t = spec.tenants.find((x) => x.id === key || x.name === key);
    return t ? (t.id ?? slug(t.name) ?? t.name) : key;
  };
  duplicates(
    spec.identity.groupRoleMappings,
    (m) =>
      JSON.stringify([
        m.domain,
        m.group,
        m.role,
        m.tenant === undefined ? null : tenantId(m.tenant),
      ]),
    f,
    (i) => ["identity", "groupRoleMappings", i],
    "group-role mapping",
    {
      show: (m) =>
        `${m.group} as ${m.role} on ${m.tenant === undefined ? `domain ${m.domain}` : `tenant ${m.tenant}`}`,
    },
  );
  // Flavor names are global in Nova.
  const flavors = spec.zones.flatMap((z, zi) =>
    z.pools.flatMap((p, pi) =>
      p.flavors.map((fl, fi) => ({
        name: fl.name,
        path: ["zones", zi, "pools", pi, "flavors", fi, "name"] as Path,
      })),
    ),
  );
  duplicates(
    flavors,
    (x) => x.name,
    f,
    (i) => flavors[i].path,
    "flavor",
  );
  // Host names must be unique across pools, and match the declared count.
  const hosts: { name: string; path: Path }[] = [];
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) => {
      if (p.hostnames && p.hostnames.length !== p.hosts) {
        f.error(
          "hostnames-count",
          ["zones", zi, "pools", pi, "hostnames"],
          `${p.hostnames.length} host names for ${p.hosts} hosts; list exactly one name per host`,
        );
      }
      (p.hostnames ?? []).forEach((h, hi) =>
        hosts.push({ name: h, path: ["zones", zi, "pools", pi, "hostnames", hi] }),
      );
    }),
  );
  duplicates(
    hosts,
    (h) => h.name,
    f,
    (i) => hosts[i].path,
    "host name",
  );
  // Generated names may not collide with pool ids either (zone "a-b" + pool "c" vs zone "a" + pool "b-c").
  const poolIds = spec.zones.flatMap((z, zi) =>
    z.pools.map((p, pi) => ({
      id: `${z.name}-${p.name}`,
      path: ["zones", zi, "pools", pi, "name"] as Path,
    })),
  );
  duplicates(
    poolIds,
    (p) => p.id,
    f,
    (i) => poolIds[i].path,
    "pool id (zone-pool)",
  );
}

function references(spec: Spec, f: Findings) {
  const hw = new Set(spec.hardware.map((h) => h.name));
  const ref = (set: Set<string>, value: string | undefined, path: Path, what: string) => {
    if (value !== undefined && !set.has(value)) {
      const known = [...set].sort();
      f.error(
        "unknown-reference",
        path,
        `${what} ${JSON.stringify(value)} is not declared${known.length ? ` (declared: ${known.join(", ")})` : ""}`,
      );
    }
  };
  const sites = new Set(spec.sites.map((s) => s.name));
  spec.zones.forEach((z, zi) => {
    ref(sites, z.site, ["zones", zi, "site"], "site");
    const racks = new Set(z.racks);
    z.pools.forEach((p, pi) => {
      ref(hw, p.hardware, ["zones", zi, "pools", pi, "hardware"], "hardware profile");
      if (z.racks.length)
        (p.racks ?? []).forEach((r, ri) =>
          ref(racks, r, ["zones", zi, "pools", pi, "racks", ri], `rack of zone ${z.name}`),
        );
    });
  });
  ref(hw, spec.controlPlane.hardware, ["controlPlane", "hardware"], "hardware profile");
  ref(
    hw,
    spec.controlPlane.networkNodeHardware,
    ["controlPlane", "networkNodeHardware"],
    "hardware profile",
  );
  if (spec.storage.ceph)
    ref(hw, spec.storage.ceph.hardware, ["storage", "ceph", "hardware"], "hardware profile");
  if (spec.storage.swift) {
    ref(
      hw,
      spec.storage.swift.proxyHardware,
      ["storage", "swift", "proxyHardware"],
      "hardware profile",
    );
    ref(
      hw,
      spec.storage.swift.storageHardware,
      ["storage", "swift", "storageHardware"],
      "hardware profile",
    );
    const policies = new Set(spec.storage.swift.policies.map((p) => p.name));
    spec.storage.swift.containers.forEach((c, i) => {
      if (c.storagePolicy)
        ref(
          policies,
          c.storagePolicy,
          ["storage", "swift", "containers", i, "storagePolicy"],
          "storage policy",
        );
    });
  }
  const poolNames = new Set(
    spec.zones.flatMap((z) => z.pools.flatMap((p) => [p.name, `${z.name}-${p.name}`])),
  );
  const domains = new Set(["default", ...spec.identity.domains.map((d) => d.name)]);
  const flavorNames = new Set(
    spec.zones.flatMap((z) => z.pools.flatMap((p) => p.flavors.map((fl) => fl.name))),
  );
  const volumeTypes = new Set(spec.storage.backends.flatMap((b) => [b.name, b.volumeType]));
  // A tenant is named by its name, its id, or the id derived from its name.
  const tenantKeys = new Set(
    spec.tenants.flatMap((t) => [
      t.name,
      ...[t.id ?? slug(t.name)].filter((k): k is string => Boolean(k)),
    ]),
  );
  spec.tenants.forEach((t, i) => {
    ref(poolNames, t.pool, ["tenants", i, "pool"], "pool");
    ref(domains, t.domain, ["tenants", i, "domain"], "domain");
    t.flavors.forEach((fl, fi) => ref(flavorNames, fl, ["tenants", i, "flavors", fi], "flavor"));
    t.volumeTypes.forEach((v, vi) =>
      ref(volumeTypes, v, ["tenants", i, "volumeTypes", vi], "volume backend"),
    );
    for (const key of Object.keys(t.quota.perVolumeType ?? {})) {
      ref(volumeTypes, key, ["tenants", i, "quota", "perVolumeType", key], "volume backend");
    }
  });
  spec.identity.groupRoleMappings.forEach((m, i) => {
    ref(domains, m.domain, ["identity", "groupRoleMappings", i, "domain"], "domain");
    if (m.tenant !== undefined)
      ref(tenantKeys, m.tenant, ["identity", "groupRoleMappings", i, "tenant"], "tenant");
  });
  if (spec.legacyUnix) {
    const nets = new Set(spec.network.networks.map((n) => n.name));
    ref(nets, spec.legacyUnix.network, ["legacyUnix", "network"], "network");
    const systems = new Set(spec.legacyUnix.systems.map((s) => s.name));
    spec.legacyUnix.flows.forEach((fl, i) => {
      fl.systems.forEach((s, si) =>
        ref(systems, s, ["legacyUnix", "flows", i, "systems", si], "legacy system"),
      );
      fl.pools.forEach((p, pi) =>
        ref(poolNames, p, ["legacyUnix", "flows", i, "pools", pi], "pool"),
      );
    });
  }
}

interface Block {
  cidr: Cidr;
  path: Path;
  label: string;
}

function parsed(text: string, path: Path, f: Findings): Cidr | undefined {
  let c: Cidr;
  try {
    c = parseCidr(text);
  } catch {
    f.error("cidr-invalid", path, `${JSON.stringify(text)} is not a valid CIDR`);
    return undefined;
  }
  if (c.hostBitsSet) {
    f.error(
      "cidr-host-bits",
      path,
      `${text} has host bits set; the network address is ${canonical(c)}`,
    );
  }
  return c;
}

function canonical(c: Cidr): string {
  return `${bigIntToAddress(c.first, c.version)}/${c.prefix}`;
}

function cidrs(spec: Spec, f: Findings) {
  const blocks: Block[] = [];
  spec.network.networks.forEach((n, i) => {
    const path = ["network", "networks", i, "cidr"];
    const c = parsed(n.cidr, path, f);
    if (!c) return;
    blocks.push({ cidr: c, path, label: `network ${n.name}` });
    if (n.gateway) hostAddress(c, n.gateway, ["network", "networks", i, "gateway"], "gateway", f);
    if (n.floatingIpRange) {
      const base: Path = ["network", "networks", i, "floatingIpRange"];
      if (n.role !== "external")
        f.error(
          "floating-range-role",
          base,
          `only the external network has a floating-IP range; ${n.name} is ${n.role}`,
        );
      hostAddress(c, n.floatingIpRange.start, [...base, "start"], "floating range start", f);
      hostAddress(c, n.floatingIpRange.end, [...base, "end"], "floating range end", f);
      if (addressToBigInt(n.floatingIpRange.start) > addressToBigInt(n.floatingIpRange.end)) {
        f.error(
          "floating-range-order",
          base,
          `start ${n.floatingIpRange.start} is after end ${n.floatingIpRange.end}`,
        );
      }
      if (n.gateway && inRange(n.gateway, n.floatingIpRange)) {
        f.error(
          "floating-range-gateway",
          base,
          `the floating range contains the gateway ${n.gateway}`,
        );
      }
    }
  });
  if (spec.network.supernet) {
    const sn = parsed(spec.network.supernet, ["network", "supernet"], f);
    if (sn) {
      spec.network.networks.forEach((n, i) => {
        const b = blocks.find((x) => x.path[2] === i);
        if (
          b &&
          n.role !== "external" &&
          !(b.cidr.version === sn.version && b.cidr.first >= sn.first && b.cidr.last <= sn.last)
        ) {
          f.error(
            "cidr-outside-supernet",
            ["network", "networks", i, "cidr"],
            `${n.cidr} is outside the supernet ${spec.network.supernet}`,
          );
        }
      });
    }
  }
  spec.tenants.forEach((t, i) => {
    if (!t.network) return;
    const path = ["tenants", i, "network", "cidr"];
    const c = parsed(t.network.cidr, path, f);
    if (c) blocks.push({ cidr: c, path, label: `tenant ${t.name}` });
  });
  spec.legacyUnix?.subnets.forEach((s, i) => {
    const path = ["legacyUnix", "subnets", i];
    const c = parsed(s, path, f);
    if (c) blocks.push({ cidr: c, path, label: "legacy subnet" });
  });
  const poolVersions = new Set(
    (spec.network.tenantSubnetPool?.prefixes ?? []).map((p) => (p.includes(":") ? 6 : 4)),
  );
  if (poolVersions.size > 1) {
    f.error(
      "subnet-pool-mixed",
      ["network", "tenantSubnetPool", "prefixes"],
      "a subnet pool holds prefixes of one IP version; split IPv4 and IPv6",
    );
  }
  spec.network.tenantSubnetPool?.prefixes.forEach((p, i) => {
    const path = ["network", "tenantSubnetPool", "prefixes", i];
    const c = parsed(p, path, f);
    if (c) blocks.push({ cidr: c, path, label: "tenant subnet pool" });
  });
  // Overlaps: sort by start so the check stays O(n log n) for large estates.
  // Wider blocks first on equal starts, so a block inside another is seen after it.
  const order = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
  const sorted = [...blocks].sort(
    (a, b) => order(a.cidr.first, b.cidr.first) || order(b.cidr.last, a.cidr.last),
  );
  for (const v of [4, 6]) {
    const list = sorted.filter((b) => b.cidr.version === v);
    let widest: Block | undefined;
    for (const b of list) {
      if (widest && overlaps(widest.cidr, b.cidr)) {
        // Tenant networks inside the tenant subnet pool are expected.
        const pooled = widest.label === "tenant subnet pool" && b.label.startsWith("tenant ");
        if (!pooled)
          f.error(
            "cidr-overlap",
            b.path,
            `${b.cidr.text} (${b.label}) overlaps ${widest.cidr.text} (${widest.label})`,
          );
      }
      if (!widest || b.cidr.last > widest.cidr.last) widest = b;
    }
  }
  const roles = new Map<string, number>();
  spec.network.networks.forEach((n) => roles.set(n.role, (roles.get(n.role) ?? 0) + 1));
  if (!roles.get("management"))
    f.error("network-missing", ["network", "networks"], "declare a network with role management");
  // One network per infrastructure role; provider networks may be many.
  for (const role of NETWORK_ROLES.filter((r) => r !== "provider")) {
    if ((roles.get(role) ?? 0) > 1) {
      const i = spec.network.networks.map((n) => n.role as string).lastIndexOf(role);
      f.error(
        "network-role-duplicate",
        ["network", "networks", i, "role"],
        `only one network may have role ${role}`,
      );
    }
  }
}

function hostAddress(c: Cidr, address: string, path: Path, what: string, f: Findings) {
  if (!contains(c, address)) {
    f.error("address-outside-network", path, `${what} ${address} is outside ${c.text}`);
    return;
  }
  const offset = addressToBigInt(address) - c.first;
  if (offset === 0n && !(c.version === 4 && c.prefix >= 31))
    f.error("address-not-host", path, `${what} ${address} is the network address of ${c.text}`);
  else if (offset > lastHostOffset(c))
    f.error("address-not-host", path, `${what} ${address} is the broadcast address of ${c.text}`);
}

const inRange = (a: string, r: { start: string; end: string }) => {
  const v = addressToBigInt(a);
  return v >= addressToBigInt(r.start) && v <= addressToBigInt(r.end);
};

function vlans(spec: Spec, f: Findings) {
  const seen = new Map<string, number>();
  spec.network.networks.forEach((n, i) => {
    if (n.vlan === undefined) return;
    const key = `${n.physicalNetwork ?? DEFAULTS.physicalNetwork}/${n.vlan}`;
    const first = seen.get(key);
    if (first !== undefined) {
      f.error(
        "vlan-duplicate",
        ["network", "networks", i, "vlan"],
        `VLAN ${n.vlan} on ${n.physicalNetwork ?? DEFAULTS.physicalNetwork} is already used by network ${spec.network.networks[first].name}`,
      );
    } else seen.set(key, i);
  });
  const range = spec.network.tenantVlanRange;
  if (range) {
    if (range.min > range.max)
      f.error(
        "vlan-range",
        ["network", "tenantVlanRange"],
        `min ${range.min} is above max ${range.max}`,
      );
    const phys = spec.network.tenantPhysicalNetwork ?? DEFAULTS.physicalNetwork;
    spec.network.networks.forEach((n, i) => {
      if (
        n.vlan !== undefined &&
        (n.physicalNetwork ?? DEFAULTS.physicalNetwork) === phys &&
        n.vlan >= range.min &&
        n.vlan <= range.max
      ) {
        f.error(
          "vlan-in-tenant-range",
          ["network", "networks", i, "vlan"],
          `VLAN ${n.vlan} of network ${n.name} lies inside the tenant VLAN range ${range.min}-${range.max} on ${phys}`,
        );
      }
    });
  }
}

function tenantNetworking(spec: Spec, f: Findings) {
  const t = spec.network.tenantNetworkType;
  const vni = spec.network.vniRange;
  if (["vxlan", "gre", "geneve"].includes(t) && vni.min > vni.max) {
    f.error("vni-range", ["network", "vniRange"], `min ${vni.min} is above max ${vni.max}`);
  }
  if (t === "vlan" && !spec.network.tenantVlanRange) {
    f.error(
      "vlan-range-missing",
      ["network", "tenantVlanRange"],
      "tenant network type vlan needs a tenantVlanRange { min, max }",
    );
  }
  if (
    ["vxlan", "gre", "geneve"].includes(t) &&
    !spec.network.networks.some((n) => n.role === "tunnel")
  ) {
    f.warn(
      "tunnel-network-missing",
      ["network", "networks"],
      `tenant network type ${t} runs overlay traffic; declare a network with role tunnel to keep it off management`,
    );
  }
  const needsExternal =
    spec.tenants.some((x) => x.network) || spec.controlPlane.vips.external !== undefined;
  if (needsExternal && !spec.network.networks.some((n) => n.role === "external")) {
    f.error(
      "network-missing",
      ["network", "networks"],
      "tenant routers and the external VIP need a network with role external",
    );
  }
}

/**
 * Tenant ids that cannot name the tenant's construct: its stack already holds `openstack` (the
 * provider) and `backend`, and `constructor` is a member of every JavaScript object.
 */
const RESERVED_TENANT_IDS: ReadonlySet<string> = new Set(["openstack", "backend", "constructor"]);
/** The stack name of the platform team's stack. */
const PLATFORM_STACK = "platform";

/** Tenant identity (ids, stacks) and the lists inside each tenant that OpenStack keeps unique. */
function tenants(spec: Spec, f: Findings) {
  // Ids become construct ids and Terraform addresses: derived or explicit, each must be unique.
  const ids = new Map<string, number>();
  spec.tenants.forEach((t, i) => {
    const id = t.id ?? slug(t.name);
    if (id === undefined) return; // reported by the resolver (tenant-id-required)
    const path: Path = ["tenants", i, t.id !== undefined ? "id" : "name"];
    const how = t.id !== undefined ? "" : ` (derived from the name ${JSON.stringify(t.name)})`;
    if (RESERVED_TENANT_IDS.has(id)) {
      f.error(
        "tenant-id-reserved",
        path,
        `tenant id ${JSON.stringify(id)}${how} is reserved in a tenant's Terraform stack; set tenants[${i}].id to another identifier`,
      );
      return;
    }
    const first = ids.get(id);
    if (first === undefined) {
      ids.set(id, i);
      return;
    }
    const other = spec.tenants[first];
    // Two tenants of the same name are already reported as a duplicate name.
    if (t.id === undefined && other.id === undefined && other.name === t.name) return;
    const theirs = other.id !== undefined ? "" : ", derived from its name";
    f.error(
      "duplicate-name",
      path,
      `tenant id ${JSON.stringify(id)}${how} is already the id of tenants[${first}] (${JSON.stringify(other.name)}${theirs}); set tenants[${i}].id to a distinct identifier`,
    );
  });

  const keyPairOwners = new Map<string, number>();
  spec.tenants.forEach((t, ti) => {
    if (t.stack === PLATFORM_STACK)
      f.error(
        "stack-reserved",
        ["tenants", ti, "stack"],
        `stack ${JSON.stringify(PLATFORM_STACK)} is the platform team's stack; choose another stack name for tenant ${t.name}`,
      );
    duplicates(t.sshCidrs, cidrKey, f, (i) => ["tenants", ti, "sshCidrs", i], "SSH CIDR", {
      code: "duplicate-cidr",
      show: (c) => c,
    });
    duplicates(
      t.groups,
      (g) => JSON.stringify([g.name, g.role]),
      f,
      (i) => ["tenants", ti, "groups", i],
      "group",
      { show: (g) => `${g.name} as ${g.role}` },
    );
    duplicates(
      t.keyPairs,
      (k) => k.name,
      f,
      (i) => ["tenants", ti, "keyPairs", i, "name"],
      "key pair",
    );
    duplicates(
      t.flavors,
      (x) => x,
      f,
      (i) => ["tenants", ti, "flavors", i],
      "flavor",
    );
    // A backend named once by its name and once by its volume type is granted once.
    const named = new Map<string, number>();
    t.volumeTypes.forEach((v, vi) => {
      const backend = backendOf(spec, v)?.name ?? v;
      const first = named.get(backend);
      if (first === undefined) named.set(backend, vi);
      else
        f.error(
          "duplicate-name",
          ["tenants", ti, "volumeTypes", vi],
          t.volumeTypes[first] === v
            ? `volume type ${JSON.stringify(v)} is already declared at index ${first}`
            : `${JSON.stringify(v)} names the same volume backend (${backend}) as ${JSON.stringify(t.volumeTypes[first])} at index ${first}; keep one of them`,
        );
    });
    // A mapping onto this tenant that repeats one of its groups would assign the role twice.
    const own = new Set(
      t.groups.map((g) => JSON.stringify([t.domain ?? "default", g.name, g.role])),
    );
    spec.identity.groupRoleMappings.forEach((m, mi) => {
      const target =
        m.tenant === undefined
          ? undefined
          : spec.tenants.find((x) => x.id === m.tenant || x.name === m.tenant);
      if (target === t && own.has(JSON.stringify([m.domain, m.group, m.role])))
        f.error(
          "duplicate-name",
          ["identity", "groupRoleMappings", mi],
          `group ${JSON.stringify(m.group)} already has role ${m.role} on tenant ${t.name} through tenants[${ti}].groups; remove one of them`,
        );
    });
    // Key pairs belong to the user that runs Terraform, not to the project: one namespace.
    t.keyPairs.forEach((k, ki) => {
      const owner = keyPairOwners.get(k.name);
      if (owner === undefined) keyPairOwners.set(k.name, ti);
      else if (owner !== ti)
        f.error(
          "duplicate-name",
          ["tenants", ti, "keyPairs", ki, "name"],
          `key pair ${JSON.stringify(k.name)} is already declared by tenants[${owner}] (${JSON.stringify(spec.tenants[owner].name)}); key pairs belong to the admin user that runs Terraform, so their names must be unique across tenants`,
        );
    });
    // Cinder keys per-type quotas by the volume type, however the tenant names the backend.
    const types = new Map<string, string>();
    for (const key of Object.keys(t.quota.perVolumeType ?? {})) {
      const backend = backendOf(spec, key);
      if (!backend) continue; // reported as an unknown reference
      const first = types.get(backend.volumeType);
      if (first !== undefined)
        f.error(
          "duplicate-name",
          ["tenants", ti, "quota", "perVolumeType", key],
          `${JSON.stringify(key)} and ${JSON.stringify(first)} name the same volume type ${JSON.stringify(backend.volumeType)}; keep one of them`,
        );
      else types.set(backend.volumeType, key);
    }
  });
}

/** Neutron's default max_dns_nameservers: more per subnet are rejected. */
const MAX_DNS_SERVERS = 5;

function dnsServers(spec: Spec, f: Findings) {
  const check = (servers: readonly string[], path: Path) => {
    if (servers.length > MAX_DNS_SERVERS)
      f.error(
        "dns-servers-count",
        path,
        `${servers.length} DNS servers; Neutron accepts at most ${MAX_DNS_SERVERS} per subnet (max_dns_nameservers)`,
      );
    duplicates(servers, addressKey, f, (i) => [...path, i], "DNS server", {
      code: "duplicate-address",
      show: (a) => a,
    });
  };
  check(spec.network.dnsServers, ["network", "dnsServers"]);
  spec.tenants.forEach((t, i) => {
    if (t.network?.dnsServers) check(t.network.dnsServers, ["tenants", i, "network", "dnsServers"]);
  });
}

/** The smallest tenant subnet that holds a router gateway and hosts: /29 (5 hosts) or a SLAAC /64. */
const TENANT_PREFIX_MAX = { 4: 29, 6: 64 } as const;

function tenantNetworks(spec: Spec, f: Findings) {
  spec.tenants.forEach((t, i) => {
    if (!t.network) return;
    let c: Cidr;
    try {
      c = parseCidr(t.network.cidr);
    } catch {
      return; // reported by the CIDR rule
    }
    const path: Path = ["tenants", i, "network", "cidr"];
    const max = TENANT_PREFIX_MAX[c.version];
    if (c.prefix > max)
      f.error(
        "tenant-network-prefix",
        path,
        `${t.network.cidr} is too small for the router gateway and hosts; use a /${max} or a larger block`,
      );
    else if (c.version === 6 && c.prefix < 64)
      f.error(
        "tenant-network-prefix",
        path,
        `${t.network.cidr}: IPv6 tenant subnets use SLAAC, which needs exactly a /64`,
      );
    (t.network.dnsServers ?? []).forEach((d, di) => {
      const version = d.includes(":") ? 6 : 4;
      if (version !== c.version)
        f.error(
          "dns-ip-version",
          ["tenants", i, "network", "dnsServers", di],
          `IPv${version} DNS server ${d} on the IPv${c.version} network ${t.network?.cidr}; a subnet takes DNS servers of its own IP version`,
        );
    });
  });
}

/** The subnet pool's default prefix length must fit inside its prefixes and leave room for hosts. */
function subnetPool(spec: Spec, f: Findings) {
  const pool = spec.network.tenantSubnetPool;
  if (!pool) return;
  const blocks = pool.prefixes.flatMap((p) => {
    try {
      return [parseCidr(p)];
    } catch {
      return [];
    }
  });
  const versions = new Set(blocks.map((b) => b.version));
  if (blocks.length === 0 || versions.size > 1) return; // reported by the CIDR rules
  const version = blocks[0].version;
  const longest = blocks.reduce((a, b) => (b.prefix > a.prefix ? b : a));
  const max = version === 4 ? 30 : 64;
  const length = pool.defaultPrefixLength;
  const path: Path = ["network", "tenantSubnetPool", "defaultPrefixLength"];
  if (length > max)
    f.error(
      "subnet-pool-prefix-length",
      path,
      `/${length} is too long for IPv${version} tenant subnets; use at most /${max}${version === 6 ? " (SLAAC needs a /64)" : ""}`,
    );
  else if (length < longest.prefix)
    f.error(
      "subnet-pool-prefix-length",
      path,
      `/${length} is larger than the pool prefix ${longest.text}; use /${longest.prefix} or longer`,
    );
  else if (version === 4 && length < 8)
    f.error("subnet-pool-prefix-length", path, `/${length} is too short; use /8 or longer`);
}

function serverGroups(spec: Spec, f: Findings) {
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) =>
      p.serverGroups.forEach((g, gi) => {
        if (g.maxServersPerHost !== undefined && g.policy !== "anti-affinity")
          f.error(
            "server-group-max",
            ["zones", zi, "pools", pi, "serverGroups", gi, "maxServersPerHost"],
            `maxServersPerHost only applies to the anti-affinity policy; server group ${g.name} is ${g.policy}: remove maxServersPerHost or use anti-affinity`,
          );
      }),
    ),
  );
}

function controllers(spec: Spec, f: Findings) {
  const n = spec.controlPlane.controllers;
  const path = ["controlPlane", "controllers"];
  if (n === 1)
    f.warn("controllers-single", path, "1 controller is not highly available; use 3 or 5");
  else if (n % 2 === 0)
    f.error(
      "controllers-even",
      path,
      `${n} controllers cannot keep a Galera/RabbitMQ quorum through a split; use an odd count (3 or 5)`,
    );
  else if (n > 5)
    f.warn(
      "controllers-many",
      path,
      `${n} controllers add quorum traffic without more tolerance than 5 needs; 3 or 5 is usual`,
    );
  if (spec.controlPlane.networkNodes > 0 && !spec.controlPlane.networkNodeHardware) {
    f.warn(
      "network-node-hardware",
      ["controlPlane", "networkNodeHardware"],
      "network nodes use the controller hardware profile; set networkNodeHardware to size them separately",
    );
  }
}

function vips(spec: Spec, f: Findings) {
  const nets = spec.network.networks;
  const api =
    nets.find((n) => n.role === "internal-api") ?? nets.find((n) => n.role === "management");
  const check = (address: string, netIndex: number, path: Path, what: string) => {
    const net = nets[netIndex];
    let c: Cidr;
    try {
      c = parseCidr(net.cidr);
    } catch {
      return;
    }
    if (!contains(c, address)) {
      f.error(
        "vip-outside-network",
        path,
        `${what} ${address} is outside network ${net.name} (${net.cidr})`,
      );
      return;
    }
    hostAddress(c, address, path, what, f);
    if (net.gateway === address)
      f.error("vip-reserved", path, `${what} ${address} is the gateway of ${net.name}`);
    const defaultGateway = net.gateway === undefined && ROLES_WITH_DEFAULT_GATEWAY.has(net.role);
    if (defaultGateway && addressToBigInt(address) === c.first + 1n) {
      f.error(
        "vip-reserved",
        path,
        `${what} ${address} is the default gateway (first host) of ${net.name}; choose another address or set the gateway`,
      );
    }
    if (net.floatingIpRange && inRange(address, net.floatingIpRange)) {
      f.error(
        "vip-reserved",
        path,
        `${what} ${address} lies inside the floating-IP range of ${net.name}`,
      );
    }
  };
  if (api)
    check(
      spec.controlPlane.vips.internal,
      nets.indexOf(api),
      ["controlPlane", "vips", "internal"],
      "internal VIP",
    );
  const ext = nets.findIndex((n) => n.role === "external");
  if (spec.controlPlane.vips.external && ext >= 0) {
    check(
      spec.controlPlane.vips.external,
      ext,
      ["controlPlane", "vips", "external"],
      "external VIP",
    );
  }
  if (
    spec.controlPlane.vips.external &&
    spec.controlPlane.vips.external === spec.controlPlane.vips.internal
  ) {
    f.error(
      "vip-duplicate",
      ["controlPlane", "vips", "external"],
      "the external and internal VIPs must differ",
    );
  }
}

function flavors(spec: Spec, f: Findings) {
  const hw = new Map(spec.hardware.map((h) => [h.name, hardwareModel(h)]));
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) => {
      const h = hw.get(p.hardware);
      p.flavors.forEach((fl, fi) => {
        const path: Path = ["zones", zi, "pools", pi, "flavors", fi];
        if (fl.dedicated && !p.cpuPinning) {
          f.error(
            "flavor-dedicated",
            [...path, "dedicated"],
            `flavor ${fl.name} asks for dedicated CPUs but pool ${p.name} does not pin (set cpuPinning: true)`,
          );
        }
        if (!h) return;
        const cpus = h.threads - p.reservedHostCpus;
        const ram = h.memoryGiB - p.reservedHostMemoryGiB;
        if (fl.vcpus > cpus)
          f.error(
            "flavor-too-large",
            [...path, "vcpus"],
            `flavor ${fl.name} needs ${fl.vcpus} vCPUs; a ${p.hardware} host offers ${cpus} after reservations`,
          );
        if (fl.ramGiB > ram)
          f.error(
            "flavor-too-large",
            [...path, "ramGiB"],
            `flavor ${fl.name} needs ${fl.ramGiB} GiB; a ${p.hardware} host offers ${ram} GiB after reservations`,
          );
      });
      if (h && p.reservedHostCpus >= h.threads) {
        f.error(
          "reservation-too-large",
          ["zones", zi, "pools", pi, "reservedHostCpus"],
          `${p.reservedHostCpus} reserved CPUs leave nothing of the ${h.threads} threads of ${p.hardware}`,
        );
      }
      if (h && p.reservedHostMemoryGiB >= h.memoryGiB) {
        f.error(
          "reservation-too-large",
          ["zones", zi, "pools", pi, "reservedHostMemoryGiB"],
          `${p.reservedHostMemoryGiB} GiB reserved leaves nothing of the ${h.memoryGiB} GiB of ${p.hardware}`,
        );
      }
      if (p.spareHosts >= p.hosts && p.hosts > 1) {
        f.error(
          "spare-hosts",
          ["zones", zi, "pools", pi, "spareHosts"],
          `${p.spareHosts} spare hosts leave no usable host of ${p.hosts}`,
        );
      }
    }),
  );
}

/** Tenant quotas must fit the pools they land on, after allocation ratios and N+1 headroom. */
function capacity(spec: Spec, f: Findings) {
  const hw = new Map(spec.hardware.map((h) => [h.name, hardwareModel(h)]));
  const pools = spec.zones.flatMap((z) => z.pools.map((p) => ({ zone: z.name, pool: p })));
  const capacityOf = (selector: string | undefined) => {
    let vcpus = 0;
    let ram = 0;
    for (const { zone, pool } of pools) {
      if (selector !== undefined && selector !== pool.name && selector !== `${zone}-${pool.name}`)
        continue;
      const h = hw.get(pool.hardware);
      if (!h) return undefined;
      const c = poolCapacity(pool, h);
      vcpus += c.usableVcpus + c.usableDedicatedCpus;
      ram += c.usableRamGiB;
    }
    return { vcpus, ram };
  };
  const groups = new Map<string, number[]>();
  spec.tenants.forEach((t, i) => {
    const key = t.pool ?? "";
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const [key, indexes] of groups) {
    const cap = capacityOf(key || undefined);
    if (!cap) continue;
    const where = key ? `pool ${key}` : "the cloud";
    let cores = 0;
    let ram = 0;
    for (const i of indexes) {
      const q = spec.tenants[i].quota;
      cores += q.cores ?? DEFAULTS.tenantQuota.cores;
      ram += q.ramGiB ?? DEFAULTS.tenantQuota.ramGiB;
    }
    const last = indexes[indexes.length - 1];
    if (cores > cap.vcpus) {
      f.error(
        "quota-exceeds-capacity",
        ["tenants", last, "quota", "cores"],
        `tenant core quotas on ${where} add up to ${cores}, but it offers ${cap.vcpus} vCPUs after allocation ratios and N+1 headroom`,
      );
    }
    if (ram > cap.ram) {
      f.error(
        "quota-exceeds-capacity",
        ["tenants", last, "quota", "ramGiB"],
        `tenant RAM quotas on ${where} add up to ${ram} GiB, but it offers ${cap.ram} GiB after allocation ratios and N+1 headroom`,
      );
    }
  }
}

function ceph(spec: Spec, f: Findings) {
  const c = spec.storage.ceph;
  if (!c) return;
  if ("replicated" in c.protection) {
    if (c.nodes < c.protection.replicated) {
      f.error(
        "ceph-replicas",
        ["storage", "ceph", "nodes"],
        `${c.nodes} OSD hosts cannot hold ${c.protection.replicated} replicas on separate hosts; add hosts or lower the replica size`,
      );
    }
  } else {
    const { k, m } = c.protection.erasureCoded;
    if (c.nodes < k + m) {
      f.error(
        "ceph-replicas",
        ["storage", "ceph", "nodes"],
        `${c.nodes} OSD hosts cannot hold erasure-coded chunks k=${k}+m=${m} on separate hosts; add hosts (at least ${k + m})`,
      );
    }
  }
  const share = c.pools.reduce((s, p) => s + p.dataShare, 0);
  if (share > 1.0001)
    f.error(
      "ceph-data-share",
      ["storage", "ceph", "pools"],
      `pool data shares add up to ${Math.round(share * 100) / 100}; they must not exceed 1`,
    );
}

function swift(spec: Spec, f: Findings) {
  const s = spec.storage.swift;
  if (!s) return;
  if (s.zones < s.replicas) {
    f.error(
      "swift-zones",
      ["storage", "swift", "zones"],
      `${s.zones} zones cannot hold ${s.replicas} replicas apart; use at least ${s.replicas} zones`,
    );
  }
  if (s.storageNodes < s.zones) {
    f.error(
      "swift-zones",
      ["storage", "swift", "storageNodes"],
      `${s.storageNodes} storage nodes cannot fill ${s.zones} zones`,
    );
  }
  const disks = s.storageNodes * s.disksPerNode;
  if (s.partitionPower !== undefined && disks > 2 ** s.partitionPower) {
    f.error(
      "swift-partition-power",
      ["storage", "swift", "partitionPower"],
      `${disks} disks exceed 2^${s.partitionPower} = ${2 ** s.partitionPower} partitions; raise the partition power to at least ${Math.ceil(Math.log2(disks))}`,
    );
  }
  s.policies.forEach((p, i) => {
    if (p.replicas !== undefined && p.replicas > s.zones) {
      f.error(
        "swift-zones",
        ["storage", "swift", "policies", i, "replicas"],
        `policy ${p.name} wants ${p.replicas} replicas over ${s.zones} zones`,
      );
    }
  });
}

function storageChoices(spec: Spec, f: Findings) {
  const st = spec.storage;
  if (st.image?.backend === "ceph" && !st.ceph)
    f.error(
      "storage-missing",
      ["storage", "image", "backend"],
      "the image backend is ceph but storage.ceph is not declared",
    );
  if (st.image?.backend === "swift" && !st.swift)
    f.error(
      "storage-missing",
      ["storage", "image", "backend"],
      "the image backend is swift but storage.swift is not declared",
    );
  if (st.ephemeral === "ceph" && !st.ceph)
    f.error(
      "storage-missing",
      ["storage", "ephemeral"],
      "ephemeral disks on ceph need storage.ceph",
    );
  st.backends.forEach((b, i) => {
    if (b.kind === "ceph" && !st.ceph)
      f.error(
        "storage-missing",
        ["storage", "backends", i, "kind"],
        `backend ${b.name} is ceph but storage.ceph is not declared`,
      );
    if (b.qos && Object.values(b.qos).every((v) => v === undefined))
      f.error(
        "qos-empty",
        ["storage", "backends", i, "qos"],
        `backend ${b.name} declares qos without a limit; set readIopsSec, writeIopsSec or totalBytesSec, or remove qos`,
      );
  });
  if (st.backup?.service === "swift" && !st.swift)
    f.error(
      "storage-missing",
      ["storage", "backup", "service"],
      "backups to swift need storage.swift",
    );
  if (st.backup?.service === "manila" && !spec.controlPlane.services.includes("manila")) {
    f.error(
      "service-missing",
      ["storage", "backup", "service"],
      "a manila file share needs the manila service in controlPlane.services",
    );
  }
  if (st.swift && !spec.controlPlane.services.includes("swift")) {
    f.error(
      "service-missing",
      ["controlPlane", "services"],
      "storage.swift is declared; enable the swift service",
    );
  }
  if (st.backends.length && !spec.controlPlane.services.includes("cinder")) {
    f.error(
      "service-missing",
      ["controlPlane", "services"],
      "volume backends are declared; enable the cinder service",
    );
  }
  if (
    spec.controlPlane.loadBalancer === "octavia" &&
    !spec.controlPlane.services.includes("octavia")
  ) {
    f.error(
      "service-missing",
      ["controlPlane", "loadBalancer"],
      "the octavia front end needs the octavia service in controlPlane.services",
    );
  }
}

function mtu(spec: Spec, f: Findings) {
  const under = spec.network.underlayMtu;
  spec.network.networks.forEach((n, i) => {
    if (n.mtu !== undefined && n.mtu > under) {
      f.error(
        "mtu-too-large",
        ["network", "networks", i, "mtu"],
        `network ${n.name} asks for MTU ${n.mtu}, above the underlay MTU ${under}`,
      );
    }
  });
  const overlay = under - ENCAP_OVERHEAD[spec.network.tenantNetworkType];
  spec.tenants.forEach((t, i) => {
    if (t.network?.mtu !== undefined && t.network.mtu > overlay) {
      f.error(
        "mtu-too-large",
        ["tenants", i, "network", "mtu"],
        `tenant ${t.name} asks for MTU ${t.network.mtu}, above the ${spec.network.tenantNetworkType} overlay MTU ${overlay} (${under} - ${ENCAP_OVERHEAD[spec.network.tenantNetworkType]})`,
      );
    }
  });
  if (overlay < 1280 && ["vxlan", "gre", "geneve"].includes(spec.network.tenantNetworkType)) {
    f.warn(
      "mtu-small",
      ["network", "underlayMtu"],
      `tenant networks get MTU ${overlay} (${under} - ${ENCAP_OVERHEAD[spec.network.tenantNetworkType]}), below IPv6's minimum 1280; raise the underlay MTU`,
    );
  }
}

function ntp(spec: Spec, f: Findings) {
  const n = spec.ntp;
  if (!n) {
    f.warn(
      "ntp-missing",
      ["ntp"],
      "no NTP servers declared; clocks will drift and Galera, Ceph and Keystone tokens depend on them",
    );
    return;
  }
  if (n.servers.length < DEFAULTS.ntpMinSources) {
    f.error(
      "ntp-sources",
      ["ntp", "servers"],
      `controllers need at least ${DEFAULTS.ntpMinSources} NTP sources; ${n.servers.length} declared`,
    );
  }
  if (n.clients === "controllers" && spec.controlPlane.controllers < DEFAULTS.ntpMinSources) {
    f.error(
      "ntp-sources",
      ["ntp", "clients"],
      `nodes syncing from ${spec.controlPlane.controllers} controller get fewer than ${DEFAULTS.ntpMinSources} sources; set clients: servers`,
    );
  }
  duplicates(
    n.servers,
    (s) => s,
    f,
    (i) => ["ntp", "servers", i],
    "NTP server",
  );
}

function legacy(spec: Spec, f: Findings) {
  const l = spec.legacyUnix;
  if (!l) return;
  // The routes go through nextHop, so every legacy subnet has its IP version.
  const hopVersion = l.nextHop.includes(":") ? 6 : 4;
  l.subnets.forEach((s, i) => {
    const version = s.includes(":") ? 6 : 4;
    if (version !== hopVersion)
      f.error(
        "legacy-ip-version",
        ["legacyUnix", "subnets", i],
        `IPv${version} subnet ${s} cannot be routed through the IPv${hopVersion} next hop ${l.nextHop}; list subnets of one IP version`,
      );
  });
  const ni = spec.network.networks.findIndex((n) => n.name === l.network);
  // VPNaaS wants every endpoint of a connection, the local subnet and the peer CIDRs, in one IP
  // version: the bridge network's when it is known, else the first peer CIDR's.
  if (l.vpn) {
    const bridge = ni >= 0 ? spec.network.networks[ni].cidr : undefined;
    const reference = bridge ?? l.vpn.peerCidrs[0];
    const expected = reference.includes(":") ? 6 : 4;
    l.vpn.peerCidrs.forEach((c, i) => {
      const version = c.includes(":") ? 6 : 4;
      if (version !== expected)
        f.error(
          "legacy-ip-version",
          ["legacyUnix", "vpn", "peerCidrs", i],
          `IPv${version} peer CIDR ${c}, but the ${bridge ? `local subnet ${bridge}` : `first peer CIDR ${reference}`} is IPv${expected}; VPNaaS needs every endpoint of a connection in one IP version`,
        );
    });
  }
  if (ni < 0) return;
  const net = spec.network.networks[ni];
  if (net.role !== "provider")
    f.error(
      "legacy-network-role",
      ["legacyUnix", "network"],
      `the legacy bridge network ${net.name} must have role provider (a VLAN that reaches the UNIX systems), not ${net.role}`,
    );
  if (net.vlan === undefined)
    f.warn(
      "legacy-network-vlan",
      ["network", "networks", ni, "vlan"],
      `the legacy bridge network ${net.name} has no VLAN; it will be a flat network`,
    );
  try {
    const c = parseCidr(net.cidr);
    if (!contains(c, l.nextHop))
      f.error(
        "address-outside-network",
        ["legacyUnix", "nextHop"],
        `next hop ${l.nextHop} is outside the bridge network ${net.name} (${net.cidr})`,
      );
    // The cloud's legacy router takes the bridge subnet's gateway address for its interface.
    const gateway =
      net.gateway ??
      (ROLES_WITH_DEFAULT_GATEWAY.has(net.role)
        ? bigIntToAddress(c.first + (c.version === 4 && c.prefix >= 31 ? 0n : 1n), c.version)
        : undefined);
    if (gateway !== undefined && addressToBigInt(gateway) === addressToBigInt(l.nextHop))
      f.error(
        "legacy-next-hop",
        ["legacyUnix", "nextHop"],
        `next hop ${l.nextHop} is the gateway of the bridge network ${net.name}, which the cloud's legacy router takes; set nextHop to the legacy side's router`,
      );
  } catch {
    /* reported by the CIDR rule */
  }
  if (l.vpn && !spec.network.networks.some((n) => n.role === "external"))
    f.error(
      "network-missing",
      ["legacyUnix", "vpn"],
      "the legacy VPN runs on a router with an external gateway; declare a network with role external",
    );
  const subnets = l.subnets.flatMap((s) => {
    try {
      return [parseCidr(s)];
    } catch {
      return [];
    }
  });
  l.systems.forEach((s, i) => {
    if (!subnets.some((c) => contains(c, s.address))) {
      f.error(
        "address-outside-network",
        ["legacyUnix", "systems", i, "address"],
        `${s.name} at ${s.address} is outside the legacy subnets ${l.subnets.join(", ")}`,
      );
    }
  });
}

/** The broadest admin or SSH source that is still a network someone owns: /8 or /16. */
const BROADEST_ADMIN_PREFIX = { 4: 8, 6: 16 } as const;

/** Why a CIDR is too broad an admin source, or undefined when it is narrow enough. */
function tooBroad(c: string, what: string): string | undefined {
  let block: Cidr;
  try {
    block = parseCidr(c);
  } catch {
    return undefined;
  }
  if (block.prefix === 0) return `${c} opens ${what} to the whole internet`;
  const broadest = BROADEST_ADMIN_PREFIX[block.version];
  if (block.prefix < broadest)
    return `${c} opens ${what} to a large part of the internet (broader than /${broadest})`;
  return undefined;
}

function leastPrivilege(spec: Spec, f: Findings) {
  spec.securityZones.adminCidrs.forEach((c, i) => {
    const broad = tooBroad(c, "management ports");
    if (broad)
      f.error(
        "admin-cidr-open",
        ["securityZones", "adminCidrs", i],
        `${broad}; list the admin networks`,
      );
  });
  spec.tenants.forEach((t, ti) =>
    t.sshCidrs.forEach((c, i) => {
      const broad = tooBroad(c, "SSH");
      if (broad)
        f.error(
          "ssh-cidr-open",
          ["tenants", ti, "sshCidrs", i],
          `${broad}; list the admin or bastion networks`,
        );
    }),
  );
  // Neutron refuses a second identical security group rule, however the CIDR is written.
  for (const list of ["adminCidrs", "userCidrs"] as const)
    duplicates(spec.securityZones[list], cidrKey, f, (i) => ["securityZones", list, i], "CIDR", {
      code: "duplicate-cidr",
      show: (c) => c,
    });
  spec.storage.swift?.containers.forEach((c, i) => {
    if (
      !c.public &&
      (c.readers.some((r) => r.startsWith(".r:")) || c.writers.some((w) => w.startsWith(".r:")))
    ) {
      f.error(
        "container-public-acl",
        ["storage", "swift", "containers", i, "readers"],
        `container ${c.name} grants a referrer ACL (.r:) without public: true`,
      );
    }
  });
}
