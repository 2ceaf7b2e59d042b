import { NETWORK_ROLES, type Spec } from "../schema";
import { isIP } from "net";
import {
  addressToBigInt,
  contains,
  isValidCidr,
  ldapUrls,
  overlaps,
  parseCidr,
  subnetGateway,
  type Cidr,
  handedOutRange,
} from "../../core/net";
import { type Path, Findings, duplicates } from "./findings";
import { cidrKey, parsed, hostAddress, inRange } from "./private/helpers";

/** Address ranges with a meaning of their own (RFC 6890), never a network of the design. */
const RESERVED = [
  ["0.0.0.0/8", '"this network"'],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local (Nova's metadata service answers at 169.254.169.254)"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved (and the limited broadcast 255.255.255.255)"],
  ["::/127", "the unspecified and loopback addresses"],
  ["fe80::/10", "link-local"],
  ["ff00::/8", "multicast"],
].map(([text, what]) => ({ cidr: parseCidr(text), what }));

interface Block {
  cidr: Cidr;
  path: Path;
  label: string;
}

export function cidrs(spec: Spec, f: Findings) {
  const blocks: Block[] = [];
  spec.network.networks.forEach((n, i) => {
    const path = ["network", "networks", i, "cidr"];
    const c = parsed(n.cidr, path, f);
    if (!c) return;
    blocks.push({ cidr: c, path, label: `network ${n.name}` });
    if (n.gateway) hostAddress(c, n.gateway, ["network", "networks", i, "gateway"], "gateway", f);
    if (n.allocationRange && n.role !== "provider")
      f.error(
        "allocation-range-role",
        ["network", "networks", i, "allocationRange"],
        `only a provider network has an allocation range (Neutron hands the external network's floating IPs from floatingIpRange); ${n.name} is ${n.role}`,
      );
    if (n.dhcp !== undefined && n.role !== "provider")
      f.error(
        "dhcp-role",
        ["network", "networks", i, "dhcp"],
        `only a provider network's DHCP is the design's to turn off; ${n.name} is ${n.role}`,
      );
    const range = handedOutRange(n);
    if (range) {
      const base: Path = ["network", "networks", i, range.key];
      if (range.key === "floatingIpRange" && n.role !== "external")
        f.error(
          "floating-range-role",
          base,
          `only the external network has a floating-IP range; ${n.name} is ${n.role}`,
        );
      hostAddress(c, range.start, [...base, "start"], `${range.words} start`, f);
      hostAddress(c, range.end, [...base, "end"], `${range.words} end`, f);
      if (addressToBigInt(range.start) > addressToBigInt(range.end)) {
        f.error("floating-range-order", base, `start ${range.start} is after end ${range.end}`);
      }
      // The gateway Neutron's subnet takes, the network's first host unless one is declared:
      // Neutron refuses an allocation pool holding it (GatewayConflictWithAllocationPools).
      const gateway = subnetGateway(c, n.role, n.gateway);
      if (gateway && inRange(gateway, range)) {
        f.error(
          "floating-range-gateway",
          base,
          n.gateway
            ? `the ${range.words} contains the gateway ${gateway}`
            : `the ${range.words} contains the gateway ${gateway}, the network's first host, which its subnet takes when no gateway is given; start the range after it, or set the network's gateway`,
        );
      }
    }
  });
  if (spec.network.supernet) {
    const sn = parsed(spec.network.supernet, ["network", "supernet"], f);
    if (sn) {
      spec.network.networks.forEach((n, i) => {
        const b = blocks.find((x) => x.path[2] === i);
        // A supernet summarises the networks of its IP version (an IPv6 amphora network beside
        // an IPv4 supernet is outside its scope).
        if (
          b &&
          n.role !== "external" &&
          b.cidr.version === sn.version &&
          !(b.cidr.first >= sn.first && b.cidr.last <= sn.last)
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
      "a subnet pool holds prefixes of one IP version, and the design has one tenant subnet pool: keep the IPv4 prefixes or the IPv6 ones",
    );
  }
  spec.network.tenantSubnetPool?.prefixes.forEach((p, i) => {
    const path = ["network", "tenantSubnetPool", "prefixes", i];
    const c = parsed(p, path, f);
    if (c) blocks.push({ cidr: c, path, label: "tenant subnet pool" });
  });
  // Ranges no host route or Neutron subnet takes (Neutron refuses loopback and multicast subnets
  // with DHCP, and loopback routes; 169.254/16 and fe80::/10 are the hosts' and the metadata
  // service's own).
  for (const b of blocks) {
    const reserved = RESERVED.find((r) => overlaps(r.cidr, b.cidr));
    if (reserved)
      f.error(
        "cidr-reserved",
        b.path,
        `${b.cidr.text} (${b.label}) overlaps ${reserved.cidr.text}, ${reserved.what}, which no host network, route or Neutron subnet can use; choose another block`,
      );
  }
  // Overlaps: sort by start so the check stays O(n log n) for large estates.
  // Wider blocks first on equal starts, so a block inside another is seen after it.
  const order = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
  // (and the subnet pool before a tenant network of its very range, which it may hand out)
  const poolFirst = (b: Block) => (b.label === "tenant subnet pool" ? 0 : 1);
  const sorted = [...blocks].sort(
    (a, b) =>
      order(a.cidr.first, b.cidr.first) ||
      order(b.cidr.last, a.cidr.last) ||
      poolFirst(a) - poolFirst(b),
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
  // The VPN's remote subnets become host routes of the bridge subnet and the tunnel's peer
  // endpoints: Neutron refuses a route to a reserved range, and one over the cloud's own blocks
  // would send their traffic into the tunnel (the legacy subnets and the bridge are legacy.ts's).
  const bridge = spec.network.networks.findIndex((n) => n.name === spec.legacyUnix?.network);
  spec.legacyUnix?.vpn?.peerCidrs.forEach((text, i) => {
    const path = ["legacyUnix", "vpn", "peerCidrs", i];
    let peer: Cidr;
    try {
      peer = parseCidr(text);
    } catch {
      return; // (legacy.ts names it)
    }
    const reserved = RESERVED.find((r) => overlaps(r.cidr, peer));
    if (reserved) {
      f.error(
        "cidr-reserved",
        path,
        `${peer.text} (VPN peer) overlaps ${reserved.cidr.text}, ${reserved.what}, which no host network, route or Neutron subnet can use; list the remote site's own subnets`,
      );
      return;
    }
    const clash = blocks.find(
      (b) =>
        b.label !== "legacy subnet" &&
        !(b.path[0] === "network" && b.path[2] === bridge) &&
        overlaps(b.cidr, peer),
    );
    if (clash)
      f.error(
        "legacy-vpn-peer-overlap",
        path,
        `peer CIDR ${text} overlaps ${clash.cidr.text} (${clash.label}): the bridge's ports would send its traffic into the tunnel; list the remote site's own subnets`,
      );
  });
  // The external VIP is IPv4 (controlPlane.vips.external), and Neutron's floating IPs are IPv4.
  spec.network.networks.forEach((n, i) => {
    const b = blocks.find((x) => x.path[2] === i);
    if (n.role === "external" && b?.cidr.version === 6)
      f.error(
        "external-network-ipv6",
        ["network", "networks", i, "cidr"],
        `external network ${n.name} is IPv6: the external VIP and Neutron's floating IPs are IPv4; give it an IPv4 block, and IPv6 tenants a provider network or a routed prefix of their own`,
      );
  });
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

/** The subnet pool's default prefix length must fit inside its prefixes and leave room for hosts. */
export function subnetPool(spec: Spec, f: Findings) {
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
  // Neutron's IPv6 pools hand out /64 at the shortest unless told (subnet_alloc's
  // default_min_prefixlen), and refuse to be created with a shorter default.
  else if (version === 6 && length < 64)
    f.error(
      "subnet-pool-prefix-length",
      path,
      `/${length} is too short for IPv6 tenant subnets: Neutron's pools hand out /64 at the shortest, and SLAAC needs a /64; use /64`,
    );
}

/**
 * The enterprise's servers given by address (DNS, time, directory): none in a reserved range
 * (loopback, unspecified, link-local, multicast), which no host reaches as a server or routes to.
 */
export function serviceAddresses(spec: Spec, f: Findings) {
  /** `own`: a tenant's network, whose edges its own DNS servers cannot take either. */
  const check = (address: string, path: Path, what: string, own: readonly Edge[] = []) => {
    const bare = address.replace(/^\[(.*)\]$/, "$1");
    if (isIP(bare) === 0) return;
    const reserved = RESERVED.find((r) => contains(r.cidr, bare));
    if (reserved)
      f.error(
        "address-reserved",
        path,
        `${what} ${bare} is in ${reserved.cidr.text}, ${reserved.what}: no host reaches a server there; give the server's own address`,
      );
    // An IPv4 network of the design's own, whose first and last addresses no server holds.
    const value = isIP(bare) === 4 ? addressToBigInt(bare) : undefined;
    const edge = [...ipv4Networks, ...own].find(
      (n) => n.cidr.prefix < 31 && (n.cidr.first === value || n.cidr.last === value),
    );
    if (edge)
      f.error(
        "address-reserved",
        path,
        `${what} ${bare} is the ${edge.cidr.first === value ? "network" : "broadcast"} address of ${edge.name} (${edge.cidr.text}), which no server holds; give the server's own address`,
      );
  };
  type Edge = { readonly name: string; readonly cidr: Cidr };
  const ipv4 = (name: string, text: string): Edge[] => {
    const cidr = parseCidr(text);
    return cidr.version === 4 ? [{ name, cidr }] : [];
  };
  // The hosts' networks; a tenant's subnet is an overlay of its own, which concerns its servers only.
  const ipv4Networks = spec.network.networks.flatMap((n) => ipv4(`network ${n.name}`, n.cidr));
  spec.network.dnsServers.forEach((a, i) => check(a, ["network", "dnsServers", i], "DNS server"));
  spec.tenants.forEach((t, ti) => {
    const own = t.network?.cidr ? ipv4(`tenant ${t.name}'s network`, t.network.cidr) : [];
    t.network?.dnsServers?.forEach((a, i) =>
      check(a, ["tenants", ti, "network", "dnsServers", i], "DNS server", own),
    );
  });
  spec.ntp?.servers.forEach((a, i) => check(a, ["ntp", "servers", i], "time server"));
  // The legacy side: its router, its systems (in its subnets) and its VPN gateway.
  const legacy = spec.legacyUnix;
  if (legacy) {
    check(legacy.nextHop, ["legacyUnix", "nextHop"], "next hop");
    const subnets = legacy.subnets.flatMap((c) =>
      isValidCidr(c) ? ipv4("a legacy subnet", c) : [],
    );
    legacy.systems.forEach((sys, i) =>
      check(sys.address, ["legacyUnix", "systems", i, "address"], "legacy system", subnets),
    );
    if (legacy.vpn)
      check(legacy.vpn.peerAddress, ["legacyUnix", "vpn", "peerAddress"], "the VPN's peer");
  }
  spec.identity.domains.forEach((d, i) => {
    if (!d.ldap) return;
    for (const url of ldapUrls(d.ldap.url)) {
      let host: string;
      try {
        host = new URL(url).hostname;
      } catch {
        continue; // the URL rule names it
      }
      check(host, ["identity", "domains", i, "ldap", "url"], "directory server");
    }
  });
}

/**
 * A tenant subnet holding an address its instances must reach beyond their router: the packet
 * stays on the subnet (ARP for an address no instance holds) and never leaves by the router.
 */
export function tenantSubnetsShadowing(spec: Spec, f: Findings) {
  const admins = spec.securityZones?.adminCidrs ?? [];
  spec.tenants.forEach((t, ti) => {
    if (!t.network?.cidr) return;
    let subnet: Cidr;
    try {
      subnet = parseCidr(t.network.cidr);
    } catch {
      return; // the CIDR rule names it
    }
    const path = ["tenants", ti, "network", "cidr"];
    // The platform's DNS servers, unless the tenant names its own (which may be its instances).
    if (!t.network.dnsServers) {
      const inside = spec.network.dnsServers.filter((a) => isIP(a) && contains(subnet, a));
      // A warning: the server may be one of the tenant's own instances (a directory's DNS).
      if (inside.length)
        f.warn(
          "tenant-subnet-dns",
          path,
          `tenant ${t.name}'s subnet ${subnet.text} holds the DNS server${inside.length > 1 ? "s" : ""} ${inside.join(", ")} its instances are given: they look for ${inside.length > 1 ? "them" : "it"} on their own subnet, never through the router, and resolve no name unless ${inside.length > 1 ? "those are" : "that is"} one of its own instances; choose another block, or give the tenant its own dnsServers`,
        );
    }
    // Administrators inside the subnet: instances answer them on the subnet, not by the router.
    admins.forEach((a, ai) => {
      let admin: Cidr;
      try {
        admin = parseCidr(a);
      } catch {
        return;
      }
      // (a subnet inside a wide admin range takes addresses no administrator is likely to have)
      if (
        admin.version !== subnet.version ||
        admin.first < subnet.first ||
        admin.last > subnet.last
      )
        return;
      f.warn(
        "tenant-subnet-admins",
        path,
        `tenant ${t.name}'s subnet ${subnet.text} holds the administrators' network ${admin.text} (securityZones.adminCidrs[${ai}]): its instances answer those addresses on their own subnet, so administrators there reach none of them, not even by floating IP; choose another block`,
      );
    });
  });
}

/**
 * The enterprise's networks hosts route by the management gateway: its own, never a design
 * network (reached on its link) or the whole address space (the default route's).
 */
export function enterpriseCidrs(spec: Spec, f: Findings) {
  const management = spec.network.networks.find((n) => n.role === "management");
  const family =
    management && isValidCidr(management.cidr)
      ? { name: management.name, version: parseCidr(management.cidr).version }
      : undefined;

  spec.network.enterpriseCidrs.forEach((text, i) => {
    const path: Path = ["network", "enterpriseCidrs", i];
    const c = parsed(text, path, f);
    if (!c) return;
    if (c.prefix === 0) {
      f.error(
        "enterprise-cidr-default",
        path,
        `${c.text} is every address: hosts would send all traffic by the management gateway; list the enterprise's own networks`,
      );
      return;
    }
    const reserved = RESERVED.find((r) => overlaps(r.cidr, c));
    if (reserved)
      f.error(
        "cidr-reserved",
        path,
        `${c.text} (enterprise network) overlaps ${reserved.cidr.text}, ${reserved.what}, which no host network, route or Neutron subnet can use; list the enterprise's own networks`,
      );
    const inside = spec.network.networks.find((n) => {
      const own = isValidCidr(n.cidr) ? parseCidr(n.cidr) : undefined;
      return own?.version === c.version && own.first <= c.first && c.last <= own.last;
    });
    if (inside)
      f.error(
        "enterprise-cidr-inside",
        path,
        `enterprise network ${c.text} is inside network ${inside.name} (${inside.cidr}), which hosts reach on its own link; list the enterprise's networks outside the design's`,
      );
    if (family && family.version !== c.version)
      f.error(
        "enterprise-cidr-family",
        path,
        `enterprise network ${c.text} is IPv${c.version}, and the management network ${family.name} IPv${family.version}: its gateway routes none of it; list IPv${family.version} networks`,
      );
  });
  duplicates(
    spec.network.enterpriseCidrs,
    cidrKey,
    f,
    (i) => ["network", "enterpriseCidrs", i],
    "enterprise network",
    { code: "duplicate-cidr", show: (c) => c },
  );
}
