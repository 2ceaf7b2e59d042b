import type { Blueprint } from "./blueprint";
import { cloudInABox } from "./cloud-in-a-box";
import { desktopCloud } from "./desktop-cloud";
import { devtestCloud } from "./devtest-cloud";
import { enterpriseReference } from "./enterprise-reference";
import { publicCloud } from "./public-cloud";
import { threeNode } from "./three-node";
import { trystack } from "./trystack";

/** Every blueprint Stackwright ships, by name, in the seed's order. */
export const BLUEPRINTS: readonly Blueprint[] = [
  enterpriseReference,
  trystack,
  threeNode,
  devtestCloud,
  publicCloud,
  cloudInABox,
  desktopCloud,
];

export const DEFAULT_BLUEPRINT = enterpriseReference.name;

export function findBlueprint(name: string): Blueprint | undefined {
  return BLUEPRINTS.find((b) => b.name === name);
}
