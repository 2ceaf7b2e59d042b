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
