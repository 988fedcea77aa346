import type { GenerateInput, Generation } from "@cppo/vlm";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { tinyDataset } from "../test/fixtures";
import { ToyPolicy } from "../test/toy-policy";
import { stripImageMarker } from "./data";
import { evaluate } from "./evaluate";

/** Answers problem p's sample j correctly exactly when (p + j) % 3 === 0; well-formatted when j is even. */
class ScriptedPolicy extends ToyPolicy {
  constructor(
    private readonly truthByPrompt: Map<string, { index: number; truth: string }>,
    private readonly k: number,
  ) {
    super(1);
  }
  override async generate({ promptIds }: GenerateInput): Promise<Generation> {
    const tokens = promptIds.map((ids, r) => {
      const { index, truth } = this.truthByPrompt.get(this.tokenizer.decode(ids)) as {
        index: number;
        truth: string;
      };
      const j = r % this.k;
      const answer = (index + j) % 3 === 0 ? truth : `${truth}9`;
      const text = j % 2 === 0 ? `<think>x</think>\\boxed{${answer}}` : `\\boxed{${answer}}`;
      return [...this.tokenizer.encode(text), this.tokenizer.eosId];
    });
    return { tokens, logProbs: tokens.map((t) => t.map(() => 0)), lengths: tokens.map((t) => t.length) };
  }
}

describe("evaluate", () => {
  it("computes accuracy@k, pass@k, the std over runs and the format rate as written out by hand", async () => {
    const dataset = tinyDataset(5, "test");
    const k = 4;
    const truthByPrompt = new Map<string, { index: number; truth: string }>();
    for (let i = 0; i < dataset.length; i++) {
      const e = await dataset.get(i);
      truthByPrompt.set(stripImageMarker(e.prompt), { index: i, truth: e.groundTruth });
    }
    const policy = new ScriptedPolicy(truthByPrompt, k);
    const before = tf.memory().numTensors;
    const result = await evaluate({ policy, dataset, k, maxNewTokens: 8, seed: 0, batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);

    const correct = [0, 1, 2, 3, 4].map((p) => [0, 1, 2, 3].map((j): number => ((p + j) % 3 === 0 ? 1 : 0)));
    const runs = [0, 1, 2, 3].map((j) => correct.reduce((a, row) => a + (row[j] as number), 0) / 5);
    const mean = runs.reduce((a, b) => a + b, 0) / 4;
    const std = Math.sqrt(runs.reduce((a, r) => a + (r - mean) ** 2, 0) / 3);
    expect(result.problems).toBe(5);
    expect(result.accuracyAtK).toBeCloseTo(correct.flat().reduce((a, b) => a + b, 0) / 20, 10);
    expect(result.passAtK).toBe(1); // every p has some j in 0..3 with (p + j) % 3 === 0
    expect(result.runAccuracy).toEqual(runs);
    expect(result.std).toBeCloseTo(std, 10);
    expect(result.formatRate).toBe(0.5);
    expect(result.perProblem.map((p) => p.correct)).toEqual(
      correct.map((row) => row.reduce((a, b) => a + b, 0)),
    );
    policy.dispose();
  });

  it("rejects k < 1 and an empty data set", async () => {
    const policy = new ToyPolicy(1);
    const dataset = tinyDataset(2, "test");
    await expect(evaluate({ policy, dataset, k: 0, maxNewTokens: 4, seed: 0 })).rejects.toThrow(
      /k must be an integer >= 1/,
    );
    await expect(
      evaluate({ policy, dataset: { length: 0, get: dataset.get }, maxNewTokens: 4, seed: 0 }),
    ).rejects.toThrow(/empty/);
    policy.dispose();
  });
});
