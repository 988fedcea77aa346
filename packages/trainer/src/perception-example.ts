import { selectPerceptionTokens, tokenEntropy } from "@cppo/entropy";
import type { ImageView } from "@cppo/perturb";
import { scoreResponses, type VisionLanguagePolicy } from "@cppo/vlm";
import type { Tensor2D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { decodeImages, encodePrompt, type TrainExample } from "./data";
import { writePerceptionPicture } from "./report";
import { responseText } from "./train-step";

export interface PerceptionExample {
  /** The response's tokens as text. */
  tokens: string[];
  /** Tokens the entropy shift under `I-` detects as perception tokens (METHOD section 4, no gating). */
  selected: boolean[];
  /** data-synth's ground truth: tokens covering a character that depends on the image. */
  truth?: boolean[];
  /** Share of selected tokens that are true perception tokens, and of true ones that are selected. */
  precision?: number;
  recall?: number;
}

/**
 * Detects the perception tokens of one response (the example's reference response when it has one, else a
 * sampled one) and draws them with `writePerceptionPicture` to `pathWithoutExt`.svg/.png.
 *
 * @example
 * await writePerceptionExample("runs/a/perception", { policy, example, view: informationRemoving(), seed: 0 });
 */
export async function writePerceptionExample(
  pathWithoutExt: string,
  options: {
    policy: VisionLanguagePolicy;
    example: TrainExample;
    view: ImageView;
    seed: number;
    topFraction?: number;
  },
): Promise<PerceptionExample> {
  const result = await detectPerceptionTokens(options);
  await writePerceptionPicture(pathWithoutExt, result);
  return result;
}

/**
 * The detection behind {@link writePerceptionExample}, without drawing.
 *
 * @example
 * const { tokens, selected } = await detectPerceptionTokens({ policy, example, view, seed: 0 });
 */
export async function detectPerceptionTokens(options: {
  policy: VisionLanguagePolicy;
  example: TrainExample;
  view: ImageView;
  seed: number;
  topFraction?: number;
}): Promise<PerceptionExample> {
  const { policy, example, view, seed, topFraction = 0.5 } = options;
  const { tokenizer } = policy;
  const images = await decodeImages([example], policy.imageSize);
  try {
    const promptIds = encodePrompt(tokenizer, example.prompt);
    let text = example.referenceResponse;
    if (text === undefined) {
      const generation = await policy.generate({ images, promptIds: [promptIds], maxNewTokens: 64, seed });
      text = responseText(policy, generation.tokens[0] ?? []);
    }
    const { ids, offsets } = tokenizer.encodeWithOffsets(text);
    if (ids.length === 0) return { tokens: [], selected: [] };
    const mask = tf.tidy(() => {
      const removed = view.applyTensor(images, { seed });
      const scored = scoreResponses(policy, {
        images: tf.concat([images, removed]) as Tensor4D,
        promptIds: [promptIds, promptIds],
        responseIds: [ids, ids],
      });
      const entropy = tokenEntropy(scored.logits) as Tensor2D;
      return selectPerceptionTokens({
        entropy: tf.slice(entropy, [0, 0], [1, -1]) as Tensor2D,
        entropyRemoved: tf.slice(entropy, [1, 0], [1, -1]) as Tensor2D,
        responseMask: tf.slice(scored.responseMask, [0, 0], [1, -1]) as Tensor2D,
        topFraction: topFraction,
      });
    });
    const selected = Array.from(mask.dataSync()).map((v) => v > 0);
    mask.dispose();
    const tokens = ids.map((id) => tokenizer.decode([id]));
    const labels = example.perceptionLabels;
    if (!labels || example.referenceResponse === undefined) return { tokens, selected };
    const truth = offsets.map(([start, end]) => labels.subarray(start, end).some((v) => v > 0));
    const hits = selected.filter((s, i) => s && truth[i]).length;
    const chosen = selected.filter(Boolean).length;
    const real = truth.filter(Boolean).length;
    return {
      tokens,
      selected,
      truth,
      precision: chosen > 0 ? hits / chosen : 0,
      recall: real > 0 ? hits / real : 0,
    };
  } finally {
    images.dispose();
  }
}
