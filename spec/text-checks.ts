import type { SpecIssue } from "../core/errors";
import { hasNumberTokenText, hasTokenMarker } from "./cdktf-tokens";
import { mayHoldUrl, urlCredentials } from "./url-secrets";

/**
 * Characters that show as nothing or reorder what is shown: format characters (zero-width
 * spaces and joiners, bidi controls and isolates, byte-order mark, soft hyphen, tags) and blank
 * fillers. Two names differing only by them look the same; bidi controls disguise text.
 */
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/u;

/** In a `u` regex `\p{Cs}` matches only unpaired surrogates. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A character beyond the Basic Multilingual Plane: four bytes in UTF-8. */
const SUPPLEMENTARY = /[\u{10000}-\u{10FFFF}]/u;

/** Leading or trailing white space (only quoted YAML strings can have it). */
const SURROUNDING_SPACE = /^[^\S\uFEFF]|[^\S\uFEFF]$/;

type Path = (string | number)[];

/**
 * Checks every string value and key of parsed data (spec or price book) once, in linear time:
 * credentials in URLs (`url-credentials`, never repeating the value), cdktf token markers
 * (`cdktf-token`), invisible characters (`invisible-character`) and leading or trailing spaces on
 * one-line text (`surrounding-space`).
 */
export function textIssues(
  data: unknown,
  options: {
    /**
     * Given for a spec: the paths whose text reaches no OpenStack database (`metadata`,
     * `sites.*.description`: a key, or `*` for any, per step; the path below it included).
     * Elsewhere characters beyond U+FFFF are refused (`unicode-4-byte`): Kolla's MariaDB and the
     * services' tables store utf8 (utf8mb3), which has no 4-byte characters, and the API fails
     * with an error 500. Without it (a price book) such characters are text like any other.
     */
    readonly documentsOnly?: readonly string[];
    /** What the text is of, for the credentials refusal: the design, or a price book. */
    readonly of?: string;
  } = {},
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  // Paths are linked to their parent and spelled out only for an issue: most text has none.
  type Step = { readonly value: unknown; readonly parent?: Step; readonly key?: string | number };
  const pathOf = (step: Step, key?: string): Path => {
    const path: Path = key === undefined ? [] : [key];
    for (let s: Step | undefined = step; s?.parent; s = s.parent) path.push(s.key!);
    return path.reverse();
  };
  const check = (text: string, at: Step, key?: string) => {
    const isKey = key !== undefined;
    const error = (code: string, message: string) =>
      issues.push({ code, path: pathOf(at, key), severity: "error", message });
    const what = isKey ? "the key" : "the text";
    const secret = !isKey && mayHoldUrl(text) ? urlCredentials(text) : undefined;
    if (secret)
      error(
        "url-credentials",
        options.of === undefined
          ? `the URL carries ${secret}; remove it and give Terraform and OpenStack their credentials through the environment or a secret store, never in the design`
          : `the URL carries ${secret}; remove it: a ${options.of} is shared and printed, so no credential belongs in it`,
      );
    if (hasTokenMarker(text))
      error(
        "cdktf-token",
        `${what} holds a cdktf token marker (\${TfToken[, #{TfToken[, &{TfToken[ or \${Token[), which Terraform synthesis would replace; reword it`,
      );
    else if (hasNumberTokenText(text))
      error(
        "cdktf-token",
        `${what} holds a number near -8.2e298, which cdktf reads as an encoded number token; reword it`,
      );
    // Lone UTF-16 halves: YAML writers escape them and Ansible refuses the whole file.
    const lone = LONE_SURROGATE.exec(text);
    if (lone)
      error(
        "invalid-unicode",
        `${what} holds half of a UTF-16 surrogate pair (U+${lone[0].charCodeAt(0).toString(16).toUpperCase()}) at position ${lone.index + 1}, not a character; remove it`,
      );
    const wide = options.documentsOnly ? SUPPLEMENTARY.exec(text) : null;
    if (wide && !options.documentsOnly?.some((pattern) => matches(pattern, pathOf(at, key))))
      error(
        "unicode-4-byte",
        `${what} holds ${wide[0]} (U+${wide[0].codePointAt(0)!.toString(16).toUpperCase()}) at position ${wide.index + 1}, a character of four bytes in UTF-8 (an emoji, say), which OpenStack's databases do not store (Kolla's MariaDB keeps utf8mb3: the API call fails); remove it`,
      );
    const invisible = INVISIBLE.exec(text);
    if (invisible)
      error(
        "invisible-character",
        `${what} holds an invisible character (U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) at position ${invisible.index + 1}; remove it`,
      );
    // A map built from the spec would take this key for its prototype and drop the entry.
    if (isKey && text === "__proto__")
      error("reserved-key", "the key __proto__ names nothing a design can hold; rename it");
    if (!text.includes("\n") && SURROUNDING_SPACE.test(text))
      error("surrounding-space", `${what} starts or ends with white space; remove it`);
  };
  // Iterative, so deep documents cannot exhaust the stack.
  const stack: Step[] = [{ value: data }];
  while (stack.length) {
    const step = stack.pop()!;
    const value = step.value;
    if (typeof value === "string") check(value, step);
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++)
        stack.push({ value: value[i] as unknown, parent: step, key: i });
    } else if (value !== null && typeof value === "object") {
      for (const k in value) {
        if (!Object.hasOwn(value, k)) continue;
        check(k, step, k);
        stack.push({ value: (value as Record<string, unknown>)[k], parent: step, key: k });
      }
    }
  }
  const order = (p: readonly (string | number)[]) => p.join("\u0000");
  return issues.sort((a, b) =>
    order(a.path) < order(b.path) ? -1 : order(a.path) > order(b.path) ? 1 : 0,
  );
}

/** Whether a path lies at or below a pattern of keys and `*`s. */
function matches(pattern: string, path: Path): boolean {
  const steps = pattern.split(".");
  return steps.length <= path.length && steps.every((k, i) => k === "*" || k === String(path[i]));
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Accents on Latin, Greek and Cyrillic letters, once decomposed. */
const ACCENTS = /(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;

/**
 * The form names are compared in, as the services' databases do: Kolla's MariaDB compares with
 * utf8_general_ci, blind to case and accents ("Café" is "Cafe", "ß" is "s"), and full-width and
 * compatibility forms are taken as plain ones (NFKC) besides.
 */
export function foldName(name: string): string {
  // ASCII is its own NFKC form and folds by lower case alone; ICU normalization costs far more.
  if (ASCII.test(name)) return name.toLowerCase();
  // Letters the collation keeps whole though Unicode decomposes them: by case only.
  return name
    .normalize("NFC")
    .split(WHOLE)
    .map((part, i) => (i % 2 ? part.toLowerCase() : foldPart(part)))
    .join("");
}

/** Ĳ, Ǆ, Ǉ, Ǌ, Ǳ and Й, which utf8_general_ci sorts as themselves. */
const WHOLE = /([\u0132\u0133\u01c4-\u01cc\u01f1-\u01f3\u0419\u0439])/u;

function foldPart(part: string): string {
  return part
    .normalize("NFKC")
    .normalize("NFD")
    .replace(ACCENTS, "")
    .replace(/ß/g, "s")
    .toUpperCase()
    .toLowerCase()
    .normalize("NFKC");
}
