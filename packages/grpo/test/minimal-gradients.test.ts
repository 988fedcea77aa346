import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import "@cppo/test-utils/minimal-gradients";
import { aggregateLoss, clippedPolicyLoss, klPenalty, papoPerceptionLoss } from "../src/index";

const logp = tf.tensor2d([
  [-1, -0.5, -2],
  [-0.3, -1.5, Number.NaN],
]);
const other = tf.tensor2d([
  [-1.2, -0.4, -1],
  [-0.9, -1.4, -1],
]);
const mask = tf.tensor2d([
  [1, 1, 1],
  [1, 1, 0],
]);

function gradientOf(f: (x: tf.Tensor2D) => tf.Scalar): number[] {
  return tf.tidy(() =>
    Array.from(
      tf
        .grad((x: tf.Tensor) => f(x as tf.Tensor2D))(logp)
        .dataSync(),
    ),
  );
}

describe("losses under a registry without comparison-op gradients", () => {
  it("clippedPolicyLoss, with and without dual clip, per-row and per-token advantages", () => {
    for (const advantages of [
      tf.tensor1d([1, -1]),
      tf.tensor2d([
        [1, -1, 2],
        [-2, 0.5, 1],
      ]),
    ]) {
      for (const dualClip of [3, null]) {
        const grad = gradientOf(
          (x) => clippedPolicyLoss({ logProbs: x, oldLogProbs: other, advantages, mask, dualClip }).loss,
        );
        expect(grad.slice(0, 5).every(Number.isFinite)).toBe(true);
        expect(Math.abs(grad[5] ?? Number.NaN)).toBe(0);
      }
      advantages.dispose();
    }
  });

  it("klPenalty with every estimator and aggregateLoss in every mode", () => {
    for (const estimator of ["k1", "k2", "k3", "abs"] as const) {
      for (const mode of [
        "token-mean",
        "seq-mean-token-mean",
        "seq-mean-token-sum",
        "seq-mean-token-sum-norm",
      ] as const) {
        const grad = gradientOf((x) => aggregateLoss(klPenalty(x, other, estimator), mask, mode));
        expect(grad.slice(0, 5).every(Number.isFinite)).toBe(true);
      }
    }
  });

  it("papoPerceptionLoss with entropies", () => {
    const grad = gradientOf(
      (x) =>
        papoPerceptionLoss({
          logProbs: x,
          logProbsMasked: other,
          mask,
          entropy: tf.neg(x),
          entropyMasked: other,
        }).loss,
    );
    expect(grad.slice(0, 5).every(Number.isFinite)).toBe(true);
  });
});
