import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";

/**
 * Runs `fn`, disposes what it returns, and asserts no tensor was left behind.
 *
 * @example
 * expectNoLeak(() => tokenEntropy(logits));
 */
export function expectNoLeak(fn: () => tf.TensorContainer): void {
  const before = tf.memory().numTensors;
  tf.dispose(fn());
  expect(tf.memory().numTensors).toBe(before);
}

/**
 * Reads a tensor as nested arrays and disposes it.
 *
 * @example
 * read(tf.tensor1d([1, 2])); // [1, 2]
 */
export function read(tensor: tf.Tensor): number | number[] | number[][] | number[][][] {
  const value = tensor.arraySync() as number | number[] | number[][] | number[][][];
  tensor.dispose();
  return value;
}

/**
 * Asserts two matrices agree entry by entry within `tolerance` (absolute plus relative).
 *
 * @example
 * expectClose([[1, 2]], [[1, 2.0001]]);
 */
export function expectClose(actual: number[][], expected: number[][], tolerance = 1e-3): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, b) => {
    row.forEach((value, t) => {
      const want = expected[b]?.[t] ?? Number.NaN;
      expect(Math.abs(value - want), `entry [${b}, ${t}]: ${value} vs ${want}`).toBeLessThanOrEqual(
        tolerance * (1 + Math.abs(want)),
      );
    });
  });
}

/**
 * A `[rows, cols]` matrix of numbers from `make`.
 *
 * @example
 * matrix(2, 2, (b, t) => b + t); // [[0, 1], [1, 2]]
 */
export function matrix(rows: number, cols: number, make: (b: number, t: number) => number): number[][] {
  return Array.from({ length: rows }, (_, b) => Array.from({ length: cols }, (_, t) => make(b, t)));
}
