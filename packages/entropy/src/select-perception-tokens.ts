import * as tf from "@tensorflow/tfjs-core";
import { assertRank, assertSameShape } from "./assert-shape";

/** Inputs of {@link selectPerceptionTokens}. */
export interface SelectPerceptionTokensArgs {
  /** `H [B, T]`: token entropies under the original image. */
  entropy: tf.Tensor2D;
  /** `H- [B, T]`: token entropies under the information-removing view. */
  entropyRemoved: tf.Tensor2D;
  /** `[B, T]`: 1 for response tokens, 0 for padding (any value > 0 counts as a token). */
  responseMask: tf.Tensor2D;
  /** Fraction p in (0, 1] of each row's candidates to keep. Default 0.5. */
  topFraction?: number;
}

/**
 * The perception-token mask of CPPO (METHOD section 4), before advantage gating.
 *
 * Candidates are response tokens with `dH = H- - H > 0` (a NaN entropy or score never makes a candidate).
 * In each row the top `k = max(1, floor(p * #candidates))` candidates by `relu(dH) / (H- + 1e-6)` are kept,
 * together with every candidate tied with the k-th score; a row without candidates selects nothing.
 * The mask is a constant: no gradient flows back to the entropies.
 *
 * @returns a 0/1 float32 mask `[B, T]`
 * @example
 * const mask = selectPerceptionTokens({
 *   entropy: tf.tensor2d([[1, 1, 1, 1]]),
 *   entropyRemoved: tf.tensor2d([[2, 1.5, 1.2, 3]]),
 *   responseMask: tf.tensor2d([[1, 1, 1, 1]]),
 * });
 * mask.print(); // [[1, 0, 0, 1]]: 4 candidates, k = 2, scores [0.5, 0.33, 0.17, 0.67]
 */
export function selectPerceptionTokens({
  entropy,
  entropyRemoved,
  responseMask,
  topFraction = 0.5,
}: SelectPerceptionTokensArgs): tf.Tensor2D {
  assertRank(entropy, 2, "selectPerceptionTokens: entropy", "[B, T]");
  assertSameShape(entropyRemoved, entropy, "selectPerceptionTokens: entropyRemoved", "entropy");
  assertSameShape(responseMask, entropy, "selectPerceptionTokens: responseMask", "entropy");
  if (!(topFraction > 0 && topFraction <= 1)) {
    throw new Error(`selectPerceptionTokens: topFraction must be in (0, 1], got ${topFraction}`);
  }
  const [rows, length] = entropy.shape;
  if (rows === 0 || length === 0) return tf.zeros([rows, length]);

  // k per candidate count, computed in float64 on the host so floor(p * n) matches the spec exactly.
  const kForCount = new Int32Array(length + 1);
  for (let count = 0; count <= length; count++) {
    kForCount[count] = Math.max(1, Math.floor(topFraction * count));
  }

  // customGrad makes the mask a constant on the gradient tape: its comparison ops have no gradients.
  const select = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [h, hMinus, mask] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor];
    return {
      value: maskOf(h, hMinus, mask, kForCount),
      gradFunc: () => [tf.zerosLike(h), tf.zerosLike(hMinus), tf.zerosLike(mask)],
    };
  });
  return tf.tidy(() => select(entropy, entropyRemoved, responseMask) as tf.Tensor2D);
}

function maskOf(
  entropy: tf.Tensor,
  entropyRemoved: tf.Tensor,
  responseMask: tf.Tensor,
  kForCount: Int32Array,
) {
  const [rows = 0, length = 0] = entropy.shape;
  const removed = tf.cast(entropyRemoved, "float32");
  const shift = tf.sub(removed, tf.cast(entropy, "float32"));
  const scores = tf.div(tf.relu(shift), tf.add(removed, 1e-6));
  const candidate = tf.logicalAnd(
    tf.logicalAnd(tf.greater(shift, 0), tf.greater(responseMask, 0)),
    tf.logicalNot(tf.isNaN(scores)),
  );
  const ranked = tf.where(candidate, scores, tf.fill([rows, length], Number.NEGATIVE_INFINITY));

  const counts = tf.sum(tf.cast(candidate, "int32"), 1);
  const k = tf.gather(tf.tensor1d(kForCount, "int32"), counts);
  const sorted = tf.topk(ranked, length, true).values;
  // The k-th largest score per row, picked with a one-hot mask: a batched gather reads out of bounds on the
  // wasm backend (tfjs 4.22), and a one-hot product would turn the -Infinity entries into NaN.
  const isKth = tf.cast(tf.oneHot(tf.sub(k, tf.scalar(1, "int32")), length), "bool");
  const threshold = tf.max(
    tf.where(isKth, sorted, tf.fill([rows, length], Number.NEGATIVE_INFINITY)),
    1,
    true,
  );

  return tf.cast(tf.logicalAnd(candidate, tf.greaterEqual(ranked, threshold)), "float32");
}
