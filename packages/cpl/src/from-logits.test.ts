import { mulberry32 } from "@cppo/random";
import { analyticGradientFlat, expectNoLeak, finiteDifferenceFlat, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { contrastivePerceptionLossFromLogits, cplPerTokenFromLogits } from "./from-logits";

const logSoftmax = (z: number[]) => {
  const max = Math.max(...z);
  const logTotal = Math.log(z.reduce((a, v) => a + Math.exp(v - max), 0)) + max;
  return z.map((v) => v - logTotal);
};
/** KL(p || q) over the vocabulary, p and q given by logits. */
const kl = (zp: number[], zq: number[]) => {
  const lp = logSoftmax(zp);
  const lq = logSoftmax(zq);
  return lp.reduce(
    (a, v, i) => (v === Number.NEGATIVE_INFINITY ? a : a + Math.exp(v) * (v - (lq[i] ?? 0))),
    0,
  );
};
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

const [B, T, V] = [2, 3, 5];
const random = mulberry32(31);
const flat = (scale: number) => Array.from({ length: B * T * V }, () => (random() - 0.5) * scale);
const logits = flat(4);
const preserved = logits.map((v) => v + (random() - 0.5) * 0.5);
const removed = flat(4);
const rowOf = (values: number[], b: number, t: number) => values.slice((b * T + t) * V, (b * T + t + 1) * V);
const tensor = (values: number[]) => tf.tensor3d(values, [B, T, V]);

function referencePerToken(tau: number): number[][] {
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, t) => {
      const z = rowOf(logits, b, t);
      return softplus((kl(z, rowOf(preserved, b, t)) - kl(z, rowOf(removed, b, t))) / tau);
    }),
  );
}

describe("cplPerTokenFromLogits", () => {
  it("matches softplus((KL(p||p+) - KL(p||p-)) / tau) computed over the vocabulary", () => {
    for (const tau of [0.1, 1]) {
      const got = read(
        cplPerTokenFromLogits({
          logits: tensor(logits),
          logitsPreserved: tensor(preserved),
          logitsRemoved: tensor(removed),
          tau,
        }),
      ) as number[][];
      const want = referencePerToken(tau);
      got.forEach((row, b) => {
        row.forEach((v, t) => {
          expect(v).toBeCloseTo(want[b]?.[t] ?? Number.NaN, 4);
        });
      });
    }
  });

  it("is ln 2 for identical views and handles -Infinity logits", () => {
    const inf = Number.NEGATIVE_INFINITY;
    const same = tf.tensor3d([[[1, 2, inf]]]);
    expect(
      (
        read(
          cplPerTokenFromLogits({ logits: same, logitsPreserved: same, logitsRemoved: same }),
        ) as number[][]
      )[0]?.[0],
    ).toBeCloseTo(Math.LN2, 6);
    // A token possible under I but impossible under I- makes kl- huge: CPL -> 0, and the reverse is huge.
    const got = read(
      cplPerTokenFromLogits({
        logits: same,
        logitsPreserved: same,
        logitsRemoved: tf.tensor3d([[[1, inf, inf]]]),
      }),
    ) as number[][];
    expect(got[0]?.[0]).toBe(0);
    const reversed = read(
      cplPerTokenFromLogits({
        logits: same,
        logitsPreserved: tf.tensor3d([[[1, inf, inf]]]),
        logitsRemoved: same,
      }),
    ) as number[][];
    expect(reversed[0]?.[0]).toBeGreaterThan(1e18);
    same.dispose();
  });

  it("rejects mismatched shapes", () => {
    const x = tf.zeros([1, 2, 3]) as tf.Tensor3D;
    expect(() =>
      cplPerTokenFromLogits({
        logits: x,
        logitsPreserved: tf.zeros([1, 2, 4]) as tf.Tensor3D,
        logitsRemoved: x,
      }),
    ).toThrow(/logitsPreserved: expected shape \[1, 2, 3\]/);
    expect(() =>
      cplPerTokenFromLogits({
        logits: tf.zeros([2, 3]) as unknown as tf.Tensor3D,
        logitsPreserved: x,
        logitsRemoved: x,
      }),
    ).toThrow(/rank-3 tensor \[B, T, V\]/);
    x.dispose();
  });
});

describe("contrastivePerceptionLossFromLogits", () => {
  const mask = [
    [1, 0, 1],
    [0, 1, 1],
  ];

  it("is the masked token-mean of the per-token loss", () => {
    const want = referencePerToken(0.1);
    const expected = (want[0]?.[0] ?? 0) + (want[0]?.[2] ?? 0) + (want[1]?.[1] ?? 0) + (want[1]?.[2] ?? 0);
    const got = read(
      contrastivePerceptionLossFromLogits({
        logits: tensor(logits),
        logitsPreserved: tensor(preserved),
        logitsRemoved: tensor(removed),
        mask: tf.tensor2d(mask),
      }),
    );
    expect(got).toBeCloseTo(expected / 4, 5);
  });

  it("has finite-difference gradients with respect to each of the three logits", () => {
    const m = tf.tensor2d(mask);
    const [a, b, c] = [tensor(logits), tensor(preserved), tensor(removed)];
    const cases: [(x: tf.Tensor) => tf.Scalar, number[]][] = [
      [
        (x) =>
          contrastivePerceptionLossFromLogits({
            logits: x as tf.Tensor3D,
            logitsPreserved: b,
            logitsRemoved: c,
            mask: m,
            tau: 0.5,
          }),
        logits,
      ],
      [
        (x) =>
          contrastivePerceptionLossFromLogits({
            logits: a,
            logitsPreserved: x as tf.Tensor3D,
            logitsRemoved: c,
            mask: m,
            tau: 0.5,
          }),
        preserved,
      ],
      [
        (x) =>
          contrastivePerceptionLossFromLogits({
            logits: a,
            logitsPreserved: b,
            logitsRemoved: x as tf.Tensor3D,
            mask: m,
            tau: 0.5,
          }),
        removed,
      ],
    ];
    for (const [f, at] of cases) {
      const grad = analyticGradientFlat(f, at, [B, T, V]);
      const fd = finiteDifferenceFlat(f, at, [B, T, V]);
      grad.forEach((g, i) => {
        expect(Math.abs(g - (fd[i] ?? Number.NaN))).toBeLessThan(2e-3 * (1 + Math.abs(fd[i] ?? 0)));
      });
      // Position [0, 1] is masked out: zero gradient over its whole vocabulary.
      expect(grad.slice(V, 2 * V).map(Math.abs)).toEqual([0, 0, 0, 0, 0]);
    }
    tf.dispose([m, a, b, c]);
  });

  it("gives 0 and zero gradients for an all-zero mask, and ignores NaN padding", () => {
    const m = tf.zeros([B, T]) as tf.Tensor2D;
    const withNan = logits.map((v, i) => (i < V ? Number.NaN : v));
    const inputs = [tensor(withNan), tensor(preserved), tensor(removed)];
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
      contrastivePerceptionLossFromLogits({
        logits: x as tf.Tensor3D,
        logitsPreserved: y as tf.Tensor3D,
        logitsRemoved: z as tf.Tensor3D,
        mask: m,
      }),
    )(inputs);
    expect(read(value)).toBe(0);
    for (const grad of grads) expect((read(grad) as number[][][]).flat(2).every((g) => g === 0)).toBe(true);
    // NaN at the masked position [0, 0] does not reach the loss.
    const partial = contrastivePerceptionLossFromLogits({
      logits: inputs[0] as tf.Tensor3D,
      logitsPreserved: inputs[1] as tf.Tensor3D,
      logitsRemoved: inputs[2] as tf.Tensor3D,
      mask: tf.tensor2d([
        [0, 1, 1],
        [1, 1, 1],
      ]),
    });
    expect(Number.isFinite(read(partial))).toBe(true);
    tf.dispose([m, ...inputs]);
  });

  it("rejects a mask that does not match [B, T]", () => {
    const x = tf.zeros([1, 2, 3]) as tf.Tensor3D;
    expect(() =>
      contrastivePerceptionLossFromLogits({
        logits: x,
        logitsPreserved: x,
        logitsRemoved: x,
        mask: tf.zeros([1, 3]) as tf.Tensor2D,
      }),
    ).toThrow(/mask must be \[B, T\] = \[1, 2\]/);
    x.dispose();
  });

  it("does not leak tensors", () => {
    const [a, b, c, m] = [tensor(logits), tensor(preserved), tensor(removed), tf.tensor2d(mask)];
    expectNoLeak(() =>
      contrastivePerceptionLossFromLogits({ logits: a, logitsPreserved: b, logitsRemoved: c, mask: m }),
    );
    expectNoLeak(() => cplPerTokenFromLogits({ logits: a, logitsPreserved: b, logitsRemoved: c }));
    tf.dispose([a, b, c, m]);
  });
});
