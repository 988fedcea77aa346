import { mulberry32 } from "@cppo/random";
import {
  analyticGradient,
  expectClose,
  expectNoLeak,
  finiteDifference,
  matrix,
  read,
} from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { clippedPolicyLoss } from "./clipped-policy-loss";

interface Case {
  logp: number[][];
  old: number[][];
  adv: number[][];
  mask: number[][];
  clipLow: number;
  clipHigh: number;
  dualClip: number | null;
}

/** METHOD section 2 over numbers: token-mean loss and the documented metrics. */
function reference({ logp, old, adv, mask, clipLow, clipHigh, dualClip }: Case) {
  let loss = 0;
  let count = 0;
  let high = 0;
  let low = 0;
  let dual = 0;
  let kl = 0;
  logp.forEach((row, b) => {
    row.forEach((lp, t) => {
      if ((mask[b]?.[t] ?? 0) === 0) return;
      const a = adv[b]?.[t] ?? 0;
      const logRatio = lp - (old[b]?.[t] ?? 0);
      const ratio = Math.exp(Math.min(Math.max(logRatio, -20), 20));
      const clippedRatio = Math.min(Math.max(ratio, 1 - clipLow), 1 + clipHigh);
      const surrogate = Math.max(-a * ratio, -a * clippedRatio);
      let l = surrogate;
      if (dualClip !== null && a < 0) {
        l = Math.min(surrogate, -a * dualClip);
        if (surrogate > -a * dualClip) dual++;
      }
      if (a > 0 && ratio > 1 + clipHigh) high++;
      if (a < 0 && ratio < 1 - clipLow) low++;
      loss += l;
      kl += 0.5 * logRatio ** 2;
      count++;
    });
  });
  const mean = (x: number) => (count === 0 ? 0 : x / count);
  return { loss: mean(loss), high: mean(high), low: mean(low), dual: mean(dual), kl: mean(kl) };
}

function run(c: Case, perRowAdvantages = false) {
  const advantages = perRowAdvantages ? tf.tensor1d(c.adv.map((row) => row[0] ?? 0)) : tf.tensor2d(c.adv);
  const result = clippedPolicyLoss({
    logProbs: tf.tensor2d(c.logp),
    oldLogProbs: tf.tensor2d(c.old),
    advantages,
    mask: tf.tensor2d(c.mask),
    clipLow: c.clipLow,
    clipHigh: c.clipHigh,
    dualClip: c.dualClip,
  });
  return {
    loss: read(result.loss) as number,
    high: read(result.clipFractionHigh) as number,
    low: read(result.clipFractionLow) as number,
    dual: read(result.dualClipFraction) as number,
    kl: read(result.approxKl) as number,
  };
}

function randomCase(seed: number, perRow: boolean, dualClip: number | null): Case {
  const random = mulberry32(seed);
  const rows = 4;
  const cols = 6;
  const rowAdv = Array.from({ length: rows }, () => random() * 4 - 2);
  const old = matrix(rows, cols, () => -random() * 3);
  return {
    old,
    // Log-ratios up to +-2 reach every branch: both clips and the dual clip (ratio > 3 needs > ln 3).
    logp: old.map((row) => row.map((v) => v + (random() * 4 - 2))),
    adv: matrix(rows, cols, (b) => (perRow ? (rowAdv[b] ?? 0) : random() * 4 - 2)),
    mask: matrix(rows, cols, (b, t) => (t >= cols - b ? 0 : 1)),
    clipLow: 0.2,
    clipHigh: 0.28,
    dualClip,
  };
}

describe("clippedPolicyLoss", () => {
  it("reproduces the doc example by hand", () => {
    const got = run({
      logp: [[-1, -0.5]],
      old: [[-1, -1]],
      adv: [[1, 1]],
      mask: [[1, 1]],
      clipLow: 0.2,
      clipHigh: 0.2,
      dualClip: 3,
    });
    expect(got.loss).toBeCloseTo(-1.1, 6);
    expect(got.high).toBeCloseTo(0.5, 6);
    expect(got.kl).toBeCloseTo(0.0625, 6);
  });

  it("matches the reference (loss and every metric) on random cases", () => {
    const seen = { high: 0, low: 0, dual: 0 };
    for (const [seed, perRow, dualClip] of [
      [1, true, 3],
      [2, false, 3],
      [3, true, null],
      [4, false, 1.5],
    ] as const) {
      const c = randomCase(seed, perRow, dualClip);
      const want = reference(c);
      const got = run(c, perRow);
      expect(got.loss).toBeCloseTo(want.loss, 5);
      expect(got.high).toBeCloseTo(want.high, 6);
      expect(got.low).toBeCloseTo(want.low, 6);
      expect(got.dual).toBeCloseTo(want.dual, 6);
      expect(got.kl).toBeCloseTo(want.kl, 5);
      seen.high += want.high;
      seen.low += want.low;
      seen.dual += want.dual;
    }
    // The random cases do exercise each branch.
    expect(seen.high * seen.low * seen.dual).toBeGreaterThan(0);
  });

  it("caps the loss of negative-advantage tokens at -A c", () => {
    // A = -1, ratio e^2 = 7.39: surrogate 7.39, dual clip caps it at 3.
    const base = { old: [[0]], adv: [[-1]], mask: [[1]], clipLow: 0.2, clipHigh: 0.2 };
    expect(run({ ...base, logp: [[2]], dualClip: 3 }).loss).toBeCloseTo(3, 5);
    expect(run({ ...base, logp: [[2]], dualClip: null }).loss).toBeCloseTo(Math.exp(2), 4);
    // Log-ratio 50 is clamped to 20 inside exp.
    expect(run({ ...base, logp: [[50]], dualClip: null }).loss).toBeCloseTo(Math.exp(20), -4);
  });

  it("has the finite-difference gradient with respect to logProbs at smooth points", () => {
    // Log-ratios kept away from the kinks ln 0.8, ln 1.2, ln 3.
    const old = [
      [-1, -2, -0.5, -1.5],
      [-0.3, -0.8, -2, -1],
    ];
    const shift = [
      [-0.5, -0.1, 0.05, 0.4],
      [1.5, -0.4, 0.1, 0.3],
    ];
    const logp = old.map((row, b) => row.map((v, t) => v + (shift[b]?.[t] ?? 0)));
    const mask = [
      [1, 1, 1, 1],
      [1, 1, 1, 0],
    ];
    for (const advantages of [
      tf.tensor1d([0.7, -1.3]),
      tf.tensor2d([
        [1, -1, 0.5, -0.2],
        [-2, 2, 1, 1],
      ]),
    ]) {
      for (const aggregation of ["token-mean", "seq-mean-token-sum"] as const) {
        const f = (x: tf.Tensor2D) =>
          clippedPolicyLoss({
            logProbs: x,
            oldLogProbs: tf.tensor2d(old),
            advantages,
            mask: tf.tensor2d(mask),
            aggregation,
          }).loss;
        expectClose(analyticGradient(f, logp), finiteDifference(f, logp), 2e-3);
      }
      advantages.dispose();
    }
  });

  it("keeps NaN/Inf padding out of the loss and the gradient", () => {
    const logp = [[-1, Number.NaN, Number.NEGATIVE_INFINITY]];
    const mask = tf.tensor2d([[1, 0, 0]]);
    const old = tf.tensor2d([[-1.1, Number.NaN, -1]]);
    const advantages = tf.tensor2d([[1, Number.NaN, 1]]);
    const f = (x: tf.Tensor2D) => clippedPolicyLoss({ logProbs: x, oldLogProbs: old, advantages, mask }).loss;
    const loss = read(tf.tidy(() => f(tf.tensor2d(logp)))) as number;
    expect(loss).toBeCloseTo(-Math.exp(0.1), 5);
    const grad = analyticGradient(f, logp);
    expect(grad[0]?.[0]).toBeCloseTo(-Math.exp(0.1), 5);
    expect(grad[0]?.slice(1).map(Math.abs)).toEqual([0, 0]);
    tf.dispose([mask, old, advantages]);
  });

  it("returns zeros for an all-zero mask", () => {
    const got = run({
      logp: [[-1, -2]],
      old: [[-3, -1]],
      adv: [[1, -1]],
      mask: [[0, 0]],
      clipLow: 0.2,
      clipHigh: 0.2,
      dualClip: 3,
    });
    expect(got).toEqual({ loss: 0, high: 0, low: 0, dual: 0, kl: 0 });
  });

  it("rejects bad shapes and clip settings", () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const base = { logProbs: x, oldLogProbs: x, advantages: tf.zeros([2]) as tf.Tensor1D, mask: x };
    expect(() => clippedPolicyLoss({ ...base, oldLogProbs: tf.zeros([3, 2]) as tf.Tensor2D })).toThrow(
      /oldLogProbs: expected shape \[2, 3\]/,
    );
    expect(() => clippedPolicyLoss({ ...base, advantages: tf.zeros([3]) as tf.Tensor1D })).toThrow(
      /advantages \[B\] must have B = 2/,
    );
    expect(() => clippedPolicyLoss({ ...base, advantages: tf.zeros([2, 2]) as tf.Tensor2D })).toThrow(
      /advantages: expected shape \[2, 3\]/,
    );
    expect(() => clippedPolicyLoss({ ...base, clipLow: 1 })).toThrow(/clipLow must be in \[0, 1\)/);
    expect(() => clippedPolicyLoss({ ...base, clipHigh: -0.1 })).toThrow(/clipHigh/);
    expect(() => clippedPolicyLoss({ ...base, dualClip: 1 })).toThrow(/dualClip must be > 1 or null/);
  });

  it("does not leak tensors", () => {
    const x = tf.tensor2d([[-1, -2]]);
    const y = tf.tensor2d([[-1.5, -1]]);
    const advantages = tf.tensor1d([1]);
    const mask = tf.ones([1, 2]) as tf.Tensor2D;
    expectNoLeak(() => clippedPolicyLoss({ logProbs: x, oldLogProbs: y, advantages, mask }));
    expectNoLeak(() => clippedPolicyLoss({ logProbs: x, oldLogProbs: y, advantages, mask, dualClip: null }));
    expectNoLeak(() =>
      tf.grad(
        (t: tf.Tensor) =>
          clippedPolicyLoss({ logProbs: t as tf.Tensor2D, oldLogProbs: y, advantages, mask }).loss,
      )(x),
    );
    tf.dispose([x, y, advantages, mask]);
  });
});
