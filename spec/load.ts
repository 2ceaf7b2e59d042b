import * as fs from "fs";
import {
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import type { z } from "zod";
import { specSchema, type Spec } from "./schema";
import { checkSpec } from "./rules";
import { quoted, UserError, type SpecIssue, type SpecLocation } from "../core/errors";
import { textIssues } from "./text-checks";
import { slug } from "../core/naming";
import { markSuppressed } from "../core/spec-targets";
import { jsonErrorOffset, jsonLocator, parseJsonFast } from "./json-text";
import { closestKey } from "../core/closest-word";
import { keysAt } from "./key-hints";
import { schemaMessage, UNION, unionBranchIssues } from "./schema-messages";

/** Larger specs are refused before parsing: a hand-written design is far smaller. */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/** A parsed YAML (or JSON) document and a way to find the line of any path in it. */
export interface ParsedYaml {
  readonly data: unknown;
  /** Where a path's value is written; with `key`, where its last key is. */
  readonly locate: (
    path: readonly (string | number)[],
    options?: { readonly key?: boolean },
  ) => SpecLocation | undefined;
}

/** Reads a YAML or JSON file of plain data, with positions; read and syntax errors are UserErrors. */
export function readYamlFile(file: string, what = "file"): ParsedYaml {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw readError(file, e);
  }
  if (!stat.isFile()) throw new UserError(`${file}: not a regular file`);
  if (stat.size > MAX_SPEC_BYTES) {
    throw UserError.fromIssues(
      file,
      [
        {
          code: "yaml-too-large",
          path: [],
          severity: "error",
          message: `${stat.size} bytes is larger than the ${MAX_SPEC_BYTES}-byte (16 MiB) limit for a ${what}`,
          location: { file },
        },
      ],
      what,
    );
  }
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (e) {
    throw readError(file, e);
  }
  const text = buffer.toString("utf8");
  if (text.includes("\uFFFD") && !Buffer.from(text, "utf8").equals(buffer)) {
    throw UserError.fromIssues(
      file,
      [
        {
          code: "invalid-utf8",
          path: [],
          severity: "error",
          message: `not UTF-8 text: save the ${what} as UTF-8`,
          location: firstInvalidByte(text, buffer, file),
        },
      ],
      what,
    );
  }
  return parseYaml(text, file, what);
}

/**
 * Where the first byte that is not UTF-8 sits: the decoder put U+FFFD there, and up to it the
 * text and the bytes agree (a U+FFFD the file itself holds is three bytes EF BF BD).
 */
function firstInvalidByte(text: string, buffer: Buffer, file: string): SpecLocation {
  let bytes = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      c === 0xfffd &&
      !(buffer[bytes] === 0xef && buffer[bytes + 1] === 0xbf && buffer[bytes + 2] === 0xbd)
    )
      return { file, line, column: i - lineStart + 1 };
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    bytes +=
      c < 0x80
        ? 1
        : c < 0x800
          ? 2
          : c >= 0xd800 && c <= 0xdbff
            ? 4
            : c >= 0xdc00 && c <= 0xdfff
              ? 0
              : 3;
  }
  return { file };
}

/** Read errors in words, by errno code. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  ENOTDIR: "no such file (a part of the path is not a folder)",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "not a regular file (it is a folder)",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the file name is too long",
  EMFILE: "too many open files",
  EIO: "input/output error",
};

/** What went wrong reading a file, in words, as a UserError naming the file. */
function readError(file: string, e: unknown): UserError {
  if (file === "") return new UserError("the spec path is empty: name a spec file");
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const message =
    code !== undefined && Object.hasOwn(READ_ERRORS, code)
      ? READ_ERRORS[code]
      : `cannot be read (${code ?? firstLine(String((e as Error | undefined)?.message ?? e))})`;
  return new UserError(`${file}: ${message}`);
}

/** Maximum alias expansions in one document; more is refused as a "billion laughs" attack. */
const MAX_ALIAS_COUNT = 100;

/**
 * Limits that keep parsing fast and bounded (a hand-written design is far below them): lines,
 * flow items and flow collections together, counted before parsing, and the nesting depth.
 */
export const MAX_SPEC_ENTRIES = 100_000;
export const MAX_SPEC_DEPTH = 64;

/** Parses YAML text of plain data (no custom tags or merge keys, bounded aliases). */
export function parseYaml(text: string, file = "<spec>", what = "spec"): ParsedYaml {
  const refuse = (code: string, message: string, location?: SpecLocation) =>
    UserError.fromIssues(
      file,
      [{ code, path: [], severity: "error", message, location: location ?? { file } }],
      what,
    );
  // Old Mac line endings (a lone CR) are line breaks; the length stays, so offsets hold.
  if (text.includes("\r")) text = text.replace(/\r(?!\n)/g, "\n");
  if (structureCount(text) > MAX_SPEC_ENTRIES) {
    throw refuse(
      "yaml-too-large",
      `the ${what} has more than ${MAX_SPEC_ENTRIES} lines and list or map entries, the limit for a ${what}; split the design or remove unused parts`,
    );
  }
  // JSON specs take JSON.parse; positions come from a scan of the text, only where asked for.
  // A byte order mark, which RFC 8259 lets a parser ignore, is not part of the JSON.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const fast = parseJsonFast(body, MAX_SPEC_DEPTH - 1);
  // A .json file is JSON: what only YAML reads (a trailing comma, a comment) other tools refuse.
  if (!fast && /\.json$/i.test(file)) {
    const offset = jsonErrorOffset(body);
    if (offset !== undefined) {
      const before = body.slice(0, offset);
      const found = offset < body.length ? `unexpected ${quoted(body[offset])}` : "it ends early";
      throw refuse(
        "json-syntax",
        `not JSON: ${found}; a .json ${what} is read as JSON (name it .yaml to write YAML)`,
        { file, line: before.split("\n").length, column: offset - before.lastIndexOf("\n") },
      );
    }
  }
  if (fast) {
    const offsetOf = jsonLocator(body, fast.data, slug);
    const json = body;
    let lineStarts: number[] | undefined;
    return {
      data: fast.data,
      locate: (path, options) => {
        const offset = offsetOf(path, options);
        if (offset === undefined) return undefined;
        lineStarts ??= startsOfLines(json);
        const line = lastAtOrBefore(lineStarts, offset);
        return { file, line: line + 1, column: offset - lineStarts[line] + 1 };
      },
    };
  }
  return parseYamlDocument(text, file, what);
}

/** Offsets where each line of the text begins. */
function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the last element not greater than `value` in an ascending list starting at 0. */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The spec path of the value a tag at `offset` stands before: the first value node there, read
 * through its ancestors (map keys, list indexes). A key's tag names its map.
 */
function taggedPath(doc: Document, offset: number): (string | number)[] {
  let best = Infinity;
  let found: (string | number)[] = [];
  visit(doc, (key, node, ancestors) => {
    if (key === "key" || !isNode(node) || !node.range || node.range[0] < offset) return;
    if (node.range[0] >= best) return;
    best = node.range[0];
    const chain = [...ancestors, node];
    found = chain.flatMap((a, i): (string | number)[] => {
      const child = chain[i + 1];
      if (isPair(a)) return [isScalar(a.key) ? String(a.key.value) : String(a.key)];
      if (isSeq(a) && child !== undefined) return [a.items.indexOf(child as never)];
      return [];
    });
  });
  return found;
}

/** The YAML way, with positions for every node. */
function parseYamlDocument(text: string, file: string, what: string): ParsedYaml {
  const refuse = (code: string, message: string, location?: SpecLocation) =>
    UserError.fromIssues(
      file,
      [{ code, path: [], severity: "error", message, location: location ?? { file } }],
      what,
    );
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // Duplicate keys are found below in linear time (the parser's own check is quadratic).
    uniqueKeys: false,
    // Only plain data: no custom tags, no merge keys that hide where a value came from.
    schema: "core",
    merge: false,
    strict: true,
  });
  // (a byte order mark is no column an editor shows)
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const at = (offset: number): SpecLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.line === 1 ? Math.max(1, pos.col - bom) : pos.col };
  };
  const tooDeep = `the ${what} nests deeper than ${MAX_SPEC_DEPTH} levels, the limit for a ${what}`;
  // The yaml package only warns about a tag it cannot resolve and keeps the plain value; a spec
  // holds plain data, so an unknown tag (`!foo`, `!!js/function`) is an error.
  const tagIssues = doc.warnings
    .filter((w) => w.code === "TAG_RESOLVE_FAILED")
    .map((w) => ({
      code: "yaml-tag",
      path: taggedPath(doc, w.pos[0]),
      severity: "error" as const,
      // (a core tag the parser cannot apply to its value, `!!float 32`, is no custom tag)
      message: /tag:yaml\.org,2002:(?:str|int|float|bool|null)(?![\w/])/.test(w.message)
        ? `${firstLine(w.message).replace(/^Unresolved tag: tag:yaml\.org,2002:(\w+).*/, "the !!$1 tag is not read here")}; remove the tag: the ${what} reads numbers, booleans and text as written`
        : `${firstLine(w.message).replace(/^Unresolved tag: /, "unsupported YAML tag ")}; the ${what} holds plain data only, remove the tag`,
      location: at(w.pos[0]),
    }));
  const exhausted = doc.errors.find((e) => e.code === "RESOURCE_EXHAUSTION");
  if (exhausted) throw refuse("yaml-too-deep", tooDeep, at(exhausted.pos[0]));
  const syntaxIssues = doc.errors.map((e) => ({
    code: "yaml-syntax",
    path: [],
    severity: "error" as const,
    message:
      e.code === "MULTIPLE_DOCS"
        ? `a second YAML document starts here; the ${what} is one document: remove this "---" and what follows, or merge the two`
        : firstLine(e.message),
    location: at(e.pos[0]),
  }));
  if (syntaxIssues.length || tagIssues.length) {
    throw UserError.fromIssues(file, [...syntaxIssues, ...tagIssues], what);
  }
  // A .json file is valid JSON here (checked before): a duplicate key is its only fault YAML sees.
  const structural = structureIssues(
    doc,
    at,
    what,
    /\.json$/i.test(file) ? "json-syntax" : "yaml-syntax",
  );
  if (structural.length) throw UserError.fromIssues(file, structural, what);
  let data: unknown;
  try {
    // Alias expansion is bounded so a "billion laughs" document cannot exhaust memory.
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = firstLine((e as Error).message);
    if (e instanceof RangeError) throw refuse("yaml-too-deep", tooDeep);
    throw /alias count/i.test(message)
      ? refuse(
          "yaml-alias-limit",
          `the ${what} expands YAML aliases (*name) beyond the alias-expansion limit of ${MAX_ALIAS_COUNT}; write the repeated parts out or use fewer aliases`,
          rangeOf(aliasOverLimit(doc), at),
        )
      : new UserError(`${file}: ${message}`);
  }
  if (data === null || data === undefined) {
    throw refuse("yaml-empty", `the ${what} is empty`);
  }
  const index = new WeakMap<YAMLMap, Map<string, Pair>>();
  return { data, locate: (path, options) => locateNode(doc, path, at, index, options) };
}

/**
 * The alias whose expansion passes the alias-expansion limit. The yaml package's error does not
 * say where; converting again, each alias noting itself as it expands, stops at the same one.
 */
function aliasOverLimit(doc: Document): Alias | undefined {
  let expanding: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      const expand = node.toJSON.bind(node);
      node.toJSON = (...args: Parameters<Alias["toJSON"]>) => {
        expanding = node;
        return expand(...args);
      };
    },
  });
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return expanding;
  }
  return undefined;
}

/** Lines, commas and opening brackets: an upper bound of the entries a parser would build. */
function structureCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44 || c === 91 || c === 123) n++;
  }
  return n;
}

/**
 * One linear pass over the document in reading order: duplicate keys, nesting beyond the limit,
 * aliases used before their anchor or inside the node they name.
 */
function structureIssues(
  doc: Document,
  at: (offset: number) => SpecLocation,
  what: string,
  duplicateCode: string,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  // Paths as links to the parent's, made into arrays only for an issue: no copy per node.
  type Link = { readonly key: string | number; readonly up: Link } | undefined;
  const pathOf = (link: Link): (string | number)[] => {
    const out: (string | number)[] = [];
    for (let l = link; l; l = l.up) out.unshift(l.key);
    return out;
  };
  const issue = (code: string, node: unknown, message: string, path: Link = undefined) =>
    issues.push({
      code,
      path: pathOf(path),
      severity: "error",
      message,
      location: rangeOf(node, at) ?? { file: at(0).file },
    });
  const done = new Set<string>();
  const open = new Set<string>();
  const early: { node: unknown; source: string; path: Link }[] = [];
  type Step = { node: unknown; depth: number; path: Link } | { close: string };
  const stack: Step[] = [{ node: doc.contents, depth: 0, path: undefined }];
  while (stack.length && issues.length < 100) {
    const step = stack.pop()!;
    if ("close" in step) {
      open.delete(step.close);
      done.add(step.close);
      continue;
    }
    const { node, depth, path } = step;
    if (isAlias(node)) {
      if (open.has(node.source))
        issue("yaml-alias", node, `the alias *${node.source} is inside the node it names`);
      // (told at the end: an anchor further on, or none at all)
      else if (!done.has(node.source)) early.push({ node, source: node.source, path });
      continue;
    }
    if (!isNode(node)) continue;
    if (depth > MAX_SPEC_DEPTH) {
      issue(
        "yaml-too-deep",
        node,
        `the ${what} nests deeper than ${MAX_SPEC_DEPTH} levels, the limit for a ${what}`,
      );
      break;
    }
    const anchor = node.anchor;
    if (anchor) {
      open.add(anchor);
      done.delete(anchor);
      stack.push({ close: anchor });
    }
    if (isMap(node)) {
      const keys = new Map<string, unknown>();
      const children: Step[] = [];
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        // A merge key would hide where a value came from: the spec takes plain data only.
        if (key === "<<" && isScalar(pair.key) && pair.key.type === "PLAIN")
          issue(
            "yaml-merge-key",
            pair.key,
            "YAML merge keys (<<) are not read: a spec's values stand where they are written; repeat the fields here, or alias the whole mapping (*name) where it is the same",
            path,
          );
        else if (key === undefined && pair.key !== null)
          // (the parser would make text of it, with a warning on the console)
          issue(
            "yaml-complex-key",
            pair.key,
            `a key must be plain text, not ${isSeq(pair.key) ? "a list" : isMap(pair.key) ? "a mapping" : "an alias (*name)"}; write the key as text`,
            path,
          );
        else if (key !== undefined) {
          const first = keys.get(key);
          if (first !== undefined) {
            const line = rangeOf(first, at)?.line;
            issue(
              duplicateCode,
              pair.key,
              `duplicate key ${quoted(key)}${line ? ` (first at line ${line})` : ""}; map keys must be unique`,
              path,
            );
          } else keys.set(key, pair.key);
        }
        const childPath: Link = key === undefined ? path : { key, up: path };
        children.push(
          { node: pair.key, depth: depth + 1, path },
          { node: pair.value, depth: depth + 1, path: childPath },
        );
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--)
        stack.push({ node: node.items[i], depth: depth + 1, path: { key: i, up: path } });
    }
  }
  for (const { node, source, path } of early)
    issue(
      "yaml-alias",
      node,
      done.has(source)
        ? `the alias *${source} is used before its anchor &${source}; define the anchor first`
        : `the alias *${source} names no anchor: no &${source} in the ${what}`,
      path,
    );
  return issues;
}

/** Spec text only the documents show: no OpenStack database stores it. */
const DOCUMENTS_ONLY = [
  "metadata",
  "suppressions",
  "sites.*.description",
  "sites.*.region",
  "legacyUnix.systems.*.os",
  "legacyUnix.systems.*.description",
];

/** Validates parsed data against a zod schema; every issue is reported with its position. */
export function validateWith<T extends z.ZodType>(
  schema: T,
  parsed: ParsedYaml,
  file: string,
  what = "spec",
): z.output<T> {
  // Credentials in URLs (never repeated), cdktf token markers and invisible characters are
  // refused wherever they are.
  const secrets = textIssues(
    parsed.data,
    what === "spec" ? { documentsOnly: DOCUMENTS_ONLY } : { of: what },
  ).map((i) => ({
    ...i,
    location: parsed.locate(i.path),
  }));
  // A run parses its spec once: compiling zod's fast path (a new Function per object schema)
  // would cost more than it saves.
  const result = schema.safeParse(parsed.data, { jitless: true, error: schemaMessage });
  if (!result.success || secrets.length)
    throw UserError.fromIssues(
      file,
      [
        ...secrets,
        ...(result.error ? zodIssues(parsed.data, result.error.issues, parsed.locate, schema) : []),
      ],
      what,
    );
  return result.data;
}

/** A spec that passed the schema and the semantic rules, with its warnings located. */
export interface CheckedSpec {
  readonly spec: Spec;
  readonly warnings: readonly SpecIssue[];
}

/** Schema, then semantic rules; every error with its position. Throws UserError on any error. */
export function checkSpecDocument(parsed: ParsedYaml, file: string): CheckedSpec {
  const spec = defaultServices(validateWith(specSchema, parsed, file), parsed.data);
  const issues = checkSpec(spec).map((i) => ({ ...i, location: parsed.locate(i.path) }));
  if (issues.some((i) => i.severity === "error"))
    throw UserError.fromIssues(file, markSuppressed(spec, spec.suppressions, issues));
  return { spec, warnings: issues };
}

/**
 * The default service list takes Cinder only into a design with volume backends or backups:
 * Kolla-Ansible refuses to deploy Cinder without a backend. A list the spec writes is its own.
 */
function defaultServices(spec: Spec, data: unknown): Spec {
  const written = (data as { controlPlane?: { services?: unknown } } | null)?.controlPlane;
  if (
    (typeof written === "object" && written !== null && written.services !== undefined) ||
    spec.storage.backends.length > 0 ||
    spec.storage.backup !== undefined
  )
    return spec;
  const services = spec.controlPlane.services.filter((s) => s !== "cinder");
  return { ...spec, controlPlane: { ...spec.controlPlane, services } };
}

/** Unknown keys of one file that get a "did you mean". */
const MAX_KEY_HINTS = 100;

function zodIssues(
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
  locate: ParsedYaml["locate"],
  schema: z.ZodType,
): SpecIssue[] {
  const out: SpecIssue[] = [];
  // The keys an object takes, once per path; hints for the first unknown keys only (a file of
  // thousands would take seconds to weigh, and no one reads so many).
  const known = new Map<string, string[]>();
  let hints = MAX_KEY_HINTS;
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        // `{ custom: MES, ERP }` reads as two keys, the second with no value: a comma split it.
        const split = /\s/.test(key) && valueAt(data, [...path, key]) === null;
        const where = JSON.stringify(path);
        if (!split && hints > 0 && !known.has(where)) known.set(where, keysAt(schema, path));
        const meant = split || hints-- <= 0 ? undefined : closestKey(key, known.get(where)!);
        out.push({
          code: "unknown-key",
          path: [...path, key],
          severity: "error",
          message: `unknown key ${quoted(key)}${split ? '; a comma ends an unquoted value inside { }: quote the whole value ("a, b")' : meant ? `; did you mean ${JSON.stringify(meant)}?` : ""}`,
          location: locate([...path, key], { key: true }),
        });
      }
      continue;
    }
    if (issue.code === "invalid_union" && issue.message === UNION) {
      out.push(...zodIssues(data, unionBranchIssues(issue), locate, schema));
      continue;
    }
    // (a field's own type text, `expected text`, says nothing of its absence)
    const missing =
      issue.code === "invalid_type" &&
      !issue.message.startsWith("missing required field") &&
      path.length > 0 &&
      !hasPath(data, path);
    out.push({
      code: `schema-${issue.code.replace(/_/g, "-")}`,
      path,
      severity: "error",
      message: missing ? `missing required field (${issue.message})` : issue.message,
      location: locate(path),
    });
  }
  return out;
}

/**
 * Position of the deepest node that exists on the path; keys point at the key itself. A string
 * segment picks the array element of that `name` or `id` (policy targets name elements).
 */
function locateNode(
  doc: Document,
  path: readonly (string | number)[],
  at: (offset: number) => SpecLocation,
  index: WeakMap<YAMLMap, Map<string, Pair>>,
  options?: { readonly key?: boolean },
): SpecLocation | undefined {
  let node: unknown = doc.contents;
  let best: SpecLocation | undefined = rangeOf(node, at);
  for (const [n, segment] of path.entries()) {
    if (isMap(node)) {
      // Each map is indexed once, so locating many issues stays linear.
      let keys = index.get(node);
      if (!keys) {
        keys = new Map();
        for (const p of node.items) {
          if (isScalar(p.key) && !keys.has(String(p.key.value))) keys.set(String(p.key.value), p);
        }
        index.set(node, keys);
      }
      const pair = keys.get(String(segment));
      if (!pair) break;
      best = rangeOf(pair.key, at) ?? best;
      if (options?.key && n === path.length - 1) break;
      node = pair.value;
      if (!isMap(node) && !isSeq(node)) best = rangeOf(node, at) ?? best;
    } else if (isSeq(node)) {
      const item = typeof segment === "number" ? node.items[segment] : namedItem(node, segment);
      if (item === undefined) break;
      node = item;
      best = rangeOf(node, at) ?? best;
    } else break;
  }
  return best;
}

/** The element of a sequence of maps whose `name` or `id` is `name` (or whose name has that slug). */
function namedItem(seq: YAMLSeq, name: string): unknown {
  const field = (item: unknown, key: string) => {
    const value = isMap(item) ? item.get(key) : undefined;
    return typeof value === "string" ? value : undefined;
  };
  return (
    seq.items.find((item) => field(item, "id") === name || field(item, "name") === name) ??
    seq.items.find((item) => {
      const itemName = field(item, "name");
      return field(item, "id") === undefined && itemName !== undefined && slug(itemName) === name;
    })
  );
}

function rangeOf(node: unknown, at: (offset: number) => SpecLocation): SpecLocation | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? at(range[0]) : undefined;
}

/** True when the key at the end of the path is present in the parsed document. */
/** The value at a path of plain data; undefined where the path leads nowhere. */
function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function hasPath(data: unknown, path: readonly (string | number)[]): boolean {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object" || !(segment in (node as object))) return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return true;
}

const firstLine = (s: string) => s.split("\n")[0].trim();
