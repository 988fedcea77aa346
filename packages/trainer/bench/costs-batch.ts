import { mixSeed } from "@cppo/random";
import type { TinyVLM } from "@cppo/vlm";
import type { Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { TrainConfig } from "../src/config";
import { type Dataset, decodeImages, encodePrompt, trainingOrder } from "../src/data";

/** The rows `trainStep` generates from: `images [prompts x G, H, W, 3]`, one prompt per row, its seed. */
export interface RolloutBatch {
  images: Tensor4D;
  promptIds: number[][];
  maxNewTokens: number;
  temperature: number;
  seed: number;
}

/**
 * The rollout batch of `trainStep(parts, { step, dataPosition })`, rebuilt outside it (same examples, tiling
 * and generation seed as src/train-step.ts, whose salt for generation is 1), so its parts can be timed alone.
 * The caller disposes `images`.
 */
export async function rolloutBatch(
  policy: TinyVLM,
  dataset: Dataset,
  config: TrainConfig,
  at = { step: 0, dataPosition: 0 },
): Promise<RolloutBatch> {
  const { promptsPerStep, groupSize, maxNewTokens, temperature } = config.rollout;
  const order = trainingOrder(dataset.length, config.seed);
  const examples = await Promise.all(
    Array.from({ length: promptsPerStep }, (_, i) => dataset.get(order(at.dataPosition + i))),
  );
  const promptOf = Array.from({ length: promptsPerStep * groupSize }, (_, r) => Math.floor(r / groupSize));
  const decoded = await decodeImages(examples, policy.imageSize);
  const images = tf.tidy(() => tf.gather(decoded, tf.tensor1d(promptOf, "int32")) as Tensor4D);
  decoded.dispose();
  const prompts = examples.map((e) => encodePrompt(policy.tokenizer, e.prompt));
  return {
    images,
    promptIds: promptOf.map((p) => prompts[p] as number[]),
    maxNewTokens,
    temperature,
    seed: mixSeed(config.seed, at.step, 1),
  };
}
