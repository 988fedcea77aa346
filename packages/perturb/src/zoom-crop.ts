import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { RawImage } from "./image-io";
import { createRng } from "./random";
import { assertRange, defineView, type ImageView } from "./view";

/** One zoom-crop draw: side factor and the crop's position as a fraction of the free room (0 = left/top). */
export type ZoomCropParams = { scale: number; x: number; y: number };

/** The crop in pixels: rows top..top+height-1, columns left..left+width-1. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Zoom-crop (information-removing): a crop whose sides are `scale` of the image's, at a uniform position,
 * resized back bilinearly so its first and last pixel centres land on the output's (align-corners,
 * as tf.image.cropAndResize).
 *
 * @example
 * const view = zoomCrop(); // scale uniform in [0.6, 0.7]
 * const box = cropBox(512, 512, view.sample(7)); // where the crop came from
 */
export function zoomCrop(options: { scale?: [number, number] } = {}): ImageView<ZoomCropParams> {
  const scale = assertRange(options.scale ?? [0.6, 0.7], "zoomCrop: scale", 0, 1);
  if (scale[0] <= 0) throw new Error(`zoomCrop: scale must be above 0, got [${scale}]`);
  return defineView<ZoomCropParams>({
    name: "zoomCrop",
    sample(seed) {
      const rng = createRng(seed);
      return { scale: rng.uniform(...scale), x: rng.next(), y: rng.next() };
    },
    applyRaw: (raw, params) => cropResizeRaw(raw, cropBox(raw.width, raw.height, params)),
    applyImage(image, params) {
      const [height, width] = image.shape;
      const box = cropBox(width, height, params);
      const yScale = Math.max(1, height - 1);
      const xScale = Math.max(1, width - 1);
      const boxes = tf.tensor2d([
        [
          box.top / yScale,
          box.left / xScale,
          (box.top + box.height - 1) / yScale,
          (box.left + box.width - 1) / xScale,
        ],
      ]);
      const batch = tf.expandDims(image, 0) as Tensor4D;
      const resized = tf.image.cropAndResize(
        batch,
        boxes,
        tf.tensor1d([0], "int32"),
        [height, width],
        "bilinear",
      );
      return tf.squeeze(resized, [0]) as Tensor3D;
    },
  });
}

/**
 * The pixel crop a zoom-crop draw takes from a `width x height` image.
 *
 * @example
 * cropBox(100, 50, { scale: 0.6, x: 0, y: 1 }); // { top: 20, left: 0, height: 30, width: 60 }
 */
export function cropBox(width: number, height: number, params: ZoomCropParams): CropBox {
  const cropWidth = Math.max(1, Math.round(params.scale * width));
  const cropHeight = Math.max(1, Math.round(params.scale * height));
  return {
    top: Math.round(params.y * (height - cropHeight)),
    left: Math.round(params.x * (width - cropWidth)),
    height: cropHeight,
    width: cropWidth,
  };
}

/**
 * Bilinear resize of `box` to the full image with align-corners sampling (the crop's first and last pixel
 * centres land on the output's), as tf.image.cropAndResize: rows first, then between rows, as its kernel.
 */
export function cropResizeRaw(raw: RawImage, box: CropBox): RawImage {
  const { width, height, data } = raw;
  const stride = width * 3;
  const xStep = width > 1 ? (box.width - 1) / (width - 1) : 0;
  const yStep = height > 1 ? (box.height - 1) / (height - 1) : 0;
  const left = new Int32Array(width);
  const xWeight = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const inX = box.left + x * xStep;
    const x0 = Math.min(Math.floor(inX), box.left + box.width - 1);
    left[x] = x0 * 3;
    xWeight[x] = inX - x0;
  }
  const lastColumn = (box.left + box.width - 1) * 3;
  // Each crop row resized horizontally once; an output row blends the two rows around it.
  const rows = new Float32Array(box.height * stride);
  for (let r = 0; r < box.height; r++) {
    const source = (box.top + r) * stride;
    const target = r * stride;
    for (let x = 0, o = target; x < width; x++, o += 3) {
      const p = source + (left[x] as number);
      const q = Math.min(p + 3, source + lastColumn);
      const w = xWeight[x] as number;
      rows[o] = (data[p] as number) + w * ((data[q] as number) - (data[p] as number));
      rows[o + 1] = (data[p + 1] as number) + w * ((data[q + 1] as number) - (data[p + 1] as number));
      rows[o + 2] = (data[p + 2] as number) + w * ((data[q + 2] as number) - (data[p + 2] as number));
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const inY = y * yStep;
    const r0 = Math.min(Math.floor(inY), box.height - 1);
    const r1 = Math.min(r0 + 1, box.height - 1);
    const w = inY - r0;
    const top = r0 * stride;
    const bottom = r1 * stride;
    const o = y * stride;
    for (let i = 0; i < stride; i++) {
      const upper = rows[top + i] as number;
      out[o + i] = upper + w * ((rows[bottom + i] as number) - upper) + 0.5;
    }
  }
  return { data: out, width, height };
}
