import { describe, expect, it } from "vitest";
import { mulberry32 } from "./mulberry32";
import { permutation, shuffle } from "./shuffle";

describe("shuffle", () => {
  it("matches an independent Fisher-Yates over the same draws", () => {
    expect(shuffle(["a", "b", "c", "d", "e"], mulberry32(7))).toEqual(["d", "b", "c", "e", "a"]);
  });

  it("returns a permutation, the same for the same seed, without touching the input", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const once = shuffle(items, mulberry32(3));
    expect(shuffle(items, mulberry32(3))).toEqual(once);
    expect(shuffle(items, mulberry32(4))).not.toEqual(once);
    expect([...once].sort((x, y) => x - y)).toEqual(items);
    expect(once).not.toEqual(items);
    expect(items[0]).toBe(0);
    expect(shuffle([], mulberry32(1))).toEqual([]);
  });

  it("puts each item in each position about equally often", () => {
    const counts = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    const rng = mulberry32(11);
    for (let t = 0; t < 8000; t++) {
      shuffle([0, 1, 2, 3], rng).forEach((item, position) => {
        (counts[item] as number[])[position] = ((counts[item] as number[])[position] as number) + 1;
      });
    }
    // expected 2000 per cell, binomial standard deviation ~39
    for (const row of counts) for (const count of row) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });
});

describe("permutation", () => {
  it("is a seeded shuffle of 0..n-1", () => {
    expect(permutation(6, mulberry32(1))).toEqual([4, 1, 5, 2, 0, 3]);
    const p = permutation(100, mulberry32(9));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(permutation(0, mulberry32(1))).toEqual([]);
  });

  it("rejects a bad n", () => {
    expect(() => permutation(-1, mulberry32(1))).toThrow(
      "permutation: n must be a non-negative integer, got -1",
    );
    expect(() => permutation(2.5, mulberry32(1))).toThrow(/got 2.5/);
  });
});
