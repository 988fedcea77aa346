import { type SynthExample, tokenPerceptionLabels } from "@cppo/data-synth";
import { informationRemoving } from "@cppo/perturb";
import { CharTokenizer, TinyVLM, type TinyVLMConfig, type VisionLanguagePolicy } from "@cppo/vlm";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { tinyDataset } from "../test/fixtures";
import { encodePrompt } from "./data";
import { measureDetector, selectionQuality } from "./detector-quality";

describe("selectionQuality", () => {
  const truth = [Uint8Array.of(1, 1, 0, 0), Uint8Array.of(0, 0, 1), Uint8Array.of(0, 0)];
  const selected = [Uint8Array.of(1, 0, 1, 0), Uint8Array.of(0, 0, 1), Uint8Array.of(0, 0)];

  it("micro-averages precision and recall over all tokens", () => {
    const quality = selectionQuality({ selected, truth, seed: 0 });
    // 3 selected, 2 of them true; 3 true tokens in all.
    expect(quality).toMatchObject({ selected: 3, truePositives: 2 });
    expect(quality.precision).toBeCloseTo(2 / 3, 12);
    expect(quality.recall).toBeCloseTo(2 / 3, 12);
  });

  it("gives a random choice of the same size whose hits average k * (true / length) per row", () => {
    // Row 0: 2 of 4 tokens, 2 true -> 1 expected hit; row 1: 1 of 3, 1 true -> 1/3; row 2: nothing.
    const expected = 1 + 1 / 3;
    let sum = 0;
    const seeds = 4000;
    for (let seed = 0; seed < seeds; seed++) {
      const { random } = selectionQuality({ selected, truth, seed });
      expect(random.precision).toBeCloseTo(random.truePositives / 3, 12);
      expect(random.recall).toBeCloseTo(random.truePositives / 3, 12);
      sum += random.truePositives;
    }
    // The hit count has variance below 1, so the mean's standard error is under 1/sqrt(4000) ~ 0.016.
    expect(Math.abs(sum / seeds - expected)).toBeLessThan(0.05);
  });

  it("matches base rate * selected for one response", () => {
    const row = Uint8Array.of(1, 0, 0, 1, 0, 0, 0, 0, 1, 0); // base rate 0.3
    const pick = Uint8Array.of(1, 1, 1, 1, 0, 0, 0, 0, 0, 0); // 4 selected
    let sum = 0;
    for (let seed = 0; seed < 4000; seed++) {
      sum += selectionQuality({ selected: [pick], truth: [row], seed }).random.truePositives;
    }
    expect(Math.abs(sum / 4000 - 0.3 * 4)).toBeLessThan(0.05);
  });

  it("keeps the count per response: a response of only true tokens gives random precision 1", () => {
    const quality = selectionQuality({
      selected: [Uint8Array.of(0, 1, 1)],
      truth: [Uint8Array.of(1, 1, 1)],
      seed: 7,
    });
    expect(quality.random).toEqual({ truePositives: 2, precision: 1, recall: 2 / 3 });
  });

  it("reports 0 for empty denominators and names mismatched rows", () => {
    expect(
      selectionQuality({ selected: [Uint8Array.of(0, 0)], truth: [Uint8Array.of(0, 0)], seed: 0 }),
    ).toEqual({
      selected: 0,
      truePositives: 0,
      precision: 0,
      recall: 0,
      random: { truePositives: 0, precision: 0, recall: 0 },
    });
    expect(() =>
      selectionQuality({ selected: [Uint8Array.of(1)], truth: [Uint8Array.of(1, 0)], seed: 0 }),
    ).toThrow(/row 0 has 1 selected entries and 2 truth entries/);
  });
});

const CONFIG: TinyVLMConfig = {
  imageSize: 8,
  patchSize: 4,
  dModel: 8,
  nLayers: 1,
  nHeads: 2,
  dFF: 16,
  maxTokens: 80,
  seed: 1,
};
const policy = TinyVLM.create(CONFIG, new CharTokenizer());
afterAll(() => policy.dispose());
const dataset = tinyDataset(4);
const examples = (await Promise.all([0, 1, 2, 3].map((i) => dataset.get(i)))) as SynthExample[];

/** Delegates to `policy` but "samples" each prompt's reference response, so the truth is known. */
function replayingReferences(policy: VisionLanguagePolicy, examples: SynthExample[]): VisionLanguagePolicy {
  const { tokenizer } = policy;
  const byPrompt = new Map(
    examples.map((e) => [encodePrompt(tokenizer, e.prompt).join(), e.referenceResponse]),
  );
  return {
    tokenizer,
    imageSize: policy.imageSize,
    trainableVariables: policy.trainableVariables,
    forward: (input) => policy.forward(input),
    generate: async ({ promptIds }) => {
      const tokens = promptIds.map((ids) => [
        ...tokenizer.encode(byPrompt.get(ids.join()) ?? ""),
        tokenizer.eosId,
      ]);
      return { tokens, logProbs: tokens.map((t) => t.map(() => 0)), lengths: tokens.map((t) => t.length) };
    },
    save: (dir) => policy.save(dir),
    clone: () => policy.clone(),
    dispose: () => policy.dispose(),
  };
}

describe("measureDetector", () => {
  const options = { policy, examples, view: informationRemoving(), maxNewTokens: 10, samplesPerExample: 2 };

  it("is deterministic for a seed, with consistent counts and no leaks", async () => {
    const before = tf.memory().numTensors;
    const quality = await measureDetector({ ...options, seed: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(await measureDetector({ ...options, seed: 5 })).toEqual(quality);

    expect(quality).toMatchObject({ examples: 4, responses: 8 });
    expect(quality.tokens).toBeLessThanOrEqual(8 * 10);
    expect(quality.byFraction.map((q) => q.topFraction)).toEqual([0.05, 0.2, 0.5, 1.0]);
    const counts = quality.byFraction.map((q) => q.selected);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    // At p = 1 every candidate is kept (k = #candidates).
    expect(counts[3]).toBe(quality.candidates);
    expect(quality.candidates).toBeGreaterThan(0);
    for (const q of quality.byFraction) {
      expect(q.truePositives).toBeLessThanOrEqual(Math.min(q.selected, quality.perceptionTokens));
      expect(q.random.truePositives).toBeLessThanOrEqual(Math.min(q.selected, quality.perceptionTokens));
    }
  });

  it("labels sampled responses with data-synth's ground truth", async () => {
    const replay = replayingReferences(policy, examples);
    const quality = await measureDetector({ ...options, policy: replay, seed: 1, samplesPerExample: 3 });
    const { tokenizer } = policy;
    let tokens = 0;
    let perception = 0;
    for (const e of examples) {
      const { offsets } = tokenizer.encodeWithOffsets(e.referenceResponse);
      tokens += 3 * (offsets.length + 1); // and EOS
      perception += 3 * tokenPerceptionLabels(e.perceptionLabels, offsets).reduce((a, v) => a + v, 0);
    }
    expect(perception).toBeGreaterThan(0);
    expect(quality).toMatchObject({ responses: 12, tokens, perceptionTokens: perception });
    expect(quality.baseRate).toBeCloseTo(perception / tokens, 12);
    const atOne = quality.byFraction[3];
    expect(atOne?.recall).toBeCloseTo((atOne?.truePositives ?? 0) / perception, 12);

    // The same examples carrying their values as perceptionValues give the same measurement.
    const asTrainExamples = examples.map(({ values, ...rest }) => ({ ...rest, perceptionValues: values }));
    expect(
      await measureDetector({
        ...options,
        policy: replay,
        seed: 1,
        samplesPerExample: 3,
        examples: asTrainExamples,
      }),
    ).toEqual(quality);
  });

  it("skips examples without values and names the problem when none has them", async () => {
    const bare = examples.map(({ values: _values, ...rest }) => rest);
    const quality = await measureDetector({
      ...options,
      seed: 2,
      examples: [...bare.slice(1), examples[0] as SynthExample],
    });
    expect(quality).toMatchObject({ examples: 1, responses: 2 });
    await expect(measureDetector({ ...options, seed: 2, examples: bare })).rejects.toThrow(
      /none of the 4 examples has drawn values/,
    );
  });
});
