import { scoreResponses } from "@cppo/vlm";
import type { Tensor, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureDir, loadCases, reference } from "../../test/fixtures";
import { fromPretrained } from "../from-pretrained";
import type { Idefics3Policy } from "./policy";

let policy: Idefics3Policy;
let images: Tensor4D;
let prompts: number[][];

beforeAll(async () => {
  policy = await fromPretrained(fixtureDir("tiny-idefics3-tied"));
  const cases = await loadCases("tiny-idefics3-tied");
  const pixels = reference(cases, "images");
  images = tf.tensor4d(pixels.data, pixels.shape as [number, number, number, number]);
  prompts = [policy.encodePrompt("<image>\nis the sky blue?"), policy.encodePrompt("2+2?")];
});
afterAll(() => {
  policy.dispose();
  images.dispose();
});

const ids = (rows: number[][]) => tf.tensor2d(rows, undefined, "int32");
const maxAbsDiff = (a: Tensor, b: Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

describe("Idefics3Policy.forward", () => {
  it("gives a row the same logits alone and left-padded in a batch", () => {
    const [long, short] = prompts as [number[], number[]];
    const pad = long.length - short.length;
    const batch = policy.forward({
      images,
      inputIds: ids([long, [...Array(pad).fill(policy.tokenizer.padId), ...short]]),
      attentionMask: tf.tensor2d([long.map(() => 1), [...Array(pad).fill(0), ...short.map(() => 1)]]),
    });
    const alone = policy.forward({ images: tf.slice(images, [1], [1]) as Tensor4D, inputIds: ids([short]) });
    const padded = tf.slice(batch, [1, pad, 0], [1, -1, -1]);
    // rotary angles differ by the padding offset, so only float32 rounding separates the two
    expect(maxAbsDiff(padded, alone)).toBeLessThan(1e-4);
  });

  it("runs text-only input without images", () => {
    const text = policy.tokenizer.encode("<|im_start|>User: hi<end_of_utterance>\nAssistant:");
    const logits = policy.forward({ images: undefined as unknown as Tensor4D, inputIds: ids([text]) });
    expect(logits.shape).toEqual([1, text.length, 112]);
  });

  it("names what is wrong with its input", () => {
    const [long] = prompts as [number[]];
    expect(() =>
      policy.forward({ images: tf.zeros([1, 8, 8, 3]) as Tensor4D, inputIds: ids([long]) }),
    ).toThrow(/images must be \[1, 16, 16, 3\] in \[0, 1\], got \[1,8,8,3\]/);
    expect(() => policy.forward({ images, inputIds: ids([[1, 500]]) })).toThrow(
      /inputIds holds id 500, outside the vocabulary \[0, 112\)/,
    );
    const image = policy.config.imageTokenId;
    expect(() => policy.forward({ images, inputIds: ids([[1, image, image]]) })).toThrow(
      /row 0 holds 2 <image> tokens; an image needs 4/,
    );
    expect(() =>
      policy.forward({ images, inputIds: ids([[1, 2]]), attentionMask: tf.ones([1, 3]) as tf.Tensor2D }),
    ).toThrow(/attentionMask must be \[1, 2\] like inputIds, got \[1,3\]/);
  });
});

describe("Idefics3Policy.generate", () => {
  it("samples the same tokens with and without the key/value cache, reproducibly", async () => {
    const input = { images, promptIds: prompts, maxNewTokens: 8, temperature: 1, seed: 7 };
    const cached = await policy.generate(input);
    const again = await policy.generate(input);
    const full = await policy.generate({ ...input, useCache: false });
    expect(again).toEqual(cached);
    expect(full.tokens).toEqual(cached.tokens);
    cached.logProbs.forEach((row, r) => {
      row.forEach((lp, t) => {
        expect(lp).toBeCloseTo(full.logProbs[r]?.[t] as number, 4);
      });
    });
    expect(cached.lengths).toEqual(cached.tokens.map((t) => t.length));
  });

  it("reports the log-probabilities the trainer's scoring recomputes from forward", async () => {
    const { tokens, logProbs } = await policy.generate({
      images,
      promptIds: prompts,
      maxNewTokens: 6,
      seed: 3,
    });
    const scored = scoreResponses(policy, { images, promptIds: prompts, responseIds: tokens });
    const rows = scored.logProbs.arraySync();
    logProbs.forEach((row, r) => {
      row.forEach((lp, t) => {
        expect(rows[r]?.[t]).toBeCloseTo(lp, 4);
      });
    });
    tf.dispose([scored.logits, scored.logProbs, scored.responseMask]);
  });

  it("stops a row at EOS and leaves no tensors behind", async () => {
    const before = tf.memory().numTensors;
    const { tokens } = await policy.generate({ images, promptIds: prompts, maxNewTokens: 5, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    for (const row of tokens) {
      const eos = row.indexOf(policy.tokenizer.eosId);
      expect(eos === -1 ? row.length : eos + 1).toBe(row.length);
      expect(row.length).toBeLessThanOrEqual(5);
    }
  });
});

describe("Idefics3Policy training", () => {
  it("has gradients that match finite differences, and freezing the vision tower leaves it out", async () => {
    const frozen = await fromPretrained(fixtureDir("tiny-idefics3-tied"), { freeze: "vision" });
    const first = tf.slice(images, [0], [1]) as Tensor4D;
    try {
      const all = policy.trainableVariables.length;
      const vision = policy.namedParameters().filter((p) => p.spec.vision).length;
      expect(frozen.trainableVariables.length).toBe(all - vision);
      const input = { images: first, promptIds: prompts.slice(0, 1), responseIds: [[5, 9, 40]] };
      const loss = (p: Idefics3Policy) => {
        const scored = scoreResponses(p, input);
        return tf.sum(scored.logProbs) as tf.Scalar;
      };
      const { grads, value } = tf.variableGrads(() => loss(frozen), frozen.trainableVariables);
      const named = frozen.namedParameters();
      const find = (name: string) => named.find((p) => p.spec.name === name)?.variable as tf.Variable;
      const target = find("model.text_model.layers.0.mlp.up_proj.weight");
      const grad = grads[target.name] as Tensor;
      expect(grads[find("model.vision_model.post_layernorm.weight").name]).toBeUndefined();
      // central difference on one entry of the first decoder layer's up projection
      const eps = 1e-2;
      const original = target.clone();
      const nudge = (delta: number) =>
        tf.tidy(() => {
          const bump = tf.buffer(target.shape);
          bump.set(delta, 3, 5);
          target.assign(tf.add(original, bump.toTensor()));
          return loss(frozen).dataSync()[0] as number;
        });
      const numeric = (nudge(eps) - nudge(-eps)) / (2 * eps);
      target.assign(original);
      expect(grad.arraySync() as number[][]).toBeDefined();
      expect((grad.arraySync() as number[][])[3]?.[5]).toBeCloseTo(numeric, 2);
      tf.dispose([value, original, ...Object.values(grads)]);
    } finally {
      frozen.dispose();
      first.dispose();
    }
  });
});

describe("Idefics3Policy.clone and dispose", () => {
  it("clones into independent variables and frees them on dispose", () => {
    const before = tf.memory().numTensors;
    const copy = policy.clone();
    const input = { images: tf.slice(images, [0], [1]) as Tensor4D, inputIds: ids([prompts[0] as number[]]) };
    const a = policy.forward(input);
    const b = copy.forward(input);
    expect(maxAbsDiff(a, b)).toBe(0);
    const norm = copy.namedParameters().find((p) => p.spec.name === "model.text_model.norm.weight")
      ?.variable as tf.Variable;
    tf.tidy(() => norm.assign(tf.zerosLike(norm)));
    const c = policy.forward(input);
    expect(maxAbsDiff(a, c)).toBe(0);
    copy.dispose();
    expect(() => copy.forward(input)).toThrow(/the model was disposed/);
    tf.dispose([a, b, c, input.images, input.inputIds]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
