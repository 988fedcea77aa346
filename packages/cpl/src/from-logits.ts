import { assertRank, assertSameShape } from "@cppo/entropy";
import { aggregateLoss, type LossAggregation } from "@cppo/grpo";
import * as tf from "@tensorflow/tfjs-core";
import { assertTau } from "./cpl-per-token";
import { fullDistributionKl } from "./full-distribution-kl";
import { stableSoftplus } from "./softplus";

/** Inputs of {@link cplPerTokenFromLogits}. */
export interface CplFromLogitsArgs {
  /** `logits [B, T, V]` under the original image `I`. */
  logits: tf.Tensor3D;
  /** `[B, T, V]` under the information-preserving view `I+`. */
  logitsPreserved: tf.Tensor3D;
  /** `[B, T, V]` under the information-removing view `I-`. */
  logitsRemoved: tf.Tensor3D;
  /** Temperature. Default 0.1. */
  tau?: number;
}

/**
 * Full-distribution CPL per token: `softplus((kl+ - kl-) / tau)` with
 * `kl± = KL(p(.|I) || p(.|I±)) = sum_v p(v|I) (log p(v|I) - log p(v|I±))` over the whole vocabulary
 * (exact, not the sampled-token estimate; meant for small vocabularies). `-Infinity` logits are allowed;
 * a token possible under `I` but impossible under a view makes that KL huge (order 1e20, not Infinity).
 *
 * @returns `CPL [B, T]`
 * @example
 * const logits = tf.tensor3d([[[2, 0, 0]]]);
 * cplPerTokenFromLogits({ logits, logitsPreserved: logits, logitsRemoved: tf.tensor3d([[[0, 0, 0]]]) }).print();
 * // [[0.0131]]: kl+ = 0, kl- = 0.4330, softplus(-4.330)
 */
export function cplPerTokenFromLogits({
  logits,
  logitsPreserved,
  logitsRemoved,
  tau = 0.1,
}: CplFromLogitsArgs): tf.Tensor2D {
  assertRank(logits, 3, "cplPerTokenFromLogits: logits", "[B, T, V]");
  assertSameShape(logitsPreserved, logits, "cplPerTokenFromLogits: logitsPreserved", "logits");
  assertSameShape(logitsRemoved, logits, "cplPerTokenFromLogits: logitsRemoved", "logits");
  assertTau(tau, "cplPerTokenFromLogits");
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits, -1);
    const klPreserved = fullDistributionKl(logP, tf.logSoftmax(logitsPreserved, -1));
    const klRemoved = fullDistributionKl(logP, tf.logSoftmax(logitsRemoved, -1));
    return stableSoftplus(tf.div(tf.sub(klPreserved, klRemoved), tau)) as tf.Tensor2D;
  });
}

/** Inputs of {@link contrastivePerceptionLossFromLogits}. */
export interface ContrastivePerceptionLossFromLogitsArgs extends CplFromLogitsArgs {
  /** `P [B, T]`: the perception-token mask. */
  mask: tf.Tensor2D;
  /** Default `token-mean`. */
  aggregation?: LossAggregation;
  /** For `seq-mean-token-sum-norm`. Default T. */
  normLength?: number;
}

/**
 * `aggregate(cplPerTokenFromLogits(...), P)`: the full-distribution CPL as a scalar. Positions outside the
 * mask are zeroed before any arithmetic (NaN padding is harmless); an all-zero mask gives 0 and zero gradients.
 *
 * @example
 * const logits = tf.tensor3d([[[2, 0, 0], [0, 1, 0]]]);
 * const loss = contrastivePerceptionLossFromLogits({
 *   logits,
 *   logitsPreserved: logits,
 *   logitsRemoved: tf.zeros([1, 2, 3]),
 *   mask: tf.tensor2d([[1, 0]]),
 * });
 * loss.print(); // 0.0131 (only the first token counts)
 */
export function contrastivePerceptionLossFromLogits({
  logits,
  logitsPreserved,
  logitsRemoved,
  mask,
  tau = 0.1,
  aggregation = "token-mean",
  normLength,
}: ContrastivePerceptionLossFromLogitsArgs): tf.Scalar {
  assertRank(logits, 3, "contrastivePerceptionLossFromLogits: logits", "[B, T, V]");
  assertSameShape(logitsPreserved, logits, "contrastivePerceptionLossFromLogits: logitsPreserved", "logits");
  assertSameShape(logitsRemoved, logits, "contrastivePerceptionLossFromLogits: logitsRemoved", "logits");
  const [rows = 0, length = 0] = logits.shape;
  if (mask.rank !== 2 || mask.shape[0] !== rows || mask.shape[1] !== length) {
    throw new Error(
      `contrastivePerceptionLossFromLogits: mask must be [B, T] = [${rows}, ${length}] (logits' first two axes), got [${mask.shape.join(", ")}]`,
    );
  }
  return tf.tidy(() => {
    const active = tf.broadcastTo(tf.expandDims(tf.notEqual(mask, 0), 2), logits.shape);
    const zeros = tf.zeros(logits.shape);
    const clean = (x: tf.Tensor3D) => tf.where(active, x, zeros) as tf.Tensor3D;
    const perToken = cplPerTokenFromLogits({
      logits: clean(logits),
      logitsPreserved: clean(logitsPreserved),
      logitsRemoved: clean(logitsRemoved),
      tau,
    });
    return aggregateLoss(perToken, mask, aggregation, normLength === undefined ? {} : { normLength });
  });
}
