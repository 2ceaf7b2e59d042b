import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformVariable, type TerraformStack } from "cdktf";
import { format as formatHcl } from "@cdktf/hcl-tools";
import type { Model } from "../model/types";
import type { Blueprint } from "../blueprints/blueprint";
import { jsonToHcl } from "./hcl";

export type TerraformFormat = "json" | "hcl";

export interface StackVariable {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly sensitive: boolean;
}

export interface SynthesizedStack {
  readonly name: string;
  /** Path of the stack's configuration relative to the output folder. */
  readonly file: string;
  readonly content: string;
  /** Input variables a user must supply before `terraform plan`. */
  readonly variables: readonly StackVariable[];
}

/** The app context every synthesis uses: readable, stable logical ids. */
export const APP_CONTEXT = { excludeStackIdFromLogicalIds: true, allowSepCharsInLogicalIds: true };

/**
 * Builds the blueprint's stacks for a model and returns each stack's Terraform configuration.
 * cdktf writes into a private scratch folder; callers decide where the files finally go.
 */
export async function synthesizeTerraform(
  blueprint: Blueprint,
  model: Model,
  format: TerraformFormat,
): Promise<SynthesizedStack[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "stackwright-synth-"));
  try {
    // Always JSON from cdktf; HCL is converted from it by our own escaping renderer.
    const app = new App({ outdir: scratch, skipValidation: true, context: APP_CONTEXT });
    const stacks = blueprint.build(app, model);
    app.synth();
    const out: SynthesizedStack[] = [];
    for (const stack of stacks) {
      const name = stack.node.id;
      const json = fs.readFileSync(path.join(scratch, "stacks", name, "cdk.tf.json"), "utf8");
      const content = format === "hcl" ? await formatHcl(jsonToHcl(JSON.parse(json))) : json;
      const file = `terraform/${name}/${format === "hcl" ? "cdk.tf" : "cdk.tf.json"}`;
      out.push({ name, file, content, variables: variablesOf(stack) });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function variablesOf(stack: TerraformStack): StackVariable[] {
  return stack.node
    .findAll()
    .filter((c): c is TerraformVariable => c instanceof TerraformVariable)
    .map((v) => {
      const config = v.toTerraform().variable[v.friendlyUniqueId] as {
        type?: string;
        description?: string;
        sensitive?: boolean;
        default?: unknown;
      };
      return {
        name: v.friendlyUniqueId,
        type: config.type ?? "string",
        description: config.description ?? "",
        sensitive: config.sensitive === true,
        required: config.default === undefined,
      };
    })
    .filter((v) => v.required)
    .map(({ name, type, description, sensitive }) => ({ name, type, description, sensitive }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** `terraform.tfvars.example`: what a user must supply, secrets marked, no value ever filled in. */
export function tfvarsExample(stack: SynthesizedStack): string {
  const lines = [`# Input variables of stack ${stack.name}. Copy to terraform.tfvars and fill in,`];
  lines.push("# or set TF_VAR_<name> in the environment (preferred for secrets).");
  if (stack.variables.length === 0) lines.push("#", "# This stack needs no input variables.");
  for (const v of stack.variables) {
    lines.push("");
    if (v.description) lines.push(`# ${v.description.replace(/\s*\n\s*/g, " ")}`);
    lines.push(
      `# type: ${v.type}${v.sensitive ? " (sensitive: keep it out of files under version control)" : ""}`,
    );
    lines.push(`# ${v.name} = ""`);
  }
  return `${lines.join("\n")}\n`;
}
