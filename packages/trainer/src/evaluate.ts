import { mixSeed } from "@cppo/random";
import type { VisionLanguagePolicy } from "@cppo/vlm";
import { type Dataset, decodeImages, encodePrompt } from "./data";
import { generateForRows } from "./generate-for-rows";
import { mathRewardFunction, type RewardFunction, scoreWith } from "./reward-function";
import { responseText } from "./train-step";

export interface EvaluateOptions {
  policy: VisionLanguagePolicy;
  dataset: Dataset;
  /** Samples per problem. Default 8 (accuracy@8). */
  k?: number;
  /** Default 1 (METHOD section 9). */
  temperature?: number;
  maxNewTokens: number;
  seed: number;
  /** Default: the paper's math reward (its `accuracy` part decides correctness). */
  reward?: RewardFunction;
  /** Problems per generation call (each becomes k rows). Default 8. */
  batchSize?: number;
}

export interface EvaluationResult {
  problems: number;
  k: number;
  /** Mean over problems of the share of correct samples (accuracy@k). */
  accuracyAtK: number;
  /** Share of problems with at least one correct sample. */
  passAtK: number;
  /** Sample standard deviation over the k runs of each run's accuracy (run j = the j-th sample of every problem). */
  std: number;
  /** Accuracy of each of the k runs. */
  runAccuracy: number[];
  /** Share of samples in the `<think>...</think>...\boxed{}` format. */
  formatRate: number;
  meanReward: number;
  perProblem: Array<{ id: string; groundTruth: string; correct: number; firstResponse: string }>;
}

/**
 * accuracy@k (METHOD section 9): k samples per problem at temperature 1, each scored 0/1, averaged over the
 * samples and then the problems; with pass@k, the std over the k runs, and the format rate. A response is
 * correct when the reward function reports `accuracy: 1`, or, for a reward function giving only a number,
 * when its reward is at least 0.5.
 *
 * @example
 * const result = await evaluate({ policy, dataset: test, k: 8, maxNewTokens: 40, seed: 0 });
 * result.accuracyAtK; // e.g. 0.41
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluationResult> {
  const { policy, dataset, k = 8, temperature = 1, maxNewTokens, seed, batchSize = 8 } = options;
  const reward = options.reward ?? mathRewardFunction;
  if (!Number.isInteger(k) || k < 1) throw new Error(`evaluate: k must be an integer >= 1, got ${k}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`evaluate: batchSize must be an integer >= 1, got ${batchSize}`);
  }
  if (!(dataset?.length > 0)) throw new Error("evaluate: the evaluation data set is empty");
  const correct: number[][] = [];
  const perProblem: EvaluationResult["perProblem"] = [];
  let formats = 0;
  let rewards = 0;
  for (let start = 0; start < dataset.length; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, dataset.length - start) }, (_, i) => start + i);
    const examples = await Promise.all(indices.map((i) => dataset.get(i)));
    const images = await decodeImages(examples, policy.imageSize);
    const rows = examples.flatMap((_, p) => Array.from({ length: k }, () => p));
    let tokens: number[][];
    try {
      const promptIds = examples.map((e) => encodePrompt(policy.tokenizer, e.prompt));
      tokens = await generateForRows(policy, images, promptIds, rows, {
        maxNewTokens,
        temperature,
        seed: mixSeed(seed, start),
      });
    } finally {
      images.dispose();
    }
    for (let p = 0; p < examples.length; p++) {
      const example = examples[p] as (typeof examples)[number];
      const marks: number[] = [];
      let firstResponse = "";
      for (let j = 0; j < k; j++) {
        const text = responseText(policy, tokens[p * k + j] as number[]);
        if (j === 0) firstResponse = text;
        const score = await scoreWith(reward, text, example);
        marks.push(
          score.accuracy !== undefined ? (score.accuracy >= 1 ? 1 : 0) : score.reward >= 0.5 ? 1 : 0,
        );
        formats += score.format ?? 0;
        rewards += score.reward;
      }
      correct.push(marks);
      perProblem.push({
        id: example.id,
        groundTruth: example.groundTruth,
        correct: sum(marks),
        firstResponse,
      });
    }
  }
  const problems = correct.length;
  const runAccuracy = Array.from({ length: k }, (_, j) => sum(correct.map((m) => m[j] as number)) / problems);
  const mean = sum(runAccuracy) / k;
  const std = k > 1 ? Math.sqrt(sum(runAccuracy.map((a) => (a - mean) ** 2)) / (k - 1)) : 0;
  return {
    problems,
    k,
    accuracyAtK: sum(correct.map((m) => sum(m) / k)) / problems,
    passAtK: correct.filter((m) => m.some((c) => c === 1)).length / problems,
    std,
    runAccuracy,
    formatRate: formats / (problems * k),
    meanReward: rewards / (problems * k),
    perProblem,
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
