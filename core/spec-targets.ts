import { formatPath, type SpecIssue } from "./errors";

/** Validator warnings are findings of rule `SW-SPEC-<code>`, e.g. `SW-SPEC-controllers-single`. */
export const SPEC_RULE_PREFIX = "SW-SPEC-";

/** A path with every array index replaced by the element's `id` or `name` where it has one. */
export function namedPath(data: unknown, path: readonly (string | number)[]): (string | number)[] {
  let node = data;
  return path.map((segment) => {
    const child =
      isRecord(node) || Array.isArray(node)
        ? (node as Record<string | number, unknown>)[segment]
        : undefined;
    node = child;
    if (typeof segment !== "number" || !isRecord(child)) return segment;
    const name = typeof child.id === "string" ? child.id : child.name;
    return typeof name === "string" ? name : segment;
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A finding's target for a spec path: array elements by name, so it survives reordering. */
export const specTarget = (spec: unknown, path: readonly (string | number)[]): string =>
  formatPath(namedPath(spec, path));

const BOUNDARY = /^[./[]/;
const SEGMENT = /\.?([^.[\]"]+)|\[(\d+|"(?:[^"\\]|\\.)*")\]/y;

/**
 * A target's segments, however written: `zones["1b"]` as formatPath writes a name that starts
 * with a digit, and `zones.1b` as a user would; undefined for text of another form.
 */
function segments(target: string): string[] | undefined {
  const text = target.replace(/\.$/, "");
  const out: string[] = [];
  for (let i = 0; i < text.length; i = SEGMENT.lastIndex) {
    SEGMENT.lastIndex = i;
    const m = SEGMENT.exec(text);
    if (!m) return undefined;
    out.push(m[1] ?? (m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2]));
  }
  return out;
}

/**
 * True when a suppression's target covers a finding's: no target, that target, or anything
 * below it (`zones.zone-a` covers `zones.zone-a.pools.web.spareHosts`, not `zones.zone-ab`;
 * `terraform/platform` covers `terraform/platform/extra.tf.json`).
 */
export function targetCovers(covering: string | undefined, target: string): boolean {
  if (covering === undefined || covering === target) return true;
  // Construct paths and files (`platform/cloud/...`, `terraform/platform/x.tf.json`) nest by '/',
  // and their names may hold dots.
  if (covering.includes("/") || target.includes("/"))
    return target.startsWith(covering.endsWith("/") ? covering : `${covering}/`);
  const [mine, theirs] = [segments(covering), segments(target)];
  // (no segment at all, as "." gives, names nothing: never every finding of the rule)
  if (mine?.length && theirs)
    return mine.length <= theirs.length && mine.every((segment, i) => segment === theirs[i]);
  if (!target.startsWith(covering)) return false;
  return /[./[]$/.test(covering) || BOUNDARY.test(target.slice(covering.length));
}

/** What a spec's suppression says, as far as matching goes. */
export interface SpecSuppression {
  readonly rule: string;
  readonly target?: string;
  readonly reason: string;
}

/**
 * The issues of a spec refused for its errors, each warning with its target as the policy report
 * names it and, where a suppression of the spec accepts it, marked so (with the first matching
 * suppression's reason): the warnings read, match and fingerprint as when the spec is accepted.
 * Errors are never accepted.
 */
export function markSuppressed(
  spec: unknown,
  suppressions: readonly SpecSuppression[] | undefined,
  issues: readonly SpecIssue[],
): SpecIssue[] {
  return issues.map((issue) => {
    if (issue.severity !== "warning") return issue;
    const rule = `${SPEC_RULE_PREFIX}${issue.code}`.toUpperCase();
    const target = specTarget(spec, issue.path);
    const s = suppressions?.find(
      (c) => c.rule.toUpperCase() === rule && targetCovers(c.target, target),
    );
    return { ...issue, target, ...(s ? { suppressed: { reason: s.reason } } : {}) };
  });
}
