import type { SpecLocation } from "../core/errors";

/** How bad a finding is: errors fail `check`, warnings fail `check --strict`, info never fails. */
export type Severity = "error" | "warning" | "info";

/** Most severe first; reports are sorted in this order. */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** One result of a policy rule on one target. */
export interface Finding {
  /** Stable rule id, e.g. `SW-HA-001`; tools and suppressions match on it. */
  readonly ruleId: string;
  readonly severity: Severity;
  /**
   * What the finding is about: a spec path (`controlPlane.controllers`, array elements by
   * name: `zones.zone-a.pools.web.cpuAllocationRatio`) or a construct path
   * (`platform/cloud/security/controllers/ingress-tcp-22-0_0_0_0_0`).
   */
  readonly target: string;
  readonly message: string;
  /** What to change to comply. */
  readonly fix: string;
  /** Figures of the fix that a translated catalog's fix names (`{limit}`). */
  readonly values?: Readonly<Record<string, string | number>>;
  /** Present when a suppression in the spec accepted the finding; it stays in every report. */
  readonly suppressed?: { readonly reason: string };
  /**
   * Where the finding is in the spec file: the target's key for spec paths, only the file for
   * construct paths. Present when the checks ran with the spec's source.
   */
  readonly location?: SpecLocation;
}

/** Deterministic report order: severity, rule, target, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    compareText(a.ruleId, b.ruleId) ||
    compareTargets(a.target, b.target) ||
    compareText(a.message, b.message)
  );
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Targets with their indexes in number order: `suppressions[6]` before `suppressions[10]`. */
function compareTargets(a: string, b: string): number {
  const [x, y] = [a.split(/(\d+)/), b.split(/(\d+)/)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    // Odd parts are digit runs; equal numbers written apart (`07`, `7`) fall back to the text.
    const order =
      i % 2 ? Number(x[i]) - Number(y[i]) || compareText(x[i], y[i]) : compareText(x[i], y[i]);
    if (order) return order;
  }
  return x.length - y.length;
}

export interface FindingSummary {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  /** Suppressed findings, whatever their severity; not counted above. */
  readonly suppressed: number;
}

export function summarize(findings: readonly Finding[]): FindingSummary {
  const count = (s: Severity) => findings.filter((f) => !f.suppressed && f.severity === s).length;
  return {
    error: count("error"),
    warning: count("warning"),
    info: count("info"),
    suppressed: findings.filter((f) => f.suppressed).length,
  };
}

/** True when the findings fail a check: an unsuppressed error, or with `strict` a warning too. */
export function checksFailed(
  findings: readonly Finding[],
  options: { readonly strict?: boolean } = {},
): boolean {
  const s = summarize(findings);
  return s.error > 0 || (options.strict === true && s.warning > 0);
}
