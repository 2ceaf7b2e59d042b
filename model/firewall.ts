import { canonicalAddress, parseCidr } from "../core/net";
import { stableId, stableIdOf } from "../core/naming";
import type { FirewallModel, FirewallRuleModel, LegacyModel, LegacyRuleModel } from "./types";

/**
 * The FWaaS v2 rules tenant routers apply. Inside ingress: admin SSH and ICMP, users to web
 * ports, declared legacy flows; everything else is denied. Egress: everything, per IP version.
 */
export function firewallModel(
  adminCidrs: readonly string[],
  userCidrs: readonly string[],
  legacy: LegacyModel | undefined,
): FirewallModel {
  const ingress: FirewallRuleModel[] = [];
  const allow = (
    key: string,
    description: string,
    protocol: "tcp" | "udp" | "icmp",
    source: string,
    port?: number,
    name = key,
  ) =>
    ingress.push({
      key,
      name,
      description,
      action: "allow",
      protocol,
      ipVersion: parseCidr(source).version,
      sourceIpAddress: source,
      ...(port !== undefined ? { destinationPort: port } : {}),
    });
  // Keys from the CIDR, not its position, so reordering the list renames nothing; names show
  // the CIDR as written (the key escapes it for a construct id).
  for (const c of adminCidrs) {
    allow(
      `admin-ssh-${stableId(c)}`,
      `SSH from admin network ${c}`,
      "tcp",
      c,
      22,
      `admin-ssh-${c}`,
    );
    allow(
      `admin-icmp-${stableId(c)}`,
      `ICMP from admin network ${c}`,
      "icmp",
      c,
      undefined,
      `admin-icmp-${c}`,
    );
  }
  for (const c of userCidrs) {
    allow(`users-http-${stableId(c)}`, `HTTP from users ${c}`, "tcp", c, 80, `users-http-${c}`);
    allow(`users-https-${stableId(c)}`, `HTTPS from users ${c}`, "tcp", c, 443, `users-https-${c}`);
  }
  for (const flow of legacy?.flows ?? []) {
    if (flow.direction !== "from-legacy") continue;
    for (const system of legacy?.systems.filter((s) => flow.systems.includes(s.name)) ?? []) {
      // Flow and system names joined with '-' would collide ("a-b" + "c", "a" + "b-c").
      allow(
        `legacy-${stableIdOf([flow.name, system.name])}`,
        `${flow.name} from ${system.name}`,
        flow.protocol,
        `${system.address}/${system.address.includes(":") ? 128 : 32}`,
        flow.port,
        `legacy-${flow.name}-${system.name}`,
      );
    }
  }
  // A FWaaS rule matches one IP version, so IPv6 needs its own.
  const egress: FirewallRuleModel[] = [
    {
      key: "egress-all",
      name: "egress-all",
      description: "tenant networks may reach out; return traffic is stateful",
      action: "allow",
      protocol: "any",
      ipVersion: 4,
    },
    {
      key: "egress-all-ipv6",
      name: "egress-all-ipv6",
      description: "tenant networks may reach out over IPv6; return traffic is stateful",
      action: "allow",
      protocol: "any",
      ipVersion: 6,
    },
  ];
  return { ingress, egress };
}

/** The legacy security groups' rules: one per direction, protocol, port and address. */
export function legacyRules(
  flows: LegacyModel["flows"],
  systems: LegacyModel["systems"],
): LegacyRuleModel[] {
  const rules = new Map<string, LegacyRuleModel & { systems: string[]; flows: string[] }>();
  for (const flow of flows) {
    const direction = flow.direction === "from-legacy" ? "ingress" : "egress";
    for (const system of systems.filter((s) => flow.systems.includes(s.name))) {
      const address = canonicalAddress(system.address);
      const key = [direction, flow.protocol, flow.port, address].join("|");
      let rule = rules.get(key);
      if (!rule)
        rules.set(
          key,
          (rule = {
            direction,
            protocol: flow.protocol,
            port: flow.port,
            address,
            systems: [],
            flows: [],
          }),
        );
      if (!rule.systems.includes(system.name)) rule.systems.push(system.name);
      if (!rule.flows.includes(flow.name)) rule.flows.push(flow.name);
    }
  }
  return [...rules.values()];
}
