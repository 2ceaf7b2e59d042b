import type { z } from "zod";

/**
 * The schema's checks that carry no text of their own speak the spec author's words here, not
 * zod's (`Too small: expected number to be >0`, `Invalid key in record`).
 */

const KINDS: Readonly<Record<string, string>> = {
  array: "a list",
  tuple: "a list",
  set: "a list",
  object: "a mapping of keys",
  record: "a mapping of keys",
  map: "a mapping of keys",
  string: "text",
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  boolean: "true or false",
  date: "a date",
  null: "nothing",
};

const kind = (expected: string) => KINDS[expected] ?? expected;

/** A value as its author wrote it, short. */
export function shown(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return value.length ? "a list" : "an empty list";
  switch (typeof value) {
    case "string": {
      const text = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return value === "" ? "empty text" : `text ${JSON.stringify(text)}`;
    }
    case "number":
    case "boolean":
      return String(value);
    case "object":
      return "a mapping of keys";
    default:
      return typeof value;
  }
}

/** Marks a union's issue with no text of its own: its likeliest branch speaks for it. */
export const UNION = "\u0000union";

const SIZED: Readonly<Record<string, string>> = {
  string: "characters",
  array: "items",
  set: "items",
};

/** The message of an issue the schema gives no text for (zod's per-parse error map). */
export function schemaMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const got = issue.input === undefined ? "" : `, got ${shown(issue.input)}`;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `missing required field (expected ${kind(issue.expected)})`
        : `expected ${kind(issue.expected)}${got}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}${got}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${got}`;
    case "too_small":
    case "too_big": {
      const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const unit = SIZED[issue.origin];
      if (unit)
        return `expected ${issue.code === "too_small" ? "at least" : "at most"} ${bound} ${bound === 1 ? unit.slice(0, -1) : unit}`;
      const words =
        issue.code === "too_small"
          ? issue.inclusive
            ? "at least"
            : "more than"
          : issue.inclusive
            ? "at most"
            : "less than";
      return `expected ${words} ${bound}${got}`;
    }
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}${got}`;
    case "invalid_format":
      return `expected ${issue.format === "regex" ? "text of the form the field takes" : issue.format}${got}`;
    case "invalid_key":
      return `not a key this mapping takes${issue.issues[0] ? `: ${issue.issues[0].message}` : ""}`;
    case "invalid_union": {
      // (a discriminated union whose key matches no branch: the issue is at the key)
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator === undefined) return UNION;
      const value = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
      const names = (options ?? []).map((o) => JSON.stringify(o)).join(", ");
      return value === undefined
        ? `missing required field (expected one of ${names})`
        : `expected one of ${names}, got ${shown(value)}`;
    }
    default:
      return undefined;
  }
}

type Issue = z.core.$ZodIssue;

/**
 * The issues of a union's likeliest branch: the one that got deepest into the value, then one
 * whose type matched, then the one with fewest issues. Where no branch took the value's type,
 * one issue names every type the union takes.
 */
export function unionBranchIssues(union: z.core.$ZodIssueInvalidUnion): Issue[] {
  const branches = union.errors.filter((b) => b.length > 0);
  const typeOnly = (b: readonly Issue[]) =>
    b.every((i) => i.code === "invalid_type" && i.path.length === 0);
  if (branches.length > 0 && branches.every(typeOnly)) {
    const kinds = [
      ...new Set(branches.flatMap((b) => b.map((i) => kind((i as { expected: string }).expected)))),
    ];
    const first = branches[0][0];
    const expected = kinds.join(" or ");
    return [
      {
        ...first,
        path: [...union.path, ...first.path],
        message: first.message.startsWith("missing required field")
          ? `missing required field (expected ${expected})`
          : first.message.replace(/^expected .*?(, got |$)/, `expected ${expected}$1`),
      },
    ];
  }
  const depth = (b: readonly Issue[]) => Math.max(...b.map((i) => i.path.length));
  const score = (b: readonly Issue[]) => [depth(b), typeOnly(b) ? 0 : 1, -b.length];
  let best = branches[0] ?? [];
  for (const b of branches.slice(1)) {
    const [x, y] = [score(b), score(best)];
    const i = x.findIndex((v, k) => v !== y[k]);
    if (i >= 0 && x[i] > y[i]) best = b;
  }
  return best.map((i) => ({ ...i, path: [...union.path, ...i.path] }));
}
