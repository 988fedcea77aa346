import * as tf from "@tensorflow/tfjs-core";

/**
 * Times `fn` for bench scripts: one warm-up call, then the mean over `repeats` calls, disposing every
 * result; prints `label: X ms` and returns X. Not for tests (timings are not assertions).
 *
 * @example
 * benchTime("tokenEntropy [40, 256, 128]", 10, () => tokenEntropy(logits));
 */
export function benchTime(
  label: string,
  repeats: number,
  fn: () => tf.TensorContainer,
  log: (line: string) => void = console.log,
): number {
  tf.dispose(fn());
  const start = performance.now();
  for (let i = 0; i < repeats; i++) tf.dispose(fn());
  const ms = (performance.now() - start) / repeats;
  log(`${label}: ${ms.toFixed(2)} ms`);
  return ms;
}
