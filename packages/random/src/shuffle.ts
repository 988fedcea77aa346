import type { Rng } from "./mulberry32";

/**
 * A seeded Fisher-Yates shuffle of a copy of `items` (the input is untouched). It draws once per
 * position from the end, so `shuffle(items, rng).slice(0, k)` is a uniform sample of k distinct items.
 *
 * @example
 * shuffle([1, 2, 3, 4], mulberry32(1)); // a fixed permutation of [1, 2, 3, 4]
 */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/**
 * A seeded random permutation of 0..n-1.
 *
 * @example
 * permutation(6, mulberry32(1)); // [4, 1, 5, 2, 0, 3]
 */
export function permutation(n: number, rng: Rng): number[] {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`permutation: n must be a non-negative integer, got ${n}`);
  return shuffle(
    Array.from({ length: n }, (_, i) => i),
    rng,
  );
}
