import type { Construct } from "constructs";
import type { Model } from "../model/types";
import { CloudStack } from "../synth/stack";
import type { Blueprint } from "./blueprint";
import { addPlatformOutputs, CloudPlatform } from "./cloud-platform";
import { addTenantStacks } from "./tenant-stacks";

/** The general enterprise architecture: zoned x86 pools, HA controllers, Ceph, Swift, UNIX bridge. */
export const enterpriseReference: Blueprint = {
  name: "enterprise-reference",
  description:
    "General enterprise private cloud: HA controllers, x86 zones A/B with tiered pools, Ceph, Swift, LDAP/NTP, UNIX bridge",
  example: "examples/enterprise-reference.yaml",
  designPoints: [
    {
      id: "1",
      title: "HA controllers that can later move to hardware-accelerated nodes",
      realization:
        "Controllers in an anti-affinity server group behind keepalived/HAProxy or Octavia VIPs; the controller flavor and hardware profile are spec values, so accelerated nodes are a spec change",
    },
    {
      id: "2",
      title: "Resource pools by application tier or business stage",
      realization:
        "One host aggregate per pool in its availability zone, flavors pinned to it through aggregate_instance_extra_specs",
    },
    {
      id: "3",
      title:
        "Loosely coupled compute/storage for general apps, tightly coupled for high-throughput data apps",
      realization:
        "Pool coupling recorded in the model; dedicated-CPU flavors (hw:cpu_policy) for pinned tiers",
    },
    {
      id: "4",
      title: "Integrated heterogeneous storage",
      realization:
        "One Cinder volume type per backend (Ceph, GlusterFS, ZFS, LVM) bound through volume_backend_name, with QoS",
    },
    {
      id: "5",
      title: "Integration with existing enterprise systems",
      realization:
        "Keystone domains backed by LDAP/AD, directory groups mapped to project roles, chrony from the enterprise NTP servers",
    },
    {
      id: "6",
      title: "Distributed block storage",
      realization: "Ceph RBD backend, capacity and placement groups computed in the model",
    },
    {
      id: "7",
      title: "Distributed object storage",
      realization: "Swift containers with ACLs and versioning; ring plan computed in the model",
    },
    {
      id: "8",
      title: "Bridge to PowerPC/UNIX applications that cannot migrate",
      realization:
        "Provider VLAN to the legacy systems, router with static routes, security groups for exactly the declared application flows",
    },
    {
      id: "9",
      title: "Networking extended to L3/SDN",
      realization:
        "Tenant routers to the external network, VXLAN/GRE/Geneve overlays, subnet pool in an address scope, FWaaS v2",
    },
  ],
  build(app: Construct, model: Model) {
    const platform = new CloudStack(app, "platform", {
      model,
      description: "Platform stack: networks, control plane, compute zones, storage",
    });
    const cloud = new CloudPlatform(platform, "cloud", { model });
    addPlatformOutputs(platform, model, cloud);
    return [platform, ...addTenantStacks(app, model, cloud)];
  },
};
