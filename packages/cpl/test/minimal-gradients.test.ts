import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import "@cppo/test-utils/minimal-gradients";
import { contrastivePerceptionLoss, contrastivePerceptionLossFromLogits } from "../src/index";

describe("CPL under a registry without comparison-op gradients", () => {
  it("contrastivePerceptionLoss differentiates in all three inputs", () => {
    const inputs = [
      tf.tensor2d([[-1, -0.5, Number.NaN]]),
      tf.tensor2d([[-1.1, -0.5, -1]]),
      tf.tensor2d([[-2, -0.1, -1]]),
    ];
    const mask = tf.tensor2d([[1, 1, 0]]);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      contrastivePerceptionLoss({
        logProbs: a as tf.Tensor2D,
        logProbsPreserved: b as tf.Tensor2D,
        logProbsRemoved: c as tf.Tensor2D,
        mask,
      }),
    )(inputs);
    for (const grad of grads) {
      const values = Array.from(grad.dataSync());
      expect(values.slice(0, 2).every(Number.isFinite)).toBe(true);
      expect(values.slice(0, 2).some((v) => v !== 0)).toBe(true);
      expect(Math.abs(values[2] ?? Number.NaN)).toBe(0);
    }
    tf.dispose([...inputs, mask, ...grads]);
  });

  it("contrastivePerceptionLossFromLogits differentiates, with -Infinity logits", () => {
    const inf = Number.NEGATIVE_INFINITY;
    const inputs = [
      tf.tensor3d([
        [
          [1, 0, inf],
          [0, 2, 1],
        ],
      ]),
      tf.tensor3d([
        [
          [1.1, 0, inf],
          [0, 2.2, 1],
        ],
      ]),
      tf.tensor3d([
        [
          [0, 0, 0],
          [1, 0, 1],
        ],
      ]),
    ];
    const mask = tf.tensor2d([[1, 1]]);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      contrastivePerceptionLossFromLogits({
        logits: a as tf.Tensor3D,
        logitsPreserved: b as tf.Tensor3D,
        logitsRemoved: c as tf.Tensor3D,
        mask,
        tau: 0.5,
      }),
    )(inputs);
    for (const grad of grads) expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([...inputs, mask, ...grads]);
  });
});
