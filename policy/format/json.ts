import { summarize, type Finding } from "../finding";

/** `{ summary, findings }`, pretty-printed, with a final newline. */
export function formatJson(findings: readonly Finding[]): string {
  return `${JSON.stringify({ summary: summarize(findings), findings }, null, 2)}\n`;
}
