import { tokenEntropy } from "@cppo/entropy";
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
import { papoPerceptionLoss } from "./papo-perception-loss";

/** PAPO's term over numbers with token-mean aggregation. */
function reference(
  logp: number[][],
  masked: number[][],
  mask: number[][],
  {
    klCoef = 0.01,
    clamp = [0, 0.2] as [number, number] | null,
    h = null as number[][] | null,
    hm = null as number[][] | null,
    entropyCoef = 0.03,
  } = {},
) {
  let kl = 0;
  let hSum = 0;
  let count = 0;
  logp.forEach((row, b) => {
    row.forEach((lp, t) => {
      if ((mask[b]?.[t] ?? 0) === 0) return;
      const d = Math.min(Math.max((masked[b]?.[t] ?? 0) - lp, -20), 20);
      let k3 = Math.min(Math.max(Math.exp(d) - d - 1, -10), 10);
      if (clamp) k3 = Math.min(Math.max(k3, clamp[0]), clamp[1]);
      kl += k3;
      hSum += (h?.[b]?.[t] ?? 0) + (hm?.[b]?.[t] ?? 0);
      count++;
    });
  });
  const klMean = count ? kl / count : 0;
  const entropyTerm = count ? hSum / count : 0;
  return { kl: klMean, entropyTerm, loss: -klCoef * klMean + entropyCoef * entropyTerm };
}

describe("papoPerceptionLoss", () => {
  const random = mulberry32(3);
  const logp = matrix(3, 5, () => -random() * 2);
  // Shifts up to +-1.5 make some tokens exceed the 0.2 clamp.
  const masked = logp.map((row) => row.map((v) => v + (random() * 3 - 1.5)));
  const mask = matrix(3, 5, (b, t) => (t > 3 - b ? 0 : 1));

  it("matches the formula with the default [0, 0.2] clamp and without a clamp", () => {
    for (const clamp of [[0, 0.2] as [number, number], null]) {
      const result = papoPerceptionLoss({
        logProbs: tf.tensor2d(logp),
        logProbsMasked: tf.tensor2d(masked),
        mask: tf.tensor2d(mask),
        klClamp: clamp,
        klCoef: 0.05,
      });
      const want = reference(logp, masked, mask, { clamp, klCoef: 0.05 });
      expect(read(result.kl)).toBeCloseTo(want.kl, 5);
      expect(read(result.loss)).toBeCloseTo(want.loss, 6);
      expect(read(result.entropyTerm)).toBe(0);
    }
    const clampedOff = reference(logp, masked, mask, { clamp: null }).kl;
    expect(clampedOff).toBeGreaterThan(reference(logp, masked, mask).kl);
  });

  it("adds the double-entropy term from both views", () => {
    const logits = tf.randomNormal([3, 5, 7], 0, 2, "float32", 1) as tf.Tensor3D;
    const logitsMasked = tf.randomNormal([3, 5, 7], 0, 2, "float32", 2) as tf.Tensor3D;
    const h = tokenEntropy(logits);
    const hm = tokenEntropy(logitsMasked);
    const result = papoPerceptionLoss({
      logProbs: tf.tensor2d(logp),
      logProbsMasked: tf.tensor2d(masked),
      mask: tf.tensor2d(mask),
      entropy: h,
      entropyMasked: hm,
    });
    const want = reference(logp, masked, mask, {
      h: h.arraySync() as number[][],
      hm: hm.arraySync() as number[][],
    });
    expect(read(result.entropyTerm)).toBeCloseTo(want.entropyTerm, 5);
    expect(read(result.loss)).toBeCloseTo(want.loss, 5);
    expect(read(result.kl)).toBeCloseTo(want.kl, 5);
    tf.dispose([logits, logitsMasked, h, hm]);
  });

  it("has the finite-difference gradient for both log-prob inputs (zero where clamped)", () => {
    const smoothLogp = [[-0.5, -1, -0.2, -2]];
    // k3 values 0.018, 0.07, 0.52 (clamped), 0.0047: away from the 0.2 clamp edge.
    const smoothMasked = [[-0.7, -1.4, -1.4, -2.1]];
    const m = tf.tensor2d([[1, 1, 1, 1]]);
    const ofLogp = (x: tf.Tensor2D) =>
      papoPerceptionLoss({ logProbs: x, logProbsMasked: tf.tensor2d(smoothMasked), mask: m }).loss;
    const gradLogp = analyticGradient(ofLogp, smoothLogp);
    expectClose(gradLogp, finiteDifference(ofLogp, smoothLogp), 2e-3);
    expect(Math.abs(gradLogp[0]?.[2] ?? Number.NaN)).toBe(0);
    // Minimising the loss raises the KL: d loss / d logp = -0.01 / 4 * (1 - e^d) < 0 for d < 0.
    expect(gradLogp[0]?.[0]).toBeCloseTo((-0.01 / 4) * (1 - Math.exp(-0.2)), 6);
    const ofMasked = (x: tf.Tensor2D) =>
      papoPerceptionLoss({ logProbs: tf.tensor2d(smoothLogp), logProbsMasked: x, mask: m }).loss;
    expectClose(analyticGradient(ofMasked, smoothMasked), finiteDifference(ofMasked, smoothMasked), 2e-3);
    m.dispose();
  });

  it("ignores NaN padding and gives 0 for an all-zero mask", () => {
    const nan = Number.NaN;
    const result = papoPerceptionLoss({
      logProbs: tf.tensor2d([[-1, nan]]),
      logProbsMasked: tf.tensor2d([[-1.2, nan]]),
      mask: tf.tensor2d([[1, 0]]),
      entropy: tf.tensor2d([[0.5, nan]]),
      entropyMasked: tf.tensor2d([[0.7, nan]]),
    });
    expect(read(result.kl)).toBeCloseTo(Math.exp(-0.2) + 0.2 - 1, 6);
    expect(read(result.entropyTerm)).toBeCloseTo(1.2, 6);
    read(result.loss);
    const empty = papoPerceptionLoss({
      logProbs: tf.tensor2d([[-1, -2]]),
      logProbsMasked: tf.tensor2d([[-3, -1]]),
      mask: tf.zeros([1, 2]),
    });
    expect([read(empty.loss), read(empty.kl), read(empty.entropyTerm)]).toEqual([0, 0, 0]);
  });

  it("rejects a single entropy, bad shapes and an inverted clamp", () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const base = { logProbs: x, logProbsMasked: x, mask: x };
    expect(() => papoPerceptionLoss({ ...base, entropy: x })).toThrow(/both entropy and entropyMasked/);
    expect(() => papoPerceptionLoss({ ...base, logProbsMasked: tf.zeros([2, 2]) as tf.Tensor2D })).toThrow(
      /logProbsMasked: expected shape \[2, 3\]/,
    );
    expect(() => papoPerceptionLoss({ ...base, klClamp: [0.3, 0.1] })).toThrow(/klClamp/);
    x.dispose();
  });

  it("does not leak tensors", () => {
    const a = tf.tensor2d(logp);
    const b = tf.tensor2d(masked);
    const m = tf.tensor2d(mask);
    expectNoLeak(() =>
      papoPerceptionLoss({ logProbs: a, logProbsMasked: b, mask: m, entropy: a, entropyMasked: b }),
    );
    expectNoLeak(() => papoPerceptionLoss({ logProbs: a, logProbsMasked: b, mask: m, klClamp: null }));
    tf.dispose([a, b, m]);
  });
});
