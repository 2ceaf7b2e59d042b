import * as fs from "fs";
import * as path from "path";
import Handlebars from "handlebars";
import { packageRoot } from "../core/package-root";
import { UserError } from "../core/errors";
import { templateSpec } from "./compiled-templates";
import { readFolderText } from "../core/user-files";
import { closestKey } from "../core/closest-word";

/** Built-in templates ship beside the code; a user folder may override any of them. */
export const BUILTIN_TEMPLATES = path.join(packageRoot(), "templates");

export type Catalog = Readonly<Record<string, string>>;

/** The built-in catalogs by language: they ship with the code, so they are read once. */
const builtinCatalogs = new Map<string, Catalog>();

/** English is the base catalog; another language overrides the keys it translates. */
export function readCatalog(dirs: readonly string[], language: string): Catalog {
  if (dirs.length !== 1 || dirs[0] !== BUILTIN_TEMPLATES) return readCatalogFiles(dirs, language);
  let catalog = builtinCatalogs.get(language);
  if (!catalog) builtinCatalogs.set(language, (catalog = readCatalogFiles(dirs, language)));
  return catalog;
}

function readCatalogFiles(dirs: readonly string[], language: string): Catalog {
  const merged: Record<string, string> = language === "en" ? {} : { ...readCatalog(dirs, "en") };
  for (const dir of dirs) {
    const file = path.join(dir, "i18n", `${language}.json`);
    const text = readFolderText(dir, path.join("i18n", `${language}.json`));
    if (text === undefined) continue;
    let entries: unknown;
    try {
      entries = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${file}: not valid JSON (${(err as Error).message})`);
    }
    if (!entries || typeof entries !== "object" || Array.isArray(entries)) {
      throw new UserError(`${file}: expected an object of text by key`);
    }
    for (const [k, v] of Object.entries(entries)) {
      if (typeof v !== "string") throw new UserError(`${file}: ${k}: expected text`);
      merged[k] = v;
    }
  }
  return withTerms(merged);
}

/**
 * `{@term.flavor}` in catalog text stands for the catalog's own term, so every sentence uses
 * the one word the terminology list (the `term.*` keys, the glossary) gives for it.
 */
function withTerms(catalog: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(catalog))
    out[k] = v.replace(/\{@([a-zA-Z0-9.-]+)\}/g, (m, key: string) => catalog[key] ?? m);
  return out;
}

/**
 * `{hosts|host|hosts}` in catalog text: the first form when the value of `hosts` is 1, the
 * second otherwise (English counts its nouns; a language that does not leaves them out).
 */
export function withCounts(text: string, params: Readonly<Record<string, unknown>>): string {
  return text.replace(
    /\{([A-Za-z]+)\|([^|{}]*)\|([^|{}]*)\}/g,
    (m, name: string, one: string, other: string) =>
      name in params ? (String(params[name]).replace(/,/g, "") === "1" ? one : other) : m,
  );
}

/** The logo formats a proposal takes (`brand/<file>`), with the bytes each file starts with. */
export const BRAND_LOGOS: Readonly<
  Record<string, { mime: string; magic: (b: Buffer) => boolean }>
> = {
  "logo.png": { mime: "image/png", magic: (b) => b.subarray(0, 8).equals(PNG) },
  "logo.jpg": { mime: "image/jpeg", magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  "logo.webp": {
    mime: "image/webp",
    magic: (b) => b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP",
  },
};
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Files of a user's template folder no run reads (a stylesheet at the folder's root, a logo of
 * another format, a catalog of a language there is none of): without a word they would change
 * nothing.
 */
export function unreadTemplateFiles(userTemplates: string): string[] {
  const languages = new Set(
    fs.readdirSync(path.join(BUILTIN_TEMPLATES, "i18n")).filter((f) => f.endsWith(".json")),
  );
  const called = calledPartials(userTemplates);
  const read = (rel: string) =>
    /^(architecture|proposal|runbook)\.md\.hbs$/.test(rel) ||
    (/^partials\/[^/]+\.hbs$/.test(rel) && called(rel.slice(9, -4))) ||
    (rel.startsWith("i18n/") && languages.has(rel.slice(5))) ||
    rel === "html/style.css" ||
    (rel.startsWith("brand/") && Object.hasOwn(BRAND_LOGOS, rel.slice(6)));
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(userTemplates, rel), { withFileTypes: true });
    } catch {
      return; // (what cannot be listed, the run reports when it reads it)
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.name.startsWith(".")) continue;
      if (e.isDirectory() && depth < 3) walk(child, depth + 1);
      else if (!e.isDirectory() && !read(child)) out.push(child);
    }
  };
  walk("", 0);
  return out.sort();
}

/** Every template a run may render, built-in or the user's, with its folder and text. */
function templateTexts(userTemplates: string): { dir: string; rel: string; text: string }[] {
  const out: { dir: string; rel: string; text: string }[] = [];
  for (const dir of templateDirs(userTemplates)) {
    let partials: string[] = [];
    try {
      partials = fs.readdirSync(path.join(dir, "partials")).filter((f) => f.endsWith(".hbs"));
    } catch {
      // (a folder without partials, or one the run reports when it reads it)
    }
    for (const rel of [
      "architecture.md.hbs",
      "proposal.md.hbs",
      "runbook.md.hbs",
      ...partials.map((f) => `partials/${f}`),
    ]) {
      try {
        const text = readFolderText(dir, rel);
        if (text !== undefined) out.push({ dir, rel, text });
      } catch {
        // (the run reports what it cannot read)
      }
    }
  }
  return out;
}

/**
 * Whether a partial is one a rendered template calls (`{{> name}}`, `{{#> name}}`): from the
 * documents' templates, the folder's where it has them, through the partials they call in turn.
 * A partial of another name (a typo of a built-in one's), one only an overridden built-in or an
 * uncalled partial calls, is rendered nowhere. A call by an expression (`{{> (lookup ...)}}`)
 * may name any partial.
 */
function calledPartials(userTemplates: string): (name: string) => boolean {
  // The text each file renders with: the folder's over the built-in one.
  const effective = new Map(templateTexts(userTemplates).map((t) => [t.rel, t.text]));
  const names = new Set<string>();
  let dynamic = false;
  const queue = ["architecture.md.hbs", "proposal.md.hbs", "runbook.md.hbs"];
  for (let i = 0; i < queue.length && !dynamic; i++) {
    const text = effective.get(queue[i]) ?? "";
    for (const m of text.matchAll(/\{\{~?\s*#?>\s*(\(|"([^"]*)"|'([^']*)'|[^\s}~]+)/g)) {
      if (m[1] === "(") dynamic = true;
      const name = m[2] ?? m[3] ?? m[1];
      if (m[1] !== "(" && !names.has(name)) {
        names.add(name);
        queue.push(`partials/${name}.hbs`);
      }
    }
  }
  return (name) => dynamic || names.has(name);
}

/**
 * The keys of the folder's catalogs no template reads, each with the key it most likely meant:
 * a key the built-in catalog does not have, that none of the folder's templates names (`"key"`)
 * or builds from a named start (`(concat "my.caveat." caveat)`), is a typo or a leftover.
 */
export function unreadCatalogKeys(
  userTemplates: string,
): { file: string; key: string; meant?: string }[] {
  const builtin = Object.keys(readCatalog([BUILTIN_TEMPLATES], "en"));
  const known = new Set(builtin);
  const literals = new Set<string>();
  // (the built-in templates build keys only from values the built-in catalog lists)
  for (const { dir, text } of templateTexts(userTemplates))
    if (dir !== BUILTIN_TEMPLATES)
      for (const m of text.matchAll(/"([^"{}]*)"|'([^'{}]*)'/g)) literals.add(m[1] ?? m[2]);
  const starts = [...literals].filter((l) => l.endsWith("."));
  const read = (key: string) =>
    known.has(key) ||
    literals.has(key) ||
    key.startsWith("param.") ||
    starts.some((start) => key.startsWith(start));
  const out: { file: string; key: string; meant?: string }[] = [];
  let files: string[];
  try {
    files = fs.readdirSync(path.join(userTemplates, "i18n")).filter((f) => f.endsWith(".json"));
  } catch {
    return out; // (the run reports what it cannot read)
  }
  const catalogs = files.sort().flatMap((f) => {
    try {
      const entries: unknown = JSON.parse(
        readFolderText(userTemplates, path.join("i18n", f)) ?? "{}",
      );
      return entries && typeof entries === "object" ? [{ f, entries: entries as object }] : [];
    } catch {
      return []; // (the run reports a catalog that is no JSON object)
    }
  });
  // A catalog text reads a term it names (`{@term.widget}`).
  const terms = new Set(
    catalogs.flatMap(({ entries }) =>
      Object.values(entries).flatMap((v) =>
        typeof v === "string" ? [...v.matchAll(/\{@([a-zA-Z0-9.-]+)\}/g)].map((m) => m[1]) : [],
      ),
    ),
  );
  for (const { f, entries } of catalogs)
    for (const key of Object.keys(entries).sort())
      if (!read(key) && !terms.has(key))
        out.push({ file: `i18n/${f}`, key, meant: closestKey(key, builtin) });
  return out;
}

/** Template folders in override order: built-ins, then the user's. */
export const templateDirs = (userTemplates?: string) => [
  BUILTIN_TEMPLATES,
  ...(userTemplates ? [userTemplates] : []),
];

const MAX_BLOCK_DEPTH = 100;

/** The deepest nesting of `{{#...}}` (and `{{^...}}`) blocks in template text. */
function blockDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  // (`{{^}}` alone is an else, no block)
  for (const m of text.matchAll(/\{\{~?\s*(#|\^(?!\s*~?\}\})|\/)/g)) {
    depth = m[1] === "/" ? Math.max(0, depth - 1) : depth + 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** Later folders override earlier ones, file by file. */
function templateFile(
  dirs: readonly string[],
  rel: string,
): { spec: ReturnType<typeof templateSpec>; file: string; text: string } {
  for (const dir of [...dirs].reverse()) {
    const file = path.join(dir, rel);
    const text = readFolderText(dir, rel);
    if (text === undefined) continue;
    // Handlebars compiles nested blocks in time that grows with the square of their depth.
    if (blockDepth(text) > MAX_BLOCK_DEPTH)
      throw new UserError(`${file}: blocks nested more than ${MAX_BLOCK_DEPTH} deep`);
    try {
      return { spec: templateSpec(text), file, text };
    } catch (err) {
      // Handlebars' parse errors give a line and the text around it, but not the file.
      throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  throw new Error(`template ${rel} not found`);
}

/**
 * Renders a Markdown document from the view-model. Strict mode: a template that reads a field
 * the model does not have fails instead of printing nothing.
 */
export function renderMarkdown(
  name: string,
  view: object,
  language: string,
  userTemplates?: string,
): string {
  if (
    userTemplates !== undefined &&
    !fs.statSync(userTemplates, { throwIfNoEntry: false })?.isDirectory()
  ) {
    throw new UserError(`--templates ${userTemplates}: no such folder`);
  }
  try {
    return render(name, view, language, userTemplates);
  } catch (err) {
    // A broken template or catalog in the user's folder is the user's to fix.
    if (userTemplates !== undefined && !(err instanceof UserError)) {
      // (the whole message: a parse error's text and pointer follow its first line)
      throw new UserError(`--templates ${userTemplates}: ${(err as Error).message.trimEnd()}`);
    }
    throw err;
  }
}

function render(name: string, view: object, language: string, userTemplates?: string): string {
  const dirs = templateDirs(userTemplates);
  const hb = Handlebars.create();
  const catalog = readCatalog(dirs, language);
  // The catalog file a text comes from (undefined: built-in), looked up once per key.
  const origins = new Map<string, string | undefined>();
  const originOf = (key: string) => {
    if (!origins.has(key)) origins.set(key, catalogFileOf(dirs, language, key));
    return origins.get(key);
  };
  // {{t "key"}} or {{t "key" params}}: catalog text with {name} placeholders filled from params.
  hb.registerHelper("t", (key: string, ...rest: unknown[]) => {
    const text = catalog[key];
    if (text === undefined) throw new Error(`no ${language} text for ${JSON.stringify(key)}`);
    const options = rest[rest.length - 1] as { hash?: Record<string, unknown>; loc?: unknown };
    const params = {
      ...(rest.length > 1 && typeof rest[0] === "object" && rest[0]
        ? (rest[0] as Record<string, unknown>)
        : {}),
      ...options.hash,
    };
    // Catalog text is template text; values filled in are escaped like any other value. A value
    // the catalog translates (`param.<name>.<value>`) is filled in translated.
    const filled = withCounts(text, params).replace(/\{([A-Za-z]+)\}/g, (_, name: string) =>
      !(name in params)
        ? unfilled(originOf(key), language, key, name, params, options.loc)
        : params[name] instanceof Handlebars.SafeString
          ? String(params[name])
          : Array.isArray(params[name])
            ? (params[name] as unknown[])
                .map((v) => hb.escapeExpression(String(v)))
                .join(catalog["list.separator"])
            : hb.escapeExpression(
                catalog[`param.${name}.${String(params[name])}`] ?? String(params[name]),
              ),
    );
    return new hb.SafeString(filled);
  });
  // {{countList items}}: "3 controllers, 20 compute hosts and 5 Ceph OSD hosts", each item a
  // catalog text with its {count} filled in and counted.
  hb.registerHelper("countList", (items: readonly { key: string; count: number | string }[]) => {
    const texts = items.map((i) =>
      withCounts(catalog[i.key] ?? i.key, { count: i.count }).replace(
        /\{count\}/g,
        String(i.count),
      ),
    );
    const last = texts.pop() ?? "";
    return new hb.SafeString(
      texts.length
        ? `${texts.join(catalog["list.separator"])}${catalog["list.lastCount"]}${last}`
        : last,
    );
  });
  // {{listOf keys}}: the catalog texts of the keys as the language lists them ("a, b and c").
  hb.registerHelper("listOf", (keys: readonly string[]) => {
    const texts = keys.map((k) => catalog[k] ?? k);
    const last = texts.pop() ?? "";
    return texts.length
      ? `${texts.join(catalog["list.separator"])}${catalog["list.last"]}${last}`
      : last;
  });
  hb.registerHelper("concat", (...parts: unknown[]) => parts.slice(0, -1).join(""));
  hb.registerHelper("yesno", (v: unknown) => (v ? catalog["common.yes"] : catalog["common.no"]));
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  const partialNames = new Set<string>();
  for (const dir of dirs) {
    const partials = path.join(dir, "partials");
    let files: string[] = [];
    try {
      files = fs.readdirSync(partials);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT")
        throw new UserError(`${partials}: cannot be read (${code ?? String(err)})`);
    }
    for (const f of files) if (f.endsWith(".hbs")) partialNames.add(f.slice(0, -4));
  }
  for (const p of [...partialNames].sort()) {
    hb.registerPartial(p, named(hb, templateFile(dirs, path.join("partials", `${p}.hbs`))));
  }
  const template = named(hb, templateFile(dirs, `${name}.md.hbs`));
  return normalizeMarkdown(markdownEscapes(template(view)));
}

/**
 * A catalog text's `{name}` its template gives no value for. A built-in text's is the calling
 * template's fault (an error at its call); a folder's own text keeps braces its author wrote,
 * but one a given name's typo (`{hsots}` beside `{hosts}`) is an error naming that catalog.
 */
function unfilled(
  file: string | undefined,
  language: string,
  key: string,
  name: string,
  params: Readonly<Record<string, unknown>>,
  loc: unknown,
): string {
  const given = Object.keys(params).sort();
  const gives = given.length ? given.map((g) => `{${g}}`).join(", ") : "none";
  // (a value the built-in text takes is one a call must give, whichever catalog has the text)
  const builtinNeeds = [language, "en"].some((lang) =>
    new RegExp(`\\{${name}[|}]`).test(readCatalog([BUILTIN_TEMPLATES], lang)[key] ?? ""),
  );
  if (file === undefined || builtinNeeds)
    throw Object.assign(
      new Error(
        `${JSON.stringify(key)}: its text needs {${name}}, which this call does not give (it gives ${gives})`,
      ),
      { loc },
    );
  const meant = closestKey(name, given);
  if (meant === undefined) return `{${name}}`;
  throw new TemplateError(
    `${file}: ${JSON.stringify(key)}: {${name}} is not given to this text; did you mean {${meant}}?`,
  );
}

/** The folder catalog a text comes from: the last folder's, the language's before English. */
function catalogFileOf(dirs: readonly string[], language: string, key: string): string | undefined {
  for (const lang of [language, "en"])
    for (const dir of [...dirs].reverse()) {
      const text = readFolderText(dir, path.join("i18n", `${lang}.json`));
      if (text !== undefined && Object.hasOwn(JSON.parse(text) as object, key))
        return dir === BUILTIN_TEMPLATES ? undefined : path.join(dir, "i18n", `${lang}.json`);
    }
  return undefined;
}

/** An error raised while a template renders, with the template file it arose in. */
class TemplateError extends Error {}

/**
 * A template that names its file in an error it raises while rendering (a helper or field it
 * does not know, a partial missing or calling itself): Handlebars gives only the line.
 */
function named(
  hb: typeof Handlebars,
  { spec, file, text }: ReturnType<typeof templateFile>,
): Handlebars.TemplateDelegate {
  const template = hb.template(spec);
  return (context, options) => {
    try {
      return template(context, options);
    } catch (err) {
      if (err instanceof TemplateError || err instanceof UserError) throw err;
      throw new TemplateError(renderErrorText(file, text, err as Error), { cause: err });
    }
  };
}

/**
 * A render error as the template's author reads it. Handlebars says `"x" not defined in
 * [object Object] - 3:2` (a zero-based column) for a name neither the view nor the helpers have:
 * here the file, line and column, and the whole expression the name stands in.
 */
export function renderErrorText(file: string, text: string, err: Error): string {
  const m = /^"(.*)" not defined in .*? - (\d+):(\d+)$/s.exec(err.message);
  // (an error a helper raised at its call's place)
  const start = (err as { loc?: { start?: { line: number; column: number } } }).loc?.start;
  if (!m && start) return `${file}:${start.line}:${start.column + 1}: ${err.message}`;
  if (!m) return `${file}: ${err.message}`;
  const [, name, line, column] = m;
  const source = text.split("\n")[Number(line) - 1] ?? "";
  const expr = /^[^\s{}()]+/.exec(source.slice(Number(column)))?.[0] ?? name;
  const at = `${file}:${line}:${Number(column) + 1}`;
  return expr === name
    ? `${at}: "${name}" is neither a field of the view here nor a helper`
    : `${at}: "${name}" is not a field of the view here (in ${expr})`;
}

/** What Handlebars' HTML escaping wrote, as Markdown writes the same characters. */
const MARKDOWN_FOR_ENTITY: Readonly<Record<string, string>> = {
  "&amp;": "\\&",
  "&lt;": "\\<",
  "&gt;": "\\>",
  "&quot;": '"',
  "&#x27;": "'",
  "&#x60;": "\\`",
  "&#x3D;": "=",
};

/**
 * Handlebars escapes values for HTML (`OU&#x3D;Users`); in Markdown the same characters are
 * escaped with a backslash, or need none. One pass, so an `&lt;` the user wrote (escaped to
 * `&amp;lt;`) stays the text `&lt;`.
 */
export function markdownEscapes(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#x27|#x60|#x3D);/g, (e) => MARKDOWN_FOR_ENTITY[e]);
}

/** Collapses the blank-line runs that block helpers leave, and ends with one newline. */
function normalizeMarkdown(text: string): string {
  return `${text
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
