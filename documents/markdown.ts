/**
 * User text in Markdown: Handlebars already turns < > & " ' ` = into entities; this adds
 * backslash escapes for the characters that would start emphasis, links, code or table cells.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\|*_[\]`#~]/g, (c) => `\\${c}`);
}
