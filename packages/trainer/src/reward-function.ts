import { scoreResponse } from "@cppo/reward";
import type { TrainExample } from "./data";

/** A reward with the optional parts the metrics report (accuracy and format rate, each 0 or 1). */
export interface RewardResult {
  reward: number;
  accuracy?: number;
  format?: number;
}

/** Scores one response to one problem. May be async (e.g. a call to a grader). */
export type RewardFunction = (
  response: string,
  example: TrainExample,
) => number | RewardResult | Promise<number | RewardResult>;

/**
 * The paper's reward: `0.9 * accuracy + 0.1 * format` (METHOD section 1), via `@cppo/reward`.
 *
 * @example
 * mathRewardFunction("<think>2+2</think>\\boxed{4}", example); // { reward: 1, accuracy: 1, format: 1 } when the truth is "4"
 */
export const mathRewardFunction: RewardFunction = (response, example) => {
  const { reward, accuracy, format } = scoreResponse(response, example.groundTruth);
  return { reward, accuracy, format };
};

/** Calls `fn` and normalises its answer; a non-finite reward is an error naming the example. */
export async function scoreWith(
  fn: RewardFunction,
  response: string,
  example: TrainExample,
): Promise<RewardResult> {
  const raw = await fn(response, example);
  const result = typeof raw === "number" ? { reward: raw } : raw;
  if (typeof result?.reward !== "number" || !Number.isFinite(result.reward)) {
    throw new Error(
      `reward function returned ${JSON.stringify(raw)} for example ${example.id}; expected a finite number`,
    );
  }
  return result;
}
