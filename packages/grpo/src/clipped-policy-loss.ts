import { assertRank, assertSameShape } from "@cppo/entropy";
import * as tf from "@tensorflow/tfjs-core";
import { aggregateLoss, type LossAggregation } from "./aggregate-loss";
import { advantagesPerToken } from "./broadcast-advantages";

/** Inputs of {@link clippedPolicyLoss}. */
export interface ClippedPolicyLossArgs {
  /** `logp [B, T]` of the sampled tokens under the policy being optimised. */
  logProbs: tf.Tensor2D;
  /** `logp_old [B, T]` under the policy that generated the samples (a constant). */
  oldLogProbs: tf.Tensor2D;
  /** `A [B]` (one per response) or `[B, T]`. */
  advantages: tf.Tensor1D | tf.Tensor2D;
  /** `[B, T]` response mask. */
  mask: tf.Tensor2D;
  /** Lower clip `eps_low`: the ratio is clipped at `1 - clipLow`. Default 0.2. */
  clipLow?: number;
  /** Upper clip `eps_high`: the ratio is clipped at `1 + clipHigh`. Default 0.2. */
  clipHigh?: number;
  /** Dual-clip constant c > 1 for A < 0 (the loss is capped at `-A c`); `null` disables it. Default 3. */
  dualClip?: number | null;
  /** Default `token-mean`. */
  aggregation?: LossAggregation;
  /** For `seq-mean-token-sum-norm`. Default T. */
  normLength?: number;
}

/** Scalars returned by {@link clippedPolicyLoss}; the caller disposes them. */
// A type alias (not an interface) so a result can be passed straight to tf.dispose.
export type ClippedPolicyLossResult = {
  /** The aggregated clipped surrogate (minimise it). */
  loss: tf.Scalar;
  /** Share of masked tokens with A > 0 and ratio > 1 + clipHigh (the upper clip binds). */
  clipFractionHigh: tf.Scalar;
  /** Share of masked tokens with A < 0 and ratio < 1 - clipLow (the lower clip binds). */
  clipFractionLow: tf.Scalar;
  /** Share of masked tokens with A < 0 where the dual clip `-A c` binds. */
  dualClipFraction: tf.Scalar;
  /** Masked token-mean of `0.5 (logp - logp_old)^2` (the k2 estimator; no gradient intended). */
  approxKl: tf.Scalar;
};

/**
 * PPO/GRPO clipped surrogate with dual clip (METHOD section 2). Per token, with
 * `rho = exp(clamp(logp - logp_old, -20, 20))`:
 * `l = max(-A rho, -A clip(rho, 1 - clipLow, 1 + clipHigh))`, and for A < 0 `l = min(l, -A c)`.
 * Masked-out tokens are replaced by 0 before any arithmetic, so NaN/Inf padding reaches neither the loss nor
 * its gradient. The metrics are token-means over the mask whatever the aggregation. All results are fresh
 * scalars (made inside a tidy): the caller disposes them.
 *
 * @example
 * const { loss, clipFractionHigh } = clippedPolicyLoss({
 *   logProbs: tf.tensor2d([[-1, -0.5]]),
 *   oldLogProbs: tf.tensor2d([[-1, -1]]),
 *   advantages: tf.tensor1d([1]),
 *   mask: tf.tensor2d([[1, 1]]),
 * });
 * loss.print(); // -(1 + 1.2) / 2 = -1.1: the second token's ratio e^0.5 is clipped at 1.2
 * clipFractionHigh.print(); // 0.5
 */
export function clippedPolicyLoss({
  logProbs,
  oldLogProbs,
  advantages,
  mask,
  clipLow = 0.2,
  clipHigh = 0.2,
  dualClip = 3,
  aggregation = "token-mean",
  normLength,
}: ClippedPolicyLossArgs): ClippedPolicyLossResult {
  assertRank(logProbs, 2, "clippedPolicyLoss: logProbs", "[B, T]");
  assertSameShape(oldLogProbs, logProbs, "clippedPolicyLoss: oldLogProbs", "logProbs");
  assertSameShape(mask, logProbs, "clippedPolicyLoss: mask", "logProbs");
  if (!(clipLow >= 0 && clipLow < 1))
    throw new Error(`clippedPolicyLoss: clipLow must be in [0, 1), got ${clipLow}`);
  if (!(clipHigh >= 0)) throw new Error(`clippedPolicyLoss: clipHigh must be >= 0, got ${clipHigh}`);
  if (dualClip !== null && !(dualClip > 1)) {
    throw new Error(`clippedPolicyLoss: dualClip must be > 1 or null, got ${dualClip}`);
  }

  return tf.tidy(() => {
    const active = tf.notEqual(mask, 0);
    // Built from the shape, not zerosLike, so comparisons below stay off the gradient path.
    const zeros = tf.zeros(logProbs.shape);
    const clean = (x: tf.Tensor) => tf.where(active, x, zeros);
    const adv = clean(tf.add(advantagesPerToken(advantages, logProbs, "clippedPolicyLoss"), zeros));
    const logRatio = tf.sub(clean(logProbs), clean(oldLogProbs));
    const ratio = tf.exp(tf.clipByValue(logRatio, -20, 20));

    const unclipped = tf.mul(tf.neg(adv), ratio);
    const clipped = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - clipLow, 1 + clipHigh));
    const surrogate = tf.maximum(unclipped, clipped);
    const negative = tf.less(adv, 0);
    const perToken =
      dualClip === null
        ? surrogate
        : tf.where(negative, tf.minimum(surrogate, tf.mul(tf.neg(adv), dualClip)), surrogate);
    const options = normLength === undefined ? {} : { normLength };
    const loss = aggregateLoss(perToken as tf.Tensor2D, mask, aggregation, options);

    const share = (condition: tf.Tensor) =>
      aggregateLoss(tf.cast(tf.logicalAnd(condition, active), "float32") as tf.Tensor2D, mask);
    const clipFractionHigh = share(tf.logicalAnd(tf.greater(adv, 0), tf.greater(ratio, 1 + clipHigh)));
    const clipFractionLow = share(tf.logicalAnd(negative, tf.less(ratio, 1 - clipLow)));
    const dualClipFraction =
      dualClip === null
        ? tf.scalar(0)
        : share(tf.logicalAnd(negative, tf.greater(surrogate, tf.mul(tf.neg(adv), dualClip))));
    const approxKl = aggregateLoss(tf.mul(0.5, tf.square(logRatio)) as tf.Tensor2D, mask);
    return { loss, clipFractionHigh, clipFractionLow, dualClipFraction, approxKl };
  });
}
