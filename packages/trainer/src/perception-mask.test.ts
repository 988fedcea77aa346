import { selectPerceptionTokens } from "@cppo/entropy";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { selectOnNumbers } from "./perception-mask";
import { mulberry32 } from "./rng";

describe("selectOnNumbers (the wasm path of perceptionMask)", () => {
  it("worked example: 4 candidates, k = 2, scores [0.5, 0.33, 0.17, 0.67]", () => {
    expect(Array.from(selectOnNumbers([1, 1, 1, 1], [2, 1.5, 1.2, 3], [1, 1, 1, 1], 1, 4, 0.5))).toEqual([
      1, 0, 0, 1,
    ]);
  });

  it("skips padding and negative shifts, keeps ties, selects nothing without candidates", () => {
    // Row 0: token 3 is padding; candidates 0 and 2 (shift > 0); k = max(1, floor(0.5 * 2)) = 1 -> the larger score.
    // Row 1: equal scores tie at the threshold: both kept. Row 2: no positive shift.
    const h = [1, 2, 1, 0, 1, 1, 5, 5, 1, 1, 1, 1];
    const hm = [3, 1, 1.5, 9, 2, 2, 6, 6, 0.5, 1, 0, 1];
    const mask = [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1];
    expect(Array.from(selectOnNumbers(h, hm, mask, 3, 4, 0.5))).toEqual([1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("agrees with @cppo/entropy's selectPerceptionTokens on random inputs", () => {
    const next = mulberry32(4);
    const [rows, length] = [6, 9];
    const draw = () => Array.from({ length: rows * length }, () => next() * 3);
    const h = draw();
    const hm = draw();
    const mask = Array.from({ length: rows * length }, (_, i) => (i % length < 7 ? 1 : 0));
    for (const p of [0.05, 0.5, 1]) {
      const expected = tf.tidy(() =>
        selectPerceptionTokens({
          entropy: tf.tensor2d(h, [rows, length]),
          entropyRemoved: tf.tensor2d(hm, [rows, length]),
          responseMask: tf.tensor2d(mask, [rows, length]),
          topFraction: p,
        }).dataSync(),
      );
      expect(Array.from(selectOnNumbers(h, hm, mask, rows, length, p))).toEqual(Array.from(expected));
    }
    expect(() => selectOnNumbers(h, hm, mask, rows, length, 0)).toThrow(/topFraction/);
  });
});
