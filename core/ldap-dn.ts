/**
 * Distinguished names as OpenLDAP's ldap_str2dn reads them (python-ldap's str2dn, which Keystone
 * calls on the tree DNs): RFC 4514, with the LDAPv2 forms it still takes (`;` between parts,
 * quoted values) and spaces around separators. Keystone hands them to the directory unparsed,
 * which refuses a malformed one only when a login binds or searches.
 */

/** OpenLDAP's spaces in a DN (LDAP_DN_ASCII_SPACE): no other white space. */
const SPACE = /[ \t\n\r]/;
/** An attribute type: a descriptor with options, or a numeric OID, then `=`: how a DN starts. */
export const TYPE =
  /^[ \t\n\r]*(?:[A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*|\d+(?:\.\d+)*)[ \t\n\r]*=/;
/** Characters an unquoted value must escape (RFC 4514 section 2.4). */
const MUST_ESCAPE = new Set(['"', "+", ",", ";", "<", ">"]);
/** What may follow a backslash besides two hex digits. */
const ESCAPABLE = new Set(['"', "+", ",", ";", "<", ">", "\\", " ", "#", "=", "\t", "\n", "\r"]);
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Why `text` is no DN, or undefined when it is one. */
export function dnProblem(text: string): string | undefined {
  let i = 0;
  let parts = 0;
  const separator = (c: string | undefined) => c === "," || c === ";";
  for (;;) {
    // One attribute type and value.
    const type = TYPE.exec(text.slice(i));
    if (!type) {
      const rest = text.slice(i).replace(/^[ \t\n\r]+/, "");
      if (rest === "") return parts === 0 ? "it is empty" : "it ends in a separator";
      if (/^[,;+]/.test(rest)) return "two separators hold nothing between them";
      return `${JSON.stringify(rest.split(/[,;+]/)[0])} is no attribute=value pair: a comma inside a value is written \\,`;
    }
    i += type[0].length;
    while (SPACE.test(text[i] ?? "")) i++;
    // Escaped bytes: they must spell UTF-8, as the directory decodes them.
    const bytes: number[] = [];
    const flush = () => {
      if (!bytes.length) return undefined;
      try {
        UTF8.decode(new Uint8Array(bytes.splice(0)));
        return undefined;
      } catch {
        return "its escaped or #hex bytes are no UTF-8 text (python-ldap, which Keystone reads DNs with, decodes them so)";
      }
    };
    if (text[i] === "#") {
      const hex = /^#(?:[0-9A-Fa-f]{2})+/.exec(text.slice(i));
      if (!hex) return `the value at ${JSON.stringify(text.slice(i, i + 12))} is no #hex string`;
      // (python-ldap, which Keystone reads the tree DNs with, decodes the bytes as UTF-8)
      bytes.push(
        ...hex[0]
          .slice(1)
          .match(/../g)!
          .map((x) => parseInt(x, 16)),
      );
      i += hex[0].length;
    } else if (text[i] === '"') {
      // (LDAPv2's quoted value: separators inside it are text)
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      if (i >= text.length) return "a quoted value has no closing quote";
      i++;
    } else {
      for (; i < text.length && !separator(text[i]) && text[i] !== "+"; i++) {
        const c = text[i];
        if (c === "\\") {
          const pair = text.slice(i + 1, i + 3);
          if (/^[0-9A-Fa-f]{2}$/.test(pair)) {
            bytes.push(parseInt(pair, 16));
            i += 2;
            continue;
          }
          if (!ESCAPABLE.has(text[i + 1] ?? "")) {
            return `a backslash before ${JSON.stringify(text[i + 1] ?? "")} escapes nothing`;
          }
          i += 1;
        } else if (MUST_ESCAPE.has(c)) return `the character ${c} in a value is written \\${c}`;
        const bad = flush();
        if (bad) return bad;
      }
    }
    const bad = flush();
    if (bad) return bad;
    while (SPACE.test(text[i] ?? "")) i++;
    if (i >= text.length) return undefined;
    if (text[i] === "+") {
      i++;
      if (text.slice(i).trim() === "")
        return "it ends in a +, a multi-valued part with no second value";
      continue;
    }
    if (!separator(text[i])) return `${JSON.stringify(text.slice(i).trim())} follows a value`;
    parts++;
    i++;
  }
}
