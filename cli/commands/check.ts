import type { Command } from "commander";
import { designFindings, inspectedStacks, loadDesign, VERSION } from "../pipeline";
import { addQuietOptions, formatOption, isQuiet, plural, type ReportFormat } from "../options";
import { formatReport, loadReported, printFindings } from "../report";
import { checksFailed, summarize, type Finding } from "../../policy";
import { writtenTerraform } from "../written-terraform";
import { lockFolder } from "../output-lock";
import * as fs from "fs";
import { UserError } from "../../core/errors";

/** Exit code when the design fails its policy checks; 2 stays "invalid input", 1 "internal error". */
export const EXIT_CHECKS_FAILED = 3;

/**
 * For commands that write from a design (synth, proposal): when its checks fail, prints the
 * failing findings and that nothing was written, sets exit 3 and returns true.
 */
export function refuseFailedDesign(specFile: string, findings: readonly Finding[]): boolean {
  if (!checksFailed(findings)) return false;
  printFindings(findings.filter((f) => !f.suppressed && f.severity === "error"));
  process.stderr.write(
    `${specFile}: the design fails its policy checks; nothing was written (see stackwright check)\n`,
  );
  process.exitCode = EXIT_CHECKS_FAILED;
  return true;
}

interface CheckOptions {
  format: ReportFormat;
  terraform?: string;
  strict?: boolean;
  quiet?: boolean;
}

export function registerCheck(program: Command): void {
  const command = program
    .command("check")
    .description(
      "run the spec validator's warnings and the HA, security and capacity policy checks on a spec and its Terraform",
    )
    .argument("<spec>", "design spec (YAML or JSON)")
    .addOption(formatOption())
    .option("--strict", "fail on unsuppressed warnings too, not only on errors")
    .option(
      "--terraform <folder>",
      "check the Terraform synth wrote into this output folder as it is there: a stack edited by hand, missing or left from an earlier design is an error (SW-META-002)",
    );
  addQuietOptions(command)
    .addHelpText(
      "after",
      [
        "",
        "The validator's warnings are findings too, as SW-SPEC-<code> (e.g. SW-SPEC-controllers-single).",
        "Suppress a finding in the spec, with a reason of at least 10 characters:",
        "  suppressions:",
        "    - { rule: SW-CAP-001, target: zones.zone-b.pools.devtest, reason: dense by design }",
        "Suppressed findings stay in the report; a suppression that matches nothing is a warning.",
        "",
        "Exit codes:",
        "  0  passed: no unsuppressed error (with --strict, no unsuppressed warning either)",
        "  1  internal error",
        "  2  invalid spec or arguments",
        `  ${EXIT_CHECKS_FAILED}  the checks failed; the report on stdout lists why`,
      ].join("\n"),
    )
    .action(async (specFile: string, opts: CheckOptions) => {
      const design = loadReported(specFile, opts.format, { version: VERSION }, () =>
        loadDesign(specFile),
      );
      const folder = opts.terraform;
      const written = folder
        ? await whileNoRunWrites(folder, () => writtenTerraform(design, folder), isQuiet(opts))
        : { stacks: inspectedStacks(design), drift: undefined };
      const findings = designFindings(design, written.stacks, written.drift);
      process.stdout.write(formatReport(opts.format, findings, { version: VERSION }));
      const failed = checksFailed(findings, { strict: opts.strict === true });
      // The verdict is an error when the checks fail; a pass is a note.
      if (failed || !isQuiet(opts)) {
        const s = summarize(findings);
        process.stderr.write(
          `${specFile}: ${failed ? "checks failed" : "checks passed"}${opts.strict ? " (strict)" : ""}: ` +
            `${plural(s.error, "error")}, ${plural(s.warning, "warning")}, ${s.info} info, ${s.suppressed} suppressed\n`,
        );
      }
      if (failed) process.exitCode = EXIT_CHECKS_FAILED;
    });
}

/**
 * Reads a folder while no other Stackwright run writes to it: a synth midway leaves some stacks
 * old and some new, which would read as hand edits. A folder this user may not lock (read-only,
 * someone else's) is read as it is.
 */
async function whileNoRunWrites<T>(folder: string, read: () => Promise<T>, quiet: boolean) {
  let release: (() => void) | undefined;
  try {
    if (fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory())
      release = await lockFolder(fs.realpathSync(folder), folder, {
        onWait: quiet ? undefined : (message) => process.stderr.write(message),
        option: "--terraform",
      });
  } catch (err) {
    // (another run's lock is said; a folder it cannot lock is read, and any fault of the folder
    // itself the read reports in its words)
    if (err instanceof UserError) throw err;
  }
  try {
    return await read();
  } finally {
    release?.();
  }
}
