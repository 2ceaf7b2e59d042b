import { Construct } from "constructs";
import { FwPolicyV2 } from "../.gen/providers/openstack/fw-policy-v2";
import { FwRuleV2 } from "../.gen/providers/openstack/fw-rule-v2";
import { NetworkingSecgroupRuleV2 } from "../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSecgroupV2 } from "../.gen/providers/openstack/networking-secgroup-v2";
import type { Model, SecurityGroupModel } from "../model/types";
import { opensSensitivePortToWorld } from "../model/security";
import { parseCidr } from "../core/net";
import { tfLiteral } from "../synth/escape";
import { stableId, stableIdOf } from "./private/construct-id";
import { resourceName } from "./private/naming";

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
  /** FWaaS v2 policies for router ports, when the firewall is enabled. */
  readonly firewall?: { readonly ingressPolicyId: string; readonly egressPolicyId: string };

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
        name: resourceName(prefix, g.name),
        description: tfLiteral(g.description),
      });
    }
    for (const g of model.securityGroups) this.addRules(g, groups);
    this.groupIds = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, v.id]));
    if (model.securityZones.firewall) this.firewall = this.firewallPolicies(model);
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
      const source = rule.remoteGroup ?? rule.remoteIpPrefix ?? "";
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
        ...(rule.portMin !== undefined
          ? { portRangeMin: rule.portMin, portRangeMax: rule.portMax }
          : {}),
        ...(remote ? { remoteGroupId: remote.id } : { remoteIpPrefix: rule.remoteIpPrefix }),
        description: tfLiteral(rule.description),
      });
    });
  }

  /** Inside ingress: admin SSH, users to web ports, declared legacy flows; everything else denied. */
  private firewallPolicies(model: Model) {
    const prefix = model.naming.prefix;
    const fw = new Construct(this, "firewall");
    const rules: FwRuleV2[] = [];
    const allow = (
      id: string,
      description: string,
      protocol: "tcp" | "udp" | "icmp",
      source: string,
      port?: number,
      name = id,
    ) =>
      rules.push(
        new FwRuleV2(fw, id, {
          name: resourceName(prefix, "fw", name),
          description: tfLiteral(description),
          action: "allow",
          protocol,
          ipVersion: parseCidr(source).version,
          sourceIpAddress: source,
          ...(port !== undefined ? { destinationPort: String(port) } : {}),
        }),
      );
    // Ids from the CIDR, not its position, so reordering the list renames nothing.
    for (const c of model.securityZones.adminCidrs) {
      allow(`admin-ssh-${stableId(c)}`, `SSH from admin network ${c}`, "tcp", c, 22);
      allow(`admin-icmp-${stableId(c)}`, `ICMP from admin network ${c}`, "icmp", c);
    }
    for (const c of model.securityZones.userCidrs) {
      allow(`users-http-${stableId(c)}`, `HTTP from users ${c}`, "tcp", c, 80);
      allow(`users-https-${stableId(c)}`, `HTTPS from users ${c}`, "tcp", c, 443);
    }
    for (const flow of model.legacyUnix?.flows ?? []) {
      if (flow.direction !== "from-legacy") continue;
      for (const system of model.legacyUnix?.systems.filter((s) => flow.systems.includes(s.name)) ??
        []) {
        // Flow and system names joined with '-' would collide ("a-b" + "c", "a" + "b-c").
        allow(
          `legacy-${stableIdOf([flow.name, system.name])}`,
          `${flow.name} from ${system.name}`,
          flow.protocol,
          `${system.address}/32`,
          flow.port,
          `legacy-${flow.name}-${system.name}`,
        );
      }
    }
    const egressAll = new FwRuleV2(fw, "egress-all", {
      name: resourceName(prefix, "fw", "egress-all"),
      description: "tenant networks may reach out; return traffic is stateful",
      action: "allow",
      protocol: "any",
    });
    // A FWaaS rule matches one IP version (4 unless set), so IPv6 needs its own.
    const egressAllIpv6 = new FwRuleV2(fw, "egress-all-ipv6", {
      name: resourceName(prefix, "fw", "egress-all-ipv6"),
      description: "tenant networks may reach out over IPv6; return traffic is stateful",
      action: "allow",
      protocol: "any",
      ipVersion: 6,
    });
    const ingress = new FwPolicyV2(fw, "inside-ingress", {
      name: resourceName(prefix, "fw", "inside-ingress"),
      description: "outside to inside: only declared flows",
      rules: rules.map((r) => r.id),
      audited: true,
    });
    const egress = new FwPolicyV2(fw, "inside-egress", {
      name: resourceName(prefix, "fw", "inside-egress"),
      description: "inside to outside",
      rules: [egressAll.id, egressAllIpv6.id],
      audited: true,
    });
    return { ingressPolicyId: ingress.id, egressPolicyId: egress.id };
  }
}
