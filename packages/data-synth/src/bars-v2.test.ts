import { describe, expect, it } from "vitest";
import { BLACK, blobsWhere, isColour, isInk, type RgbImage, runs } from "../test/pixels";
import { checkPairText, forEachV2Example } from "../test/v2-checks";

/** Heights in units, read off the pixels: the unit is the tick spacing, bars are ordered left to right. */
function measureBars(image: RgbImage): { values: Record<string, number>; unit: number } {
  const { width, height } = image;
  const blackInColumn = (x: number) => {
    const rows: number[] = [];
    for (let y = 0; y < height; y++) if (isColour(image, x, y, BLACK)) rows.push(y);
    return rows;
  };
  let axis = 0;
  while (blackInColumn(axis).length < height / 2) axis++;
  let tickColumn = axis + 1;
  while (blackInColumn(tickColumn).length === blackInColumn(axis).length) tickColumn++;
  const ticks = runs(blackInColumn(tickColumn)).map((run) => run.start);
  expect(ticks.length, "six ticks and the baseline").toBe(7);
  const gaps = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
  expect(new Set(gaps).size, `even ticks ${ticks}`).toBe(1);
  const unit = gaps[0] as number;
  const baseline = ticks[6] as number;
  const bars = blobsWhere(image, (x, y) => isInk(image, x, y)).sort((p, q) => p.minX - q.minX);
  expect(bars.length).toBe(3);
  const values: Record<string, number> = {};
  ["left", "mid", "right"].forEach((name, i) => {
    const bar = bars[i] as (typeof bars)[number];
    const barHeight = bar.maxY - bar.minY + 1;
    expect(bar.pixels, `${name} bar is a solid rectangle`).toBe(barHeight * (bar.maxX - bar.minX + 1));
    expect(bar.maxY + 1, `${name} bar stands on the baseline`).toBe(baseline);
    expect(barHeight % unit).toBe(0);
    values[name] = barHeight / unit;
  });
  expect(width).toBe(height);
  return { values, unit };
}

describe("sampleBarsV2 (version 2 bars)", () => {
  it.each([64, 128])(
    "draws three bars at >= 8 px per unit of %i px and labels the read digits",
    async (size) => {
      const examples = await forEachV2Example("bars", size, 40, (example, image) => {
        checkPairText(example, { names: ["left", "mid", "right"], operators: ["+", "-"], compare: "taller" });
        const { values, unit } = measureBars(image);
        expect(values).toEqual(example.values);
        expect(unit).toBe((8 * size) / 64);
      });
      const heights = new Set(examples.flatMap((e) => Object.values(e.values)));
      expect([...heights].sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(examples.map((e) => e.prompt)).size).toBeGreaterThan(10);
    },
  );
});
