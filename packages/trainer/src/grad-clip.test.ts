import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { clipByGlobalNorm } from "./grad-clip";

describe("clipByGlobalNorm", () => {
  it("scales all gradients by maxNorm / norm when the norm is too large", () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])];
    const before = tf.memory().numTensors;
    const { gradients, norm } = clipByGlobalNorm(grads, 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(Array.from(gradients[0]?.dataSync() ?? [])).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(Array.from(gradients[1]?.dataSync() ?? [])).toEqual([0, expect.closeTo(0.8, 5)]);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([...grads, ...gradients]);
  });

  it("leaves small gradients alone and reports a non-finite norm without scaling", () => {
    const small = [tf.tensor1d([0.1, 0.2])];
    const { gradients, norm } = clipByGlobalNorm(small, 1);
    expect(norm).toBeCloseTo(Math.sqrt(0.05), 6);
    expect(Array.from(gradients[0]?.dataSync() ?? [])).toEqual(Array.from(small[0]?.dataSync() ?? []));
    const bad = [tf.tensor1d([Number.NaN, 1])];
    const result = clipByGlobalNorm(bad, 1);
    expect(Number.isNaN(result.norm)).toBe(true);
    expect(() => clipByGlobalNorm(small, 0)).toThrow(/maxNorm/);
    tf.dispose([...small, ...gradients, ...bad, ...result.gradients]);
  });
});
