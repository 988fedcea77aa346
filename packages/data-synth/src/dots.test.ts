import { describe, expect, it } from "vitest";
import { BLACK, blobsWhere, isColour, isInk, type RgbImage } from "../test/pixels";
import { checkPairText, forEachV2Example } from "../test/v2-checks";

/** Dots counted on each side of the black divider, and the smallest distance between two dot centres. */
function measureDots(image: RgbImage): { values: Record<string, number>; spacing: number } {
  const dividers = blobsWhere(image, (x, y) => isColour(image, x, y, BLACK));
  expect(dividers.length, "one divider").toBe(1);
  const divider = dividers[0] as (typeof dividers)[number];
  expect(divider.maxY - divider.minY).toBeGreaterThan(image.height / 2);
  const middle = (divider.minX + divider.maxX) / 2;
  const dots = blobsWhere(image, (x, y) => isInk(image, x, y)).map((b) => ({
    x: (b.minX + b.maxX) / 2,
    y: (b.minY + b.maxY) / 2,
    side: Math.max(b.maxX - b.minX, b.maxY - b.minY) + 1,
  }));
  let spacing = Number.POSITIVE_INFINITY;
  for (const [i, p] of dots.entries()) {
    expect(p.side).toBeLessThanOrEqual((6 * image.width) / 64);
    for (const q of dots.slice(i + 1))
      spacing = Math.min(spacing, Math.max(Math.abs(p.x - q.x), Math.abs(p.y - q.y)));
  }
  return {
    values: { left: dots.filter((d) => d.x < middle).length, right: dots.filter((d) => d.x > middle).length },
    spacing,
  };
}

describe("sampleDots (version 2 counting)", () => {
  it.each([64, 128])(
    "draws countable dots, one per 8 px cell at %i px, and labels the read digits",
    async (size) => {
      const examples = await forEachV2Example("dots", size, 40, (example, image) => {
        checkPairText(example, { names: ["left", "right"], operators: ["+", "-"], compare: "more" });
        const { values, spacing } = measureDots(image);
        expect(values).toEqual(example.values);
        if (Number.isFinite(spacing)) expect(spacing).toBeGreaterThanOrEqual((7.5 * size) / 64);
      });
      const counts = examples.flatMap((e) => Object.values(e.values));
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...counts)).toBeLessThanOrEqual(15);
      expect(counts.filter((c) => c >= 10).length, "two-digit counts").toBeGreaterThan(10);
    },
  );
});
