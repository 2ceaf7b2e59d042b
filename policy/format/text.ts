import { oneLine, terminalText } from "../../core/errors";
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
        `${f.severity.toUpperCase()} ${f.ruleId} ${terminalText(f.target)}: ${oneLine(f.message)} (fix: ${oneLine(f.fix)})` +
        (f.suppressed ? ` [suppressed: ${oneLine(f.suppressed.reason)}]` : "") +
        "\n",
    )
    .join("");
}

const where = (f: Finding) =>
  f.location?.file && f.location.line
    ? `${f.location.file}:${f.location.line}:${f.location.column ?? 1}  `
    : "";
