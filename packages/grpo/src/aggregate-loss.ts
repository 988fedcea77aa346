import { assertRank, assertSameShape } from "@cppo/entropy";
import * as tf from "@tensorflow/tfjs-core";

/** How a per-token loss matrix becomes a scalar (METHOD section 2). */
export type LossAggregation =
  | "token-mean"
  | "seq-mean-token-mean"
  | "seq-mean-token-sum"
  | "seq-mean-token-sum-norm";

const AGGREGATIONS: readonly LossAggregation[] = [
  "token-mean",
  "seq-mean-token-mean",
  "seq-mean-token-sum",
  "seq-mean-token-sum-norm",
];

/** Options of {@link aggregateLoss}. */
export interface AggregateLossOptions {
  /** The fixed length each row's sum is divided by in `seq-mean-token-sum-norm`. Default T. */
  normLength?: number;
}

/**
 * Reduces a per-token loss `L [B, T]` with mask `M [B, T]` to a scalar:
 * - `token-mean`: `sum(L M) / sum(M)`;
 * - `seq-mean-token-mean`: per row `sum_t(L M) / sum_t(M)`, then the mean over rows;
 * - `seq-mean-token-sum`: per row `sum_t(L M)`, then the mean over rows;
 * - `seq-mean-token-sum-norm`: per row `sum_t(L M) / normLength`, then the mean over rows.
 *
 * The row means are over rows with a nonzero mask (an all-padding row neither counts nor dilutes).
 * Masked-out entries are ignored even when NaN or Infinity, and an all-zero mask gives 0 (gradient 0).
 *
 * @example
 * const loss = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
 * const mask = tf.tensor2d([[1, 1, 0], [1, 0, 0]]);
 * aggregateLoss(loss, mask).print(); // (1 + 2 + 4) / 3 = 2.3333
 * aggregateLoss(loss, mask, "seq-mean-token-mean").print(); // (1.5 + 4) / 2 = 2.75
 */
export function aggregateLoss(
  loss: tf.Tensor2D,
  mask: tf.Tensor2D,
  mode: LossAggregation = "token-mean",
  { normLength }: AggregateLossOptions = {},
): tf.Scalar {
  assertRank(loss, 2, "aggregateLoss: loss", "[B, T]");
  assertSameShape(mask, loss, "aggregateLoss: mask", "loss");
  if (!AGGREGATIONS.includes(mode)) {
    throw new Error(`aggregateLoss: mode must be one of ${AGGREGATIONS.join(", ")}, got "${mode}"`);
  }
  const length = normLength ?? loss.shape[1];
  if (!(length > 0 && Number.isFinite(length))) {
    throw new Error(`aggregateLoss: normLength must be a positive finite number, got ${normLength}`);
  }
  return tf.tidy(() => {
    const weights = tf.cast(mask, "float32");
    const active = tf.notEqual(weights, 0);
    const weighted = tf.where(active, tf.mul(loss, weights), tf.zerosLike(weights));
    if (mode === "token-mean") return safeDivide(tf.sum(weighted), tf.sum(weights));

    const rowSums = tf.sum(weighted, 1);
    const rowWeights = tf.sum(weights, 1);
    const rowLosses =
      mode === "seq-mean-token-mean"
        ? safeDivide(rowSums, rowWeights)
        : mode === "seq-mean-token-sum"
          ? rowSums
          : tf.div(rowSums, length);
    const rowActive = tf.cast(tf.any(active, 1), "float32");
    return safeDivide(tf.sum(tf.mul(rowLosses, rowActive)), tf.sum(rowActive));
  });
}

/** `numerator / denominator`, with a zero denominator replaced by 1 (its numerator is then 0). */
function safeDivide<T extends tf.Tensor>(numerator: T, denominator: T): T {
  const nonzero = tf.notEqual(denominator, 0);
  return tf.div(numerator, tf.where(nonzero, denominator, tf.onesLike(denominator))) as T;
}
