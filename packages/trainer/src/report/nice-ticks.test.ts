import { describe, expect, it } from "vitest";
import { niceTicks } from "./nice-ticks";

describe("niceTicks", () => {
  it("puts round ticks on a unit range", () => {
    const axis = niceTicks(0, 1);
    expect(axis.step).toBeCloseTo(0.2, 12);
    expect(axis.values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axis.labels).toEqual(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
  });

  it("widens the axis outward to the nearest ticks", () => {
    // raw step (97-3)/4 = 23.5 -> 2.35e1 rounds to 2e1
    const axis = niceTicks(3, 97);
    expect(axis.values).toEqual([0, 20, 40, 60, 80, 100]);
    expect([axis.lo, axis.hi]).toEqual([0, 100]);
  });

  it("handles ranges across zero and small magnitudes without float noise", () => {
    // raw step 0.055/4 = 0.01375 -> 1e-2
    const axis = niceTicks(-0.013, 0.042);
    expect(axis.values).toEqual([-0.02, -0.01, 0, 0.01, 0.02, 0.03, 0.04, 0.05]);
    expect(axis.labels[2]).toBe("0.00");
    expect(Object.is(axis.values[2], -0)).toBe(false);
  });

  it("steps by 5s when the raw step is between 3 and 7 times a power of ten", () => {
    // raw step 180/4 = 45 -> 50
    expect(niceTicks(10, 190).values).toEqual([0, 50, 100, 150, 200]);
  });

  it("widens a zero-width range around its value", () => {
    expect(niceTicks(0, 0).values).toEqual([-1, -0.5, 0, 0.5, 1]);
    // 10 +- 5 -> [5, 15], raw step 2.5 -> 2
    expect(niceTicks(10, 10).values).toEqual([4, 6, 8, 10, 12, 14, 16]);
  });

  it("switches labels to exponent form for tiny steps", () => {
    const axis = niceTicks(0, 4e-8);
    expect(axis.values[1]).toBeCloseTo(1e-8, 20);
    expect(axis.labels[1]).toBe("1e-8");
    expect(axis.labels[0]).toBe("0");
  });

  it("rejects non-finite or reversed bounds and a bad count", () => {
    expect(() => niceTicks(Number.NaN, 1)).toThrow(/finite min <= max, got min=NaN, max=1/);
    expect(() => niceTicks(2, 1)).toThrow(/min <= max/);
    expect(() => niceTicks(0, 1, 1)).toThrow(/count must be an integer >= 2/);
  });
});
