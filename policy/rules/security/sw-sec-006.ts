import type { ConstructRule } from "../../rule";
import { blockList, isAnywhere } from "../../private/targets";

/** An address pair of /0 lets the port send and receive as any address. */
export const noWildcardAddressPairs: ConstructRule = {
  id: "SW-SEC-006",
  scope: "construct",
  severity: "error",
  title: "No allowed address pair covers every address",
  help:
    "allowed_address_pairs lets a port use addresses besides its own, for VIPs. A pair of " +
    "0.0.0.0/0 or ::/0 switches anti-spoofing off for the port: the instance can impersonate " +
    "any host on the network. List the exact VIP addresses instead.",
  check(node) {
    // Only ports have allowed_address_pairs in the provider schema.
    if (node.kind !== "resource" || node.type !== "openstack_networking_port_v2") return [];
    return blockList(node.body.allowed_address_pairs)
      .map((pair) => (pair as Record<string, unknown> | null)?.ip_address)
      .filter(isAnywhere)
      .map((address) => ({
        target: node.path,
        message: `allowed address pair ${String(address)} lets the port use any address, defeating anti-spoofing`,
        fix: "list only the VIP addresses the port may hold",
      }));
  },
};
