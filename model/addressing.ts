import type { NetworkSpec } from "../spec/schema";
import type { SpecIssue } from "../core/errors";
import { DEFAULTS } from "../core/defaults";
import {
  addressAt,
  addressToBigInt,
  hostCount,
  lastHostOffset,
  offsetOf,
  parseCidr,
  subnetGateway,
  firstHostOffset,
  type Cidr,
} from "../core/net";
import type { AddressReservation } from "./types";

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
): NetworkAllocation {
  const block = parseCidr(net.cidr);
  const last = lastHostOffset(block);
  const taken = new Set<bigint>();
  const reservations: AddressReservation[] = [];
  const firstHost = firstHostOffset(block);
  const gateway = subnetGateway(block, net.role, net.gateway);
  if (gateway) {
    taken.add(offsetOf(block, gateway));
    reservations.push({ address: gateway, purpose: "gateway" });
  }
  for (const vip of vips) {
    taken.add(offsetOf(block, vip.address));
    reservations.push({ address: vip.address, purpose: `${vip.name} VIP` });
  }
  const floating = net.floatingIpRange ? floatingOffsets(block, net.floatingIpRange) : undefined;
  const inFloating = (o: bigint) => floating !== undefined && o >= floating[0] && o <= floating[1];

  const addresses = new Map<string, string>();
  let highest = -1n;
  for (const member of members) {
    const address = fixed.get(member);
    if (address === undefined) continue;
    const o = offsetOf(block, address);
    taken.add(o);
    if (o > highest) highest = o;
    addresses.set(member, address);
  }
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
    if (cursor > highest) highest = cursor;
    addresses.set(member, addressAt(block, cursor));
    cursor++;
  }

  let allocationPool: { start: string; end: string } | undefined;
  if (net.floatingIpRange) {
    allocationPool = { ...net.floatingIpRange };
  } else {
    // Neutron's DHCP pool takes what the plan leaves free above the fixed addresses.
    let from = highest >= start ? highest + 1n : start;
    for (const r of reservations) {
      const o = offsetOf(block, r.address);
      if (o >= from) from = o + 1n;
    }
    if (from <= last)
      allocationPool = { start: addressAt(block, from), end: addressAt(block, last) };
  }

  return {
    ...(gateway ? { gateway } : {}),
    reservations,
    addresses,
    ...(allocationPool ? { allocationPool } : {}),
    usable: Number(hostCount(block) > 1_000_000_000n ? 1_000_000_000n : hostCount(block)),
  };
}

function floatingOffsets(block: Cidr, range: { start: string; end: string }): [bigint, bigint] {
  return [addressToBigInt(range.start) - block.first, addressToBigInt(range.end) - block.first];
}
