/** A seeded source of uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a tiny, fast 32-bit seeded PRNG. Same seed, same sequence.
 *
 * @example
 * const rng = mulberry32(42);
 * rng(); // 0.6011037519201636 (always, for seed 42)
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform integer in [lo, hi], both inclusive.
 *
 * @example
 * randomInt(mulberry32(1), 1, 9); // a digit from 1 to 9
 */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/**
 * One element of a non-empty array, uniformly.
 *
 * @example
 * pick(mulberry32(1), ["a", "b", "c"]);
 */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick: expected a non-empty array");
  return items[Math.floor(rng() * items.length)] as T;
}

/**
 * The first `count` elements of a seeded Fisher-Yates shuffle of `items` (a new array).
 *
 * @example
 * sample(mulberry32(1), [1, 2, 3, 4], 2); // two distinct elements
 */
export function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, count);
}
