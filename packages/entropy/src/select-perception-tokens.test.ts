import { mulberry32 } from "@cppo/random";
import { expectNoLeak, read } from "@cppo/test-utils";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { selectPerceptionTokens } from "./select-perception-tokens";

/** METHOD section 4 written out over numbers (float32-rounded like the tensors), one row at a time. */
function referenceSelect(entropy: number[][], removed: number[][], mask: number[][], p: number): number[][] {
  return entropy.map((hRow, b) => {
    const hMinus = (removed[b] ?? []).map(Math.fround);
    const h = hRow.map(Math.fround);
    const shift = h.map((x, t) => Math.fround((hMinus[t] ?? 0) - x));
    const score = shift.map((d, t) => Math.fround(Math.max(d, 0) / Math.fround((hMinus[t] ?? 0) + 1e-6)));
    const candidates = shift.map((d, t) => d > 0 && (mask[b]?.[t] ?? 0) > 0);
    const candidateScores = score.filter((_, t) => candidates[t]).sort((x, y) => y - x);
    if (candidateScores.length === 0) return h.map(() => 0);
    const k = Math.max(1, Math.floor(p * candidateScores.length));
    const threshold = candidateScores[k - 1] ?? Number.POSITIVE_INFINITY;
    return score.map((s, t) => (candidates[t] && s >= threshold ? 1 : 0));
  });
}

function select(entropy: number[][], removed: number[][], mask: number[][], topFraction?: number) {
  const args = {
    entropy: tf.tensor2d(entropy),
    entropyRemoved: tf.tensor2d(removed),
    responseMask: tf.tensor2d(mask),
    ...(topFraction === undefined ? {} : { topFraction }),
  };
  const result = read(selectPerceptionTokens(args));
  tf.dispose([args.entropy, args.entropyRemoved, args.responseMask]);
  return result;
}

describe("selectPerceptionTokens", () => {
  it("keeps the top half of candidates by normalised score", () => {
    // dH = [1, 0.5, 0.2, 2], scores = [0.5, 0.33, 0.17, 0.67]; 4 candidates -> k = 2.
    expect(select([[1, 1, 1, 1]], [[2, 1.5, 1.2, 3]], [[1, 1, 1, 1]])).toEqual([[1, 0, 0, 1]]);
  });

  it("keeps every candidate tied with the k-th score", () => {
    // scores = [2/3, 2/3, 2/3, 1/2]; k = 2 but three tie at the threshold.
    expect(select([[1, 1, 1, 1]], [[3, 3, 3, 2]], [[1, 1, 1, 1]])).toEqual([[1, 1, 1, 0]]);
  });

  it("selects nothing in a row without candidates and handles rows independently", () => {
    const got = select(
      [
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
      ],
      [
        [1, 0.5, 0.9],
        [2, 0.5, 0.9],
        [3, 3, 3],
      ],
      [
        [1, 1, 1],
        [1, 1, 1],
        [0, 0, 0],
      ],
    );
    expect(got).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]);
  });

  it("ignores padded tokens both as candidates and in the candidate count", () => {
    // Scores [0.8, 0.33, 0.5, 0.67]; the 0.8 token is padding, so 3 candidates -> k = 1.
    expect(select([[1, 1, 1, 1]], [[5, 1.5, 2, 3]], [[0, 1, 1, 1]])).toEqual([[0, 0, 0, 1]]);
  });

  it("keeps at least one token at p = 0.05 and every candidate at p = 1", () => {
    const h = [Array.from({ length: 10 }, () => 1)];
    const hMinus = [[2, 3, 4, 5, 6, 7, 8, 9, 10, 0.5]];
    const mask = [Array.from({ length: 10 }, () => 1)];
    expect(select(h, hMinus, mask, 0.05)).toEqual([[0, 0, 0, 0, 0, 0, 0, 0, 1, 0]]);
    expect(select(h, hMinus, mask, 1)).toEqual([[1, 1, 1, 1, 1, 1, 1, 1, 1, 0]]);
    // 40 candidates at p = 0.05 -> k = 2.
    const wide = Array.from({ length: 40 }, (_, t) => t + 2);
    const two = select([wide.map(() => 1)], [wide], [wide.map(() => 1)], 0.05) as number[][];
    expect(two[0]?.reduce((a, b) => a + b, 0)).toBe(2);
    expect(two[0]?.[39]).toBe(1);
    expect(two[0]?.[38]).toBe(1);
  });

  it("uses floor(p * n) computed exactly (p = 0.7, 10 candidates -> 7)", () => {
    const hMinus = [Array.from({ length: 10 }, (_, t) => 2 + t)];
    const got = select(
      [hMinus[0]?.map(() => 1) ?? []],
      hMinus,
      [hMinus[0]?.map(() => 1) ?? []],
      0.7,
    ) as number[][];
    expect(got[0]).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("matches the reference on random batches with many ties", () => {
    const random = mulberry32(2026);
    for (const p of [0.05, 0.3, 0.5, 0.7, 1]) {
      const shape = [6, 17];
      const make = (f: () => number) =>
        Array.from({ length: shape[0] ?? 0 }, () => Array.from({ length: shape[1] ?? 0 }, f));
      // Quantised entropies produce exact score ties.
      const h = make(() => Math.round(random() * 4) / 2);
      const hMinus = make(() => Math.round(random() * 4) / 2);
      const mask = make(() => (random() < 0.8 ? 1 : 0));
      expect(select(h, hMinus, mask, p)).toEqual(referenceSelect(h, hMinus, mask, p));
    }
  });

  it("never selects a NaN entropy and leaves the rest of the row unaffected", () => {
    // Candidates: t=1 (score 0.5), t=3 (score 0.75); t=0 is NaN. k = max(1, floor(0.5 * 2)) = 1.
    expect(select([[Number.NaN, 1, 1, 1]], [[2, 2, 0.5, 4]], [[1, 1, 1, 1]])).toEqual([[0, 0, 0, 1]]);
    expect(select([[1, 1]], [[Number.NaN, 2]], [[1, 1]])).toEqual([[0, 1]]);
  });

  it("is a constant: gradients through it are zero", () => {
    const h = tf.tensor2d([[1, 1, 1]]);
    const grad = tf.grad((e: tf.Tensor) =>
      tf.sum(
        tf.mul(
          selectPerceptionTokens({
            entropy: e as tf.Tensor2D,
            entropyRemoved: tf.tensor2d([[2, 3, 0]]),
            responseMask: tf.ones([1, 3]),
          }),
          e,
        ),
      ),
    )(h);
    // d/de (mask * e) = mask when the mask is constant.
    expect(read(grad)).toEqual([[0, 1, 0]]);
    h.dispose();
  });

  it("validates topFraction and shapes", () => {
    const z = tf.zeros([2, 3]) as tf.Tensor2D;
    for (const topFraction of [0, -0.1, 1.5, Number.NaN]) {
      expect(() =>
        selectPerceptionTokens({ entropy: z, entropyRemoved: z, responseMask: z, topFraction }),
      ).toThrow(/topFraction must be in \(0, 1\]/);
    }
    const bad = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => selectPerceptionTokens({ entropy: z, entropyRemoved: bad, responseMask: z })).toThrow(
      /entropyRemoved: expected shape \[2, 3\]/,
    );
    expect(() => selectPerceptionTokens({ entropy: z, entropyRemoved: z, responseMask: bad })).toThrow(
      /responseMask/,
    );
    expect(() =>
      selectPerceptionTokens({
        entropy: tf.zeros([3]) as unknown as tf.Tensor2D,
        entropyRemoved: z,
        responseMask: z,
      }),
    ).toThrow(/rank-2 tensor \[B, T\]/);
    tf.dispose([z, bad]);
  });

  it("handles empty batches and does not leak tensors", () => {
    const empty = tf.zeros([0, 4]) as tf.Tensor2D;
    expect(
      selectPerceptionTokens({ entropy: empty, entropyRemoved: empty, responseMask: empty }).shape,
    ).toEqual([0, 4]);
    const h = tf.tensor2d([[1, 1, 1]]);
    const hMinus = tf.tensor2d([[2, 3, 0]]);
    const mask = tf.ones([1, 3]) as tf.Tensor2D;
    expectNoLeak(() => selectPerceptionTokens({ entropy: h, entropyRemoved: hMinus, responseMask: mask }));
    tf.dispose([empty, h, hMinus, mask]);
  });
});
