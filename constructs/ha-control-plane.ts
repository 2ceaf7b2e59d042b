import { Construct } from "constructs";
import { ComputeInstanceV2 } from "../.gen/providers/openstack/compute-instance-v2";
import { ComputeServergroupV2 } from "../.gen/providers/openstack/compute-servergroup-v2";
import { NetworkingPortV2 } from "../.gen/providers/openstack/networking-port-v2";
import type { Model, NodeModel } from "../model/types";
import { tfLiteral } from "../synth/escape";
import type { NetworkFabric } from "./network-fabric";
import { controllerCloudInit } from "./private/controller-cloud-init";
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
 * network with the planned address, and a VIP port per VIP that keepalived may move between them.
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
    for (const vip of model.vips) {
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
