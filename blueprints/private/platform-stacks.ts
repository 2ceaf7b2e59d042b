import type { Construct } from "constructs";
import type { Model } from "../../model/types";
import { CloudStack } from "../../synth/stack";
import { STACKS } from "../../core/naming";
import { addPlatformOutputs, CloudPlatform } from "../cloud-platform";
import { addTenantStacks } from "../tenant-stacks";
import { addBareMetalStack } from "../baremetal-stack";

export interface PlatformStacks {
  /** The platform team's stack, for blueprint-specific outputs. */
  readonly platform: CloudStack;
  /** The platform composition inside it. */
  readonly cloud: CloudPlatform;
  /** Every stack in lifecycle order: bare metal (with an undercloud), platform, tenants. */
  readonly stacks: CloudStack[];
}

/**
 * The composition most blueprints share: the bare-metal stack on the undercloud when the design
 * declares one, a platform stack holding CloudPlatform and its standard outputs, and the tenant
 * stacks that read it through remote state.
 */
export function platformWithTenants(
  app: Construct,
  model: Model,
  description: string,
): PlatformStacks {
  const platform = new CloudStack(app, STACKS.platform, { model, description });
  const cloud = new CloudPlatform(platform, "cloud", { model });
  addPlatformOutputs(platform, model, cloud);
  const baremetal = model.undercloud ? [addBareMetalStack(app, model)] : [];
  return {
    platform,
    cloud,
    stacks: [...baremetal, platform, ...addTenantStacks(app, model, cloud)],
  };
}
