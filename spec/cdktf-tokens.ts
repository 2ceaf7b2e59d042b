/**
 * Markers cdktf (and the constructs library) use to encode unresolved values inside strings:
 * `${TfToken[..]}` strings, `#{TfToken[..]}` lists, `&{TfToken[..]}` maps, and the older
 * `${Token[..]}`. cdktf substitutes them wherever they appear, even in escaped text, so user text
 * holding one is refused rather than passed on.
 */
const TOKEN_MARKER = /[$#&]\{(Tf)?Token\[/;

export function hasTokenMarker(text: string): boolean {
  return TOKEN_MARKER.test(text);
}

/**
 * Number tokens are doubles whose top 16 bits are a marker (huge negatives, about -8.2e298).
 * Numeric fields' ranges refuse them; in strings cdktf finds number text with
 * `/[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/g` (`TokenString.forNumbers`), parses it with parseFloat and
 * substitutes a token, or stops synth ("unknown number Token") when there is none. The same
 * matches are found here in one pass: that pattern backtracks quadratically on long digit runs.
 */
const MANTISSA = /[-|\d.+]/;
const EXPONENT = /[-|\d.eE+]/;
// Strings are scanned for number tokens only (extractTokenDouble(x, false)), not list tokens.
const TOKEN_DOUBLE_BITS = 0xfdff << 16;

export function hasNumberTokenText(text: string): boolean {
  if (!text.includes("e")) return false;
  const bits = new DataView(new ArrayBuffer(8));
  let i = 0;
  while (i < text.length) {
    if (!MANTISSA.test(text[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && MANTISSA.test(text[j])) j++;
    if (text[j] === "e" && j + 1 < text.length && EXPONENT.test(text[j + 1])) {
      let k = j + 1;
      while (k < text.length && EXPONENT.test(text[k])) k++;
      bits.setFloat64(0, parseFloat(text.slice(i, k)), true);
      if ((bits.getInt32(4, true) & 0xffff0000) === TOKEN_DOUBLE_BITS) return true;
      i = k;
    } else i = j;
  }
  return false;
}
