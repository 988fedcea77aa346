import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import "@cppo/test-utils/minimal-gradients";
import { selectPerceptionTokens, tokenEntropy } from "../src/index";

describe("under a registry without comparison-op gradients", () => {
  it("tokenEntropy differentiates, with -Infinity logits", () => {
    const logits = tf.tensor2d([
      [0.5, -1, Number.NEGATIVE_INFINITY],
      [2, 0, 1],
    ]);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tokenEntropy(x)))(logits);
    const values = Array.from(grad.dataSync());
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.abs(values[2] ?? Number.NaN)).toBe(0);
    tf.dispose([logits, grad]);
  });

  it("a loss weighted by selectPerceptionTokens differentiates through the entropies", () => {
    const logits = tf.tensor3d([
      [
        [2, 0, 0],
        [0, 0, 0],
      ],
    ]);
    const removed = tf.tensor2d([[1.2, 0.1]]);
    const grad = tf.grad((x: tf.Tensor) => {
      const entropy = tokenEntropy(x) as tf.Tensor2D;
      const mask = selectPerceptionTokens({
        entropy,
        entropyRemoved: removed,
        responseMask: tf.ones([1, 2]),
      });
      return tf.sum(tf.mul(mask, entropy));
    })(logits);
    // Token 0 (H = 0.46 < 1.2) is selected: its gradient is dH/dz; token 1 is not: zero.
    const values = Array.from(grad.dataSync());
    expect(values.slice(0, 3).some((v) => v !== 0)).toBe(true);
    expect(values.slice(3).map(Math.abs)).toEqual([0, 0, 0]);
    tf.dispose([logits, removed, grad]);
  });
});
