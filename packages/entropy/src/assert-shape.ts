import type * as tf from "@tensorflow/tfjs-core";

/**
 * Throws when `tensor` does not have `rank` dimensions; `name` and `layout` (e.g. "[B, T]") go in the
 * message. Shared by the CPPO loss packages so every bad input reads the same way.
 *
 * @example
 * assertRank(logProbs, 2, "logProbs", "[B, T]");
 * // a [4] tensor throws "logProbs: expected a rank-2 tensor [B, T], got shape [4]"
 */
export function assertRank(tensor: tf.Tensor, rank: number, name: string, layout: string): void {
  if (tensor.rank !== rank) {
    throw new Error(
      `${name}: expected a rank-${rank} tensor ${layout}, got shape [${tensor.shape.join(", ")}]`,
    );
  }
}

/**
 * Throws when `tensor`'s shape differs from `expected` (the shape of the tensor named `expectedName`).
 *
 * @example
 * assertSameShape(mask, logProbs, "mask", "logProbs");
 * // a [2, 3] mask against [2, 4] log-probs throws "mask: expected shape [2, 4] (the shape of logProbs), got [2, 3]"
 */
export function assertSameShape(
  tensor: tf.Tensor,
  expected: tf.Tensor,
  name: string,
  expectedName: string,
): void {
  const same =
    tensor.rank === expected.rank && tensor.shape.every((size, axis) => size === expected.shape[axis]);
  if (!same) {
    throw new Error(
      `${name}: expected shape [${expected.shape.join(", ")}] (the shape of ${expectedName}), got [${tensor.shape.join(", ")}]`,
    );
  }
}
