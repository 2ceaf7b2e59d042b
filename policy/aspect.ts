import { TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import type { Model } from "../model/types";
import type { Finding } from "./finding";
import { PACKS } from "./packs";
import type { PackName } from "./rule";
import { checkStack } from "./run";
import { stackView } from "./terraform";

/**
 * Applies the construct rules of the packs as a cdktf Aspect: `Aspects.of(stack).add(aspect)`
 * before `app.synth()`, then read `aspect.findings` (raw: `finish(model, findings)` applies the
 * suppressions and sorts). The rules see each stack's configuration exactly as it is written.
 */
export class PolicyAspect implements IAspect {
  private readonly collected: Finding[] = [];
  private readonly visited = new Set<TerraformStack>();

  constructor(
    private readonly model: Model,
    private readonly packs?: readonly PackName[],
  ) {}

  /** Construct-rule findings of every stack visited so far, without suppressions. */
  get findings(): readonly Finding[] {
    return this.collected;
  }

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack) || this.visited.has(node)) return;
    this.visited.add(node);
    const rules = PACKS.filter((p) => !this.packs || this.packs.includes(p.name)).flatMap(
      (p) => p.rules,
    );
    const view = stackView(node.node.id, node.toTerraform());
    this.collected.push(...checkStack(view, this.model, rules));
  }
}
