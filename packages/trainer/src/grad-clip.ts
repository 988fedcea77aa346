import type { Tensor } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

/**
 * Global gradient-norm clipping: every gradient is scaled by `min(1, maxNorm / norm)` where `norm` is the
 * L2 norm of all gradients together. Returns new tensors (the caller disposes them) and the norm before
 * clipping (NaN or Infinity when a gradient is not finite; then the gradients are returned unscaled).
 *
 * @example
 * const { gradients, norm } = clipByGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])], 1);
 * // norm = 5, gradients = [[0.6], [0.8]]
 */
export function clipByGlobalNorm(
  grads: readonly Tensor[],
  maxNorm: number,
): { gradients: Tensor[]; norm: number } {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  const squared = tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
  const norm = Math.sqrt(squared.dataSync()[0] as number);
  squared.dispose();
  const scale = Number.isFinite(norm) && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  const gradients = grads.map((g) => (scale === 1 ? g.clone() : tf.tidy(() => tf.mul(g, scale))));
  return { gradients, norm };
}
