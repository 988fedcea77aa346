import type { TinyVLM } from "@cppo/vlm";
import { Adam } from "../src/adam";
import { resolveConfig, type TrainConfig } from "../src/config";
import type { Dataset } from "../src/data";
import { mathRewardFunction } from "../src/reward-function";
import { trainStep } from "../src/train-step";
import { rolloutBatch } from "./costs-batch";
import { median, timed } from "./costs-timing";

export const ALGORITHMS = ["grpo", "cppo", "papo"] as const;
type Algorithm = (typeof ALGORITHMS)[number];

export interface StepRatioResult {
  /** Seconds of every timed step, in run order per algorithm. */
  stepSeconds: Record<Algorithm, number[]>;
  medianStepSeconds: Record<Algorithm, number>;
  cppoOverGrpo: number;
  papoOverGrpo: number;
  /** `policy.generate` alone on the same rollout batch (the same for every algorithm). */
  generationSeconds: number[];
  medianGenerationSeconds: number;
  /** Median step minus median generation: views, scoring, losses, backward and Adam. */
  medianUpdateSeconds: Record<Algorithm, number>;
  /** Mean response length of each algorithm's first timed step: equal when the batches are identical. */
  responseLength: Record<Algorithm, number>;
}

/**
 * Step time of GRPO, CPPO and PAPO on the same batch: each step starts from a fresh clone of `policy` and a
 * fresh Adam at step 0, data position 0, so every algorithm samples the same responses. One warm-up step each,
 * then `repeats` rounds interleaving the algorithms (so slow phases of a busy machine hit all of them).
 */
export async function measureStepRatio(
  policy: TinyVLM,
  dataset: Dataset,
  repeats: number,
): Promise<StepRatioResult> {
  const configs = Object.fromEntries(ALGORITHMS.map((algo) => [algo, resolveConfig({ algo })])) as Record<
    Algorithm,
    TrainConfig
  >;
  const oneStep = async (algo: Algorithm) => {
    const config = configs[algo];
    const fresh = policy.clone();
    const reference = config.kl.coef > 0 ? policy.clone() : null;
    const optimizer = new Adam(config.optim);
    const parts = { config, policy: fresh, reference, optimizer, dataset, reward: mathRewardFunction };
    try {
      const { seconds, value } = await timed(() => trainStep(parts, { step: 0, dataPosition: 0 }));
      return { seconds, responseLength: value.metrics.responseLength };
    } finally {
      optimizer.dispose();
      reference?.dispose();
      fresh.dispose();
    }
  };
  const batch = await rolloutBatch(policy, dataset, configs.grpo);
  const generate = () => policy.generate({ ...batch, useCache: true });
  try {
    for (const algo of ALGORITHMS) await oneStep(algo);
    await generate();
    const stepSeconds = { grpo: [], cppo: [], papo: [] } as Record<Algorithm, number[]>;
    const responseLength = {} as Record<Algorithm, number>;
    const generationSeconds: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (const algo of ALGORITHMS) {
        const step = await oneStep(algo);
        stepSeconds[algo].push(step.seconds);
        responseLength[algo] ??= step.responseLength;
      }
      generationSeconds.push((await timed(generate)).seconds);
    }
    const medianStepSeconds = mapAlgorithms((algo) => median(stepSeconds[algo]));
    const medianGenerationSeconds = median(generationSeconds);
    return {
      stepSeconds,
      medianStepSeconds,
      cppoOverGrpo: medianStepSeconds.cppo / medianStepSeconds.grpo,
      papoOverGrpo: medianStepSeconds.papo / medianStepSeconds.grpo,
      generationSeconds,
      medianGenerationSeconds,
      medianUpdateSeconds: mapAlgorithms((algo) => medianStepSeconds[algo] - medianGenerationSeconds),
      responseLength,
    };
  } finally {
    batch.images.dispose();
  }
}

function mapAlgorithms(value: (algo: Algorithm) => number): Record<Algorithm, number> {
  return Object.fromEntries(ALGORITHMS.map((algo) => [algo, value(algo)])) as Record<Algorithm, number>;
}
