import { describe, expect, it } from "vitest";
import { BLACK, blobsWhere, isColour, type RgbImage } from "../test/pixels";
import { checkPairText, forEachV2Example } from "../test/v2-checks";

/** The 3 x 5 digits as this test expects to see them, typed out independently of the generator's table. */
const FONT: Record<string, string> = {
  "###/#.#/#.#/#.#/###": "0",
  ".#./##./.#./.#./###": "1",
  "###/..#/###/#../###": "2",
  "###/..#/###/..#/###": "3",
  "#.#/#.#/###/..#/..#": "4",
  "###/#../###/..#/###": "5",
  "###/#../###/#.#/###": "6",
  "###/..#/..#/..#/..#": "7",
  "###/#.#/###/#.#/###": "8",
  "###/#.#/###/..#/###": "9",
};

/** Reads the two numbers: digit blobs, grouped into the top and bottom halves, sampled at font-pixel centres. */
function measureNumbers(image: RgbImage): { values: Record<string, number>; digitHeight: number } {
  const digits = blobsWhere(image, (x, y) => isColour(image, x, y, BLACK));
  const heights = new Set(digits.map((d) => d.maxY - d.minY + 1));
  expect(heights.size, "all digits are the same height").toBe(1);
  const digitHeight = [...heights][0] as number;
  const read = (half: typeof digits) =>
    Number(
      half
        .sort((p, q) => p.minX - q.minX)
        .map((d) => {
          const cellW = (d.maxX - d.minX + 1) / 3;
          const cellH = (d.maxY - d.minY + 1) / 5;
          const rows: string[] = [];
          for (let r = 0; r < 5; r++) {
            let row = "";
            for (let c = 0; c < 3; c++) {
              const x = Math.floor(d.minX + (c + 0.5) * cellW);
              const y = Math.floor(d.minY + (r + 0.5) * cellH);
              row += isColour(image, x, y, BLACK) ? "#" : ".";
            }
            rows.push(row);
          }
          const digit = FONT[rows.join("/")];
          expect(digit, `glyph ${rows.join("/")}`).toBeDefined();
          return digit;
        })
        .join(""),
    );
  const middle = image.height / 2;
  return {
    values: {
      top: read(digits.filter((d) => d.maxY < middle)),
      bottom: read(digits.filter((d) => d.minY > middle)),
    },
    digitHeight,
  };
}

describe("sampleNumbers (version 2 reading)", () => {
  it.each([64, 128])("draws two two-digit numbers at %i px and labels the read digits", async (size) => {
    const examples = await forEachV2Example("numbers", size, 40, (example, image) => {
      checkPairText(example, { names: ["top", "bottom"], operators: ["+", "-"], compare: "larger" });
      const { values, digitHeight } = measureNumbers(image);
      expect(values).toEqual(example.values);
      expect(digitHeight).toBe((15 * size) / 64);
    });
    const digitsSeen = new Set(
      examples.flatMap((e) => Object.values(e.values).flatMap((v) => [...String(v)])),
    );
    expect(digitsSeen.size, "every digit drawn").toBe(10);
    for (const e of examples) for (const v of Object.values(e.values)) expect(v >= 10 && v <= 99).toBe(true);
  });
});
