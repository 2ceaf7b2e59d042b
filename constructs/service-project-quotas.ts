import { Construct } from "constructs";
import { ComputeQuotasetV2 } from "../.gen/providers/openstack/compute-quotaset-v2";
import { DataOpenstackIdentityProjectV3 } from "../.gen/providers/openstack/data-openstack-identity-project-v3";
import { NetworkingQuotaV2 } from "../.gen/providers/openstack/networking-quota-v2";
import { ADMIN_API_QUOTAS, type NeutronQuotaModel } from "../model/deploy";

/** Keystone's id of its built-in domain, where Kolla-Ansible makes the service project. */
const DEFAULT_DOMAIN_ID = "default";

export interface ServiceProjectQuotasProps {
  /** The project the services own their resources in (Kolla's `service`). */
  readonly project: string;
}

/**
 * Lifts Nova's and Neutron's per-project limits for the services' own project: Octavia boots
 * every load balancer's amphorae there, with a security group and ports each, and Kolla-Ansible
 * sets no quota for it, so Nova's 10 instances and Neutron's 10 security groups stop the load
 * balancers past about ten. Unlimited (-1), as the tenants' load balancer quotas bound them.
 * Dropped from the stack, the limits stay as set: the provider's delete only forgets them.
 */
export class ServiceProjectQuotas extends Construct {
  constructor(scope: Construct, id: string, props: ServiceProjectQuotasProps) {
    super(scope, id);
    const project = new DataOpenstackIdentityProjectV3(this, "project", {
      name: props.project,
      domainId: DEFAULT_DOMAIN_ID,
    });
    new ComputeQuotasetV2(this, "compute", {
      projectId: project.id,
      instances: -1,
      cores: -1,
      ram: -1,
      serverGroups: -1,
      serverGroupMembers: -1,
    });
    new NetworkingQuotaV2(this, "network", {
      projectId: project.id,
      port: -1,
      securityGroup: -1,
      securityGroupRule: -1,
    });
  }
}

export interface AdminProjectQuotasProps {
  /** The admin's project (Kolla's `admin`), which the platform and tenant stacks act as. */
  readonly project: string;
  /** Its Neutron quotas past the defaults, as the model counts them (deploy.neutron.quotas). */
  readonly quotas: readonly NeutronQuotaModel[];
}

/**
 * Raises the admin's project's Neutron quotas to what the stacks make there (the platform's
 * groups and rules, the tenants' base group rules, the RBAC entries sharing its networks), so
 * onboarding a tenant takes a platform apply, not a Neutron restart for neutron.conf's defaults.
 * neutron-fwaas's firewall rule quota has no such API: it stays in neutron.conf.
 */
export class AdminProjectQuotas extends Construct {
  constructor(scope: Construct, id: string, props: AdminProjectQuotasProps) {
    super(scope, id);
    const set = Object.fromEntries(
      Object.entries(ADMIN_API_QUOTAS).flatMap(([option, argument]) => {
        const value = props.quotas.find((q) => q.option === option)?.value;
        return value === undefined ? [] : [[argument, value]];
      }),
    );
    if (!Object.keys(set).length) return;
    const project = new DataOpenstackIdentityProjectV3(this, "project", {
      name: props.project,
      domainId: DEFAULT_DOMAIN_ID,
    });
    new NetworkingQuotaV2(this, "network", { projectId: project.id, ...set });
  }
}
