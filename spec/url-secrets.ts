/**
 * Where something written like a URL starts: a scheme and `://`, or a web scheme alone, which
 * URL parsers complete (`https:/u:p@h`, `https:\\u:p@h` and `https:u:p@h` are `https://u:p@h`).
 */
const URL_START = /[A-Za-z][A-Za-z0-9+.-]*:\/\/|\b(?:https?|wss?|ftp):/gi;

/** Whether text may hold a URL: the cheap test before looking for one. */
export const mayHoldUrl = (text: string) =>
  text.includes(":/") || /(?:https?|wss?|ftp):/i.test(text);

/**
 * Each URL-like text, twice: up to whitespace (URL parsers take quotes, backticks and angle
 * brackets, percent-encoded, so a credential after one still reaches the consumer) and up to
 * the first such character (a URL quoted inside prose).
 */
function urlCandidates(text: string): string[] {
  const out: string[] = [];
  for (const start of text.matchAll(URL_START)) {
    const rest = text.slice(start.index);
    const whole = /^\S+/.exec(rest)?.[0] ?? rest;
    const quoted = /^[^\s"'<>`]+/.exec(rest)?.[0] ?? whole;
    out.push(whole);
    if (quoted !== whole) out.push(quoted);
  }
  return out;
}

/** Query parameters that carry credentials (signed URLs, tokens, keys, passwords). */
const SECRET_PARAM =
  /^(key|sig|pass|pwd|auth|authorization|session|sessionid|x-amz-.+|x-goog-.+|.*(token|secret|passw|credential|signature|api[-_]?key|access[-_]?key|private[-_]?key).*)$/i;

/** Why a URL carries credentials, in words that never repeat them; undefined when it does not. */
export function urlCredentials(text: string): string | undefined {
  for (const candidate of urlCandidates(text)) {
    let url: URL | undefined;
    try {
      url = new URL(candidate);
    } catch {
      url = undefined;
    }
    // Userinfo, even where the URL parser gives up: `scheme://anything@host`.
    if (url ? url.username !== "" || url.password !== "" : /^[^:]+:\/\/[^/?#]*@/.test(candidate))
      return "a user name or password (user:password@)";
    const params = url
      ? [...url.searchParams.keys(), ...new URLSearchParams(url.hash.slice(1)).keys()]
      : [];
    const secret = params.find((p) => SECRET_PARAM.test(p));
    if (secret !== undefined) return `a credential-like query parameter (${safeName(secret)})`;
  }
  return undefined;
}

/** Parameter names are shown only when they are short plain words. */
const safeName = (name: string) => (/^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : "…");
