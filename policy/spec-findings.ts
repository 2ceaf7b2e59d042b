import * as fs from "fs";
import * as path from "path";
import type { SpecIssue, SpecLocation } from "../core/errors";
import { SPEC_RULE_PREFIX, specTarget } from "../core/spec-targets";

export { namedPath, SPEC_RULE_PREFIX } from "../core/spec-targets";
import { packageRoot } from "../core/package-root";
import type { Finding, Severity } from "./finding";
import type { RuleInfo } from "./rule";

export const isSpecRule = (id: string): boolean =>
  id.toUpperCase().startsWith(SPEC_RULE_PREFIX.toUpperCase());

/** What the checks need of a loaded spec to report its warnings and place every finding in it. */
export interface SpecSource {
  readonly file: string;
  /** The validated spec, for naming array elements in targets. */
  readonly spec: unknown;
  /** The validator's issues: its warnings (a spec with errors never reaches the checks). */
  readonly issues: readonly SpecIssue[];
  /** Where a path is in the file; string segments name array elements. */
  readonly locate: (path: readonly (string | number)[]) => SpecLocation | undefined;
}

let catalog: ReadonlyMap<string, { readonly title: string; readonly fix: string }> | undefined;

/**
 * The validator's warning codes with their title and fix, as the English catalog of the
 * documents has them (every warning code has both there).
 */
function specRuleTexts(): ReadonlyMap<string, { readonly title: string; readonly fix: string }> {
  if (catalog) return catalog;
  const file = path.join(packageRoot(), "templates", "i18n", "en.json");
  const labels = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  const texts = new Map<string, { title: string; fix: string }>();
  for (const [key, title] of Object.entries(labels)) {
    const code = /^rule\.SW-SPEC-(.+)\.title$/.exec(key)?.[1];
    if (code) texts.set(code, { title, fix: labels[`rule.SW-SPEC-${code}.fix`] ?? "" });
  }
  return (catalog = texts);
}

/** Whether the validator has a warning of this code (any case): only those can be suppressed. */
export const isSpecWarningCode = (code: string): boolean =>
  [...specRuleTexts().keys()].some((c) => c.toUpperCase() === code.toUpperCase());

/** The rule a validator warning reports under, for SARIF's rule list. */
export function specRuleInfo(code: string, severity: Severity = "warning"): RuleInfo {
  const text = specRuleTexts().get(code);
  return {
    id: `${SPEC_RULE_PREFIX}${code}`,
    severity,
    title: text?.title ?? `The spec validator's ${code} rule holds`,
    help:
      severity === "error"
        ? `The spec validator refuses the spec (${code}): change it as the message says.`
        : text?.fix
          ? `The spec validator's rule ${code}: ${text.fix}, or accept the design with a suppression and a reason.`
          : `The spec validator's semantic rule ${code} found a design choice that usually needs a ` +
            "second look. Change the spec as the message says, or accept it with a suppression and a reason.",
  };
}

/**
 * The validator's issues as findings: rule `SW-SPEC-<code>`, target the spec path with array
 * elements by name (as model rules name them, so suppressions survive reordering), and the
 * issue's position in the file.
 */
export function specFindings(source: SpecSource): Finding[] {
  return source.issues.map((w) => ({
    ruleId: specRuleInfo(w.code).id,
    severity: w.severity,
    target: w.target ?? specTarget(source.spec, w.path),
    ...messageAndFix(w.message, w.severity),
    location: w.location ?? { file: source.file },
    ...(w.suppressed ? { suppressed: w.suppressed } : {}),
  }));
}

/** Validator messages end with their advice after the last "; ": that is the fix. */
function messageAndFix(text: string, severity: string): { message: string; fix: string } {
  const advice = text.lastIndexOf("; ");
  // (an error stops the spec: no suppression accepts it)
  return advice >= 0
    ? { message: text.slice(0, advice), fix: text.slice(advice + 2) }
    : {
        message: text,
        fix:
          severity === "error"
            ? "change the spec"
            : "change the spec, or suppress this finding with a reason",
      };
}

/** The path segments of a target written by `formatPath`: `a.b[2]["c.d"]` → a, b, 2, c.d. */
export function parseTarget(target: string): (string | number)[] | undefined {
  const segments: (string | number)[] = [];
  const token = /\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < target.length) {
    token.lastIndex = at;
    const m = token.exec(target);
    if (!m || (m[1] !== undefined && at === 0 && target[0] === ".")) return undefined;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(JSON.parse(m[3]) as string);
    at = token.lastIndex;
  }
  return segments;
}

/**
 * Each finding with its place in the spec: spec-path targets at their key's line and column,
 * construct targets (which no spec line holds) at the file. Findings that have one keep it.
 */
export function locateFindings(
  findings: readonly Finding[],
  source: SpecSource,
  constructRule: (ruleId: string) => boolean,
): Finding[] {
  return findings.map((f) => {
    if (f.location) return f;
    const path = constructRule(f.ruleId) ? undefined : parseTarget(f.target);
    const at = path && path.length > 0 ? source.locate(path) : undefined;
    return { ...f, location: at ?? { file: source.file } };
  });
}
