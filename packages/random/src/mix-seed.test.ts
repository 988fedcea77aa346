import { describe, expect, it } from "vitest";
import { mixSeed } from "./mix-seed";

describe("mixSeed", () => {
  it("matches values from an independent Python reimplementation", () => {
    expect(mixSeed(1)).toBe(1863002342);
    expect(mixSeed(-1)).toBe(836817700);
    expect(mixSeed(2 ** 32 + 1)).toBe(3530840802);
    expect(mixSeed(1, 2)).toBe(1272579180);
    expect(mixSeed(1, 2, 3)).toBe(1741703348);
  });

  it("folds left: mixSeed(a, b, c) is mixSeed(mixSeed(a, b), c)", () => {
    expect(mixSeed(9, -4, 2 ** 40, 0)).toBe(mixSeed(mixSeed(mixSeed(9, -4), 2 ** 40), 0));
  });

  it("gives distinct, order-dependent, unsigned 32-bit seeds", () => {
    const seeds = new Set<number>();
    for (let b = 0; b < 2000; b++) seeds.add(mixSeed(7, b));
    expect(seeds.size).toBe(2000);
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(mixSeed(1)).not.toBe(mixSeed(2 ** 32 + 1));
    expect(mixSeed(-1)).not.toBe(mixSeed(2 ** 32 - 1));
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it("rejects missing or non-integer parts, naming the part", () => {
    expect(() => mixSeed()).toThrow("mixSeed: expected at least one integer");
    expect(() => mixSeed(1, 0.5)).toThrow("mixSeed: part 1 must be a safe integer, got 0.5");
    expect(() => mixSeed(Number.NaN)).toThrow(/part 0 must be a safe integer, got NaN/);
    expect(() => mixSeed(2 ** 60)).toThrow(/part 0/);
  });
});
