import type { Blueprint } from "./blueprint";
import { enterpriseReference } from "./enterprise-reference";

/** Every blueprint Stackwright ships, by name. */
export const BLUEPRINTS: readonly Blueprint[] = [enterpriseReference];

export const DEFAULT_BLUEPRINT = enterpriseReference.name;

export function findBlueprint(name: string): Blueprint | undefined {
  return BLUEPRINTS.find((b) => b.name === name);
}
