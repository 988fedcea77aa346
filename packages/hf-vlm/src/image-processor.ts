import { join } from "node:path";
import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { readJson } from "./read-json";

/** What this package takes from `preprocessor_config.json`. */
export interface ImageProcessorConfig {
  /** Side of the square images the vision tower takes. */
  size: number;
  doRescale: boolean;
  rescaleFactor: number;
  doNormalize: boolean;
  mean: [number, number, number];
  std: [number, number, number];
  /** As configured; this package does not split images yet (see the README). */
  doImageSplitting: boolean;
}

function triple(value: unknown, fallback: number, where: string): [number, number, number] {
  const list = value === undefined ? [fallback] : Array.isArray(value) ? value : [value];
  const three = list.length === 1 ? [list[0], list[0], list[0]] : list;
  if (three.length !== 3 || !three.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new Error(`${where} must be a number or three numbers, got ${JSON.stringify(value)}`);
  }
  return three as [number, number, number];
}

/**
 * Image preprocessing of a Hugging Face folder: resize to the vision tower's square size, rescale, normalise
 * (`preprocessor_config.json`'s `rescale_factor`, `image_mean`, `image_std`). Image splitting is off: every
 * image is one global view at the vision tower's size.
 *
 * @example
 * const processor = await ImageProcessor.fromDir("models/SmolVLM-256M-Instruct", 512);
 * const input = processor.toModelInput(decodedRgb); // [1, 512, 512, 3] in [0, 1]
 */
export class ImageProcessor {
  readonly config: ImageProcessorConfig;

  constructor(config: ImageProcessorConfig) {
    this.config = config;
  }

  /** Reads `preprocessor_config.json` (defaults: mean = std = 0.5, rescale 1/255, as Idefics3). */
  static async fromDir(dir: string, visionImageSize: number): Promise<ImageProcessor> {
    const file = join(dir, "preprocessor_config.json");
    const raw = (await readJson(file, "optional")) ?? {};
    const maxSize = (raw.max_image_size as { longest_edge?: unknown } | undefined)?.longest_edge;
    if (maxSize !== undefined && maxSize !== visionImageSize) {
      throw new Error(
        `${file}: max_image_size.longest_edge ${maxSize} differs from vision_config.image_size ${visionImageSize}`,
      );
    }
    const rescaleFactor = raw.rescale_factor ?? 1 / 255;
    if (typeof rescaleFactor !== "number") throw new Error(`${file}: rescale_factor must be a number`);
    return new ImageProcessor({
      size: visionImageSize,
      doRescale: raw.do_rescale !== false,
      rescaleFactor,
      doNormalize: raw.do_normalize !== false,
      mean: triple(raw.image_mean, 0.5, `${file}: image_mean`),
      std: triple(raw.image_std, 0.5, `${file}: image_std`),
      doImageSplitting: raw.do_image_splitting === true,
    });
  }

  /**
   * `images [B, S, S, 3]` in [0, 1] (8-bit pixels / 255) -> the vision tower's input: the pixels rescaled by
   * `rescale_factor` and normalised with `image_mean` / `image_std`.
   */
  normalize(images: Tensor4D): Tensor4D {
    const { doRescale, rescaleFactor, doNormalize, mean, std } = this.config;
    return tf.tidy(() => {
      const pixels = tf.mul(images, doRescale ? 255 * rescaleFactor : 255);
      if (!doNormalize) return pixels as Tensor4D;
      return tf.div(tf.sub(pixels, tf.tensor1d(mean)), tf.tensor1d(std)) as Tensor4D;
    });
  }

  /**
   * Decoded pixels `[H, W, 3]` or `[B, H, W, 3]` with values 0..255 -> `[B, S, S, 3]` in [0, 1] at the vision
   * tower's size (bilinear; transformers resizes with PIL's Lanczos and keeps the aspect ratio, so pixels
   * differ slightly from Python's).
   */
  toModelInput(pixels: Tensor3D | Tensor4D): Tensor4D {
    const { size } = this.config;
    return tf.tidy(() => {
      const batch = (pixels.rank === 3 ? tf.expandDims(pixels, 0) : pixels) as Tensor4D;
      const floats = tf.cast(batch, "float32") as Tensor4D;
      const sized =
        batch.shape[1] === size && batch.shape[2] === size
          ? floats
          : tf.image.resizeBilinear(floats, [size, size], true);
      return tf.clipByValue(tf.div(sized, 255), 0, 1) as Tensor4D;
    });
  }
}
