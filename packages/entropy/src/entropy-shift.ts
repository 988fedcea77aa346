import * as tf from "@tensorflow/tfjs-core";
import { assertSameShape } from "./assert-shape";

/**
 * Entropy shift `dH = H- - H`: how much the information-removing view raises the uncertainty at each token
 * (positive where the image reduced it).
 *
 * @param entropy `H [B, T]` under the original image
 * @param entropyRemoved `H- [B, T]` under the information-removing view
 * @returns `dH [B, T]`
 * @example
 * entropyShift(tf.tensor2d([[0.5, 1]]), tf.tensor2d([[1.5, 1]])).print(); // [[1, 0]]
 */
export function entropyShift<T extends tf.Tensor>(entropy: T, entropyRemoved: T): T {
  assertSameShape(entropyRemoved, entropy, "entropyShift: entropyRemoved", "entropy");
  return tf.tidy(() => tf.sub(entropyRemoved, entropy) as T);
}

/**
 * Normalised perception score `s = relu(H- - H) / (H- + 1e-6)`, in [0, 1] for non-negative entropies.
 *
 * @param entropy `H [B, T]` under the original image
 * @param entropyRemoved `H- [B, T]` under the information-removing view
 * @returns `s [B, T]`
 * @example
 * perceptionScores(tf.tensor2d([[0.5, 1]]), tf.tensor2d([[2, 0.5]])).print(); // [[0.75, 0]]
 */
export function perceptionScores<T extends tf.Tensor>(entropy: T, entropyRemoved: T): T {
  assertSameShape(entropyRemoved, entropy, "perceptionScores: entropyRemoved", "entropy");
  return tf.tidy(() => tf.div(tf.relu(tf.sub(entropyRemoved, entropy)), tf.add(entropyRemoved, 1e-6)) as T);
}
