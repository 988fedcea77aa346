import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle ships no gradient functions (the @tensorflow/tfjs union registers them); the
// ESM sources do, and vitest can load them.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { expect } from "vitest";

/** Runs `fn`, disposes what it returns, and asserts no tensor was left behind. */
export function expectNoLeak(fn: () => tf.TensorContainer): void {
  const before = tf.memory().numTensors;
  tf.dispose(fn());
  expect(tf.memory().numTensors).toBe(before);
}

/** Reads a tensor as nested arrays and disposes it. */
export function read(tensor: tf.Tensor): number | number[] | number[][] | number[][][] {
  const value = tensor.arraySync() as number | number[] | number[][] | number[][][];
  tensor.dispose();
  return value;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Central finite differences of a scalar tensor function at `x [B, T]` (float32, so use eps ~1e-2 on
 * smooth points and compare loosely).
 */
export function finiteDifference(f: (x: tf.Tensor2D) => tf.Scalar, x: number[][], eps = 1e-2): number[][] {
  const at = (values: number[][]) => tf.tidy(() => f(tf.tensor2d(values)).dataSync()[0] ?? Number.NaN);
  return x.map((row, b) =>
    row.map((_, t) => {
      const shifted = (delta: number) =>
        x.map((r, i) => r.map((v, j) => (i === b && j === t ? v + delta : v)));
      return (at(shifted(eps)) - at(shifted(-eps))) / (2 * eps);
    }),
  );
}

/** The analytic gradient of `f` at `x [B, T]`, from tfjs. */
export function analyticGradient(f: (x: tf.Tensor2D) => tf.Scalar, x: number[][]): number[][] {
  return tf.tidy(
    () =>
      tf
        .grad((t: tf.Tensor) => f(t as tf.Tensor2D))(tf.tensor2d(x))
        .arraySync() as number[][],
  );
}

/** Asserts two matrices agree entry by entry within `tolerance` (absolute plus relative). */
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

/** A `[rows, cols]` matrix of numbers from `make`. */
export function matrix(rows: number, cols: number, make: (b: number, t: number) => number): number[][] {
  return Array.from({ length: rows }, (_, b) => Array.from({ length: cols }, (_, t) => make(b, t)));
}

/** Central finite differences of a scalar function of a tensor of any shape, over its flat values. */
export function finiteDifferenceFlat(
  f: (x: tf.Tensor) => tf.Scalar,
  values: number[],
  shape: number[],
  eps = 1e-2,
): number[] {
  const at = (v: number[]) => tf.tidy(() => f(tf.tensor(v, shape)).dataSync()[0] ?? Number.NaN);
  return values.map((_, i) => {
    const plus = values.map((v, j) => (j === i ? v + eps : v));
    const minus = values.map((v, j) => (j === i ? v - eps : v));
    return (at(plus) - at(minus)) / (2 * eps);
  });
}

/** The analytic gradient of `f` at flat `values` of `shape`, flattened. */
export function analyticGradientFlat(
  f: (x: tf.Tensor) => tf.Scalar,
  values: number[],
  shape: number[],
): number[] {
  return tf.tidy(() => Array.from(tf.grad(f)(tf.tensor(values, shape)).dataSync()));
}
