import type { ConstructRule } from "../../rule";
import type { StackView } from "../../terraform";
import { literalText } from "../../private/targets";

/**
 * Roles that reach past one project: Keystone's admin (every service reads it as the cloud's),
 * service (the services' own APIs), Swift's ResellerAdmin (every account) and the `*_admin`
 * roles services define (load-balancer_admin, key-manager:admin).
 */
export const privilegedRole = (name: string): boolean =>
  /^(admin|service|reselleradmin)$/i.test(name) || /[_:.-]admin$/i.test(name);

const FIX =
  "grant roles through the spec (identity.groupRoleMappings or tenants[].groups) and synthesize again";

/** Who receives a role and where. */
const GRANT = ["group_id", "user_id", "project_id", "domain_id"] as const;

/** The role a `role_id` names: by the data source it reads, when that is in the stack. */
function roleOf(
  stack: StackView,
  reference: unknown,
  read: (body: Readonly<Record<string, unknown>> | undefined) => unknown,
  designed: boolean,
): { readonly name?: string } {
  const source = stack.resolveData(reference);
  if (source?.type !== "openstack_identity_role_v3") return {};
  const name = read(designed ? stack.designed(source) : source.body);
  return typeof name === "string" ? { name: literalText(name).trim() } : {};
}

/**
 * No role assignment a hand edit added or changed grants admin or another cloud-wide role: the
 * design grants the roles its spec names, at the addresses the synthesis gives them.
 */
export const noUndesignedPrivilegedRole: ConstructRule = {
  id: "SW-SEC-013",
  scope: "construct",
  severity: "error",
  title: "No role assignment grants admin or another cloud-wide role the design does not",
  help:
    "Keystone's admin role is the cloud's administrator in every service, whatever project it is " +
    "granted on; service, ResellerAdmin and the services' *_admin roles reach every project's " +
    "resources of their service. The design grants the roles its spec names (identity.groupRoleMappings, " +
    "tenants[].groups); a role assignment edited or added by hand that grants one of these roles, " +
    "or a role no data source of the stack names, is reported.",
  check(node, stack) {
    if (
      node.kind !== "resource" ||
      (node.type !== "openstack_identity_role_assignment_v3" &&
        node.type !== "openstack_identity_inherit_role_assignment_v3")
    )
      return [];
    const now = roleOf(stack, node.body.role_id, (b) => b?.name, false);
    if (now.name !== undefined && !privilegedRole(now.name)) return [];
    const designed = stack.designed(node);
    if (designed) {
      const was = roleOf(stack, designed.role_id, (b) => b?.name, true);
      const sameRole =
        now.name !== undefined
          ? was.name !== undefined && was.name.toLowerCase() === now.name.toLowerCase()
          : designed.role_id === node.body.role_id;
      // (and to whom and where: a grantee or scope edited, or the group looked up by another
      // name, grants the role to others)
      const sameGrant = GRANT.every(
        (k) => String(designed[k] ?? "").trim() === String(node.body[k] ?? "").trim(),
      );
      const group = stack.resolveData(node.body.group_id);
      const sameGroup =
        group?.type !== "openstack_identity_group_v3" ||
        JSON.stringify(group.body) === JSON.stringify(stack.designed(group) ?? null);
      if (sameRole && sameGrant && sameGroup) return [];
      if (sameRole)
        return [
          {
            target: node.path,
            message: `role assignment grants ${now.name !== undefined ? `the ${now.name} role` : "its role"} to another grantee or on another scope than the design does (its group, user, project or domain, or the group it looks up, edited)`,
            fix: FIX,
          },
        ];
    }
    const role =
      now.name !== undefined
        ? `the ${now.name} role`
        : `a role no data source of this stack names (role_id ${String(node.body.role_id)})`;
    return [
      {
        target: node.path,
        message: `role assignment grants ${role}, which the design ${designed ? "does not grant here" : "has no assignment for"}`,
        fix: FIX,
      },
    ];
  },
};
