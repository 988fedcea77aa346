import { mixSeed } from "@cppo/random";
import { describe, expect, it } from "vitest";
import { assertSeed, batchSeed, createRng, noiseByte } from "./random";

describe("createRng", () => {
  it("repeats its stream for the same seed and differs across seeds", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed).next);
    const a = createRng(1);
    const b = createRng(1);
    const first = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(first);
    expect(draw(2)).not.toEqual(draw(1));
    expect(draw(-1)).not.toEqual(draw(1));
    expect(draw(2 ** 32 + 1)).not.toEqual(draw(1));
  });

  it("draws uniform numbers: mean 1/2, variance 1/12, ranges respected", () => {
    const rng = createRng(123);
    const n = 20_000;
    let sum = 0;
    let squares = 0;
    let low = 1;
    let high = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      low = Math.min(low, u);
      high = Math.max(high, u);
      sum += u;
      squares += u * u;
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 1);
    expect(squares / n - mean * mean).toBeCloseTo(1 / 12, 2);
    for (let i = 0; i < 200; i++) {
      const v = rng.uniform(-3, 2);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThan(2);
      const k = rng.int(3);
      expect([0, 1, 2]).toContain(k);
    }
  });
});

describe("seeds", () => {
  it("rejects non-integer seeds by name", () => {
    expect(() => assertSeed(0.5)).toThrow("seed must be an integer, got 0.5");
    expect(() => assertSeed(Number.NaN)).toThrow(/seed must be an integer/);
    expect(() => assertSeed("1")).toThrow(/seed must be an integer/);
    expect(() => createRng(1.5)).toThrow(/seed/);
    expect(() => batchSeed(1, -1)).toThrow(/batch index/);
    expect(() => batchSeed(1, 0.5)).toThrow(/batch index/);
  });

  it("derives distinct, reproducible child seeds", () => {
    const seeds = new Set<number>();
    for (let b = 0; b < 1000; b++) seeds.add(batchSeed(7, b));
    expect(seeds.size).toBe(1000);
    expect(batchSeed(7, 3)).toBe(batchSeed(7, 3));
    expect(batchSeed(8, 3)).not.toBe(batchSeed(7, 3));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(Number.isInteger(mixSeed(1, 2)) && mixSeed(1, 2) >= 0 && mixSeed(1, 2) < 2 ** 32).toBe(true);
  });

  it("noise bytes are uniform over 0..255", () => {
    const counts = new Array(4).fill(0);
    for (let i = 0; i < 40_000; i++) counts[noiseByte(99, i) >> 6]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(noiseByte(99, 5)).toBe(noiseByte(99, 5));
  });
});
