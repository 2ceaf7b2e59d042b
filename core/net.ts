import { Address4, Address6 } from "ip-address";
import { ROLES_WITH_DEFAULT_GATEWAY } from "./defaults";

/** A parsed CIDR block with its bounds as integers, for overlap and allocation math. */
export interface Cidr {
  readonly text: string;
  readonly version: 4 | 6;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
  /** True when the text had host bits set (10.0.0.7/24). */
  readonly hostBitsSet: boolean;
}

/** Dotted-quad IPv4 with an optional prefix, octets without leading zeros: the common case. */
const PLAIN_V4 =
  /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(?:\/(0|[1-9]\d?))?$/;

/** An IPv4 address (and prefix) as integers without the general parser, or undefined. */
function plainV4(text: string): { value: number; prefix: number } | undefined {
  const m = PLAIN_V4.exec(text);
  if (!m) return undefined;
  const octets = [m[1], m[2], m[3], m[4]].map(Number);
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { value: ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3], prefix };
}

export function parseCidr(text: string): Cidr {
  // Specs hold thousands of IPv4 blocks; ip-address parses each through BigInt and regexes.
  const plain = plainV4(text);
  if (plain) {
    const size = 2 ** (32 - plain.prefix);
    const first = Math.floor(plain.value / size) * size;
    return {
      text,
      version: 4,
      prefix: plain.prefix,
      first: BigInt(first),
      last: BigInt(first + size - 1),
      hostBitsSet: plain.value !== first,
    };
  }
  const v4 = text.includes(":") ? undefined : new Address4(text);
  const addr = v4 ?? new Address6(text);
  const first = addr.startAddress().bigInt();
  const last = addr.endAddress().bigInt();
  return {
    text,
    version: v4 ? 4 : 6,
    prefix: addr.subnetMask,
    first,
    last,
    hostBitsSet: addressToBigInt(addr.addressMinusSuffix ?? text.split("/")[0]) !== first,
  };
}

export function isValidCidr(text: string): boolean {
  return Address4.isValid(text) || Address6.isValid(text);
}

export function addressToBigInt(address: string): bigint {
  const plain = address.includes("/") ? undefined : plainV4(address);
  if (plain) return BigInt(plain.value);
  return address.includes(":") ? new Address6(address).bigInt() : new Address4(address).bigInt();
}

export function bigIntToAddress(value: bigint, version: 4 | 6): string {
  if (version === 4 && value >= 0n && value <= 0xffffffffn) {
    const n = Number(value);
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
  }
  return version === 4 ? Address4.fromBigInt(value).address : ipv6Text(value);
}

/**
 * IPv6 text as Neutron returns it: netaddr formats with the C library's inet_ntop, which
 * compresses the longest run of zero groups (the first of equals, two groups or more) and writes
 * IPv4-mapped (::ffff:0:0/96) and IPv4-compatible addresses with a dotted tail.
 */
function ipv6Text(value: bigint): string {
  const words = Array.from({ length: 8 }, (_, i) =>
    Number((value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  if (best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
    const v4 = [words[6] >> 8, words[6] & 255, words[7] >> 8, words[7] & 255].join(".");
    return best.len === 6 ? `::${v4}` : `::ffff:${v4}`;
  }
  if (best.base < 0) return words.map((w) => w.toString(16)).join(":");
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  return `${hex(words.slice(0, best.base))}::${hex(words.slice(best.base + best.len))}`;
}

/**
 * A block as Neutron stores and returns it (netaddr's `str`): the network address, IPv6 in lower
 * case and compressed, the prefix without leading zeros.
 */
export function formatCidr(c: Cidr): string {
  return `${bigIntToAddress(c.first, c.version)}/${c.prefix}`;
}

/** CIDR text in the form Neutron stores (see formatCidr). */
export const canonicalCidr = (text: string): string => formatCidr(parseCidr(text));

/** An address as Neutron returns it (IPv6 lower case and compressed). */
export const canonicalAddress = (text: string): string =>
  bigIntToAddress(addressToBigInt(text), text.includes(":") ? 6 : 4);

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** Whether block `inner` lies wholly inside block `outer` (of the same IP version). */
export function within(inner: Cidr, outer: Cidr): boolean {
  return inner.version === outer.version && inner.first >= outer.first && inner.last <= outer.last;
}

export function contains(block: Cidr, address: string): boolean {
  if (address.includes(":") !== (block.version === 6)) return false;
  const value = addressToBigInt(address);
  return value >= block.first && value <= block.last;
}

/** The network-th address of a block: offset 1 is the first host of an IPv4 subnet. */
export function addressAt(block: Cidr, offset: number | bigint): string {
  return bigIntToAddress(block.first + BigInt(offset), block.version);
}

/** Offset of an address from the start of its block. */
export function offsetOf(block: Cidr, address: string): bigint {
  return addressToBigInt(address) - block.first;
}

/** Usable host addresses: IPv4 loses network and broadcast (except /31 and /32). */
export function hostCount(block: Cidr): bigint {
  const size = block.last - block.first + 1n;
  if (block.version === 6) return size - 1n;
  return block.prefix >= 31 ? size : size - 2n;
}

/** Last usable host offset of a block. */
export function lastHostOffset(block: Cidr): bigint {
  const size = block.last - block.first + 1n;
  if (block.version === 4 && block.prefix < 31) return size - 2n;
  return size - 1n;
}

/** Offset of the first host: 1, except on IPv4 /31 and /32 where every address is a host. */
export function firstHostOffset(block: Cidr): bigint {
  return block.version === 4 && block.prefix >= 31 ? 0n : 1n;
}

/**
 * A subnet's gateway: the declared one, else the first host when the role routes by default
 * (external, provider, management) or when Kolla-Ansible puts a router on it (an IPv6 octavia
 * network: its router announces the prefix to the amphorae, and Neutron plugs a router only
 * into a subnet with a gateway). The one place this default is decided.
 */
export function subnetGateway(block: Cidr, role: string, declared?: string): string | undefined {
  if (declared !== undefined) return declared;
  return ROLES_WITH_DEFAULT_GATEWAY.has(role) || (role === "octavia" && block.version === 6)
    ? addressAt(block, firstHostOffset(block))
    : undefined;
}

/**
 * IPv6 ranges that carry IPv4 addresses (RFC 4291 mapped and compatible, RFC 6052/8215 NAT64,
 * RFC 3056 6to4), with the bit where the embedded IPv4 address starts. For the local-use NAT64
 * prefix the /96 layout is assumed, the broadest reading.
 */
const IPV4_CARRIERS: readonly { readonly range: string; readonly v4Start: number }[] = [
  { range: "::ffff:0:0/96", v4Start: 96 },
  { range: "::/96", v4Start: 96 },
  { range: "64:ff9b::/96", v4Start: 96 },
  { range: "64:ff9b:1::/48", v4Start: 96 },
  { range: "2002::/16", v4Start: 16 },
];

/**
 * The IPv4 breadth of an IPv6 block that reaches into a range carrying IPv4 addresses: the
 * carrier range and the IPv4 prefix length the block amounts to (0 = every IPv4 address).
 */
export function embeddedIpv4(
  block: Cidr,
): { readonly range: string; readonly prefix: number } | undefined {
  if (block.version !== 6) return undefined;
  let broadest: { range: string; prefix: number } | undefined;
  for (const { range, v4Start } of IPV4_CARRIERS) {
    const carrier = parseCidr(range);
    if (!overlaps(block, carrier)) continue;
    const prefix =
      block.prefix <= carrier.prefix ? 0 : Math.min(32, Math.max(0, block.prefix - v4Start));
    if (!broadest || prefix < broadest.prefix) broadest = { range, prefix };
  }
  return broadest;
}

/** A host (address or name) as a URL or `host:port` writes it: IPv6 addresses in brackets. */
/** The addresses of one IP version: a subnet takes DNS servers of its own version only. */
export const ofVersion = (addresses: readonly string[], version: 4 | 6): string[] =>
  addresses.filter((a) => (a.includes(":") ? 6 : 4) === version).map(canonicalAddress);

export const urlHost = (host: string): string => (host.includes(":") ? `[${host}]` : host);

/** The servers of Keystone's LDAP `url`, which may list several separated by commas. */
export const ldapUrls = (url: string): string[] => url.split(",").map((u) => u.trim());

/** Private and shared address space (RFC 1918, RFC 6598, IPv6 unique local): not the internet. */
const PRIVATE_BLOCKS = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "fc00::/7",
].map((text) => parseCidr(text));

export function isPrivateAddress(address: string): boolean {
  return PRIVATE_BLOCKS.some((b) => contains(b, address));
}

/** The broadest admin or SSH source that is still a network someone owns: /8 or /16. */
const BROADEST_ADMIN_PREFIX = { 4: 8, 6: 16 } as const;

/** Why a CIDR is too broad a source of admin or sensitive traffic, or undefined when narrow enough. */
export function tooBroad(c: string, what: string): string | undefined {
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
  // IPv6 ranges that carry IPv4 addresses count as the IPv4 range they embed.
  const v4 = embeddedIpv4(block);
  if (v4 && v4.prefix < BROADEST_ADMIN_PREFIX[4])
    return `${c} opens ${what} to ${v4.prefix === 0 ? "every IPv4 address" : `an IPv4 /${v4.prefix}`} through ${v4.range}`;
  return undefined;
}

/**
 * The range of a network Neutron hands out whole: the external network's floating IPs, or a
 * provider network's allocation range, with the spec key and the words that name it.
 */
export function handedOutRange(n: {
  readonly floatingIpRange?: { readonly start: string; readonly end: string };
  readonly allocationRange?: { readonly start: string; readonly end: string };
}):
  | {
      readonly start: string;
      readonly end: string;
      readonly key: "floatingIpRange" | "allocationRange";
      readonly words: string;
    }
  | undefined {
  if (n.floatingIpRange)
    return { ...n.floatingIpRange, key: "floatingIpRange", words: "floating IP range" };
  if (n.allocationRange)
    return { ...n.allocationRange, key: "allocationRange", words: "allocation range" };
  return undefined;
}
