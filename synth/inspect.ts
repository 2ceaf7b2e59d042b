import { TerraformElement, TerraformStack } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { deepMerge } from "cdktf/lib/util";
import type { IConstruct } from "constructs";

type Json = Record<string, unknown>;

/**
 * A stack's configuration for reading, shaped as cdktf's `toTerraform()` gives it, but each
 * resource and data source body is resolved only when first read. Resolving every token of
 * every body is most of synthesis; `check` and `docs` read the bodies of a few types only.
 */
export function inspectedConfiguration(stack: TerraformStack): Json {
  const config: Json = {};
  for (const element of elementsOf(stack)) {
    const fragment = element.toTerraform() as Json;
    for (const [key, value] of Object.entries(fragment)) {
      if (key === "resource" || key === "data") {
        const byType = (config[key] ??= {}) as Record<string, Json>;
        for (const [type, items] of Object.entries(value as Record<string, Json>)) {
          const byName = (byType[type] ??= {});
          for (const [name, body] of Object.entries(items)) lazy(byName, name, stack, body);
        }
      } else {
        deepMerge(config, { [key]: resolve(stack, value) });
      }
    }
  }
  deepMerge(config, resolve(stack, (stack as unknown as { rawOverrides: Json }).rawOverrides));
  return config;
}

function lazy(target: Json, name: string, stack: TerraformStack, body: unknown): void {
  let resolved: unknown;
  let done = false;
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!done) {
        resolved = resolve(stack, body);
        done = true;
      }
      return resolved;
    },
  });
}

/** The stack's elements in cdktf's order, without descending into nested stacks. */
function elementsOf(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) elementsOf(child, into);
  }
  return into;
}
