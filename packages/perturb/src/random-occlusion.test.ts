import { describe, expect, it } from "vitest";
import { meanAbsDiff, rawToImage, testRng } from "../test/fixtures";
import type { RawImage } from "./image-io";
import { occlusionRects, randomOcclusion } from "./random-occlusion";

const size = 64;
const grey: RawImage = { data: new Uint8Array(size * size * 3).fill(128), width: size, height: size };

// Independent simulation of the spec: 50 rectangles, sides uniform in [5%, 15%] of the side (whole pixels),
// top-left uniform over the positions that keep the rectangle inside; the share of pixels covered.
function simulatedCoverage(trials: number): number {
  const next = testRng(2024);
  let total = 0;
  for (let t = 0; t < trials; t++) {
    const covered = new Uint8Array(size * size);
    for (let r = 0; r < 50; r++) {
      const w = Math.max(1, Math.round((0.05 + 0.1 * next()) * size));
      const h = Math.max(1, Math.round((0.05 + 0.1 * next()) * size));
      const left = Math.round(next() * (size - w));
      const top = Math.round(next() * (size - h));
      for (let y = top; y < top + h; y++) covered.fill(1, y * size + left, y * size + left + w);
    }
    total += covered.reduce((a, b) => a + b, 0) / covered.length;
  }
  return total / trials;
}

describe("randomOcclusion", () => {
  it("covers the expected share of the image on average over seeds", async () => {
    const view = randomOcclusion();
    let coverage = 0;
    const seeds = 40;
    for (let seed = 0; seed < seeds; seed++) {
      const out = await view.applyRaw(grey, view.sample(seed));
      let changed = 0;
      for (let p = 0; p < size * size; p++) {
        if (out.data[p * 3] !== 128 || out.data[p * 3 + 1] !== 128 || out.data[p * 3 + 2] !== 128) changed++;
      }
      coverage += changed / (size * size);
    }
    const expected = simulatedCoverage(300);
    expect(expected).toBeGreaterThan(0.3);
    expect(expected).toBeLessThan(0.5);
    expect(Math.abs(coverage / seeds - expected)).toBeLessThan(0.03);
  });

  it("fills rectangles with uniform noise (mean 1/2, variance 1/12) and leaves the rest untouched", async () => {
    const view = randomOcclusion({ count: 3, sideFraction: [0.4, 0.5] });
    const params = view.sample(11);
    const inside = new Uint8Array(size * size);
    for (const r of occlusionRects(size, size, params)) {
      expect(r.width).toBeGreaterThanOrEqual(Math.round(0.4 * size));
      expect(r.left + r.width).toBeLessThanOrEqual(size);
      expect(r.top + r.height).toBeLessThanOrEqual(size);
      for (let y = r.top; y < r.top + r.height; y++)
        inside.fill(1, y * size + r.left, y * size + r.left + r.width);
    }
    const out = await view.applyRaw(grey, params);
    let sum = 0;
    let squares = 0;
    let n = 0;
    let touchedOutside = 0;
    for (let p = 0; p < size * size; p++) {
      for (let c = 0; c < 3; c++) {
        const v = out.data[p * 3 + c] as number;
        if (inside[p] === 0) touchedOutside += v === 128 ? 0 : 1;
        else {
          sum += v / 255;
          squares += (v / 255) ** 2;
          n++;
        }
      }
    }
    expect(touchedOutside).toBe(0);
    expect(n).toBeGreaterThan(0);
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(squares / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
  });

  it("encoded and tensor paths give the same pixels", async () => {
    const view = randomOcclusion();
    const image = rawToImage(grey);
    for (const seed of [1, 2]) {
      const params = view.sample(seed);
      const t = view.applyImage(image, params);
      const r = await view.applyRaw(grey, params);
      expect(meanAbsDiff(r.data, t.dataSync(), 1, 255)).toBeLessThan(1e-3);
      t.dispose();
    }
    image.dispose();
  });

  it("rejects bad options", () => {
    expect(() => randomOcclusion({ count: -1 })).toThrow(/count must be an integer >= 0/);
    expect(() => randomOcclusion({ sideFraction: [0.1, 2] })).toThrow(/sideFraction/);
    expect(randomOcclusion({ count: 0 }).sample(1).rects).toEqual([]);
  });
});
