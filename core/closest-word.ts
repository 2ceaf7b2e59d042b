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
