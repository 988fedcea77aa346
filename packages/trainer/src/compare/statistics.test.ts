import { describe, expect, it } from "vitest";
import { meanStd, median } from "./statistics";

describe("meanStd", () => {
  it("uses the n - 1 sample deviation", () => {
    // mean 5; squared deviations 9 + 1 + 1 + 9 = 20; 20 / 3
    const { mean, std, n } = meanStd([2, 4, 6, 8]);
    expect(mean).toBe(5);
    expect(std).toBeCloseTo(Math.sqrt(20 / 3), 12);
    expect(n).toBe(4);
  });

  it("gives std 0 for one value and NaN for none", () => {
    expect(meanStd([0.3])).toEqual({ mean: 0.3, std: 0, n: 1 });
    expect(meanStd([]).mean).toBeNaN();
  });
});

describe("median", () => {
  it("takes the middle of odd and even counts without reordering the input", () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
