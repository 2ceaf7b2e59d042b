/** `a, b, c and 4 more`: the first `shown` of a list named in a message, and how many follow. */
export function someOf(items: readonly string[], shown = 3): string {
  return items.length > shown
    ? `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`
    : items.join(", ");
}

/** `a`, `a and b`, `a, b and c`: the parts of one sentence's subject. */
export function listed(items: readonly string[]): string {
  return items.length > 1
    ? `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`
    : (items[0] ?? "");
}

/** The first `shown` of a list a document names, then an ellipsis: any language joins them. */
export const firstOf = (items: readonly string[], shown = 6): readonly string[] =>
  items.length > shown ? [...items.slice(0, shown), "…"] : items;
