import type { ConstructRule } from "../../rule";
import { tooBroad } from "../../../core/net";
import { covers, sensitiveExposure, type PortExposure } from "../../private/ports";
import { asBool, asNeutronPrefix } from "../../private/targets";

type Body = Readonly<Record<string, unknown>>;

/** A port as Python's int() reads it, within 0-65535 (neutron_lib's port_range check). */
const portNumber = (text: string): number | undefined => {
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(text)) return undefined;
  const n = Number(text.replace(/_/g, ""));
  return n >= 0 && n <= 65535 ? n : undefined;
};

/**
 * A destination_port as neutron-fwaas applies it: `22` or `1000:2000`; a range starting at 0 (or
 * none) matches every port, as its drivers skip a false lower bound. Null for text Neutron
 * refuses, which opens nothing.
 */
function portRange(value: unknown): { min?: number; max?: number } | null {
  if (value === undefined || value === null || value === "") return {};
  const parts = String(value).split(":");
  if (parts.length > 2) return null;
  const [min, max = min] = parts.map(portNumber);
  if (min === undefined || max === undefined || min > max) return null;
  return min === 0 ? {} : { min, max };
}

/** What an allow rule opens to a broad source, with that source as said in a message. */
function exposureOf(b: Body): { exposure: PortExposure; source: string } | undefined {
  // The provider's defaults: deny, enabled, IPv4, any protocol.
  const action = typeof b.action === "string" ? b.action.trim().toLowerCase() : "deny";
  if (action !== "allow" || asBool(b.enabled) === false) return undefined;
  const given = typeof b.source_ip_address === "string" ? b.source_ip_address.trim() : "";
  const v6 = String(b.ip_version ?? "4").trim() === "6";
  const source = given === "" ? (v6 ? "::/0" : "0.0.0.0/0") : asNeutronPrefix(given);
  const range = portRange(b.destination_port);
  if (range === null) return undefined;
  const protocol = (typeof b.protocol === "string" ? b.protocol.trim().toLowerCase() : "") || "any";
  // neutron-fwaas takes ports with TCP or UDP only.
  const ported = protocol === "tcp" || protocol === "udp";
  const portGiven =
    b.destination_port !== undefined && b.destination_port !== null && b.destination_port !== "";
  if (portGiven && !ported) return undefined;
  const exposure = sensitiveExposure(protocol, range.min, range.max);
  if (!exposure || tooBroad(source, exposure.what) === undefined) return undefined;
  return { exposure, source: given === "" ? `${source} (no source address)` : source };
}

/**
 * No firewall rule a hand edit widened or added lets the internet reach remote access, database,
 * queue or management ports. A rule's direction is that of the policies holding it, in stacks of
 * their own, so the design's rule at the same address is the reference: its own egress rules
 * from every inside address pass as designed.
 */
export const noWorldSensitiveFirewallRule: ConstructRule = {
  id: "SW-SEC-012",
  scope: "construct",
  severity: "error",
  title:
    "No firewall rule the design does not make allows 0.0.0.0/0, ::/0 or another large part of the internet to remote access, database, queue or management ports",
  help:
    "A FWaaS rule in a firewall group's ingress policy admits traffic from the outside to every " +
    "port of the tenant's router it matches. An allow rule without a source address, or with one " +
    "broader than an IPv4 /8 or IPv6 /16, opens SSH, RDP, databases and management ports to the " +
    "internet. The design's own egress rules match every inside address and pass; an edited or " +
    "added rule that opens more than the design's rule at the same address is reported.",
  check(node, stack) {
    if (node.kind !== "resource" || node.type !== "openstack_fw_rule_v2") return [];
    const now = exposureOf(node.body);
    if (!now) return [];
    const designed = stack.designed(node);
    const before = designed && exposureOf(designed);
    if (before && covers(before.exposure, now.exposure)) return [];
    const what = now.exposure.what;
    return [
      {
        target: node.path,
        message: `allow rule from ${now.source} opens ${what} in every ingress policy that holds it${designed ? ", which the design's rule does not" : ", and the design has no such rule"}`,
        fix: "allow these ports from securityZones.adminCidrs or a bastion network, or suppress this finding saying the rule sits only in egress policies",
      },
    ];
  },
};
