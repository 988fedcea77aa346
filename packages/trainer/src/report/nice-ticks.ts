import { formatNumber } from "./format-number";

/** An axis whose ends and ticks are round numbers (1, 2 or 5 times a power of ten apart). */
export type NiceAxis = {
  lo: number;
  hi: number;
  step: number;
  values: number[];
  labels: string[];
};

/**
 * Picks round axis ticks covering `[min, max]`, about `count` of them. The axis ends on ticks, so it can be a
 * little wider than the data. A zero-width range (a constant series, a single point) is widened around its
 * value so it still gets ticks.
 *
 * @example
 * niceTicks(0, 1).labels; // ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
 * niceTicks(3, 97).values; // [0, 20, 40, 60, 80, 100]
 */
export function niceTicks(min: number, max: number, count = 5): NiceAxis {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new Error(`niceTicks: expected finite min <= max, got min=${min}, max=${max}`);
  }
  if (!Number.isInteger(count) || count < 2) {
    throw new Error(`niceTicks: count must be an integer >= 2, got ${count}`);
  }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) / 2;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / (count - 1);
  const exponent = Math.floor(Math.log10(raw));
  const fraction = raw / 10 ** exponent;
  const niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  const stepExponent = niceFraction === 10 ? exponent + 1 : exponent;
  const step = (niceFraction === 10 ? 1 : niceFraction) * 10 ** stepExponent;
  const decimals = Math.min(100, Math.max(0, -stepExponent));
  // The small tolerance keeps a bound that is already on a tick (up to float error) from gaining a tick.
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(Number((i * step).toFixed(decimals)) + 0);
  const useExponent = Math.abs(stepExponent) > 5 || Math.max(Math.abs(min), Math.abs(max)) >= 1e7;
  const labels = values.map((v) => (useExponent ? formatNumber(v, 3) : v.toFixed(decimals)));
  return { lo: values[0] ?? min, hi: values[values.length - 1] ?? max, step, values, labels };
}
