import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { fixtureDir } from "../test/fixtures";
import { ImageProcessor } from "./image-processor";

describe("ImageProcessor", () => {
  it("reads preprocessor_config.json and normalises [0, 1] pixels as rescale then (x - mean) / std", async () => {
    const processor = await ImageProcessor.fromDir(fixtureDir("tiny-idefics3-tied"), 16);
    expect(processor.config).toMatchObject({
      size: 16,
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
      doImageSplitting: true,
    });
    const custom = new ImageProcessor({ ...processor.config, mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 2] });
    const out = custom.normalize(tf.tensor4d([0, 0.5, 1, 1, 1, 0], [1, 1, 2, 3]));
    // (0 - 0.1) / 0.5, (0.5 - 0.2) / 0.25, (1 - 0.3) / 2, (1 - 0.1) / 0.5, (1 - 0.2) / 0.25, (0 - 0.3) / 2
    const expected = [-0.2, 1.2, 0.35, 1.8, 3.2, -0.15];
    (out.dataSync() as Float32Array).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 5);
    });
    out.dispose();
  });

  it("turns 8-bit pixels into [0, 1] at the vision tower's size", async () => {
    const processor = await ImageProcessor.fromDir(fixtureDir("tiny-idefics3-tied"), 16);
    const same = processor.toModelInput(tf.fill([16, 16, 3], 51) as tf.Tensor3D);
    expect(same.shape).toEqual([1, 16, 16, 3]);
    expect(same.dataSync().every((v) => Math.abs(v - 0.2) < 1e-6)).toBe(true);
    // a 2x2 image of constant columns resized to 16x16 keeps its left/right values at the edges
    const small = tf.tensor3d([0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255], [2, 2, 3]);
    const resized = processor.toModelInput(small).arraySync()[0] as number[][][];
    expect(resized[0]?.[0]?.[0]).toBeCloseTo(0, 5);
    expect(resized[15]?.[15]?.[0]).toBeCloseTo(1, 5);
    tf.dispose([same, small]);
  });

  it("refuses a processor size that is not the vision tower's", async () => {
    await expect(ImageProcessor.fromDir(fixtureDir("tiny-idefics3-tied"), 32)).rejects.toThrow(
      /max_image_size\.longest_edge 16 differs from vision_config\.image_size 32/,
    );
  });
});
