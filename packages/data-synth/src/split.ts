import { hashString } from "@cppo/random";

export type SynthSplit = "train" | "test";

/** One problem key in four goes to test. */
const TEST_BUCKETS = 4;

/**
 * Which split a problem belongs to, from its key alone (never from the seed), so no test problem
 * appears in any train set, whatever seeds the two were built with.
 *
 * @example
 * splitOfKey("grid|row*col?|row=2,col=3"); // "train" or "test", always the same
 */
export function splitOfKey(key: string): SynthSplit {
  return hashString(`cppo-synth-split|${key}`) % TEST_BUCKETS === 0 ? "test" : "train";
}
