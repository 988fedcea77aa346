import { assertSameShape } from "@cppo/entropy";
import { type KlEstimator, klPenalty } from "@cppo/grpo";
import * as tf from "@tensorflow/tfjs-core";
import { stableSoftplus } from "./softplus";

/** Inputs of {@link cplPerToken}. */
export interface CplPerTokenArgs {
  /** `logp [B, T]`: sampled tokens' log-probs under the original image `I`. */
  logProbs: tf.Tensor2D;
  /** `logp+ [B, T]`: the same tokens under the information-preserving view `I+`. */
  logProbsPreserved: tf.Tensor2D;
  /** `logp- [B, T]`: the same tokens under the information-removing view `I-`. */
  logProbsRemoved: tf.Tensor2D;
  /** Temperature. Default 0.1. */
  tau?: number;
  /** Per-token KL estimator from `@cppo/grpo`. Default `k3`. */
  estimator?: KlEstimator;
}

/** Throws unless `tau` is a positive finite number. */
export function assertTau(tau: number, name: string): void {
  if (!(tau > 0 && Number.isFinite(tau)))
    throw new Error(`${name}: tau must be a positive finite number, got ${tau}`);
}

/**
 * Per-token Contrastive Perception Loss (METHOD section 5):
 * `CPL_t = softplus((kl+_t - kl-_t) / tau)` with `kl±_t = klPenalty(logp_t, logp±_t, estimator)`
 * (for k3: `d = logp± - logp`). Equal to InfoNCE with one positive, one negative and similarity `-kl / tau`:
 * `-log(e^{-kl+/tau} / (e^{-kl+/tau} + e^{-kl-/tau}))`. Small when the preserving view keeps the policy
 * close and the removing view moves it away. Gradients reach all three inputs.
 *
 * @returns `CPL [B, T]`
 * @example
 * cplPerToken({
 *   logProbs: tf.tensor2d([[-1]]),
 *   logProbsPreserved: tf.tensor2d([[-1]]),
 *   logProbsRemoved: tf.tensor2d([[-1]]),
 * }).print(); // [[0.6931]]: ln 2 when neither view changes anything
 */
export function cplPerToken({
  logProbs,
  logProbsPreserved,
  logProbsRemoved,
  tau = 0.1,
  estimator = "k3",
}: CplPerTokenArgs): tf.Tensor2D {
  assertSameShape(logProbsPreserved, logProbs, "cplPerToken: logProbsPreserved", "logProbs");
  assertSameShape(logProbsRemoved, logProbs, "cplPerToken: logProbsRemoved", "logProbs");
  assertTau(tau, "cplPerToken");
  return tf.tidy(() => {
    const klPreserved = klPenalty(logProbs, logProbsPreserved, estimator);
    const klRemoved = klPenalty(logProbs, logProbsRemoved, estimator);
    return stableSoftplus(tf.div(tf.sub(klPreserved, klRemoved), tau)) as tf.Tensor2D;
  });
}
