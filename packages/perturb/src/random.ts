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

function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

// Folds both 32-bit halves of a safe integer so seeds above 2^32 and negative seeds stay distinct.
function seedToUint32(seed: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x100000000) >>> 0;
  return fmix32(low ^ fmix32(high + 0x9e3779b9));
}

/**
 * A deterministic 32-bit child seed for (seed, salt); used to give each sub-draw its own stream.
 *
 * @example
 * const a = mixSeed(1, 0); // same value on every call, differs from mixSeed(1, 1)
 */
export function mixSeed(seed: number, salt: number): number {
  assertSeed(seed);
  assertSeed(salt, "salt");
  return fmix32(seedToUint32(seed) ^ fmix32(Math.imul(seedToUint32(salt), 0x9e3779b1) + 0x7f4a7c15));
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
  return mixSeed(mixSeed(seed, 0x62617463), b);
}

/**
 * A small seeded PRNG (mulberry32 over a hashed seed).
 *
 * @example
 * const rng = createRng(1);
 * const angle = rng.uniform(-10, 10);
 */
export function createRng(seed: number): SeededRandom {
  assertSeed(seed);
  let state = seedToUint32(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
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
  return fmix32((seed ^ fmix32(Math.imul(index, 0x9e3779b1) ^ (index >>> 16))) >>> 0) >>> 24;
}

/**
 * FNV-1a hash of a string to 32 bits; used to salt seeds by name.
 *
 * @example
 * const salt = hashString("zoomCrop");
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
