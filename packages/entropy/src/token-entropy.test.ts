import { mulberry32 } from "@cppo/random";
import { expectNoLeak, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { tokenEntropy } from "./token-entropy";

/** Entropy of softmax(logits) in float64, the textbook way with a max shift. */
function entropyOf(logits: number[]): number {
  const max = Math.max(...logits);
  const weights = logits.map((x) => Math.exp(x - max));
  const total = weights.reduce((a, b) => a + b, 0);
  return -weights.reduce((acc, w) => (w === 0 ? acc : acc + (w / total) * Math.log(w / total)), 0);
}

describe("tokenEntropy", () => {
  it("is ln V for uniform logits, whatever their value", () => {
    const values = read(
      tokenEntropy(
        tf.tensor2d([
          [0, 0, 0, 0, 0],
          [7, 7, 7, 7, 7],
          [-3e4, -3e4, -3e4, -3e4, -3e4],
        ]),
      ),
    );
    for (const v of values as number[]) expect(v).toBeCloseTo(Math.log(5), 5);
  });

  it("matches a float64 formula on random logits [B, T, V]", () => {
    const random = mulberry32(7);
    const rows = Array.from({ length: 2 }, () =>
      Array.from({ length: 3 }, () => Array.from({ length: 11 }, () => (random() - 0.5) * 8)),
    );
    const got = read(tokenEntropy(tf.tensor3d(rows))) as number[][];
    rows.forEach((row, b) => {
      row.forEach((logits, t) => {
        expect(got[b]?.[t]).toBeCloseTo(entropyOf(logits), 5);
      });
    });
  });

  it("stays finite and exact for logits of magnitude 1e4", () => {
    const logits = [
      [1e4, 1e4 - 1, 1e4 - 2, -1e4],
      [-1e4, -1e4, 1e4, 1e4],
      [1e4, -1e4, -1e4, -1e4],
    ];
    const got = read(tokenEntropy(tf.tensor2d(logits))) as number[];
    logits.forEach((row, i) => {
      expect(Number.isFinite(got[i])).toBe(true);
      expect(got[i]).toBeCloseTo(entropyOf(row), 5);
    });
    expect(got[1]).toBeCloseTo(Math.log(2), 6);
    expect(got[2]).toBeCloseTo(0, 6);
  });

  it("treats -Infinity logits as impossible tokens, with finite gradients", () => {
    const logits = tf.tensor2d([[0, 0, Number.NEGATIVE_INFINITY]]);
    expect((read(tokenEntropy(logits)) as number[])[0]).toBeCloseTo(Math.log(2), 6);
    const grad = read(tf.grad((x: tf.Tensor) => tf.sum(tokenEntropy(x)))(logits)) as number[][];
    for (const g of grad[0] ?? []) expect(Number.isNaN(g)).toBe(false);
    logits.dispose();
  });

  it("gives NaN for a NaN logit, a +Infinity logit, or an all -Infinity row, only at that position", () => {
    const inf = Number.POSITIVE_INFINITY;
    const got = read(
      tokenEntropy(
        tf.tensor2d([
          [0, Number.NaN],
          [0, inf],
          [-inf, -inf],
          [0, 0],
        ]),
      ),
    ) as number[];
    expect(got.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(got[3]).toBeCloseTo(Math.log(2), 6);
  });

  it("has the analytic gradient dH/dz_i = -p_i (log p_i + H)", () => {
    const logits = [0.3, -1.2, 2.0, 0.5];
    const z = tf.tensor1d(logits);
    const grad = read(tf.grad((x: tf.Tensor) => tokenEntropy(x))(z)) as number[];
    const max = Math.max(...logits);
    const w = logits.map((x) => Math.exp(x - max));
    const total = w.reduce((a, b) => a + b, 0);
    const p = w.map((x) => x / total);
    const h = entropyOf(logits);
    p.forEach((pi, i) => {
      expect(grad[i]).toBeCloseTo(-pi * (Math.log(pi) + h), 5);
    });
    z.dispose();
  });

  it("rejects scalars and an empty vocabulary", () => {
    expect(() => tokenEntropy(tf.scalar(1))).toThrow(/\[\.\.\., V\]/);
    expect(() => tokenEntropy(tf.zeros([2, 0]) as tf.Tensor)).toThrow(/V >= 1/);
  });

  it("does not leak tensors", () => {
    const logits = tf.tensor3d([[[1, 2, 3]]]);
    expectNoLeak(() => tokenEntropy(logits));
    expectNoLeak(() => tf.grad((x: tf.Tensor) => tf.sum(tokenEntropy(x)))(logits));
    logits.dispose();
  });
});
