/**
 * User text in Markdown: Handlebars already turns < > & " ' ` = into entities; this adds
 * backslash escapes for the characters that would start emphasis, links or table cells. The
 * backtick is left alone: Handlebars writes it as `&#x60;`, which cannot open a code span, and a
 * backslash before that entity would make Markdown print the entity literally.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\|*_[\]#~]/g, (c) => `\\${c}`);
}
