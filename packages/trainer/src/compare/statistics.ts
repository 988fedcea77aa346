/** Mean and sample standard deviation (n - 1; 0 for a single value) of a list of numbers. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

/**
 * Mean and sample standard deviation; NaN mean for an empty list.
 *
 * @example
 * meanStd([1, 2, 3]); // { mean: 2, std: 1, n: 3 }
 */
export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

/**
 * The middle value (mean of the two middle ones for an even count); NaN for an empty list.
 *
 * @example
 * median([3, 1, 2, 10]); // 2.5
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
