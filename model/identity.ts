import { ldapUrls } from "../core/net";
import { BUILT_IN_DOMAIN } from "../spec/rules/identity";
import type { Spec } from "../spec/schema";
import { byName, STACKS, tenantId, tenantLookup } from "../core/naming";
import type { DomainModel, IdentityModel, LdapModel, RoleAssignmentModel } from "./types";

/** Keystone's built-in domain: it always exists and its id is literally "default". */
export const DEFAULT_DOMAIN = BUILT_IN_DOMAIN;

/** Ports a directory answers on when its URL names none (RFC 4516, RFC 8314). */
const LDAP_PORTS = { ldap: 389, ldaps: 636 } as const;

/**
 * Domains with their directory connection and every role assignment, each once: the tenant's own
 * groups on its project, then the mappings, with tenant keys resolved to tenant ids.
 */
export function resolveIdentity(spec: Spec): IdentityModel {
  const domains: DomainModel[] = spec.identity.domains
    .map((d) => ({
      name: d.name,
      description:
        d.description ?? (d.ldap ? `users and groups from ${d.ldap.url}` : `${d.name} domain`),
      ...(d.ldap ? { ldap: ldapModel(d.ldap, d.name) } : {}),
    }))
    .sort(byName);

  const assignments: RoleAssignmentModel[] = [];
  const seen = new Set<string>();
  const add = (a: RoleAssignmentModel) => {
    const key = JSON.stringify([
      a.groupDomain,
      a.group,
      a.role,
      a.tenant ?? null,
      a.domain ?? null,
    ]);
    if (seen.has(key)) return;
    seen.add(key);
    assignments.push(a);
  };
  for (const t of spec.tenants) {
    const id = tenantId(t);
    if (id === undefined) continue;
    for (const g of t.groups)
      add({
        group: g.name,
        groupDomain: t.domain ?? DEFAULT_DOMAIN,
        role: g.role,
        tenant: id,
        fromTenantGroups: true,
      });
  }
  const tenantOf = tenantLookup(spec.tenants);
  for (const m of spec.identity.groupRoleMappings) {
    const base = { group: m.group, groupDomain: m.domain, role: m.role, fromTenantGroups: false };
    if (m.tenant === undefined) {
      add({ ...base, domain: m.domain });
      continue;
    }
    const t = tenantOf(m.tenant);
    const id = t ? tenantId(t) : undefined;
    if (id !== undefined) add({ ...base, tenant: id });
  }
  const directories = new Set(domains.filter((d) => d.ldap).map((d) => d.name));
  const keystoneGroups = [
    ...new Map(
      assignments
        .filter((a) => !directories.has(a.groupDomain))
        .map((a) => [
          JSON.stringify([a.groupDomain, a.group]),
          { domain: a.groupDomain, name: a.group },
        ]),
    ).values(),
  ].sort((a, b) => (a.domain === b.domain ? byName(a, b) : a.domain < b.domain ? -1 : 1));
  return {
    domains,
    assignments,
    keystoneGroups,
    ...(assignments.some((a) => a.domain !== undefined)
      ? { domainRoleStack: STACKS.domainRoles }
      : {}),
  };
}

/** How Keystone reaches a directory: the port and whether TLS starts at once or by StartTLS. */
export function ldapModel(
  ldap: NonNullable<Spec["identity"]["domains"][number]["ldap"]>,
  domain: string,
): LdapModel {
  const scheme = ldap.url.startsWith("ldaps://") ? "ldaps" : "ldap";
  const activeDirectory = ldap.activeDirectory ?? true;
  const schema = DIRECTORY_SCHEMAS[activeDirectory ? "activeDirectory" : "standard"];
  const groupObjectClass = ldap.groupObjectClass ?? schema.groupObjectClass;
  return {
    url: ldap.url,
    servers: ldapUrls(ldap.url).map((url) => hostAndPort(url, LDAP_PORTS[scheme])),
    transport: scheme === "ldaps" ? "ldaps" : ldap.tls ? "starttls" : "plain",
    ...(ldap.bindDn
      ? { bindDn: ldap.bindDn, bindPasswordVariable: bindPasswordVariable(domain) }
      : {}),
    userTreeDn: ldap.userTreeDn,
    groupTreeDn: ldap.groupTreeDn,
    userObjectClass: ldap.userObjectClass ?? schema.userObjectClass,
    groupObjectClass,
    userIdAttribute: ldap.userIdAttribute ?? schema.userIdAttribute,
    ...groupMembership(groupObjectClass),
    activeDirectory,
    ...(ldap.userFilter ? { userFilter: ldap.userFilter } : {}),
    ...(ldap.groupFilter ? { groupFilter: ldap.groupFilter } : {}),
  };
}

/**
 * What users and groups are, by the directory's schema: Active Directory's, or the standard
 * ones OpenLDAP and 389 Directory Server ship (RFC 2798 inetOrgPerson, RFC 4519 groupOfNames),
 * which have no sAMAccountName or group class.
 */
const DIRECTORY_SCHEMAS = {
  activeDirectory: {
    userObjectClass: "person",
    groupObjectClass: "group",
    userIdAttribute: "sAMAccountName",
  },
  standard: {
    userObjectClass: "inetOrgPerson",
    groupObjectClass: "groupOfNames",
    userIdAttribute: "uid",
  },
} as const;

/**
 * How a group names its members, by its object class (RFC 2307 posixGroup, RFC 4519
 * groupOfUniqueNames; groupOfNames and AD's group use `member`). Object classes are
 * case-insensitive names.
 */
function groupMembership(
  objectClass: string,
): Pick<LdapModel, "groupMemberAttribute" | "groupMembersAreIds"> {
  switch (objectClass.toLowerCase()) {
    case "posixgroup":
      return { groupMemberAttribute: "memberUid", groupMembersAreIds: true };
    case "groupofuniquenames":
      return { groupMemberAttribute: "uniqueMember", groupMembersAreIds: false };
    default:
      return { groupMemberAttribute: "member", groupMembersAreIds: false };
  }
}

/**
 * `ldap_bind_password_<domain>`, an Ansible variable name. Domain names are lowercase letters,
 * digits and '-' (never '_'), so turning '-' into '_' keeps every domain's variable apart.
 */
export function bindPasswordVariable(domain: string): string {
  return `ldap_bind_password_${domain.replace(/-/g, "_")}`;
}

/** Host and port of an LDAP URL; the spec rules have checked that it parses. */
export function hostAndPort(url: string, defaultPort: number): { host: string; port: number } {
  try {
    const u = new URL(url);
    // An IPv6 literal as an address, without the URL's brackets.
    return {
      host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: u.port ? Number(u.port) : defaultPort,
    };
  } catch {
    return { host: url.replace(/^ldaps?:\/\//, "").split("/")[0], port: defaultPort };
  }
}
