// Declares the cdktf matchers on jest's expect.
import "cdktf/lib/testing/adapters/jest";
import { Testing, TerraformStack } from "cdktf";
import { DataOpenstackIdentityGroupV3 } from "../../.gen/providers/openstack/data-openstack-identity-group-v3";
import { DataOpenstackIdentityRoleV3 } from "../../.gen/providers/openstack/data-openstack-identity-role-v3";
import { IdentityProjectV3 } from "../../.gen/providers/openstack/identity-project-v3";
import { IdentityRoleAssignmentV3 } from "../../.gen/providers/openstack/identity-role-assignment-v3";
import { IdentityIntegration } from "../../constructs/identity-integration";
import type { Model } from "../../model/types";
import { CORE_SERVICES, load, swiftCluster, variant } from "../support/fixtures";
import { schemaProblems } from "../support/provider-schema";
import { testApp } from "../support/synth";

Testing.setupJest();

const ldap = {
  url: "ldaps://ad.example.com",
  userTreeDn: "OU=Users,DC=example,DC=com",
  groupTreeDn: "OU=Groups,DC=example,DC=com",
  bindDn: "CN=svc-openstack,OU=Service,DC=example,DC=com",
};

const model = load(
  variant((s) => {
    s.identity = {
      domains: [{ name: "corp", description: "Corporate AD ${x}", ldap }, { name: "partners" }],
      groupRoleMappings: [
        { domain: "corp", group: "Cloud Admins", role: "admin" },
        { domain: "corp", group: "Retail Ops", role: "member", tenant: "Retail Banking" },
        { domain: "corp", group: "Retail Ops", role: "reader", tenant: "retail" },
        { domain: "default", group: "ops", role: "reader" },
      ],
    };
    s.tenants = [{ name: "Retail Banking", id: "retail", domain: "corp" }];
  }),
).model;

/** Synthesizes every mapped assignment; project-scoped ones when project ids are given. */
function synth(m: Model, projectIds?: Record<string, string>): string {
  const app = testApp();
  const stack = new TerraformStack(app, "test");
  const assignments = m.identity.assignments.filter((a) => !a.fromTenantGroups);
  new IdentityIntegration(stack, "identity", { model: m, assignments, projectIds });
  return Testing.synth(stack);
}

/** Each data source's arguments must be in the committed provider schema's data source block. */
function dataSourceProblems(json: { data?: Record<string, Record<string, object>> }): string[] {
  const allowed: Record<string, string[]> = {
    openstack_identity_group_v3: ["name", "domain_id", "region"],
    openstack_identity_role_v3: ["name", "domain_id", "region"],
  };
  return Object.entries(json.data ?? {}).flatMap(([type, items]) =>
    Object.entries(items).flatMap(([name, body]) =>
      Object.keys(body)
        .filter((k) => !(allowed[type] ?? []).includes(k))
        .map((k) => `${type}.${name}.${k}`),
    ),
  );
}

describe("IdentityIntegration", () => {
  // WHEN
  const out = synth(model, { retail: "${openstack_identity_project_v3.retail.id}" });
  const json = JSON.parse(out);

  test("creates each domain as a project with is_domain, named as the spec says", () => {
    // THEN
    expect(out).toHaveResourceWithProperties(IdentityProjectV3, {
      name: "corp",
      is_domain: true,
      enabled: true,
      description: "Corporate AD $${x}",
    });
    expect(out).toHaveResourceWithProperties(IdentityProjectV3, {
      name: "partners",
      is_domain: true,
    });
  });

  test("looks directory groups up in their domain; makes the groups Keystone keeps itself", () => {
    // THEN
    expect(out).toHaveDataSourceWithProperties(DataOpenstackIdentityGroupV3, {
      name: "Cloud Admins",
      domain_id: expect.stringContaining("openstack_identity_project_v3"),
    });
    expect(out).toHaveDataSourceWithProperties(DataOpenstackIdentityGroupV3, {
      name: "ops",
      domain_id: "default",
    });
    // Only Default's `ops` is made: Keystone keeps no directory group of its own.
    expect(Object.values<any>(json.resource.openstack_identity_group_v3)).toEqual([
      expect.objectContaining({ name: "ops", domain_id: "default" }),
    ]);
    // One lookup per group, however many roles it gets.
    expect(Object.keys(json.data.openstack_identity_group_v3)).toHaveLength(3);
    expect(out).toHaveDataSourceWithProperties(DataOpenstackIdentityRoleV3, { name: "member" });
  });

  test("scopes an assignment to the project when a tenant is named, else to the domain", () => {
    const assignments = Object.values(
      json.resource.openstack_identity_role_assignment_v3,
    ) as Record<string, string>[];
    expect(assignments).toHaveLength(4);
    for (const a of assignments) {
      // Exactly one actor and one scope.
      expect(a.group_id).toBeDefined();
      expect(a.user_id).toBeUndefined();
      expect(Number("project_id" in a) + Number("domain_id" in a)).toBe(1);
    }
    expect(out).toHaveResourceWithProperties(IdentityRoleAssignmentV3, {
      project_id: "${openstack_identity_project_v3.retail.id}",
      role_id: expect.stringContaining("data.openstack_identity_role_v3"),
      group_id: expect.stringContaining("data.openstack_identity_group_v3"),
    });
    expect(out).toHaveResourceWithProperties(IdentityRoleAssignmentV3, {
      domain_id: "default",
    });
    expect(
      assignments.filter((a) => a.project_id === "${openstack_identity_project_v3.retail.id}"),
    ).toHaveLength(2);
  });

  test("emits only attributes of provider v3.4.0 and no LDAP credential", () => {
    expect(schemaProblems(json)).toEqual([]);
    expect(dataSourceProblems(json)).toEqual([]);
    expect(out).not.toMatch(/password|svc-openstack/i);
  });

  test("fails when a named tenant has no project id", () => {
    expect(() => synth(model)).toThrow('IdentityIntegration has no project id for tenant "retail"');
  });

  test("makes only the domain-scoped assignments by default", () => {
    // WHEN
    const app = testApp();
    const stack = new TerraformStack(app, "test");
    new IdentityIntegration(stack, "identity", { model });
    const assignments = Object.values(
      JSON.parse(Testing.synth(stack)).resource.openstack_identity_role_assignment_v3,
    ) as Record<string, string>[];
    // THEN
    expect(assignments).toHaveLength(2);
    expect(assignments.every((a) => "domain_id" in a)).toBe(true);
  });

  test("makes no domain when the domains' ids are given, and scopes roles to those ids", () => {
    // WHEN the domains are made by another stack
    const app = testApp();
    const stack = new TerraformStack(app, "test");
    new IdentityIntegration(stack, "identity", {
      model,
      domainIds: { corp: "${var.corp_id}", partners: "${var.partners_id}" },
    });
    const json = JSON.parse(Testing.synth(stack));
    // THEN only the lookups and assignments are here, on the given ids
    expect(json.resource.openstack_identity_project_v3).toBeUndefined();
    expect(
      Object.values<any>(json.resource.openstack_identity_role_assignment_v3)
        .map((a) => a.domain_id)
        .sort(),
    ).toEqual(["${var.corp_id}", "default"]);
    expect(
      Object.values<any>(json.data.openstack_identity_group_v3)
        .map((g) => g.domain_id)
        .sort(),
    ).toEqual(["${var.corp_id}", "default"]);
  });

  test("fails when an assignment is passed twice", () => {
    const m = load(
      variant((s) => {
        s.identity = {
          domains: [{ name: "corp" }],
          groupRoleMappings: [{ domain: "corp", group: "ops", role: "admin" }],
        };
      }),
    ).model;
    const twice = [...m.identity.assignments, ...m.identity.assignments];
    const app = testApp();
    const stack = new TerraformStack(app, "test");
    expect(
      () => new IdentityIntegration(stack, "identity", { model: m, assignments: twice }),
    ).toThrow("twice; pass each assignment once");
  });
});

test("grants roles by the names Kolla-Ansible's services give them, without a warning", () => {
  // GIVEN Heat, whose Kolla role makes heat_stack_owner, granted on a whole domain
  const loaded = load(
    variant((s) => {
      s.controlPlane.services.push("heat");
      s.identity = {
        domains: [{ name: "corp", ldap }],
        groupRoleMappings: [{ domain: "corp", group: "Stack Ops", role: "heat_stack_owner" }],
      };
    }),
  );
  expect(loaded.warnings.map((w) => w.code)).not.toContain("role-unknown");
  // WHEN synthesized THEN the role is looked up by that name and granted
  const json = synth(loaded.model);
  expect(json).toHaveDataSourceWithProperties(DataOpenstackIdentityRoleV3, {
    name: "heat_stack_owner",
  });
  expect(json).toHaveResourceWithProperties(IdentityRoleAssignmentV3, {
    role_id: expect.stringContaining("data.openstack_identity_role_v3"),
  });
});

test("the gateways' reseller role is known where Kolla registers the RADOS Gateways", () => {
  const grant = (rgw: boolean) =>
    load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = rgw
          ? {
              ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
              image: { backend: "ceph" },
            }
          : { swift: swiftCluster() };
        s.tenants = [{ name: "a", groups: [{ name: "storage-ops", role: "ResellerAdmin" }] }];
      }),
    ).warnings.map((w) => w.code);
  // Kolla's ceph-rgw role makes it (ceph_rgw_ks_roles); Swift from packages does not
  expect(grant(true)).not.toContain("role-unknown");
  expect(grant(false)).toContain("role-unknown");
});
