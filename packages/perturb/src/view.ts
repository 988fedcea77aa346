import { hashString, mixSeed } from "@cppo/random";
import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { assertImage, assertImageBatch, type RawImage, readRaw, writeRaw } from "./image-io";
import { assertSeed, batchSeed } from "./random";

/** The seed of one draw. */
export interface ApplyOptions {
  seed: number;
}

/**
 * One seeded image perturbation. `P` is the plain-JSON parameter draw, so a trainer can log it.
 * Every path draws `sample(seed)` and renders it, so `apply`, `applyTensor`, `applyRaw` and
 * `applyImage` agree for the same parameters.
 */
export interface ImageView<P extends object = object> {
  readonly name: string;
  /** The parameters `apply(..., { seed })` uses. */
  sample(seed: number): P;
  /** Encoded bytes in, same format and size out. */
  apply(bytes: Uint8Array, options: ApplyOptions): Promise<Uint8Array>;
  /** `images [B, H, W, 3]` in [0, 1] in, same shape out; image b uses `sample(batchSeed(seed, b))`. */
  applyTensor(images: Tensor4D, options: ApplyOptions): Tensor4D;
  /** Renders given parameters on 8-bit RGB pixels. */
  applyRaw(raw: RawImage, params: P): Promise<RawImage>;
  /** Renders given parameters on one `image [H, W, 3]` in [0, 1]. */
  applyImage(image: Tensor3D, params: P): Tensor3D;
}

/**
 * What a view implements; `defineView` adds validation, decoding, batching and tidying. `sample` receives
 * the caller's seed already mixed with the view's name.
 */
export interface ViewKernel<P extends object> {
  name: string;
  sample(seed: number): P;
  applyRaw(raw: RawImage, params: P): Promise<RawImage> | RawImage;
  /** Called inside tf.tidy. */
  applyImage(image: Tensor3D, params: P): Tensor3D;
}

/**
 * Builds a full `ImageView` from a kernel: seed and input checks, decode/encode, per-image batch seeds,
 * tf.tidy scoping.
 *
 * @example
 * const invert = defineView({
 *   name: "invert",
 *   sample: () => ({}),
 *   applyRaw: (raw) => ({ ...raw, data: raw.data.map((v) => 255 - v) }),
 *   applyImage: (image) => tf.sub(1, image),
 * });
 */
export function defineView<P extends object>(kernel: ViewKernel<P>): ImageView<P> {
  // Salting by name keeps views that share a seed (a trainer's I+ and I-) from drawing the same numbers.
  const salt = hashString(kernel.name);
  const sample = (seed: number): P => {
    assertSeed(seed);
    return kernel.sample(mixSeed(seed, salt));
  };
  const applyImage = (image: Tensor3D, params: P): Tensor3D => {
    assertImage(image, `${kernel.name}: image`);
    return tf.tidy(() => kernel.applyImage(image, params));
  };
  return {
    name: kernel.name,
    sample,
    applyImage,
    applyRaw: async (raw, params) => kernel.applyRaw(raw, params),
    async apply(bytes, options) {
      const seed = seedOf(options, kernel.name);
      const { raw, format } = await readRaw(bytes, `${kernel.name}: image bytes`);
      return writeRaw(await kernel.applyRaw(raw, sample(seed)), format);
    },
    applyTensor(images, options) {
      const seed = seedOf(options, kernel.name);
      assertImageBatch(images, `${kernel.name}: images`);
      return tf.tidy(() => {
        const outputs = tf
          .unstack(images)
          .map((image, b) => kernel.applyImage(image as Tensor3D, sample(batchSeed(seed, b))));
        return tf.stack(outputs) as Tensor4D;
      });
    },
  };
}

function seedOf(options: ApplyOptions | undefined, name: string): number {
  const seed = options?.seed;
  assertSeed(seed, `${name}: options.seed`);
  return seed;
}

/** Throws unless `range` is [low, high] with finite low <= high inside [min, max]. */
export function assertRange(range: unknown, what: string, min = -Infinity, max = Infinity): [number, number] {
  if (!Array.isArray(range) || range.length !== 2) throw new Error(`${what} must be a [low, high] pair`);
  const [low, high] = range as [unknown, unknown];
  if (
    typeof low !== "number" ||
    typeof high !== "number" ||
    !Number.isFinite(low) ||
    !Number.isFinite(high)
  ) {
    throw new Error(`${what} must hold two finite numbers, got [${low}, ${high}]`);
  }
  if (low > high || low < min || high > max) {
    throw new Error(`${what} must satisfy ${min} <= low <= high <= ${max}, got [${low}, ${high}]`);
  }
  return [low, high];
}
