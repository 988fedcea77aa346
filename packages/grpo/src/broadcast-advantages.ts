import { assertSameShape } from "@cppo/entropy";
import * as tf from "@tensorflow/tfjs-core";

/** Checks advantages `[B]` or `[B, T]` against `reference [B, T]` and returns them as `[B, T]`-broadcastable. */
export function advantagesPerToken(advantages: tf.Tensor, reference: tf.Tensor, name: string): tf.Tensor {
  if (advantages.rank === 1) {
    if (advantages.shape[0] !== reference.shape[0]) {
      throw new Error(
        `${name}: advantages [B] must have B = ${reference.shape[0]} (rows of logProbs), got [${advantages.shape[0]}]`,
      );
    }
    return tf.reshape(advantages, [advantages.shape[0] ?? 0, 1]);
  }
  assertSameShape(advantages, reference, `${name}: advantages`, "logProbs");
  return advantages;
}
