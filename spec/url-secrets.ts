/**
 * Where something written like a URL starts: a scheme and `://`, or a web scheme alone, which
 * URL parsers complete (`https:/u:p@h`, `https:\\u:p@h` and `https:u:p@h` are `https://u:p@h`).
 * Schemes are found by walking back from each `://`: the regex
 * `[A-Za-z][A-Za-z0-9+.-]*:\/\/` backtracks quadratically on a long run of scheme characters.
 */
const WEB_SCHEME = /\b(?:https?|wss?|ftp):/gi;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const SCHEME_RELATIVE = /(^|[\s"'(<[`=])\/\/(?=[^/\s])/g;
const LETTER = /[A-Za-z]/;

function urlStarts(text: string): number[] {
  const starts = new Set<number>();
  for (let at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 3)) {
    let first = -1;
    for (let i = at - 1; i >= 0 && SCHEME_CHAR.test(text[i]); i--)
      if (LETTER.test(text[i])) first = i;
    if (first >= 0) starts.add(first);
  }
  for (const m of text.matchAll(WEB_SCHEME)) starts.add(m.index);
  // Scheme-relative (`//user:pass@host`): browsers and HTTP clients complete it with theirs.
  for (const m of text.matchAll(SCHEME_RELATIVE)) starts.add(m.index + m[1].length);
  return [...starts].sort((a, b) => a - b);
}

/** Whether text may hold a URL: the cheap test before looking for one. */
export const mayHoldUrl = (text: string) =>
  text.includes(":/") || text.includes("//") || /(?:https?|wss?|ftp):/i.test(text);

/** URLs read in full from one run of text without white space; later ones end at the next. */
const FULL_PER_RUN = 16;

/**
 * Each URL-like text, twice: up to whitespace (URL parsers take quotes, backticks and angle
 * brackets, percent-encoded, so a credential after one still reaches the consumer) and up to
 * the first such character (a URL quoted inside prose). Past the first few URLs of one run
 * without white space, each ends where the next starts, so the work stays linear in the text.
 */
function urlCandidates(text: string): string[] {
  const out: string[] = [];
  const starts = urlStarts(text);
  let runEnd = -1;
  let inRun = 0;
  starts.forEach((start, k) => {
    if (start >= runEnd) {
      const space = /\s/g;
      space.lastIndex = start;
      runEnd = space.exec(text)?.index ?? text.length;
      inRun = 0;
    }
    inRun++;
    const next = starts[k + 1];
    const end = inRun <= FULL_PER_RUN || next === undefined ? runEnd : Math.min(next, runEnd);
    const whole = text.slice(start, end);
    const quoted = /^[^\s"'<>`]+/.exec(whole)?.[0] ?? whole;
    out.push(whole);
    if (quoted !== whole) out.push(quoted);
  });
  return out;
}

/** Query parameters that carry credentials (signed URLs, tokens, keys, passwords). */
const SECRET_PARAM =
  /^(key|sig|hmac|pass|passcode|passphrase|pw|pwd|otp|jwt|bearer|auth|authorization|session|sessionid|jsessionid|phpsessid|x-amz-.+|x-goog-.+|.*[-_]sig|.*[-_]pass|pass[-_].*|.*(token|secret|passw|credential|signature|api[-_]?key|access[-_]?key|private[-_]?key).*)$/i;

/** Why a URL carries credentials, in words that never repeat them; undefined when it does not. */
export function urlCredentials(text: string): string | undefined {
  const seen = new Set<string>();
  for (const candidate of urlCandidates(text)) {
    // A credential is userinfo (before an `@`), a query or fragment parameter, or a path
    // parameter (`/state;token=...`, which servers read as matrix parameters).
    if (seen.has(candidate) || !/[@?#;]/.test(candidate)) continue;
    seen.add(candidate);
    let url: URL | undefined;
    try {
      url = new URL(candidate.startsWith("//") ? `https:${candidate}` : candidate);
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
    const pathParams = (url?.pathname ?? "")
      .split("/")
      .flatMap((segment) => segment.split(";").slice(1))
      // (a parameter carries a value: `;secrets live in Vault` in prose is none)
      .filter((param) => param.includes("="))
      .map((param) => decodeURIComponentSafe(param.split("=")[0]));
    const inPath = pathParams.find((p) => SECRET_PARAM.test(p));
    if (inPath !== undefined) return `a credential-like path parameter (${safeName(inPath)})`;
  }
  return undefined;
}

/** A percent-encoded name as servers read it; as written where it is not valid encoding. */
function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Parameter names are shown only when they are short plain words. */
const safeName = (name: string) => (/^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : "…");
