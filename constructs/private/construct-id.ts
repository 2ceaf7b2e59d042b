import { createHash } from "crypto";

/**
 * A construct id for free text (container, group or CIDR names): kept as is when it is already
 * path-safe, otherwise made safe and suffixed with a hash so that two texts never collide and the
 * Terraform address stays the same for the same text.
 *
 * Give the result a fixed prefix (`container-`, `group-`): a bare id such as `constructor` or
 * `__proto__` is a member of every JavaScript object and cannot name a construct.
 */
export function stableId(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9_-]/g, "_");
  return safe === text
    ? text
    : `${safe}_${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}

/**
 * A construct id for several names together. Joining them with '-' is ambiguous (flow `a-b` and
 * system `c` against flow `a` and system `b-c`), so the parts are joined as a JSON array, which
 * no two different lists of names share.
 */
export function stableIdOf(parts: readonly string[]): string {
  return stableId(JSON.stringify(parts));
}
