import type { Spec } from "../schema";
import type { Findings } from "./findings";

/** Keystone's built-in domain, which exists in every cloud and cannot be created again. */
const BUILT_IN_DOMAIN = "default";

/** Domains the design may create and directory URLs Keystone can connect to. */
export function identity(spec: Spec, f: Findings) {
  spec.identity.domains.forEach((d, i) => {
    if (d.name === BUILT_IN_DOMAIN)
      f.error(
        "name-reserved",
        ["identity", "domains", i, "name"],
        `"${BUILT_IN_DOMAIN}" is Keystone's built-in domain, which exists already and cannot be created again; remove it from identity.domains (tenants and mappings may name it without declaring it)`,
      );
    if (!d.ldap) return;
    let url: URL | undefined;
    try {
      url = new URL(d.ldap.url);
    } catch {
      url = undefined;
    }
    if (!url || !url.hostname || url.port === "0")
      f.error(
        "ldap-url",
        ["identity", "domains", i, "ldap", "url"],
        `${JSON.stringify(d.ldap.url)} is not an LDAP URL with a host (ldap://host[:port] or ldaps://host[:port])`,
      );
  });
}
