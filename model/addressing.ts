import { isIP } from "net";
import type { NetworkSpec, Spec } from "../spec/schema";
import type { SpecIssue } from "../core/errors";
import { DEFAULTS } from "../core/defaults";
import {
  addressAt,
  addressToBigInt,
  bigIntToAddress,
  canonicalAddress,
  contains,
  hostCount,
  lastHostOffset,
  offsetOf,
  parseCidr,
  subnetGateway,
  firstHostOffset,
  ldapUrls,
  type Cidr,
  handedOutRange,
} from "../core/net";
import { hostAndPort } from "./identity";
import type { AddressReservation } from "./types";

/** Usable addresses are counted up to a billion: an IPv6 /64 holds 2^64, past any plan. */
export const MAX_COUNTED_ADDRESSES = 1_000_000_000;
const MAX_COUNTED = BigInt(MAX_COUNTED_ADDRESSES);

export interface NetworkAllocation {
  readonly gateway?: string;
  readonly reservations: AddressReservation[];
  readonly addresses: Map<string, string>;
  readonly allocationPool?: { start: string; end: string };
  readonly usable: number;
}

/**
 * Deterministic allocation on one subnet: the gateway and VIPs are reserved first, the
 * floating-IP range is kept out, then each member gets the next free host address from
 * offset 11 upwards (wrapping to the low offsets when the subnet is small). Members with a
 * fixed address (hosts that already exist) keep it and nobody else gets it.
 */
export function allocateNetwork(
  net: NetworkSpec,
  path: readonly (string | number)[],
  members: readonly string[],
  vips: readonly { name: string; address: string }[],
  issues: SpecIssue[],
  fixed: ReadonlyMap<string, string> = new Map(),
  /** Addresses other systems hold on this subnet (the legacy router), kept out of every pool. */
  held: readonly AddressReservation[] = [],
): NetworkAllocation {
  const block = parseCidr(net.cidr);
  const last = lastHostOffset(block);
  const taken = new Set<bigint>();
  const reservations: AddressReservation[] = [];
  const firstHost = firstHostOffset(block);
  const declared = subnetGateway(block, net.role, net.gateway);
  const gateway = declared === undefined ? undefined : canonicalAddress(declared);
  if (gateway) {
    taken.add(offsetOf(block, gateway));
    reservations.push({ address: gateway, purpose: "gateway", kind: "gateway" });
  }
  for (const vip of vips) {
    taken.add(offsetOf(block, vip.address));
    reservations.push({
      address: vip.address,
      purpose: `${vip.name} VIP`,
      kind: vip.name === "external" ? "vip-external" : "vip-internal",
    });
  }
  const range = handedOutRange(net);
  const floating = range ? floatingOffsets(block, range) : undefined;
  const inFloating = (o: bigint) => floating !== undefined && o >= floating[0] && o <= floating[1];
  // A member pinned at a held address is what holds it (a host that is the DNS server).
  const pinned = new Set([...fixed.values()].map((a) => offsetOf(block, a)));
  for (const h of held) {
    if (!contains(block, h.address)) continue;
    const offset = offsetOf(block, h.address);
    if (taken.has(offset) || pinned.has(offset)) continue;
    // Neutron hands out every address of the floating range, a server's too.
    if (inFloating(offset))
      issues.push({
        code: "address-in-floating-range",
        path: [...path, range?.key ?? "floatingIpRange"],
        severity: "error",
        message: `${h.address} (${h.purpose}) lies in ${net.name}'s ${range?.words} ${range?.start}-${range?.end}, which Neutron hands out whole; move the range off it`,
      });
    taken.add(offset);
    reservations.push(h);
  }

  const addresses = new Map<string, string>();
  for (const member of members) {
    const address = fixed.get(member);
    if (address === undefined) continue;
    taken.add(offsetOf(block, address));
    addresses.set(member, address);
  }
  let highestAllocated = -1n;
  const start = BigInt(Math.min(DEFAULTS.firstNodeOffset, Number(last)));
  let cursor = start;
  let wrapped = false;
  for (const member of members) {
    if (addresses.has(member)) continue;
    while (cursor <= last && (taken.has(cursor) || inFloating(cursor) || cursor < firstHost))
      cursor++;
    if (cursor > last && !wrapped) {
      wrapped = true;
      cursor = firstHost;
      while (cursor < start && (taken.has(cursor) || inFloating(cursor))) cursor++;
    }
    if (cursor > last || (wrapped && cursor >= start)) {
      const free =
        Number(hostCount(block)) -
        reservations.length -
        (floating ? Number(floating[1] - floating[0] + 1n) : 0);
      issues.push({
        code: "subnet-too-small",
        path: [...path, "cidr"],
        severity: "error",
        message: `${net.cidr} has ${Math.max(0, free)} free host addresses after the gateway, VIPs and floating range, but ${members.length} nodes join network ${net.name}; use a larger prefix`,
      });
      break;
    }
    taken.add(cursor);
    if (cursor > highestAllocated) highestAllocated = cursor;
    addresses.set(member, addressAt(block, cursor));
    cursor++;
  }

  let allocationPool: { start: string; end: string } | undefined;
  if (range) {
    allocationPool = {
      start: canonicalAddress(range.start),
      end: canonicalAddress(range.end),
    };
  } else {
    // Neutron's DHCP pool takes the longest free run above the hosts' addresses; with a host
    // pinned at the top, above those given out from offset 11; in a subnet they fill to the
    // top, below them. No host address or reserved one (VIP, the legacy router) is handed out.
    const sorted = [...taken].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const longestFrom = (from: bigint) => {
      let run: [bigint, bigint] | undefined;
      let runStart = from;
      for (const end of [...sorted.filter((o) => o >= from && o <= last), last + 1n]) {
        if (end > runStart && (!run || end - 1n - runStart > run[1] - run[0]))
          run = [runStart, end - 1n];
        runStart = end + 1n;
      }
      return run;
    };
    const hosts = [...addresses.values()].map((a) => offsetOf(block, a));
    const highest = hosts.reduce((m, o) => (o > m ? o : m), -1n);
    const above = (o: bigint) => (o >= start ? o + 1n : start);
    const best =
      longestFrom(above(highest)) ?? longestFrom(above(highestAllocated)) ?? longestFrom(firstHost);
    if (best) allocationPool = { start: addressAt(block, best[0]), end: addressAt(block, best[1]) };
  }

  return {
    ...(gateway ? { gateway } : {}),
    reservations,
    addresses,
    ...(allocationPool ? { allocationPool } : {}),
    usable: Number(hostCount(block) > MAX_COUNTED ? MAX_COUNTED : hostCount(block)),
  };
}

function floatingOffsets(block: Cidr, range: { start: string; end: string }): [bigint, bigint] {
  return [addressToBigInt(range.start) - block.first, addressToBigInt(range.end) - block.first];
}

/**
 * Subnet pool prefixes as Neutron keeps them: merged where they overlap or touch (netaddr's
 * IPSet.compact) and in address order. Provider 3.4 reads the list back, so written any other way
 * it shows a change on every plan.
 */
export function compactPrefixes(prefixes: readonly string[]): string[] {
  const blocks = prefixes
    .map(parseCidr)
    .sort((a, b) => a.version - b.version || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const runs: { version: 4 | 6; first: bigint; last: bigint }[] = [];
  for (const b of blocks) {
    const run = runs[runs.length - 1];
    if (run && run.version === b.version && b.first <= run.last + 1n) {
      if (b.last > run.last) run.last = b.last;
    } else runs.push({ version: b.version, first: b.first, last: b.last });
  }
  return runs.flatMap((r) => rangeToCidrs(r.version, r.first, r.last));
}

/** The fewest CIDR blocks covering first..last, in order. */
function rangeToCidrs(version: 4 | 6, first: bigint, last: bigint): string[] {
  const bits = version === 4 ? 32 : 128;
  const out: string[] = [];
  let start = first;
  while (start <= last) {
    let size = 0;
    // Grow the block while it stays aligned on `start` and inside the range.
    while (
      size < bits &&
      start % (1n << BigInt(size + 1)) === 0n &&
      start + (1n << BigInt(size + 1)) - 1n <= last
    )
      size++;
    out.push(`${bigIntToAddress(start, version)}/${bits - size}`);
    start += 1n << BigInt(size);
  }
  return out;
}

/**
 * The enterprise's servers given by address (DNS, NTP, LDAP, the Gluster servers of a GlusterFS
 * backend, the legacy site's VPN peer): they may stand on a network the design plans (its management or storage network,
 * say), where no host, VIP or DHCP pool may take them.
 */
export function enterpriseServerAddresses(spec: Spec): AddressReservation[] {
  return [
    ...spec.network.dnsServers.map((address) => ({
      address,
      purpose: "DNS server",
      kind: "dns" as const,
    })),
    ...(spec.ntp?.servers ?? []).map((address) => ({
      address,
      purpose: "NTP server",
      kind: "ntp" as const,
    })),
    ...(spec.identity?.domains ?? []).flatMap((d) =>
      d.ldap
        ? ldapUrls(d.ldap.url).map((url) => ({
            address: hostAndPort(url, 389).host,
            purpose: `LDAP server of domain ${d.name}`,
            kind: "ldap" as const,
            subject: d.name,
          }))
        : [],
    ),
    // The legacy site's VPN gateway, which may stand on the external network.
    ...(spec.legacyUnix?.vpn
      ? [
          {
            address: spec.legacyUnix.vpn.peerAddress,
            purpose: "the legacy site's VPN peer",
            kind: "vpn-peer" as const,
          },
        ]
      : []),
    // An export is host:/volume, an IPv6 host in brackets.
    ...spec.storage.backends.flatMap((b) =>
      (b.shares ?? []).map((share) => ({
        address: share.slice(0, share.indexOf(":/")).replace(/^\[(.*)\]$/, "$1"),
        purpose: `Gluster server of backend ${b.name}`,
        kind: "gluster" as const,
        subject: b.name,
      })),
    ),
  ].filter((e) => isIP(e.address) !== 0);
}
