import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { CloudStack } from "../synth/stack";

/** A named, documented composition of constructs with an example spec. */
export interface Blueprint {
  readonly name: string;
  /** One line for `stackwright blueprints`. */
  readonly description: string;
  /** The example spec shipped for this blueprint, relative to the package root. */
  readonly example: string;
  /** Adds this blueprint's Terraform stacks for a resolved model to the app. */
  build(app: Construct, model: Model): CloudStack[];
}
