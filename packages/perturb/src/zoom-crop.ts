import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
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

// libvips' affine maps pixel index X to X / factor with the output window starting at 0, which is exactly
// the align-corners mapping when factor = (out - 1) / (crop - 1); the window is one pixel wider, cut after.
async function cropResizeRaw(raw: RawImage, box: CropBox): Promise<RawImage> {
  const { width, height } = raw;
  const rawInfo = { raw: { width, height, channels: 3 as const } };
  const xFactor = box.width > 1 ? (width - 1) / (box.width - 1) : 1;
  const yFactor = box.height > 1 ? (height - 1) / (box.height - 1) : 1;
  const cropped = await sharp(raw.data, rawInfo)
    .extract({ left: box.left, top: box.top, width: box.width, height: box.height })
    .raw()
    .toBuffer();
  const scaled = await sharp(cropped, { raw: { width: box.width, height: box.height, channels: 3 } })
    .affine([xFactor, 0, 0, yFactor], { interpolator: sharp.interpolators.bilinear })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(width * height * 3);
  const rowBytes = Math.min(width, scaled.info.width) * 3;
  for (let y = 0; y < Math.min(height, scaled.info.height); y++) {
    out.set(
      scaled.data.subarray(y * scaled.info.width * 3, y * scaled.info.width * 3 + rowBytes),
      y * width * 3,
    );
  }
  return { data: out, width, height };
}
