import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { CloudStack } from "../synth/stack";

/**
 * Where a design point is realized: a Terraform stack, the deployer's configuration
 * (Kolla-Ansible, cephadm), a configuration file under config/, or only the document.
 */
export type LandsIn =
  "baremetal-stack" | "platform-stack" | "tenant-stacks" | "deployer" | "config" | "document";

export interface DesignPoint {
  /** Short reference, e.g. "1" or "slide 26". */
  readonly id: string;
  readonly title: string;
  /** What the generated Terraform and document do for it. */
  readonly realization: string;
  /** Where it lands, in lifecycle order. */
  readonly landsIn: readonly LandsIn[];
  /** The spec settings a design lacks for this point to hold; none when it always does. */
  readonly needs?: (model: Model) => readonly string[];
  /** The same in the other document languages. */
  readonly translations?: Readonly<
    Partial<Record<"zh-CN", { readonly title: string; readonly realization: string }>>
  >;
}

/** A named, documented composition of constructs with an example spec. */
export interface Blueprint {
  readonly name: string;
  /** One line for `stackwright blueprints`. */
  readonly description: string;
  /** The example spec shipped for this blueprint, relative to the package root. */
  readonly example: string;
  /** The seed's design points (and diagrams) this blueprint realizes, and how. */
  readonly designPoints: readonly DesignPoint[];
  /** Adds this blueprint's Terraform stacks for a resolved model to the app. */
  build(app: Construct, model: Model): CloudStack[];
}
