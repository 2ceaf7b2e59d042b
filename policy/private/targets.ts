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
    return parseCidr(asNeutronPrefix(prefix)).prefix === 0;
  } catch {
    return false;
  }
}

/**
 * A prefix as Neutron stores it: its API passes remote_ip_prefix through netaddr, which takes an
 * IPv4 address of fewer parts or with leading zeros (`0/0` is 0.0.0.0/0, `10/8` 10.0.0.0/8) and
 * an address alone as a host. Text it would refuse stays as written.
 */
export function asNeutronPrefix(prefix: string): string {
  const text = prefix.trim();
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){0,3})(?:\/(\d{1,3}))?$/.exec(text);
  if (!v4) return text.includes("/") || !text.includes(":") ? text : `${text}/128`;
  const parts = v4[1].split(".").map(Number);
  if (parts.some((p) => p > 255)) return text;
  while (parts.length < 4) parts.push(0);
  return `${parts.join(".")}/${v4[2] === undefined ? 32 : Number(v4[2])}`;
}

/** A boolean as Terraform converts one from a string (`"1"`, `"false"`); undefined otherwise. */
export function asBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  return undefined;
}

/** A nested block's bodies: Terraform's JSON takes one object or a list of them. */
export const blockList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];

/** Reverses synth/escape's tfLiteral, so a name in a stack compares with the model's. */
export const literalText = (text: string): string =>
  text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

/** `a, b and c` */
export function list(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
