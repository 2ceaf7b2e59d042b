/**
 * Graphviz's built-in Arial advance widths for printable ASCII (32..126), in 1/72 em. Arimo,
 * the font the documents embed, has the same metrics.
 */
const ASCII = [
  20.004, 20.004, 25.559, 40.043, 40.043, 64.02, 48.023, 13.746, 23.977, 23.977, 28.02, 42.047,
  20.004, 23.977, 20.004, 20.004, 40.043, 40.043, 40.043, 40.043, 40.043, 40.043, 40.043, 40.043,
  40.043, 40.043, 20.004, 20.004, 42.047, 42.047, 42.047, 40.043, 73.087, 48.023, 48.023, 51.996,
  51.996, 48.023, 43.98, 56.004, 51.996, 20.004, 36, 48.023, 40.043, 59.977, 51.996, 56.004, 48.023,
  56.004, 51.996, 48.023, 43.98, 51.996, 48.023, 67.957, 48.023, 48.023, 43.98, 20.004, 20.004,
  20.004, 33.785, 40.043, 23.977, 40.043, 40.043, 36, 40.043, 40.043, 20.004, 40.043, 40.043,
  15.996, 15.996, 36, 15.996, 59.977, 40.043, 40.043, 40.043, 40.043, 23.977, 36, 20.004, 40.043,
  36, 51.996, 36, 36, 36, 24.047, 18.703, 24.047, 42.047,
];

/** East Asian wide and full-width characters: one em in Noto Sans CJK. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** The width of one line of text in ems, as the browser draws it with the embedded fonts. */
export function textWidthEm(line: string): number {
  let em = 0;
  for (const ch of line) {
    const code = ch.codePointAt(0) as number;
    if (code >= 32 && code < 127) em += ASCII[code - 32] / 72;
    else if (WIDE.test(ch)) em += 1;
    // Graphviz guesses 0.83 em for everything else; no Latin letter is wider.
    else em += 0.8335;
  }
  return em;
}

/** True when Graphviz would under-estimate the text (it guesses 0.83 em for a CJK character). */
export const hasWideText = (text: string) => WIDE.test(text);
