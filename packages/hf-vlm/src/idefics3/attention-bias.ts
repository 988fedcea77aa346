import type { Tensor2D, Tensor5D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

const MASKED = -1e9;

/**
 * `[B, 1, 1, L, T]` additive attention bias for `L` queries that are the last `L` of `T` positions: a query
 * sees keys at or before its own position (causal) that the key mask marks real (`keyMask [B, T]`, 1 or 0).
 */
export function attentionBias(keyMask: Tensor2D, queries: number): Tensor5D {
  const [batch, total] = keyMask.shape;
  const causal = new Float32Array(queries * total);
  for (let q = 0; q < queries; q++) {
    const last = total - queries + q;
    for (let k = 0; k <= last; k++) causal[q * total + k] = 1;
  }
  const visible = tf.mul(
    tf.tensor(causal, [1, 1, 1, queries, total]),
    tf.reshape(keyMask, [batch, 1, 1, 1, total]),
  );
  return tf.mul(tf.sub(1, visible), MASKED) as Tensor5D;
}
