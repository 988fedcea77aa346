import type { TinyVLMConfig } from "./tiny-vlm";

/** The batch a forward pass runs on: `sequenceLength` tokens per row (prompt + response, without patches). */
export interface ForwardShape {
  batch: number;
  sequenceLength: number;
  /** Rows of the tied output projection (`tokenizer.vocabSize`). */
  vocabSize: number;
}

/**
 * Floating-point operations of one {@link TinyVLM} forward pass, counted as 2 x multiply-adds of its matrix
 * products: patch embedding, the q/k/v and output projections, attention scores and mixing over all
 * `patches + tokens` positions (masked pairs are computed too), the MLP and the output head over the token
 * positions. Element-wise work (LayerNorm, GELU, softmax, biases) is left out. By the usual convention a
 * backward pass costs 2 x forward, so a training step's forward + backward is 3 x this number.
 *
 * @example
 * forwardFlops(TINY_VLM_PRESETS.small, { batch: 40, sequenceLength: 80, vocabSize: 104 });
 */
export function forwardFlops(config: TinyVLMConfig, shape: ForwardShape): number {
  for (const key of ["batch", "sequenceLength", "vocabSize"] as const) {
    const value = shape[key];
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`forwardFlops: ${key} must be a positive integer, got ${value}`);
    }
  }
  const { imageSize, patchSize, dModel: d, dFF, nLayers } = config;
  if (imageSize % patchSize !== 0) {
    throw new Error(`forwardFlops: imageSize (${imageSize}) must be a multiple of patchSize (${patchSize})`);
  }
  const { batch, sequenceLength: tokens, vocabSize } = shape;
  const patches = (imageSize / patchSize) ** 2;
  const positions = patches + tokens;
  const patchEmbedding = patches * patchSize * patchSize * 3 * d;
  // Summed over heads, q.k^T and softmax(scores).v each cost positions^2 * d multiply-adds.
  const perLayer =
    positions * d * 3 * d + 2 * positions * positions * d + positions * d * d + 2 * positions * d * dFF;
  const outputHead = tokens * d * vocabSize;
  return 2 * batch * (patchEmbedding + nLayers * perLayer + outputHead);
}
