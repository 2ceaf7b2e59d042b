import type { z } from "zod";

/** The parts of zod's schema definitions the walk reads. */
interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas a value at `path` may match: every option of a union on the way. */
function schemasAt(schema: z.ZodType, path: readonly (string | number)[]): z.ZodType[] {
  let current = [schema];
  for (const segment of [...path, undefined]) {
    const unwrapped: z.ZodType[] = [];
    const unwrap = (s: z.ZodType, depth: number) => {
      const def = defOf(s);
      if (depth > 20) return;
      if (def.innerType) unwrap(def.innerType, depth + 1);
      else if (def.type === "pipe" && def.in) unwrap(def.in, depth + 1);
      else if (def.type === "lazy" && def.getter) unwrap(def.getter(), depth + 1);
      else if (def.options) for (const o of def.options) unwrap(o, depth + 1);
      else if (def.left && def.right)
        for (const side of [def.left, def.right]) unwrap(side, depth + 1);
      else unwrapped.push(s);
    };
    for (const s of current) unwrap(s, 0);
    if (segment === undefined) return unwrapped;
    current = unwrapped.flatMap((s) => {
      const def = defOf(s);
      if (def.type === "object" && typeof segment === "string" && def.shape?.[segment])
        return [def.shape[segment]];
      if (def.type === "array" && typeof segment === "number" && def.element) return [def.element];
      if (def.type === "record" && def.valueType) return [def.valueType];
      return [];
    });
  }
  return current;
}

/** The keys an object at `path` takes, by the schema. */
export function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const def = defOf(s);
    if (def.type === "object") for (const k of Object.keys(def.shape ?? {})) keys.add(k);
  }
  return [...keys];
}

/**
 * Edits (insert, delete, replace, swap two neighbours) from one word to another, case aside, or
 * more than `limit` once that is certain: each row's least cost only grows.
 */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j] + 1,
        row[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    if (Math.min(...row) > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

/**
 * The key an unknown one most likely meant: the same key in another case (`unitprice`), else
 * the one fewest edits away within a quarter of its length (`cpuAllocationRation`), else one it
 * starts or is the start of (`ram` for `ramGiB`, `taxes` for `tax`); none when no key is close
 * or two are equally close.
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  if (unknown.length > 64) return undefined;
  const lower = unknown.toLowerCase();
  const same = known.find((k) => k.toLowerCase() === lower);
  if (same) return same;
  const limit = Math.max(1, Math.floor(unknown.length / 4));
  const scored = known
    .map((k) => ({ k, d: distance(lower, k.toLowerCase(), limit) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d);
  if (scored.length)
    return scored.length > 1 && scored[1].d === scored[0].d ? undefined : scored[0].k;
  const prefixed = known.filter((k) => {
    const l = k.toLowerCase();
    return Math.min(l.length, lower.length) >= 3 && (l.startsWith(lower) || lower.startsWith(l));
  });
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
