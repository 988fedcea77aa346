import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import "./minimal-gradients";

describe("the minimal gradient registry", () => {
  it("differentiates elementwise arithmetic, reductions and where", () => {
    const x = tf.tensor1d([1, -2, 3]);
    const grad = tf.grad((t: tf.Tensor) =>
      tf.sum(tf.where(tf.tensor1d([true, true, false], "bool"), tf.mul(t, t), tf.exp(t))),
    )(x);
    const values = Array.from(grad.dataSync());
    expect(values[0]).toBeCloseTo(2, 5);
    expect(values[1]).toBeCloseTo(-4, 5);
    expect(values[2]).toBeCloseTo(Math.exp(3), 3);
    tf.dispose([x, grad]);
  });

  it("leaves ops outside the list without a gradient", () => {
    const x = tf.tensor1d([0.5]);
    expect(() => tf.grad((t: tf.Tensor) => tf.sum(tf.tanh(t)))(x)).toThrow(/Tanh/);
    x.dispose();
  });
});
