/**
 * The murmur3 32-bit finaliser: scrambles the bits of an integer (taken modulo 2^32) so that nearby
 * inputs give unrelated unsigned 32-bit outputs.
 *
 * @example
 * mix32(1) !== mix32(2) - 1; // neighbours land far apart
 */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * An unsigned 32-bit hash of a string: FNV-1a over UTF-16 code units (its offset basis xor-ed with
 * `seed`), then `mix32` so that nearby keys land in unrelated buckets. `hashString(text) / 2 ** 32` is a
 * uniform float in [0, 1) that depends only on (text, seed).
 *
 * @example
 * hashString("abc"); // 482950588, stable across runs and platforms
 * hashString("qid-17", 3) / 2 ** 32 < 0.1; // a per-key validation split
 */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}
