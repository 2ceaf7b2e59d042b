import Ajv from "ajv";
import { findBlueprint } from "../../blueprints/catalog";
import type { Model } from "../../model/types";
import { runChecks, type Finding } from "../../policy";
import type { SynthesizedStack } from "../../synth/app";
import { CORE_SERVICES, load, variant } from "../support/fixtures";
import sarifSchema from "./sarif-2.1.0-subset.schema.json";
import { synthesized } from "../support/synth-cache";

/** The model of the base spec, bent by `edit` before loading. */
export function modelOf(edit: (spec: any) => void = () => {}): Model {
  return load(variant(edit)).model;
}

/**
 * A copy of a model changed after resolution, for designs the spec rules already reject:
 * the policy rules are a second line of defence and must still catch them.
 */
export function bent(model: Model, edit: (model: any) => void): Model {
  const copy = structuredClone(model) as any;
  edit(copy);
  return copy as Model;
}

export function synth(model: Model): Promise<SynthesizedStack[]> {
  return synthesized(findBlueprint(model.blueprint)!, model, "json");
}

/** Copies of the stacks with one stack's configuration edited as JSON. */
export function editStack(
  stacks: readonly SynthesizedStack[],
  name: string,
  edit: (config: any) => void,
): SynthesizedStack[] {
  return stacks.map((s) => {
    if (s.name !== name) return s;
    const config = structuredClone(s.config);
    edit(config);
    return { ...s, config, content: JSON.stringify(config) };
  });
}

/** The one resource of `type` whose construct path ends with `pathEnd`. */
export function resourceAt(config: any, type: string, pathEnd: string): any {
  const found = Object.values(config.resource[type] as Record<string, any>).filter((r) =>
    String(r["//"].metadata.path).endsWith(pathEnd),
  );
  if (found.length !== 1) throw new Error(`${found.length} ${type} at …${pathEnd}`);
  return found[0];
}

/** Adds a resource with cdktf's metadata, as a construct at `path` would have written it. */
export function addResource(config: any, type: string, path: string, body: object): void {
  const id = path.replace(/[^A-Za-z0-9]+/g, "_");
  config.resource[type] ??= {};
  config.resource[type][id] = { "//": { metadata: { path, uniqueId: id } }, ...body };
}

/** The findings of one rule. */
export function findingsOf(
  ruleId: string,
  model: Model,
  stacks: readonly SynthesizedStack[] = [],
): Finding[] {
  return runChecks(model, stacks).filter((f) => f.ruleId === ruleId);
}

/** A spec edit that adds Swift with one container. */
export function withSwift(container: object, swift: object = {}): (spec: any) => void {
  return (spec) => {
    spec.controlPlane.services = [...CORE_SERVICES, "horizon", "swift"];
    spec.storage = {
      swift: {
        proxies: 2,
        proxyHardware: "stor",
        storageNodes: 5,
        storageHardware: "stor",
        disksPerNode: 4,
        diskSizeTB: 4,
        zones: 5,
        containers: [container],
        ...swift,
      },
    };
  };
}

// Ajv's default strict mode; strictRequired stays off for the SARIF schema's `anyOf: [{ required }]`.
const validateSarif = new Ajv({ allErrors: true }).compile(sarifSchema);

/**
 * What is wrong with a SARIF log: the SARIF 2.1.0 schema (the subset Stackwright uses) and what
 * a schema cannot say, that rule ids are unique and each result's ruleIndex points at its rule.
 */
export function sarifProblems(text: string): string[] {
  const log = JSON.parse(text);
  const valid: boolean = validateSarif(log);
  if (!valid) {
    return (validateSarif.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }
  const rules = log.runs[0].tool.driver.rules as { id: string }[];
  const problems: string[] = [];
  if (new Set(rules.map((r) => r.id)).size !== rules.length) problems.push("duplicate rule ids");
  for (const r of log.runs[0].results) {
    if (rules[r.ruleIndex]?.id !== r.ruleId) problems.push(`${r.ruleId}: wrong ruleIndex`);
  }
  return problems;
}
