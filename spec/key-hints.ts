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

/** Edits (insert, delete, replace, swap two neighbours) from one word to another, case aside. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/**
 * The key an unknown one most likely meant: a known key a few edits away (`cpuAllocationRation`),
 * or one it starts or is the start of (`ram` for `ramGiB`, `taxes` for `tax`); none when no key
 * is close or two are equally close.
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  if (unknown.length > 64) return undefined;
  const lower = unknown.toLowerCase();
  const scored = known.map((k) => {
    const l = k.toLowerCase();
    const prefix = l.startsWith(lower) || lower.startsWith(l);
    return {
      k,
      score: prefix && Math.min(l.length, lower.length) >= 3 ? 0.5 : distance(unknown, k),
    };
  });
  const limit = Math.max(1, Math.floor(unknown.length / 4));
  const close = scored.filter((s) => s.score <= limit).sort((a, b) => a.score - b.score);
  if (!close.length || (close.length > 1 && close[1].score === close[0].score)) return undefined;
  return close[0].k;
}
