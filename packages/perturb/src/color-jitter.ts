import type { Tensor3D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
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
    applyRaw: (raw, params) => ({ data: jitterRaw(raw.data, params), width: raw.width, height: raw.height }),
    applyImage(image, params) {
      let current: Tensor3D = image;
      for (const step of params.order) current = jitterImage(current, step, params[step]);
      return current;
    },
  });
}

/**
 * The three steps on 8-bit RGB, each rounded and clamped to 0..255 as PIL's blends are, in at most three
 * passes. Brightness and contrast map every value through one table, so the steps on either side of
 * saturation compose into one table each; contrast's mean grey after earlier table steps comes exactly from
 * per-channel histograms, which the saturation pass also collects for the steps after it.
 */
function jitterRaw(data: Uint8Array, params: ColorJitterParams): Uint8Array {
  const split = params.order.indexOf("saturation");
  const before = params.order.slice(0, split);
  const after = params.order.slice(split + 1);
  const first = composeTables(before, params, before.includes("contrast") ? histograms(data) : undefined);
  const out = new Uint8Array(data.length);
  const counts = after.includes("contrast") ? new Int32Array(768) : undefined;
  saturate(data, out, first, params.saturation, counts);
  if (after.length > 0) {
    const last = composeTables(after, params, counts);
    for (let i = 0; i < out.length; i++) out[i] = last[out[i] as number] as number;
  }
  return out;
}

// Value tables of consecutive brightness/contrast steps; `counts` [3 x 256] is the histogram of their input.
function composeTables(
  steps: JitterStep[],
  params: ColorJitterParams,
  counts?: Int32Array,
): Uint8ClampedArray {
  let table = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) table[v] = v;
  for (const step of steps) {
    const factor = params[step];
    const target = step === "contrast" ? (1 - factor) * meanGreyAfter(table, counts as Int32Array) : 0;
    const next = new Uint8ClampedArray(256);
    for (let v = 0; v < 256; v++) next[v] = Math.round(factor * (table[v] as number) + target);
    table = next;
  }
  return table;
}

function histograms(data: Uint8Array): Int32Array {
  const counts = new Int32Array(768);
  for (let p = 0; p < data.length; p += 3) {
    tally(counts, data[p] as number);
    tally(counts, 256 + (data[p + 1] as number));
    tally(counts, 512 + (data[p + 2] as number));
  }
  return counts;
}

function tally(counts: Int32Array, bin: number): void {
  counts[bin] = (counts[bin] as number) + 1;
}

// Mean grey level of the image whose channel histograms are `counts`, after mapping it through `table`.
function meanGreyAfter(table: Uint8ClampedArray, counts: Int32Array): number {
  let sum = 0;
  let pixels = 0;
  for (let v = 0; v < 256; v++) {
    const red = counts[v] as number;
    const green = counts[256 + v] as number;
    const blue = counts[512 + v] as number;
    sum += (table[v] as number) * (luma[0] * red + luma[1] * green + luma[2] * blue);
    pixels += red;
  }
  return sum / pixels;
}

// Saturation after mapping input values through `table`; histograms of the result into `counts` if given.
function saturate(
  data: Uint8Array,
  into: Uint8Array,
  table: Uint8ClampedArray,
  factor: number,
  counts?: Int32Array,
): void {
  // Per mapped input value: its share of (1 - factor) * grey in each channel, and factor * itself.
  const red = new Float64Array(256);
  const green = new Float64Array(256);
  const blue = new Float64Array(256);
  const own = new Float64Array(256);
  for (let v = 0; v < 256; v++) {
    const t = table[v] as number;
    red[v] = (1 - factor) * luma[0] * t;
    green[v] = (1 - factor) * luma[1] * t;
    blue[v] = (1 - factor) * luma[2] * t;
    own[v] = factor * t;
  }
  for (let p = 0; p < data.length; p += 3) {
    const r = data[p] as number;
    const g = data[p + 1] as number;
    const b = data[p + 2] as number;
    // + 0.5 then the store's truncation rounds; the clamps are cheaper than a Uint8ClampedArray store.
    const grey = (red[r] as number) + (green[g] as number) + (blue[b] as number) + 0.5;
    const vr = (own[r] as number) + grey;
    const vg = (own[g] as number) + grey;
    const vb = (own[b] as number) + grey;
    into[p] = vr < 0 ? 0 : Math.min(vr, 255);
    into[p + 1] = vg < 0 ? 0 : Math.min(vg, 255);
    into[p + 2] = vb < 0 ? 0 : Math.min(vb, 255);
  }
  if (counts)
    for (let p = 0; p < into.length; p += 3) {
      tally(counts, into[p] as number);
      tally(counts, 256 + (into[p + 1] as number));
      tally(counts, 512 + (into[p + 2] as number));
    }
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
