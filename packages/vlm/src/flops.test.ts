import type { Tensor2D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { forwardFlops } from "./flops";
import { TEST_CONFIG, testImages } from "./test-helpers";
import { TinyVLM, type TinyVLMConfig } from "./tiny-vlm";
import { CharTokenizer } from "./tokenizer";

// 2x2 patches of a 4x4 image: 4 patches of 12 values; 3 tokens, so 7 positions; d 4, 2 heads, dFF 8, vocab 10.
const tiny: TinyVLMConfig = {
  imageSize: 4,
  patchSize: 2,
  dModel: 4,
  nLayers: 1,
  nHeads: 2,
  dFF: 8,
  maxTokens: 8,
  seed: 0,
};

// Multiply-adds counted by hand for one row:
//   patch embedding  4 patches x 12 x 4               = 192
//   q, k, v          7 positions x 4 x 12             = 336
//   scores           2 heads x 7 x 7 x 2 (head dim)   = 196
//   mixing           2 heads x 7 x 7 x 2              = 196
//   attention out    7 x 4 x 4                        = 112
//   MLP up and down  7 x 4 x 8 x 2                    = 448
//   output head      3 tokens x 4 x 10                = 120
// total 1600, of which one layer is 336 + 196 + 196 + 112 + 448 = 1288.
describe("forwardFlops", () => {
  it("matches a count done by hand for a tiny config", () => {
    expect(forwardFlops(tiny, { batch: 1, sequenceLength: 3, vocabSize: 10 })).toBe(2 * 1600);
  });

  it("scales with the batch and adds one layer's cost per layer", () => {
    expect(forwardFlops(tiny, { batch: 3, sequenceLength: 3, vocabSize: 10 })).toBe(3 * 2 * 1600);
    expect(forwardFlops({ ...tiny, nLayers: 2 }, { batch: 1, sequenceLength: 3, vocabSize: 10 })).toBe(
      2 * (1600 + 1288),
    );
  });

  it("equals 2 x the multiply-adds of every matMul kernel a real forward pass runs", async () => {
    const tokenizer = new CharTokenizer();
    const model = TinyVLM.create(TEST_CONFIG, tokenizer);
    const images = testImages(2);
    const inputIds = tf.tensor2d([1, 20, 21, 22, 23, 1, 30, 31, 32, 33], [2, 5], "int32") as Tensor2D;
    const profile = await tf.profile(() => model.forward({ images, inputIds }));
    // Every matMul of TinyVLM is untransposed: a [..., m, k] @ b [..., k, n] -> [..., m, n].
    const counted = profile.kernels
      .filter((kernel) => kernel.name === "BatchMatMul")
      .reduce((sum, kernel) => {
        const a = kernel.inputShapes[0] as number[];
        const out = kernel.outputShapes[0] as number[];
        return sum + out.reduce((x, y) => x * y, 1) * (a[a.length - 1] as number);
      }, 0);
    expect(counted).toBeGreaterThan(0);
    expect(forwardFlops(TEST_CONFIG, { batch: 2, sequenceLength: 5, vocabSize: tokenizer.vocabSize })).toBe(
      2 * counted,
    );
    tf.dispose(profile.result as tf.Tensor);
    tf.dispose([images, inputIds]);
    model.dispose();
  });

  it("names a shape that is not a positive integer", () => {
    expect(() => forwardFlops(tiny, { batch: 0, sequenceLength: 3, vocabSize: 10 })).toThrow(/batch/);
    expect(() => forwardFlops(tiny, { batch: 1, sequenceLength: 2.5, vocabSize: 10 })).toThrow(
      /sequenceLength/,
    );
    expect(() =>
      forwardFlops({ ...tiny, patchSize: 3 }, { batch: 1, sequenceLength: 3, vocabSize: 10 }),
    ).toThrow(/patchSize/);
  });
});
