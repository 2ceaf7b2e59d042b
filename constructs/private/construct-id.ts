import { createHash } from "crypto";

/**
 * A construct id for free text (container, group or CIDR names): kept as is when it is already
 * path-safe, otherwise made safe and suffixed with a hash so that two texts never collide and the
 * Terraform address stays the same for the same text.
 */
export function stableId(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9_-]/g, "_");
  return safe === text
    ? text
    : `${safe}_${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}
