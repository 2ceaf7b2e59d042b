import { type Spec } from "../schema";
import { STACKS, slug, tenantId, tenantLookup } from "../../core/naming";
import { type Path, Findings, duplicates } from "./findings";
import { formatPath } from "../../core/errors";
import { terraformName } from "../../core/terraform-names";
import { foldName } from "../text-checks";
import { BUILT_IN_DOMAIN } from "./identity";
import { cidrKey, backendOf, tenantNetworkCidrs } from "./private/helpers";
import { DEFAULT_FIREWALL_GROUP_RULES, FIREWALL_RULE_QUOTA } from "../../core/neutron";
import { isValidCidr, parseCidr, within } from "../../core/net";
import { DEFAULT_USER_CIDRS } from "../../core/defaults";
import { listed } from "../../core/lists";
import {
  lastPort,
  portText,
  portsCovered,
  portsWithin,
  type PortSpan,
} from "../../core/port-range";

/**
 * Tenant ids that cannot name the tenant's construct: its stack already holds `openstack` (the
 * provider) and `backend`, and `constructor` is a member of every JavaScript object.
 */
const RESERVED_TENANT_IDS: ReadonlySet<string> = new Set(["openstack", "backend", "constructor"]);

/** Projects Kolla-Ansible makes in the Default domain (keystone_admin_project, service). */
const KOLLA_PROJECTS: ReadonlySet<string> = new Set(["admin", "service"]);

/** Letters a base letter and its accents do not spell (NFKD leaves them whole). */
const SPELLED: Readonly<Record<string, string>> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ħ: "h",
  ŀ: "l",
};

/**
 * An id spelling a name's accented Latin letters without their accents (Küchen: kuchen), that no
 * other tenant takes and no stack reserves (a number follows where one does).
 */
function asciiSlug(name: string, taken: ReadonlySet<string>): string | undefined {
  const plain = name
    .toLowerCase()
    .replace(new RegExp(`[${Object.keys(SPELLED).join("")}]`, "g"), (c) => SPELLED[c])
    .normalize("NFKD")
    .replace(/\p{M}/gu, "");
  const base = slug(plain);
  if (base === undefined) return undefined;
  const free = (id: string) =>
    !taken.has(id) && !taken.has(terraformName([id])) && !RESERVED_TENANT_IDS.has(id);
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base.slice(0, 60)}-${n}`;
    if (free(id)) return id;
  }
}

/** Tenant identity (ids, stacks) and the lists inside each tenant that OpenStack keeps unique. */
export function tenants(spec: Spec, f: Findings) {
  const adminSources = new Set(spec.securityZones.adminCidrs.map(cidrKey));
  // Ids become construct ids and Terraform addresses: derived or explicit, each must be unique.
  const ids = new Map<string, number>();
  // The ids, names and Terraform names the other tenants hold (a tenant is named by any), and
  // the ids suggested before, for a suggested id.
  const suggested: string[] = [];
  const takenIds = (i: number) =>
    new Set([
      ...suggested.flatMap((id) => [id, terraformName([id])]),
      ...spec.tenants.flatMap((o, j) => {
        const other = j === i ? undefined : tenantId(o);
        return other === undefined ? [] : [other, o.name, terraformName([other])];
      }),
    ]);
  const suggest = (i: number, name: string) => {
    const id = asciiSlug(name, takenIds(i));
    if (id !== undefined) suggested.push(id);
    return id;
  };
  spec.tenants.forEach((t, i) => {
    const id = tenantId(t);
    if (id === undefined) return; // reported by the resolver (tenant-id-required)
    const path: Path = ["tenants", i, t.id !== undefined ? "id" : "name"];
    const how = t.id !== undefined ? "" : ` (derived from the name ${JSON.stringify(t.name)})`;
    // The id names the stack and every Terraform address: one that drops letters (Küchen-Team
    // gives k-chen-team) is kept only if the design says so.
    if (t.id === undefined && /[^\x20-\x7e]/.test(t.name))
      f.warn(
        "tenant-id-derived",
        ["tenants", i, "name"],
        `tenant ${t.name} has no id, and the one derived from its name, ${id}, drops its letters outside ASCII; it names the tenant's stack and Terraform addresses for good: set tenants[${i}].id (e.g. ${suggest(i, t.name) ?? id})`,
      );
    if (RESERVED_TENANT_IDS.has(id)) {
      f.error(
        "tenant-id-reserved",
        path,
        `tenant id ${JSON.stringify(id)}${how} is reserved in a tenant's Terraform stack; set tenants[${i}].id to another identifier`,
      );
      return;
    }
    // Terraform names read a run of '-' as one '_' (ops--team and ops-team: ops_team).
    const key = terraformName([id]);
    const first = ids.get(key);
    if (first === undefined) {
      ids.set(key, i);
      return;
    }
    const other = spec.tenants[first];
    const otherId = tenantId(other);
    if (otherId !== id) {
      f.error(
        "duplicate-name",
        path,
        `tenant id ${JSON.stringify(id)}${how} and the id ${JSON.stringify(otherId)} of tenants[${first}] differ only in repeated '-', which Terraform names read alike; set tenants[${i}].id to a distinct identifier`,
      );
      return;
    }
    // Two tenants of the same name are already reported as a duplicate name.
    if (t.id === undefined && other.id === undefined && other.name === t.name) return;
    const theirs = other.id !== undefined ? "" : ", derived from its name";
    f.error(
      "duplicate-name",
      path,
      `tenant id ${JSON.stringify(id)}${how} is already the id of tenants[${first}] (${JSON.stringify(other.name)}${theirs}); set tenants[${i}].id to a distinct identifier`,
    );
  });

  // Mappings and other keys name a tenant by its name or its id: a name that is another tenant's
  // id would name two.
  const byId = new Map<string, number>();
  spec.tenants.forEach((t, i) => {
    const id = tenantId(t);
    if (id !== undefined && !byId.has(id)) byId.set(id, i);
  });
  spec.tenants.forEach((t, i) => {
    const other = byId.get(t.name);
    if (other !== undefined && other !== i)
      f.error(
        "tenant-key-ambiguous",
        ["tenants", i, "name"],
        `tenant name ${JSON.stringify(t.name)} is the id of tenants[${other}] (${JSON.stringify(spec.tenants[other].name)}), so a reference to it would name two tenants; rename one`,
      );
  });
  // The mappings onto each tenant, found once rather than once per tenant.
  const mappingsOf = new Map<(typeof spec.tenants)[number], number[]>();
  const tenantOf = tenantLookup(spec.tenants);
  spec.identity.groupRoleMappings.forEach((m, mi) => {
    const target = m.tenant === undefined ? undefined : tenantOf(m.tenant);
    if (!target) return;
    const list = mappingsOf.get(target);
    if (list) list.push(mi);
    else mappingsOf.set(target, [mi]);
  });
  const keyPairOwners = new Map<string, number>();
  spec.tenants.forEach((t, ti) => {
    // Kolla-Ansible makes these projects in Keystone's Default domain, whose names Keystone's
    // database compares without case: a tenant project of that name is refused (409).
    if ((t.domain ?? BUILT_IN_DOMAIN) === BUILT_IN_DOMAIN && KOLLA_PROJECTS.has(foldName(t.name)))
      f.error(
        "name-reserved",
        ["tenants", ti, "name"],
        `project ${JSON.stringify(t.name)} is one Kolla-Ansible makes in Keystone's Default domain; name the tenant otherwise or put it in a domain of the design`,
      );
    if (t.stack === STACKS.platform)
      f.error(
        "stack-reserved",
        ["tenants", ti, "stack"],
        `stack ${JSON.stringify(STACKS.platform)} is the platform team's stack; choose another stack name for tenant ${t.name}`,
      );
    if (t.stack === STACKS.domainRoles)
      f.error(
        "stack-reserved",
        ["tenants", ti, "stack"],
        `stack ${JSON.stringify(STACKS.domainRoles)} holds the roles of groups on whole domains (identity.groupRoleMappings without a tenant); choose another stack name for tenant ${t.name}`,
      );
    duplicates(t.sshCidrs, cidrKey, f, (i) => ["tenants", ti, "sshCidrs", i], "SSH CIDR", {
      code: "duplicate-cidr",
      show: (c) => c,
    });
    // The router's policy holds two rules (SSH, ICMP) per source in the tenant's project, whose
    // firewall rule quota neutron-fwaas sets at 100, beside its default group's 4 rules.
    // (A source that is an admin network takes the platform's rules instead.)
    const sources = new Set(t.sshCidrs.map(cidrKey).filter((k) => !adminSources.has(k)));
    // A published service takes a rule per port and source; Neutron keeps a source by its block,
    // so 10.0.0.7/24 after 10.0.0.0/24 would be the same rule.
    const publishedAt = new Map<string, { at: string; source: string }>();
    t.ingress.forEach((rule, ri) =>
      rule.sources.forEach((source, si) => {
        const k = `${rule.protocol}/${portText(rule)}/${cidrKey(source)}`;
        const first = publishedAt.get(k);
        if (first)
          f.error(
            "duplicate-cidr",
            ["tenants", ti, "ingress", ri, "sources", si],
            `${rule.protocol.toUpperCase()} ${portText(rule)} from ${JSON.stringify(source)} is already published at ${first.at}${first.source === source ? "" : ` from ${JSON.stringify(first.source)}, the same block`}`,
          );
        else publishedAt.set(k, { at: `tenants[${ti}].ingress[${ri}].sources[${si}]`, source });
      }),
    );
    const published = publishedAt.size;
    // A restricted tenant's egress policy: DNS to each of its subnet's servers (UDP, TCP), then
    // a rule per port and destination.
    const openedAt = new Map<string, { at: string; to: string }>();
    (t.egress ?? []).forEach((rule, ri) =>
      rule.destinations.forEach((to, di) => {
        const k = `${rule.protocol}/${portText(rule)}/${cidrKey(to)}`;
        const first = openedAt.get(k);
        if (first)
          f.error(
            "duplicate-cidr",
            ["tenants", ti, "egress", ri, "destinations", di],
            `${rule.protocol.toUpperCase()} ${portText(rule)} to ${JSON.stringify(to)} is already opened at ${first.at}${first.to === to ? "" : ` to ${JSON.stringify(first.to)}, the same block`}`,
          );
        else openedAt.set(k, { at: `tenants[${ti}].egress[${ri}].destinations[${di}]`, to });
      }),
    );
    // A rule inside another of the same list (a /25 in a /24, port 443 in 400-500) admits
    // nothing more, yet takes one of the project's firewall rules. (Past the quota, refused anyway.)
    const covered = (
      list: "ingress" | "egress",
      entries: readonly {
        readonly protocol: string;
        readonly port: number;
        readonly toPort?: number;
        readonly sources?: readonly string[];
        readonly destinations?: readonly string[];
      }[],
    ) => {
      const field = list === "ingress" ? "sources" : "destinations";
      const rules = entries.flatMap((rule, ri) =>
        (rule.sources ?? rule.destinations ?? []).flatMap((c, ci) =>
          isValidCidr(c)
            ? [{ rule, block: parseCidr(c), text: c, path: ["tenants", ti, list, ri, field, ci] }]
            : [],
        ),
      );
      if (rules.length > FIREWALL_RULE_QUOTA) return;
      for (const r of rules) {
        const outer = rules.find(
          (o) =>
            o !== r &&
            o.rule.protocol === r.rule.protocol &&
            portsWithin(r.rule, o.rule) &&
            within(r.block, o.block) &&
            !(portsWithin(o.rule, r.rule) && within(o.block, r.block)),
        );
        if (outer)
          f.warn(
            "firewall-rule-covered",
            r.path,
            `${r.rule.protocol.toUpperCase()} ${portText(r.rule)} ${list === "ingress" ? "from" : "to"} ${JSON.stringify(r.text)} is inside ${outer.rule.protocol.toUpperCase()} ${portText(outer.rule)} ${list === "ingress" ? "from" : "to"} ${JSON.stringify(outer.text)} at ${formatPath(outer.path)}: it adds nothing to tenant ${t.name}'s router firewall, yet takes one of its project's firewall rules; remove it`,
          );
      }
    };
    if (spec.securityZones.firewall && t.network) {
      covered("ingress", t.ingress);
      covered("egress", t.egress ?? []);
    }
    // (the subnet's DNS servers, as the model adds them: one rule a protocol, a listed one kept once)
    const dns = new Set(
      t.egress && t.network
        ? (t.network.dnsServers ?? spec.network.dnsServers)
            .filter((d) => isValidCidr(d) && d.includes(":") === t.network!.cidr.includes(":"))
            .flatMap((d) =>
              ["udp", "tcp"].map((p) => `${p}/53/${cidrKey(`${d}/${d.includes(":") ? 128 : 32}`)}`),
            )
        : [],
    );
    const opened = t.egress ? new Set([...openedAt.keys(), ...dns]).size : 0;
    const firewallRules = 2 * sources.size + published + opened + DEFAULT_FIREWALL_GROUP_RULES;
    const largest = Math.max(2 * sources.size, published, opened);
    if (spec.securityZones.firewall && t.network && firewallRules > FIREWALL_RULE_QUOTA)
      f.error(
        "firewall-rules-quota",
        [
          "tenants",
          ti,
          largest === opened ? "egress" : largest === published ? "ingress" : "sshCidrs",
        ],
        `${listed(
          [
            sources.size
              ? `${sources.size} SSH ${sources.size === 1 ? "source" : "sources"} of its own (SSH and ICMP each)`
              : "",
            published ? `${published} published port and source pairs` : "",
            opened ? `${opened} rules it opens to the outside (DNS included)` : "",
          ].filter(Boolean),
        )} make ${firewallRules - DEFAULT_FIREWALL_GROUP_RULES} firewall rules in tenant ${t.name}'s project; with the ${DEFAULT_FIREWALL_GROUP_RULES} of its default firewall group that exceeds neutron-fwaas's quota of ${FIREWALL_RULE_QUOTA}; join the ${largest === opened ? "destinations" : "sources"} into fewer blocks`,
      );
    if (t.egress && (!spec.securityZones.firewall || !t.network))
      f.warn(
        "tenant-egress-unused",
        ["tenants", ti, "egress"],
        `tenant ${t.name} limits what its instances open through its router's firewall, but ${t.network ? "the design has no firewall (securityZones.firewall): its router lets everything out" : "it has no network of its own, so no router of its stacks to hold the rules"}; remove egress${t.network ? ", or set securityZones.firewall: true" : ""}`,
      );
    if (t.ingress.length && (!spec.securityZones.firewall || !t.network))
      f.warn(
        "tenant-ingress-unused",
        ["tenants", ti, "ingress"],
        `tenant ${t.name} publishes services through its router's firewall, but ${t.network ? "the design has no firewall (securityZones.firewall): its router filters nothing, and its instances' security groups alone decide" : "it has no network of its own, so no router of its stacks to publish them on"}; remove ingress${t.network ? ", or set securityZones.firewall: true" : ""}`,
      );
    const noUsers = spec.securityZones.userCidrs?.length === 0;
    if (!t.usersWeb && (!spec.securityZones.firewall || !t.network || noUsers))
      f.warn(
        "tenant-users-web-unused",
        ["tenants", ti, "usersWeb"],
        `tenant ${t.name} keeps the users' web ports out of its router's firewall, but ${!t.network ? "it has no network of its own, so no router of its stacks to keep them out at" : !spec.securityZones.firewall ? "the design has no firewall (securityZones.firewall): its router filters nothing, and its instances' security groups alone decide" : "the design lets no users in (securityZones.userCidrs is empty)"}; remove usersWeb${t.network && !spec.securityZones.firewall ? ", or set securityZones.firewall: true" : ""}`,
      );
    duplicates(
      t.groups,
      (g) => JSON.stringify([g.name, g.role]),
      f,
      (i) => ["tenants", ti, "groups", i],
      "group",
      { show: (g) => `${g.name} as ${g.role}` },
    );
    duplicates(
      t.keyPairs,
      (k) => k.name,
      f,
      (i) => ["tenants", ti, "keyPairs", i, "name"],
      "key pair",
    );
    duplicates(
      t.flavors,
      (x) => x,
      f,
      (i) => ["tenants", ti, "flavors", i],
      "flavor",
    );
    // A backend named once by its name and once by its volume type is granted once.
    const named = new Map<string, number>();
    t.volumeTypes.forEach((v, vi) => {
      const b = backendOf(spec, v);
      const backend = b?.name ?? v;
      // A public type is every project's already: granting it is a no-op the user did not mean.
      if (b?.public)
        f.warn(
          "tenant-volume-type-public",
          ["tenants", ti, "volumeTypes", vi],
          `volume type ${JSON.stringify(v)} is public (backend ${b.name}): every project may use it, so listing it for tenant ${t.name} grants nothing; set public: false on backend ${b.name} to keep it to the tenants that list it, or remove it from this list`,
        );
      const first = named.get(backend);
      if (first === undefined) named.set(backend, vi);
      else
        f.error(
          "duplicate-name",
          ["tenants", ti, "volumeTypes", vi],
          t.volumeTypes[first] === v
            ? `volume type ${JSON.stringify(v)} is already declared at tenants[${ti}].volumeTypes[${first}]`
            : `${JSON.stringify(v)} names the same volume backend (${backend}) as ${JSON.stringify(t.volumeTypes[first])} at tenants[${ti}].volumeTypes[${first}]; keep one of them`,
        );
    });
    // A mapping onto this tenant that repeats one of its groups would assign the role twice.
    const own = new Set(
      t.groups.map((g) => JSON.stringify([t.domain ?? "default", g.name, g.role])),
    );
    for (const mi of mappingsOf.get(t) ?? []) {
      const m = spec.identity.groupRoleMappings[mi];
      if (own.has(JSON.stringify([m.domain, m.group, m.role])))
        f.error(
          "duplicate-name",
          ["identity", "groupRoleMappings", mi],
          `group ${JSON.stringify(m.group)} already has role ${m.role} on tenant ${t.name} through tenants[${ti}].groups; remove one of them`,
        );
    }
    // Nova looks a key name up by the caller's user: the admin's keys are no project user's.
    const stacks = spec.output.tenantStacks;
    if (
      t.keyPairs.length &&
      !(typeof stacks === "object" && stacks.networkCredentials === "project")
    )
      f.warn(
        "tenant-key-pairs-admin",
        ["tenants", ti, "keyPairs"],
        `tenant ${t.name}'s key pairs are made with the admin entry (output.tenantStacks.networkCredentials: admin), and Nova keeps a key pair for the user that made it: they are the admin's, and the project's users cannot boot with them (Nova finds no key of that name for them); let each user upload their own, or set output.tenantStacks to { networkCredentials: project }, which makes them the keys of the user whose application credential applies the project's network stack (still that user's alone)`,
      );
    // Key pairs belong to the user that runs Terraform, not to the project: one namespace.
    t.keyPairs.forEach((k, ki) => {
      const owner = keyPairOwners.get(k.name);
      if (owner === undefined) keyPairOwners.set(k.name, ti);
      else if (owner !== ti)
        f.error(
          "duplicate-name",
          ["tenants", ti, "keyPairs", ki, "name"],
          `key pair ${JSON.stringify(k.name)} is already declared by tenants[${owner}] (${JSON.stringify(spec.tenants[owner].name)}); key pairs belong to the admin user that runs Terraform, so their names must be unique across tenants`,
        );
    });
    // Cinder keys per-type quotas by the volume type, however the tenant names the backend.
    const types = new Map<string, string>();
    for (const key of Object.keys(t.quota.perVolumeType ?? {})) {
      const backend = backendOf(spec, key);
      if (!backend) continue; // reported as an unknown reference
      // Cinder takes a quota of any type; one the project may not use holds nothing of it.
      if (!backend.public && !t.volumeTypes.some((v) => backendOf(spec, v) === backend))
        f.warn(
          "quota-volume-type-private",
          ["tenants", ti, "quota", "perVolumeType", key],
          `volume type ${JSON.stringify(backend.volumeType)} (backend ${backend.name}) is private, and tenant ${t.name} does not list it in volumeTypes: its project cannot create volumes of it, so this quota grants nothing; add ${JSON.stringify(key)} to the tenant's volumeTypes, or remove the quota`,
        );
      const first = types.get(backend.volumeType);
      if (first !== undefined)
        f.error(
          "duplicate-name",
          ["tenants", ti, "quota", "perVolumeType", key],
          `${JSON.stringify(key)} and ${JSON.stringify(first)} name the same volume type ${JSON.stringify(backend.volumeType)}; keep one of them`,
        );
      else types.set(backend.volumeType, key);
    }
  });
}

/** A tenant's tiers: one name each, sources other tiers of its own, and something to admit. */
export function tenantTiers(spec: Spec, f: Findings) {
  // Other tenants' networks reach this one only through their routers' SNAT: never from there.
  const networks = spec.tenants.flatMap((t, i) =>
    t.network ? [{ i, name: t.name, cidr: t.network.cidr }] : [],
  );
  // What a tenant router's firewall lets in from outside: admin SSH, users' web ports, the
  // tenant's SSH sources and what it publishes (model/firewall.ts).
  const zones = spec.securityZones;
  const passes = (t: Spec["tenants"][number]) => [
    // (the admin networks' SSH where its sshCidrs name them: model/firewall.ts)
    ...zones.adminCidrs
      .filter((c) =>
        t.sshCidrs.some((s) => isValidCidr(s) && isValidCidr(c) && cidrKey(s) === cidrKey(c)),
      )
      .map((c) => ({ protocol: "tcp", port: 22, source: c })),
    ...(t.usersWeb
      ? (zones.userCidrs ?? DEFAULT_USER_CIDRS).flatMap((c) =>
          [80, 443].map((port) => ({ protocol: "tcp", port, source: c })),
        )
      : []),
    ...t.sshCidrs.map((c) => ({ protocol: "tcp", port: 22, source: c })),
    ...t.ingress.flatMap((r) =>
      r.sources.map((c) => ({ protocol: r.protocol, port: r.port, toPort: r.toPort, source: c })),
    ),
  ];
  // (the schema refuses a CIDR that does not parse; one that got this far is never let through)
  const inside = (inner: string, outer: string) =>
    isValidCidr(inner) && isValidCidr(outer) && within(parseCidr(inner), parseCidr(outer));
  const range = (r: PortSpan, at: Path) => {
    if (r.toPort !== undefined && r.toPort < r.port)
      f.error(
        "port-range",
        [...at, "toPort"],
        `toPort ${r.toPort} is below port ${r.port}, and a range runs from port up to toPort; swap them`,
      );
  };
  spec.tenants.forEach((t, i) => {
    t.ingress.forEach((r, j) => range(r, ["tenants", i, "ingress", j]));
    (t.egress ?? []).forEach((r, j) => range(r, ["tenants", i, "egress", j]));
    t.tiers.forEach((tier, j) =>
      tier.ingress.forEach((r, k) => range(r, ["tenants", i, "tiers", j, "ingress", k])),
    );
    duplicates(
      t.tiers,
      (tier) => tier.name,
      f,
      (j) => ["tenants", i, "tiers", j, "name"],
      "tier",
    );
    // Its own subnet and provider networks reach its ports without crossing its router; the
    // legacy bridge's flows have rules of their own on the router.
    const own = [
      ...(t.network ? [t.network.cidr] : []),
      ...spec.network.networks
        .filter((n) => t.providerNetworks.includes(n.name))
        .map((n) => n.cidr),
      ...(spec.legacyUnix?.subnets ?? []),
    ].filter(isValidCidr);
    const open = zones.firewall ? passes(t) : [];
    // The IP versions its instances have addresses of (a source of another is warned apart:
    // tier-source-ip-version).
    const versions = new Set(
      tenantNetworkCidrs(spec, t)
        .map((n) => n.cidr)
        .filter(isValidCidr)
        .map((c) => parseCidr(c).version),
    );
    // With tiers the base group admits no published service: some tier's group must.
    if (t.tiers.length)
      t.ingress.forEach((published, j) =>
        published.sources.forEach((source, k) => {
          // (each port by some tier's rule: one rule, or several together)
          const admitted = portsCovered(
            published,
            t.tiers.flatMap((tier) =>
              tier.ingress.filter(
                (r) =>
                  r.protocol === published.protocol && r.sources.some((c) => inside(source, c)),
              ),
            ),
          );
          if (!admitted)
            f.warn(
              "ingress-no-tier",
              ["tenants", i, "ingress", j, "sources", k],
              `tenant ${t.name} publishes ${published.protocol.toUpperCase()} ${portText(published)} to ${source} through its router, but no tier's group admits it, and with tiers the base group admits nothing but SSH and ICMP; add it to the ingress of the tier that serves it`,
            );
        }),
      );
    const names = new Set(t.tiers.map((tier) => tier.name));
    t.tiers.forEach((tier, j) =>
      tier.ingress.forEach((rule, k) => {
        const at: Path = ["tenants", i, "tiers", j, "ingress", k];
        rule.fromTiers.forEach((from, m) => {
          if (!names.has(from))
            f.error(
              "unknown-reference",
              [...at, "fromTiers", m],
              `tier ${JSON.stringify(from)} is not a tier of tenant ${t.name} (its tiers: ${[...names].join(", ")}); a security group admits groups of its own project`,
            );
        });
        rule.sources.forEach((source, m) => {
          if (!isValidCidr(source)) return;
          // (a source inside another tenant's network; a wider one, the users', holds more)
          const other = networks.find((n) => n.i !== i && inside(source, n.cidr));
          // From outside the tenant's subnet, traffic crosses its router's firewall first.
          if (
            zones.firewall &&
            !other &&
            (!versions.size || versions.has(parseCidr(source).version)) &&
            !own.some((o) => inside(source, o)) &&
            !open.some(
              (o) =>
                o.protocol === rule.protocol && portsWithin(rule, o) && inside(source, o.source),
            )
          )
            f.warn(
              "tier-source-firewalled",
              [...at, "sources", m],
              `tier ${tier.name} admits ${rule.protocol.toUpperCase()} ${portText(rule)} from ${source}, which reaches the tenant's network through its router, whose firewall (securityZones.firewall) lets in only what the tenant publishes; publish it in tenants[${i}].ingress`,
            );
          if (other)
            f.warn(
              "tier-source-other-tenant",
              [...at, "sources", m],
              `tier ${tier.name}'s source ${source} is tenant ${other.name}'s network, whose instances reach this project through their router's SNAT, from its external address: the rule admits nothing; name that address, or, for this project's own load balancer, its own network (tenants[${i}].network.cidr)`,
            );
        });
        if (!rule.fromTiers.length && !rule.sources.length)
          f.error(
            "tier-ingress-empty",
            at,
            `tier ${tier.name}'s ${rule.protocol.toUpperCase()} ${lastPort(rule) === rule.port ? "port" : "ports"} ${portText(rule)} names neither fromTiers nor sources, so nothing may reach it; name the tiers or networks it is for`,
          );
      }),
    );
  });
}
