import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import type { Model } from "../model/types";
import type { Blueprint } from "../blueprints/blueprint";
import { jsonToHcl, type JsonObject } from "./hcl";
import { stableClone, stableJson } from "./stable-json";
import { withoutStackTraces } from "./stack-traces";
import { UserError } from "../core/errors";
import { inspectedConfiguration } from "./inspect";
import { terraformName } from "../core/terraform-names";
import type { CloudStack } from "./stack";

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
  /** The stack's Terraform JSON configuration as an object, whatever format `content` has. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Input variables a user must supply before `terraform plan`. */
  readonly variables: readonly StackVariable[];
  /** The stack's outputs with their descriptions, by name. */
  readonly outputs: readonly { readonly name: string; readonly description: string }[];
  /** Names of the stacks whose outputs this one reads through remote state. */
  readonly readsFrom: readonly string[];
  /** Whether it looks up Keystone groups (directory groups of LDAP-backed domains). */
  readonly readsGroups: boolean;
  /** What the stack holds, in one line. */
  readonly description: string;
  /** The clouds.yaml entry its provider authenticates with. */
  readonly cloud: string;
}

/** The app context every synthesis uses: readable, stable logical ids. */
export const APP_CONTEXT = { excludeStackIdFromLogicalIds: true, allowSepCharsInLogicalIds: true };

/**
 * Builds the blueprint's stacks for a model and returns each stack's Terraform configuration,
 * synthesized in memory: nothing is written, callers decide where the files go.
 */
export async function synthesizeTerraform(
  blueprint: Blueprint,
  model: Model,
  format: TerraformFormat,
): Promise<SynthesizedStack[]> {
  const synthesized = withoutStackTraces(() => synthesizeJson(blueprint, model));
  // hcl-tools brings a wasm runtime: loaded only when HCL is asked for.
  const formatHcl =
    format === "hcl" ? (await import("@cdktf/hcl-tools")).format : (text: string) => text;
  const out: SynthesizedStack[] = [];
  for (const { name, config, variables, about } of synthesized) {
    const file = `terraform/${name}/${format === "hcl" ? "cdk.tf" : "cdk.tf.json"}`;
    if (format === "hcl") {
      out.push({
        name,
        file,
        content: await formatHcl(jsonToHcl(config as JsonObject)),
        config,
        variables,
        ...about,
      });
    } else {
      out.push(withJsonText({ name, file, config, variables, ...about }));
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** JSON text is made when first read: `check` and `docs` read only the configuration object. */
export function withJsonText(stack: Omit<SynthesizedStack, "content">): SynthesizedStack {
  let text: string | undefined;
  return Object.defineProperty({ ...stack }, "content", {
    enumerable: true,
    get: () => (text ??= stableJson(stack.config)),
  }) as SynthesizedStack;
}

/** A stack's configuration to read (policy, documents), not to write. */
export type InspectedStack = Pick<SynthesizedStack, "name" | "file" | "config">;

/**
 * The stacks' configurations for `check` and `docs`, which read them but write no Terraform:
 * cdktf's preparing pass, which only wires references between stacks through remote state,
 * is skipped, so a reference to another stack's resource reads as that resource's address.
 * Every resource, body and count is what `synthesizeTerraform` gives.
 */
export function inspectTerraform(blueprint: Blueprint, model: Model): InspectedStack[] {
  // Named as synth writes them by the spec's format (docs lists the files).
  const file = model.output.format === "hcl" ? "cdk.tf" : "cdk.tf.json";
  return withoutStackTraces(() => synthesizeJson(blueprint, model, false))
    .map(({ name, config }) => ({ name, file: `terraform/${name}/${file}`, config }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * cdktf's App insists on an output folder with a `stacks` folder in it, and creates them when
 * they are missing; nothing is ever written there. One empty pair per user is kept in the temp
 * folder, so a run killed mid-synth leaves nothing behind. Where that pair is not plainly ours
 * (another user's, a link), a folder of the run's own is made and removed.
 */
export function appFolder(temp = os.tmpdir()): { outdir: string; remove: boolean } {
  const uid = process.getuid?.();
  const outdir = path.join(temp, `stackwright-synth-${uid ?? "user"}`);
  const ours = (dir: string) => {
    const st = fs.lstatSync(dir, { throwIfNoEntry: false });
    return st !== undefined && st.isDirectory() && (uid === undefined || st.uid === uid);
  };
  const stacks = path.join(outdir, "stacks");
  for (const dir of [outdir, stacks]) {
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") break;
    }
    if (!ours(dir)) break;
    if (dir === stacks) return { outdir, remove: false };
  }
  try {
    return { outdir: fs.mkdtempSync(path.join(temp, "stackwright-synth-")), remove: true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UserError(
      `the temporary folder ${temp} cannot hold cdktf's scratch folder (${code}); set TMPDIR to a folder you may write to`,
    );
  }
}

/** What cdktf's app.synth() does per stack (prepare, aspects, annotations), minus the disk. */
function synthesizeJson(blueprint: Blueprint, model: Model, wire = true) {
  const folder = appFolder();
  try {
    const app = new App({ outdir: folder.outdir, skipValidation: true, context: APP_CONTEXT });
    const stacks = blueprint.build(app, model);
    const all = app.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack);
    if (wire) for (const stack of all) stack.prepareStack();
    // A remote-state source is named after its stack (synth/stack-outputs).
    const stacksByName = new Map<string, string[]>();
    for (const id of stacks.map((s) => s.node.id)) {
      const name = terraformName([id]);
      const ids = stacksByName.get(name);
      if (ids) ids.push(id);
      else stacksByName.set(name, [id]);
    }
    return stacks.map((stack) => {
      invokeAspects(stack);
      const errors = stack.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/error"));
      if (errors.length) {
        throw new Error(`construct errors: ${errors.map((e) => String(e.data)).join("; ")}`);
      }
      const config = wire
        ? (stableClone(stack.toTerraform()) as Record<string, unknown>)
        : inspectedConfiguration(stack);
      return {
        name: stack.node.id,
        config,
        variables: wire ? variablesOf(stack) : [],
        about: {
          description: (stack as CloudStack).description,
          ...wiringOf(config, stacksByName),
        },
      };
    });
  } finally {
    if (folder.remove) fs.rmSync(folder.outdir, { recursive: true, force: true });
  }
}

/** Outputs, remote-state sources and group lookups of a stack's JSON configuration. */
function wiringOf(
  json: Readonly<Record<string, unknown>>,
  stacksByName: ReadonlyMap<string, readonly string[]>,
) {
  const config = json as {
    provider?: { openstack?: { cloud?: string }[] };
    output?: Record<string, { description?: string }>;
    data?: Record<string, Record<string, unknown>>;
  };
  const remote = Object.keys(config.data?.terraform_remote_state ?? {});
  return {
    // Unescaped: the README shows the entry as clouds.yaml spells it.
    cloud: (config.provider?.openstack?.[0]?.cloud ?? "")
      .replace(/\$\$\{/g, "${")
      .replace(/%%\{/g, "%{"),
    outputs: Object.entries(config.output ?? {})
      .map(([name, o]) => ({ name, description: o.description ?? "" }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    readsFrom: remote.flatMap((name) => stacksByName.get(name) ?? []).sort(),
    readsGroups: Object.keys(config.data?.openstack_identity_group_v3 ?? {}).length > 0,
  };
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
export function tfvarsExample(
  stack: Pick<SynthesizedStack, "name" | "variables"> & Partial<SynthesizedStack>,
): string {
  // A secret in terraform.tfvars lies in the output folder, which is shared and versioned.
  const secrets = stack.variables.some((v) => v.sensitive);
  const lines = [
    `# Input variables of stack ${stack.name}. Copy to terraform.tfvars and fill in${secrets ? " those not" : ","}`,
    secrets
      ? "# marked sensitive; set those as TF_VAR_<name> in the environment, from the secret store."
      : "# or set TF_VAR_<name> in the environment.",
  ];
  if (stack.variables.length === 0) lines.push("#", "# This stack needs no input variables.");
  for (const v of stack.variables) {
    lines.push("");
    if (v.description) lines.push(`# ${v.description.replace(/\s*\n\s*/g, " ")}`);
    lines.push(
      `# type: ${v.type}${v.sensitive ? " (sensitive: never in terraform.tfvars or any file of this folder)" : ""}`,
    );
    lines.push(v.sensitive ? `# export TF_VAR_${v.name}=...` : `# ${v.name} = ""`);
  }
  return `${lines.join("\n")}\n`;
}
