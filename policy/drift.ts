import type { Finding } from "./finding";
import type { RuleInfo } from "./rule";

/** Reported by `check --terraform` for a written stack that is not what the spec synthesizes. */
export const TERRAFORM_DRIFT: RuleInfo = {
  id: "SW-META-002",
  severity: "error",
  title: "The Terraform in the output folder is what the spec synthesizes",
  help:
    "check --terraform reads the stacks synth wrote into an output folder. A stack edited by " +
    "hand, missing, or left from an earlier design builds something other than the design the " +
    "documents describe, and the next synth replaces an edit. Bring the change into the spec " +
    "and synthesize again.",
};

/**
 * Reported by `check --terraform` for a configuration file Terraform loads that the rules could
 * not read (too large, unreadable, in a syntax the parser refuses): what it sets goes unchecked,
 * so unlike SW-META-002 it cannot be suppressed.
 */
export const TERRAFORM_UNCHECKED: RuleInfo = {
  id: "SW-META-003",
  severity: "error",
  title: "The policy rules read every configuration file Terraform loads",
  help:
    "check --terraform runs the security rules over each stack as Terraform loads it, hand edits " +
    "and files of your own included. A file they cannot read (far larger than a stack, " +
    "unreadable, or in a syntax their parser refuses) could set anything unchecked, so this " +
    "finding cannot be suppressed: make the file readable, or bring its settings into the spec.",
};

/** A configuration file of a stack's folder the rules could not read, and why. */
export interface UncheckedFile {
  /** Path relative to the output folder. */
  readonly file: string;
  readonly why: string;
}

/** A stack as the spec synthesizes it, and the text of its file in the folder (absent: none). */
export interface WrittenStack {
  readonly name: string;
  /** Path of its configuration relative to the output folder. */
  readonly file: string;
  readonly expected: string;
  readonly written?: string;
  /** Why it was not read (a FIFO, a device, a file far too large). */
  readonly problem?: string;
}

/** A Terraform file of the folder synth did not write: beside a stack, or of no stack. */
export interface ExtraFile {
  readonly file: string;
  /** `extra`: in a stack's folder, which Terraform loads with it; `stray`: of no stack. */
  readonly kind: "extra" | "stray";
  /** A stray stack's folder holds Terraform state: what it built may still run. */
  readonly holdsState?: boolean;
  /** A stray stack the pending terraform/state-moves.sh moves resources out of. */
  readonly movesPending?: boolean;
}

/**
 * One finding per stack file of the output `folder` that differs from the spec's synthesis or is
 * missing, and per Terraform file synth did not write (`extra`), naming the first setting that
 * differs in JSON; one more for a run stopped while it replaced the folder's Terraform.
 */
export function driftFindings(
  stacks: readonly WrittenStack[],
  extra: readonly ExtraFile[],
  folder: string,
  /** The journal of a synth stopped while it replaced the stacks, relative to the folder. */
  stoppedJournal?: string,
  unchecked: readonly UncheckedFile[] = [],
): Finding[] {
  const finding = (target: string, message: string, fix: string): Finding => ({
    ruleId: TERRAFORM_DRIFT.id,
    severity: TERRAFORM_DRIFT.severity,
    target,
    message,
    fix,
    // (the file in the folder, where code scanning shows it)
    location: { file: `${folder.replace(/\/+$/, "")}/${target}` },
  });
  const out: Finding[] = unchecked.map(({ file, why }) => ({
    ruleId: TERRAFORM_UNCHECKED.id,
    severity: TERRAFORM_UNCHECKED.severity,
    target: file,
    message: `Terraform loads it, and the policy rules could not read it (${why}): what it sets goes unchecked`,
    fix: "make it a file the rules read (JSON or HCL of a stack's size), or bring its settings into the spec and remove it",
    location: { file: `${folder.replace(/\/+$/, "")}/${file}` },
  }));
  if (stoppedJournal !== undefined)
    out.push(
      finding(
        stoppedJournal,
        "a synth was stopped while it replaced the folder's Terraform: some stacks may hold its files, others the earlier ones, and Terraform would apply the mix",
        "synthesize the spec into the folder again before any terraform command: it completes what the stopped run began",
      ),
    );
  for (const s of stacks) {
    if (s.problem !== undefined)
      out.push(
        finding(s.file, `not read: ${s.problem}`, "synthesize the spec into the folder again"),
      );
    else if (s.written === undefined)
      out.push(
        finding(
          s.file,
          `missing: the spec synthesizes stack ${s.name} here`,
          "synthesize the spec into the folder again",
        ),
      );
    else if (s.written !== s.expected)
      out.push(
        finding(
          s.file,
          `not what the spec synthesizes${where(s)}`,
          "bring the change into the spec and synthesize again, or synthesize again to drop it",
        ),
      );
  }
  for (const { file, kind, holdsState, movesPending } of extra)
    out.push(
      kind === "stray"
        ? movesPending
          ? finding(
              file,
              "belongs to no stack of the spec: terraform/state-moves.sh, not yet run, moves its resources into the spec's stacks from this folder's state (a plan before it would create them again)",
              "run terraform/state-moves.sh (it removes itself when done), then remove the folder",
            )
          : holdsState
            ? finding(
                file,
                "belongs to no stack of the spec, and its folder holds Terraform state: what it built may still run (synth keeps such a folder, and said what to do with it)",
                "bring it back into the spec, or act on what it built as synth's note said before removing the folder (never while its state holds resources)",
              )
            : finding(
                file,
                "belongs to no stack of the spec, and its folder holds no Terraform state (left from an earlier design, or added by hand)",
                "remove the folder, or bring the stack back into the spec",
              )
        : finding(
            file,
            "a file synth did not write, which Terraform loads with the stack (an override, or a configuration of its own): the stack is not what the spec synthesizes",
            "bring the change into the spec and remove the file, or suppress this finding with the reason it stays (the policy rules still read what it sets)",
          ),
    );
  return out;
}

/** Where two JSON configurations first differ (`: resource.x.y.name differs`), when both parse. */
function where(s: WrittenStack): string {
  if (!s.file.endsWith(".json")) return "";
  let written: unknown;
  try {
    written = JSON.parse(s.written ?? "");
  } catch {
    return ": it is not valid JSON";
  }
  let at: string | undefined;
  try {
    at = firstDifference(JSON.parse(s.expected), written, []);
  } catch (err) {
    // A value nested past the stack's depth: named, not compared.
    if (err instanceof RangeError) return ": a value is nested too deeply to compare";
    throw err;
  }
  return at === undefined ? " (its formatting differs)" : `: ${at}`;
}

function firstDifference(a: unknown, b: unknown, path: readonly string[]): string | undefined {
  const shown = () => path.join(".") || "the configuration";
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b))
    return JSON.stringify(a) === JSON.stringify(b) ? undefined : `${shown()} differs`;
  // (an array's indexes in number order, so the first element that differs is named)
  const keys = Array.isArray(a)
    ? Array.from({ length: Math.max(a.length, Object.keys(b).length) }, (_, i) => String(i))
    : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    if (!(key in b)) return `${[...path, key].join(".")} is missing`;
    if (!(key in a)) return `${[...path, key].join(".")} is added`;
    const inner = firstDifference(a[key], b[key], [...path, key]);
    if (inner !== undefined) return inner;
  }
  return undefined;
}
