import { formatPath } from "../../core/errors";
import { addressToBigInt, parseCidr } from "../../core/net";
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
 * IPv4 address of fewer parts or with leading zeros (`0/0` is 0.0.0.0/0, `10/8` 10.0.0.0/8), a
 * netmask or host mask for the length (`0.0.0.0/0.0.0.0`, `::/::`), a length as Python's int()
 * reads it (`+0`, `-0`, ` 0`, `0_0`) and an address alone as a host. Text it would refuse stays
 * as written.
 */
export function asNeutronPrefix(prefix: string): string {
  const text = prefix.trim();
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash).trim();
  const suffix = slash < 0 ? undefined : text.slice(slash + 1).trim();
  const v6 = address.includes(":");
  const base = v6 ? address : ipv4Parts(address);
  if (base === undefined) return text;
  const bits = v6 ? 128 : 32;
  const length = suffix === undefined ? bits : maskLength(suffix, v6, bits);
  return length === undefined ? text : `${base}/${length}`;
}

/** An IPv4 address of one to four decimal parts, as netaddr completes it. */
function ipv4Parts(text: string): string | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){0,3}$/.test(text)) return undefined;
  const parts = text.split(".").map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  while (parts.length < 4) parts.push(0);
  return parts.join(".");
}

/** A prefix length written as a number, a netmask or a host mask. */
function maskLength(text: string, v6: boolean, bits: number): number | undefined {
  // (as Python's int() reads it: a sign, digits grouped by underscores)
  if (/^[+-]?\d+(_\d+)*$/.test(text)) {
    // (`-0` is 0, as int() reads it)
    const n = Math.abs(Number(text.replace(/_/g, "")));
    return text.startsWith("-") && n !== 0 ? undefined : n <= bits ? n : undefined;
  }
  // (a mask is a whole address: four parts in IPv4)
  const mask = v6 ? text : text.split(".").length === 4 ? ipv4Parts(text) : undefined;
  let value: bigint;
  try {
    if (mask === undefined) return undefined;
    value = addressToBigInt(mask);
  } catch {
    return undefined;
  }
  const binary = value.toString(2).padStart(bits, "0");
  if (/^1*0*$/.test(binary)) return binary.indexOf("0") < 0 ? bits : binary.indexOf("0");
  if (/^0*1*$/.test(binary)) return binary.indexOf("1") < 0 ? bits : binary.indexOf("1");
  return undefined;
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
