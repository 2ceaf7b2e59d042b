import type { SpecIssue } from "../core/errors";
import { hasTokenMarker } from "./cdktf-tokens";
import { urlCredentials } from "./url-secrets";

/**
 * Characters that show as nothing or reorder what is shown: format characters (zero-width
 * spaces and joiners, bidi controls and isolates, byte-order mark, soft hyphen, tags) and blank
 * fillers. Two names differing only by them look the same; bidi controls disguise text.
 */
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/u;

/** Leading or trailing white space (only quoted YAML strings can have it). */
const SURROUNDING_SPACE = /^[^\S\uFEFF]|[^\S\uFEFF]$/;

type Path = (string | number)[];

/**
 * Checks every string value and key of parsed data (spec or price book) once, in linear time:
 * credentials in URLs (`url-credentials`, never repeating the value), cdktf token markers
 * (`cdktf-token`), invisible characters (`invisible-character`) and leading or trailing spaces on
 * one-line text (`surrounding-space`).
 */
export function textIssues(data: unknown): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const error = (code: string, path: Path, message: string) =>
    issues.push({ code, path, severity: "error", message });
  const check = (text: string, path: Path, isKey: boolean) => {
    const what = isKey ? "the key" : "the text";
    const secret = !isKey && text.includes("://") ? urlCredentials(text) : undefined;
    if (secret)
      error(
        "url-credentials",
        path,
        `the URL carries ${secret}; remove it and give Terraform and OpenStack their credentials through the environment or a secret store, never in the design`,
      );
    if (hasTokenMarker(text))
      error(
        "cdktf-token",
        path,
        `${what} holds a cdktf token marker (\${TfToken[, #{TfToken[, &{TfToken[ or \${Token[), which Terraform synthesis would replace; reword it`,
      );
    const invisible = INVISIBLE.exec(text);
    if (invisible)
      error(
        "invisible-character",
        path,
        `${what} holds an invisible character (U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) at position ${invisible.index + 1}; remove it`,
      );
    if (!text.includes("\n") && SURROUNDING_SPACE.test(text))
      error("surrounding-space", path, `${what} starts or ends with white space; remove it`);
  };
  // Iterative, so deep documents cannot exhaust the stack.
  const stack: { value: unknown; path: Path }[] = [{ value: data, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") check(value, path, false);
    else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        check(k, [...path, k], true);
        stack.push({ value: v, path: [...path, k] });
      }
    }
  }
  const order = (p: readonly (string | number)[]) => p.join("\u0000");
  return issues.sort((a, b) =>
    order(a.path) < order(b.path) ? -1 : order(a.path) > order(b.path) ? 1 : 0,
  );
}

/**
 * The form names are compared in: NFKC (full-width and compatibility forms become plain ones),
 * then case folded (upper then lower case, so "ß" and "SS" meet), as Keystone's and Nova's
 * case-insensitive database collations would.
 */
export function foldName(name: string): string {
  return name.normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC");
}
