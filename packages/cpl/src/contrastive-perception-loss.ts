import { assertRank, assertSameShape } from "@cppo/entropy";
import { aggregateLoss, type LossAggregation } from "@cppo/grpo";
import * as tf from "@tensorflow/tfjs-core";
import { type CplPerTokenArgs, cplPerToken } from "./cpl-per-token";

/** Inputs of {@link contrastivePerceptionLoss}. */
export interface ContrastivePerceptionLossArgs extends CplPerTokenArgs {
  /** `P [B, T]`: the perception-token mask (e.g. `gateByAdvantage(selectPerceptionTokens(...), A)`). */
  mask: tf.Tensor2D;
  /** Default `token-mean`. */
  aggregation?: LossAggregation;
  /** For `seq-mean-token-sum-norm`. Default T. */
  normLength?: number;
}

/**
 * The Contrastive Perception Loss `L_CPL = aggregate(CPL, P)` (METHOD section 5), a scalar to add to the
 * GRPO loss with weight lambda (0.01 in the reference scripts). See {@link cplPerToken} for the per-token
 * form. Tokens outside the mask are replaced by 0 before any arithmetic, so NaN padding affects neither the
 * value nor the gradients; an all-zero mask gives 0 with zero gradients.
 *
 * @returns a scalar (the caller disposes it)
 * @example
 * const loss = contrastivePerceptionLoss({
 *   logProbs: tf.tensor2d([[-1, -2]]),
 *   logProbsPreserved: tf.tensor2d([[-1.1, -2]]),
 *   logProbsRemoved: tf.tensor2d([[-3, -2]]),
 *   mask: tf.tensor2d([[1, 0]]),
 * });
 * loss.print(); // softplus((0.0048 - 1.1353) / 0.1) ≈ 1.2e-5: only the first token counts
 */
export function contrastivePerceptionLoss({
  logProbs,
  logProbsPreserved,
  logProbsRemoved,
  mask,
  tau = 0.1,
  estimator = "k3",
  aggregation = "token-mean",
  normLength,
}: ContrastivePerceptionLossArgs): tf.Scalar {
  assertRank(logProbs, 2, "contrastivePerceptionLoss: logProbs", "[B, T]");
  assertSameShape(logProbsPreserved, logProbs, "contrastivePerceptionLoss: logProbsPreserved", "logProbs");
  assertSameShape(logProbsRemoved, logProbs, "contrastivePerceptionLoss: logProbsRemoved", "logProbs");
  assertSameShape(mask, logProbs, "contrastivePerceptionLoss: mask", "logProbs");
  return tf.tidy(() => {
    const active = tf.notEqual(mask, 0);
    const zeros = tf.zeros(logProbs.shape);
    const clean = (x: tf.Tensor2D) => tf.where(active, x, zeros) as tf.Tensor2D;
    const perToken = cplPerToken({
      logProbs: clean(logProbs),
      logProbsPreserved: clean(logProbsPreserved),
      logProbsRemoved: clean(logProbsRemoved),
      tau,
      estimator,
    });
    return aggregateLoss(perToken, mask, aggregation, normLength === undefined ? {} : { normLength });
  });
}
