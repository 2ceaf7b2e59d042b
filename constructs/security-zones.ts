import { Construct } from "constructs";
import { FwPolicyV2 } from "../.gen/providers/openstack/fw-policy-v2";
import { FwRuleV2 } from "../.gen/providers/openstack/fw-rule-v2";
import { NetworkingSecgroupRuleV2 } from "../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSecgroupV2 } from "../.gen/providers/openstack/networking-secgroup-v2";
import type { FirewallModel, FirewallRuleModel, Model, SecurityGroupModel } from "../model/types";
import { opensSensitivePortToWorld } from "../model/security";
import { tfLiteral } from "../core/terraform-literal";
import { stableId } from "./private/construct-id";
import { resourceName } from "./private/naming";
import { fwaasPort, secgroupPorts } from "../core/port-range";

export interface SecurityZonesProps {
  /** Security groups, admin and user CIDRs, legacy flows and the firewall switch of the model. */
  readonly model: Model;
}

/**
 * The outside/inside separation: a default-deny security group per zone whose every ingress rule
 * comes from the port matrix with a named source, and, when the design enables it, FWaaS v2
 * policies that routers between the outside and tenant networks apply.
 */
export class SecurityZones extends Construct {
  /** Security group id by model group name. */
  readonly groupIds: Readonly<Record<string, string>>;
  /** FWaaS v2 policies and rules for router ports, when the firewall is enabled. */
  readonly firewall?: {
    readonly egressPolicyId: string;
    /** The platform's shared ingress rules, by FirewallRuleModel key: tenant policies hold them. */
    readonly ingressRuleIds: Readonly<Record<string, string>>;
  };

  constructor(scope: Construct, id: string, props: SecurityZonesProps) {
    super(scope, id);
    const { model } = props;
    const prefix = model.naming.prefix;
    // Checked here, not in node.addValidation: synthesis skips construct validation.
    const open = model.securityGroups.flatMap((g) =>
      g.rules
        .filter((r) => opensSensitivePortToWorld(r) || (!r.remoteIpPrefix && !r.remoteGroup))
        .map(
          (r) => `security group ${g.name}: rule "${r.description}" has an open or empty source`,
        ),
    );
    if (open.length)
      throw new Error(
        `SecurityZones: ${open.join("; ")}; name the admin or peer networks a rule allows`,
      );
    const groups: Record<string, NetworkingSecgroupV2> = {};
    for (const g of model.securityGroups) {
      groups[g.name] = new NetworkingSecgroupV2(new Construct(this, g.name), "Resource", {
        name: g.neutronName ? tfLiteral(g.neutronName) : resourceName(prefix, g.name),
        description: tfLiteral(g.description),
      });
    }
    for (const g of model.securityGroups) this.addRules(g, groups);
    this.groupIds = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, v.id]));
    if (model.securityZones.firewall)
      this.firewall = this.firewallPolicies(prefix, model.securityZones.firewall);
  }

  private addRules(group: SecurityGroupModel, groups: Record<string, NetworkingSecgroupV2>) {
    const scope = this.node.findChild(group.name);
    group.rules.forEach((rule) => {
      const remote = rule.remoteGroup ? groups[rule.remoteGroup] : undefined;
      if (rule.remoteGroup && !remote) {
        throw new Error(`security group ${group.name} refers to unknown group ${rule.remoteGroup}`);
      }
      // Ids from the rule's content keep Terraform addresses stable when other rules change.
      // Direction, protocol and port hold no '-', so the join is unambiguous; so is mapping
      // '.', '/' and ':' to '_', except for an IPv6 prefix written with a dotted quad
      // (`::ffff:1.2.3.4/128` against `::ffff:1:2:3:4/128`), which gets a hashed id instead.
      // (a group's IPv6 rule beside its IPv4 one, which keeps the id it always had)
      const source = rule.remoteGroup
        ? `${rule.remoteGroup}${rule.ethertype === "IPv6" ? "-v6" : ""}`
        : (rule.remoteIpPrefix ?? "");
      const dottedIpv6 = source.includes(":") && source.includes(".");
      const key = [
        rule.direction,
        rule.protocol,
        rule.portMin ?? "all",
        dottedIpv6 ? stableId(source) : source,
      ]
        .join("-")
        .replace(/[^A-Za-z0-9-]/g, "_");
      new NetworkingSecgroupRuleV2(scope, key, {
        securityGroupId: groups[group.name].id,
        direction: rule.direction,
        ethertype: rule.ethertype,
        protocol: rule.protocol,
        ...secgroupPorts(rule.portMin, rule.portMax),
        ...(remote ? { remoteGroupId: remote.id } : { remoteIpPrefix: rule.remoteIpPrefix }),
        description: tfLiteral(rule.description),
      });
    });
  }

  /** The model's FWaaS v2 rules in an ingress and an egress policy. */
  private firewallPolicies(prefix: string, firewall: FirewallModel) {
    const fw = new Construct(this, "firewall");
    const rule = (r: FirewallRuleModel) =>
      new FwRuleV2(fw, r.key, {
        name: resourceName(prefix, "fw", r.name),
        description: tfLiteral(r.description),
        action: r.action,
        protocol: r.protocol,
        // Tenant firewall groups use these admin-owned policies: neutron-fwaas accepts another
        // project's policy only when it and each of its rules are shared.
        shared: true,
        ipVersion: r.ipVersion,
        ...(r.sourceIpAddress !== undefined ? { sourceIpAddress: r.sourceIpAddress } : {}),
        ...(r.destinationPort !== undefined
          ? { destinationPort: fwaasPort(r.destinationPort, r.destinationPortMax) }
          : {}),
      });
    const ingressRules = firewall.ingress.map(rule);
    const egressRules = firewall.egress.map(rule);
    // No `audited`: it is the auditor's mark, and neutron-fwaas clears it on every policy update
    // that does not send it, which provider 3.4 does when only the rules change, so the next
    // plan would always want it back.
    // inside-ingress holds every platform rule, for routers outside the design.
    new FwPolicyV2(fw, "inside-ingress", {
      name: resourceName(prefix, "fw", "inside-ingress"),
      description: "outside to inside: only declared flows",
      rules: ingressRules.map((r) => r.id),
      shared: true,
    });
    const egress = new FwPolicyV2(fw, "inside-egress", {
      name: resourceName(prefix, "fw", "inside-egress"),
      description: "inside to outside",
      rules: egressRules.map((r) => r.id),
      shared: true,
    });
    return {
      egressPolicyId: egress.id,
      ingressRuleIds: Object.fromEntries(
        firewall.ingress.map((r, i) => [r.key, ingressRules[i].id]),
      ),
    };
  }
}
