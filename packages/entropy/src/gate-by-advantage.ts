import * as tf from "@tensorflow/tfjs-core";
import { assertRank, assertSameShape } from "./assert-shape";

/**
 * Advantage gating (METHOD section 4): zero every token of a response whose advantage is `<= 0` (or NaN).
 *
 * @param mask `[B, T]` token mask, e.g. from {@link selectPerceptionTokens}
 * @param advantages `[B]` (one per response) or `[B, T]` (per token; then gating is per token)
 * @returns float32 `[B, T]`: `mask` where the advantage is positive, else 0
 * @example
 * gateByAdvantage(tf.tensor2d([[1, 1], [1, 0]]), tf.tensor1d([0.5, -1])).print(); // [[1, 1], [0, 0]]
 */
export function gateByAdvantage(mask: tf.Tensor2D, advantages: tf.Tensor1D | tf.Tensor2D): tf.Tensor2D {
  assertRank(mask, 2, "gateByAdvantage: mask", "[B, T]");
  if (advantages.rank === 1) {
    if (advantages.shape[0] !== mask.shape[0]) {
      throw new Error(
        `gateByAdvantage: advantages [B] must have B = ${mask.shape[0]} (rows of mask), got [${advantages.shape[0]}]`,
      );
    }
  } else {
    assertSameShape(advantages, mask, "gateByAdvantage: advantages", "mask");
  }
  return tf.tidy(() => {
    const perToken = advantages.rank === 1 ? tf.reshape(advantages, [mask.shape[0], 1]) : advantages;
    const positive = tf.cast(tf.greater(perToken, 0), "float32");
    return tf.mul(tf.cast(mask, "float32"), positive) as tf.Tensor2D;
  });
}
