import { describe, expect, it } from "vitest";
import { mulberry32 } from "./mulberry32";

describe("mulberry32", () => {
  it("matches the first outputs of an independent uint32 reimplementation", () => {
    // Computed with a separate Python implementation (explicit & 0xFFFFFFFF arithmetic).
    const r42 = mulberry32(42);
    expect([r42(), r42(), r42()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    const r0 = mulberry32(0);
    expect([r0(), r0(), r0()]).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    const rNeg = mulberry32(-1); // taken modulo 2^32, i.e. seed 4294967295
    expect([rNeg(), rNeg()]).toEqual([0.8964226141106337, 0.189478256739676]);
  });

  it("is deterministic by seed and differs across seeds", () => {
    const a = Array.from({ length: 5 }, mulberry32(7));
    expect(Array.from({ length: 5 }, mulberry32(7))).toEqual(a);
    expect(Array.from({ length: 5 }, mulberry32(8))).not.toEqual(a);
  });

  it("is uniform over [0, 1): ten-bin chi-square, mean 1/2, variance 1/12", () => {
    const rng = mulberry32(123);
    const n = 50_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const u = rng();
      expect(u >= 0 && u < 1).toBe(true);
      bins[Math.floor(u * 10)] = (bins[Math.floor(u * 10)] as number) + 1;
      sum += u;
      squares += u * u;
    }
    const expected = n / 10;
    const chi2 = bins.reduce((acc, count) => acc + (count - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: P(chi2 > 27.88) = 0.001
    expect(chi2).toBeLessThan(27.88);
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(squares / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });
});
