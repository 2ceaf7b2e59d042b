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
function plainJson(text: string, maxDepth: number): boolean {
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
