import { oneLine } from "../../core/errors";
import type { Finding } from "../finding";

/**
 * One line per finding, led by its place in the spec when it has a line:
 * `spec.yaml:12:5  WARNING SW-CAP-003 zones.az1.pools.web.spareHosts: message (fix: ...)` or
 * `ERROR SW-SEC-001 platform/cloud/security/...: message (fix: ...) [suppressed: reason]`.
 */
export function formatText(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) =>
        where(f) +
        `${f.severity.toUpperCase()} ${f.ruleId} ${shown(f.target)}: ${oneLine(f.message)} (fix: ${oneLine(f.fix)})` +
        (f.suppressed ? ` [suppressed: ${oneLine(f.suppressed.reason)}]` : "") +
        "\n",
    )
    .join("");
}

/** Keeps a finding on its line whatever text it quotes. */

/**
 * A target as a terminal shows it: a drift finding's names a file of the folder, whose name may
 * hold any character; control characters (a line break, an escape sequence) are written escaped.
 */
const shown = (target: string) =>
  target.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

const where = (f: Finding) =>
  f.location?.file && f.location.line
    ? `${f.location.file}:${f.location.line}:${f.location.column ?? 1}  `
    : "";
