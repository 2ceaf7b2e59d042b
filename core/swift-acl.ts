/** Swift's referrer designators: `.ref`, `.referer` and `.referrer` all mean `.r`. */
const REFERRER = new Set([".r", ".ref", ".referer", ".referrer"]);

export type SwiftAclEntry =
  { readonly value: string; readonly referrer: boolean } | { readonly problem: string };

/**
 * One element of a container ACL as Swift stores it (swift.common.middleware.acl.clean_acl):
 * referrers shortened to `.r:` and `*.example.com` to `.example.com`. The provider reads the
 * stored header back, so anything else written would differ from it on every plan.
 */
export function cleanSwiftAclEntry(entry: string, header: "read" | "write"): SwiftAclEntry {
  const raw = entry.trim();
  const colon = raw.indexOf(":");
  if (colon < 0) return { value: raw, referrer: false };
  const first = raw.slice(0, colon).trim();
  let second = raw.slice(colon + 1).trim();
  if (!first.startsWith(".")) return { value: raw, referrer: false };
  if (!REFERRER.has(first)) return { problem: `${first} is not a Swift ACL designator` };
  if (header === "write") return { problem: "Swift refuses referrers in a write ACL" };
  const negate = second.startsWith("-");
  if (negate) second = second.slice(1).trim();
  if (second !== "*" && second.startsWith("*")) second = second.slice(1).trim();
  if (!second || second === ".") return { problem: "a referrer needs a host or domain" };
  return { value: `.r:${negate ? "-" : ""}${second}`, referrer: true };
}
