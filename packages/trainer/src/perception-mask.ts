import { selectPerceptionTokens } from "@cppo/entropy";
import type { Tensor2D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

/**
 * `selectPerceptionTokens` from `@cppo/entropy`, except on the wasm backend, whose batched gather
 * (`gather(x, i, 1, 1)`) reads out of bounds in tfjs 4.22: there the same rule (METHOD section 4) runs on
 * plain numbers. Inputs are constants (no gradient flows through the selection either way).
 *
 * @example
 * perceptionMask(entropy, entropyRemoved, responseMask, 0.5); // [B, T] 0/1
 */
export function perceptionMask(
  entropy: Tensor2D,
  entropyRemoved: Tensor2D,
  responseMask: Tensor2D,
  topFraction: number,
): Tensor2D {
  if (tf.getBackend() !== "wasm")
    return selectPerceptionTokens({ entropy, entropyRemoved, responseMask, topFraction });
  const [rows, length] = entropy.shape;
  return tf.tensor2d(
    selectOnNumbers(
      entropy.dataSync(),
      entropyRemoved.dataSync(),
      responseMask.dataSync(),
      rows,
      length,
      topFraction,
    ),
    [rows, length],
  );
}

/** The rule on flat `[rows * length]` arrays: per row, the top max(1, floor(p * #candidates)) scores, ties kept. */
export function selectOnNumbers(
  entropy: ArrayLike<number>,
  entropyRemoved: ArrayLike<number>,
  mask: ArrayLike<number>,
  rows: number,
  length: number,
  topFraction: number,
): Float32Array {
  if (!(topFraction > 0 && topFraction <= 1)) {
    throw new Error(`perceptionMask: topFraction must be in (0, 1], got ${topFraction}`);
  }
  const out = new Float32Array(rows * length);
  for (let r = 0; r < rows; r++) {
    const scores: number[] = [];
    const candidates: number[] = [];
    for (let t = 0; t < length; t++) {
      const i = r * length + t;
      const removed = entropyRemoved[i] as number;
      const shift = removed - (entropy[i] as number);
      const score = Math.max(shift, 0) / (removed + 1e-6);
      scores.push(score);
      if (shift > 0 && (mask[i] as number) > 0 && !Number.isNaN(score)) candidates.push(t);
    }
    if (candidates.length === 0) continue;
    const k = Math.max(1, Math.floor(topFraction * candidates.length));
    const threshold = candidates.map((t) => scores[t] as number).sort((a, b) => b - a)[k - 1] as number;
    for (const t of candidates) if ((scores[t] as number) >= threshold) out[r * length + t] = 1;
  }
  return out;
}
