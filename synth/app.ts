import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import type { Model } from "../model/types";
import type { Blueprint } from "../blueprints/blueprint";

export type TerraformFormat = "json" | "hcl";

export interface SynthesizedStack {
  readonly name: string;
  /** Path of the stack's configuration relative to the output folder. */
  readonly file: string;
  readonly content: string;
}

/**
 * Builds the blueprint's stacks for a model and returns each stack's Terraform configuration.
 * cdktf writes into a private scratch folder; callers decide where the files finally go.
 */
export function synthesizeTerraform(
  blueprint: Blueprint,
  model: Model,
  format: TerraformFormat,
): SynthesizedStack[] {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "stackwright-synth-"));
  const previous = process.env.SYNTH_HCL_OUTPUT;
  // cdktf reads this while stacks are built, not at synth time.
  process.env.SYNTH_HCL_OUTPUT = format === "hcl" ? "true" : "false";
  try {
    const app = new App({
      outdir: scratch,
      skipValidation: true,
      context: { excludeStackIdFromLogicalIds: true, allowSepCharsInLogicalIds: true },
    });
    const stacks = blueprint.build(app, model);
    app.synth();
    const fileName = format === "hcl" ? "cdk.tf" : "cdk.tf.json";
    return stacks
      .map((stack) => {
        const name = stack.node.id;
        const content = fs.readFileSync(path.join(scratch, "stacks", name, fileName), "utf8");
        return { name, file: `terraform/${name}/${fileName}`, content };
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
