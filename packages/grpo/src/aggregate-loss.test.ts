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
import { aggregateLoss, type LossAggregation } from "./aggregate-loss";

const MODES: LossAggregation[] = [
  "token-mean",
  "seq-mean-token-mean",
  "seq-mean-token-sum",
  "seq-mean-token-sum-norm",
];

function referenceAggregate(loss: number[][], mask: number[][], mode: LossAggregation, normLength?: number) {
  const length = normLength ?? loss[0]?.length ?? 0;
  let total = 0;
  let weight = 0;
  const rowLosses: number[] = [];
  loss.forEach((row, b) => {
    let sum = 0;
    let rowWeight = 0;
    row.forEach((value, t) => {
      const m = mask[b]?.[t] ?? 0;
      if (m !== 0) {
        sum += value * m;
        rowWeight += m;
      }
    });
    total += sum;
    weight += rowWeight;
    if (rowWeight === 0) return;
    if (mode === "seq-mean-token-mean") rowLosses.push(sum / rowWeight);
    else if (mode === "seq-mean-token-sum") rowLosses.push(sum);
    else rowLosses.push(sum / length);
  });
  if (mode === "token-mean") return weight === 0 ? 0 : total / weight;
  return rowLosses.length === 0 ? 0 : rowLosses.reduce((a, b) => a + b, 0) / rowLosses.length;
}

const aggregate = (loss: number[][], mask: number[][], mode?: LossAggregation, normLength?: number) =>
  read(
    aggregateLoss(tf.tensor2d(loss), tf.tensor2d(mask), mode, normLength === undefined ? {} : { normLength }),
  ) as number;

describe("aggregateLoss", () => {
  const loss = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ];
  const mask = [
    [1, 1, 0],
    [1, 0, 0],
    [0, 0, 0],
  ];

  it("computes each mode by hand, skipping the all-padding row", () => {
    expect(aggregate(loss, mask)).toBeCloseTo(7 / 3, 6);
    expect(aggregate(loss, mask, "seq-mean-token-mean")).toBeCloseTo((1.5 + 4) / 2, 6);
    expect(aggregate(loss, mask, "seq-mean-token-sum")).toBeCloseTo((3 + 4) / 2, 6);
    expect(aggregate(loss, mask, "seq-mean-token-sum-norm")).toBeCloseTo((3 / 3 + 4 / 3) / 2, 6);
    expect(aggregate(loss, mask, "seq-mean-token-sum-norm", 10)).toBeCloseTo((0.3 + 0.4) / 2, 6);
  });

  it("matches the reference on random matrices, masks and modes", () => {
    const random = mulberry32(5);
    for (const mode of MODES) {
      const l = matrix(5, 7, () => random() * 4 - 2);
      const m = matrix(5, 7, (b) => (b === 2 ? 0 : random() < 0.6 ? 1 : 0));
      expect(aggregate(l, m, mode)).toBeCloseTo(referenceAggregate(l, m, mode), 5);
    }
  });

  it("ignores NaN and Infinity where the mask is 0, in value and gradient", () => {
    const bad = [[1, Number.NaN, Number.POSITIVE_INFINITY]];
    for (const mode of MODES) {
      expect(aggregate(bad, [[1, 0, 0]], mode)).toBeCloseTo(
        mode === "seq-mean-token-sum-norm" ? 1 / 3 : 1,
        6,
      );
      const grad = analyticGradient((x) => aggregateLoss(x, tf.tensor2d([[1, 0, 0]]), mode), bad);
      expect(grad[0]?.slice(1).map(Math.abs)).toEqual([0, 0]);
    }
  });

  it("gives 0 and a zero gradient, not NaN, for an all-zero mask", () => {
    const zeros = [
      [0, 0],
      [0, 0],
    ];
    for (const mode of MODES) {
      expect(
        aggregate(
          [
            [1, 2],
            [3, 4],
          ],
          zeros,
          mode,
        ),
      ).toBe(0);
      const grad = analyticGradient(
        (x) => aggregateLoss(x, tf.tensor2d(zeros), mode),
        [
          [1, 2],
          [3, 4],
        ],
      );
      expect(grad).toEqual(zeros);
    }
  });

  it("has the finite-difference gradient in every mode", () => {
    const random = mulberry32(9);
    const x = matrix(3, 4, () => random() * 2 - 1);
    const m = matrix(3, 4, (b, t) => (b === 1 && t > 0 ? 0 : 1));
    for (const mode of MODES) {
      // A smooth (non-linear) loss so the chain rule is exercised too.
      const f = (t: tf.Tensor2D) => aggregateLoss(tf.square(t) as tf.Tensor2D, tf.tensor2d(m), mode);
      expectClose(analyticGradient(f, x), finiteDifference(f, x), 2e-3);
    }
  });

  it("rejects bad shapes, modes and norm lengths", () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    const b = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => aggregateLoss(a, b)).toThrow(/mask: expected shape \[2, 3\]/);
    expect(() => aggregateLoss(a, a, "mean" as LossAggregation)).toThrow(/mode must be one of/);
    expect(() => aggregateLoss(a, a, "seq-mean-token-sum-norm", { normLength: 0 })).toThrow(/normLength/);
    expect(() => aggregateLoss(tf.zeros([3]) as unknown as tf.Tensor2D, a)).toThrow(/rank-2 tensor \[B, T\]/);
    tf.dispose([a, b]);
  });

  it("does not leak tensors", () => {
    const l = tf.tensor2d(loss);
    const m = tf.tensor2d(mask);
    for (const mode of MODES) expectNoLeak(() => aggregateLoss(l, m, mode));
    tf.dispose([l, m]);
  });
});
