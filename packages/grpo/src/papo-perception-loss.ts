import { assertRank, assertSameShape } from "@cppo/entropy";
import * as tf from "@tensorflow/tfjs-core";
import { aggregateLoss, type LossAggregation } from "./aggregate-loss";
import { klPenalty } from "./kl-penalty";

/** Inputs of {@link papoPerceptionLoss}. */
export interface PapoPerceptionLossArgs {
  /** `logp [B, T]` of the sampled tokens under the original image. */
  logProbs: tf.Tensor2D;
  /** `logp_mask [B, T]` of the same tokens under the masked image (carries gradients too). */
  logProbsMasked: tf.Tensor2D;
  /** `[B, T]` response mask: PAPO uses every response token. */
  mask: tf.Tensor2D;
  /** Weight gamma of the KL term. Default 0.01. */
  klCoef?: number;
  /** Per-token clamp `[low, high]` of the KL; `null` for none. Default `[0, 0.2]`. */
  klClamp?: readonly [number, number] | null;
  /** Token entropies `H [B, T]` under the original image (optional, with `entropyMasked`). */
  entropy?: tf.Tensor2D;
  /** Token entropies `H_mask [B, T]` under the masked image. */
  entropyMasked?: tf.Tensor2D;
  /** Weight eta of each entropy term. Default 0.03. */
  entropyCoef?: number;
  /** Default `token-mean`. */
  aggregation?: LossAggregation;
}

/** Scalars returned by {@link papoPerceptionLoss}; the caller disposes them. */
// A type alias (not an interface) so a result can be passed straight to tf.dispose.
export type PapoPerceptionLossResult = {
  /** `-klCoef * kl + entropyCoef * entropyTerm`: add it to the GRPO loss and minimise. */
  loss: tf.Scalar;
  /** The aggregated, clamped k3 KL between the original and masked views (PAPO maximises it). */
  kl: tf.Scalar;
  /** `aggregate(H) + aggregate(H_mask)`, 0 without entropies. */
  entropyTerm: tf.Scalar;
};

/**
 * PAPO's implicit perception loss with its double-entropy regulariser (METHOD section 8):
 *
 * `kl_t = clamp(k3(logp_t, logp_mask_t), low, high)` with `k3` from {@link klPenalty}
 * (`d = logp_mask - logp`), an estimate of KL(pi(.|I) || pi(.|I_mask));
 * `loss = -klCoef * aggregate(kl) + entropyCoef * (aggregate(H) + aggregate(H_mask))`.
 *
 * Minimising `loss` pushes the KL up (the answer should depend on the image) while keeping both entropies
 * low, which counters the KL "hacking" where the masked view's distribution simply collapses to noise.
 * Clamped tokens pass no KL gradient.
 *
 * @example
 * const { loss, kl } = papoPerceptionLoss({
 *   logProbs: tf.tensor2d([[-0.1, -0.2]]),
 *   logProbsMasked: tf.tensor2d([[-0.5, -0.2]]),
 *   mask: tf.tensor2d([[1, 1]]),
 * });
 * kl.print(); // (clamp(e^-0.4 + 0.4 - 1, 0, 0.2) + 0) / 2 = 0.0352
 * loss.print(); // -0.01 * 0.0352
 */
export function papoPerceptionLoss({
  logProbs,
  logProbsMasked,
  mask,
  klCoef = 0.01,
  klClamp = [0, 0.2],
  entropy,
  entropyMasked,
  entropyCoef = 0.03,
  aggregation = "token-mean",
}: PapoPerceptionLossArgs): PapoPerceptionLossResult {
  assertRank(logProbs, 2, "papoPerceptionLoss: logProbs", "[B, T]");
  assertSameShape(logProbsMasked, logProbs, "papoPerceptionLoss: logProbsMasked", "logProbs");
  assertSameShape(mask, logProbs, "papoPerceptionLoss: mask", "logProbs");
  if ((entropy === undefined) !== (entropyMasked === undefined)) {
    throw new Error("papoPerceptionLoss: pass both entropy and entropyMasked [B, T], or neither");
  }
  if (entropy) assertSameShape(entropy, logProbs, "papoPerceptionLoss: entropy", "logProbs");
  if (entropyMasked)
    assertSameShape(entropyMasked, logProbs, "papoPerceptionLoss: entropyMasked", "logProbs");
  if (klClamp !== null && !(klClamp[0] <= klClamp[1])) {
    throw new Error(
      `papoPerceptionLoss: klClamp must be [low, high] with low <= high, got [${klClamp.join(", ")}]`,
    );
  }

  return tf.tidy(() => {
    const active = tf.notEqual(mask, 0);
    const zeros = tf.zeros(logProbs.shape);
    const clean = (x: tf.Tensor2D) => tf.where(active, x, zeros) as tf.Tensor2D;
    const k3 = klPenalty(clean(logProbs), clean(logProbsMasked), "k3");
    const perToken = klClamp === null ? k3 : tf.clipByValue(k3, klClamp[0], klClamp[1]);
    const kl = aggregateLoss(perToken as tf.Tensor2D, mask, aggregation);
    const entropyTerm =
      entropy && entropyMasked
        ? tf.add(
            aggregateLoss(clean(entropy), mask, aggregation),
            aggregateLoss(clean(entropyMasked), mask, aggregation),
          )
        : tf.scalar(0);
    const loss = tf.add(tf.mul(-klCoef, kl), tf.mul(entropyCoef, entropyTerm));
    return { loss: loss as tf.Scalar, kl, entropyTerm: entropyTerm as tf.Scalar };
  });
}
