import type { KlEstimator } from "@cppo/grpo";
import { mulberry32 } from "@cppo/random";
import { expectClose, expectNoLeak, matrix, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { cplPerToken } from "./cpl-per-token";

const clamp = (x: number, low: number, high: number) => Math.min(Math.max(x, low), high);
const k3 = (logp: number, view: number) => {
  const d = clamp(view - logp, -20, 20);
  return clamp(Math.exp(d) - d - 1, -10, 10);
};
const estimators: Record<KlEstimator, (logp: number, view: number) => number> = {
  k1: (logp, view) => logp - view,
  k2: (logp, view) => 0.5 * (logp - view) ** 2,
  abs: (logp, view) => Math.abs(logp - view),
  k3,
};
/** The InfoNCE form with one positive and one negative, written out directly. */
const infoNce = (klPlus: number, klMinus: number, tau: number) => {
  const positive = Math.exp(-klPlus / tau);
  return -Math.log(positive / (positive + Math.exp(-klMinus / tau)));
};

function run(logp: number[][], plus: number[][], minus: number[][], tau?: number, estimator?: KlEstimator) {
  return read(
    cplPerToken({
      logProbs: tf.tensor2d(logp),
      logProbsPreserved: tf.tensor2d(plus),
      logProbsRemoved: tf.tensor2d(minus),
      ...(tau === undefined ? {} : { tau }),
      ...(estimator === undefined ? {} : { estimator }),
    }),
  ) as number[][];
}

describe("cplPerToken", () => {
  const random = mulberry32(17);
  const logp = matrix(3, 6, () => -random() * 3);
  const plus = logp.map((row) => row.map((v) => v + (random() - 0.5) * 0.6));
  const minus = logp.map((row) => row.map((v) => v + (random() - 0.5) * 2));

  it("equals the InfoNCE form with k3 similarities (default tau 0.1)", () => {
    const want = logp.map((row, b) =>
      row.map((v, t) => infoNce(k3(v, plus[b]?.[t] ?? 0), k3(v, minus[b]?.[t] ?? 0), 0.1)),
    );
    expectClose(run(logp, plus, minus), want, 1e-4);
  });

  it("uses the requested estimator and tau", () => {
    for (const estimator of ["k1", "k2", "abs"] as const) {
      const want = logp.map((row, b) =>
        row.map((v, t) =>
          infoNce(
            estimators[estimator](v, plus[b]?.[t] ?? 0),
            estimators[estimator](v, minus[b]?.[t] ?? 0),
            0.5,
          ),
        ),
      );
      expectClose(run(logp, plus, minus, 0.5, estimator), want, 1e-4);
    }
  });

  it("is ln 2 when the views change nothing and stays finite at the k3 clamps", () => {
    expect(run([[-1]], [[-1]], [[-1]])[0]?.[0]).toBeCloseTo(Math.LN2, 6);
    // kl+ = 10 (clamped), kl- = 0: softplus(100) = 100. Reversed: softplus(-100) ~ 0.
    const got = run([[-1, -1]], [[-40, -1]], [[-1, -40]]);
    expect(got[0]?.[0]).toBeCloseTo(100, 3);
    expect(got[0]?.[1]).toBeCloseTo(0, 6);
  });

  it("rejects mismatched shapes and a bad tau", () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const y = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => cplPerToken({ logProbs: x, logProbsPreserved: y, logProbsRemoved: x })).toThrow(
      /logProbsPreserved: expected shape \[2, 3\]/,
    );
    expect(() => cplPerToken({ logProbs: x, logProbsPreserved: x, logProbsRemoved: y })).toThrow(
      /logProbsRemoved/,
    );
    for (const tau of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cplPerToken({ logProbs: x, logProbsPreserved: x, logProbsRemoved: x, tau })).toThrow(
        /tau must be a positive finite number/,
      );
    }
    tf.dispose([x, y]);
  });

  it("does not leak tensors", () => {
    const a = tf.tensor2d(logp);
    const b = tf.tensor2d(plus);
    const c = tf.tensor2d(minus);
    expectNoLeak(() => cplPerToken({ logProbs: a, logProbsPreserved: b, logProbsRemoved: c }));
    tf.dispose([a, b, c]);
  });
});
