/**
 * JSON specs are parsed with JSON.parse, many times faster than composing them as YAML with
 * positions. JSON.parse keeps the last of duplicate keys and recurses without a depth limit,
 * so one linear scan first checks both; text that fails the scan or JSON.parse goes the YAML
 * way, which reports the problem with its line.
 */
export function parseJsonFast(text: string, maxDepth: number): { data: unknown } | undefined {
  if (!/^\s*\{/.test(text) || !plainJson(text, maxDepth)) return undefined;
  try {
    return { data: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** No duplicate key in any object, and nesting no deeper than `maxDepth`. */
export function plainJson(text: string, maxDepth: number): boolean {
  const frames: { keys: Set<string> | undefined; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      const frame = frames[frames.length - 1];
      if (frame?.keys && frame.expectKey) {
        let key: string;
        try {
          // Only a key with escapes needs decoding to be compared.
          key = escaped
            ? (JSON.parse(text.slice(start, i + 1)) as string)
            : text.slice(start + 1, i);
        } catch {
          return false;
        }
        if (frame.keys.has(key)) return false;
        frame.keys.add(key);
        frame.expectKey = false;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (frames.length >= maxDepth) return false;
      frames.push({ keys: c === 0x7b ? new Set() : undefined, expectKey: c === 0x7b });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
    } else if (c === 0x2c /* , */) {
      const frame = frames[frames.length - 1];
      if (frame?.keys) frame.expectKey = true;
    }
  }
  return true;
}

/** One object or array of the text: where each member's key (objects) and value begin. */
interface Container {
  readonly keys?: Map<string, { key: number; value: number }>;
  readonly items?: number[];
}

/**
 * Offsets of paths in JSON text that `parseJsonFast` accepted, found without composing the text
 * as YAML: the deepest value that exists on the path, a key pointing at the key itself, as the
 * YAML locator answers. A string segment in an array picks the element of that `id` or `name`
 * (or whose name has that slug), read from the parsed data. Each container is indexed once, when
 * a path first enters it, so locating many paths stays linear in the text.
 */
export function jsonLocator(
  text: string,
  data: unknown,
  slug: (name: string) => string | undefined,
): (
  path: readonly (string | number)[],
  options?: { readonly key?: boolean },
) => number | undefined {
  const containers = new Map<number, Container>();
  const skipSpace = (i: number) => {
    while (i < text.length && /\s/.test(text[i])) i++;
    return i;
  };
  /** Offset just past the value that starts at `i`. */
  const skipValue = (i: number): number => {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === '"') return i + 1;
      }
      return i;
    }
    if (c === "{" || c === "[") {
      let depth = 0;
      for (; i < text.length; i++) {
        const d = text[i];
        if (d === '"') i = skipValue(i) - 1;
        else if (d === "{" || d === "[") depth++;
        else if (d === "}" || d === "]") {
          depth--;
          if (depth === 0) return i + 1;
        }
      }
      return i;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    return i;
  };
  const indexOf = (start: number): Container => {
    const known = containers.get(start);
    if (known) return known;
    const object = text[start] === "{";
    const keys = new Map<string, { key: number; value: number }>();
    const items: number[] = [];
    let i = skipSpace(start + 1);
    while (i < text.length && text[i] !== "}" && text[i] !== "]") {
      if (object) {
        const key = i;
        const end = skipValue(i);
        const name = JSON.parse(text.slice(key, end)) as string;
        i = skipSpace(skipSpace(end) + 1); // past the colon
        keys.set(name, { key, value: i });
      } else items.push(i);
      i = skipSpace(skipValue(i));
      if (text[i] === ",") i = skipSpace(i + 1);
    }
    const container = object ? { keys } : { items };
    containers.set(start, container);
    return container;
  };
  const field = (item: unknown, key: string) => {
    const value =
      item && typeof item === "object" ? (item as Record<string, unknown>)[key] : undefined;
    return typeof value === "string" ? value : undefined;
  };
  const namedIndex = (list: readonly unknown[], name: string) => {
    const exact = list.findIndex((v) => field(v, "id") === name || field(v, "name") === name);
    if (exact >= 0) return exact;
    return list.findIndex((v) => {
      const itemName = field(v, "name");
      return field(v, "id") === undefined && itemName !== undefined && slug(itemName) === name;
    });
  };
  return (path, options) => {
    let at = skipSpace(0);
    let best: number | undefined = at;
    let value: unknown = data;
    for (const [n, segment] of path.entries()) {
      const c = text[at];
      if (c === "{") {
        const member = indexOf(at).keys?.get(String(segment));
        if (!member) break;
        best = member.key;
        // (the key itself, not its value, where the key is what is wrong)
        if (options?.key && n === path.length - 1) break;
        at = member.value;
        value = (value as Record<string, unknown>)[String(segment)];
        if (text[at] !== "{" && text[at] !== "[") best = at;
      } else if (c === "[") {
        const list = value as unknown[];
        const index = typeof segment === "number" ? segment : namedIndex(list, segment);
        const offset = indexOf(at).items?.[index];
        if (offset === undefined) break;
        at = offset;
        best = at;
        value = list[index];
      } else break;
    }
    return best;
  };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * The offset of the first character that makes the text not JSON (RFC 8259), or `undefined`
 * for JSON: V8's own messages do not always say where. A loop, not recursion, so no nesting
 * depth overflows it.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const open: string[] = [];
  type Expect = "value" | "value-or-end" | "key" | "key-or-end" | "colon" | "next";
  let expect: Expect = "value";
  let i = 0;
  for (;;) {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
    const c = text[i];
    if (expect === "next") {
      const top = open[open.length - 1];
      if (top === undefined) return i < text.length ? i : undefined;
      if (c === ",") expect = top === "{" ? "key" : "value";
      else if (c === (top === "{" ? "}" : "]")) open.pop();
      else return i;
      i++;
    } else if (expect === "colon") {
      if (c !== ":") return i;
      expect = "value";
      i++;
    } else if ((expect === "key-or-end" && c === "}") || (expect === "value-or-end" && c === "]")) {
      open.pop();
      expect = "next";
      i++;
    } else if (c === '"') {
      const key: boolean = expect === "key" || expect === "key-or-end";
      // A string: no raw control characters, only JSON's escapes.
      for (i++; ;) {
        if (i >= text.length || text.charCodeAt(i) < 0x20) return i;
        if (text[i] === '"') break;
        if (text[i] === "\\") {
          ESCAPE.lastIndex = i;
          if (!ESCAPE.test(text)) return i;
          i = ESCAPE.lastIndex;
        } else i++;
      }
      i++;
      expect = key ? "colon" : "next";
    } else if (expect === "key" || expect === "key-or-end") {
      return i;
    } else if (c === "{" || c === "[") {
      open.push(c);
      expect = c === "{" ? "key-or-end" : "value-or-end";
      i++;
    } else {
      const literal = ["true", "false", "null"].find((w) => text.startsWith(w, i));
      if (literal) i += literal.length;
      else {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return i;
        i = NUMBER.lastIndex;
      }
      expect = "next";
    }
  }
}
