import { Construct } from "constructs";
import type { NetworkingNetworkV2 } from "../.gen/providers/openstack/networking-network-v2";
import type { NetworkingSecgroupV2 } from "../.gen/providers/openstack/networking-secgroup-v2";
import type { TenantModel } from "../model/types";
import { addServerGroups } from "./private/server-groups";
import { addTenantNetwork, type TenantFirewall } from "./private/tenant-network";

export interface TenantNetworkProps {
  readonly tenant: TenantModel;
  readonly namingPrefix: string;
  /** External network for the tenant router's gateway; required when the tenant has a network. */
  readonly externalNetworkId?: string;
  /** The firewall on the router's inside port: its ingress policy, the shared egress one. @default no firewall */
  readonly firewall?: TenantFirewall;
  /** The default subnet pool the subnet is allocated from. @default fixed CIDR */
  readonly subnetPoolId?: string;
  /** The tenant's project, set as tenant_id. @default the credentials' own project */
  readonly projectId?: string;
}

/**
 * A tenant's own network resources, key pairs and server groups, applied with credentials scoped
 * to the tenant's project (an application credential of that project): no tenant_id is set, the
 * project is the caller's. Give
 * it the tenant's id as construct id: its resources then have the same Terraform addresses as when
 * the Tenant construct holds them, so moving between the two is a state move, not a recreation.
 */
export class TenantNetwork extends Construct {
  readonly securityGroup: NetworkingSecgroupV2;
  /** Each tier's security group, by tier name. */
  readonly tierGroups: ReadonlyMap<string, NetworkingSecgroupV2>;
  readonly network?: NetworkingNetworkV2;

  constructor(scope: Construct, id: string, props: TenantNetworkProps) {
    super(scope, id);
    const parts = addTenantNetwork(this, props);
    this.securityGroup = parts.securityGroup;
    this.tierGroups = parts.tiers;
    this.network = parts.network;
    addServerGroups(this, props.tenant);
  }
}
