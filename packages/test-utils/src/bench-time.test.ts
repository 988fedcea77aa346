import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { benchTime } from "./bench-time";

describe("benchTime", () => {
  it("warms up once, runs `repeats` times, disposes every result and logs the mean", () => {
    let calls = 0;
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const ms = benchTime(
      "ones",
      4,
      () => {
        calls++;
        return tf.ones([3]);
      },
      (line) => lines.push(line),
    );
    expect(calls).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(lines).toEqual([`ones: ${ms.toFixed(2)} ms`]);
  });
});
