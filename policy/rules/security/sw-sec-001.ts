import type { ConstructRule } from "../../rule";
import { tooBroad } from "../../../core/net";
import { protocolOf, sensitiveExposure } from "../../private/ports";
import { asNeutronPrefix } from "../../private/targets";

/**
 * A port bound as Neutron receives it: gophercloud drops a 0 (omitempty), and a rule without
 * one is open at that end.
 */
const toPort = (value: unknown): number | undefined => {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n !== 0 ? n : undefined;
};

/** No security group opens SSH, RDP, databases, queues or management ports to the internet. */
export const noWorldSensitiveIngress: ConstructRule = {
  id: "SW-SEC-001",
  scope: "construct",
  severity: "error",
  title:
    "No ingress from 0.0.0.0/0, ::/0 or another large part of the internet to remote access, database, queue or management ports",
  help:
    "Remote shells and desktops (SSH 22, RDP 3389), databases, message queues, caches and " +
    "management interfaces (IPMI, libvirt, SNMP) are scanned and attacked within minutes of " +
    "being reachable from the internet. Allow them from the admin networks " +
    "(securityZones.adminCidrs), a bastion or a security group, never from 0.0.0.0/0, ::/0 or " +
    "prefixes broader than an IPv4 /8 or IPv6 /16 (0.0.0.0/1 and 128.0.0.0/1 are the internet too).",
  check(node, stack) {
    if (node.kind !== "resource" || node.type !== "openstack_networking_secgroup_rule_v2")
      return [];
    const b = node.body;
    if (b.direction !== "ingress") return [];
    // The remote: a prefix, or the addresses of an address group of the stack; one made
    // elsewhere (an id, a data source) holds addresses nobody here can see.
    const named = b.remote_address_group_id;
    const found = stack.resolve(named);
    const group = found?.type === "openstack_networking_address_group_v2" ? found : undefined;
    const unseen = named !== undefined && named !== null && named !== "" && !group;
    const sources = (
      group
        ? Array.isArray(group.body.addresses)
          ? group.body.addresses
          : []
        : [b.remote_ip_prefix]
    )
      .filter((p): p is string => typeof p === "string")
      .map(asNeutronPrefix);
    const broad = sources.find((p) => tooBroad(p, "") !== undefined);
    if (broad === undefined && !unseen) return [];
    const exposure = sensitiveExposure(
      protocolOf(b.protocol),
      toPort(b.port_range_min),
      toPort(b.port_range_max),
    );
    if (!exposure) return [];
    const what = exposure.what;
    return [
      {
        target: node.path,
        message:
          broad === undefined
            ? `ingress from address group ${String(named)}, which this stack does not make, opens ${what}: no check sees its addresses`
            : `ingress from ${tooBroad(broad, what)}${group ? ` (address group ${group.name})` : ""}`,
        fix: "allow these ports from securityZones.adminCidrs, a bastion network or a remote security group instead",
      },
    ];
  },
};
