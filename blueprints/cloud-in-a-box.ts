import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import { platformWithTenants } from "./private/platform-stacks";

/** A single-rack appliance: converged HA control nodes, SDN overlay, compute and iSCSI storage. */
export const cloudInABox: Blueprint = {
  name: "cloud-in-a-box",
  description:
    "Cloud in a box: converged HA control nodes (UI, APIs, Galera, RabbitMQ, SDN gateway), Geneve overlay, compute, LVM iSCSI/iSER storage",
  example: "examples/cloud-in-a-box.yaml",
  designPoints: [
    {
      id: "diagram: control nodes",
      title: "Converged control nodes: Web UI, OpenStack, MySQL and RabbitMQ in HA",
      realization:
        "Control nodes in an anti-affinity server group run Horizon, the APIs, a Galera cluster and a RabbitMQ cluster behind keepalived VIPs; the HA matrix states the failures each tolerates",
    },
    {
      id: "diagram: SDN switch, OpenFlow and tunnels",
      title: "SDN switching with OpenFlow and tunnels",
      realization:
        "Tenant networks as an overlay on the tunnel network (Geneve for OVN, which programs Open vSwitch with OpenFlow), the overlay MTU derived from the underlay; the port matrix opens the tunnel port between control and compute nodes only",
    },
    {
      id: "diagram: L3 gateway",
      title: "L3 gateway",
      realization:
        "No dedicated network nodes: the control nodes are the gateway, tenant routers take their gateway on the uplink network with floating IPs",
    },
    {
      id: "diagram: security policy",
      title: "Security policy",
      realization:
        "FWaaS v2 ingress and egress policies on every tenant router, default-deny security groups from the port matrix, administration only from the declared admin networks",
    },
    {
      id: "diagram: compute nodes",
      title: "Compute nodes",
      realization:
        "A host aggregate for the compute nodes with a spare host, the flavors of the appliance pinned to it",
    },
    {
      id: "diagram: storage nodes",
      title: "Storage nodes as iSCSI/iSER targets",
      realization:
        "Cinder volume types on LVM backends bound through volume_backend_name, one per transport (iSCSI, and iSER for the private fast type granted to named tenants), over a jumbo-frame storage network. The storage nodes are not a node role of the model, so they appear in no inventory",
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: converged control nodes, overlay network, compute, LVM volumes",
    ).stacks;
  },
};
