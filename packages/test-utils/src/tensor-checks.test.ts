import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { expectClose, expectNoLeak, matrix, read } from "./index";

describe("expectNoLeak", () => {
  it("passes when the function cleans up and fails when it leaks", () => {
    expectNoLeak(() => tf.tidy(() => tf.add(tf.ones([2]), 1)));
    let leaked: tf.Tensor | undefined;
    expect(() =>
      expectNoLeak(() => {
        leaked = tf.ones([2]);
        return tf.zeros([1]);
      }),
    ).toThrow();
    leaked?.dispose();
  });
});

describe("read", () => {
  it("returns nested arrays and disposes the tensor", () => {
    const before = tf.memory().numTensors;
    expect(read(tf.tensor2d([[1, 2]]))).toEqual([[1, 2]]);
    expect(read(tf.scalar(3))).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("expectClose and matrix", () => {
  it("builds matrices entry by entry", () => {
    expect(matrix(2, 3, (b, t) => 10 * b + t)).toEqual([
      [0, 1, 2],
      [10, 11, 12],
    ]);
  });

  it("accepts values within absolute plus relative tolerance and rejects others", () => {
    expectClose([[1000, 0]], [[1000.5, 0.0005]]);
    expect(() => expectClose([[1, 0]], [[1.01, 0]])).toThrow(/entry \[0, 0\]/);
    expect(() => expectClose([[1]], [[1], [2]])).toThrow();
    expect(() => expectClose([[Number.NaN]], [[1]])).toThrow();
  });
});
