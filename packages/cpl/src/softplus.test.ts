import { analyticGradientFlat, expectNoLeak, finiteDifferenceFlat, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { stableSoftplus } from "./softplus";

describe("stableSoftplus", () => {
  it("matches log(1 + e^x) and stays finite for large |x|", () => {
    const xs = [-200, -30, -1, 0, 0.5, 3, 30, 200];
    const got = read(stableSoftplus(tf.tensor1d(xs))) as number[];
    xs.forEach((x, i) => {
      const want = x > 30 ? x : Math.log1p(Math.exp(x));
      expect(got[i]).toBeCloseTo(want, 5);
      expect(Number.isFinite(got[i])).toBe(true);
    });
  });

  it("has gradient sigmoid(x), including 0.5 at x = 0", () => {
    const xs = [-3, -0.2, 0, 0.7, 4];
    const f = (x: tf.Tensor) => tf.sum(stableSoftplus(x)) as tf.Scalar;
    const grad = analyticGradientFlat(f, xs, [5]);
    const fd = finiteDifferenceFlat(f, xs, [5]);
    xs.forEach((x, i) => {
      expect(grad[i]).toBeCloseTo(1 / (1 + Math.exp(-x)), 6);
      expect(grad[i]).toBeCloseTo(fd[i] ?? Number.NaN, 3);
    });
  });

  it("does not leak tensors", () => {
    const x = tf.tensor1d([1, -1]);
    expectNoLeak(() => stableSoftplus(x));
    expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(stableSoftplus(t)))(x));
    x.dispose();
  });
});
