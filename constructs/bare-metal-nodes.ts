import { Construct } from "constructs";
import { dependable } from "cdktf";
import { ComputeInstanceV2 } from "../.gen/providers/openstack/compute-instance-v2";
import { ComputeServergroupV2 } from "../.gen/providers/openstack/compute-servergroup-v2";
import type { NodeModel, UndercloudModel } from "../model/types";
import { tfLiteral, tfLiteralMap } from "../core/terraform-literal";
import { resourceName } from "./private/naming";

/** What a deployed server keeps, whatever the spec says later: each would redeploy or fail. */
const REDEPLOYING = [
  "image_name",
  "image_id",
  "flavor_name",
  "flavor_id",
  "key_pair",
  "config_drive",
  "network",
  "user_data",
  "scheduler_hints",
  "hypervisor_hostname",
  // A server powered off for maintenance stays off: the provider would start it again.
  "power_state",
] as const;

export interface BareMetalNodesProps {
  /** Every server of the design, each with its host name, roles and bare-metal flavor. */
  readonly nodes: readonly NodeModel[];
  /** The undercloud's image, provisioning network and key pair. */
  readonly undercloud: UndercloudModel;
  /** cloud-init user data of each node (host name, netplan, chrony), by host name. */
  readonly userData: Readonly<Record<string, string>>;
  readonly namingPrefix: string;
  /**
   * Controllers run as VMs on the undercloud rather than on Ironic nodes: they then get a hard
   * anti-affinity server group. Ironic nodes are separate machines already, and Nova's
   * anti-affinity counts the one nova-compute host all Ironic nodes share, so it would refuse the
   * second controller. @default false
   */
  readonly controllersAsVms?: boolean;
  /** The image the controllers boot (a VM image where they run as VMs). @default the undercloud's */
  readonly controllerImage?: string;
}

/**
 * The servers of the cloud, provisioned on the undercloud: one instance per node, named by its
 * host name (the name the aggregates and the deployer inventory use), booted with its role's
 * bare-metal flavor and configured by cloud-init with its host networking.
 */
export class BareMetalNodes extends Construct {
  /** Instances by host name. */
  readonly instances: Readonly<Record<string, ComputeInstanceV2>>;
  readonly controllerGroup?: ComputeServergroupV2;

  constructor(scope: Construct, id: string, props: BareMetalNodesProps) {
    super(scope, id);
    const missing = props.nodes.filter((n) => props.userData[n.name] === undefined);
    if (missing.length)
      throw new Error(
        `BareMetalNodes: no user data for ${missing.map((n) => n.name).join(", ")}; pass userData for every node`,
      );
    if (props.controllersAsVms && props.nodes.some((n) => n.role === "controller"))
      this.controllerGroup = new ComputeServergroupV2(this, "controllers", {
        name: resourceName(props.namingPrefix, "controllers"),
        policies: ["anti-affinity"],
      });
    const uc = props.undercloud;
    const instances: Record<string, ComputeInstanceV2> = {};
    for (const node of props.nodes) {
      const isController = node.role === "controller";
      instances[node.name] = new ComputeInstanceV2(new Construct(this, node.name), "Resource", {
        name: node.name,
        flavorName: tfLiteral(node.baremetalFlavor),
        imageName: tfLiteral((isController && props.controllerImage) || uc.image),
        ...(uc.keyPair ? { keyPair: tfLiteral(uc.keyPair) } : {}),
        configDrive: true,
        network: [{ name: tfLiteral(uc.network) }],
        userData: tfLiteral(props.userData[node.name]),
        // Its own machine, in its planned rack; else Nova takes any free node of the flavor.
        ...(node.baremetalNode ? { hypervisorHostname: tfLiteral(node.baremetalNode) } : {}),
        ...(isController && this.controllerGroup
          ? { schedulerHints: [{ group: this.controllerGroup.id }] }
          : {}),
        metadata: tfLiteralMap({
          role: node.role,
          roles: node.roles.join(","),
          fqdn: node.fqdn,
          ...(node.rack ? { rack: node.rack } : {}),
          ...(node.pool ? { pool: node.pool } : {}),
        }),
        // A server, once deployed, is never replaced by a spec edit: its image, flavor (Ironic
        // cannot resize), key pair, network, hints and user data are ForceNew or not changeable,
        // and a replacement wipes the machine. Later network changes go through config/netplan.
        // (A list, not "all": cdktf writes that keyword quoted in HCL, which Terraform refuses.)
        // No prevent_destroy: the provider records a server before Ironic has deployed it, so a
        // failed deploy is tainted, and its replacement (the only way on) would stop every plan.
        lifecycle: { ignoreChanges: [...REDEPLOYING] },
        // Ironic's deploy (power-on, cleaning, image write, reboot) of a large server can pass
        // the provider's 30 minutes, which would leave it tainted and redeployed.
        timeouts: { create: "90m", delete: "60m" },
      });
    }
    // A server left to any free node could take a node another server is pinned to, which then
    // finds none (NoValidHost) on every retry: the pinned servers of a hardware profile (one
    // Ironic resource class, whatever the flavor) claim their nodes first.
    for (const node of props.nodes.filter((n) => !n.baremetalNode && !n.virtual)) {
      const pinned = props.nodes.filter(
        (n) => n.baremetalNode && !n.virtual && n.hardware === node.hardware,
      );
      if (pinned.length)
        instances[node.name].dependsOn = pinned.map((n) => dependable(instances[n.name]));
    }
    this.instances = instances;
  }
}
