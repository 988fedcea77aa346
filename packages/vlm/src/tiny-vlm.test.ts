import type { Tensor2D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { expectAllClose, TEST_CONFIG, testImages } from "./test-helpers";
import { countParameters, TINY_VLM_PRESETS, TinyVLM } from "./tiny-vlm";
import { CharTokenizer } from "./tokenizer";

const tokenizer = new CharTokenizer();
const model = TinyVLM.create(TEST_CONFIG, tokenizer);
afterAll(() => model.dispose());

const ids = (rows: number[][]) => tf.tensor2d(rows, undefined, "int32") as Tensor2D;
const logitsOf = (images: tf.Tensor4D, rows: number[][], mask?: number[][]) =>
  tf.tidy(() => {
    const out = model.forward({
      images,
      inputIds: ids(rows),
      attentionMask: mask ? tf.tensor2d(mask) : undefined,
    });
    return out.arraySync() as number[][][];
  });

describe("TinyVLM.forward", () => {
  it("returns logits [B, L, V]", () => {
    const images = testImages(2);
    const out = model.forward({
      images,
      inputIds: ids([
        [1, 10, 11],
        [1, 12, 13],
      ]),
    });
    expect(out.shape).toEqual([2, 3, tokenizer.vocabSize]);
    expect(out.dtype).toBe("float32");
    tf.dispose([out, images]);
  });

  it("is causal: changing a later token leaves earlier logits unchanged", () => {
    const images = testImages(1);
    const a = logitsOf(images, [[1, 20, 21, 22, 23]]);
    const b = logitsOf(images, [[1, 20, 21, 50, 60]]);
    for (let l = 0; l < 3; l++) {
      expectAllClose(b[0]?.[l], a[0]?.[l]);
    }
    // the changed position itself must differ, or the test proves nothing
    expect(Math.abs((a[0]?.[3]?.[5] as number) - (b[0]?.[3]?.[5] as number))).toBeGreaterThan(1e-6);
    images.dispose();
  });

  it("sees the image: different pixels give different logits", () => {
    const one = testImages(1, 8, 1);
    const two = testImages(1, 8, 2);
    const a = logitsOf(one, [[1, 20]]);
    const b = logitsOf(two, [[1, 20]]);
    expect(Math.abs((a[0]?.[0]?.[7] as number) - (b[0]?.[0]?.[7] as number))).toBeGreaterThan(1e-6);
    tf.dispose([one, two]);
  });

  it("gives the same logits at real positions with and without left padding", () => {
    const images = testImages(1);
    const plain = logitsOf(images, [[1, 30, 31, 32]]);
    const padded = logitsOf(images, [[0, 0, 0, 1, 30, 31, 32]], [[0, 0, 0, 1, 1, 1, 1]]);
    for (let l = 0; l < 4; l++) {
      expectAllClose(padded[0]?.[l + 3], plain[0]?.[l]);
    }
    images.dispose();
  });

  it("rejects bad shapes, dtypes and lengths by name", () => {
    const images = testImages(1);
    const wide = testImages(1, 16);
    const floatIds = tf.tensor2d([[1, 2]]);
    const long = ids([Array.from({ length: 25 }, () => 5)]);
    const two = ids([[1], [1]]);
    expect(() => model.forward({ images: wide, inputIds: ids([[1]]) })).toThrow(
      /images must be \[B, 8, 8, 3\]/,
    );
    expect(() => model.forward({ images, inputIds: floatIds })).toThrow(/int32/);
    expect(() => model.forward({ images, inputIds: long })).toThrow(/maxTokens = 24/);
    expect(() => model.forward({ images, inputIds: two })).toThrow(/inputIds must be \[B, L\] with B = 1/);
    expect(() => model.forward({ images, inputIds: ids([[1, 2]]), attentionMask: tf.ones([1, 3]) })).toThrow(
      /attentionMask must be \[1, 2\]/,
    );
    tf.dispose([images, wide, floatIds, long, two]);
  });
});

describe("TinyVLM.generate", () => {
  const prompts = [
    [1, 40, 41, 42],
    [1, 43],
  ];

  it("gives the same tokens and log-probs with the KV cache as with full re-runs", async () => {
    const images = testImages(2);
    for (const [temperature, topP] of [
      [1, 1],
      [0.7, 0.9],
    ] as const) {
      const cached = await model.generate({
        images,
        promptIds: prompts,
        maxNewTokens: 10,
        temperature,
        topP,
        seed: 5,
      });
      const full = await model.generate({
        images,
        promptIds: prompts,
        maxNewTokens: 10,
        temperature,
        topP,
        seed: 5,
        useCache: false,
      });
      expect(cached.tokens).toEqual(full.tokens);
      expect(cached.lengths).toEqual(full.lengths);
      for (const [b, row] of cached.logProbs.entries()) expectAllClose(full.logProbs[b], row, 4);
    }
    images.dispose();
  });

  it("returns log-probs that the full forward pass agrees with", async () => {
    const images = testImages(1);
    const { tokens, logProbs } = await model.generate({
      images,
      promptIds: [[1, 40]],
      maxNewTokens: 6,
      seed: 2,
    });
    const row = tokens[0] as number[];
    const logits = logitsOf(images, [[1, 40, ...row]]);
    row.forEach((token, t) => {
      const at = logits[0]?.[t + 1] as number[];
      const max = Math.max(...at);
      const logZ = max + Math.log(at.reduce((s, v) => s + Math.exp(v - max), 0));
      expect(logProbs[0]?.[t]).toBeCloseTo((at[token] as number) - logZ, 4);
    });
    images.dispose();
  });

  it("is seeded: same seed same tokens, another seed other tokens, rows independent of batch", async () => {
    const images = testImages(2);
    const a = await model.generate({ images, promptIds: prompts, maxNewTokens: 12, seed: 1 });
    const b = await model.generate({ images, promptIds: prompts, maxNewTokens: 12, seed: 1 });
    const c = await model.generate({ images, promptIds: prompts, maxNewTokens: 12, seed: 2 });
    expect(b.tokens).toEqual(a.tokens);
    expect(c.tokens).not.toEqual(a.tokens);
    const first = tf.slice(images, [0, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
    const alone = await model.generate({
      images: first,
      promptIds: [prompts[0] as number[]],
      maxNewTokens: 12,
      seed: 1,
    });
    expect(alone.tokens[0]).toEqual(a.tokens[0]);
    tf.dispose([images, first]);
  });

  it("stops a row at EOS", async () => {
    const eager = model.clone();
    const named = new Map(eager.namedVariables());
    // eos embedding = all ones, final LayerNorm outputs beta = 100 * ones: the eos logit dominates everywhere
    const embedding = named.get("token.embedding") as tf.Variable;
    tf.tidy(() => {
      const rows = embedding.arraySync() as number[][];
      rows[tokenizer.eosId] = new Array(TEST_CONFIG.dModel).fill(1);
      embedding.assign(tf.tensor2d(rows));
      (named.get("final.ln.gamma") as tf.Variable).assign(tf.zeros([TEST_CONFIG.dModel]));
      (named.get("final.ln.beta") as tf.Variable).assign(tf.fill([TEST_CONFIG.dModel], 100));
    });
    const images = testImages(2);
    const out = await eager.generate({ images, promptIds: prompts, maxNewTokens: 8, seed: 0 });
    expect(out.tokens).toEqual([[tokenizer.eosId], [tokenizer.eosId]]);
    expect(out.lengths).toEqual([1, 1]);
    expect(out.logProbs[0]?.[0]).toBeCloseTo(0, 3);
    eager.dispose();
    images.dispose();
  });

  it("honours maxNewTokens, including 0", async () => {
    const images = testImages(2);
    const none = await model.generate({ images, promptIds: prompts, maxNewTokens: 0, seed: 0 });
    expect(none).toEqual({ tokens: [[], []], logProbs: [[], []], lengths: [0, 0] });
    const three = await model.generate({ images, promptIds: prompts, maxNewTokens: 3, seed: 0 });
    for (const [b, n] of three.lengths.entries()) {
      expect(n).toBe(three.tokens[b]?.includes(tokenizer.eosId) ? n : 3);
    }
    images.dispose();
  });

  it("rejects bad arguments by name", async () => {
    const images = testImages(1);
    await expect(model.generate({ images, promptIds: [[]], maxNewTokens: 2, seed: 0 })).rejects.toThrow(
      /promptIds\[0\] must hold at least 1/,
    );
    await expect(model.generate({ images, promptIds: [[1], [1]], maxNewTokens: 2, seed: 0 })).rejects.toThrow(
      /one prompt per image \(1\)/,
    );
    await expect(model.generate({ images, promptIds: [[1, 999]], maxNewTokens: 2, seed: 0 })).rejects.toThrow(
      /id 999/,
    );
    await expect(model.generate({ images, promptIds: [[1]], maxNewTokens: 30, seed: 0 })).rejects.toThrow(
      /maxTokens/,
    );
    await expect(
      model.generate({ images, promptIds: [[1]], maxNewTokens: 2, topP: 0, seed: 0 }),
    ).rejects.toThrow(/topP/);
    await expect(
      model.generate({ images, promptIds: [[1]], maxNewTokens: 2, temperature: -1, seed: 0 }),
    ).rejects.toThrow(/temperature/);
    images.dispose();
  });

  it("leaks no tensors over ten generate and forward calls", async () => {
    const images = testImages(2);
    const inputIds = ids([
      [1, 2],
      [1, 3],
    ]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      await model.generate({ images, promptIds: prompts, maxNewTokens: 5, seed: i, useCache: i % 2 === 0 });
      model.forward({ images, inputIds }).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images, inputIds]);
  });
});

describe("TinyVLM lifecycle", () => {
  it("clones into independent variables", () => {
    const images = testImages(1);
    const copy = model.clone();
    const before = logitsOf(images, [[1, 5]]);
    const first = copy.trainableVariables[0] as tf.Variable;
    tf.tidy(() => first.assign(tf.add(first, 1)));
    expect(logitsOf(images, [[1, 5]])).toEqual(before);
    const copyLogits = tf.tidy(
      () => copy.forward({ images, inputIds: ids([[1, 5]]) }).arraySync() as number[][][],
    );
    expect(copyLogits).not.toEqual(before);
    copy.dispose();
    expect(logitsOf(images, [[1, 5]])).toEqual(before);
    expect(() => copy.forward({ images, inputIds: ids([[1]]) })).toThrow(/disposed/);
    images.dispose();
  });

  it("is seeded: the same config gives the same weights", () => {
    const again = TinyVLM.create(TEST_CONFIG, tokenizer);
    const other = TinyVLM.create({ ...TEST_CONFIG, seed: 2 }, tokenizer);
    const w = (m: TinyVLM) => Array.from((m.trainableVariables[0] as tf.Variable).dataSync());
    expect(w(again)).toEqual(w(model));
    expect(w(other)).not.toEqual(w(model));
    again.dispose();
    other.dispose();
  });

  it("counts parameters like the variables hold them", () => {
    const held = model.trainableVariables.reduce((sum, v) => sum + v.size, 0);
    expect(countParameters(TEST_CONFIG, tokenizer.vocabSize)).toBe(held);
    // by hand: patch 48*8+8+4*8, token 104*8+24*8, per layer 2*16+8*24+24+64+8+8*16+16+16*8+8, final 16
    const perLayer = 16 + 8 * 24 + 24 + 64 + 8 + 16 + 8 * 16 + 16 + 16 * 8 + 8;
    expect(held).toBe(48 * 8 + 8 + 4 * 8 + 104 * 8 + 24 * 8 + 2 * perLayer + 16);
    expect(countParameters(TINY_VLM_PRESETS.nano, 104)).toBeGreaterThan(50_000);
    expect(countParameters(TINY_VLM_PRESETS.large, 104)).toBeGreaterThan(3_000_000);
  });

  it("rejects bad configs by key", () => {
    expect(() => TinyVLM.create({ ...TEST_CONFIG, patchSize: 3 }, tokenizer)).toThrow(
      /multiple of patchSize/,
    );
    expect(() => TinyVLM.create({ ...TEST_CONFIG, nHeads: 3 }, tokenizer)).toThrow(/divisible by nHeads/);
    expect(() => TinyVLM.create({ ...TEST_CONFIG, dModel: 0 }, tokenizer)).toThrow(/config.dModel/);
  });
});

describe("TinyVLM gradients", () => {
  it("match central finite differences for weights across the model", () => {
    const images = testImages(2);
    const inputIds = ids([
      [1, 40, 41, 42, 2],
      [0, 1, 43, 44, 2],
    ]);
    const attentionMask = tf.tensor2d([
      [1, 1, 1, 1, 1],
      [0, 1, 1, 1, 1],
    ]);
    const targets = tf.tensor2d(
      [
        [40, 41, 42, 2, 0],
        [0, 43, 44, 2, 0],
      ],
      undefined,
      "int32",
    );
    const weights = tf.tensor2d([
      [1, 1, 1, 1, 0],
      [0, 1, 1, 1, 0],
    ]);
    // mean next-token cross-entropy, written out here rather than taken from score.ts
    const loss = () =>
      tf.tidy(() => {
        const logits = model.forward({ images, inputIds, attentionMask });
        const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets, tokenizer.vocabSize)), -1);
        return tf.div(tf.neg(tf.sum(tf.mul(picked, weights))), tf.sum(weights)) as tf.Scalar;
      });
    const named = new Map(model.namedVariables());
    const { grads } = tf.variableGrads(loss, model.trainableVariables);
    const gradOf = new Map(model.namedVariables().map(([name, v]) => [name, grads[v.name] as tf.Tensor]));
    const probes: Array<[string, number]> = [
      ["patch.kernel", 5],
      ["patch.position", 3],
      ["token.embedding", 40 * 8 + 1],
      ["token.position", 2 * 8 + 3],
      ["layer0.attn.qkv.kernel", 17],
      ["layer0.attn.out.kernel", 9],
      ["layer1.ln1.gamma", 2],
      ["layer1.mlp.up.kernel", 30],
      ["layer1.mlp.down.bias", 4],
      ["final.ln.beta", 6],
    ];
    let largest = 0;
    for (const [name, index] of probes) {
      const variable = named.get(name) as tf.Variable;
      const original = variable.dataSync().slice();
      const at = (delta: number) => {
        const shifted = original.slice();
        shifted[index] = (shifted[index] as number) + delta;
        tf.tidy(() => variable.assign(tf.tensor(shifted, variable.shape)));
        const value = loss();
        const out = value.dataSync()[0] as number;
        value.dispose();
        return out;
      };
      const eps = 1e-2;
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      tf.tidy(() => variable.assign(tf.tensor(original, variable.shape)));
      const analytic = (gradOf.get(name) as tf.Tensor).dataSync()[index] as number;
      largest = Math.max(largest, Math.abs(analytic));
      expect(Math.abs(analytic - numeric), name).toBeLessThan(1e-3 + 3e-2 * Math.abs(numeric));
    }
    expect(largest).toBeGreaterThan(1e-3);
    tf.dispose([images, inputIds, attentionMask, targets, weights, ...Object.values(grads)]);
  });
});
