import type { ConstructRule } from "../../rule";
import { asBool } from "../../private/targets";

/** The resources whose provider schema has port_security_enabled. */
const TYPES: ReadonlySet<string> = new Set([
  "openstack_networking_network_v2",
  "openstack_networking_port_v2",
]);

/** Port security is what makes security groups and anti-spoofing apply at all. */
export const portSecurityEnabled: ConstructRule = {
  id: "SW-SEC-005",
  scope: "construct",
  severity: "error",
  title: "Port security is never disabled",
  help:
    "port_security_enabled = false on a network or port switches off its security groups and " +
    "Neutron's MAC/IP anti-spoofing: every instance on it is reachable on every port and may " +
    "impersonate its neighbours. Keep it enabled; list extra addresses (VIPs) in " +
    "allowed_address_pairs instead.",
  check(node) {
    if (node.kind !== "resource" || !TYPES.has(node.type)) return [];
    if (asBool(node.body.port_security_enabled) !== false) return [];
    return [
      {
        target: node.path,
        message: `${node.type} disables port security: security groups and anti-spoofing do not apply`,
        fix: "set port_security_enabled to true (or leave it unset); use allowed_address_pairs for extra addresses",
      },
    ];
  },
};
