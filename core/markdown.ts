/**
 * User text in Markdown: Handlebars escapes < > & " ' ` = (and the renderer turns those into
 * Markdown escapes); this adds backslash escapes for the characters that would start emphasis,
 * links, headings or table cells, and keeps a line break from ending a table row.
 */
export function markdownText(text: string): string {
  return (
    text
      // CommonMark ends a line at CR too.
      .replace(/\r\n?|\n/g, " ")
      .replace(/[\\|*_[\]#~]/g, (c) => `\\${c}`)
      // A list marker or a rule (`---`) where a value starts a line would make a list or a rule.
      .replace(/^(\s*)([-+])(?=\s|$|-)/, "$1\\$2")
      .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, "$1\\$2")
  );
}

/** Longer user text as Markdown paragraphs: blank lines part them, other line breaks are spaces. */
export function markdownParagraphs(text: string): string {
  return text
    .split(/(?:\r\n?|\n)[^\S\r\n]*(?:\r\n?|\n)\s*/)
    .map((p) => markdownText(p.trim()))
    .filter(Boolean)
    .join("\n\n");
}

/**
 * User text in Markdown written without Handlebars: `markdownText`, and backslash escapes for
 * what Handlebars would have escaped (raw HTML, entities, code spans).
 */
export function markdownLiteral(text: string): string {
  return markdownText(text).replace(/[<>&`]/g, (c) => `\\${c}`);
}

/**
 * Text as a Markdown code span, whatever backticks it holds: CommonMark ends a span at a run of
 * backticks as long as the one that opened it, so the fence is one longer than any run inside,
 * padded with a space (which the reader strips) where the text starts or ends with a backtick.
 */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const spaced = text.startsWith(" ") && text.endsWith(" ") && text.trim() !== "";
  const pad = text.startsWith("`") || text.endsWith("`") || spaced ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}
