import { Construct } from "constructs";
import { DataResource } from "cdktf";
import { BlockstorageQuotasetV3 } from "../.gen/providers/openstack/blockstorage-quotaset-v3";
import { BlockstorageVolumeTypeAccessV3 } from "../.gen/providers/openstack/blockstorage-volume-type-access-v3";
import { ComputeFlavorAccessV2 } from "../.gen/providers/openstack/compute-flavor-access-v2";
import { ComputeQuotasetV2 } from "../.gen/providers/openstack/compute-quotaset-v2";
import { NetworkingRbacPolicyV2 } from "../.gen/providers/openstack/networking-rbac-policy-v2";
import { DataOpenstackIdentityGroupV3 } from "../.gen/providers/openstack/data-openstack-identity-group-v3";
import { DataOpenstackIdentityRoleV3 } from "../.gen/providers/openstack/data-openstack-identity-role-v3";
import { IdentityProjectV3 } from "../.gen/providers/openstack/identity-project-v3";
import { IdentityRoleAssignmentV3 } from "../.gen/providers/openstack/identity-role-assignment-v3";
import { LbQuotaV2 } from "../.gen/providers/openstack/lb-quota-v2";
import { NetworkingNetworkV2 } from "../.gen/providers/openstack/networking-network-v2";
import { NetworkingQuotaV2 } from "../.gen/providers/openstack/networking-quota-v2";
import { NetworkingRouterV2 } from "../.gen/providers/openstack/networking-router-v2";
import { NetworkingSecgroupV2 } from "../.gen/providers/openstack/networking-secgroup-v2";
import { NetworkingSubnetV2 } from "../.gen/providers/openstack/networking-subnet-v2";
import { DEFAULT_DOMAIN } from "../model/identity";
import type { TenantModel } from "../model/types";
import { tfLiteral } from "../core/terraform-literal";
import { stableIdOf } from "./private/construct-id";
import { triggerAddress } from "./private/meta-arguments";
import { addTenantNetwork, type TenantFirewall } from "./private/tenant-network";

/** A platform resource a tenant may be granted: its id and whether everyone sees it anyway. */
export interface GrantableResource {
  readonly id: string;
  readonly public: boolean;
}

export interface TenantProps {
  readonly tenant: TenantModel;
  readonly namingPrefix: string;
  /** External network for the tenant router's gateway; required when the tenant has a network. */
  readonly externalNetworkId?: string;
  /** Keystone domain of the project. @default the domain of the credentials (usually `default`) */
  readonly domainId?: string;
  /** Keystone domain ids by name, for groups that live in another domain than the project. @default {} */
  readonly domainIds?: Readonly<Record<string, string>>;
  /** Platform flavors by name; private ones named by the tenant are shared with it. @default {} */
  readonly flavors?: Readonly<Record<string, GrantableResource>>;
  /** Platform volume types by backend name; private ones named by the tenant are shared. @default {} */
  readonly volumeTypes?: Readonly<Record<string, GrantableResource>>;
  /**
   * Neutron ids of the platform's provider networks by name; those the tenant lists are shared
   * with its project. @default {}
   */
  readonly providerNetworks?: Readonly<Record<string, string>>;
  /** FWaaS v2 policies applied to the tenant router's inside port. @default no firewall */
  readonly firewall?: TenantFirewall;
  /** Set Octavia load-balancer quotas. @default false */
  readonly loadBalancing?: boolean;
  /** Set Cinder quotas; without Cinder there is no block-storage endpoint to set them on. @default true */
  readonly blockStorage?: boolean;
  /**
   * The shared default subnet pool the tenant subnet is allocated from, so the pool never hands
   * the same prefix to another subnet. @default fixed CIDR outside any pool
   */
  readonly subnetPoolId?: string;
  /**
   * The tenant's network resources and key pairs are applied in a stack of their own with the
   * project's credentials (TenantNetwork); this construct then holds only the onboarding.
   * @default false
   */
  readonly separateNetwork?: boolean;
  /**
   * The legacy UNIX bridge's network and security groups (the platform's), shared with the
   * project when its workloads take part in a legacy flow. @default none shared
   */
  readonly legacyBridge?: {
    readonly networkId: string;
    /** The flows' security groups (LegacyGroupModel key and id) with their Neutron ids. */
    readonly securityGroups: readonly {
      readonly key: string;
      readonly id: string;
      readonly securityGroupId: string;
    }[];
  };
}

/**
 * One tenant as a platform team provisions it: the project, its quotas, directory groups mapped
 * to roles, a network routed to the external network, a least-privilege base security group,
 * public keys, and access to the private flavors and volume types it needs.
 */
export class Tenant extends Construct {
  readonly project: IdentityProjectV3;
  readonly network?: NetworkingNetworkV2;
  readonly subnet?: NetworkingSubnetV2;
  readonly router?: NetworkingRouterV2;
  /** The base security group, unless the network is applied separately. */
  readonly securityGroup?: NetworkingSecgroupV2;
  /** Each tier's security group, by tier name, where the network is the tenant's here. */
  readonly tierGroups?: ReadonlyMap<string, NetworkingSecgroupV2>;

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const { tenant } = props;
    // OpenStack keeps these unique (Neutron rules, Nova key pairs, access grants): fail early.
    onlyOnce(
      tenant.id,
      "SSH CIDR",
      tenant.ssh,
      (c) => c.cidr,
      (c) => c.written,
    );
    onlyOnce(
      tenant.id,
      "key pair",
      tenant.keyPairs,
      (k) => k.name,
      (k) => k.name,
    );
    onlyOnce(
      tenant.id,
      "flavor",
      tenant.flavors,
      (f) => f,
      (f) => f,
    );
    onlyOnce(tenant.id, "group", tenant.groups, groupKey, (g) => `${g.name} as ${g.role}`);

    this.project = new IdentityProjectV3(this, "Resource", {
      name: tfLiteral(tenant.name),
      description: tfLiteral(tenant.description ?? `Stackwright tenant ${tenant.id}`),
      enabled: true,
      ...(props.domainId ? { domainId: props.domainId } : {}),
      tags: ["stackwright", `stack:${tenant.stack}`],
      // Deleting a project orphans everything in it; removing a tenant is a deliberate act.
      lifecycle: { preventDestroy: true },
    });
    const projectId = this.project.id;
    this.quotas(props, projectId);
    this.roles(props, projectId);

    if (!props.separateNetwork) {
      const net = addTenantNetwork(this, {
        tenant,
        namingPrefix: props.namingPrefix,
        projectId,
        ...(props.externalNetworkId ? { externalNetworkId: props.externalNetworkId } : {}),
        ...(props.firewall ? { firewall: props.firewall } : {}),
        ...(props.subnetPoolId ? { subnetPoolId: props.subnetPoolId } : {}),
      });
      this.securityGroup = net.securityGroup;
      this.tierGroups = net.tiers;
      this.network = net.network;
      this.subnet = net.subnet;
      this.router = net.router;
    }

    for (const flavor of tenant.flavors) {
      const grant = props.flavors?.[flavor];
      if (!grant)
        throw new Error(
          `tenant ${tenant.id} names flavor ${flavor}, which the platform does not define`,
        );
      if (!grant.public)
        new ComputeFlavorAccessV2(this, `flavor-${flavor}`, {
          flavorId: grant.id,
          tenantId: projectId,
        });
    }
    // Instances of the project attach to the bridge network with its flow security groups:
    // Neutron lets a project use another's network or group only through an RBAC share.
    const legacy = tenant.legacyGroups.length ? props.legacyBridge : undefined;
    if (legacy) {
      new NetworkingRbacPolicyV2(this, "legacy-network-share", {
        action: "access_as_shared",
        objectType: "network",
        objectId: legacy.networkId,
        targetTenant: projectId,
      });
      for (const group of legacy.securityGroups) {
        if (!tenant.legacyGroups.includes(group.key)) continue;
        new NetworkingRbacPolicyV2(this, `legacy-${group.id}-group-share`, {
          action: "access_as_shared",
          objectType: "security_group",
          objectId: group.securityGroupId,
          targetTenant: projectId,
        });
      }
    }
    // Also for a network shared with every project: its grants let it stop being shared later
    // (Neutron refuses that while a project without one has ports on it).
    for (const name of tenant.providerNetworks) {
      const networkId = props.providerNetworks?.[name];
      if (networkId === undefined)
        throw new Error(
          `tenant ${tenant.id} names provider network ${name}, which the platform does not define`,
        );
      new NetworkingRbacPolicyV2(this, `network-${name}-share`, {
        action: "access_as_shared",
        objectType: "network",
        objectId: networkId,
        targetTenant: projectId,
      });
    }
    // A backend may be named by its name and by its volume type: both are one grant.
    const granted = new Map<GrantableResource, string>();
    for (const type of tenant.volumeTypes) {
      const grant = props.volumeTypes?.[type];
      if (!grant)
        throw new Error(
          `tenant ${tenant.id} names volume type ${type}, which the platform does not define`,
        );
      const earlier = granted.get(grant);
      if (earlier !== undefined)
        throw new Error(
          `tenant ${tenant.id} names volume type ${type} and ${earlier}, which are the same volume type; name it once`,
        );
      granted.set(grant, type);
      if (!grant.public) {
        new BlockstorageVolumeTypeAccessV3(this, `volume-type-${type}`, {
          volumeTypeId: grant.id,
          projectId,
        });
      }
    }
  }

  private quotas(props: TenantProps, projectId: string) {
    const q = props.tenant.quota;
    new ComputeQuotasetV2(this, "compute-quota", {
      projectId,
      instances: q.instances,
      cores: q.cores,
      ram: q.ramGiB * 1024,
      serverGroups: q.serverGroups,
      serverGroupMembers: q.serverGroupMembers,
    });
    // Cinder keys per-type quotas as volumes_<type> and gigabytes_<type>, values as strings.
    const perType: Record<string, string> = {};
    for (const [type, limits] of Object.entries(q.perVolumeType)) {
      if (limits.volumes !== undefined)
        perType[tfLiteral(`volumes_${type}`)] = String(limits.volumes);
      if (limits.gigabytes !== undefined) {
        perType[tfLiteral(`gigabytes_${type}`)] = String(limits.gigabytes);
      }
    }
    if (props.blockStorage ?? true) {
      const hasPerType = Object.keys(perType).length > 0;
      // Provider 3.4 reads back every volumes_/gigabytes_/snapshots_<type> key Cinder returns
      // (all types, __DEFAULT__ included), so the map would show a diff on every plan. It is
      // ignored after create, and a change of the declared map replaces the quota set instead.
      const declared = hasPerType
        ? // CamelCase: never a grant's `volume-type-<backend>` id, the same Terraform name.
          new DataResource(this, "VolumeTypeQuota", { input: perType })
        : undefined;
      new BlockstorageQuotasetV3(this, "volume-quota", {
        projectId,
        volumes: q.volumes,
        gigabytes: q.volumeGiB,
        backups: q.backups,
        backupGigabytes: q.backupGiB,
        ...(hasPerType ? { volumeTypeQuota: perType } : {}),
        ...(declared
          ? {
              lifecycle: {
                ignoreChanges: ["volume_type_quota"],
                replaceTriggeredBy: [triggerAddress(declared)],
              },
            }
          : {}),
      });
    }
    new NetworkingQuotaV2(this, "network-quota", {
      projectId,
      network: q.networks,
      subnet: q.subnets,
      router: q.routers,
      port: q.ports,
      floatingip: q.floatingIps,
      securityGroup: q.securityGroups,
      securityGroupRule: q.securityGroupRules,
    });
    if (props.loadBalancing)
      new LbQuotaV2(this, "lb-quota", { projectId, loadbalancer: q.loadBalancers });
  }

  private roles(props: TenantProps, projectId: string) {
    for (const g of props.tenant.groups) {
      const key = groupKey(g);
      // Directory groups are read from LDAP/AD, so they are looked up, never created.
      // Always in one domain: Keystone lists groups of every domain when it has no
      // domain-specific drivers, and a name in two domains would fail the lookup.
      const domainId = g.domain
        ? (props.domainIds?.[g.domain] ?? g.domain)
        : (props.domainId ?? DEFAULT_DOMAIN);
      const group = new DataOpenstackIdentityGroupV3(this, `group-${key}`, {
        name: tfLiteral(g.name),
        domainId,
      });
      const role = new DataOpenstackIdentityRoleV3(this, `role-${key}`, { name: g.role });
      new IdentityRoleAssignmentV3(this, `assignment-${key}`, {
        groupId: group.id,
        projectId,
        roleId: role.id,
      });
    }
  }
}

type TenantGroup = TenantModel["groups"][number];

/**
 * The construct id part of a group's role assignment. The names are joined as a list: joined with
 * '-', group `a-b` as role `c` and group `a` as role `b-c` would share an id.
 */
function groupKey(g: TenantGroup): string {
  return stableIdOf([g.domain ?? "", g.name, g.role]);
}

/** Throws when two items of a tenant's list have the same key. */
function onlyOnce<T>(
  tenant: string,
  what: string,
  items: readonly T[],
  key: (t: T) => string,
  show: (t: T) => string,
) {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k))
      throw new Error(
        `tenant ${tenant} lists ${what} ${JSON.stringify(show(item))} twice; list it once`,
      );
    seen.add(k);
  }
}
