import * as tf from "@tensorflow/tfjs-core";

/** Below any log-probability whose probability is nonzero in float32 (about -104), far above -Infinity. */
const LOG_PROB_FLOOR = -1e20;

/**
 * Entropy (natural log) of the next-token distribution softmax(logits) at every position.
 *
 * Computed from log-softmax, so logits of magnitude 1e4 are fine; differentiable. A `-Infinity` logit is a
 * token of probability 0 and contributes nothing (masked vocabularies work). A NaN or `+Infinity` logit, or a
 * row of only `-Infinity`, makes that position's entropy NaN.
 *
 * @param logits `[..., V]`, V >= 1
 * @returns entropy `[...]` (the last axis removed), float32
 * @example
 * const logits = tf.tensor3d([[[0, 0, 0, 0], [10, 0, 0, 0]]]); // [B=1, T=2, V=4]
 * tokenEntropy(logits).print(); // [[1.3863, 0.0015]]: ln 4 for the uniform row
 */
export function tokenEntropy(logits: tf.Tensor3D): tf.Tensor2D;
export function tokenEntropy(logits: tf.Tensor2D): tf.Tensor1D;
export function tokenEntropy(logits: tf.Tensor): tf.Tensor;
export function tokenEntropy(logits: tf.Tensor): tf.Tensor {
  if (logits.rank < 1 || logits.shape[logits.rank - 1] === 0) {
    throw new Error(
      `tokenEntropy: logits must be [..., V] with V >= 1, got shape [${logits.shape.join(", ")}]`,
    );
  }
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(tf.cast(logits, "float32"), -1);
    // p log p is 0 * -Inf = NaN for -Inf logits: a floor keeps it 0 (value and gradient). A floor rather than
    // an isFinite test keeps comparison ops, which many gradient registries lack, off the gradient path.
    return tf.neg(tf.sum(tf.mul(tf.exp(logProbs), tf.maximum(logProbs, LOG_PROB_FLOOR)), -1));
  });
}
