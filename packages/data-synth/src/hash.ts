/**
 * A 32-bit hash of a string: FNV-1a over UTF-16 code units, then the murmur3 finaliser so that nearby
 * keys land in unrelated buckets.
 *
 * @example
 * hashString("bars|red+blue?|red=4,blue=7"); // an unsigned 32-bit integer, stable across runs
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
