import type { Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromPretrained } from "../src/from-pretrained";
import type { Idefics3Policy } from "../src/idefics3/policy";
import {
  FIXTURES,
  type FixtureCases,
  fixtureDir,
  loadCases,
  maxDiffAtRealPositions,
  reference,
} from "./fixtures";

// Logits of the PyTorch reference (scripts/make-fixtures.py, written from transformers' modeling_idefics3.py
// and modeling_llama.py) on tiny random models: tied embeddings in F32, untied in BF16 + F16 shards.
describe.each(FIXTURES)("parity with the PyTorch reference: %s", (name) => {
  let policy: Idefics3Policy;
  let cases: FixtureCases;
  let images: Tensor4D;

  beforeAll(async () => {
    policy = await fromPretrained(fixtureDir(name));
    cases = await loadCases(name);
    const pixels = reference(cases, "images");
    images = tf.tensor4d(pixels.data, pixels.shape as [number, number, number, number]);
  });
  afterAll(() => {
    policy.dispose();
    images.dispose();
  });

  it.each(["image", "text", "mixed"] as const)("logits of the left-padded %s batch agree to 1e-4", (kind) => {
    const { input_ids, attention_mask } = cases.cases[kind];
    const logits = policy.forward({
      images,
      inputIds: tf.tensor2d(input_ids, undefined, "int32"),
      attentionMask: tf.tensor2d(attention_mask),
    });
    const expected = reference(cases, `${kind}.logits`);
    expect(logits.shape).toEqual(expected.shape);
    const diff = maxDiffAtRealPositions(
      logits.dataSync() as Float32Array,
      expected.data,
      attention_mask,
      policy.config.text.vocabSize,
    );
    console.log(`${name} ${kind}: max |logits - reference| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
    logits.dispose();
  });

  it("image features (vision tower + pixel shuffle + projection) agree to 1e-4", () => {
    const features = policy.imageFeatures(images);
    const expected = reference(cases, "image.image_features");
    expect(features.shape).toEqual(expected.shape);
    const got = features.dataSync();
    let worst = 0;
    for (let i = 0; i < got.length; i++)
      worst = Math.max(worst, Math.abs((got[i] as number) - (expected.data[i] as number)));
    expect(worst).toBeLessThan(1e-4);
    features.dispose();
  });

  it("greedy generation with the key/value cache gives the reference's tokens", async () => {
    const { input_ids, attention_mask } = cases.cases.image;
    const promptIds = input_ids.map((row, r) =>
      row.filter((_, l) => (attention_mask[r] as number[])[l] === 1),
    );
    const { tokens } = await policy.generate({ images, promptIds, maxNewTokens: 6, temperature: 0, seed: 0 });
    const eos = policy.tokenizer.eosId;
    // the reference decodes 6 tokens without stopping; ours stops at EOS
    cases.greedy.tokens.forEach((expected, r) => {
      const cut = expected.indexOf(eos);
      expect(tokens[r]).toEqual(cut >= 0 ? expected.slice(0, cut + 1) : expected);
    });
  });
});
