import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { lengthReward, tinyConfig, tinyDataset } from "../test/fixtures";
import { ToyPolicy } from "../test/toy-policy";
import { Adam } from "./adam";
import { resolveConfig, type TrainConfigInput } from "./config";
import { NonFiniteLossError, type TrainerParts, trainStep, viewsFromConfig } from "./train-step";

function parts(overrides: TrainConfigInput = {}, policy = new ToyPolicy(7)): TrainerParts {
  const config = resolveConfig({ ...tinyConfig, ...overrides });
  return {
    config,
    policy,
    reference: config.kl.coef > 0 ? policy.clone() : null,
    optimizer: new Adam({ learningRate: config.optim.learningRate }),
    dataset: tinyDataset(),
    reward: lengthReward,
  };
}

function release(p: TrainerParts) {
  p.optimizer.dispose();
  p.reference?.dispose();
  p.policy.dispose();
}

describe("trainStep", () => {
  for (const algo of ["grpo", "papo", "cppo"] as const) {
    it(`${algo}: keeps the tensor count constant over steps and reports finite metrics`, async () => {
      const p = parts({ algo });
      const first = await trainStep(p, { step: 0, dataPosition: 0 });
      const count = tf.memory().numTensors;
      let position = first.dataPosition;
      for (let step = 1; step < 3; step++) {
        const result = await trainStep(p, { step, dataPosition: position });
        position = result.dataPosition;
        expect(tf.memory().numTensors).toBe(count);
        for (const [key, value] of Object.entries(result.metrics)) {
          expect(Number.isFinite(value), `${key} = ${value}`).toBe(true);
        }
      }
      expect(position).toBe(6);
      expect(first.metrics.updates).toBe(1);
      if (algo !== "cppo") expect(first.metrics.cpl).toBe(0);
      if (algo !== "papo") expect(first.metrics.papoKl).toBe(0);
      release(p);
    });
  }

  it("is reproducible: the same seed and step give the same metrics and weights", async () => {
    const run = async () => {
      const p = parts({ algo: "cppo" });
      const { metrics } = await trainStep(p, { step: 4, dataPosition: 5 });
      const weights = p.policy.trainableVariables.map((v) => Array.from(v.dataSync()));
      release(p);
      return { metrics: { ...metrics, stepTime: 0, tokensPerSecond: 0 }, weights };
    };
    expect(await run()).toEqual(await run());
  });

  it("on-policy (one update per step): the ratio is 1, so nothing is clipped and approx KL is 0", async () => {
    const p = parts({ algo: "grpo", kl: { coef: 0 } });
    const { metrics } = await trainStep(p, { step: 0, dataPosition: 0 });
    expect(metrics.clipFractionHigh).toBe(0);
    expect(metrics.clipFractionLow).toBe(0);
    expect(metrics.approxKl).toBeCloseTo(0, 6);
    expect(metrics.kl).toBe(0);
    release(p);
  });

  it("raises the probability of a rewarded response (policy-gradient direction)", async () => {
    // Reward 1 only for responses that start with the most likely first token of the first prompt's group:
    // after a step, that token must be more likely.
    const policy = new ToyPolicy(11);
    const p = parts(
      { algo: "grpo", kl: { coef: 0 }, rollout: { promptsPerStep: 1, groupSize: 6, maxNewTokens: 1 } },
      policy,
    );
    const prefix = (text: string) => text.charCodeAt(0) % 2;
    p.reward = (text) => prefix(text);
    const example = await p.dataset.get(0);
    const probabilityOfOdd = async () => {
      const { scoreResponses } = await import("@cppo/vlm");
      const { decodeImages, encodePrompt } = await import("./data");
      const images = await decodeImages([example], policy.imageSize);
      const ids = encodePrompt(policy.tokenizer, example.prompt);
      const probs = tf.tidy(() => {
        const { logits } = scoreResponses(policy, { images, promptIds: [ids], responseIds: [[4]] });
        return tf.softmax(logits).dataSync();
      });
      images.dispose();
      let odd = 0;
      for (let id = 4; id < policy.tokenizer.vocabSize; id++) {
        if (prefix(policy.tokenizer.decode([id])) === 1) odd += probs[id] as number;
      }
      return odd;
    };
    const { trainingOrder } = await import("./data");
    const position = [...Array(12).keys()].find(
      (pos) => trainingOrder(12, p.config.seed)(pos) === 0,
    ) as number;
    const before = await probabilityOfOdd();
    const { metrics } = await trainStep(p, { step: 0, dataPosition: position });
    const after = await probabilityOfOdd();
    expect(metrics.rewardStd).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before);
    release(p);
  });

  it("stops with NonFiniteLossError and leaves the weights untouched when the loss is NaN", async () => {
    const p = parts({ algo: "grpo" });
    const first = p.policy.trainableVariables[0];
    first?.assign(tf.fill(first.shape, Number.NaN));
    const others = p.policy.trainableVariables.slice(1).map((v) => Array.from(v.dataSync()));
    await expect(trainStep(p, { step: 0, dataPosition: 0 })).rejects.toThrow(NonFiniteLossError);
    expect(p.policy.trainableVariables.slice(1).map((v) => Array.from(v.dataSync()))).toEqual(others);
    expect(p.optimizer.iterations).toBe(0);
    release(p);
  });

  it("mini-batches and ppo epochs: one update per mini-batch per epoch", async () => {
    const p = parts({
      algo: "cppo",
      optim: { learningRate: 0.05, miniBatchPrompts: 1, microBatchPrompts: 1, ppoEpochs: 2 },
    });
    const first = await trainStep(p, { step: 0, dataPosition: 0 });
    expect(first.metrics.updates).toBe(4);
    expect(p.optimizer.iterations).toBe(4);
    const count = tf.memory().numTensors;
    await trainStep(p, { step: 1, dataPosition: first.dataPosition });
    expect(tf.memory().numTensors).toBe(count);
    release(p);
  });

  it("builds the views named in the config (METHOD's I+/I- and PAPO's mask by default)", () => {
    const defaults = viewsFromConfig(resolveConfig({}));
    expect([defaults.preserving.name, defaults.removing.name, defaults.masked.name]).toEqual([
      "informationPreserving",
      "informationRemoving",
      "patchMask",
    ]);
    const ablation = viewsFromConfig(
      resolveConfig({ views: { removing: "patchMask", preserving: "randomRotation" } }),
    );
    expect(ablation.removing.name).toBe("patchMask");
    expect(ablation.preserving.name).toBe("randomRotation");
  });

  it("ablations: CPL on all tokens without gating covers every response token; the full-distribution CPL trains", async () => {
    const p = parts({ algo: "cppo", cpl: { allTokens: true, advantageGating: false, estimator: "full" } });
    const { metrics } = await trainStep(p, { step: 0, dataPosition: 0 });
    expect(metrics.perceptionShare).toBe(1);
    expect(Number.isFinite(metrics.cpl) && metrics.cpl > 0).toBe(true);
    release(p);
    const gated = parts({ algo: "cppo", cpl: { allTokens: true, advantageGating: true } });
    const result = await trainStep(gated, { step: 0, dataPosition: 0 });
    expect(result.metrics.perceptionShare).toBeLessThan(1);
    release(gated);
  });
});
