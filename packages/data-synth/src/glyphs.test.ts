import { describe, expect, it } from "vitest";
import { BLACK, decodePng, isColour } from "../test/pixels";
import { DIGIT_GLYPHS, glyphSvg, MARK_GLYPHS, numberSvg } from "./glyphs";
import { svgDocument } from "./problem";
import { renderPng } from "./render";

describe("glyphs", () => {
  it("are 3 x 5 (digits) and 3 x 3 (marks), all different", () => {
    for (const glyph of Object.values(DIGIT_GLYPHS))
      expect(glyph.map((row) => row.length)).toEqual([3, 3, 3, 3, 3]);
    expect(new Set(Object.values(DIGIT_GLYPHS).map((g) => g.join("/"))).size).toBe(10);
    expect(MARK_GLYPHS.x.join("/")).not.toBe(MARK_GLYPHS.o.join("/"));
  });

  it("draw ink exactly on the # font pixels, scale x scale each, merging runs into one rect", async () => {
    const glyph = ["#.#", "###"];
    const svg = glyphSvg(glyph, 2, 3, 2, "#000000");
    expect(svg.match(/<rect/g)?.length).toBe(3);
    const image = await decodePng(await renderPng(svgDocument(12, svg), 12));
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 12; x++) {
        const [c, r] = [Math.floor((x - 2) / 2), Math.floor((y - 3) / 2)];
        const ink = x >= 2 && y >= 3 && c < 3 && r < 2 && glyph[r]?.[c] === "#";
        expect(isColour(image, x, y, BLACK), `pixel ${x},${y}`).toBe(ink);
      }
    }
  });

  it("write numbers digit by digit, 4 font pixels apart, and reject negatives", () => {
    expect(numberSvg(47, 0, 0, 1, "#000")).toBe(
      glyphSvg(DIGIT_GLYPHS["4"] ?? [], 0, 0, 1, "#000") + glyphSvg(DIGIT_GLYPHS["7"] ?? [], 4, 0, 1, "#000"),
    );
    expect(() => numberSvg(-3, 0, 0, 1, "#000")).toThrow(/non-negative integer, got -3/);
  });
});
