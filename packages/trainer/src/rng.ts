/**
 * Deterministic randomness for the trainer. Every random choice is derived from (run seed, step, index) by
 * hashing, so the whole RNG state of a run is its seed plus its step counter, and resuming is exact.
 */

/**
 * Mixes any number of integers into one 32-bit seed (splitmix32-style avalanche per input).
 *
 * @example
 * deriveSeed(42, 7, 3); // same inputs, same seed; any change gives an unrelated seed
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h = (h + 0x6d2b79f5) | 0;
  }
  return h >>> 0;
}

/**
 * mulberry32: a small seeded generator of floats in [0, 1).
 *
 * @example
 * const next = mulberry32(1);
 * next(); // 0.627...
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded permutation of `0..n-1` (Fisher-Yates).
 *
 * @example
 * permutation(5, 1); // e.g. [3, 0, 4, 1, 2]
 */
export function permutation(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const next = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}
