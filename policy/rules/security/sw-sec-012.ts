import type { ConstructRule, Violation } from "../../rule";
import type { StackView, TerraformNode } from "../../terraform";
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
 * none) matches every port, as its rule object hands the drivers no port for a false lower
 * bound. Null for text Neutron refuses, which opens nothing.
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
    "added rule that opens more than the design's rule at the same address is reported, and so " +
    "is a policy holding such a rule, or one the stack does not make, that its design does not, " +
    "and a firewall group given another ingress policy than its design's.",
  check(node, stack) {
    if (node.kind !== "resource") return [];
    if (node.type === "openstack_fw_policy_v2") return policyFindings(node, stack);
    if (node.type === "openstack_fw_group_v2") return groupFindings(node, stack);
    if (node.type !== "openstack_fw_rule_v2") return [];
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
        fix: FIX,
      },
    ];
  },
};

const FIX =
  "allow these ports from securityZones.adminCidrs or a bastion network, or suppress this finding saying the rule sits only in egress policies";

/** A reference as Terraform reads it: `${ a.b.c }`, `${~ a . b.c ~}` are `${a.b.c}`. */
const reference = (value: unknown): string =>
  String(value)
    .trim()
    .replace(
      /^\$\{~?\s*(.*?)\s*~?\}$/s,
      (_, inner: string) => `\${${inner.replace(/\s*\.\s*/g, ".")}}`,
    );

/** A policy's rules: each reference, or the whole value where it is one expression. */
const references = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(reference)
    : value === undefined || value === null
      ? []
      : [reference(value)];

/**
 * A policy holding a rule its design does not (the design's egress rule moved into an ingress
 * policy, say): judged by what that rule opens, or as unseen where the stack does not make it.
 */
function policyFindings(node: TerraformNode, stack: StackView): Violation[] {
  const designed = stack.designed(node);
  const had = new Set(references(designed?.rules));
  return references(node.body.rules)
    .filter((ref) => !had.has(ref))
    .flatMap((ref): Violation[] => {
      const rule = stack.resolve(ref);
      if (rule?.type === "openstack_fw_rule_v2") {
        const open = exposureOf(rule.body);
        return open
          ? [
              {
                target: node.path,
                message: `policy holds rule ${rule.name}, an allow rule from ${open.source} that opens ${open.exposure.what}, which the design's policy does not hold`,
                fix: FIX,
              },
            ]
          : [];
      }
      return [
        {
          target: node.path,
          message: `policy holds a rule this stack does not make (${ref}), which the design's policy does not hold: no check sees what it allows`,
          fix: "hold only the rules the design gives the policy, or suppress this finding saying what the rule allows",
        },
      ];
    });
}

/** A firewall group whose outside-to-inside policy is not the one its design gives it. */
function groupFindings(node: TerraformNode, stack: StackView): Violation[] {
  const designed = stack.designed(node);
  const now = node.body.ingress_firewall_policy_id;
  if (now === undefined || now === null || now === "") return [];
  if (designed && reference(designed.ingress_firewall_policy_id) === reference(now)) return [];
  return [
    {
      target: node.path,
      message: `firewall group takes ingress policy ${String(now)}, which the design ${designed ? "does not give it" : "has no such group for"}: its rules admit what they allow from outside`,
      fix: "give the group the ingress policy the design gives it, or suppress this finding saying what that policy allows",
    },
  ];
}
