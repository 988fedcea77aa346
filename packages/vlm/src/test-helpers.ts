import { mulberry32 } from "@cppo/random";
import type { Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";
import type { TinyVLMConfig } from "./tiny-vlm";

/** A model small enough for the cpu backend in tests: 8x8 images, 4 patches, d = 8. */
export const TEST_CONFIG: TinyVLMConfig = {
  imageSize: 8,
  patchSize: 4,
  dModel: 8,
  nLayers: 2,
  nHeads: 2,
  dFF: 16,
  maxTokens: 24,
  seed: 1,
};

/** `[batch, size, size, 3]` seeded pixels in [0, 1). */
export function testImages(batch: number, size = TEST_CONFIG.imageSize, seed = 1): Tensor4D {
  const next = mulberry32(seed);
  return tf.tensor4d(Float32Array.from({ length: batch * size * size * 3 }, next), [batch, size, size, 3]);
}

/** Asserts two number arrays have the same length and agree to `digits` decimals, entry by entry. */
export function expectAllClose(
  actual: readonly number[] | undefined,
  expected: readonly number[] | undefined,
  digits = 5,
) {
  expect(actual).toBeDefined();
  expect(actual?.length).toBe(expected?.length);
  for (const [i, value] of (expected ?? []).entries()) expect(actual?.[i]).toBeCloseTo(value, digits);
}
