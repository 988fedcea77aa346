import { type Fill, resolveFill } from "./fill";
import { createRng } from "./random";
import { projectImage } from "./random-rotation";
import { assertRange, defineView, type ImageView } from "./view";
import { type Projective, projectiveFromPoints, warpRaw } from "./warp";

/**
 * One perspective draw. `insets` move the corners (top-left, top-right, bottom-right, bottom-left) inwards,
 * as fractions of width and height, each uniform in [0, distortionScale / 2]; `applied` is false when the
 * coin (probability) said to leave the image alone.
 */
export type PerspectiveParams = { applied: boolean; insets: [number, number][] };

export interface PerspectiveOptions {
  distortionScale?: number;
  probability?: number;
  /** Colour outside the warped picture (default 0, black). */
  fill?: Fill;
}

/**
 * Random perspective (information-preserving), as torchvision's RandomPerspective: the image corners are
 * pulled inwards by up to `distortionScale / 2` of the side and the picture warped to the new quadrilateral,
 * outside painted `fill` (black by default, as torchvision).
 *
 * @example
 * const view = randomPerspective(); // distortionScale 0.2, probability 0.5
 * const warped = await view.apply(jpegBytes, { seed: 5 });
 * const onWhite = randomPerspective({ fill: [255, 255, 255] });
 */
export function randomPerspective(options: PerspectiveOptions = {}): ImageView<PerspectiveParams> {
  const distortionScale = options.distortionScale ?? 0.2;
  const probability = options.probability ?? 0.5;
  assertRange([distortionScale, distortionScale], "randomPerspective: distortionScale", 0, 1);
  assertRange([probability, probability], "randomPerspective: probability", 0, 1);
  const fill = resolveFill(options.fill, "randomPerspective: fill");
  return defineView<PerspectiveParams>({
    name: "randomPerspective",
    sample(seed) {
      const rng = createRng(seed);
      const applied = rng.next() < probability;
      const insets: [number, number][] = [];
      for (let i = 0; i < 4; i++) {
        insets.push([rng.uniform(0, distortionScale / 2), rng.uniform(0, distortionScale / 2)]);
      }
      return { applied, insets: applied ? insets : [] };
    },
    applyRaw: (raw, params) =>
      params.applied ? warpRaw(raw, perspectiveTransform(raw.width, raw.height, params.insets), fill) : raw,
    applyImage(image, params) {
      if (!params.applied) return image.clone();
      const [height, width] = image.shape;
      return projectImage(image, perspectiveTransform(width, height, params.insets), fill);
    },
  });
}

/** Output -> input map sending the inset quadrilateral back onto the image corners. */
export function perspectiveTransform(width: number, height: number, insets: [number, number][]): Projective {
  if (insets.length !== 4) throw new Error(`perspective insets must hold 4 corners, got ${insets.length}`);
  const right = width - 1;
  const bottom = height - 1;
  const corners: [number, number][] = [
    [0, 0],
    [right, 0],
    [right, bottom],
    [0, bottom],
  ];
  const moved = corners.map(([x, y], i): [number, number] => {
    const [fx, fy] = insets[i] as [number, number];
    return [x === 0 ? fx * width : x - fx * width, y === 0 ? fy * height : y - fy * height];
  });
  return projectiveFromPoints(moved, corners);
}
