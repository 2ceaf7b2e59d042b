import { formatIssue, UserError, type SpecIssue } from "../core/errors";

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

/** Prints a user error (its summary and every issue) without a stack trace. */
export function printUserError(err: UserError): void {
  process.stderr.write(`${paint("31", `error: ${err.message}`)}\n`);
  printIssues(err.issues);
}
