import { Construct } from "constructs";
import { DataOpenstackIdentityGroupV3 } from "../.gen/providers/openstack/data-openstack-identity-group-v3";
import { DataOpenstackIdentityRoleV3 } from "../.gen/providers/openstack/data-openstack-identity-role-v3";
import { IdentityProjectV3 } from "../.gen/providers/openstack/identity-project-v3";
import { IdentityRoleAssignmentV3 } from "../.gen/providers/openstack/identity-role-assignment-v3";
import type { Model } from "../model/types";
import { tfLiteral } from "../synth/escape";
import { stableId } from "./private/construct-id";

export interface IdentityIntegrationProps {
  readonly model: Model;
  /**
   * Keystone project ids of the tenants that group-role mappings name, keyed by tenant id or name.
   * @default none: every mapping must then be domain-scoped
   */
  readonly projectIds?: Readonly<Record<string, string>>;
}

/** Keystone's built-in domain: it always exists and its id is literally "default". */
export const DEFAULT_DOMAIN_ID = "default";

/**
 * Keystone domains for the enterprise directories and the role assignments that map directory
 * groups to roles on a project, or on the whole domain when no tenant is named.
 *
 * Provider 3.4.0 has no domain resource: a domain is a project with is_domain. Directory groups are
 * read-only through LDAP, so they are looked up, never created; their domain's Keystone
 * configuration (artifacts/keystone-domains.ts) must be installed before the lookups run.
 */
export class IdentityIntegration extends Construct {
  readonly domains: Readonly<Record<string, IdentityProjectV3>>;
  readonly assignments: readonly IdentityRoleAssignmentV3[];

  constructor(scope: Construct, id: string, props: IdentityIntegrationProps) {
    super(scope, id);
    const { model } = props;
    const identity = model.identity;

    const domains: Record<string, IdentityProjectV3> = {};
    for (const d of identity.domains) {
      if (d.name === DEFAULT_DOMAIN_ID)
        throw new Error(
          `identity.domains declares "${DEFAULT_DOMAIN_ID}", Keystone's built-in domain, which cannot be created again; remove it (mappings may name it without declaring it)`,
        );
      domains[d.name] = new IdentityProjectV3(child(this, `domain-${d.name}`), "Resource", {
        // No naming prefix: users log in with this name and Keystone finds the domain's
        // keystone.<name>.conf by it.
        name: tfLiteral(d.name),
        description: tfLiteral(
          d.description ?? (d.ldap ? `users and groups from ${d.ldap.url}` : `${d.name} domain`),
        ),
        isDomain: true,
        enabled: true,
      });
    }
    this.domains = domains;

    const roles = new Map<string, DataOpenstackIdentityRoleV3>();
    const assignments: IdentityRoleAssignmentV3[] = [];
    for (const m of identity.groupRoleMappings) {
      const domainId = this.domainId(m.domain);
      // Lookups and assignments nest under their domain, group and role: one key per level, so
      // free-text group names can never make two paths collide.
      const groupScope = child(child(this, `domain-${m.domain}`), `group-${stableId(m.group)}`);
      const group =
        (groupScope.node.tryFindChild("Resource") as DataOpenstackIdentityGroupV3 | undefined) ??
        new DataOpenstackIdentityGroupV3(groupScope, "Resource", {
          name: tfLiteral(m.group),
          domainId,
        });
      let role = roles.get(m.role);
      if (!role) {
        role = new DataOpenstackIdentityRoleV3(this, `role-${m.role}`, { name: m.role });
        roles.set(m.role, role);
      }

      // Keyed by the tenant's id, so naming it by id or by name gives the same address.
      const tenantId =
        m.tenant === undefined
          ? undefined
          : (model.tenants.find((t) => t.id === m.tenant || t.name === m.tenant)?.id ?? m.tenant);
      const roleScope = child(groupScope, m.role);
      const scopeKey = tenantId === undefined ? "domain" : `tenant-${stableId(tenantId)}`;
      if (roleScope.node.tryFindChild(scopeKey))
        throw new Error(
          `identity.groupRoleMappings maps group ${JSON.stringify(m.group)} of domain ${m.domain} to role ${m.role} on ${m.tenant === undefined ? "the domain" : `tenant ${JSON.stringify(m.tenant)}`} twice; remove the duplicate`,
        );
      // Exactly one actor (the group) and one scope (the project, else the domain).
      assignments.push(
        new IdentityRoleAssignmentV3(roleScope, scopeKey, {
          groupId: group.id,
          roleId: role.id,
          ...(m.tenant === undefined
            ? { domainId }
            : { projectId: this.projectId(props, m.tenant, m.group, m.role) }),
        }),
      );
    }
    this.assignments = assignments;
  }

  /** The id of a domain of the design, or of Keystone's default domain. */
  domainId(name: string): string {
    if (name === DEFAULT_DOMAIN_ID) return DEFAULT_DOMAIN_ID;
    const domain = Object.hasOwn(this.domains, name) ? this.domains[name] : undefined;
    if (!domain)
      throw new Error(
        `IdentityIntegration has no domain ${JSON.stringify(name)}; declare it in identity.domains`,
      );
    return domain.id;
  }

  private projectId(
    props: IdentityIntegrationProps,
    tenant: string,
    group: string,
    role: string,
  ): string {
    const ids = props.projectIds ?? {};
    const t = props.model.tenants.find((x) => x.id === tenant || x.name === tenant);
    const found = [tenant, t?.id, t?.name]
      .filter((k): k is string => k !== undefined)
      .find((k) => Object.hasOwn(ids, k));
    if (found === undefined)
      throw new Error(
        `IdentityIntegration has no project id for tenant ${JSON.stringify(tenant)} (group ${JSON.stringify(group)} as ${role}); pass it in projectIds, keyed by the tenant's id or name`,
      );
    return ids[found];
  }
}

/** The child scope with this id, created on first use. */
function child(parent: Construct, id: string): Construct {
  return (parent.node.tryFindChild(id) as Construct | undefined) ?? new Construct(parent, id);
}
