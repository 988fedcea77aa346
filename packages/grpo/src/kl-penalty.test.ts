import { analyticGradient, expectClose, expectNoLeak, finiteDifference, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { type KlEstimator, klPenalty } from "./kl-penalty";

const clamp = (x: number, low: number, high: number) => Math.min(Math.max(x, low), high);
const reference: Record<KlEstimator, (logp: number, ref: number) => number> = {
  k1: (logp, ref) => logp - ref,
  k2: (logp, ref) => 0.5 * (logp - ref) ** 2,
  abs: (logp, ref) => Math.abs(logp - ref),
  k3: (logp, ref) => {
    const d = clamp(ref - logp, -20, 20);
    return clamp(Math.exp(d) - d - 1, -10, 10);
  },
};

const logp = [[-0.1, -2, -5, -0.7, -40, -1]];
const refp = [[-0.3, -1, -5, -3, -1, -40]];

describe("klPenalty", () => {
  for (const estimator of ["k1", "k2", "k3", "abs"] as const) {
    it(`${estimator} matches its formula per token, including the clamps`, () => {
      const got = read(klPenalty(tf.tensor2d(logp), tf.tensor2d(refp), estimator)) as number[][];
      expectClose(got, [logp[0]?.map((x, t) => reference[estimator](x, refp[0]?.[t] ?? 0)) ?? []], 1e-5);
    });
  }

  it("k3 saturates at 10 for large differences in either direction", () => {
    const got = read(klPenalty(tf.tensor1d([-40, -1]), tf.tensor1d([-1, -40]))) as number[];
    expect(got).toEqual([10, 10]);
  });

  it("defaults to k3 and has the finite-difference gradient in both arguments", () => {
    const ref = [[-0.3, -1.2, -0.5]];
    const x = [[-0.1, -2, -0.6]];
    const ofLogp = (t: tf.Tensor2D) => tf.sum(klPenalty(t, tf.tensor2d(ref))) as tf.Scalar;
    expectClose(analyticGradient(ofLogp, x), finiteDifference(ofLogp, x));
    const ofRef = (t: tf.Tensor2D) => tf.sum(klPenalty(tf.tensor2d(x), t)) as tf.Scalar;
    expectClose(analyticGradient(ofRef, ref), finiteDifference(ofRef, ref));
    // Analytic: d/dlogp (e^d - d - 1) with d = ref - logp is 1 - e^d.
    expectClose(analyticGradient(ofLogp, x), [
      x[0]?.map((v, t) => 1 - Math.exp((ref[0]?.[t] ?? 0) - v)) ?? [],
    ]);
  });

  it("propagates NaN", () => {
    const got = read(klPenalty(tf.tensor1d([Number.NaN, -1]), tf.tensor1d([-1, -1]))) as number[];
    expect(Number.isNaN(got[0])).toBe(true);
    expect(got[1]).toBe(0);
  });

  it("rejects mismatched shapes and unknown estimators", () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([3, 2]);
    expect(() => klPenalty(a, b)).toThrow(/refLogProbs: expected shape \[2, 3\]/);
    expect(() => klPenalty(a, a, "k4" as KlEstimator)).toThrow(/one of k1, k2, k3, abs, got "k4"/);
    tf.dispose([a, b]);
  });

  it("does not leak tensors", () => {
    const a = tf.tensor2d(logp);
    const b = tf.tensor2d(refp);
    for (const estimator of ["k1", "k2", "k3", "abs"] as const)
      expectNoLeak(() => klPenalty(a, b, estimator));
    tf.dispose([a, b]);
  });
});
