import { Construct } from "constructs";
import { ComputeInstanceV2 } from "../.gen/providers/openstack/compute-instance-v2";
import { ComputeServergroupV2 } from "../.gen/providers/openstack/compute-servergroup-v2";
import { NetworkingPortV2 } from "../.gen/providers/openstack/networking-port-v2";
import type { Model, NodeModel } from "../model/types";
import { tfLiteral } from "../synth/escape";
import type { NetworkFabric } from "./network-fabric";
import { controllerCloudInit } from "./private/controller-cloud-init";
import { LbListenerV2 } from "../.gen/providers/openstack/lb-listener-v2";
import { LbLoadbalancerV2 } from "../.gen/providers/openstack/lb-loadbalancer-v2";
import { LbMemberV2 } from "../.gen/providers/openstack/lb-member-v2";
import { LbMonitorV2 } from "../.gen/providers/openstack/lb-monitor-v2";
import { LbPoolV2 } from "../.gen/providers/openstack/lb-pool-v2";
import { resourceName } from "./private/naming";

export interface HaControlPlaneProps {
  readonly model: Model;
  /** The networks the controllers attach to. */
  readonly fabric: NetworkFabric;
  /** Security groups per network name for the controller ports. @default none */
  readonly securityGroupIds?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The OpenStack controllers: instances in an anti-affinity server group, one port per planned
 * network with the planned address, and a VIP port per VIP that keepalived may move between them,
 * or, with `loadBalancer: octavia`, an Octavia load balancer per VIP in front of every API.
 */
export class HaControlPlane extends Construct {
  readonly serverGroup: ComputeServergroupV2;
  readonly instances: Readonly<Record<string, ComputeInstanceV2>>;
  readonly vipPorts: Readonly<Record<string, NetworkingPortV2>>;

  constructor(scope: Construct, id: string, props: HaControlPlaneProps) {
    super(scope, id);
    const { model, fabric } = props;
    const prefix = model.naming.prefix;
    const controllers = model.nodes.filter((n) => n.role === "controller");
    if (controllers.length === 0)
      throw new Error("HaControlPlane needs at least one controller in the model");

    this.serverGroup = new ComputeServergroupV2(this, "ServerGroup", {
      name: resourceName(prefix, "controllers"),
      // Hard anti-affinity: two controllers on one hypervisor would break the quorum on one failure.
      policies: ["anti-affinity"],
    });

    const vipPorts: Record<string, NetworkingPortV2> = {};
    const keepalived = model.controlPlane.loadBalancer === "keepalived";
    for (const vip of keepalived ? model.vips : []) {
      const net = fabric.network(vip.network);
      vipPorts[vip.name] = new NetworkingPortV2(this, `vip-${vip.name}`, {
        name: resourceName(prefix, "vip", vip.name),
        description: `${vip.name} API VIP held by keepalived`,
        networkId: net.network.id,
        fixedIp: [{ subnetId: net.subnet.id, ipAddress: vip.address }],
        ...this.securityGroups(props, vip.network),
      });
    }
    this.vipPorts = vipPorts;

    const instances: Record<string, ComputeInstanceV2> = {};
    for (const node of controllers) instances[node.name] = this.controller(props, node);
    this.instances = instances;
    if (!keepalived) this.octavia(props, controllers);
  }

  /** The alternative front end: an Octavia load balancer per VIP, a TCP listener per endpoint. */
  private octavia(props: HaControlPlaneProps, controllers: readonly NodeModel[]) {
    const { model, fabric } = props;
    const prefix = model.naming.prefix;
    const apiNetwork = model.vips.find((v) => v.name === "internal")?.network;
    for (const vip of model.vips) {
      const net = fabric.network(vip.network);
      const lbScope = new Construct(this, `lb-${vip.name}`);
      const lb = new LbLoadbalancerV2(lbScope, "Resource", {
        name: resourceName(prefix, "api", vip.name),
        description: `${vip.name} API VIP`,
        vipSubnetId: net.subnet.id,
        vipAddress: vip.address,
        ...this.securityGroups(props, vip.network),
      });
      for (const endpoint of model.endpoints) {
        if (vip.name === "external" && !endpoint.public) continue;
        const listener = new LbListenerV2(lbScope, `${endpoint.name}-listener`, {
          name: resourceName(prefix, vip.name, endpoint.name),
          loadbalancerId: lb.id,
          protocol: "TCP",
          protocolPort: endpoint.port,
        });
        const pool = new LbPoolV2(lbScope, `${endpoint.name}-pool`, {
          name: resourceName(prefix, vip.name, endpoint.name),
          listenerId: listener.id,
          protocol: "TCP",
          // Keeps a client on one controller, as HAProxy's balance source does.
          lbMethod: "SOURCE_IP",
        });
        new LbMonitorV2(lbScope, `${endpoint.name}-monitor`, {
          poolId: pool.id,
          type: "TCP",
          delay: 5,
          timeout: 3,
          maxRetries: 3,
        });
        for (const c of controllers) {
          const address = apiNetwork ? c.addresses[apiNetwork] : undefined;
          if (!address || !apiNetwork) continue;
          new LbMemberV2(lbScope, `${endpoint.name}-${c.name}`, {
            poolId: pool.id,
            address,
            protocolPort: endpoint.port,
            subnetId: fabric.network(apiNetwork).subnet.id,
          });
        }
      }
    }
  }

  private controller(props: HaControlPlaneProps, node: NodeModel): ComputeInstanceV2 {
    const { model, fabric } = props;
    const prefix = model.naming.prefix;
    const nodeScope = new Construct(this, node.name);
    const ports = Object.entries(node.addresses)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([networkName, address]) => {
        const net = fabric.network(networkName);
        const vips = model.vips.filter((v) => v.network === networkName);
        return new NetworkingPortV2(nodeScope, `port-${networkName}`, {
          name: resourceName(prefix, node.name, networkName),
          networkId: net.network.id,
          fixedIp: [{ subnetId: net.subnet.id, ipAddress: address }],
          // The VIP may live on this port when keepalived makes this controller the master.
          ...(vips.length
            ? { allowedAddressPairs: vips.map((v) => ({ ipAddress: v.address })) }
            : {}),
          ...this.securityGroups(props, networkName),
        });
      });
    // The management port comes first so it becomes the default route and cloud-init's network.
    const management = model.networks.find((n) => n.role === "management")?.name;
    ports.sort(
      (a, b) =>
        Number(b.node.id === `port-${management}`) - Number(a.node.id === `port-${management}`),
    );
    return new ComputeInstanceV2(nodeScope, "Resource", {
      name: resourceName(prefix, node.name),
      flavorName: tfLiteral(model.controlPlane.flavor),
      imageName: tfLiteral(model.controlPlane.image),
      ...(model.controlPlane.keyPair ? { keyPair: tfLiteral(model.controlPlane.keyPair) } : {}),
      configDrive: true,
      userData: tfLiteral(controllerCloudInit(model, node)),
      schedulerHints: [{ group: this.serverGroup.id }],
      network: ports.map((p) => ({ port: p.id })),
      metadata: {
        role: "controller",
        ...(node.rack ? { rack: node.rack } : {}),
        deployment: model.controlPlane.deployment,
      },
    });
  }

  private securityGroups(props: HaControlPlaneProps, network: string) {
    const ids = props.securityGroupIds?.[network];
    return ids && ids.length ? { securityGroupIds: [...ids] } : {};
  }
}
