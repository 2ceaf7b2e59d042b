import { Construct } from "constructs";
import { DataOpenstackIdentityGroupV3 } from "../.gen/providers/openstack/data-openstack-identity-group-v3";
import { DataOpenstackIdentityRoleV3 } from "../.gen/providers/openstack/data-openstack-identity-role-v3";
import { IdentityGroupV3 } from "../.gen/providers/openstack/identity-group-v3";
import { IdentityProjectV3 } from "../.gen/providers/openstack/identity-project-v3";
import { IdentityRoleAssignmentV3 } from "../.gen/providers/openstack/identity-role-assignment-v3";
import { DEFAULT_DOMAIN } from "../model/identity";
import type { Model, RoleAssignmentModel } from "../model/types";
import { tfLiteral } from "../core/terraform-literal";
import { stableId } from "./private/construct-id";

export interface IdentityIntegrationProps {
  readonly model: Model;
  /**
   * The role assignments to make. Project-scoped ones need `projectIds`.
   * @default the model's domain-scoped assignments (project ones live in the tenants' stacks)
   */
  readonly assignments?: readonly RoleAssignmentModel[];
  /** Keystone project ids by tenant id. @default none: every assignment must be domain-scoped */
  readonly projectIds?: Readonly<Record<string, string>>;
  /**
   * Ids of the design's domains, made by another stack: given, this construct makes no domain.
   * @default none: the design's domains are made here
   */
  readonly domainIds?: Readonly<Record<string, string>>;
}

/** Keystone's built-in domain: it always exists and its id is literally "default". */
export const DEFAULT_DOMAIN_ID = DEFAULT_DOMAIN;

/**
 * Keystone domains for the enterprise directories and the role assignments that map directory
 * groups to roles on a project, or on the whole domain when no tenant is named.
 *
 * Provider 3.4.0 has no domain resource: a domain is a project with is_domain. Groups Keystone keeps
 * itself are made with the domains. Directory groups are read-only through LDAP, so they are looked
 * up, never created; their domain's Keystone
 * configuration (artifacts/keystone-domains.ts) must be installed, and Keystone restarted once the
 * domain exists, before the lookups run: so lookups never share a stack with their domain.
 */
export class IdentityIntegration extends Construct {
  readonly domains: Readonly<Record<string, IdentityProjectV3>>;
  readonly assignments: readonly IdentityRoleAssignmentV3[];
  /** The groups Keystone keeps itself (model.identity.keystoneGroups), in the stack of the domains. */
  readonly groups: readonly IdentityGroupV3[];
  private readonly domainIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: IdentityIntegrationProps) {
    super(scope, id);
    const { model } = props;
    const identity = model.identity;

    const domains: Record<string, IdentityProjectV3> = {};
    for (const d of props.domainIds ? [] : identity.domains) {
      domains[d.name] = new IdentityProjectV3(child(this, `domain-${d.name}`), "Resource", {
        // No naming prefix: users log in with this name and Keystone finds the domain's
        // keystone.<name>.conf by it.
        name: tfLiteral(d.name),
        description: tfLiteral(d.description),
        isDomain: true,
        enabled: true,
        // Deleting a domain deletes every project, user and assignment in it.
        lifecycle: { preventDestroy: true },
      });
    }
    this.domains = domains;
    this.domainIds =
      props.domainIds ??
      Object.fromEntries(Object.entries(domains).map(([name, domain]) => [name, domain.id]));

    // Groups Keystone keeps itself, made beside the domains: the stacks with their assignments
    // look them up by name, as they do directory groups.
    const groups: IdentityGroupV3[] = [];
    for (const g of props.domainIds ? [] : identity.keystoneGroups)
      groups.push(
        new IdentityGroupV3(
          child(child(this, `keystone-groups-${g.domain}`), `group-${stableId(g.name)}`),
          "Resource",
          {
            name: tfLiteral(g.name),
            domainId: this.domainId(g.domain),
            description:
              "Group of the design; its members are added in Keystone (openstack group add user)",
          },
        ),
      );
    this.groups = groups;

    const roles = new Map<string, DataOpenstackIdentityRoleV3>();
    const assignments: IdentityRoleAssignmentV3[] = [];
    const wanted = props.assignments ?? identity.assignments.filter((a) => a.domain !== undefined);
    for (const a of wanted) {
      const groupDomainId = this.domainId(a.groupDomain);
      // Lookups and assignments nest under their domain, group and role: one key per level, so
      // free-text group names can never make two paths collide.
      const groupScope = child(
        child(this, `domain-${a.groupDomain}`),
        `group-${stableId(a.group)}`,
      );
      const group =
        (groupScope.node.tryFindChild("Resource") as DataOpenstackIdentityGroupV3 | undefined) ??
        new DataOpenstackIdentityGroupV3(groupScope, "Resource", {
          name: tfLiteral(a.group),
          domainId: groupDomainId,
        });
      let role = roles.get(a.role);
      if (!role) {
        role = new DataOpenstackIdentityRoleV3(this, `role-${stableId(a.role)}`, { name: a.role });
        roles.set(a.role, role);
      }
      const roleScope = child(groupScope, stableId(a.role));
      const scopeKey = a.tenant === undefined ? "domain" : `tenant-${stableId(a.tenant)}`;
      if (roleScope.node.tryFindChild(scopeKey))
        throw new Error(
          `IdentityIntegration got the assignment of group ${JSON.stringify(a.group)} as ${a.role} on ${a.tenant === undefined ? "the domain" : `tenant ${a.tenant}`} twice; pass each assignment once`,
        );
      // Exactly one actor (the group) and one scope (the project, else the domain).
      assignments.push(
        new IdentityRoleAssignmentV3(roleScope, scopeKey, {
          groupId: group.id,
          roleId: role.id,
          ...(a.tenant === undefined
            ? { domainId: this.domainId(a.domain ?? a.groupDomain) }
            : { projectId: this.projectId(props, a) }),
        }),
      );
    }
    this.assignments = assignments;
  }

  /** The id of a domain of the design, or of Keystone's default domain. */
  domainId(name: string): string {
    if (name === DEFAULT_DOMAIN_ID) return DEFAULT_DOMAIN_ID;
    if (!Object.hasOwn(this.domainIds, name))
      throw new Error(
        `IdentityIntegration has no domain ${JSON.stringify(name)}; declare it in identity.domains`,
      );
    return this.domainIds[name];
  }

  private projectId(props: IdentityIntegrationProps, a: RoleAssignmentModel): string {
    const ids = props.projectIds ?? {};
    const tenant = a.tenant ?? "";
    if (!Object.hasOwn(ids, tenant))
      throw new Error(
        `IdentityIntegration has no project id for tenant ${JSON.stringify(tenant)} (group ${JSON.stringify(a.group)} as ${a.role}); pass it in projectIds, keyed by the tenant's id`,
      );
    return ids[tenant];
  }
}

/** The child scope with this id, created on first use. */
function child(parent: Construct, id: string): Construct {
  return (parent.node.tryFindChild(id) as Construct | undefined) ?? new Construct(parent, id);
}
