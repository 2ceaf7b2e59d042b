import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import { platformWithTenants } from "./private/platform-stacks";

/** A TryStack-style sandbox: HAProxy-fronted APIs, KVM hosts, ZFS volumes and Swift. */
export const trystack: Blueprint = {
  name: "trystack",
  description:
    "TryStack-style sandbox: HAProxy/keepalived front end to the APIs and Swift proxy, KVM hosts, ZFS volumes, Swift storage",
  example: "examples/trystack.yaml",
  designPoints: [
    {
      id: "diagram: Nginx/HAProxy",
      title: "Nginx/HAProxy in front of the APIs and the Swift proxy",
      realization:
        "keepalived VIP ports (internal and external) held by the controllers, HAProxy behind them for every enabled API (Nova, Keystone, Neutron, Cinder, Glance, Placement, Horizon) and the Swift proxies; the port matrix opens each endpoint to users. A separate Nginx tier is not modelled: HAProxy is the front end",
    },
    {
      id: "diagram: API services",
      title: "Nova, Keystone, Neutron, Cinder and Glance APIs",
      realization:
        "Controllers in an anti-affinity server group run the APIs active/active, with Galera and a RabbitMQ cluster behind them",
    },
    {
      id: "diagram: compute and volume managers",
      title: "Compute and volume managers",
      realization:
        "nova-compute on the KVM hosts of the kvm aggregate; cinder-volume drives the ZFS backend. The ZFS volume hosts are not a node role of the model, so they appear in no inventory",
    },
    {
      id: "diagram: ZFS",
      title: "ZFS-backed volumes",
      realization:
        "Cinder volume type zfs bound to the zfs backend through volume_backend_name, with front-end QoS limits so one trial user cannot starve the others",
    },
    {
      id: "diagram: KVM hosts",
      title: "KVM hypervisors",
      realization:
        "A host aggregate of KVM hosts with heavy CPU overcommit and a spare host, the sandbox flavors pinned to it; KVM is the libvirt default, the hypervisor type itself is not a spec field",
    },
    {
      id: "diagram: Swift",
      title: "Swift proxy and storage",
      realization:
        "Swift proxies behind the VIP, storage nodes spread over the zones of the ring, the ring plan (partition power, weights) computed in the model and written as a script; containers for Glance images and Cinder backups",
    },
    {
      id: "sandbox",
      title: "Trial users on a shared cloud",
      realization:
        "Tenants with small quotas and a network, router and base security group each, tenant networks drawn from a shared subnet pool",
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: API front end, KVM pool, ZFS volumes, Swift",
    ).stacks;
  },
};
