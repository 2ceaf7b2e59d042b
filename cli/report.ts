import * as path from "path";
import {
  formatIssue,
  terminalText,
  UserError,
  type SpecIssue,
  type ToolError,
} from "../core/errors";
import {
  formatJson,
  formatSarif,
  formatText,
  specFindings,
  type Finding,
  type RuleInfo,
} from "../policy";
import type { ReportFormat } from "./options";
import { BRAND_LOGOS, unreadCatalogKeys, unreadTemplateFiles } from "../documents/render";
import { someOf } from "../core/lists";

const useColor = () => Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (useColor() ? `\u001b[${code}m${s}\u001b[0m` : s);

/** More issues than this are summarized: the first ones are what a user fixes first. */
export const MAX_PRINTED_ISSUES = 100;

export function printIssues(issues: readonly SpecIssue[]): void {
  for (const issue of issues.slice(0, MAX_PRINTED_ISSUES)) {
    const line = formatIssue(issue);
    process.stderr.write(`${issue.severity === "error" ? paint("31", line) : paint("33", line)}\n`);
  }
  if (issues.length > MAX_PRINTED_ISSUES) {
    process.stderr.write(`... and ${issues.length - MAX_PRINTED_ISSUES} more\n`);
  }
}

/** A tool that failed or hung, named plainly: the run wrote nothing. */
export function printToolError(err: ToolError): void {
  process.stderr.write(`${paint("31", `error: ${err.message}`)} (nothing written)\n`);
}

/** Prints a user error (its summary and every issue, or its errors only) without a stack trace. */
export function printUserError(
  err: UserError,
  options: { readonly errorsOnly?: boolean } = {},
): void {
  const shown = options.errorsOnly ? err.issues.filter((i) => i.severity === "error") : err.issues;
  const hidden = err.issues.length - shown.length;
  // (the headline counts every issue: say where the rest went)
  const rest = hidden ? ` (${hidden} not shown: --no-quiet shows them)` : "";
  process.stderr.write(`${paint("31", `error: ${err.message}${rest}`)}\n`);
  printIssues(shown);
}

/**
 * Findings as a report on stdout. `rules` are the rules SARIF describes (@default every policy
 * rule); the rules of reported findings are always added.
 */
export function formatReport(
  format: ReportFormat,
  findings: readonly Finding[],
  options: { readonly version: string; readonly rules?: readonly RuleInfo[] },
): string {
  switch (format) {
    case "text":
      return formatText(findings);
    case "json":
      return formatJson(findings);
    case "sarif":
      return formatSarif(findings, {
        version: options.version,
        ...(options.rules ? { rules: options.rules } : {}),
      });
  }
}

/** Findings on stderr, for commands whose stdout is not a report: errors red, warnings yellow. */
export function printFindings(findings: readonly Finding[]): void {
  for (const f of findings) {
    const line = formatText([f]).replace(/\n$/, "");
    const color = f.severity === "error" ? "31" : f.severity === "warning" ? "33" : undefined;
    process.stderr.write(`${color ? paint(color, line) : line}\n`);
  }
}

/**
 * Runs `load`; when the spec is invalid, a json or sarif report on stdout still names every
 * issue (code scanning places them) before the error goes on to stderr and exit 2.
 */
export function loadReported<T>(
  specFile: string,
  format: ReportFormat,
  options: { readonly version: string; readonly rules?: readonly RuleInfo[] },
  load: () => T,
): T {
  try {
    return load();
  } catch (err) {
    // (a spec that cannot be read is one finding: a CI step still gets a report to upload)
    if (format !== "text" && err instanceof UserError) {
      const issues = specFindings({
        file: specFile,
        spec: undefined,
        issues: err.issues.length
          ? err.issues
          : [
              {
                code: "spec-unreadable",
                path: [],
                severity: "error",
                // (the fix after the last "; ", as every spec issue says it)
                message: `${err.message}; name a spec file that exists and can be read`,
                location: { file: specFile },
              },
            ],
        locate: () => undefined,
      });
      process.stdout.write(formatReport(format, issues, options));
    }
    throw err;
  }
}

/** `brand/logo.png (or .jpg, .webp)`: the logo files a proposal takes. */
function logoNames(): string {
  const [first, ...rest] = Object.keys(BRAND_LOGOS);
  return `brand/${first} (or ${rest.map((f) => path.extname(f)).join(", ")})`;
}

/** Names the files of a template folder no run reads: a misnamed file would change nothing. */
export function warnUnreadTemplates(templates: string | undefined, quiet: boolean): void {
  if (templates === undefined || quiet) return;
  const unread = unreadTemplateFiles(templates).map(terminalText);
  if (unread.length)
    process.stderr.write(
      `warning: --templates ${templates}: no run reads ${someOf(unread, 5)}; it reads architecture.md.hbs, proposal.md.hbs, runbook.md.hbs, partials/<name>.hbs of a partial a rendered template calls ({{> name}}), i18n/<language>.json, html/style.css and ${logoNames()}\n`,
    );
  const keys = unreadCatalogKeys(templates).map(
    ({ file, key, meant }) =>
      `${terminalText(file)} ${terminalText(JSON.stringify(key))}` +
      (meant === undefined ? "" : ` (did you mean ${JSON.stringify(meant)}?)`),
  );
  if (keys.length)
    process.stderr.write(
      `warning: --templates ${templates}: no template reads the catalog text ${someOf(keys, 5)}\n`,
    );
}
