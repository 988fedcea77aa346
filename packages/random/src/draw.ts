import type { Rng } from "./mulberry32";

/**
 * A uniform integer in [lo, hi], both inclusive.
 *
 * @example
 * randomInt(mulberry32(1), 1, 9); // a digit from 1 to 9
 */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
    throw new Error(`randomInt: expected integers lo <= hi, got lo=${lo}, hi=${hi}`);
  }
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
