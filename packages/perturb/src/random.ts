import { mix32, mixSeed, mulberry32 } from "@cppo/random";

/** A seeded source of uniform numbers; never Math.random, so every view is reproducible. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * Throws unless `seed` is a safe integer (negative allowed).
 *
 * @example
 * assertSeed(7); // ok
 * assertSeed(0.5); // throws "seed must be an integer, got 0.5"
 */
export function assertSeed(seed: unknown, what = "seed"): asserts seed is number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new Error(`${what} must be an integer, got ${String(seed)}`);
  }
}

/**
 * The seed that image `b` of a batch uses inside `applyTensor(images, { seed })`, so a caller can
 * reproduce or log each image's draw: `view.sample(batchSeed(seed, b))`.
 *
 * @example
 * const params = informationRemoving().sample(batchSeed(42, 3)); // what image 3 of the batch got
 */
export function batchSeed(seed: number, b: number): number {
  assertSeed(seed);
  if (!Number.isInteger(b) || b < 0) throw new Error(`batch index must be a non-negative integer, got ${b}`);
  return mixSeed(seed, 0x62617463, b);
}

/**
 * A small seeded PRNG (`mulberry32` over `mixSeed(seed)`, from @cppo/random) with range helpers.
 *
 * @example
 * const rng = createRng(1);
 * const angle = rng.uniform(-10, 10);
 */
export function createRng(seed: number): SeededRandom {
  assertSeed(seed);
  const next = mulberry32(mixSeed(seed));
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int: (n) => Math.min(n - 1, Math.floor(next() * n)),
  };
}

/**
 * A noise byte that depends only on (seed, index): the same pixel gets the same value whichever
 * code path (encoded or tensor) or overlapping rectangle asks for it.
 */
export function noiseByte(seed: number, index: number): number {
  return mix32((seed ^ mix32(Math.imul(index, 0x9e3779b1) ^ (index >>> 16))) >>> 0) >>> 24;
}
