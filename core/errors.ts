/** A location in the user's spec: the path inside the document and, when known, the file position. */
export interface SpecLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** One problem with a user's spec. `code` is stable; tests and tools match on it, not on wording. */
export interface SpecIssue {
  readonly code: string;
  /** Path segments inside the spec, e.g. ["zones", 1, "pools", 0, "hosts"]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly severity: "error" | "warning";
  readonly location?: SpecLocation;
  /** A warning's target as findings name it: array elements by name. @default the path */
  readonly target?: string;
  /** A warning the spec's suppressions accept, with the reason given. */
  readonly suppressed?: { readonly reason: string };
}

/**
 * Text as a terminal shows it, such as a file name, which may hold any character: what a terminal
 * acts on or a reader cannot see is written escaped (C0 and C1 controls, U+009B starting an
 * escape sequence; line and paragraph separators; the marks that reorder or hide text).
 */
export const terminalText = (text: string): string =>
  text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** Text on one line: line breaks of any kind (user text may hold U+2028) become a space. */
export const oneLine = (text: string): string =>
  text.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, " ");

/** Formats a path as users write it: `zones[1].pools[0].hosts`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${quoted(segment)}]`;
  }
  return out || "(root)";
}

/** Text of the spec quoted for a message: as JSON quotes it, shown as a terminal may show it. */
export const quoted = (text: string): string => terminalText(JSON.stringify(text));

/**
 * A tool Stackwright runs failed or hung (Chromium printing a PDF): neither the user's mistake
 * nor a defect of Stackwright's, so the CLI names it plainly with exit 1, no stack trace.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

/** The one error type for user mistakes: invalid input, arguments or spec. The CLI maps it to exit code 2. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly issues: readonly SpecIssue[] = [],
  ) {
    super(message);
    this.name = "UserError";
  }

  /**
   * The error for a file's issues: `<file>: 2 errors and 1 warning in the <what>`.
   * @param what what the file is, in words ("spec", "price book")
   */
  static fromIssues(
    file: string | undefined,
    issues: readonly SpecIssue[],
    what = "spec",
  ): UserError {
    const errors = issues.filter((i) => i.severity === "error").length;
    const accepted = issues.filter((i) => i.suppressed).length;
    const warnings = issues.length - errors - accepted;
    const where = file ? `${file}: ` : "";
    // Counts every kind, so the lines that follow add up to the headline.
    const counts = [
      `${errors} error${errors === 1 ? "" : "s"}`,
      ...(warnings ? [`${warnings} warning${warnings === 1 ? "" : "s"}`] : []),
      ...(accepted ? [`${accepted} suppressed warning${accepted === 1 ? "" : "s"}`] : []),
    ];
    const counted =
      counts.length > 1 ? `${counts.slice(0, -1).join(", ")} and ${counts.at(-1)}` : counts[0];
    return new UserError(`${where}${counted} in the ${what}`, issues);
  }
}

export function formatIssue(issue: SpecIssue): string {
  const loc = issue.location;
  const where = loc?.file
    ? `${loc.file}${loc.line ? `:${loc.line}:${loc.column ?? 1}` : ""}  `
    : loc?.line
      ? `${loc.line}:${loc.column ?? 1}  `
      : "";
  const tag = issue.severity === "warning" ? "warning " : "";
  const accepted = issue.suppressed ? ` [suppressed: ${oneLine(issue.suppressed.reason)}]` : "";
  const target = issue.target ?? formatPath(issue.path);
  return `${where}${tag}${target}: ${oneLine(issue.message)} [${issue.code}]${accepted}`;
}
