import { mulberry32 } from "@cppo/random";
import type { Tensor } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { registerTrainingGradients } from "./gradients";

registerTrainingGradients();

/** Compares tf.grad of `sum(f(x) * w)` (random w) with central differences, entry by entry. */
function checkGradient(
  f: (x: Tensor) => Tensor,
  shape: number[],
  seed: number,
  options: { low?: number } = {},
) {
  const next = mulberry32(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const low = options.low ?? -1;
  const values = Float64Array.from({ length: size }, () => low + next() * (1 - low));
  const probe = f(tf.tensor(Float32Array.from(values), shape));
  const weights = tf.tensor(
    Float32Array.from({ length: probe.size }, () => next() - 0.5),
    probe.shape,
  );
  probe.dispose();
  const loss = (x: Tensor) => tf.sum(tf.mul(f(x), weights));
  const x = tf.tensor(Float32Array.from(values), shape);
  const analytic = tf.grad(loss)(x);
  const got = analytic.dataSync();
  const eps = 1e-2;
  for (let i = 0; i < size; i++) {
    const at = (delta: number) =>
      tf.tidy(() => {
        const shifted = Float32Array.from(values);
        shifted[i] = (shifted[i] as number) + delta;
        return loss(tf.tensor(shifted, shape)).dataSync()[0] as number;
      });
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    expect(Math.abs((got[i] as number) - numeric)).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
  }
  tf.dispose([x, analytic, weights]);
}

const constant = (shape: number[], seed: number) => {
  const next = mulberry32(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() - 0.5),
    shape,
  );
};

describe("registerTrainingGradients", () => {
  it("is idempotent", () => {
    expect(registerTrainingGradients()).toEqual([]);
  });

  it("differentiates broadcasting arithmetic", () => {
    const other = constant([1, 3], 2);
    const positive = tf.add(tf.abs(constant([2, 1], 3)), 0.5);
    checkGradient((x) => tf.add(x, other), [2, 3], 1);
    checkGradient((x) => tf.sub(other, x), [2, 3], 2);
    checkGradient((x) => tf.mul(x, other), [2, 3], 3);
    checkGradient((x) => tf.mul(other, x), [1, 3], 4);
    checkGradient((x) => tf.div(x, positive), [2, 3], 5);
    checkGradient((x) => tf.div(other, tf.add(tf.square(x), 0.5)), [2, 1], 6);
    checkGradient((x) => tf.squaredDifference(x, other), [2, 3], 7);
    tf.dispose([other, positive]);
  });

  it("differentiates unary functions", () => {
    checkGradient((x) => tf.neg(tf.square(x)), [5], 1);
    checkGradient((x) => tf.sqrt(x), [5], 2, { low: 0.3 });
    checkGradient((x) => tf.log(x), [5], 3, { low: 0.3 });
    checkGradient((x) => tf.log1p(x), [5], 4, { low: 0.3 });
    checkGradient((x) => tf.exp(x), [5], 5);
    checkGradient((x) => tf.tanh(x), [5], 6);
    checkGradient((x) => tf.sigmoid(x), [5], 7);
    checkGradient((x) => tf.softplus(x), [5], 8);
    checkGradient((x) => tf.abs(x), [5], 9, { low: 0.2 });
    checkGradient((x) => tf.relu(x), [5], 10, { low: 0.2 });
    checkGradient((x) => tf.clipByValue(x, -0.5, 0.5), [6], 11);
  });

  it("differentiates maximum, minimum and where", () => {
    const other = constant([4], 1);
    checkGradient((x) => tf.maximum(x, other), [4], 12);
    checkGradient((x) => tf.minimum(x, other), [4], 16);
    const cond = tf.tensor1d([true, false, true, false], "bool");
    checkGradient((x) => tf.where(cond, tf.exp(x), tf.square(x)), [4], 14);
    tf.dispose([other, cond]);
  });

  it("differentiates matMul with every transpose and a batch", () => {
    const b = constant([3, 4], 1);
    const bt = constant([4, 3], 2);
    checkGradient((x) => tf.matMul(x, b), [2, 3], 1);
    checkGradient((x) => tf.matMul(x, bt, false, true), [2, 3], 2);
    checkGradient((x) => tf.matMul(x, b, true, false), [3, 2], 3);
    checkGradient((x) => tf.matMul(x, bt, true, true), [3, 2], 4);
    checkGradient((x) => tf.matMul(b, x, true, false), [3, 2], 5);
    checkGradient((x) => tf.matMul(bt, x, false, true), [2, 3], 6);
    const batched = constant([2, 2, 3, 2], 7);
    checkGradient((x) => tf.matMul(x, batched), [2, 2, 2, 3], 8);
    checkGradient((x) => tf.matMul(batched, x, true, true), [2, 2, 4, 3], 9);
    tf.dispose([b, bt, batched]);
  });

  it("differentiates reductions, softmax and shape ops", () => {
    checkGradient((x) => tf.sum(x, 1), [2, 3], 1);
    checkGradient((x) => tf.sum(x, -1, true), [2, 3], 2);
    checkGradient((x) => tf.mean(x, [0, 2]), [2, 3, 2], 3);
    checkGradient((x) => tf.softmax(x), [2, 4], 4);
    checkGradient((x) => tf.logSoftmax(x), [2, 4], 5);
    checkGradient((x) => tf.transpose(tf.reshape(x, [2, 3, 2]), [2, 0, 1]), [12], 6);
    checkGradient((x) => tf.slice(x, [0, 1], [-1, 2]), [2, 4], 7);
    checkGradient((x) => tf.concat([x, tf.square(x)], 1), [2, 2], 8);
    checkGradient((x) => tf.mul(tf.split(x, [1, 3], 1)[1] as Tensor, 2), [2, 4], 9);
    checkGradient((x) => tf.tile(x, [2, 3]), [2, 2], 10);
    checkGradient((x) => tf.addN([x, tf.square(x), x]), [3], 11);
    checkGradient((x) => tf.cast(x, "float32"), [3], 12);
  });

  it("differentiates gather (embedding lookup with repeats)", () => {
    const indices = tf.tensor2d(
      [
        [0, 2],
        [2, 2],
      ],
      undefined,
      "int32",
    );
    checkGradient((x) => tf.gather(x, indices), [3, 2], 1);
    indices.dispose();
  });
});
