import type { Tensor3D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
import type { RawImage } from "./image-io";
import { createRng } from "./random";
import { assertRange, defineView, type ImageView } from "./view";

export type JitterStep = "brightness" | "contrast" | "saturation";

/** One colour-jitter draw: the three factors and the order they are applied in. */
export type ColorJitterParams = {
  brightness: number;
  contrast: number;
  saturation: number;
  order: JitterStep[];
};

export interface ColorJitterOptions {
  brightness?: [number, number];
  contrast?: [number, number];
  saturation?: [number, number];
}

// ITU-R 601 luma, as torchvision's rgb_to_grayscale.
const luma = [0.299, 0.587, 0.114] as const;

/**
 * Colour jitter (information-preserving): brightness scales pixels, contrast blends with the mean grey
 * level, saturation blends with the pixel's grey value; factors uniform in their ranges, the three
 * steps in a random order, clamping to [0, 1] after each (as torchvision's ColorJitter).
 *
 * @example
 * const view = colorJitter(); // brightness [0.2, 1.3], contrast [0.2, 1.8], saturation [0.2, 1.8]
 * const jittered = await view.apply(pngBytes, { seed: 1 });
 */
export function colorJitter(options: ColorJitterOptions = {}): ImageView<ColorJitterParams> {
  const brightness = assertRange(options.brightness ?? [0.2, 1.3], "colorJitter: brightness", 0);
  const contrast = assertRange(options.contrast ?? [0.2, 1.8], "colorJitter: contrast", 0);
  const saturation = assertRange(options.saturation ?? [0.2, 1.8], "colorJitter: saturation", 0);
  return defineView<ColorJitterParams>({
    name: "colorJitter",
    sample(seed) {
      const rng = createRng(seed);
      const order: JitterStep[] = ["brightness", "contrast", "saturation"];
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j] as JitterStep, order[i] as JitterStep];
      }
      return {
        brightness: rng.uniform(...brightness),
        contrast: rng.uniform(...contrast),
        saturation: rng.uniform(...saturation),
        order,
      };
    },
    async applyRaw(raw, params) {
      let current = raw;
      for (const step of params.order) current = await jitterRaw(current, step, params[step]);
      return current;
    },
    applyImage(image, params) {
      let current: Tensor3D = image;
      for (const step of params.order) current = jitterImage(current, step, params[step]);
      return current;
    },
  });
}

async function jitterRaw(raw: RawImage, step: JitterStep, factor: number): Promise<RawImage> {
  let pipeline = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
  if (step === "brightness") {
    pipeline = pipeline.linear(factor, 0);
  } else if (step === "contrast") {
    pipeline = pipeline.linear(factor, (1 - factor) * meanGrey(raw));
  } else {
    const m = luma.map((w) => (1 - factor) * w);
    pipeline = pipeline.recomb([
      [factor + (m[0] as number), m[1] as number, m[2] as number],
      [m[0] as number, factor + (m[1] as number), m[2] as number],
      [m[0] as number, m[1] as number, factor + (m[2] as number)],
    ]);
  }
  const data = await pipeline.raw().toBuffer();
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: raw.width,
    height: raw.height,
  };
}

function meanGrey(raw: RawImage): number {
  let red = 0;
  let green = 0;
  let blue = 0;
  for (let i = 0; i < raw.data.length; i += 3) {
    red += raw.data[i] as number;
    green += raw.data[i + 1] as number;
    blue += raw.data[i + 2] as number;
  }
  return (luma[0] * red + luma[1] * green + luma[2] * blue) / (raw.width * raw.height);
}

// Few full-size ops, since each costs a pass over the image on the cpu backend; saturation is one 3x3 matMul.
function jitterImage(image: Tensor3D, step: JitterStep, factor: number): Tensor3D {
  if (step === "brightness") return tf.clipByValue(tf.mul(image, factor), 0, 1) as Tensor3D;
  const [height, width] = image.shape;
  if (step === "contrast") {
    const channelMeans = tf.mean(tf.reshape(image, [height * width, 3]), 0);
    const meanGrey = tf.sum(tf.mul(channelMeans, tf.tensor1d([...luma])));
    return tf.clipByValue(tf.add(tf.mul(image, factor), tf.mul(meanGrey, 1 - factor)), 0, 1) as Tensor3D;
  }
  const mix = luma.map((w) => (1 - factor) * w);
  // Column j of the matrix gives output channel j: factor * own channel + (1 - factor) * grey.
  const matrix = tf.tensor2d(
    [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? factor : 0) + (mix[i] as number))),
  );
  const mixed = tf.matMul(tf.reshape(image, [height * width, 3]), matrix);
  return tf.reshape(tf.clipByValue(mixed, 0, 1), [height, width, 3]) as Tensor3D;
}
