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
import { contrastivePerceptionLoss } from "./contrastive-perception-loss";

const k3 = (logp: number, view: number) => {
  const d = Math.min(Math.max(view - logp, -20), 20);
  return Math.min(Math.max(Math.exp(d) - d - 1, -10), 10);
};
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/** token-mean (or per-row mean, then mean over non-empty rows) of the per-token CPL, over numbers. */
function reference(
  logp: number[][],
  plus: number[][],
  minus: number[][],
  mask: number[][],
  tau: number,
  perRow = false,
) {
  const rows: number[] = [];
  let total = 0;
  let count = 0;
  logp.forEach((row, b) => {
    let rowSum = 0;
    let rowCount = 0;
    row.forEach((v, t) => {
      if ((mask[b]?.[t] ?? 0) === 0) return;
      rowSum += softplus((k3(v, plus[b]?.[t] ?? 0) - k3(v, minus[b]?.[t] ?? 0)) / tau);
      rowCount++;
    });
    total += rowSum;
    count += rowCount;
    if (rowCount > 0) rows.push(rowSum / rowCount);
  });
  if (perRow) return rows.length ? rows.reduce((a, c) => a + c, 0) / rows.length : 0;
  return count ? total / count : 0;
}

describe("contrastivePerceptionLoss", () => {
  const random = mulberry32(23);
  const logp = matrix(3, 5, () => -0.5 - random() * 2);
  const plus = logp.map((row) => row.map((v) => v + (random() - 0.5) * 0.4));
  const minus = logp.map((row) => row.map((v) => v + (random() - 0.5) * 1.2));
  const mask = [
    [1, 0, 1, 1, 0],
    [0, 0, 0, 0, 0],
    [1, 1, 1, 1, 1],
  ];
  const loss = (a: number[][], b: number[][], c: number[][], m: number[][], extra = {}) =>
    contrastivePerceptionLoss({
      logProbs: tf.tensor2d(a),
      logProbsPreserved: tf.tensor2d(b),
      logProbsRemoved: tf.tensor2d(c),
      mask: tf.tensor2d(m),
      ...extra,
    });

  it("is the masked token-mean of softplus((kl+ - kl-) / tau)", () => {
    expect(read(loss(logp, plus, minus, mask))).toBeCloseTo(reference(logp, plus, minus, mask, 0.1), 5);
    expect(read(loss(logp, plus, minus, mask, { tau: 0.3, aggregation: "seq-mean-token-mean" }))).toBeCloseTo(
      reference(logp, plus, minus, mask, 0.3, true),
      5,
    );
  });

  it("has finite-difference gradients with respect to each of the three log-probs", () => {
    const m = tf.tensor2d(mask);
    const [a, b, c] = [tf.tensor2d(logp), tf.tensor2d(plus), tf.tensor2d(minus)];
    const cases: [(x: tf.Tensor2D) => tf.Scalar, number[][]][] = [
      [
        (x) => contrastivePerceptionLoss({ logProbs: x, logProbsPreserved: b, logProbsRemoved: c, mask: m }),
        logp,
      ],
      [
        (x) => contrastivePerceptionLoss({ logProbs: a, logProbsPreserved: x, logProbsRemoved: c, mask: m }),
        plus,
      ],
      [
        (x) => contrastivePerceptionLoss({ logProbs: a, logProbsPreserved: b, logProbsRemoved: x, mask: m }),
        minus,
      ],
    ];
    for (const [f, at] of cases) {
      const grad = analyticGradient(f, at);
      expectClose(grad, finiteDifference(f, at, 5e-3), 3e-3);
      // Unmasked tokens get exactly zero gradient, masked ones some gradient.
      expect(Math.abs(grad[1]?.[2] ?? Number.NaN)).toBe(0);
      expect(Math.abs(grad[0]?.[0] ?? 0)).toBeGreaterThan(0);
    }
    tf.dispose([m, a, b, c]);
  });

  it("gives 0 and zero gradients for an all-zero mask", () => {
    const zeros = matrix(3, 5, () => 0);
    const m = tf.tensor2d(zeros);
    const inputs = [tf.tensor2d(logp), tf.tensor2d(plus), tf.tensor2d(minus)];
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
      contrastivePerceptionLoss({
        logProbs: x as tf.Tensor2D,
        logProbsPreserved: y as tf.Tensor2D,
        logProbsRemoved: z as tf.Tensor2D,
        mask: m,
      }),
    )(inputs);
    expect(read(value)).toBe(0);
    for (const grad of grads) expect((read(grad) as number[][]).flat().map(Math.abs)).toEqual(zeros.flat());
    tf.dispose([m, ...inputs]);
  });

  it("ignores NaN and -Infinity padding in value and gradient", () => {
    const nan = Number.NaN;
    const a = [[-1, nan, Number.NEGATIVE_INFINITY]];
    const b = tf.tensor2d([[-1.1, nan, -1]]);
    const c = tf.tensor2d([[-2, -1, nan]]);
    const m = tf.tensor2d([[1, 0, 0]]);
    const f = (x: tf.Tensor2D) =>
      contrastivePerceptionLoss({ logProbs: x, logProbsPreserved: b, logProbsRemoved: c, mask: m });
    expect(read(tf.tidy(() => f(tf.tensor2d(a))))).toBeCloseTo(
      reference([[-1]], [[-1.1]], [[-2]], [[1]], 0.1),
      6,
    );
    const grad = analyticGradient(f, a);
    expect(Number.isFinite(grad[0]?.[0])).toBe(true);
    expect(grad[0]?.slice(1).map(Math.abs)).toEqual([0, 0]);
    tf.dispose([b, c, m]);
  });

  it("rejects bad shapes", () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const base = { logProbs: x, logProbsPreserved: x, logProbsRemoved: x, mask: x };
    expect(() => contrastivePerceptionLoss({ ...base, mask: tf.zeros([2, 4]) as tf.Tensor2D })).toThrow(
      /mask: expected shape \[2, 3\]/,
    );
    expect(() =>
      contrastivePerceptionLoss({ ...base, logProbs: tf.zeros([6]) as unknown as tf.Tensor2D }),
    ).toThrow(/logProbs: expected a rank-2 tensor \[B, T\]/);
    x.dispose();
  });

  it("does not leak tensors, also under tf.grad", () => {
    const [a, b, c, m] = [tf.tensor2d(logp), tf.tensor2d(plus), tf.tensor2d(minus), tf.tensor2d(mask)];
    expectNoLeak(() =>
      contrastivePerceptionLoss({ logProbs: a, logProbsPreserved: b, logProbsRemoved: c, mask: m }),
    );
    expectNoLeak(() =>
      tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
        contrastivePerceptionLoss({
          logProbs: x as tf.Tensor2D,
          logProbsPreserved: y as tf.Tensor2D,
          logProbsRemoved: z as tf.Tensor2D,
          mask: m,
        }),
      )([a, b, c]),
    );
    tf.dispose([a, b, c, m]);
  });
});
