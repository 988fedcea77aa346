import { mix32 } from "./hash";

function assertPart(value: unknown, index: number): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new Error(`mixSeed: part ${index} must be a safe integer, got ${String(value)}`);
  }
}

// Folds both 32-bit halves of a safe integer so seeds above 2^32 and negative seeds stay distinct.
function toUint32(seed: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x100000000) >>> 0;
  return mix32(low ^ mix32(high + 0x9e3779b9));
}

/**
 * An unsigned 32-bit seed derived from one or more safe integers (negative and above 2^32 allowed), for
 * giving each sub-draw its own stream: `mulberry32(mixSeed(seed, step, index))`. Order matters, and
 * `mixSeed(a, b, c)` is `mixSeed(mixSeed(a, b), c)`. With one part it only maps the integer to 32 bits.
 *
 * @example
 * const child = mixSeed(42, 7); // the same on every run; differs from mixSeed(7, 42) and mixSeed(42, 8)
 * const rng = mulberry32(mixSeed(42, 7, 3));
 */
export function mixSeed(...parts: number[]): number {
  if (parts.length === 0) throw new Error("mixSeed: expected at least one integer");
  parts.forEach(assertPart);
  const [first, ...rest] = parts as [number, ...number[]];
  if (rest.length === 0) return toUint32(first);
  let seed = first;
  for (const salt of rest) {
    seed = mix32(toUint32(seed) ^ mix32(Math.imul(toUint32(salt), 0x9e3779b1) + 0x7f4a7c15));
  }
  return seed;
}
