import type { Construct } from "constructs";
import type { Model } from "../../model/types";
import { CloudStack } from "../../synth/stack";
import { addPlatformOutputs, CloudPlatform } from "../cloud-platform";
import { addTenantStacks } from "../tenant-stacks";

export interface PlatformStacks {
  /** The platform team's stack, for blueprint-specific outputs. */
  readonly platform: CloudStack;
  /** The platform composition inside it. */
  readonly cloud: CloudPlatform;
  /** Every stack: the platform first, then one per tenant group. */
  readonly stacks: CloudStack[];
}

/**
 * The composition most blueprints share: a platform stack holding CloudPlatform and its standard
 * outputs, and the tenant stacks that read it through remote state.
 */
export function platformWithTenants(
  app: Construct,
  model: Model,
  description: string,
): PlatformStacks {
  const platform = new CloudStack(app, "platform", { model, description });
  const cloud = new CloudPlatform(platform, "cloud", { model });
  addPlatformOutputs(platform, model, cloud);
  return { platform, cloud, stacks: [platform, ...addTenantStacks(app, model, cloud)] };
}
