import type { Finding } from "../finding";

/**
 * One line per finding:
 * `ERROR SW-SEC-001 platform/cloud/security/...: message (fix: ...) [suppressed: reason]`.
 */
export function formatText(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) =>
        `${f.severity.toUpperCase()} ${f.ruleId} ${f.target}: ${oneLine(f.message)} (fix: ${oneLine(f.fix)})` +
        (f.suppressed ? ` [suppressed: ${oneLine(f.suppressed.reason)}]` : "") +
        "\n",
    )
    .join("");
}

/** Keeps a finding on its line whatever text it quotes. */
const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, " ");
