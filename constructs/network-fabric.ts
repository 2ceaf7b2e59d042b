import { Construct } from "constructs";
import { NetworkingNetworkV2 } from "../.gen/providers/openstack/networking-network-v2";
import { NetworkingSubnetV2 } from "../.gen/providers/openstack/networking-subnet-v2";
import { NetworkingAddressscopeV2 } from "../.gen/providers/openstack/networking-addressscope-v2";
import { NetworkingSubnetpoolV2 } from "../.gen/providers/openstack/networking-subnetpool-v2";
import type { NetworkModel, TenantSubnetPoolModel } from "../model/types";
import { tfLiteral } from "../core/terraform-literal";
import { resourceName } from "./private/naming";
import { TENANT_SUBNET_POOL_IDS } from "../core/naming";

export interface NetworkFabricProps {
  /** The networks of the resolved model; only those it marks `neutron` are created. */
  readonly networks: readonly NetworkModel[];
  /** Prefix of every OpenStack resource name. */
  readonly namingPrefix: string;
  /** Address pool for tenant self-service subnets, in its own address scope. @default none */
  readonly tenantSubnetPool?: TenantSubnetPoolModel;
}

const { scope: TENANT_SCOPE_ID, pool: TENANT_POOL_ID } = TENANT_SUBNET_POOL_IDS;

export interface FabricNetwork {
  readonly model: NetworkModel;
  readonly network: NetworkingNetworkV2;
  readonly subnet: NetworkingSubnetV2;
}

/**
 * The Neutron networks of the plan: its external and provider networks, each on its physical
 * network as a flat or VLAN segment, with the subnet, gateway, pool and MTU of the plan. The
 * control plane's VLANs are not here: hosts configure them (netplan, Kolla), and Neutron ports or
 * DHCP on them would collide with the hosts' static addresses.
 */
export class NetworkFabric extends Construct {
  private readonly byName = new Map<string, FabricNetwork>();
  /** The shared default subnet pool tenants allocate from, when the plan has one. */
  readonly subnetPool?: NetworkingSubnetpoolV2;

  constructor(scope: Construct, id: string, props: NetworkFabricProps) {
    super(scope, id);
    const networks = props.networks.filter((n) => n.neutron);
    if (props.tenantSubnetPool) {
      const taken = networks.find((n) => n.name === TENANT_SCOPE_ID || n.name === TENANT_POOL_ID);
      if (taken)
        throw new Error(
          `NetworkFabric: network name ${JSON.stringify(taken.name)} is taken by the tenant subnet pool; rename the network`,
        );
    }
    for (const net of networks) {
      const scopeOf = new Construct(this, net.name);
      const network = new NetworkingNetworkV2(scopeOf, "Resource", {
        name: resourceName(props.namingPrefix, net.name),
        description: tfLiteral(net.description ?? `${net.role} network`),
        adminStateUp: true,
        external: net.external,
        shared: net.shared,
        mtu: net.mtu,
        portSecurityEnabled: true,
        segments: [
          {
            networkType: net.networkType,
            physicalNetwork: net.physicalNetwork,
            ...(net.vlan !== undefined ? { segmentationId: net.vlan } : {}),
          },
        ],
      });
      const subnet = new NetworkingSubnetV2(scopeOf, "Subnet", {
        name: resourceName(props.namingPrefix, net.name, "subnet"),
        networkId: network.id,
        cidr: net.cidr,
        ipVersion: net.ipVersion,
        enableDhcp: net.dhcp,
        ...(net.gateway ? { gatewayIp: net.gateway } : { noGateway: true }),
        ...(net.allocationPool ? { allocationPool: [net.allocationPool] } : {}),
        ...(net.dnsServers.length ? { dnsNameservers: [...net.dnsServers] } : {}),
      });
      this.byName.set(net.name, { model: net, network, subnet });
    }
    if (props.tenantSubnetPool) {
      const version = props.tenantSubnetPool.ipVersion;
      const scope = new NetworkingAddressscopeV2(this, TENANT_SCOPE_ID, {
        name: resourceName(props.namingPrefix, TENANT_SCOPE_ID),
        ipVersion: version,
        shared: true,
      });
      this.subnetPool = new NetworkingSubnetpoolV2(this, TENANT_POOL_ID, {
        name: resourceName(props.namingPrefix, TENANT_POOL_ID),
        description: "self-service tenant subnets",
        prefixes: [...props.tenantSubnetPool.prefixes],
        defaultPrefixlen: props.tenantSubnetPool.defaultPrefixLength,
        addressScopeId: scope.id,
        ipVersion: version,
        shared: true,
        isDefault: true,
      });
    }
  }

  /** The network of the plan with this name; throws when the plan has none. */
  network(name: string): FabricNetwork {
    const found = this.byName.get(name);
    if (!found) throw new Error(`NetworkFabric has no network ${JSON.stringify(name)}`);
    return found;
  }

  get all(): readonly FabricNetwork[] {
    return [...this.byName.values()];
  }
}
