/** `a, b, c and 4 more`: the first `shown` of a list named in a message, and how many follow. */
export function someOf(items: readonly string[], shown = 3): string {
  return items.length > shown
    ? `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`
    : items.join(", ");
}
