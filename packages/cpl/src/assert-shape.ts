import type * as tf from "@tensorflow/tfjs-core";

/** Throws when `tensor` does not have `rank` dimensions; `name` and `layout` (e.g. "[B, T]") go in the message. */
export function assertRank(tensor: tf.Tensor, rank: number, name: string, layout: string): void {
  if (tensor.rank !== rank) {
    throw new Error(
      `${name}: expected a rank-${rank} tensor ${layout}, got shape [${tensor.shape.join(", ")}]`,
    );
  }
}

/** Throws when `tensor`'s shape differs from `expected` (the shape of the tensor named `expectedName`). */
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
