import * as path from "path";
import type { Blueprint } from "../../blueprints/blueprint";
import { findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile, type LoadedSpec } from "../../model/load";
import { synthesized } from "./synth-cache";

export const ROOT = path.join(__dirname, "..", "..");

/** The seed's seven architectures, in the catalogue's order. */
export const SEED_BLUEPRINTS = [
  "enterprise-reference",
  "trystack",
  "three-node",
  "devtest-cloud",
  "public-cloud",
  "cloud-in-a-box",
  "desktop-cloud",
];

export interface SynthesizedExample {
  readonly blueprint: Blueprint;
  readonly loaded: LoadedSpec;
  /** Each stack's Terraform JSON, by stack name. */
  readonly stacks: Readonly<Record<string, any>>;
}

/** Loads a blueprint's example spec and synthesizes it with that blueprint, as the CLI does. */
export async function synthesizeExample(name: string): Promise<SynthesizedExample> {
  const blueprint = findBlueprint(name);
  if (!blueprint) throw new Error(`no blueprint ${name}`);
  const loaded = loadSpecFile(path.join(ROOT, blueprint.example));
  const stacks = await synthesized(blueprint, loaded.model, "json");
  return {
    blueprint,
    loaded,
    stacks: Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(s.content)])),
  };
}

/** The configurations of every resource of one type in a stack. */
export function resourcesOf(stack: any, type: string): Record<string, any>[] {
  return Object.values(stack?.resource?.[type] ?? {});
}

/** The configurations of every resource of one type in any of the stacks. */
export function resourcesInAll(stacks: Readonly<Record<string, any>>, type: string) {
  return Object.values(stacks).flatMap((s) => resourcesOf(s, type));
}

/** The Terraform reference to a resource's attribute, as cdktf writes it in the same stack. */
export function refTo(stack: any, type: string, match: (r: any) => boolean, attr = "id"): string {
  const entry = Object.entries(stack?.resource?.[type] ?? {}).find(([, r]) => match(r));
  if (!entry) throw new Error(`no ${type} matches`);
  return `\${${type}.${entry[0]}.${attr}}`;
}
