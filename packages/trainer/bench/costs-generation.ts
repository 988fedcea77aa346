import type { TinyVLM } from "@cppo/vlm";
import type { RolloutBatch } from "./costs-batch";
import { median, timed } from "./costs-timing";

export interface GenerationSpeed {
  rows: number;
  maxNewTokens: number;
  /** Tokens sampled per run (the same with and without the cache: same seed, same tokens). */
  tokens: number;
  cached: { seconds: number[]; tokensPerSecond: number };
  uncached: { seconds: number[]; tokensPerSecond: number };
  /** Cached over uncached tokens per second. */
  speedup: number;
}

/**
 * Tokens per second of `policy.generate` on the rollout batch with the key/value cache and re-running the
 * whole sequence every step; one short warm-up each, then `repeats` interleaved runs, medians.
 */
export async function measureGeneration(
  policy: TinyVLM,
  batch: RolloutBatch,
  repeats: number,
): Promise<GenerationSpeed> {
  const run = (useCache: boolean, maxNewTokens = batch.maxNewTokens) =>
    policy.generate({ ...batch, maxNewTokens, useCache });
  await run(true, 4);
  await run(false, 4);
  const seconds = { cached: [] as number[], uncached: [] as number[] };
  let tokens = 0;
  for (let r = 0; r < repeats; r++) {
    const cached = await timed(() => run(true));
    const uncached = await timed(() => run(false));
    seconds.cached.push(cached.seconds);
    seconds.uncached.push(uncached.seconds);
    tokens = cached.value.lengths.reduce((a, b) => a + b, 0);
    const rerunTokens = uncached.value.lengths.reduce((a, b) => a + b, 0);
    if (rerunTokens !== tokens) {
      throw new Error(`generation: ${tokens} tokens with the cache but ${rerunTokens} without (same seed)`);
    }
  }
  const cached = { seconds: seconds.cached, tokensPerSecond: tokens / median(seconds.cached) };
  const uncached = { seconds: seconds.uncached, tokensPerSecond: tokens / median(seconds.uncached) };
  return {
    rows: batch.promptIds.length,
    maxNewTokens: batch.maxNewTokens,
    tokens,
    cached,
    uncached,
    speedup: cached.tokensPerSecond / uncached.tokensPerSecond,
  };
}
