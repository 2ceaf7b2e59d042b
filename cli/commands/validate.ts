import type { Command } from "commander";
import { loadDesign, specReport, VERSION } from "../pipeline";
import { addQuietOptions, formatOption, isQuiet, plural, type ReportFormat } from "../options";
import { formatReport, loadReported, printFindings } from "../report";
import { checksFailed, summarize } from "../../policy";
import { EXIT_CHECKS_FAILED } from "./check";

interface ValidateOptions {
  format: ReportFormat;
  quiet?: boolean;
}

export function registerValidate(program: Command): void {
  const command = program
    .command("validate")
    .description(
      "check a spec and the policy rules over its design; exit 0 with a summary (text) or its findings (json, sarif), 2 with every spec error, 3 when a policy rule fails",
    )
    .argument("<spec>", "design spec (YAML or JSON)")
    .addOption(formatOption());
  addQuietOptions(command).action((specFile: string, opts: ValidateOptions) => {
    const report = (findings: Parameters<typeof formatReport>[1]) =>
      process.stdout.write(formatReport(opts.format, findings, { version: VERSION, rules: [] }));
    const design = loadReported(specFile, opts.format, { version: VERSION, rules: [] }, () =>
      loadDesign(specFile),
    );
    const findings = specReport(design);
    // synth refuses a design these findings fail, so validate does too, at the same place.
    const failed = checksFailed(findings);
    if (failed) process.exitCode = EXIT_CHECKS_FAILED;
    if (opts.format !== "text") {
      report(findings);
      return;
    }
    if (failed) {
      printFindings(findings.filter((f) => !f.suppressed && f.severity === "error"));
      process.stderr.write(
        `${specFile}: the design fails its policy checks (see stackwright check, or suppress a finding with a reason)\n`,
      );
      return;
    }
    if (!isQuiet(opts)) printFindings(findings);
    if (opts.quiet === true) return;
    const m = design.loaded.model;
    const s = summarize(findings);
    process.stdout.write(
      `${specFile}: valid (${design.blueprint.name}): ${plural(m.zones.length, "zone")}, ` +
        `${plural(m.pools.length, "pool")}, ${plural(m.capacity.hosts, "compute host")}, ` +
        `${plural(m.controlPlane.controllers.length, "controller")}, ` +
        `${plural(m.networks.length, "network")}, ${plural(m.tenants.length, "tenant")}` +
        `${s.warning ? `, ${plural(s.warning, "warning")}` : ""}` +
        `${s.suppressed ? `, ${s.suppressed} suppressed` : ""}\n`,
    );
  });
}
