import { makeSynthDataset } from "@cppo/data-synth";
import type { Dataset } from "../src/data";
import type { RewardFunction } from "../src/reward-function";

/** Small synthetic problems with real PNG images (16 px, decoded to the toy policy's 8 px). */
export function tinyDataset(size = 12, split: "train" | "test" = "train"): Dataset {
  return makeSynthDataset({ split, size, seed: 3, imageSize: 16 });
}

/** A reward with spread inside every group, so advantages are non-zero: depends on the response length. */
export const lengthReward: RewardFunction = (text) => ({
  reward: (text.length % 3) / 2,
  accuracy: text.length % 3 === 2 ? 1 : 0,
  format: text.includes("<") ? 1 : 0,
});

/** Config of a step that runs in well under a second on the toy policy. */
export const tinyConfig = {
  seed: 1,
  steps: 3,
  rollout: { promptsPerStep: 2, groupSize: 3, maxNewTokens: 6 },
  optim: { learningRate: 0.05 },
  eval: { before: false, after: false },
  log: { plots: false, checkpointEvery: 1, sampleEvery: 100 },
} as const;
