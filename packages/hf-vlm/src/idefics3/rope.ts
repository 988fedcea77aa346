import type { Tensor, Tensor2D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

/**
 * Rotary tables for positions `start .. start + length - 1`: `cos, sin [length, headDim]`, each frequency
 * repeated in both halves (`cat(freqs, freqs)`), as LlamaRotaryEmbedding. The inverse frequencies and angles
 * are rounded to float32 the way PyTorch computes them, so long sequences agree with transformers too.
 *
 * @example
 * const { cos, sin } = rotaryTables(0, 16, 64, 100000);
 */
export function rotaryTables(
  start: number,
  length: number,
  headDim: number,
  theta: number,
): { cos: Tensor2D; sin: Tensor2D } {
  const half = headDim / 2;
  const inverse = new Float32Array(half);
  for (let i = 0; i < half; i++) inverse[i] = 1 / Math.fround(theta ** Math.fround((2 * i) / headDim));
  const cos = new Float32Array(length * headDim);
  const sin = new Float32Array(length * headDim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround((start + p) * (inverse[i] as number));
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[p * headDim + i] = c;
      cos[p * headDim + half + i] = c;
      sin[p * headDim + i] = s;
      sin[p * headDim + half + i] = s;
    }
  }
  return { cos: tf.tensor2d(cos, [length, headDim]), sin: tf.tensor2d(sin, [length, headDim]) };
}

/**
 * Applies the rotation to `x [..., length, headDim]`: `x * cos + rotate_half(x) * sin`, where rotate_half
 * pairs dimension `i` with `i + headDim/2` (not neighbours): `[-x2, x1]`.
 */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const headDim = x.shape[x.rank - 1] as number;
  const half = headDim / 2;
  const begin = x.shape.map(() => 0);
  const size = x.shape.map(() => -1);
  const x1 = tf.slice(x, begin, [...size.slice(0, -1), half]);
  const x2 = tf.slice(x, [...begin.slice(0, -1), half], size);
  const rotated = tf.concat([tf.neg(x2), x1], x.rank - 1);
  return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
}
