import { rect } from "./problem";

/** A bitmap glyph: one string per row, `#` for ink. */
export type Glyph = readonly string[];

/** Digits of a 3 x 5 bitmap font; every digit fills the full 3 x 5 box, so a number's width is fixed. */
export const DIGIT_GLYPHS: Readonly<Record<string, Glyph>> = {
  "0": ["###", "#.#", "#.#", "#.#", "###"],
  "1": [".#.", "##.", ".#.", ".#.", "###"],
  "2": ["###", "..#", "###", "#..", "###"],
  "3": ["###", "..#", "###", "..#", "###"],
  "4": ["#.#", "#.#", "###", "..#", "..#"],
  "5": ["###", "#..", "###", "..#", "###"],
  "6": ["###", "#..", "###", "#.#", "###"],
  "7": ["###", "..#", "..#", "..#", "..#"],
  "8": ["###", "#.#", "###", "#.#", "###"],
  "9": ["###", "#.#", "###", "..#", "###"],
};

/** The two 3 x 3 marks the v2 grid labels its cells with: `x` has no hole, `o` one. */
export const MARK_GLYPHS = {
  x: ["#.#", ".#.", "#.#"],
  o: ["###", "#.#", "###"],
} as const satisfies Record<string, Glyph>;

/**
 * SVG rects drawing `glyph` with its top-left corner at (x, y), each font pixel a `scale` x `scale` square
 * (runs of ink in a row are merged into one rect).
 *
 * @example
 * glyphSvg(DIGIT_GLYPHS["7"], 10, 4, 3, "#000000"); // a 9 x 15 px seven
 */
export function glyphSvg(glyph: Glyph, x: number, y: number, scale: number, fill: string): string {
  let body = "";
  glyph.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) {
      if (row[c] !== "#") continue;
      let end = c;
      while (row[end + 1] === "#") end++;
      body += rect(x + c * scale, y + r * scale, (end - c + 1) * scale, scale, fill);
      c = end;
    }
  });
  return body;
}

/**
 * A non-negative integer in the digit font: digits `3 * scale` wide, `scale` apart.
 *
 * @example
 * numberSvg(47, 6, 6, 3, "#000000"); // two digits, 21 x 15 px in all
 */
export function numberSvg(value: number, x: number, y: number, scale: number, fill: string): string {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`numberSvg: value must be a non-negative integer, got ${value}`);
  }
  return [...String(value)]
    .map((digit, k) => glyphSvg(DIGIT_GLYPHS[digit] as Glyph, x + k * 4 * scale, y, scale, fill))
    .join("");
}
