import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle ships no gradient functions (the @tensorflow/tfjs union registers them); the
// ESM sources do, and vitest can load them.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { expect } from "vitest";

/** Runs `fn`, disposes what it returns, and asserts no tensor was left behind. */
export function expectNoLeak(fn: () => tf.TensorContainer): void {
  const before = tf.memory().numTensors;
  tf.dispose(fn());
  expect(tf.memory().numTensors).toBe(before);
}

/** Reads a tensor as nested arrays and disposes it. */
export function read(tensor: tf.Tensor): number | number[] | number[][] | number[][][] {
  const value = tensor.arraySync() as number | number[] | number[][] | number[][][];
  tensor.dispose();
  return value;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
