import { createHash } from "crypto";
import { canonicalAddress, parseCidr } from "../core/net";
import { stableId, stableIdOf } from "../core/naming";
import type {
  FirewallModel,
  FirewallRuleModel,
  LegacyGroupModel,
  LegacyModel,
  LegacyRuleModel,
} from "./types";

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

/** A legacy flow as the spec gives it, before it knows its group. */
type LegacyFlow = Omit<LegacyModel["flows"][number], "group">;

/** A legacy group's Terraform id from its key (see LegacyGroupModel.id). */
function legacyGroupId(key: string): string {
  const [direction, ...pools] = key.split("+");
  if (!pools.length) return direction;
  const digest = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return `${direction}-${pools.join("-")}-${digest}`;
}

/**
 * Each flow's security group: one per direction, or, where the flows of a direction are limited
 * to different pools, one per direction and set of pools, so a tenant is shared only the rules of
 * its pools' flows. A direction of one set of pools keeps the group it always had.
 */
export function legacyGroupOf(
  flows: readonly LegacyFlow[],
): (flow: LegacyFlow) => LegacyGroupModel {
  const directionOf = (f: LegacyFlow) => (f.direction === "from-legacy" ? "ingress" : "egress");
  const poolsOf = (f: LegacyFlow) => [...new Set(f.pools)].sort();
  const sets = new Map<string, Set<string>>();
  for (const f of flows)
    sets.set(
      directionOf(f),
      (sets.get(directionOf(f)) ?? new Set()).add(JSON.stringify(poolsOf(f))),
    );
  return (flow) => {
    const direction = directionOf(flow);
    const pools = poolsOf(flow);
    const split = (sets.get(direction)?.size ?? 0) > 1 && pools.length > 0;
    const key = split ? [direction, ...pools].join("+") : direction;
    return { key, id: legacyGroupId(key), direction, pools };
  };
}

/** The legacy flows' security groups: by direction (ingress first), then by key. */
export function legacyGroups(flows: readonly LegacyFlow[]): LegacyGroupModel[] {
  const groupOf = legacyGroupOf(flows);
  const groups = new Map<string, LegacyGroupModel>();
  for (const f of flows) {
    const g = groupOf(f);
    if (!groups.has(g.key)) groups.set(g.key, g);
  }
  return [...groups.values()].sort(
    (a, b) =>
      (a.direction === b.direction ? 0 : a.direction === "ingress" ? -1 : 1) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** The legacy security groups' rules: one per group, protocol, port and address. */
export function legacyRules(
  flows: LegacyModel["flows"],
  systems: LegacyModel["systems"],
): LegacyRuleModel[] {
  const rules = new Map<string, LegacyRuleModel & { systems: string[]; flows: string[] }>();
  for (const flow of flows) {
    const { group } = flow;
    const direction = flow.direction === "from-legacy" ? "ingress" : "egress";
    for (const system of systems.filter((s) => flow.systems.includes(s.name))) {
      const address = canonicalAddress(system.address);
      const key = [group, flow.protocol, flow.port, address].join("|");
      let rule = rules.get(key);
      if (!rule)
        rules.set(
          key,
          (rule = {
            group,
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
