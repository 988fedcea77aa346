import { mulberry32 } from "@cppo/random";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { scoreResponses } from "./score";
import { type SupervisedExample, supervisedFineTune } from "./supervised-fine-tune";
import { TEST_CONFIG, testImages } from "./test-helpers";
import { TinyVLM } from "./tiny-vlm";
import { CharTokenizer } from "./tokenizer";

const tokenizer = new CharTokenizer();
const base = TinyVLM.create(TEST_CONFIG, tokenizer);
afterAll(() => base.dispose());

function examples(): SupervisedExample[] {
  const next = mulberry32(3);
  const pixels = () => Float32Array.from({ length: 8 * 8 * 3 }, next);
  return [
    { image: pixels(), promptIds: [1, 40, 41], responseIds: tokenizer.encode("<think>a</think>\\boxed{1}") },
    {
      image: pixels(),
      promptIds: [1, 42],
      responseIds: [...tokenizer.encode("<think>b</think>\\boxed{2}"), 2],
    },
  ];
}

describe("supervisedFineTune", () => {
  it("starts at the teacher-forced cross-entropy (EOS appended) and drives it down", async () => {
    const policy = base.clone();
    const data = examples();
    const expected = tf.tidy(() => {
      const images = tf.stack(
        data.map((e) => tf.tensor3d(e.image as Float32Array, [8, 8, 3])),
      ) as tf.Tensor4D;
      const [first, second] = data as [SupervisedExample, SupervisedExample];
      const responseIds = [[...first.responseIds, 2], second.responseIds];
      const { logProbs, responseMask } = scoreResponses(policy, {
        images,
        promptIds: data.map((e) => e.promptIds),
        responseIds,
      });
      return -(tf.sum(logProbs).dataSync()[0] as number) / (tf.sum(responseMask).dataSync()[0] as number);
    });
    const before = tf.memory().numTensors;
    const { losses } = await supervisedFineTune(policy, {
      examples: data,
      steps: 40,
      batchSize: 2,
      learningRate: 0.02,
      seed: 0,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses).toHaveLength(40);
    expect(losses[0]).toBeCloseTo(expected, 4);
    expect(losses[39] as number).toBeLessThan(0.3 * (losses[0] as number));
    policy.dispose();
  });

  it("is seeded, reports the global gradient norm, and stops when asked", async () => {
    const a = base.clone();
    const b = base.clone();
    const data = examples();
    const norms: number[] = [];
    const run = (policy: TinyVLM, onStep?: Parameters<typeof supervisedFineTune>[1]["onStep"]) =>
      supervisedFineTune(policy, {
        examples: data,
        steps: 5,
        batchSize: 1,
        learningRate: 0.01,
        seed: 7,
        onStep,
      });
    const first = await run(a, ({ gradNorm }) => {
      norms.push(gradNorm);
    });
    const second = await run(b);
    expect(second.losses).toEqual(first.losses);

    // the first step's norm, recomputed independently on a fresh copy with the same first example
    const fresh = base.clone();
    let order = -1;
    await supervisedFineTune(fresh, {
      examples: {
        length: 2,
        get: (i) => {
          order = i;
          return data[i] as SupervisedExample;
        },
      },
      steps: 1,
      batchSize: 1,
      learningRate: 0.01,
      seed: 7,
    });
    fresh.dispose();
    const check = base.clone();
    const norm = tf.tidy(() => {
      const e = data[order] as SupervisedExample;
      const responseIds = e.responseIds.at(-1) === 2 ? e.responseIds : [...e.responseIds, 2];
      const images = tf.reshape(tf.tensor1d(e.image as Float32Array), [1, 8, 8, 3]) as tf.Tensor4D;
      const { grads } = tf.variableGrads(() => {
        const s = scoreResponses(check, { images, promptIds: [e.promptIds], responseIds: [responseIds] });
        return tf.div(tf.neg(tf.sum(s.logProbs)), tf.sum(s.responseMask)) as tf.Scalar;
      }, check.trainableVariables);
      let total = 0;
      for (const g of Object.values(grads)) for (const v of g.dataSync()) total += v * v;
      return Math.sqrt(total);
    });
    expect(norms[0]).toBeCloseTo(norm, 3);
    check.dispose();

    const c = base.clone();
    const stopped = await run(c, ({ step }) => (step === 1 ? "stop" : undefined));
    expect(stopped.losses).toHaveLength(2);
    for (const m of [a, b, c]) m.dispose();
  });

  it("rejects bad options and images by name", async () => {
    const data = examples();
    const opts = { steps: 1, batchSize: 1, learningRate: 0.01, seed: 0 };
    await expect(supervisedFineTune(base, { ...opts, examples: [] })).rejects.toThrow(/examples is empty/);
    await expect(supervisedFineTune(base, { ...opts, examples: data, batchSize: 0 })).rejects.toThrow(
      /batchSize/,
    );
    await expect(supervisedFineTune(base, { ...opts, examples: data, learningRate: -1 })).rejects.toThrow(
      /learningRate/,
    );
    const first = data[0] as SupervisedExample;
    const wrong = [{ ...first, image: new Float32Array(10) }];
    await expect(supervisedFineTune(base, { ...opts, examples: wrong })).rejects.toThrow(
      /example image 0 has 10 floats/,
    );
    const images = testImages(1);
    const tensorImage = tf.reshape(images, [8, 8, 3]) as tf.Tensor3D;
    const frozen = base.clone();
    const { losses } = await supervisedFineTune(frozen, {
      ...opts,
      examples: [{ ...first, image: tensorImage }],
    });
    expect(losses).toHaveLength(1);
    frozen.dispose();
    tf.dispose([images, tensorImage]);
  });
});
