import * as fs from "fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { specSchema, type Spec } from "./schema";
import { checkSpec } from "./rules";
import { UserError, type SpecIssue, type SpecLocation } from "../core/errors";

/** Larger specs are refused before parsing: a hand-written design is far smaller. */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/** A parsed YAML (or JSON) document and a way to find the line of any path in it. */
export interface ParsedYaml {
  readonly data: unknown;
  readonly locate: (path: readonly (string | number)[]) => SpecLocation | undefined;
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
    throw new UserError(
      `${file}: ${stat.size} bytes is larger than the ${MAX_SPEC_BYTES}-byte limit for a ${what}`,
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
    throw new UserError(`${file}: not UTF-8 text`);
  }
  return parseYaml(text, file, what);
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
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const message =
    code !== undefined && Object.hasOwn(READ_ERRORS, code)
      ? READ_ERRORS[code]
      : `cannot be read (${code ?? firstLine(String((e as Error | undefined)?.message ?? e))})`;
  return new UserError(`${file}: ${message}`);
}

/** Maximum alias expansions in one document; more is refused as a "billion laughs" attack. */
const MAX_ALIAS_COUNT = 100;

/** Parses YAML text of plain data (no custom tags or merge keys, bounded aliases). */
export function parseYaml(text: string, file = "<spec>", what = "spec"): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    // Only plain data: no custom tags, no merge keys that hide where a value came from.
    schema: "core",
    merge: false,
    strict: true,
  });
  const at = (offset: number): SpecLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  // The yaml package only warns about a tag it cannot resolve and keeps the plain value; a spec
  // holds plain data, so an unknown tag (`!foo`, `!!js/function`) is an error.
  const tagIssues = doc.warnings
    .filter((w) => w.code === "TAG_RESOLVE_FAILED")
    .map((w) => ({
      code: "yaml-tag",
      path: [],
      severity: "error" as const,
      message: `${firstLine(w.message).replace(/^Unresolved tag: /, "unsupported YAML tag ")}; the ${what} holds plain data only, remove the tag`,
      location: at(w.pos[0]),
    }));
  const syntaxIssues = doc.errors.map((e) => ({
    code: "yaml-syntax",
    path: [],
    severity: "error" as const,
    message: firstLine(e.message),
    location: at(e.pos[0]),
  }));
  if (syntaxIssues.length || tagIssues.length) {
    throw UserError.fromIssues(file, [...syntaxIssues, ...tagIssues], what);
  }
  let data: unknown;
  try {
    // Alias expansion is bounded so a "billion laughs" document cannot exhaust memory.
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = firstLine((e as Error).message);
    throw new UserError(
      /alias count/i.test(message)
        ? `${file}: the ${what} expands YAML aliases (*name) beyond the alias-expansion limit of ${MAX_ALIAS_COUNT}; write the repeated parts out or use fewer aliases`
        : `${file}: ${message}`,
    );
  }
  if (data === null || data === undefined) throw new UserError(`${file}: the ${what} is empty`);
  return { data, locate: (path) => locateNode(doc, path, at) };
}

/** Validates parsed data against a zod schema; every issue is reported with its position. */
export function validateWith<T extends z.ZodType>(
  schema: T,
  parsed: ParsedYaml,
  file: string,
  what = "spec",
): z.output<T> {
  const result = schema.safeParse(parsed.data);
  if (!result.success)
    throw UserError.fromIssues(
      file,
      zodIssues(parsed.data, result.error.issues, parsed.locate),
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
  const spec = validateWith(specSchema, parsed, file);
  const issues = checkSpec(spec).map((i) => ({ ...i, location: parsed.locate(i.path) }));
  if (issues.some((i) => i.severity === "error")) throw UserError.fromIssues(file, issues);
  return { spec, warnings: issues };
}

function zodIssues(
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
  locate: (path: readonly (string | number)[]) => SpecLocation | undefined,
): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          code: "unknown-key",
          path: [...path, key],
          severity: "error",
          message: `unknown key ${JSON.stringify(key)}`,
          location: locate([...path, key]),
        });
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === "invalid_type" && path.length > 0 && !hasPath(data, path)) {
      message = `missing required field (${issue.message.replace(/^Invalid input: /, "").replace(/, received undefined$/, "")})`;
    }
    out.push({
      code: `schema-${issue.code.replace(/_/g, "-")}`,
      path,
      severity: "error",
      message,
      location: locate(path),
    });
  }
  return out;
}

/** Position of the deepest node that exists on the path; keys point at the key itself. */
function locateNode(
  doc: Document,
  path: readonly (string | number)[],
  at: (offset: number) => SpecLocation,
): SpecLocation | undefined {
  let node: unknown = doc.contents;
  let best: SpecLocation | undefined = rangeOf(node, at);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) break;
      best = rangeOf(pair.key, at) ?? best;
      node = pair.value;
      if (!isMap(node) && !isSeq(node)) best = rangeOf(node, at) ?? best;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      best = rangeOf(node, at) ?? best;
    } else break;
  }
  return best;
}

function rangeOf(node: unknown, at: (offset: number) => SpecLocation): SpecLocation | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? at(range[0]) : undefined;
}

/** True when the key at the end of the path is present in the parsed document. */
function hasPath(data: unknown, path: readonly (string | number)[]): boolean {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object" || !(segment in (node as object))) return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return true;
}

const firstLine = (s: string) => s.split("\n")[0].trim();
