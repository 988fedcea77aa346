import { describe, expect, it } from "vitest";
import { BLACK, blobsWhere, isColour, isInk, type RgbImage, runs } from "../test/pixels";
import { checkPairText, forEachV2Example } from "../test/v2-checks";

/** Rows and columns of the two marks, from the grid lines; a mark with ink at its centre is the x, a hollow one the o. */
function measureGrid(image: RgbImage): { values: Record<string, number>; cell: number } {
  const size = image.width;
  const blackCount = (along: (i: number) => [number, number]) => {
    let n = 0;
    for (let i = 0; i < size; i++) if (isColour(image, ...along(i), BLACK)) n++;
    return n;
  };
  const lineStarts = (full: (k: number) => boolean) => {
    const hits: number[] = [];
    for (let k = 0; k < size; k++) if (full(k)) hits.push(k);
    return runs(hits).map((run) => run.start);
  };
  const columns = lineStarts((x) => blackCount((y) => [x, y]) > size / 2);
  const rows = lineStarts((y) => blackCount((x) => [x, y]) > size / 2);
  expect(columns.length, "7 vertical lines").toBe(7);
  expect(rows.length, "7 horizontal lines").toBe(7);
  const cell = (columns[1] as number) - (columns[0] as number);
  const marks = blobsWhere(image, (x, y) => isInk(image, x, y));
  expect(marks.length, "two marks").toBe(2);
  const values: Record<string, number> = {};
  for (const mark of marks) {
    const cx = Math.floor((mark.minX + mark.maxX) / 2);
    const cy = Math.floor((mark.minY + mark.maxY) / 2);
    const name = isInk(image, cx, cy) ? "x" : "o";
    expect(values[`${name}row`], `one ${name} mark`).toBeUndefined();
    values[`${name}row`] = rows.filter((r) => r < cy).length;
    values[`${name}col`] = columns.filter((c) => c < cx).length;
  }
  return { values, cell };
}

describe("sampleGridV2 (version 2 grid)", () => {
  it.each([64, 128])(
    "draws a 6 x 6 grid with an x and an o mark at %i px and labels the read digits",
    async (size) => {
      const examples = await forEachV2Example("grid", size, 40, (example, image) => {
        checkPairText(example, { names: ["xrow", "xcol", "orow", "ocol"], operators: ["+", "-", "*"] });
        const { values, cell } = measureGrid(image);
        expect(values).toEqual(example.values);
        expect(cell).toBeGreaterThanOrEqual((8 * size) / 64);
      });
      const read = new Set(examples.flatMap((e) => Object.values(e.values)));
      expect([...read].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    },
  );
});
