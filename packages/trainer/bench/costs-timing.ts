/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median: no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Wall-clock seconds of `run` and what it returned. */
export async function timed<T>(run: () => T | Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { seconds: (performance.now() - started) / 1000, value };
}

/** Seconds of each of `runs` calls after one untimed warm-up call. */
export async function timeRuns(runs: number, run: () => unknown | Promise<unknown>): Promise<number[]> {
  await run();
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) seconds.push((await timed(run)).seconds);
  return seconds;
}
