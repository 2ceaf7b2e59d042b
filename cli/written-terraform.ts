import * as fs from "fs";
import * as path from "path";
import { UserError } from "../core/errors";
import { driftFindings, type CheckedStack, type Finding, type WrittenStack } from "../policy";
import type { SynthesizedStack } from "../synth/app";
import { terraformStacks, type Design } from "./pipeline";

const FILES = { json: "cdk.tf.json", hcl: "cdk.tf" } as const;

/**
 * The stacks synth wrote into an output folder, for `check --terraform`: the policy rules read
 * each JSON configuration as written (HCL, which nothing here parses, as the spec synthesizes
 * it), and every file that is not what the spec synthesizes, is missing, or belongs to no stack
 * of the spec is an SW-META-002 finding.
 */
export async function writtenTerraform(
  design: Design,
  folder: string,
): Promise<{ stacks: CheckedStack[]; drift: Finding[] }> {
  const root = path.join(folder, "terraform");
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory())
    throw new UserError(
      `${folder}: no terraform folder in it; give --terraform the folder synth wrote into (its --out)`,
    );
  const read = (file: string): string | undefined => {
    try {
      return fs.readFileSync(path.join(folder, file), "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return undefined;
      throw new UserError(`${path.join(folder, file)}: cannot be read (${code ?? String(err)})`);
    }
  };
  const formatOf = (name: string) =>
    (["json", "hcl"] as const).find((f) =>
      fs.statSync(path.join(root, name, FILES[f]), { throwIfNoEntry: false })?.isFile(),
    );
  const json = await terraformStacks(design, "json");
  let hcl: Map<string, SynthesizedStack> | undefined;
  const written: WrittenStack[] = [];
  const stacks: CheckedStack[] = [];
  for (const s of json) {
    const format = formatOf(s.name) ?? design.loaded.model.output.format;
    if (format === "hcl")
      hcl ??= new Map((await terraformStacks(design, "hcl")).map((h) => [h.name, h]));
    const mine = format === "hcl" ? (hcl?.get(s.name) ?? s) : s;
    const text = read(mine.file);
    written.push({ name: s.name, file: mine.file, expected: mine.content, written: text });
    stacks.push({ name: s.name, config: asWritten(format, text) ?? s.config });
  }
  const names = new Set(json.map((s) => s.name));
  const strays = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !names.has(d.name))
    .flatMap((d) => {
      const format = formatOf(d.name);
      return format ? [`terraform/${d.name}/${FILES[format]}`] : [];
    })
    .sort();
  return { stacks, drift: driftFindings(written, strays, folder) };
}

/** A JSON configuration as written, when it parses to an object. */
function asWritten(format: string, text: string | undefined): Record<string, unknown> | undefined {
  if (format !== "json" || text === undefined) return undefined;
  try {
    const config: unknown = JSON.parse(text);
    return typeof config === "object" && config !== null && !Array.isArray(config)
      ? (config as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
