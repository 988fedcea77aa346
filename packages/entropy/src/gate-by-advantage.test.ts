import { expectNoLeak, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { gateByAdvantage } from "./gate-by-advantage";

describe("gateByAdvantage", () => {
  it("drops whole rows with advantage <= 0 or NaN", () => {
    const mask = tf.tensor2d([
      [1, 0, 1],
      [1, 1, 1],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    const got = read(gateByAdvantage(mask, tf.tensor1d([0.3, 0, -2, Number.NaN])));
    expect(got).toEqual([
      [1, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it("gates per token with [B, T] advantages", () => {
    const got = read(gateByAdvantage(tf.tensor2d([[1, 1, 1]]), tf.tensor2d([[1, -1, 1e-9]])));
    expect(got).toEqual([[1, 0, 1]]);
  });

  it("rejects advantages of the wrong length or shape", () => {
    const mask = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => gateByAdvantage(mask, tf.zeros([3]) as tf.Tensor1D)).toThrow(/advantages \[B\].*B = 2/);
    expect(() => gateByAdvantage(mask, tf.zeros([2, 2]) as tf.Tensor2D)).toThrow(/advantages.*\[2, 3\]/);
  });

  it("does not leak tensors", () => {
    const mask = tf.ones([2, 2]) as tf.Tensor2D;
    const adv = tf.tensor1d([1, -1]);
    expectNoLeak(() => gateByAdvantage(mask, adv));
    tf.dispose([mask, adv]);
  });
});
