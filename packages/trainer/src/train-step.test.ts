import { registerTrainingGradients } from "@cppo/vlm";
import type { Tensor, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it, vi } from "vitest";
import { lengthReward, tinyConfig, tinyDataset } from "../test/fixtures";
import { ToyPolicy } from "../test/toy-policy";
import { Adam } from "./adam";
import { resolveConfig, type TrainConfigInput } from "./config";
import { decodeImages, encodePrompt } from "./data";
import {
  extraViewRows,
  microBatchGradients,
  NonFiniteLossError,
  type Rollout,
  type TrainerParts,
  trainStep,
  viewsFromConfig,
} from "./train-step";

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

/** A hand-made rollout of 2 prompts x 3 responses; the widest response (row 1) has a negative advantage. */
async function fixedRollout(p: TrainerParts, advantages: number[]) {
  const examples = [await p.dataset.get(0), await p.dataset.get(1)];
  const responseIds = [
    [5, 9],
    [7, 8, 9, 10, 11, 12],
    [20, 21, 22],
    [30, 31, 32, 33],
    [40],
    [50, 51, 52, 53, 54],
  ];
  const rollout: Rollout = {
    examples,
    promptIds: examples.map((e) => encodePrompt(p.policy.tokenizer, e.prompt)),
    promptOf: [0, 0, 0, 1, 1, 1],
    responseIds,
    texts: responseIds.map(() => ""),
    rewards: advantages,
    accuracy: advantages.map(() => 0),
    format: advantages.map(() => 0),
    advantages,
  };
  const images = await decodeImages(examples, p.policy.imageSize);
  const views = viewsFromConfig(p.config);
  const all: Tensor4D[] = [
    images,
    views.preserving.applyTensor(images, { seed: 5 }),
    views.removing.applyTensor(images, { seed: 6 }),
  ];
  return { rollout, views: all, rows: [0, 1, 2, 3, 4, 5] };
}

function gradientsOf(
  p: TrainerParts,
  fixture: Awaited<ReturnType<typeof fixedRollout>>,
  viewRows?: number[],
) {
  const { rollout, views, rows } = fixture;
  const old = rows.map((r) => (rollout.responseIds[r] as number[]).map((_, t) => -2 - 0.1 * t));
  const { grads, values } = microBatchGradients(
    p,
    rollout,
    views,
    rows,
    old,
    null,
    p.policy.trainableVariables,
    viewRows,
  );
  const arrays = grads.map((g) => Array.from(g.dataSync()));
  tf.dispose(grads);
  return { values, grads: arrays };
}

function expectRelativelyClose(actual: number[], expected: number[], what: string) {
  const scale = Math.max(1e-12, ...expected.map(Math.abs));
  const worst = Math.max(0, ...actual.map((a, i) => Math.abs(a - (expected[i] as number))));
  expect(worst / scale, `${what}: max |difference| ${worst} vs max |value| ${scale}`).toBeLessThan(1e-5);
}

describe("CPPO with advantage gating scores I+ and I- only for positive-advantage rows", () => {
  const advantages = [0.8, -1.1, 0.3, 0, -0.4, 1.2];

  it("picks the positive-advantage rows, and all rows without gating, with allTokens or for PAPO", () => {
    const rollout = { advantages } as Rollout;
    const rows = [0, 1, 2, 3, 4, 5];
    const config = (input: TrainConfigInput) => resolveConfig({ ...tinyConfig, ...input });
    expect(extraViewRows(config({ algo: "cppo" }), rollout, rows)).toEqual([0, 2, 5]);
    expect(extraViewRows(config({ algo: "cppo" }), rollout, [3, 4, 5])).toEqual([2]);
    expect(extraViewRows(config({ algo: "cppo", cpl: { advantageGating: false } }), rollout, rows)).toEqual(
      rows,
    );
    expect(extraViewRows(config({ algo: "cppo", cpl: { allTokens: true } }), rollout, rows)).toEqual(rows);
    expect(extraViewRows(config({ algo: "papo" }), rollout, rows)).toEqual(rows);
  });

  const settings: TrainConfigInput[] = [
    {},
    { policyLoss: { aggregation: "seq-mean-token-mean" }, cpl: { estimator: "full" } },
    { policyLoss: { aggregation: "seq-mean-token-sum-norm" }, cpl: { topFraction: 1 } },
    { policyLoss: { aggregation: "seq-mean-token-sum" }, cpl: { coef: 1 } },
  ];
  for (const setting of settings) {
    it(`gives the loss and gradients of the all-rows computation (${JSON.stringify(setting)})`, async () => {
      const p = parts({ algo: "cppo", kl: { coef: 0 }, ...setting });
      const fixture = await fixedRollout(p, advantages);
      const forward = vi.spyOn(p.policy, "forward");
      const gated = gradientsOf(p, fixture);
      expect(forward.mock.calls.map(([input]) => input.images.shape[0])).toEqual([6 + 2 * 3]);
      const reference = gradientsOf(p, fixture, [0, 1, 2, 3, 4, 5]);
      expect(forward.mock.calls.map(([input]) => input.images.shape[0])).toEqual([12, 18]);
      expect(reference.values.cpl).toBeGreaterThan(0);
      expect(reference.values.perceptionShare).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(reference.values)) {
        expectRelativelyClose([gated.values[key as keyof typeof gated.values]], [value], key);
      }
      reference.grads.forEach((g, i) => {
        expect(g.some((x) => x !== 0)).toBe(true);
        expectRelativelyClose(gated.grads[i] as number[], g, `gradient ${i}`);
      });
      tf.dispose(fixture.views);
      release(p);
    });
  }

  it("cpl.anchorGradient false: the same loss, and a gradient that differs only through the CPL", async () => {
    const run = async (coef: number, anchorGradient: boolean) => {
      const p = parts({ algo: "cppo", kl: { coef: 0 }, cpl: { coef, anchorGradient } });
      const fixture = await fixedRollout(p, advantages);
      const result = gradientsOf(p, fixture);
      tf.dispose(fixture.views);
      release(p);
      return result;
    };
    const [withAnchor, withoutAnchor] = [await run(1, true), await run(1, false)];
    expect(withoutAnchor.values.loss).toBeCloseTo(withAnchor.values.loss, 6);
    const differs = withAnchor.grads.some((g, i) =>
      g.some((x, j) => Math.abs(x - ((withoutAnchor.grads[i] as number[])[j] as number)) > 1e-6),
    );
    expect(differs).toBe(true);
    // Without the CPL term, the anchor setting changes nothing.
    const [a, b] = [await run(0, true), await run(0, false)];
    a.grads.forEach((g, i) => {
      expect(b.grads[i]).toEqual(g);
    });
  });

  it("with no positive advantage, scores the original image only and gives cpl 0", async () => {
    const p = parts({ algo: "cppo", kl: { coef: 0 } });
    const fixture = await fixedRollout(p, [0, -1, -0.5, 0, -2, -0.1]);
    const forward = vi.spyOn(p.policy, "forward");
    const gated = gradientsOf(p, fixture);
    expect(forward.mock.calls.map(([input]) => input.images.shape[0])).toEqual([6]);
    expect(gated.values.cpl).toBe(0);
    expect(gated.values.perceptionShare).toBe(0);
    const reference = gradientsOf(p, fixture, [0, 1, 2, 3, 4, 5]);
    expect(reference.values.cpl).toBe(0);
    reference.grads.forEach((g, i) => {
      expectRelativelyClose(gated.grads[i] as number[], g, `gradient ${i}`);
    });
    tf.dispose(fixture.views);
    release(p);
  });

  it("leaks no tensor, with some, all or no rows gated", async () => {
    const p = parts({ algo: "cppo", kl: { coef: 0 } });
    for (const rowAdvantages of [advantages, [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]]) {
      const { rollout, views, rows } = await fixedRollout(p, rowAdvantages);
      // expectNoLeak's check, inline: @cppo/test-utils is not a dependency of the trainer.
      const before = tf.memory().numTensors;
      tf.dispose(microBatchGradients(p, rollout, views, rows, null, null, p.policy.trainableVariables).grads);
      expect(tf.memory().numTensors, `advantages ${rowAdvantages}`).toBe(before);
      tf.dispose(views);
    }
    release(p);
  });

  it("a whole step with equal rewards (every advantage 0) reports cpl 0", async () => {
    const p = parts({ algo: "cppo" });
    p.reward = () => ({ reward: 1 });
    const { metrics } = await trainStep(p, { step: 0, dataPosition: 0 });
    expect(metrics.cpl).toBe(0);
    expect(metrics.perceptionShare).toBe(0);
    release(p);
  });

  for (const backend of ["cpu", "wasm"] as const) {
    it(`tf.gather's gradient exists on ${backend} (the subset of the original-image rows)`, async () => {
      if (backend === "wasm") await import("@tensorflow/tfjs-backend-wasm");
      const previous = tf.getBackend();
      await tf.setBackend(backend);
      try {
        registerTrainingGradients();
        const x = tf.tensor2d([
          [1, 2],
          [3, 4],
          [5, 6],
        ]);
        const grad = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([2, 0, 2], "int32")), 3)))(
          x,
        );
        expect(Array.from(grad.dataSync())).toEqual([3, 3, 0, 0, 6, 6]);
        tf.dispose([x, grad]);
      } finally {
        await tf.setBackend(previous);
      }
    });
  }
});
