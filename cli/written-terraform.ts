import * as fs from "fs";
import * as path from "path";
import { UserError } from "../core/errors";
import {
  driftFindings,
  loadedConfiguration,
  unreadArguments,
  type CheckedStack,
  type ConfigurationFile,
  type UncheckedFile,
  type ExtraFile,
  type Finding,
  type WrittenStack,
} from "../policy";
import type { SynthesizedStack } from "../synth/app";
import { JOURNAL_FILE, readJournal } from "./manifest";
import { stackHoldsState } from "./output";
import { pendingStateMoves, stateMoveSources } from "./state-moves";
import { terraformStacks, type Design } from "./pipeline";
import { plainJson } from "../spec/json-text";

const FILES = { json: "cdk.tf.json", hcl: "cdk.tf" } as const;

/** The most of one configuration file the rules read; Terraform reads more, unchecked then. */
const CONFIGURATION_LIMIT = 64 * 1024 * 1024;

/** The deepest nesting of a configuration file the rules parse. */
const MAX_NESTING = 256;

/**
 * The stacks synth wrote into an output folder, for `check --terraform`: the policy rules read
 * each stack as Terraform loads it (its configuration as written, in either format, with every
 * other configuration file of its folder and the overrides merged; a suppressed SW-META-002
 * accepts an edit, never hides it from the rules), and every file that is not what the spec
 * synthesizes, is missing, or belongs to no stack of the spec is an SW-META-002 finding.
 */
export async function writtenTerraform(
  design: Design,
  folder: string,
): Promise<{ stacks: CheckedStack[]; drift: Finding[] }> {
  const root = path.join(folder, "terraform");
  if (!isDirectory(root))
    throw new UserError(
      `${folder}: ${isDirectory(folder) ? "no terraform folder in it" : "no such folder"}; give --terraform the folder synth wrote into (its --out)`,
    );
  const json = await terraformStacks(design, "json");
  let hcl: Map<string, SynthesizedStack> | undefined;
  const written: WrittenStack[] = [];
  const stacks: CheckedStack[] = [];
  const extra: ExtraFile[] = [];
  const unchecked: UncheckedFile[] = [];
  for (const s of json) {
    const files = loadedFiles(path.join(root, s.name));
    // The file synth wrote: in the spec's format, else the other one's where only it is there.
    const specFormat = design.loaded.model.output.format;
    const format =
      files.includes(FILES[specFormat]) || !files.includes(FILES[other(specFormat)])
        ? specFormat
        : other(specFormat);
    if (format === "hcl")
      hcl ??= new Map((await terraformStacks(design, "hcl")).map((h) => [h.name, h]));
    const mine = format === "hcl" ? hcl?.get(s.name) : s;
    if (!mine) throw new Error(`stack ${s.name} has no HCL synthesis`);
    const got = readStack(folder, mine.file, mine.content.length);
    written.push({ name: s.name, file: mine.file, expected: mine.content, ...got });
    // Terraform loads every configuration file of the folder with it: overrides, leftovers.
    const others = files.filter((f) => f !== FILES[format]);
    for (const f of others) extra.push({ file: `terraform/${s.name}/${f}`, kind: "extra" });
    // What the rules read is what Terraform loads; a stack file as synthesized is the spec's
    // synthesis, which they read as it is.
    if (!others.length && got.written === mine.content) {
      stacks.push({ name: s.name, config: s.config });
      continue;
    }
    const loaded: ConfigurationFile[] = [];
    // (a file the rules cannot open is one they leave unchecked, not the end of the check)
    const readForRules = (file: string) => {
      try {
        return readStack(folder, file);
      } catch (err) {
        return { problem: err instanceof UserError ? err.message : String(err) };
      }
    };
    for (const f of [FILES[format], ...others]) {
      const file = `terraform/${s.name}/${f}`;
      // (each within the rules' bound; the stack file as the drift check read it, if it did)
      const read = f === FILES[format] && got.written !== undefined ? got : readForRules(file);
      if (read.written === undefined && read.problem === undefined) continue;
      const result = read.problem === undefined ? await parsed(f, read.written) : read;
      if (!("config" in result)) {
        unchecked.push({ file, why: result.problem ?? "not read" });
        continue;
      }
      loaded.push({ file: f, config: result.config });
      const unread = unreadArguments(result.config, s.config);
      if (unread.length)
        unchecked.push({
          file,
          why: `${unread.slice(0, 3).join(", ")}${unread.length > 3 ? ` and ${unread.length - 3} more` : ""} ${unread.length === 1 ? "is" : "are"} evaluated by Terraform, not read by the rules`,
        });
    }
    // The variables' values Terraform reads from the folder (terraform.tfvars, *.auto.tfvars),
    // in its order: a later file's value stands.
    const values: Record<string, unknown> = {};
    for (const f of variableFiles(path.join(root, s.name))) {
      const read = readForRules(`terraform/${s.name}/${f}`);
      const result = read.problem === undefined ? await parsed(f, read.written) : read;
      if (!("config" in result)) {
        unchecked.push({ file: `terraform/${s.name}/${f}`, why: result.problem ?? "not read" });
        continue;
      }
      if (result.config && typeof result.config === "object" && !Array.isArray(result.config))
        Object.assign(values, result.config);
    }
    // (a stack file missing or unread: the spec's synthesis stands for it, as before)
    const main = loaded.some((l) => l.file === FILES[format])
      ? []
      : [{ file: FILES[format], config: s.config }];
    stacks.push({
      name: s.name,
      config: loadedConfiguration([...main, ...loaded], s.config, values),
      synthesized: s.config,
    });
  }
  const names = new Set(json.map((s) => s.name));
  // The stacks a pending state-moves.sh still reads: their folders stay until it has run.
  const pending = pendingStateMoves(folder);
  const moving = new Set(pending === undefined ? [] : stateMoveSources(pending));
  for (const name of fs.readdirSync(root).sort()) {
    if (names.has(name) || !isDirectory(path.join(root, name))) continue;
    const holdsState = stackHoldsState(folder, name);
    const movesPending = moving.has(name);
    for (const f of loadedFiles(path.join(root, name)))
      extra.push({ file: `terraform/${name}/${f}`, kind: "stray", holdsState, movesPending });
  }
  // A journal planning Terraform files: a synth stopped midway, which may have replaced some.
  const planned = Object.keys(readJournal(folder)?.files ?? {});
  const stopped = planned.some((f) => f.startsWith("terraform/")) ? JOURNAL_FILE : undefined;
  return { stacks, drift: driftFindings(written, extra, folder, stopped, unchecked) };
}

const other = (format: "json" | "hcl") => (format === "json" ? "hcl" : "json");

/** Whether a path is a folder, following links; anything unreadable is not. */
function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** The variable files Terraform reads by itself from a stack folder, in its order. */
function variableFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => !f.startsWith("."));
  } catch {
    return [];
  }
  // (Terraform's order: terraform.tfvars, its JSON, then the *.auto.tfvars files by name)
  return [
    ...["terraform.tfvars", "terraform.tfvars.json"].filter((f) => names.includes(f)),
    ...names.filter((f) => /^.+\.auto\.tfvars(\.json)?$/.test(f)).sort(),
  ];
}

/**
 * The files Terraform loads from a stack folder (`*.tf`, `*.tf.json`), sorted; as its
 * IsIgnoredFile, not hidden files, editors' backups (`~`) or their autosaves (`#...#`).
 */
function loadedFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => /\.tf(\.json)?$/.test(f))
      .filter((f) => !f.startsWith(".") && !f.endsWith("~") && !/^#.*#$/.test(f))
      .sort();
  } catch {
    return [];
  }
}

/**
 * A stack file's text; only a regular file is read (a FIFO would block, a device never end), and
 * one far larger than the synthesis is drift without reading it.
 */
function readStack(
  folder: string,
  file: string,
  /** The synthesis's length, for the drift check; none: the rules' bound (CONFIGURATION_LIMIT). */
  expectedLength?: number,
): { written?: string; problem?: string } {
  const full = path.join(folder, file);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(full, { throwIfNoEntry: false });
  } catch (err) {
    // (a stack folder that is a file, a link that loops: nothing to read there)
    return { problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  if (!stat) return {};
  if (!stat.isFile()) return { problem: "not a regular file" };
  if (expectedLength !== undefined && stat.size > 4 * expectedLength + 1024 * 1024)
    return { problem: `${stat.size} bytes, far more than the ${expectedLength} synth writes` };
  if (stat.size > CONFIGURATION_LIMIT)
    return { problem: `${stat.size} bytes, more than the ${CONFIGURATION_LIMIT} the rules read` };
  try {
    return { written: fs.readFileSync(full, "utf8") };
  } catch (err) {
    throw new UserError(
      `${full}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
}

/**
 * A configuration file's text as Terraform reads it: JSON for `.tf.json`, HCL (by hcl2json) for
 * `.tf`; undefined where it does not parse, which Terraform would refuse too.
 */
async function parsed(
  file: string,
  text: string | undefined,
): Promise<{ config: unknown } | { problem: string }> {
  if (text === undefined) return { problem: "not read" };
  const json = file.endsWith(".json");
  // Terraform merges an object's repeated keys where JSON.parse keeps the last; the HCL parser's
  // recursion fails (or its runtime dies) far above what the rules need to read.
  if (json ? !plainJson(text, MAX_NESTING) : hclNesting(text) > MAX_NESTING)
    return {
      problem: json
        ? `a key repeated in one object, or nesting deeper than ${MAX_NESTING}`
        : `nesting deeper than ${MAX_NESTING}`,
    };
  try {
    const config: unknown = json
      ? JSON.parse(text)
      : await (await import("@cdktf/hcl2json")).parse(file, text);
    // (Terraform's JSON takes a list of objects at the top, as at every level)
    return typeof config === "object" && config !== null
      ? { config }
      : { problem: "not a configuration" };
  } catch {
    return { problem: `not ${json ? "JSON" : "HCL"} the rules parse` };
  }
}

/** How deep an HCL text's brackets nest, strings and comments aside. */
function hclNesting(text: string): number {
  let depth = 0;
  let most = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== "\n"; i++)
        if (text[i] === "\\") i++;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "(" || c === "[" || c === "{") most = Math.max(most, ++depth);
    else if (c === ")" || c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return most;
}
