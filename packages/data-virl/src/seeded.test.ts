import { describe, expect, it } from "vitest";
import { hashToUnit, mulberry32, seededShuffle } from "./seeded.js";

describe("mulberry32", () => {
  it("repeats for a seed, differs across seeds, stays in [0, 1) with mean near 1/2", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
    const random = mulberry32(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    // the mean of 20k uniforms has standard deviation 0.002
    expect(Math.abs(sum / 20_000 - 0.5)).toBeLessThan(0.01);
  });
});

describe("seededShuffle", () => {
  it("returns a permutation, the same for the same seed, without touching the input", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const once = seededShuffle(items, 3);
    expect(seededShuffle(items, 3)).toEqual(once);
    expect(seededShuffle(items, 4)).not.toEqual(once);
    expect([...once].sort((x, y) => x - y)).toEqual(items);
    expect(once).not.toEqual(items);
    expect(items[0]).toBe(0);
  });

  it("puts each item first about equally often over many seeds", () => {
    const counts = [0, 0, 0, 0];
    for (let seed = 0; seed < 4000; seed++) {
      const first = seededShuffle([0, 1, 2, 3], seed)[0] as number;
      counts[first] = (counts[first] as number) + 1;
    }
    // expected 1000 each, binomial standard deviation ~27
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });
});

describe("hashToUnit", () => {
  it("depends on key and seed only, and spreads keys uniformly", () => {
    expect(hashToUnit("q1", 5)).toBe(hashToUnit("q1", 5));
    expect(hashToUnit("q1", 5)).not.toBe(hashToUnit("q1", 6));
    expect(hashToUnit("q1", 5)).not.toBe(hashToUnit("q2", 5));
    let below = 0;
    for (let i = 0; i < 10_000; i++) if (hashToUnit(`qid-${i}`, 0) < 0.25) below++;
    expect(Math.abs(below / 10_000 - 0.25)).toBeLessThan(0.02);
  });
});
