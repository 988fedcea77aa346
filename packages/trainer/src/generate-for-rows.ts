import type { VisionLanguagePolicy } from "@cppo/vlm";
import type { Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

/**
 * Samples one response per row, where row `r` sees image `imageOf[r]` of `images` and its prompt
 * `promptIds[imageOf[r]]` (a group of G responses per prompt repeats the prompt's index G times). Returns the
 * sampled token ids per row; the gathered image batch is freed before returning.
 *
 * @example
 * const responses = await generateForRows(policy, images, promptIds, [0, 0, 1, 1], { maxNewTokens: 48, seed: 7 });
 */
export async function generateForRows(
  policy: VisionLanguagePolicy,
  images: Tensor4D,
  promptIds: readonly number[][],
  imageOf: readonly number[],
  options: { maxNewTokens: number; temperature?: number; seed: number },
): Promise<number[][]> {
  const rowImages = tf.tidy(() => tf.gather(images, tf.tensor1d([...imageOf], "int32")) as Tensor4D);
  try {
    const { tokens } = await policy.generate({
      images: rowImages,
      promptIds: imageOf.map((i) => promptIds[i] as number[]),
      ...options,
    });
    return tokens;
  } finally {
    rowImages.dispose();
  }
}
