import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import { platformWithTenants } from "./private/platform-stacks";

/** An OpenStack public cloud region: self-service tenants, HA everywhere, N+1, metering. */
export const publicCloud: Blueprint = {
  name: "public-cloud",
  description:
    "Public cloud region: self-service customer tenants, HA everywhere with N+1 hosts, Ceph and Swift, Ceilometer metering",
  example: "examples/public-cloud.yaml",
  designPoints: [
    {
      id: "diagram: self-service",
      title: "Self-service tenants",
      realization:
        "Customer projects in their own Keystone domain with quotas and a starter network and router; a shared default subnet pool in an address scope from which customers create further networks themselves (its id is the platform output tenant_subnet_pool_id)",
    },
    {
      id: "diagram: management",
      title: "User, VM, storage and network management",
      realization:
        "Horizon and the public APIs (Keystone, Nova, Neutron, Cinder, Glance, Swift, Heat, Octavia) on the external VIP; per-customer compute, volume, network and load-balancer quotas",
    },
    {
      id: "diagram: metering",
      title: "Metering-ready: usage data for billing",
      realization:
        "Ceilometer is part of the control plane; the metric store and the rating or billing engine it feeds are outside the spec and not generated",
    },
    {
      id: "SLA 99.9%",
      title: "HA everywhere",
      realization:
        "An odd number of controllers (Galera and RabbitMQ keep quorum through failures), dedicated network nodes with HA routers, Ceph replicas across racks, Swift replicas across zones, several Swift proxies; the HA matrix of the document states what each layer tolerates",
    },
    {
      id: "SLA 99.9%: capacity",
      title: "N+1 capacity",
      realization:
        "Spare hosts in every pool, held back from the usable capacity tenant quotas are checked against",
    },
    {
      id: "multi-tenancy",
      title: "Customers isolated from each other",
      realization:
        "FWaaS v2 policies on every customer router, a least-privilege base security group per project, per-volume QoS limits, management and storage networks never routed",
    },
  ],
  build(app: Construct, model: Model) {
    const { platform, cloud, stacks } = platformWithTenants(
      app,
      model,
      "Platform stack: public networks, HA control plane, compute pools, Ceph, Swift",
    );
    if (cloud.fabric.subnetPool) {
      new TerraformOutput(platform, "tenant_subnet_pool_id", {
        value: cloud.fabric.subnetPool.id,
        description:
          "Neutron id of the default subnet pool self-service tenants create networks from",
      });
    }
    return stacks;
  },
};
