import type { Tensor3D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { linear } from "./layers";
import type { Weights } from "./weights";

/**
 * Idefics3's pixel shuffle: `x [N, H*W, D]` (a square grid of patch features, row-major) ->
 * `[N, (H/s)*(W/s), D*s*s]`. Output token `(i, j)` concatenates, for each of the `s` rows `r` of its block
 * in order, the `s` features of row `i*s + r`, columns `j*s .. j*s + s - 1`: exactly transformers' chain of
 * views and permutes.
 *
 * @example
 * pixelShuffle(tf.zeros([1, 1024, 768]) as Tensor3D, 4).shape; // [1, 64, 12288]
 */
export function pixelShuffle(x: Tensor3D, scale: number): Tensor3D {
  const [n, seq, d] = x.shape;
  const side = Math.round(Math.sqrt(seq));
  if (side * side !== seq || side % scale !== 0) {
    throw new Error(`pixelShuffle: ${seq} patches are not a square grid divisible by scale ${scale}`);
  }
  const blocks = side / scale;
  // [n, blockRow, r, blockCol, c, d] -> [n, blockRow, blockCol, r, c, d]
  const grid = tf.reshape(x, [n, blocks, scale, blocks, scale, d]);
  return tf.reshape(tf.transpose(grid, [0, 1, 3, 2, 4, 5]), [
    n,
    blocks * blocks,
    scale * scale * d,
  ]) as Tensor3D;
}

/**
 * The connector: pixel shuffle, then `modality_projection.proj` (no bias) into the text model's width.
 * `hidden [N, P, Dv]` -> `[N, P / s^2, D]`.
 */
export function connector(w: Weights, hidden: Tensor3D, scale: number): Tensor3D {
  return linear(
    pixelShuffle(hidden, scale),
    w.get("model.connector.modality_projection.proj.weight"),
  ) as Tensor3D;
}
