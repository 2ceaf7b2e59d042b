import * as fs from "fs";
import * as path from "path";

/**
 * The typeface of every document and diagram: Arimo, metric-compatible with Arial, so Graphviz's
 * built-in Arial widths lay out labels exactly as the browser draws them. Embedded in the HTML
 * (and so in the PDF, as TrueType) so no machine falls back to a wider font. Chinese comes from
 * WenQuanYi Micro Hei (Debian's fonts-wqy-microhei): a TrueType font, which Chromium embeds as
 * such, where the CFF outlines of Noto Sans CJK would print as Type 3 bitmaps-in-disguise. Emoji
 * (in a customer's or a project's name) come from Noto Color Emoji (fonts-noto-color-emoji), the
 * one font of colour glyphs, which print as Type 3 bitmaps; without it they vanished.
 */
export const FONT_STACK =
  "Arimo, Arial, 'Liberation Sans', 'Noto Color Emoji', 'WenQuanYi Micro Hei', 'Droid Sans Fallback', sans-serif";

/** The font Graphviz measures with; its widths are Arimo's. */
export const GRAPHVIZ_FONT = "Arial";

const FACES = [
  { subset: "latin", weight: 400, style: "normal" },
  { subset: "latin", weight: 700, style: "normal" },
  { subset: "latin", weight: 400, style: "italic" },
  { subset: "latin-ext", weight: 400, style: "normal" },
  { subset: "latin-ext", weight: 700, style: "normal" },
] as const;

/** fontsource's unicode ranges of the subsets we embed. */
const RANGES: Record<string, string> = {
  latin:
    "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
  "latin-ext":
    "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF",
};

let css: string | undefined;

/** @font-face rules with the font files inline, for a self-contained HTML page. */
export function fontFaces(): string {
  css ??= faces(FACES);
  return css;
}

/** Only the regular Latin face: enough for a running footer, which Chromium renders per page. */
export const footerFontFace = () => faces(FACES.slice(0, 1));

function faces(list: readonly (typeof FACES)[number][]): string {
  const dir = path.join(path.dirname(require.resolve("@fontsource/arimo/package.json")), "files");
  return list
    .map(({ subset, weight, style }) => {
      const data = fs.readFileSync(path.join(dir, `arimo-${subset}-${weight}-${style}.woff2`));
      return [
        "@font-face {",
        "  font-family: 'Arimo';",
        `  font-style: ${style};`,
        `  font-weight: ${weight};`,
        `  src: url(data:font/woff2;base64,${data.toString("base64")}) format('woff2');`,
        `  unicode-range: ${RANGES[subset]};`,
        "}",
      ].join("\n");
    })
    .join("\n");
}
