import type { Model } from "../model/types";
import type { SynthesizedStack } from "../synth/app";
import { compareFindings, type Finding } from "./finding";
import { PACKS, RULES } from "./packs";
import {
  isSpecRule,
  isSpecWarningCode,
  locateFindings,
  SPEC_RULE_PREFIX,
  specFindings,
  type SpecSource,
} from "./spec-findings";
import type { PackName, Rule, RuleInfo, Violation } from "./rule";
import { applySuppressions, UNUSED_SUPPRESSION } from "./suppressions";
import { TERRAFORM_DRIFT, TERRAFORM_UNCHECKED } from "./drift";
import { stackView, type StackView } from "./terraform";

export interface CheckOptions {
  /** The packs to apply. @default every pack */
  readonly packs?: readonly PackName[];
  /**
   * The rules to apply by what they read: `model` rules need only the resolved model (validate
   * runs them), `construct` rules the synthesized stacks. @default both
   */
  readonly scopes?: readonly Rule["scope"][];
  /**
   * The loaded spec: its validator warnings become `SW-SPEC-*` findings and every finding gets
   * its place in the file. @default no spec findings, no locations
   */
  readonly spec?: SpecSource;
  /**
   * Findings of the written Terraform against the spec's (`SW-META-002`), suppressed and sorted
   * with the rest. @default the written Terraform was not read
   */
  readonly drift?: readonly Finding[];
}

/**
 * A synthesized stack as `synthesizeTerraform(…, "json")` returns it; for one read from a folder
 * (`check --terraform`), its configuration as Terraform loads it and the spec's synthesis beside.
 */
export type CheckedStack = Pick<SynthesizedStack, "name" | "config"> & {
  readonly synthesized?: SynthesizedStack["config"];
};

/** Every rule a report can mention, the packs' and SW-META-001 to SW-META-003, by id. */
export function ruleCatalog(options: CheckOptions = {}): RuleInfo[] {
  return [...selectRules(options), UNUSED_SUPPRESSION, TERRAFORM_DRIFT, TERRAFORM_UNCHECKED].sort(
    (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * Runs the policy packs over a resolved model and its synthesized stacks (JSON): model rules
 * once, construct rules on every block of every stack. Applies the spec's suppressions (the
 * findings stay, marked suppressed) and reports unused suppressions. Sorted: severity, rule,
 * target, message.
 */
export function runChecks(
  model: Model,
  stacks: readonly CheckedStack[],
  options: CheckOptions = {},
): Finding[] {
  const rules = selectRules(options);
  const views = stacks.map((s) => stackView(s.name, s.config, s.synthesized));
  const findings = [
    ...(options.spec ? specFindings(options.spec) : []),
    ...checkModel(model, rules),
    ...views.flatMap((view) => checkStack(view, model, rules)),
    ...(options.drift ?? []),
  ];
  const checked = options.drift ? [...rules, TERRAFORM_DRIFT, TERRAFORM_UNCHECKED] : rules;
  const report = finish(model, findings, checked, { specChecked: options.spec !== undefined });
  return options.spec ? locateFindings(report, options.spec, isConstructRule) : report;
}

const CONSTRUCT_RULES = new Set(RULES.filter((r) => r.scope === "construct").map((r) => r.id));
const isConstructRule = (id: string) => CONSTRUCT_RULES.has(id);

/** The packs' model rules over a model, without suppressions. */
export function checkModel(model: Model, rules: readonly Rule[] = selectRules()): Finding[] {
  return rules.flatMap((rule) =>
    rule.scope === "model" ? rule.check(model).map((v) => toFinding(rule, v)) : [],
  );
}

/** The packs' construct rules over one stack, block by block, without suppressions. */
export function checkStack(
  stack: StackView,
  model: Model,
  rules: readonly Rule[] = selectRules(),
): Finding[] {
  const constructRules = rules.filter((r) => r.scope === "construct");
  return stack.nodes.flatMap((node) =>
    constructRules.flatMap((rule) => rule.check(node, stack, model).map((v) => toFinding(rule, v))),
  );
}

/**
 * Applies the model's suppressions to the raw findings of `checked` rules and sorts the report.
 * Suppressions of rules that were not run are neither applied nor reported as unused;
 * `specChecked` says whether the validator's warnings (`SW-SPEC-*`) are among the findings.
 */
export function finish(
  model: Pick<Model, "suppressions">,
  findings: readonly Finding[],
  checked: readonly RuleInfo[] = selectRules(),
  options: { readonly specChecked?: boolean } = {},
): Finding[] {
  const known = new Set(ruleCatalog().map((r) => r.id));
  const ran = new Set(checked.map((r) => r.id));
  const rules = {
    known: {
      has: (id: string) =>
        known.has(id) || (isSpecRule(id) && isSpecWarningCode(id.slice(SPEC_RULE_PREFIX.length))),
    },
    checked: {
      has: (id: string) => ran.has(id) || (options.specChecked === true && isSpecRule(id)),
    },
  };
  return dedupe(applySuppressions(findings, model.suppressions, rules)).sort(compareFindings);
}

function selectRules(options: CheckOptions = {}): Rule[] {
  const wanted = options.packs ? new Set(options.packs) : undefined;
  const scopes = options.scopes ? new Set(options.scopes) : undefined;
  return PACKS.filter((p) => !wanted || wanted.has(p.name))
    .flatMap((p) => p.rules)
    .filter((r) => !scopes || scopes.has(r.scope));
}

const toFinding = (rule: RuleInfo, v: Violation): Finding => ({
  ruleId: rule.id,
  severity: rule.severity,
  target: v.target,
  message: v.message,
  fix: v.fix,
  ...(v.values ? { values: v.values } : {}),
});

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.ruleId, f.target, f.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
