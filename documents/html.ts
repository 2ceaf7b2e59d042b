import MarkdownIt from "markdown-it";
import { BUILTIN_TEMPLATES } from "./render";
import { fontFaces } from "./fonts";
import { readFolderText } from "../core/user-files";

/**
 * The stylesheet: the built-in one, or `html/style.css` from a user template folder. It goes
 * into a `<style>` element, which `</style` would close: written `<\/style`, it stays CSS.
 */
export function stylesheet(userTemplates?: string): string {
  const user = userTemplates ? readFolderText(userTemplates, "html/style.css") : undefined;
  const css = user ?? (readFolderText(BUILTIN_TEMPLATES, "html/style.css") as string);
  return css.replace(/<\/(?=style)/gi, "<\\/");
}

/**
 * Nothing in a document loads or runs: no script, and images and fonts only from data URLs (a
 * stylesheet or template pointing at a server or a local file fetches nothing, when opened or
 * printed).
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Tables of at most this many rows, header included, print on one page. */
const SHORT_TABLE_ROWS = 8;

/** Words this long get break opportunities: a table sizes a column to its longest word. */
const LONG_WORD = /\S{25,}/gu;

/**
 * Text with `<wbr>` in long words (a directory DN, a long name): after punctuation, and every 12
 * characters of a run without any, so a table stays within the page instead of being cut off
 * when printed. Copied text is unchanged.
 */
function breakable(text: string, escape: (s: string) => string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(LONG_WORD)) {
    // Never inside a figure (`¥6,800.00`); runs of Chinese or Japanese break anywhere already.
    const parts = m[0]
      .split(/(?<=[,;=/_\-.:@|)\]])(?![\d\p{Sc}])/u)
      .flatMap((p) =>
        p.length > 16 && !/[\d\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u.test(p)
          ? chunks(p)
          : [p],
      );
    out += escape(text.slice(last, m.index)) + parts.map(escape).join("<wbr>");
    last = m.index + m[0].length;
  }
  return out + escape(text.slice(last));
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Runs of 12 characters as a reader counts them (a flag, a letter with its marks: one). */
function chunks(text: string): string[] {
  const out: string[] = [];
  let run = "";
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (count === 12) {
      out.push(run);
      run = "";
      count = 0;
    }
    run += segment;
    count++;
  }
  return [...out, run];
}

/**
 * A self-contained HTML page from the Markdown document: raw HTML in the Markdown is not
 * interpreted (user text stays text), and each Mermaid block becomes the diagram's inline SVG.
 */
export function markdownToHtml(
  markdown: string,
  options: {
    title: string;
    language: string;
    css: string;
    svgs: Readonly<Record<string, string>>;
    /** Heading of a table of contents of the chapters (level-2 headings); none when absent. */
    toc?: string;
  },
): string {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const defaultFence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, opts, env, self) => {
    const token = tokens[idx];
    const id = /^%% diagram: ([a-z-]+)/.exec(token.content)?.[1];
    if (token.info.trim() === "mermaid" && id && options.svgs[id]) {
      // Graphviz numbers its ids per drawing (graph0, node1): two inline SVGs would repeat them.
      const svg = options.svgs[id]
        .replace(/ id="([^"]*)"/g, ` id="${id}-$1"`)
        .replace(/(="url\(#|href="#)/g, `$1${id}-`);
      return `<figure class="diagram" id="diagram-${id}">${svg}</figure>\n`;
    }
    return defaultFence
      ? defaultFence(tokens, idx, opts, env, self)
      : self.renderToken(tokens, idx, opts);
  };
  // Chapters get stable ids from their order, so the contents can link to them.
  const chapters: { id: string; title: string }[] = [];
  const defaultOpen = md.renderer.rules.heading_open;
  md.renderer.rules.heading_open = (tokens, idx, opts, env, self) => {
    if (tokens[idx].tag === "h2") {
      const id = `chapter-${chapters.length + 1}`;
      tokens[idx].attrSet("id", id);
      chapters.push({ id, title: tokens[idx + 1].content });
    }
    return defaultOpen
      ? defaultOpen(tokens, idx, opts, env, self)
      : self.renderToken(tokens, idx, opts);
  };
  // Tables of a few rows are marked, so printing keeps each on one page.
  md.core.ruler.push("short_tables", (state) => {
    let open: (typeof state.tokens)[number] | undefined;
    let rows = 0;
    for (const token of state.tokens) {
      if (token.type === "table_open") [open, rows] = [token, 0];
      else if (token.type === "tr_open") rows++;
      else if (token.type === "table_close" && open && rows <= SHORT_TABLE_ROWS)
        open.attrJoin("class", "short");
    }
  });
  // A diagram keeps the heading and sentence that introduce it on its page: printed, a
  // chapter's heading otherwise ends one page and its drawing starts the next.
  md.core.ruler.push("keep_diagrams", (state) => {
    const tokens = state.tokens;
    for (let i = tokens.length - 1; i >= 0; i--) {
      const t = tokens[i];
      // (top-level blocks only: a wrapper around part of a list would break its nesting)
      if (t.type !== "fence" || t.info.trim() !== "mermaid" || t.level !== 0) continue;
      let start = i;
      if (tokens[start - 1]?.type === "paragraph_close" && tokens[start - 3]?.level === 0)
        start -= 3;
      if (tokens[start - 1]?.type === "heading_close" && tokens[start - 3]?.level === 0) start -= 3;
      if (start === i) continue;
      const open = new state.Token("html_block", "", 0);
      open.content = '<div class="keep">\n';
      const close = new state.Token("html_block", "", 0);
      close.content = "</div>\n";
      tokens.splice(i + 1, 0, close);
      tokens.splice(start, 0, open);
    }
  });
  const escape = md.utils.escapeHtml;
  // (markdown-it's escaping, as its own text rule: the page's escapeHtml is for attributes)
  md.renderer.rules.text = (tokens, idx) => breakable(tokens[idx].content, escape);
  md.renderer.rules.code_inline = (tokens, idx, _opts, _env, self) =>
    `<code${self.renderAttrs(tokens[idx])}>${breakable(tokens[idx].content, escape)}</code>`;
  let body = md.render(markdown);
  if (options.toc && chapters.length) {
    const items = chapters.map(
      (c, i) =>
        `<li><a href="#${c.id}"><span class="toc-number">${i + 1}</span> ${md.renderInline(c.title)}<span class="toc-page" data-page-of="${c.id}"></span></a></li>`,
    );
    const toc = [
      '<nav class="toc">',
      `<h2 class="toc-title">${escapeHtml(options.toc)}</h2>`,
      "<ol>",
      ...items,
      "</ol>",
      "</nav>",
      "",
    ].join("\n");
    const first = body.indexOf('<h2 id="chapter-1"');
    body = `${body.slice(0, first)}${toc}${body.slice(first)}`;
  }
  return [
    "<!DOCTYPE html>",
    `<html lang="${escapeHtml(options.language)}">`,
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>\n${fontFaces()}\n</style>`,
    `<style>\n${options.css}</style>`,
    "</head>",
    "<body>",
    '<main class="document">',
    body,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
