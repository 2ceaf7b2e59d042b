import { Construct } from "constructs";
import { ComputeQuotasetV2 } from "../.gen/providers/openstack/compute-quotaset-v2";
import { DataOpenstackIdentityProjectV3 } from "../.gen/providers/openstack/data-openstack-identity-project-v3";
import { NetworkingQuotaV2 } from "../.gen/providers/openstack/networking-quota-v2";

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
