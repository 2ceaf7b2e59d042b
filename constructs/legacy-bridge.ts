import { TerraformVariable, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { NetworkingPortV2 } from "../.gen/providers/openstack/networking-port-v2";
import { NetworkingRouterInterfaceV2 } from "../.gen/providers/openstack/networking-router-interface-v2";
import { NetworkingRouterRouteV2 } from "../.gen/providers/openstack/networking-router-route-v2";
import { NetworkingRouterV2 } from "../.gen/providers/openstack/networking-router-v2";
import { NetworkingSecgroupRuleV2 } from "../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSecgroupV2 } from "../.gen/providers/openstack/networking-secgroup-v2";
import { NetworkingSubnetRouteV2 } from "../.gen/providers/openstack/networking-subnet-route-v2";
import { VpnaasEndpointGroupV2 } from "../.gen/providers/openstack/vpnaas-endpoint-group-v2";
import { VpnaasIkePolicyV2 } from "../.gen/providers/openstack/vpnaas-ike-policy-v2";
import { VpnaasIpsecPolicyV2 } from "../.gen/providers/openstack/vpnaas-ipsec-policy-v2";
import { VpnaasServiceV2 } from "../.gen/providers/openstack/vpnaas-service-v2";
import { VpnaasSiteConnectionV2 } from "../.gen/providers/openstack/vpnaas-site-connection-v2";
import type { LegacyGroupModel, LegacyModel, LegacyRuleModel, Model } from "../model/types";
import { tfLiteral } from "../core/terraform-literal";
import { resourceName } from "./private/naming";
import { fitColumn } from "../core/naming";
import { LEGACY_ROUTER_INTERFACE, stableId } from "../core/naming";

export interface LegacyBridgeProps {
  /** The resolved model; its `legacyUnix` section is required. */
  readonly model: Model;
  /** The provider VLAN network that reaches the legacy systems (`legacyUnix.network`). */
  readonly networkId: string;
  /** The subnet of that network the router attaches to. */
  readonly subnetId: string;
  /**
   * External network for the router's gateway. Neutron's VPN service only runs on a router with
   * a gateway, so it is required when `legacyUnix.vpn` is set.
   * @default no gateway: the router only reaches the legacy subnets
   */
  readonly externalNetworkId?: string;
  /**
   * The external network's subnet: the router waits for it. Neutron gives a gateway port made
   * before the subnet no address, and the VPN service records the router's address only once,
   * when it is created: without it the IPsec site would have no local tunnel address.
   */
  readonly externalSubnet?: ITerraformDependable;
}

/** Terraform variable that carries the pre-shared key of the legacy site's IPsec connection. */
export const LEGACY_VPN_PSK_VARIABLE = "legacy_vpn_psk";

/**
 * The bridge to the applications that stay on the legacy UNIX systems: a router on the bridge
 * network with a static route per legacy subnet, security groups that open exactly the declared
 * application ports in the declared direction, and an optional IPsec VPN to a remote legacy site.
 */
export class LegacyBridge extends Construct {
  readonly router: NetworkingRouterV2;
  /** The bridge network instances attach to for the legacy flows. */
  readonly networkId: string;
  /**
   * The flows' security groups by key (LegacyGroupModel): `ingress` for flows the legacy systems
   * open towards cloud instances, `egress` for the reverse, each with the pools it is limited to.
   */
  readonly flowGroups: ReadonlyMap<string, NetworkingSecgroupV2>;
  readonly vpnConnection?: VpnaasSiteConnectionV2;
  /** The VPN service, whose address on the external network the remote site peers with. */
  readonly vpnService?: VpnaasServiceV2;
  /** The sensitive variable the VPN pre-shared key is read from. */
  readonly pskVariable?: TerraformVariable;

  constructor(scope: Construct, id: string, props: LegacyBridgeProps) {
    super(scope, id);
    const { model } = props;
    const legacy = model.legacyUnix;
    if (!legacy) throw new Error("LegacyBridge needs legacyUnix in the model");
    const prefix = model.naming.prefix;
    this.networkId = props.networkId;

    const bridge = model.networks.find((n) => n.name === legacy.network);
    if (!bridge)
      throw new Error(
        `LegacyBridge: legacyUnix.network ${JSON.stringify(legacy.network)} is not a network of the model`,
      );
    // The interface takes the gateway's address, so the legacy side's router must be another one.
    if (!legacy.routerAddress)
      throw new Error(
        `LegacyBridge: the bridge network ${bridge.name} has no gateway address for the router's interface; give it a gateway`,
      );
    if (legacy.routerAddress === legacy.nextHop)
      throw new Error(
        `LegacyBridge: next hop ${legacy.nextHop} is the bridge network's gateway, which the cloud router takes; set nextHop to the legacy side's router`,
      );
    if (legacy.vpn && !props.externalNetworkId)
      throw new Error(
        "LegacyBridge: legacyUnix.vpn is set but no externalNetworkId was given; Neutron runs VPN services only on routers with an external gateway",
      );

    this.router = new NetworkingRouterV2(this, "Resource", {
      name: resourceName(prefix, "legacy"),
      description: "Routes from the cloud to the legacy UNIX subnets",
      adminStateUp: true,
      ...(props.externalNetworkId
        ? // No SNAT: the gateway is there for the VPN, not to give the bridge internet access.
          { externalNetworkId: props.externalNetworkId, enableSnat: false }
        : {}),
      ...(props.externalSubnet ? { dependsOn: [props.externalSubnet] } : {}),
    });
    // Neutron attaches a router by subnet only at the subnet's gateway, which DHCP then offers
    // every bridge port as its default route: on a subnet without one, by a port at its address.
    const iface = new NetworkingRouterInterfaceV2(
      this,
      "Interface",
      legacy.subnetGateway
        ? { routerId: this.router.id, subnetId: props.subnetId }
        : {
            routerId: this.router.id,
            portId: new NetworkingPortV2(this, "RouterPort", {
              name: resourceName(prefix, "legacy-router"),
              description: "The legacy router's interface on the bridge",
              networkId: props.networkId,
              adminStateUp: true,
              fixedIp: [{ subnetId: props.subnetId, ipAddress: legacy.routerAddress }],
            }).id,
          },
    );
    iface.overrideLogicalId(LEGACY_ROUTER_INTERFACE);
    const seen = new Set<string>();
    const routes: NetworkingRouterRouteV2[] = [];
    // (only where the router is the bridge's gateway: else a route here would carry nothing but
    // what reaches it from the external network)
    for (const cidr of legacy.routerRoutes) {
      if (seen.has(cidr)) throw new Error(`LegacyBridge: legacy subnet ${cidr} is listed twice`);
      seen.add(cidr);
      const route = new NetworkingRouterRouteV2(this, `route-${cidr.replace(/[./]/g, "-")}`, {
        routerId: this.router.id,
        destinationCidr: cidr,
        nextHop: legacy.nextHop,
        // Neutron accepts a next hop only on a subnet the router is already attached to.
        dependsOn: [iface],
      });
      routes.push(route);
    }

    // Instances reach the legacy subnets through their port on the bridge, not their default
    // route: the subnet's DHCP hands them the routes (the provider locks the subnet per route).
    for (const route of legacy.hostRoutes)
      new NetworkingSubnetRouteV2(this, `host-route-${stableId(route.destination)}`, {
        subnetId: props.subnetId,
        destinationCidr: route.destination,
        nextHop: route.nextHop,
      });

    this.flowGroups = new Map(
      legacy.groups.map((g) => [
        g.key,
        this.flowGroup(
          g,
          legacy.rules.filter((r) => r.group === g.key),
          tfLiteral(g.neutronName),
        ),
      ]),
    );

    if (legacy.vpn) {
      const vpn = this.vpn(legacy.vpn, prefix, props.subnetId, iface, routes);
      this.vpnConnection = vpn.connection;
      this.vpnService = vpn.service;
      this.pskVariable = vpn.psk;
    }
  }

  private flowGroup(
    { key, id, direction, pools }: LegacyGroupModel,
    rules: readonly LegacyRuleModel[],
    name: string,
  ): NetworkingSecgroupV2 {
    // A direction's only group keeps the id it had before groups were split by pools.
    const limited = key !== direction;
    const groupScope = new Construct(this, `${id}-group`);
    const instances = limited ? `instances of pools ${pools.join(", ")}` : "instances";
    const group = new NetworkingSecgroupV2(groupScope, "Resource", {
      name,
      description: fitColumn(
        direction === "ingress"
          ? `Application ports the legacy UNIX systems call on cloud ${instances}`
          : `Application ports cloud ${instances} call on the legacy UNIX systems`,
      ),
      // Neutron's default rules allow all egress; only the declared flows may pass.
      deleteDefaultRules: true,
    });
    // Addresses by Neutron's own key, protocol, port and address, so flows joining or leaving a
    // rule never move it.
    for (const rule of rules) {
      // By address, not by flows or systems: a description is ForceNew, and flows and systems
      // sharing an address come and go (the documents list them).
      const way =
        direction === "ingress" ? `from ${rule.address} to the cloud` : `to ${rule.address}`;
      new NetworkingSecgroupRuleV2(
        groupScope,
        stableId(`${rule.protocol}-${rule.port}-${rule.address}`),
        {
          securityGroupId: group.id,
          direction,
          ethertype: "IPv4",
          protocol: rule.protocol,
          portRangeMin: rule.port,
          portRangeMax: rule.port,
          remoteIpPrefix: rule.remoteIpPrefix,
          description: tfLiteral(`${rule.protocol}/${rule.port} ${way}`),
        },
      );
    }
    return group;
  }

  private vpn(
    vpn: NonNullable<LegacyModel["vpn"]>,
    prefix: string,
    subnetId: string,
    iface: NetworkingRouterInterfaceV2,
    routes: readonly NetworkingRouterRouteV2[],
  ) {
    const vpnScope = new Construct(this, "vpn");
    const psk = new TerraformVariable(vpnScope, "psk", {
      type: "string",
      sensitive: true,
      nullable: false,
      description: `Pre-shared key of the IPsec connection to the legacy site at ${vpn.peerAddress}; set it from the secret store (TF_VAR_${LEGACY_VPN_PSK_VARIABLE}), never in code`,
      // Neutron takes an empty key, and the tunnel never comes up.
      validation: [
        {
          condition: `\${length(trimspace(var.${LEGACY_VPN_PSK_VARIABLE})) > 0}`,
          errorMessage: `The legacy site's pre-shared key is empty: set TF_VAR_${LEGACY_VPN_PSK_VARIABLE} from the secret store.`,
        },
      ],
    });
    // A fixed name, so operators know which TF_VAR_ to export.
    psk.overrideLogicalId(LEGACY_VPN_PSK_VARIABLE);

    // neutron-vpnaas refuses any update of a policy a connection uses (IKEPolicyInUse,
    // IPsecPolicyInUse), a rename by a new naming prefix too: the names stay as first made.
    const keepName = { ignoreChanges: ["name"] };
    const ike = new VpnaasIkePolicyV2(vpnScope, "IkePolicy", {
      name: resourceName(prefix, "legacy-ike"),
      lifecycle: keepName,
      ikeVersion: vpn.ike.version,
      authAlgorithm: vpn.ike.auth,
      encryptionAlgorithm: vpn.ike.encryption,
      pfs: vpn.ike.pfs,
      lifetime: [{ units: "seconds", value: vpn.ike.lifetimeSeconds }],
    });
    const ipsec = new VpnaasIpsecPolicyV2(vpnScope, "IpsecPolicy", {
      name: resourceName(prefix, "legacy-ipsec"),
      lifecycle: keepName,
      authAlgorithm: vpn.ipsec.auth,
      encryptionAlgorithm: vpn.ipsec.encryption,
      pfs: vpn.ipsec.pfs,
      encapsulationMode: vpn.ipsec.mode,
      transformProtocol: vpn.ipsec.protocol,
      lifetime: [{ units: "seconds", value: vpn.ipsec.lifetimeSeconds }],
    });
    // Endpoint-group mode: the local subnet comes from an endpoint group, so the service has none.
    const service = new VpnaasServiceV2(vpnScope, "Service", {
      name: resourceName(prefix, "legacy-vpn"),
      description: "IPsec to the remote legacy UNIX site",
      routerId: this.router.id,
      adminStateUp: true,
    });
    // Neutron changes no group's endpoints (ForceNew) and deletes no group a connection uses
    // (EndpointGroupInUse): a new group first, the connection moved onto it, then the old one goes.
    const replaceable = { createBeforeDestroy: true };
    const local = new VpnaasEndpointGroupV2(vpnScope, "LocalEndpoints", {
      name: resourceName(prefix, "legacy-local"),
      description: "The bridge subnet",
      type: "subnet",
      endpoints: [subnetId],
      lifecycle: replaceable,
    });
    const peer = new VpnaasEndpointGroupV2(vpnScope, "PeerEndpoints", {
      name: resourceName(prefix, "legacy-peer"),
      description: "The remote legacy site's subnets",
      type: "cidr",
      endpoints: [...vpn.peerCidrs],
      lifecycle: replaceable,
    });
    const connection = new VpnaasSiteConnectionV2(vpnScope, "Resource", {
      name: resourceName(prefix, "legacy-site"),
      description: `IPsec to the legacy site at ${vpn.peerAddress}`,
      ikepolicyId: ike.id,
      ipsecpolicyId: ipsec.id,
      vpnserviceId: service.id,
      localEpGroupId: local.id,
      peerEpGroupId: peer.id,
      peerAddress: vpn.peerAddress,
      peerId: vpn.peerAddress,
      psk: psk.stringValue,
      initiator: "bi-directional",
      adminStateUp: true,
      dpd: [{ ...vpn.dpd }],
      // Neutron refuses a connection whose local subnet is not on the VPN router
      // (SubnetIsNotConnectedToRouter), and the interface's removal while a connection uses it.
      // Under OVN the driver adds the peer routes to the router as the connection is made, and
      // the provider writes a route by reading and putting back the router's whole list: made
      // at once, one would remove the other's (RouteInUseByVPN).
      dependsOn: [iface, ...routes],
    });
    return { connection, psk, service };
  }
}
