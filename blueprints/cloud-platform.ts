import { Construct } from "constructs";
import { TerraformOutput, type TerraformStack } from "cdktf";
import type { Model } from "../model/types";
import { BlockStorage } from "../constructs/block-storage";
import { ComputeZone } from "../constructs/compute-zone";
import { NetworkFabric } from "../constructs/network-fabric";
import { ObjectStorage } from "../constructs/object-storage";
import { SecurityZones } from "../constructs/security-zones";
import { IdentityIntegration } from "../constructs/identity-integration";
import { LegacyBridge } from "../constructs/legacy-bridge";
import { AdminProjectQuotas, ServiceProjectQuotas } from "../constructs/service-project-quotas";

export interface CloudPlatformProps {
  readonly model: Model;
}

/**
 * The platform team's day-1 composition inside the running cloud: network fabric, security
 * zones, compute zones with their pools, block, object and file storage, directory integration
 * and the legacy UNIX bridge, all read from one resolved model. The cloud's own servers are not
 * here: the bare-metal stack provisions them and the deployer installs the services.
 */
export class CloudPlatform extends Construct {
  readonly fabric: NetworkFabric;
  readonly security: SecurityZones;
  readonly zones: readonly ComputeZone[];
  readonly blockStorage: BlockStorage;
  readonly objectStorage?: ObjectStorage;
  readonly identity: IdentityIntegration;
  readonly legacyBridge?: LegacyBridge;
  /** Keystone domain ids by domain name, for tenants placed in a directory domain. */
  readonly domainIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: CloudPlatformProps) {
    super(scope, id);
    const { model } = props;
    const prefix = model.naming.prefix;
    this.fabric = new NetworkFabric(this, "network", {
      networks: model.networks,
      namingPrefix: prefix,
      ...(model.network.tenantSubnetPool
        ? { tenantSubnetPool: model.network.tenantSubnetPool }
        : {}),
    });
    this.security = new SecurityZones(this, "security", { model });
    this.zones = model.zones.map(
      (zone) =>
        new ComputeZone(this, `zone-${zone.name}`, {
          zone,
          pools: model.pools.filter((p) => p.zone === zone.name),
          namingPrefix: prefix,
        }),
    );
    this.blockStorage = new BlockStorage(this, "block-storage", {
      backends: model.storage.backends,
    });
    // Octavia's amphorae live in Kolla's service project, which keeps Nova's and Neutron's
    // default limits unless raised.
    if (model.controlPlane.services.includes("octavia"))
      new ServiceProjectQuotas(this, "service-project-quotas", { project: "service" });
    // The admin's project holds the platform's and the admin-made tenant stacks' groups and rules.
    new AdminProjectQuotas(this, "admin-project-quotas", {
      project: "admin",
      quotas: model.deploy.neutron.quotas,
    });
    if (model.storage.swift) {
      this.objectStorage = new ObjectStorage(this, "object-storage", {
        containers: model.storage.swift.containers,
      });
    }
    // Only the domains: a group can be looked up only once Keystone, restarted after this stack,
    // reads its domain's directory. Roles on a tenant's project live in that tenant's stack, roles
    // on a whole domain in the domain-roles stack (blueprints/tenant-stacks.ts).
    this.identity = new IdentityIntegration(this, "identity", { model, assignments: [] });
    this.domainIds = Object.fromEntries(
      Object.entries(this.identity.domains).map(([name, domain]) => [name, domain.id]),
    );
    const legacy = model.legacyUnix;
    if (legacy) {
      const bridge = this.fabric.network(legacy.network);
      const external = legacy.externalGateway ? model.networks.find((n) => n.external) : undefined;
      this.legacyBridge = new LegacyBridge(this, "legacy-bridge", {
        model,
        networkId: bridge.network.id,
        subnetId: bridge.subnet.id,
        ...(external
          ? {
              externalNetworkId: this.fabric.network(external.name).network.id,
              externalSubnet: this.fabric.network(external.name).subnet,
            }
          : {}),
      });
    }
  }
}

/** The platform stack's outputs: what tenant teams and operators look up after apply. */
export function addPlatformOutputs(
  stack: TerraformStack,
  model: Model,
  cloud: CloudPlatform,
): void {
  const external = model.networks.find((n) => n.external);
  if (external) {
    new TerraformOutput(stack, "external_network_id", {
      value: cloud.fabric.network(external.name).network.id,
      description: "Neutron id of the external network tenant routers use as gateway",
    });
  }
  if (cloud.fabric.subnetPool) {
    new TerraformOutput(stack, "tenant_subnet_pool_id", {
      value: cloud.fabric.subnetPool.id,
      description:
        "Neutron id of the default subnet pool tenant and self-service subnets are allocated from",
    });
  }
  const vpn = cloud.legacyBridge?.vpnService;
  if (vpn)
    // Neutron picks the router's gateway address: the remote site learns it only from here.
    new TerraformOutput(stack, "legacy_vpn_local_address", {
      value: vpn.externalV4Ip,
      description:
        "The cloud's address for the legacy site's IPsec tunnel: the remote gateway's peer address and peer id",
    });
  for (const vip of model.vips) {
    new TerraformOutput(stack, `${vip.name}_api_vip`, {
      value: vip.address,
      description: `${vip.name} address of the OpenStack API endpoints`,
    });
  }
}
