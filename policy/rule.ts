import type { Model } from "../model/types";
import type { Severity } from "./finding";
import type { StackView, TerraformNode } from "./terraform";

/** What every rule declares about itself; reports and SARIF's rule list are built from it. */
export interface RuleInfo {
  /** Stable id: `SW-<PACK>-<NNN>`. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what a compliant design does. */
  readonly title: string;
  /** Why it matters and how to comply. */
  readonly help: string;
}

/** One problem a rule found; the runner adds the rule's id and severity. */
export interface Violation {
  readonly target: string;
  readonly message: string;
  readonly fix: string;
  /** Figures of the fix that a translated catalog's fix names (`{limit}`). */
  readonly values?: Readonly<Record<string, string | number>>;
}

/** A rule over the resolved model; its targets are spec paths. */
export interface ModelRule extends RuleInfo {
  readonly scope: "model";
  check(model: Model): readonly Violation[];
}

/**
 * A rule over the synthesized constructs, visited one Terraform block (resource, data source,
 * provider or backend) at a time, like a cdktf Aspect; its targets are construct paths.
 * `stack` lets a rule follow references to other blocks of the same stack.
 */
export interface ConstructRule extends RuleInfo {
  readonly scope: "construct";
  check(node: TerraformNode, stack: StackView, model: Model): readonly Violation[];
}

export type Rule = ModelRule | ConstructRule;

export type PackName = "ha" | "security" | "capacity";

/** Rules grouped by concern; `runChecks` applies every pack unless told otherwise. */
export interface Pack {
  readonly name: PackName;
  readonly description: string;
  readonly rules: readonly Rule[];
}
