import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it, vi } from "vitest";
import { ToyPolicy } from "../test/toy-policy";
import { generateForRows } from "./generate-for-rows";

describe("generateForRows", () => {
  it("gives row r the image and prompt of imageOf[r], frees the gathered batch and repeats for a seed", async () => {
    const policy = new ToyPolicy(3);
    // Image i is filled with the value i, so the rows' images say which image each row saw.
    const images = tf.stack([0, 1, 2].map((i) => tf.fill([8, 8, 3], i))) as tf.Tensor4D;
    const promptIds = [
      [1, 5],
      [1, 6],
      [1, 7],
    ];
    const original = policy.generate.bind(policy);
    const seen: number[] = [];
    const generate = vi.spyOn(policy, "generate").mockImplementation((args) => {
      const means = tf.mean(args.images, [1, 2, 3]);
      seen.push(...Array.from(means.dataSync()));
      means.dispose();
      return original(args);
    });
    const before = tf.memory().numTensors;
    const imageOf = [2, 2, 0, 1];
    const options = { maxNewTokens: 4, seed: 9 };
    const first = await generateForRows(policy, images, promptIds, imageOf, options);
    expect(tf.memory().numTensors).toBe(before);
    const call = generate.mock.calls[0]?.[0];
    expect(seen).toEqual([2, 2, 0, 1]);
    expect(call?.promptIds).toEqual([
      [1, 7],
      [1, 7],
      [1, 5],
      [1, 6],
    ]);
    expect(call?.seed).toBe(9);
    expect(first).toHaveLength(4);
    expect(await generateForRows(policy, images, promptIds, imageOf, options)).toEqual(first);
    tf.dispose(images);
    policy.dispose();
  });
});
