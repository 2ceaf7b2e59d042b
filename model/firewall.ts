import { canonicalAddress, parseCidr } from "../core/net";
import { digestOf, stableId, stableIdOf } from "../core/naming";
import { DNS_PORT, SSH_PORT } from "./ports";
import { lastPort, portText, type PortSpan } from "../core/port-range";
import type {
  FirewallModel,
  FirewallRuleModel,
  LegacyGroupModel,
  LegacyModel,
  LegacyRuleModel,
  TenantModel,
  TenantServiceModel,
} from "./types";

/** What a tenant's router lets in beside the platform's rules: its SSH sources, its legacy flows. */
type FirewallTenant = Pick<
  TenantModel,
  "id" | "ssh" | "legacyGroups" | "ingress" | "egress" | "usersWeb"
> & {
  readonly network?: { readonly dnsServers: readonly string[] };
};

/**
 * The FWaaS v2 rules and policies tenant routers apply. The platform's outside-to-inside rules,
 * shared: admin SSH and ICMP, users to web ports, every flow from the legacy systems; its policy
 * inside-ingress holds them all, for routers outside the design. Each tenant's router applies a
 * policy of its own, made in its stack: the platform's rules but the legacy flows its pools take
 * no part in and the admin networks its base group does not admit (sshCidrs), SSH and ICMP from
 * its own sources (as its security group allows them), and the services it publishes.
 * Everything else is denied. Inside to outside: everything, per IP version, but for a tenant
 * limiting what its instances open (tenants[].egress): a policy of its own, DNS and what it lists.
 */
export function firewallModel(
  adminCidrs: readonly string[],
  userCidrs: readonly string[],
  legacy: LegacyModel | undefined,
  tenants: readonly FirewallTenant[],
): FirewallModel {
  const rule = (
    key: string,
    description: string,
    protocol: "tcp" | "udp" | "icmp",
    source: string,
    port?: number | PortSpan,
    name = key,
  ): FirewallRuleModel => {
    const span = typeof port === "number" ? { port } : port;
    return {
      key,
      name,
      description,
      action: "allow",
      protocol,
      ipVersion: parseCidr(source).version,
      sourceIpAddress: source,
      ...(span ? { destinationPort: span.port } : {}),
      ...(span && lastPort(span) !== span.port ? { destinationPortMax: lastPort(span) } : {}),
    };
  };
  // Keys from the CIDR, not its position, so reordering the list renames nothing; names show
  // the CIDR (the key escapes it for a construct id).
  const sshAndIcmp = (who: string, c: string, what: string) => {
    const at = who ? `${who}-` : "";
    return [
      rule(`${at}ssh-${stableId(c)}`, `SSH from ${what} ${c}`, "tcp", c, SSH_PORT, `${at}ssh-${c}`),
      rule(
        `${at}icmp-${stableId(c)}`,
        `ICMP from ${what} ${c}`,
        "icmp",
        c,
        undefined,
        `${at}icmp-${c}`,
      ),
    ];
  };
  const admin = adminCidrs.flatMap((c) => sshAndIcmp("admin", c, "admin network"));
  const usersWeb = userCidrs.flatMap((c) => [
    rule(`users-http-${stableId(c)}`, `HTTP from users ${c}`, "tcp", c, 80, `users-http-${c}`),
    rule(`users-https-${stableId(c)}`, `HTTPS from users ${c}`, "tcp", c, 443, `users-https-${c}`),
  ]);
  const platform = [...admin, ...usersWeb];
  const flows = (legacy?.flows ?? [])
    .filter((f) => f.direction === "from-legacy")
    .map((flow) => ({
      group: flow.group,
      rules: (legacy?.systems.filter((s) => flow.systems.includes(s.name)) ?? []).map((system) =>
        // Flow and system names joined with '-' would collide ("a-b" + "c", "a" + "b-c").
        rule(
          `legacy-${stableIdOf([flow.name, system.name])}`,
          `${flow.name} from ${system.name}`,
          flow.protocol,
          `${system.address}/${system.address.includes(":") ? 128 : 32}`,
          flow.port,
          `legacy-${flow.name}-${system.name}`,
        ),
      ),
    }));
  const ingress = [...platform, ...flows.flatMap((f) => f.rules)];
  const adminSources = new Set(adminCidrs);
  const tenantPolicies = tenants.flatMap((t) => {
    if (!t.network) return [];
    const groups = new Set(t.legacyGroups);
    return [
      {
        tenant: t.id,
        platformRules: [
          ...new Set(
            [
              // (the admin networks' SSH and ICMP where its base group admits them: sshCidrs)
              ...admin.filter((r) => t.ssh.some((s) => s.cidr === r.sourceIpAddress)),
              // (a restricted project keeps the users' web ports out: usersWeb false)
              ...(t.usersWeb ? usersWeb : []),
              ...flows.filter((f) => groups.has(f.group)).flatMap((f) => f.rules),
            ].map((r) => r.key),
          ),
        ],
        publishes: t.ingress.length > 0,
        ...(t.usersWeb || !usersWeb.length ? {} : { usersWebOut: true as const }),
        // An admin network's rules allow as much already.
        ownRules: [
          ...t.ssh
            .filter((s) => !adminSources.has(s.cidr))
            .flatMap((s) => sshAndIcmp("", s.cidr, "tenant source")),
          ...t.ingress.map((i) =>
            rule(
              `publish-${i.protocol}-${portText(i)}-${stableId(i.cidr)}`,
              `${i.protocol.toUpperCase()} ${portText(i)} from ${i.cidr}, published by the tenant`,
              i.protocol,
              i.cidr,
              i,
              `publish-${i.protocol}-${portText(i)}-${i.cidr}`,
            ),
          ),
        ],
        ...(t.egress ? { egress: egressRules(t.network.dnsServers, t.egress) } : {}),
      },
    ];
  });
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
  return { ingress, egress, tenantPolicies };
}

/** A legacy flow as the spec gives it, before it knows its group. */
type LegacyFlow = Omit<LegacyModel["flows"][number], "group">;

/** A legacy group's Terraform id from its key (see LegacyGroupModel.id). */
function legacyGroupId(key: string): string {
  const [direction, ...pools] = key.split("+");
  if (!pools.length) return direction;
  return `${direction}-${pools.join("-")}-${digestOf(key)}`;
}

/**
 * Each flow's security group: one per direction, or, where the flows of a direction are limited
 * to different pools, one per direction and set of pools, so a tenant is shared only the rules of
 * its pools' flows. A direction of one set of pools keeps the group it always had.
 */
export function legacyGroupOf(
  flows: readonly LegacyFlow[],
): (flow: LegacyFlow) => Omit<LegacyGroupModel, "neutronName"> {
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
export function legacyGroups(
  flows: readonly LegacyFlow[],
): Omit<LegacyGroupModel, "neutronName">[] {
  const groupOf = legacyGroupOf(flows);
  const groups = new Map<string, Omit<LegacyGroupModel, "neutronName">>();
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
            remoteIpPrefix: `${address}/32`,
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

/**
 * A restricted tenant's inside-to-outside rules: DNS to its subnet's servers (UDP and TCP, as
 * resolvers fall back to TCP), then each port to each destination it lists, one rule a pair.
 */
function egressRules(
  dnsServers: readonly string[],
  egress: readonly TenantServiceModel[],
): FirewallRuleModel[] {
  const out = (
    key: string,
    description: string,
    protocol: "tcp" | "udp",
    destination: string,
    span: PortSpan,
  ): FirewallRuleModel => ({
    key,
    name: key.replace(stableId(destination), destination),
    description,
    action: "allow",
    protocol,
    ipVersion: parseCidr(destination).version,
    destinationIpAddress: destination,
    destinationPort: span.port,
    ...(lastPort(span) !== span.port ? { destinationPortMax: lastPort(span) } : {}),
  });
  const dns = dnsServers.map(canonicalAddress).flatMap((server) => {
    const block = `${server}/${server.includes(":") ? 128 : 32}`;
    return (["udp", "tcp"] as const).map((p) =>
      out(
        `egress-${p}-${DNS_PORT}-${stableId(block)}`,
        `DNS (${p.toUpperCase()}) to ${server}, the subnet's DNS server`,
        p,
        block,
        { port: DNS_PORT },
      ),
    );
  });
  const listed = egress.map((e) =>
    out(
      `egress-${e.protocol}-${portText(e)}-${stableId(e.cidr)}`,
      `${e.protocol.toUpperCase()} ${portText(e)} to ${e.cidr}, opened by the tenant`,
      e.protocol,
      e.cidr,
      e,
    ),
  );
  // (a DNS server the tenant lists too keeps one rule)
  return [...new Map([...dns, ...listed].map((r) => [r.key, r])).values()];
}
