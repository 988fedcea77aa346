import { describe, expect, it } from "vitest";
import { pick, randomInt } from "./draw";
import { mulberry32 } from "./mulberry32";

describe("randomInt", () => {
  it("is lo + floor(u * (hi - lo + 1)) of the next draw", () => {
    // mulberry32(3) draws, pushed through the formula by an independent Python script.
    const rng = mulberry32(3);
    expect(Array.from({ length: 5 }, () => randomInt(rng, 1, 9))).toEqual([7, 1, 5, 1, 7]);
  });

  it("covers [lo, hi] inclusive, evenly, and nothing else", () => {
    const rng = mulberry32(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 9000; i++) {
      const k = randomInt(rng, -4, 4);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    // expected 1000 each, binomial standard deviation ~31
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
    expect(randomInt(rng, 5, 5)).toBe(5);
  });

  it("rejects bounds that are not integers lo <= hi", () => {
    expect(() => randomInt(mulberry32(0), 3, 2)).toThrow(
      "randomInt: expected integers lo <= hi, got lo=3, hi=2",
    );
    expect(() => randomInt(mulberry32(0), 0, 1.5)).toThrow(/hi=1.5/);
  });
});

describe("pick", () => {
  it("indexes by floor(u * length)", () => {
    expect(pick(mulberry32(3), ["x", "y", "z"])).toBe("z");
  });

  it("rejects an empty array", () => {
    expect(() => pick(mulberry32(0), [])).toThrow("pick: expected a non-empty array");
  });
});
