import { expectNoLeak, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { entropyShift, perceptionScores } from "./entropy-shift";

describe("entropyShift", () => {
  it("is H- minus H", () => {
    const got = read(entropyShift(tf.tensor2d([[0.5, 2, 1]]), tf.tensor2d([[1.25, 1, 1]]))) as number[][];
    expect(got[0]?.[0]).toBeCloseTo(0.75, 6);
    expect(got[0]?.[1]).toBeCloseTo(-1, 6);
    expect(got[0]?.[2]).toBe(0);
  });

  it("rejects mismatched shapes", () => {
    expect(() => entropyShift(tf.zeros([2, 3]), tf.zeros([3, 2]))).toThrow(/entropyRemoved.*\[2, 3\]/);
  });
});

describe("perceptionScores", () => {
  it("is relu(H- - H) / (H- + 1e-6)", () => {
    const got = read(perceptionScores(tf.tensor2d([[0.5, 2, 0]]), tf.tensor2d([[2, 1, 0]]))) as number[][];
    expect(got[0]?.[0]).toBeCloseTo(1.5 / (2 + 1e-6), 6);
    expect(got[0]?.[1]).toBe(0);
    expect(got[0]?.[2]).toBe(0);
  });

  it("does not leak tensors", () => {
    const h = tf.tensor2d([[1, 2]]);
    expectNoLeak(() => [perceptionScores(h, h), entropyShift(h, h)]);
    h.dispose();
  });
});
