import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import { platformWithTenants } from "./private/platform-stacks";

/** The classic controller + network node + compute node topology on a public and a private switch. */
export const threeNode: Blueprint = {
  name: "three-node",
  description:
    "Classic three-node lab: one controller, one network node (DHCP/L3/metadata), one compute node, public and private switches",
  example: "examples/three-node.yaml",
  designPoints: [
    {
      id: "diagram: controller node",
      title: "One controller running the APIs, database and message queue",
      realization:
        "A single controller instance with ports on the private and public networks, single MariaDB and RabbitMQ; keepalived VIP ports are planned already, so controllers can be added without readdressing. Not highly available: the validator warns",
    },
    {
      id: "diagram: network node",
      title: "A dedicated network node with the DHCP, L3 and metadata agents",
      realization:
        "controlPlane.networkNodes: 1 takes the Neutron agents off the controller: the node is in the inventory, gets addresses on both switches and its own security zone in the port matrix (metadata proxy to nova-metadata 8775, AMQP to the controller). It is installed with the hypervisors; no Terraform resource provisions it",
    },
    {
      id: "diagram: compute node",
      title: "One KVM compute node",
      realization:
        "A host aggregate with one hypervisor and the flavors pinned to it through aggregate_instance_extra_specs; no spare host (N+0)",
    },
    {
      id: "diagram: public switch",
      title: "Public switch 10.10.0.0/24",
      realization:
        "Flat external provider network on physnet-public with the floating-IP range and the external API VIP; tenant routers take their gateway here",
    },
    {
      id: "diagram: private switch",
      title: "Private switch 172.16.0.0/24",
      realization:
        "Flat management network on physnet-private carrying management and API traffic and the tenant VLAN range; never attached to a router",
    },
    {
      id: "diagram: OVS agents",
      title: "Open vSwitch agents on every node",
      realization:
        "Tenant networks are VLAN segments on physnet-private that the OVS agents bridge on every node; the configuration of the agents comes from the deployment tool, not from Terraform",
    },
    {
      id: "diagram: DHCP/L3/metadata agents",
      title: "DHCP, L3 and metadata agents on the network node",
      realization:
        "Each tenant gets a network, subnet and router with its gateway on the public network, served by the agents of the network node; the HA matrix records one L3/DHCP node, tolerating no failure",
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: two switches, one controller, one compute node",
    ).stacks;
  },
};
