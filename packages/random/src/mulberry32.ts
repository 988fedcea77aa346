/** A seeded source of uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a tiny 32-bit seeded PRNG. Same seed, same sequence; the seed is taken modulo 2^32.
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
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}
