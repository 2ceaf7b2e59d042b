/**
 * User text in Markdown: Handlebars escapes < > & " ' ` = (and the renderer turns those into
 * Markdown escapes); this adds backslash escapes for the characters that would start emphasis,
 * links, headings or table cells, and keeps a line break from ending a table row.
 */
export function markdownText(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\|*_[\]#~]/g, (c) => `\\${c}`);
}

/**
 * User text in Markdown written without Handlebars: `markdownText`, and backslash escapes for
 * what Handlebars would have escaped (raw HTML, entities, code spans).
 */
export function markdownLiteral(text: string): string {
  return markdownText(text).replace(/[<>&`]/g, (c) => `\\${c}`);
}
