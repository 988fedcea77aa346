import { mulberry32 } from "@cppo/random";
import { expectNoLeak, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { groupAdvantages } from "./group-advantages";

function referenceAdvantages(rewards: number[], groupSize: number, scaleByStd = true, eps = 1e-6): number[] {
  const out: number[] = [];
  for (let start = 0; start < rewards.length; start += groupSize) {
    const group = rewards.slice(start, start + groupSize);
    let mean = 0;
    let std = 1;
    if (groupSize > 1) {
      mean = group.reduce((a, b) => a + b, 0) / groupSize;
      std = Math.sqrt(group.reduce((a, r) => a + (r - mean) ** 2, 0) / (groupSize - 1));
    }
    for (const r of group) out.push(scaleByStd ? (r - mean) / (std + eps) : r - mean);
  }
  return out;
}

function expectAllClose(actual: number[], expected: number[], digits = 5) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i] ?? Number.NaN, digits);
  });
}

describe("groupAdvantages", () => {
  it("standardises each group with the unbiased std (hand-computed)", () => {
    // Group [1, 0, 0]: mean 1/3, std sqrt(1/3); group [1, 1, 1]: all equal.
    const got = read(groupAdvantages([1, 0, 0, 1, 1, 1], 3)) as number[];
    const s = Math.sqrt(1 / 3);
    expectAllClose(got, [2 / 3 / s, -(1 / 3) / s, -(1 / 3) / s, 0, 0, 0]);
  });

  it("matches the formula on seeded random rewards, with and without std scaling", () => {
    const random = mulberry32(11);
    const rewards = Array.from({ length: 40 }, () => Math.round(random() * 10) / 10);
    for (const groupSize of [2, 5, 8]) {
      expectAllClose(
        read(groupAdvantages(rewards, groupSize)) as number[],
        referenceAdvantages(rewards, groupSize),
        4,
      );
      expectAllClose(
        read(groupAdvantages(rewards, groupSize, { scaleByStd: false })) as number[],
        referenceAdvantages(rewards, groupSize, false),
      );
    }
  });

  it("gives the reward itself for groups of size 1", () => {
    expectAllClose(read(groupAdvantages([0.5, -2, 1], 1)) as number[], [0.5, -2, 1]);
    expect(read(groupAdvantages([0.5, -2], 1, { scaleByStd: false }))).toEqual([0.5, -2]);
  });

  it("gives exactly 0, not NaN, for equal rewards", () => {
    expect(read(groupAdvantages([0.9, 0.9, 0.9, 0, 0, 0], 3))).toEqual([0, 0, 0, 0, 0, 0]);
    expect((read(groupAdvantages([1, 1], 2, { eps: 0 })) as number[]).every(Number.isNaN)).toBe(true);
  });

  it("accepts a 1-D tensor", () => {
    const rewards = tf.tensor1d([1, 0]);
    expectAllClose(read(groupAdvantages(rewards, 2)) as number[], referenceAdvantages([1, 0], 2));
    rewards.dispose();
  });

  it("makes a NaN reward poison only its own group", () => {
    const got = read(groupAdvantages([Number.NaN, 1, 1, 0], 2)) as number[];
    expect(Number.isNaN(got[0]) && Number.isNaN(got[1])).toBe(true);
    expectAllClose(got.slice(2), referenceAdvantages([1, 0], 2));
  });

  it("rejects bad group sizes and shapes with clear messages", () => {
    expect(() => groupAdvantages([1, 2, 3], 2)).toThrow(/length 3 is not a multiple of groupSize 2/);
    expect(() => groupAdvantages([1, 2], 0)).toThrow(/groupSize must be an integer >= 1, got 0/);
    expect(() => groupAdvantages([1, 2], 1.5)).toThrow(/groupSize/);
    const matrix = tf.zeros([2, 2]);
    expect(() => groupAdvantages(matrix as tf.Tensor1D, 2)).toThrow(/1-D \[N\], got shape \[2, 2\]/);
    matrix.dispose();
  });

  it("handles an empty batch and does not leak tensors", () => {
    expect(read(groupAdvantages([], 4))).toEqual([]);
    const rewards = tf.tensor1d([1, 0, 0, 1]);
    expectNoLeak(() => groupAdvantages(rewards, 2));
    expectNoLeak(() => groupAdvantages([1, 2, 3], 1));
    rewards.dispose();
  });
});
