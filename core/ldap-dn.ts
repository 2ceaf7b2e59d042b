/**
 * Distinguished names as RFC 4514 writes them, read as leniently as OpenLDAP's ldap_str2dn
 * (spaces around separators, `=` inside a value): Keystone hands them to the directory unparsed,
 * which refuses a malformed one only when a login binds or searches.
 */

/** An attribute type: a descriptor or a numeric OID. */
const TYPE = /^\s*(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)\s*=/;
/** Characters a value must escape (RFC 4514 section 2.4). */
const MUST_ESCAPE = new Set(['"', "+", ",", ";", "<", ">"]);
/** What may follow a backslash besides two hex digits. */
const ESCAPABLE = new Set(['"', "+", ",", ";", "<", ">", "\\", " ", "#", "="]);

/** Why `text` is no DN, or undefined when it is one. */
export function dnProblem(text: string): string | undefined {
  let i = 0;
  let rdns = 0;
  while (i <= text.length) {
    // One attribute type and value.
    const type = TYPE.exec(text.slice(i));
    if (!type) {
      const rest = text.slice(i).trim();
      return rest === ""
        ? rdns === 0
          ? "it is empty"
          : "it ends in a comma"
        : /^[,+]/.test(rest)
          ? "two separators hold nothing between them"
          : `${JSON.stringify(rest.split(/[,+]/)[0])} is no attribute=value pair: a comma inside a value is written \\,`;
    }
    i += type[0].length;
    if (text[i] === "#") {
      const hex = /^#(?:[0-9A-Fa-f]{2})+/.exec(text.slice(i));
      if (!hex) return `the value at ${JSON.stringify(text.slice(i, i + 12))} is no #hex string`;
      i += hex[0].length;
    } else {
      for (; i < text.length && text[i] !== "," && text[i] !== "+"; i++) {
        const c = text[i];
        if (c === "\\") {
          const next = text[i + 1] ?? "";
          if (/^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) i += 2;
          else if (ESCAPABLE.has(next)) i += 1;
          else return `a backslash before ${JSON.stringify(next)} escapes nothing`;
        } else if (MUST_ESCAPE.has(c)) return `the character ${c} in a value is written \\${c}`;
      }
    }
    if (text[i] === "+") {
      i++;
      continue;
    }
    rdns++;
    if (i >= text.length) return undefined;
    if (text[i] !== ",") return `${JSON.stringify(text.slice(i).trim())} follows a value`;
    i++;
  }
  return undefined;
}
