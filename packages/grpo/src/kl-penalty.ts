import { assertSameShape } from "@cppo/entropy";
import * as tf from "@tensorflow/tfjs-core";

/** Per-token KL estimators: k1 `logp - logp_ref`, k2 `0.5 (logp - logp_ref)^2`, abs, and k3 (low variance). */
export type KlEstimator = "k1" | "k2" | "k3" | "abs";

const KL_ESTIMATORS: readonly KlEstimator[] = ["k1", "k2", "k3", "abs"];

/**
 * Per-token KL estimate between the policy and a reference, from the sampled tokens' log-probs
 * (METHOD section 2). k3: `d = clamp(logp_ref - logp, -20, 20)`, `kl = clamp(exp(d) - d - 1, -10, 10)`,
 * non-negative and unbiased for KL(policy || ref) when tokens are sampled from the policy.
 * Differentiable with respect to both inputs.
 *
 * @param logProbs `logp [B, T]` (any shape) under the policy
 * @param refLogProbs `logp_ref`, same shape
 * @returns per-token estimate, same shape
 * @example
 * klPenalty(tf.tensor1d([-1, -2]), tf.tensor1d([-1.5, -2]), "k3").print(); // [0.1065, 0]
 */
export function klPenalty<T extends tf.Tensor>(
  logProbs: T,
  refLogProbs: T,
  estimator: KlEstimator = "k3",
): T {
  assertSameShape(refLogProbs, logProbs, "klPenalty: refLogProbs", "logProbs");
  if (!KL_ESTIMATORS.includes(estimator)) {
    throw new Error(`klPenalty: estimator must be one of ${KL_ESTIMATORS.join(", ")}, got "${estimator}"`);
  }
  return tf.tidy(() => {
    const logRatio = tf.sub(logProbs, refLogProbs);
    switch (estimator) {
      case "k1":
        return logRatio as T;
      case "k2":
        return tf.mul(0.5, tf.square(logRatio)) as T;
      case "abs":
        return tf.abs(logRatio) as T;
      default: {
        const d = tf.clipByValue(tf.neg(logRatio), -20, 20);
        return tf.clipByValue(tf.sub(tf.sub(tf.exp(d), d), 1), -10, 10) as T;
      }
    }
  });
}
