import type { Model } from "../model/types";
import type { Finding } from "./finding";
import type { RuleInfo } from "./rule";
import { formatPath } from "../core/errors";
import { targetCovers } from "../core/spec-targets";
import { TERRAFORM_UNCHECKED } from "./drift";

export type Suppression = Model["suppressions"][number];

/** Reported for a suppression that matched nothing, so stale ones do not linger unseen. */
export const UNUSED_SUPPRESSION: RuleInfo = {
  id: "SW-META-001",
  severity: "warning",
  title: "Every suppression in the spec matches a finding",
  help:
    "A suppression that matches no finding is stale (the design was fixed, or the rule or " +
    "target is misspelt) and would silently hide a future finding. Remove it or correct its " +
    "rule and target. This finding cannot itself be suppressed.",
};

/** Findings no suppression accepts: what they report cannot be checked, or is about suppressions. */
const UNSUPPRESSIBLE = new Set([UNUSED_SUPPRESSION.id, TERRAFORM_UNCHECKED.id]);

/**
 * True when a suppression covers a finding: the same rule id (any case) and, when the
 * suppression names a target, that target or anything below it (`zones.zone-a` covers
 * `zones.zone-a.pools.web.spareHosts`, not `zones.zone-ab`).
 */
export function suppresses(s: Suppression, f: Finding): boolean {
  return (
    !UNSUPPRESSIBLE.has(f.ruleId) &&
    s.rule.toUpperCase() === f.ruleId.toUpperCase() &&
    targetCovers(s.target, f.target)
  );
}

/**
 * Marks the findings the spec's suppressions accept (with the reason of the first suppression
 * that matches) and adds an SW-META-001 warning for every suppression that matches nothing.
 * `known` are every rule id, `checked` the ids of the rules that ran.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  rules: {
    readonly known: Pick<ReadonlySet<string>, "has">;
    readonly checked: Pick<ReadonlySet<string>, "has">;
  },
): Finding[] {
  const out = findings.map((f) => {
    const s = suppressions.find((candidate) => suppresses(candidate, f));
    return s ? { ...f, suppressed: { reason: s.reason } } : f;
  });
  suppressions.forEach((s, i) => {
    if (findings.some((f) => suppresses(s, f))) return;
    const id = s.rule.toUpperCase();
    const meta = UNSUPPRESSIBLE.has(id);
    // A rule of a pack that was not run cannot have matched.
    if (!meta && rules.known.has(id) && !rules.checked.has(id)) return;
    const unknown = !meta && !rules.known.has(id);
    out.push({
      ruleId: UNUSED_SUPPRESSION.id,
      severity: UNUSED_SUPPRESSION.severity,
      target: formatPath(["suppressions", i]),
      message:
        `suppression of ${s.rule}${s.target !== undefined ? ` on ${s.target}` : ""} matches no finding` +
        (unknown ? `; there is no rule ${s.rule}` : "") +
        (meta ? `; ${id} cannot be suppressed` : ""),
      fix: unknown
        ? "correct the rule id (see the rules of `stackwright check --format sarif`) or remove the suppression"
        : meta
          ? "remove the suppression"
          : "remove the suppression, or correct its target",
      values: {
        rule: s.rule,
        ...(unknown || meta ? { variant: unknown ? "unknown" : "meta" } : {}),
      },
    });
  });
  return out;
}
