import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { type Fill, resolveFill } from "./fill";
import { createRng } from "./random";
import { assertRange, defineView, type ImageView } from "./view";
import { type Projective, warpRaw } from "./warp";

/** One rotation draw, in degrees; positive turns the picture counter-clockwise. */
export type RotationParams = { degrees: number };

export interface RotationOptions {
  degrees?: [number, number];
  /** Colour of the corners the rotated picture leaves uncovered (default 0, black). */
  fill?: Fill;
}

/**
 * Random rotation (information-preserving) about the image centre, same size out, corners painted `fill`
 * (black by default, as torchvision), bilinear sampling.
 *
 * @example
 * const view = randomRotation(); // angle uniform in [-10, 10] degrees
 * const rotated = view.applyTensor(images, { seed: 3 }); // images [B, H, W, 3]
 * const onWhite = randomRotation({ fill: 255 }); // for white-background charts
 */
export function randomRotation(options: RotationOptions = {}): ImageView<RotationParams> {
  const degrees = assertRange(options.degrees ?? [-10, 10], "randomRotation: degrees");
  const fill = resolveFill(options.fill, "randomRotation: fill");
  return defineView<RotationParams>({
    name: "randomRotation",
    sample: (seed) => ({ degrees: createRng(seed).uniform(...degrees) }),
    applyRaw: (raw, params) => warpRaw(raw, rotationTransform(raw.width, raw.height, params.degrees), fill),
    applyImage: (image, params) => {
      const [height, width] = image.shape;
      return projectImage(image, rotationTransform(width, height, params.degrees), fill);
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

/**
 * tf.image.transform on one image; one at a time because the cpu kernel only reads batch entry 0. Its fill
 * is one scalar, so a coloured fill uses linearity: warp(image, c) = warp(image, 0) + c * (1 - warp(ones, 0)).
 */
export function projectImage(
  image: Tensor3D,
  transform: Projective,
  fill: readonly [number, number, number] = [0, 0, 0],
): Tensor3D {
  const batch = tf.expandDims(image, 0) as Tensor4D;
  const matrix = tf.tensor2d([transform]);
  const [r, g, b] = fill.map((v) => v / 255) as [number, number, number];
  if (r === g && g === b) {
    return tf.squeeze(tf.image.transform(batch, matrix, "bilinear", "constant", r), [0]) as Tensor3D;
  }
  const [height, width] = image.shape;
  const warped = tf.image.transform(batch, matrix, "bilinear", "constant", 0);
  const reached = tf.image.transform(tf.ones([1, height, width, 1]), matrix, "bilinear", "constant", 0);
  const uncovered = tf.sub(1, reached);
  const painted = tf.add(warped, tf.mul(uncovered, tf.tensor1d([r, g, b])));
  return tf.squeeze(painted, [0]) as Tensor3D;
}
