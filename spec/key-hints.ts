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
