/** Text as one POSIX shell word in single quotes, a quote inside written `'\''`. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

/** A word as typed when it holds plain path characters only, else quoted. */
export const shellWord = (text: string): string =>
  /^[\w./:@%+=-]+$/.test(text) ? text : shellQuote(text);
