import { AD_BIND_NAME, type Spec } from "../schema";
import type { Findings } from "./findings";
import { ldapUrls } from "../../core/net";
import { foldName } from "../text-checks";
import { terraformName } from "../../core/terraform-names";
import { objectStore } from "../../core/object-stores";
import { tenantId } from "../../core/naming";

/** Keystone's built-in domain, which exists in every cloud and cannot be created again. */
export const BUILT_IN_DOMAIN = "default";
/** Keystone's federated_domain_name default, compared without case. */
const FEDERATED_DOMAIN = "federated";

/** Keystone's SQL identity backend keeps group names in a column of 64 characters. */
const SQL_GROUP_NAME_MAX = 64;

/** Domains the design may create and directory URLs Keystone can connect to. */
export function identity(spec: Spec, f: Findings) {
  // A group of a domain without a directory lives in Keystone's database, whose column holds no
  // longer name: the stacks' lookups of such a group could never find it.
  const directory = new Set(spec.identity.domains.filter((d) => d.ldap).map((d) => d.name));
  // Keystone's database compares names without case (MariaDB's utf8_general_ci, as Kolla
  // configures it): two spellings would be two creates of one group, the second refused. A
  // directory matches cn without case too (caseIgnoreMatch): two spellings are one group, whose
  // one grant two Terraform resources would hold, and the first deleted revokes it for both.
  const spelled = new Map<string, string>();
  const addressed = new Map<string, string>();
  /** `grant`: where the group's grant takes its Terraform address (scope and role). */
  const group = (
    name: string,
    domain: string,
    path: (string | number)[],
    grant: { readonly scope: string; readonly role: string },
  ) => {
    const sql = !directory.has(domain);
    if (sql && [...name].length > SQL_GROUP_NAME_MAX)
      f.error(
        "group-name-too-long",
        path,
        `group ${JSON.stringify(name)} of domain ${domain} has ${[...name].length} characters; a group in Keystone's database (a domain without ldap) has at most ${SQL_GROUP_NAME_MAX}`,
      );
    const key = JSON.stringify([domain, foldName(name)]);
    const first = spelled.get(key);
    if (first === undefined) spelled.set(key, name);
    else if (first !== name)
      f.error(
        "duplicate-name",
        path,
        `group ${JSON.stringify(name)} of domain ${domain} is group ${JSON.stringify(first)} to ${sql ? "Keystone, whose database compares names without case" : "its directory, which matches names without case"}; spell it one way`,
      );
    // Groups and their grants take Terraform addresses from their names: two names Terraform
    // reads alike would take each other's address when one comes or goes, and with it the
    // other's members (a group the platform makes) or its grant (a directory's group).
    // (A directory's groups take addresses only in their grants: of one tenant and role.)
    if (first !== undefined) return;
    const addressKey = JSON.stringify(
      sql
        ? [domain, terraformName([name])]
        : [domain, grant.scope, grant.role, terraformName([name])],
    );
    const alike = addressed.get(addressKey);
    if (alike === undefined) addressed.set(addressKey, name);
    else if (foldName(alike) !== foldName(name))
      f.error(
        "duplicate-name",
        path,
        `group ${JSON.stringify(name)} of domain ${domain} and group ${JSON.stringify(alike)} read alike as Terraform names, which keep only letters a-z, digits and '_'${sql ? "; rename one" : `: their grants as ${grant.role} ${grant.scope} would trade Terraform addresses as grants come and go, and a replaced one revoke the other's role; grant one of them`}`,
      );
  };
  spec.tenants.forEach((t, i) =>
    t.groups.forEach((g, j) =>
      group(g.name, t.domain ?? BUILT_IN_DOMAIN, ["tenants", i, "groups", j, "name"], {
        scope: `in tenant ${tenantId(t) ?? t.name}`,
        role: g.role,
      }),
    ),
  );
  sharedTenantGroups(spec, directory, f);
  filteredGroups(spec, f);
  spec.identity.groupRoleMappings.forEach((m, i) =>
    group(m.group, m.domain, ["identity", "groupRoleMappings", i, "group"], {
      scope: m.tenant === undefined ? `on domain ${m.domain}` : `mapped in tenant ${m.tenant}`,
      role: m.role,
    }),
  );
  spec.identity.domains.forEach((d, i) => {
    if (d.name === BUILT_IN_DOMAIN)
      f.error(
        "name-reserved",
        ["identity", "domains", i, "name"],
        `"${BUILT_IN_DOMAIN}" is Keystone's built-in domain, which exists already and cannot be created again; remove it from identity.domains (tenants and mappings may name it without declaring it)`,
      );
    // Keystone keeps this name (case aside) for federated users' domain ([federation]
    // federated_domain_name) and refuses to create a domain of it.
    if (d.name === FEDERATED_DOMAIN)
      f.error(
        "name-reserved",
        ["identity", "domains", i, "name"],
        `"${FEDERATED_DOMAIN}" is the name Keystone keeps for federated users' domain ([federation] federated_domain_name), and it refuses to create a domain of that name; choose another`,
      );
    if (!d.ldap) return;
    const at = ["identity", "domains", i, "ldap", "url"];
    // Keystone tries the servers of a comma-separated list in turn, with one TLS setting.
    const urls = ldapUrls(d.ldap.url);
    const problems = urls.map((text) => {
      let url: URL | undefined;
      try {
        url = new URL(text);
      } catch {
        url = undefined;
      }
      if (!/^ldaps?:\/\//.test(text) || !url || !url.hostname || url.port === "0")
        return `${JSON.stringify(text)} is not an LDAP URL with a host (ldap://host[:port] or ldaps://host[:port])`;
      // Keystone takes the base DN, scope and bind user from their own options: an LDAP URL's
      // DN, attributes or extensions (where a bind password can hide, X-BINDPW) have no place.
      if (!["", "/"].includes(url.pathname) || url.search || url.hash)
        return "the LDAP URL holds more than its server: write ldap://host[:port] or ldaps://host[:port]; the base DNs and the bind user have their own settings (userTreeDn, groupTreeDn, user), and the bind password comes from Kolla's passwords.yml";
      return undefined;
    });
    const problem = problems.find((p) => p !== undefined);
    // Keystone checks a user's password by binding as the user: without TLS it crosses the wire.
    if (!d.ldap.tls && urls.every((u) => u.startsWith("ldap://")))
      f.warn(
        "ldap-cleartext",
        ["identity", "domains", i, "ldap", "tls"],
        `domain ${d.name} reaches its directory over plain LDAP: Keystone checks each user's password by binding as the user, so every login password${d.ldap.bindDn ? " and the bind password" : ""} crosses the network in clear text; set tls to true (StartTLS) or use an ldaps:// URL`,
      );
    const activeDirectory = d.ldap.activeDirectory ?? true;
    // Classes only the standard schemas use, beside Active Directory unstated: what Keystone
    // then asks of the directory that OpenLDAP and 389 DS cannot answer.
    const standard: readonly (readonly [string, string | undefined, readonly string[]])[] = [
      ["userObjectClass", d.ldap.userObjectClass, ["inetorgperson", "posixaccount"]],
      ["groupObjectClass", d.ldap.groupObjectClass, ["groupofnames", "groupofuniquenames"]],
    ];
    const stated = standard.find(([, v, of]) => v && of.includes(v.toLowerCase()));
    // (Keystone nests by AD's matching rule only for groups listing members in member)
    const nests = !["posixgroup", "groupofuniquenames"].includes(
      (d.ldap.groupObjectClass ?? "group").toLowerCase(),
    );
    const fails = [
      ...(nests
        ? [
            "look up group members by Active Directory's nested-group matching rule, which other directories do not implement, so no user would be in a group",
          ]
        : []),
      ...(d.ldap.userIdAttribute === undefined
        ? ["name users by sAMAccountName, which other directories lack, so no user would exist"]
        : []),
    ];
    if (d.ldap.activeDirectory === undefined && stated && fails.length)
      f.error(
        "ldap-directory-unstated",
        ["identity", "domains", i, "ldap", stated[0]],
        `domain ${d.name}'s ${stated[0]} ${stated[1]} is the standard schemas' (OpenLDAP, 389 Directory Server), while activeDirectory, not written, is true: Keystone would ${fails.join(", and ")}; set activeDirectory: false, or true where the server is Active Directory`,
      );
    // user@domain and DOMAIN\user are Active Directory's bind names: other directories bind by DN.
    if (!activeDirectory && d.ldap.bindDn && AD_BIND_NAME.test(d.ldap.bindDn))
      f.error(
        "ldap-bind-name",
        ["identity", "domains", i, "ldap", "bindDn"],
        `domain ${d.name}'s bind user ${JSON.stringify(d.ldap.bindDn)} is an Active Directory name, but its directory is not Active Directory (activeDirectory: false), which binds by DN alone; give the bind user's DN`,
      );
    // Active Directory answers no search without an authenticated bind (its default): every
    // user and group lookup, logins and the stacks' group look-ups, would fail.
    if (activeDirectory && !d.ldap.bindDn)
      f.warn(
        "ldap-anonymous-bind",
        ["identity", "domains", i, "ldap"],
        `domain ${d.name}'s Active Directory is searched with no bind user, and Active Directory refuses anonymous searches unless told otherwise: Keystone would find no user or group, and logins and the stacks' group look-ups fail; set bindDn (its password goes into Kolla's passwords.yml)`,
      );
    // A posixGroup lists its members' uids (memberUid), which Keystone compares with user ids.
    const idAttribute = d.ldap.userIdAttribute ?? (activeDirectory ? "sAMAccountName" : "uid");
    // (Active Directory's RFC 2307 groups list sAMAccountNames, its default user id attribute)
    const listed = activeDirectory ? ["uid", "samaccountname"] : ["uid"];
    if (
      d.ldap.groupObjectClass?.toLowerCase() === "posixgroup" &&
      !listed.includes(idAttribute.toLowerCase())
    )
      f.error(
        "ldap-posix-group-ids",
        ["identity", "domains", i, "ldap", "userIdAttribute"],
        `domain ${d.name}'s groups are posixGroups, whose memberUid lists the members' uids, which Keystone compares with the user id attribute ${idAttribute}: no user would be in any group, and no grant would reach anyone; set userIdAttribute to ${activeDirectory ? "sAMAccountName or uid" : "uid"}, or use ${activeDirectory ? "group" : "groupOfNames"} groups`,
      );
    if (problem) f.error("ldap-url", at, problem);
    else if (new Set(urls.map((u) => u.startsWith("ldaps://"))).size > 1)
      f.error(
        "ldap-url",
        at,
        "the LDAP servers mix ldap:// and ldaps://, while Keystone connects to all of them alike (its use_tls); write them with one scheme",
      );
  });
  roles(spec, f);
  loadBalancerMembers(spec, f);
}

/**
 * The group names a directory's group filter admits, where the filter says so plainly: a cn item
 * (its * wildcards) alone or in an AND of items. Undefined for any other filter (OR, NOT,
 * escapes, matching rules), which the design does not guess at.
 */
export function filterNamePatterns(filter: string): ((name: string) => boolean)[] | undefined {
  const item = /^\(([A-Za-z][A-Za-z0-9-]*)=([^()\\]*)\)$/;
  const and = /^\(&((?:\([^()]*\))+)\)$/.exec(filter.trim());
  const items = and ? (and[1].match(/\([^()]*\)/g) ?? []) : [filter.trim()];
  const patterns: ((name: string) => boolean)[] = [];
  for (const text of items) {
    const m = item.exec(text);
    if (!m) return undefined;
    if (m[1].toLowerCase() === "cn") patterns.push((name) => substringMatch(m[2], name));
  }
  return patterns;
}

/**
 * Whether a name matches an LDAP substring value (RFC 4515: parts between * wildcards) as cn's
 * caseIgnoreMatch does: without case, runs of spaces as one (RFC 4518). One pass left to right:
 * the first place each part fits is as good as any later one.
 */
function substringMatch(value: string, name: string): boolean {
  const squash = (t: string) => t.toLowerCase().replace(/ +/g, " ");
  const text = squash(name).trim();
  const parts = value.split("*").map(squash);
  if (parts.length === 1) return text === parts[0].trim();
  const first = parts[0].trimStart();
  const last = parts[parts.length - 1].trimEnd();
  if (!text.startsWith(first)) return false;
  let at = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = text.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return text.length - at >= last.length && text.endsWith(last);
}

/**
 * Groups a directory's groupFilter keeps out: Keystone adds the filter to every group search
 * (keystone/identity/backends/ldap/common.py), so the stacks' lookups of them find nothing.
 */
function filteredGroups(spec: Spec, f: Findings) {
  const patterns = new Map(
    spec.identity.domains.flatMap((d) => {
      const filter = d.ldap?.groupFilter;
      const admits = filter ? filterNamePatterns(filter) : undefined;
      return filter && admits?.length ? [[d.name, { filter, admits }] as const] : [];
    }),
  );
  const check = (name: string, domain: string, path: (string | number)[]) => {
    const p = patterns.get(domain);
    if (p && !p.admits.every((admits) => admits(name)))
      f.warn(
        "ldap-group-filtered",
        path,
        `group ${name} of domain ${domain} does not match the domain's groupFilter ${p.filter}, which Keystone adds to every group search: the stack's lookup finds no such group and its apply stops there; rename the group in the design to the directory's, or widen the filter`,
      );
  };
  spec.tenants.forEach((t, i) =>
    t.groups.forEach((g, j) =>
      check(g.name, t.domain ?? BUILT_IN_DOMAIN, ["tenants", i, "groups", j, "name"]),
    ),
  );
  spec.identity.groupRoleMappings.forEach((m, i) =>
    check(m.group, m.domain, ["identity", "groupRoleMappings", i, "group"]),
  );
}

/**
 * Tenants of a domain without a directory listing a group of one name: the platform stack makes
 * one Keystone group of that name, so whoever is added for one tenant gets the other's role too.
 * A group meant for several tenants is granted so in identity.groupRoleMappings.
 */
function sharedTenantGroups(spec: Spec, directory: ReadonlySet<string>, f: Findings) {
  const first = new Map<string, string>();
  spec.tenants.forEach((t, i) => {
    const domain = t.domain ?? BUILT_IN_DOMAIN;
    if (directory.has(domain)) return;
    const named = new Set<string>();
    t.groups.forEach((g, j) => {
      const key = JSON.stringify([domain, foldName(g.name)]);
      if (named.has(key)) return;
      named.add(key);
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, t.name);
        return;
      }
      f.warn(
        "tenant-group-shared",
        ["tenants", i, "groups", j, "name"],
        `tenants ${earlier} and ${t.name} both list group ${g.name} of domain ${domain}, which has no directory: the platform stack makes one Keystone group ${g.name} there, so whoever is added to it for one tenant gets its role on the other's project too; give each tenant's group a name of its own (${tenantId(t) ?? t.name}-${g.name}), or, for the same people on several projects, grant the group in identity.groupRoleMappings`,
      );
    });
  });
}

/**
 * Octavia's default policies let a project's users read or make load balancers only with both
 * member and load-balancer_member (load-balancer:member_and_owner): a tenant whose people hold
 * member alone sees its load-balancer quota and cannot use it.
 */
function loadBalancerMembers(spec: Spec, f: Findings) {
  if (!spec.controlPlane.services.includes("octavia")) return;
  spec.tenants.forEach((t, ti) => {
    // (a tenant given no load balancers has nothing to use)
    if (t.quota.loadBalancers === 0) return;
    const mapped = spec.identity.groupRoleMappings
      .filter((m) => m.tenant !== undefined && (m.tenant === t.name || m.tenant === tenantId(t)))
      .map((m) => m.role.toLowerCase());
    const held = [...t.groups.map((g) => g.role.toLowerCase()), ...mapped];
    if (!held.includes("member") || held.includes("load-balancer_member")) return;
    f.warn(
      "load-balancer-member-missing",
      ["tenants", ti, "groups"],
      `tenant ${t.name}'s groups hold member but not load-balancer_member, and Octavia's default policies let a project's users read or make load balancers only with both: its people cannot use load balancers; grant load-balancer_member to the groups that run its services`,
    );
  });
}

/**
 * The roles the cloud has when its stacks look them up: Keystone's bootstrap makes admin,
 * manager, member, reader and service; Kolla-Ansible makes those its services' policies use.
 */
const KEYSTONE_ROLES = ["admin", "manager", "member", "reader", "service"];
const SERVICE_ROLES: Readonly<Record<string, readonly string[]>> = {
  heat: ["heat_stack_owner", "heat_stack_user"],
  octavia: [
    "load-balancer_observer",
    "load-balancer_global_observer",
    "load-balancer_member",
    "load-balancer_admin",
    "load-balancer_quota_admin",
  ],
};

/**
 * Roles of the grants: one spelling each (Keystone's database compares names without case), and
 * a warning for a role nobody makes (a typo fails the stack's lookup at plan time).
 */
function roles(spec: Spec, f: Findings) {
  const known = [
    ...KEYSTONE_ROLES,
    ...spec.controlPlane.services.flatMap((s) => SERVICE_ROLES[s] ?? []),
    // Kolla's ceph-rgw role (ceph_rgw_ks_roles) registers the gateways' reseller role.
    ...(objectStore(spec.storage, spec.controlPlane.services) === "rgw" ? ["ResellerAdmin"] : []),
  ];
  const made = new Set(known.map((r) => r.toLowerCase()));
  const grants = [
    ...spec.identity.groupRoleMappings.map((m, i) => ({
      role: m.role,
      path: ["identity", "groupRoleMappings", i, "role"],
    })),
    ...spec.tenants.flatMap((t, ti) =>
      t.groups.map((g, gi) => ({ role: g.role, path: ["tenants", ti, "groups", gi, "role"] })),
    ),
  ];
  const spelled = new Map<string, string>();
  const read = new Map<string, string>();
  const warned = new Set<string>();
  for (const { role, path } of grants) {
    const key = role.toLowerCase();
    const first = spelled.get(key);
    const alike = read.get(terraformName([role]));
    if (first === undefined) spelled.set(key, role);
    else if (first !== role)
      f.error(
        "duplicate-name",
        path,
        `role ${role} is role ${first} to Keystone, whose database compares names without case; spell it one way`,
      );
    // The grants' Terraform addresses carry the role: two roles read alike would swap addresses
    // as grants come and go.
    if (alike === undefined) read.set(terraformName([role]), role);
    else if (alike.toLowerCase() !== key)
      f.error(
        "duplicate-name",
        path,
        `roles ${role} and ${alike} differ only in punctuation, which Terraform names read alike; grant one of them`,
      );
    if (!made.has(key) && !warned.has(key)) {
      warned.add(key);
      f.warn(
        "role-unknown",
        path,
        `role ${role} is none Keystone or Kolla-Ansible makes for this design (${known.join(", ")}): the stacks look it up by name and fail to plan until an operator makes it (openstack role create ${role}); check the spelling`,
      );
    }
  }
}
