/**
 * JSON with object keys sorted, indented by two spaces: byte for byte what cdktf writes for a
 * stack (its bundled json-stable-stringify), including `{\n}` for empty objects and arrays.
 */
export function stableJson(value: unknown): string {
  return write(value, "") ?? "null";
}

function write(value: unknown, indent: string): string | undefined {
  const node =
    value && typeof (value as { toJSON?: unknown }).toJSON === "function"
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  if (node === undefined || typeof node === "function" || typeof node === "symbol") {
    return undefined;
  }
  if (typeof node !== "object" || node === null) return JSON.stringify(node);
  const inner = `${indent}  `;
  const parts: string[] = [];
  if (Array.isArray(node)) {
    for (const item of node) parts.push(`\n${inner}${write(item, inner) ?? "null"}`);
    return `[${parts.join(",")}\n${indent}]`;
  }
  for (const key of Object.keys(node).sort()) {
    const text = write((node as Record<string, unknown>)[key], inner);
    if (text !== undefined) parts.push(`\n${inner}${JSON.stringify(key)}: ${text}`);
  }
  return `{${parts.join(",")}\n${indent}}`;
}

/** The same value as plain JSON data with keys in the order `stableJson` writes them. */
export function stableClone(value: unknown): unknown {
  const node =
    value && typeof (value as { toJSON?: unknown }).toJSON === "function"
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  if (typeof node !== "object" || node === null) return node;
  if (Array.isArray(node)) {
    return node.map((item) => {
      const v = stableClone(item);
      return v === undefined || typeof v === "function" || typeof v === "symbol" ? null : v;
    });
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node).sort()) {
    const v = stableClone((node as Record<string, unknown>)[key]);
    if (v !== undefined && typeof v !== "function" && typeof v !== "symbol") out[key] = v;
  }
  return out;
}
