import type { Tensor2D, Tensor3D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { scoreResponses, tokenLogProbs } from "./score";
import { expectAllClose, TEST_CONFIG, testImages } from "./test-helpers";
import { TinyVLM } from "./tiny-vlm";
import { CharTokenizer } from "./tokenizer";

const logSoftmaxAt = (row: number[], index: number) => {
  const max = Math.max(...row);
  return (row[index] as number) - max - Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
};

describe("tokenLogProbs", () => {
  it("gathers the log-softmax at the ids", () => {
    const logits = tf.tensor3d([
      [
        [0, 0, 0],
        [1, 2, 3],
      ],
    ]) as Tensor3D;
    const ids = tf.tensor2d([[1, 0]], undefined, "int32") as Tensor2D;
    const out = tokenLogProbs(logits, ids);
    const [a, b] = out.arraySync()[0] as number[];
    expect(a).toBeCloseTo(-Math.log(3), 6);
    expect(b).toBeCloseTo(1 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
    tf.dispose([logits, ids, out]);
  });

  it("has gradient onehot - softmax", () => {
    const logits = tf.tensor3d([[[1, 2, 3]]]) as Tensor3D;
    const ids = tf.tensor2d([[2]], undefined, "int32") as Tensor2D;
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tokenLogProbs(x as Tensor3D, ids)))(logits);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    const expected = [-Math.exp(1) / z, -Math.exp(2) / z, 1 - Math.exp(3) / z];
    expectAllClose((grad.arraySync() as number[][][])[0]?.[0], expected);
    tf.dispose([logits, ids, grad]);
  });

  it("rejects mismatched shapes", () => {
    const logits = tf.zeros([1, 2, 3]) as Tensor3D;
    const ids = tf.zeros([1, 3], "int32") as Tensor2D;
    expect(() => tokenLogProbs(logits, ids)).toThrow(/ids must be \[1, 2\]/);
    tf.dispose([logits, ids]);
  });
});

describe("scoreResponses", () => {
  const tokenizer = new CharTokenizer();
  const policy = TinyVLM.create(TEST_CONFIG, tokenizer);
  afterAll(() => policy.dispose());

  it("scores each response token with the logit that predicts it, padding masked", () => {
    const images = testImages(2);
    const promptIds = [[1, 30, 31], [1]];
    const responseIds = [
      [40, 41],
      [42, 43, 2],
    ];
    const before = tf.memory().numTensors;
    const { logits, logProbs, responseMask } = scoreResponses(policy, { images, promptIds, responseIds });
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(logits.shape).toEqual([2, 3, tokenizer.vocabSize]);
    expect(responseMask.arraySync()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    const got = logProbs.arraySync();
    // independent path: each row alone, unpadded, log-softmax in plain JS
    for (let b = 0; b < 2; b++) {
      const prompt = promptIds[b] as number[];
      const response = responseIds[b] as number[];
      const row = tf.tidy(() => {
        const image = tf.slice(images, [b, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
        const inputIds = tf.tensor2d([[...prompt, ...response]], undefined, "int32") as Tensor2D;
        return (policy.forward({ images: image, inputIds }).arraySync() as number[][][])[0] as number[][];
      });
      response.forEach((token, t) => {
        expect(got[b]?.[t]).toBeCloseTo(logSoftmaxAt(row[prompt.length - 1 + t] as number[], token), 4);
      });
    }
    expect(Math.abs(got[0]?.[2] as number)).toBe(0);
    tf.dispose([logits, logProbs, responseMask, images]);
  });

  it("rejects mismatched batches and empty prompts", () => {
    const images = testImages(1);
    expect(() => scoreResponses(policy, { images, promptIds: [[1], [1]], responseIds: [[2]] })).toThrow(
      /promptIds must hold one prompt per image \(1\)/,
    );
    expect(() => scoreResponses(policy, { images, promptIds: [[1]], responseIds: [] })).toThrow(
      /responseIds/,
    );
    expect(() => scoreResponses(policy, { images, promptIds: [[]], responseIds: [[2]] })).toThrow(
      /promptIds\[0\] is empty/,
    );
    images.dispose();
  });
});
