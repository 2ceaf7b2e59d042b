/**
 * Markers cdktf (and the constructs library) use to encode unresolved values inside strings:
 * `${TfToken[..]}` strings, `#{TfToken[..]}` lists, `&{TfToken[..]}` maps, and the older
 * `${Token[..]}`. cdktf substitutes them wherever they appear, even in escaped text, so user text
 * holding one is refused rather than passed on. (Number tokens are huge negative doubles that every
 * numeric field's range already refuses.)
 */
const TOKEN_MARKER = /[$#&]\{(Tf)?Token\[/;

export function hasTokenMarker(text: string): boolean {
  return TOKEN_MARKER.test(text);
}
