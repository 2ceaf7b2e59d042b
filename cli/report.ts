import { formatIssue, UserError, type SpecIssue } from "../core/errors";

const useColor = () => Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (useColor() ? `\u001b[${code}m${s}\u001b[0m` : s);

export function printIssues(issues: readonly SpecIssue[]): void {
  for (const issue of issues) {
    const line = formatIssue(issue);
    process.stderr.write(`${issue.severity === "error" ? paint("31", line) : paint("33", line)}\n`);
  }
}

/** Prints a user error (its summary and every issue) without a stack trace. */
export function printUserError(err: UserError): void {
  process.stderr.write(`${paint("31", `error: ${err.message}`)}\n`);
  printIssues(err.issues);
}
