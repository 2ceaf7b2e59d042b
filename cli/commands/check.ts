import { Option, type Command } from "commander";
import { loadDesign, inspectedStacks, VERSION } from "../pipeline";
import { printIssues } from "../report";
import {
  checksFailed,
  formatJson,
  formatSarif,
  formatText,
  runChecks,
  summarize,
  type Finding,
} from "../../policy";

/** Exit code when the design fails its policy checks; 2 stays "invalid input", 1 "internal error". */
export const EXIT_CHECKS_FAILED = 3;

type ReportFormat = "text" | "json" | "sarif";

interface CheckOptions {
  format: ReportFormat;
  strict?: boolean;
}

const FORMATTERS: Readonly<Record<ReportFormat, (findings: readonly Finding[]) => string>> = {
  text: formatText,
  json: formatJson,
  sarif: (findings) => formatSarif(findings, { version: VERSION }),
};

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("run the HA, security and capacity policy checks on a spec and its Terraform")
    .argument("<spec>", "design spec (YAML or JSON)")
    .addOption(
      new Option("-f, --format <format>", "report format on stdout")
        .choices(["text", "json", "sarif"])
        .default("text"),
    )
    .option("--strict", "fail on unsuppressed warnings too, not only on errors")
    .addHelpText(
      "after",
      [
        "",
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
      const design = loadDesign(specFile);
      printIssues(design.loaded.warnings);
      const stacks = inspectedStacks(design);
      const findings = runChecks(design.loaded.model, stacks);
      process.stdout.write(FORMATTERS[opts.format](findings));
      const failed = checksFailed(findings, { strict: opts.strict === true });
      const s = summarize(findings);
      process.stderr.write(
        `${specFile}: ${failed ? "checks failed" : "checks passed"}${opts.strict ? " (strict)" : ""}: ` +
          `${s.error} errors, ${s.warning} warnings, ${s.info} info, ${s.suppressed} suppressed\n`,
      );
      if (failed) process.exitCode = EXIT_CHECKS_FAILED;
    });
}
