import * as fs from "fs";
import * as path from "path";
import { loadSpecFile, type LoadedSpec } from "../model/load";
import { formatPath, UserError, type SpecIssue } from "../core/errors";
import type { Blueprint } from "../blueprints/blueprint";
import { BLUEPRINTS, DEFAULT_BLUEPRINT, findBlueprint } from "../blueprints/catalog";
import {
  inspectTerraform,
  synthesizeTerraform,
  tfvarsExample,
  type InspectedStack,
  type SynthesizedStack,
  type TerraformFormat,
} from "../synth/app";
import { terraformInventory } from "../documents/view-model";
import { stackReadme } from "../synth/stack-readme";
import type { Model } from "../model/types";
import { architectureDocuments, type DocumentOptions } from "../documents/architecture";
import { packageRoot } from "../core/package-root";
import { chronyConfigs, keystoneDomainConfigs, netplanConfigs, swiftRingPlan } from "../artifacts";
import { deployFiles } from "../deployer";
import { runChecks, type CheckedStack, type Finding, type SpecSource } from "../policy";

export interface Design {
  readonly loaded: LoadedSpec;
  readonly blueprint: Blueprint;
}

export const VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
    version: string;
  }
).version;

/** Loads a spec and finds its blueprint; every user mistake surfaces as a UserError. */
export function loadDesign(file: string): Design {
  const loaded = loadSpecFile(file);
  const name = loaded.spec.blueprint ?? DEFAULT_BLUEPRINT;
  const blueprint = findBlueprint(name);
  if (!blueprint) {
    throw UserError.fromIssues(file, [
      {
        code: "unknown-blueprint",
        path: ["blueprint"],
        severity: "error",
        message: `unknown blueprint ${JSON.stringify(name)} (known: ${BLUEPRINTS.map((b) => b.name).join(", ")})`,
        location: loaded.locate(["blueprint"]) ?? { file },
      },
    ]);
  }
  return { loaded, blueprint };
}

/** The stacks' configurations for reading (policy, documents) when no Terraform is written. */
export function inspectedStacks(design: Design): InspectedStack[] {
  return inspectTerraform(design.blueprint, design.loaded.model);
}

export function terraformStacks(
  design: Design,
  format: TerraformFormat,
): Promise<SynthesizedStack[]> {
  return synthesizeTerraform(design.blueprint, design.loaded.model, format);
}

/** The spec as the checks see it: its warnings and the positions of every path. */
export function specSource(design: Design): SpecSource {
  const { file, spec, warnings, locate } = design.loaded;
  return { file, spec, issues: [...warnings, ...designPointIssues(design)], locate };
}

/**
 * The design points of the blueprint a spec names that the design leaves out, as warnings at
 * `blueprint`: the document marks them, and the architect hears it when validating. A spec that
 * names none takes the default blueprint's document without choosing its reference design.
 */
function designPointIssues(design: Design): SpecIssue[] {
  const { file, spec, model, locate } = design.loaded;
  if (spec.blueprint === undefined) return [];
  return design.blueprint.designPoints.flatMap((d): SpecIssue[] => {
    const needs = d.needs?.(model) ?? [];
    if (needs.length === 0) return [];
    return [
      {
        code: "design-point-unmet",
        path: ["blueprint"],
        // (one finding per point: each its own target, for the tables and SARIF fingerprints)
        // (below blueprint: a suppression of the blueprint still covers them all)
        target: formatPath(["blueprint", "designPoints", d.id]),
        severity: "warning",
        message: `design point ${JSON.stringify(d.id)} of blueprint ${design.blueprint.name} (${d.title}) needs ${needs.join(", ")}, which this design lacks, and the document says so; set them, choose another blueprint, or suppress this finding with a reason`,
        location: locate(["blueprint"]) ?? { file },
      },
    ];
  });
}

/**
 * Every finding of the design: the validator's warnings and the policy packs over the model and
 * its stacks, each placed in the spec file.
 */
export function designFindings(
  design: Design,
  stacks: readonly CheckedStack[],
  drift?: readonly Finding[],
): Finding[] {
  return runChecks(design.loaded.model, stacks, {
    spec: specSource(design),
    ...(drift ? { drift } : {}),
  });
}

/**
 * What `validate` reports: the validator's warnings and the policy rules over the model (the
 * design choices synth's checks refuse too), each at its line of the spec, with the spec's
 * suppressions applied. Construct rules need the synthesized stacks: `check` and `synth` run them.
 */
export function specReport(design: Design): Finding[] {
  return runChecks(design.loaded.model, [], { scopes: ["model"], spec: specSource(design) });
}

/** Each stack's configuration, its terraform.tfvars.example and, given the model, its README. */
export function terraformFiles(
  stacks: readonly SynthesizedStack[],
  model?: Model,
): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of stacks) {
    files.set(s.file, s.content);
    files.set(`terraform/${s.name}/terraform.tfvars.example`, tfvarsExample(s));
    if (model) files.set(`terraform/${s.name}/README.md`, stackReadme(s, model));
  }
  return files;
}

/** The architecture document in all its formats, with the Terraform inventory of its stacks. */
export function documentFiles(
  design: Design,
  stacks: readonly InspectedStack[],
  options: DocumentOptions = {},
): Promise<Map<string, string | Buffer>> {
  return architectureDocuments(
    design.loaded.model,
    terraformInventory(stacks),
    design.blueprint.designPoints,
    options,
  );
}

/** Progress notes on stderr for people at a terminal; silent in pipes, CI and with --quiet. */
export function progressReporter(quiet?: boolean): ((step: string) => void) | undefined {
  return quiet || !process.stderr.isTTY
    ? undefined
    : (step) => process.stderr.write(`... ${step}\n`);
}

/** Configuration that is not Terraform (Keystone domains, chrony, Swift rings, host netplan, deploy/), next to it. */
export function artifactFiles(design: Design): Map<string, string> {
  const model = design.loaded.model;
  return new Map([
    ...keystoneDomainConfigs(model),
    ...chronyConfigs(model),
    ...swiftRingPlan(model),
    ...netplanConfigs(model),
    ...deployFiles(model),
  ]);
}

export function modelFile(design: Design): string {
  return `${JSON.stringify(design.loaded.model, null, 2)}\n`;
}
