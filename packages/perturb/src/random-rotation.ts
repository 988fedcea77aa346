import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "./random";
import { assertRange, defineView, type ImageView } from "./view";
import { type Projective, warpRaw } from "./warp";

/** One rotation draw, in degrees; positive turns the picture counter-clockwise. */
export type RotationParams = { degrees: number };

/**
 * Random rotation (information-preserving) about the image centre, same size out, corners filled black,
 * bilinear sampling.
 *
 * @example
 * const view = randomRotation(); // angle uniform in [-10, 10] degrees
 * const rotated = view.applyTensor(images, { seed: 3 }); // images [B, H, W, 3]
 */
export function randomRotation(options: { degrees?: [number, number] } = {}): ImageView<RotationParams> {
  const degrees = assertRange(options.degrees ?? [-10, 10], "randomRotation: degrees");
  return defineView<RotationParams>({
    name: "randomRotation",
    sample: (seed) => ({ degrees: createRng(seed).uniform(...degrees) }),
    applyRaw: (raw, params) => warpRaw(raw, rotationTransform(raw.width, raw.height, params.degrees)),
    applyImage: (image, params) => {
      const [height, width] = image.shape;
      return projectImage(image, rotationTransform(width, height, params.degrees));
    },
  });
}

/** Output -> input map of a counter-clockwise rotation by `degrees` about the centre (y points down). */
export function rotationTransform(width: number, height: number, degrees: number): Projective {
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, 0, 0];
}

/** tf.image.transform on one image; one at a time because the cpu kernel only reads batch entry 0. */
export function projectImage(image: Tensor3D, transform: Projective): Tensor3D {
  const batch = tf.expandDims(image, 0) as Tensor4D;
  const warped = tf.image.transform(batch, tf.tensor2d([transform]), "bilinear", "constant", 0);
  return tf.squeeze(warped, [0]) as Tensor3D;
}
