import { mulberry32, permutation } from "@cppo/random";
import { describe, expect, it } from "vitest";
import { sampleToken } from "./sample";

describe("sampleToken", () => {
  it("returns the untempered log-softmax of the drawn token", () => {
    const logits = [1, 2, 0.5];
    const logZ = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5));
    const next = mulberry32(3);
    for (let i = 0; i < 20; i++) {
      const { token, logProb } = sampleToken(logits, 0.7, 1, next);
      expect(logProb).toBeCloseTo((logits[token] as number) - logZ, 10);
    }
  });

  it("is greedy at temperature 0 and with a tiny top-p", () => {
    expect(sampleToken([0, 3, 1], 0, 1, mulberry32(1)).token).toBe(1);
    const next = mulberry32(2);
    for (let i = 0; i < 20; i++) expect(sampleToken([0, 3, 2.9], 1, 0.01, next).token).toBe(1);
  });

  it("draws with the softmax frequencies", () => {
    // p = [0.25, 0.75]
    const next = mulberry32(9);
    let ones = 0;
    for (let i = 0; i < 4000; i++) ones += sampleToken([0, Math.log(3)], 1, 1, next).token;
    expect(ones / 4000).toBeGreaterThan(0.72);
    expect(ones / 4000).toBeLessThan(0.78);
  });

  it("keeps the smallest nucleus reaching top-p", () => {
    // p = [0.5, 0.3, 0.2]: topP 0.7 keeps tokens 0 and 1 only
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    const next = mulberry32(5);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(sampleToken(logits, 1, 0.7, next).token);
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it("never picks a -Infinity logit and rejects NaN", () => {
    const next = mulberry32(4);
    for (let i = 0; i < 200; i++)
      expect(sampleToken([0, Number.NEGATIVE_INFINITY], 1, 1, next).token).toBe(0);
    expect(() => sampleToken([0, Number.NaN], 1, 1, next)).toThrow(/logits\[1\] is NaN/);
  });
});

describe("mulberry32", () => {
  it("repeats for a seed, differs across seeds, stays in [0, 1)", () => {
    const a = Array.from({ length: 5 }, mulberry32(1));
    expect(Array.from({ length: 5 }, mulberry32(1))).toEqual(a);
    expect(Array.from({ length: 5 }, mulberry32(2))).not.toEqual(a);
    const next = mulberry32(7);
    for (let i = 0; i < 1000; i++) {
      const x = next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it("shuffles into a permutation", () => {
    const order = permutation(50, mulberry32(1));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
