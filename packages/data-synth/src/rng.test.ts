import { describe, expect, it } from "vitest";
import { hashString } from "./hash";
import { mulberry32, pick, randomInt, sample } from "./rng";

describe("mulberry32", () => {
  it("is deterministic by seed and differs across seeds", () => {
    const a = Array.from({ length: 5 }, mulberry32(42));
    const b = Array.from({ length: 5 }, mulberry32(42));
    const c = Array.from({ length: 5 }, mulberry32(43));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("stays in [0, 1) with mean near 1/2", () => {
    const rng = mulberry32(1);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = rng();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.02);
  });
});

describe("randomInt, pick, sample", () => {
  it("randomInt covers [lo, hi] inclusive and nothing else", () => {
    const rng = mulberry32(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(randomInt(rng, 1, 9));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("pick rejects an empty array", () => {
    expect(() => pick(mulberry32(0), [])).toThrow(/non-empty/);
  });

  it("sample returns distinct elements of the input", () => {
    const rng = mulberry32(5);
    for (let t = 0; t < 100; t++) {
      const s = sample(rng, [1, 2, 3, 4, 5, 6], 4);
      expect(new Set(s).size).toBe(4);
      for (const v of s) expect([1, 2, 3, 4, 5, 6]).toContain(v);
    }
  });
});

describe("hashString", () => {
  it("is a stable unsigned 32-bit hash that spreads nearby keys over buckets", () => {
    expect(hashString("abc")).toBe(hashString("abc"));
    expect(hashString("abc")).not.toBe(hashString("abd"));
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const h = hashString(`key${i}`);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      buckets[h % 4] = (buckets[h % 4] as number) + 1;
    }
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });
});
