import { formatPath } from "../../core/errors";
import { parseCidr } from "../../core/net";
import type { PoolModel } from "../../model/types";

/**
 * Spec paths for model findings. Array elements are named by their `name` (or tenant id), not
 * their index: the resolved model is sorted, and a suppression must survive reordering the spec.
 */
export const specPath = (...segments: readonly string[]): string => formatPath(segments);

export const poolPath = (pool: PoolModel, field?: string): string =>
  specPath("zones", pool.zone, "pools", pool.name, ...(field ? [field] : []));

/** True for a prefix that covers every address: 0.0.0.0/0, ::/0 and their spellings. */
export function isAnywhere(prefix: unknown): boolean {
  if (typeof prefix !== "string") return false;
  try {
    return parseCidr(prefix.trim()).prefix === 0;
  } catch {
    return false;
  }
}

/** `a, b and c` */
export function list(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
