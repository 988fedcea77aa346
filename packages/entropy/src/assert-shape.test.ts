import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { assertRank, assertSameShape } from "./index";

describe("assertRank", () => {
  it("accepts the rank and names argument, layout and shape otherwise", () => {
    const x = tf.zeros([2, 3]);
    expect(() => assertRank(x, 2, "logProbs", "[B, T]")).not.toThrow();
    expect(() => assertRank(x, 3, "logits", "[B, T, V]")).toThrow(
      "logits: expected a rank-3 tensor [B, T, V], got shape [2, 3]",
    );
    const s = tf.scalar(1);
    expect(() => assertRank(s, 1, "advantages", "[B]")).toThrow(
      "advantages: expected a rank-1 tensor [B], got shape []",
    );
    tf.dispose([x, s]);
  });
});

describe("assertSameShape", () => {
  it("accepts equal shapes and rejects different sizes or ranks", () => {
    const a = tf.zeros([2, 4]);
    const b = tf.zeros([2, 4]);
    const c = tf.zeros([2, 3]);
    const d = tf.zeros([2, 4, 1]);
    expect(() => assertSameShape(b, a, "mask", "logProbs")).not.toThrow();
    expect(() => assertSameShape(c, a, "mask", "logProbs")).toThrow(
      "mask: expected shape [2, 4] (the shape of logProbs), got [2, 3]",
    );
    expect(() => assertSameShape(d, a, "mask", "logProbs")).toThrow(/got \[2, 4, 1\]/);
    tf.dispose([a, b, c, d]);
  });
});
