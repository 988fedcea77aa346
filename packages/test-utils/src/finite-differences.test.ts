import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { analyticGradient, analyticGradientFlat, finiteDifference, finiteDifferenceFlat } from "./index";

const cube = (x: tf.Tensor) => tf.sum(tf.pow(x, 3)) as tf.Scalar;

describe("finite differences and analytic gradients", () => {
  it("both give d/dx sum(x^3) = 3x^2, written out", () => {
    const x = [
      [1, -2],
      [0.5, 3],
    ];
    const want = x.map((row) => row.map((v) => 3 * v * v));
    // central differences of x^3 err by eps^2 exactly (1e-4), plus float32 rounding
    const numeric = finiteDifference(cube, x);
    const analytic = analyticGradient(cube, x);
    x.forEach((row, b) => {
      row.forEach((_, t) => {
        expect(Math.abs((numeric[b]?.[t] ?? Number.NaN) - (want[b]?.[t] ?? 0))).toBeLessThan(0.02);
        expect(analytic[b]?.[t]).toBeCloseTo(want[b]?.[t] ?? Number.NaN, 4);
      });
    });
  });

  it("the flat versions work on any shape and leak nothing", () => {
    const values = [1, -1, 2, 0.5];
    const before = tf.memory().numTensors;
    const numeric = finiteDifferenceFlat(cube, values, [2, 1, 2]);
    const analytic = analyticGradientFlat(cube, values, [2, 1, 2]);
    expect(tf.memory().numTensors).toBe(before);
    values.forEach((v, i) => {
      expect(Math.abs((numeric[i] ?? Number.NaN) - 3 * v * v)).toBeLessThan(0.02);
      expect(analytic[i]).toBeCloseTo(3 * v * v, 4);
    });
  });
});
