/**
 * mulberry32: a small seeded PRNG returning floats in [0, 1).
 *
 * @example
 * const random = mulberry32(7);
 * random(); // same value on every run
 */
export function mulberry32(seed: number): () => number {
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
 * Fisher-Yates shuffle of a copy of `items`, driven by `mulberry32(seed)`.
 *
 * @example
 * seededShuffle([1, 2, 3, 4], 1); // a fixed permutation of [1, 2, 3, 4]
 */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const random = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/**
 * A uniform float in [0, 1) determined by `key` and `seed` alone (FNV-1a over UTF-16 code units, then a
 * mulberry32 step), so a row's train/validation side does not depend on which other rows are present.
 *
 * @example
 * hashToUnit("qid-17", 0) < 0.1; // validation with validationFraction 0.1
 */
export function hashToUnit(key: string, seed: number): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return mulberry32(hash)();
}
