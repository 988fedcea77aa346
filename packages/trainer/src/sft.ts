import { makeSynthDataset } from "@cppo/data-synth";
import { decodeImage } from "@cppo/perturb";
import {
  CharTokenizer,
  supervisedFineTune,
  TINY_VLM_PRESETS,
  TinyVLM,
  type TinyVLMConfig,
  type VisionLanguagePolicy,
} from "@cppo/vlm";
import { encodePrompt } from "./data";

export type TinyVLMPreset = keyof typeof TINY_VLM_PRESETS;

export interface SftOptions {
  /** Folder the fine-tuned TinyVLM is saved to (skipped when undefined). */
  out?: string;
  /** Start from this policy instead of a fresh TinyVLM. */
  policy?: VisionLanguagePolicy;
  /** Size of a fresh TinyVLM. Default "small". */
  preset?: TinyVLMPreset;
  /** Overrides of the preset (e.g. `{ maxTokens: 192 }`). */
  model?: Partial<TinyVLMConfig>;
  steps?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Synthetic training problems. Default 100000. */
  trainSize?: number;
  /** Default 32. */
  imageSize?: number;
  gradClip?: number;
  onStep?: (info: { step: number; loss: number; gradNorm: number }) => undefined | "stop";
}

/**
 * Warm start: teacher-forced fine-tuning of a TinyVLM on data-synth's reference responses (through
 * `@cppo/vlm`'s `supervisedFineTune`), so RL starts from a policy that answers in the expected format.
 * `cppo sft` runs this and rewrites the bundled warm-start checkpoint.
 *
 * @example
 * const { policy, losses } = await sft({ steps: 300, out: "runs/warm" });
 */
export async function sft(
  options: SftOptions = {},
): Promise<{ policy: VisionLanguagePolicy; losses: number[] }> {
  const {
    preset = "small",
    steps = 2000,
    batchSize = 32,
    learningRate = 2e-3,
    seed = 0,
    trainSize = 100_000,
    imageSize = 32,
    gradClip = 1,
  } = options;
  if (!(preset in TINY_VLM_PRESETS)) {
    throw new Error(
      `sft: unknown preset "${preset}", expected one of ${Object.keys(TINY_VLM_PRESETS).join(", ")}`,
    );
  }
  const policy =
    options.policy ??
    TinyVLM.create({ ...TINY_VLM_PRESETS[preset], imageSize, seed, ...options.model }, new CharTokenizer());
  const dataset = makeSynthDataset({ split: "train", size: trainSize, seed, imageSize });
  const size = policy.imageSize;
  const examples = {
    length: dataset.length,
    async get(i: number) {
      const example = await dataset.get(i);
      const image = await decodeImage(example.images[0] as Uint8Array, { size });
      const pixels = image.dataSync() as Float32Array;
      image.dispose();
      return {
        image: pixels,
        promptIds: encodePrompt(policy.tokenizer, example.prompt),
        responseIds: policy.tokenizer.encode(example.referenceResponse),
      };
    },
  };
  const { losses } = await supervisedFineTune(policy, {
    examples,
    steps,
    batchSize,
    learningRate,
    seed,
    gradClip,
    onStep: options.onStep,
  });
  if (options.out) await policy.save(options.out);
  return { policy, losses };
}
