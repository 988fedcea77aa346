import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { tinyDataset } from "../test/fixtures";
import { ToyTokenizer } from "../test/toy-policy";
import { resolveConfig } from "./config";
import { decodeImages, encodePrompt, openDatasets, stripImageMarker, trainingOrder } from "./data";

describe("data", () => {
  it("visits every problem once per epoch, in a seeded order that changes between epochs", () => {
    const at = trainingOrder(10, 3);
    const epoch0 = Array.from({ length: 10 }, (_, i) => at(i));
    const epoch1 = Array.from({ length: 10 }, (_, i) => at(10 + i));
    expect([...epoch0].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect([...epoch1].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect(epoch1).not.toEqual(epoch0);
    expect(trainingOrder(10, 3)(13)).toBe(epoch1[3]);
    expect(() => trainingOrder(0, 1)).toThrow(/empty/);
  });

  it("strips image markers and starts prompts with BOS", () => {
    expect(stripImageMarker("<image>\nred+blue?")).toBe("red+blue?");
    expect(stripImageMarker("a <image> b<image>\nc")).toBe("a  bc");
    const tok = new ToyTokenizer();
    expect(encodePrompt(tok, "<image>\nab")).toEqual([tok.bosId, ...tok.encode("ab")]);
  });

  it("decodes images to [N, size, size, 3] in [0, 1] without leaking", async () => {
    const dataset = tinyDataset(3);
    const examples = await Promise.all([0, 1, 2].map((i) => dataset.get(i)));
    const before = tf.memory().numTensors;
    const images = await decodeImages(examples, 8);
    expect(images.shape).toEqual([3, 8, 8, 3]);
    const values = images.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    images.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(decodeImages([{ ...(examples[0] as (typeof examples)[0]), images: [] }], 8)).rejects.toThrow(
      /has no image/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it("evaluates on the test split, or on fresh train-split draws for validation", async () => {
    const config = (evalSplit: "test" | "validation") =>
      resolveConfig({ data: { trainSize: 6, testSize: 6, evalSplit } });
    const test = (await openDatasets(config("test"))).test;
    const validation = (await openDatasets(config("validation"))).test;
    const train = (await openDatasets(config("validation"))).train;
    for (let i = 0; i < 6; i++) {
      const [t, v, tr] = await Promise.all([test.get(i), validation.get(i), train.get(i)]);
      // data-synth ids name the split and the seed: test seed 1, validation train-split seed 1001
      expect(t.id).toBe(`synth-test-1-${i}`);
      expect(v.id).toBe(`synth-train-1001-${i}`);
      expect(tr.id).toBe(`synth-train-1-${i}`);
    }
  });
});
