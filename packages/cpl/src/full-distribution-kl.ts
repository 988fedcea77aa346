import * as tf from "@tensorflow/tfjs-core";

/** Below any log-probability whose probability is nonzero in float32 (about -104), far above -Infinity. */
const LOG_PROB_FLOOR = -1e20;

/**
 * `KL(p || q)` per position over the last axis, from log-probabilities `[..., V]`: `sum_v p_v (log p_v - log q_v)`.
 * Both log-probs are floored at -1e20, so entries with `p_v = 0` contribute 0 (with zero gradient) even where
 * `q_v = 0` too, and a `q_v = 0` under `p_v > 0` gives a KL of order `p_v * 1e20` instead of Infinity.
 * (A floor rather than an isFinite test keeps comparison ops off the gradient path.)
 */
export function fullDistributionKl(logP: tf.Tensor, logQ: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const difference = tf.sub(tf.maximum(logP, LOG_PROB_FLOOR), tf.maximum(logQ, LOG_PROB_FLOOR));
    return tf.sum(tf.mul(tf.exp(logP), difference), -1);
  });
}
