import { cleanSwiftAclEntry } from "../../../core/swift-acl";
import type { ConstructRule } from "../../rule";
import { literalText } from "../../private/targets";

/** Swift containers are readable by anyone only when the design says so. */
export const noUndeclaredPublicContainer: ConstructRule = {
  id: "SW-SEC-007",
  scope: "construct",
  severity: "error",
  title: "No Swift container is publicly readable unless the design declares it public",
  help:
    "A referrer ACL (`.r:*` or `.r:<domain>`) in container_read lets anyone who knows the URL " +
    "read, and with .rlistings list, the container without a token. Backups and images must " +
    "never be public; a container meant for public content says so with public: true in " +
    "storage.swift.containers.",
  check(node, _stack, model) {
    if (node.kind !== "resource" || node.type !== "openstack_objectstorage_container_v1") return [];
    const read = typeof node.body.container_read === "string" ? node.body.container_read : "";
    // Read as Swift reads them: `.referrer:*` and `.r :*` grant as `.r:*` does.
    const grants = read
      .split(",")
      .map((entry) => cleanSwiftAclEntry(entry, "read"))
      .flatMap((e) =>
        "referrer" in e && e.referrer && !e.value.startsWith(".r:-") ? [e.value] : [],
      );
    if (grants.length === 0) return [];
    // (by the name written: in Swift the name is the container, which a rename replaces)
    const name = typeof node.body.name === "string" ? literalText(node.body.name) : node.name;
    const declared = model.storage.swift?.containers.find((c) => c.name === name);
    if (declared?.public) return [];
    return [
      {
        target: node.path,
        message: `container ${name} grants public read (${grants.join(",")}) but the design does not declare it public`,
        fix: `remove the referrer ACL, or mark container ${name} public: true in storage.swift.containers`,
      },
    ];
  },
};
