import * as tf from "@tensorflow/tfjs-core";

/**
 * Central finite differences of a scalar tensor function at `x [B, T]` (float32, so use eps ~1e-2 on
 * smooth points and compare loosely).
 *
 * @example
 * finiteDifference((x) => tf.sum(tf.square(x)), [[1, 2]]); // ~[[2, 4]]
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

/**
 * The analytic gradient of `f` at `x [B, T]`, from tfjs.
 *
 * @example
 * analyticGradient((x) => tf.sum(tf.square(x)), [[1, 2]]); // [[2, 4]]
 */
export function analyticGradient(f: (x: tf.Tensor2D) => tf.Scalar, x: number[][]): number[][] {
  return tf.tidy(
    () =>
      tf
        .grad((t: tf.Tensor) => f(t as tf.Tensor2D))(tf.tensor2d(x))
        .arraySync() as number[][],
  );
}

/**
 * Central finite differences of a scalar function of a tensor of any shape, over its flat values.
 *
 * @example
 * finiteDifferenceFlat((x) => tf.sum(tf.square(x)), [1, 2, 3, 4], [2, 1, 2]); // ~[2, 4, 6, 8]
 */
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

/**
 * The analytic gradient of `f` at flat `values` of `shape`, flattened.
 *
 * @example
 * analyticGradientFlat((x) => tf.sum(tf.square(x)), [1, 2, 3, 4], [2, 1, 2]); // [2, 4, 6, 8]
 */
export function analyticGradientFlat(
  f: (x: tf.Tensor) => tf.Scalar,
  values: number[],
  shape: number[],
): number[] {
  return tf.tidy(() => Array.from(tf.grad(f)(tf.tensor(values, shape)).dataSync()));
}
