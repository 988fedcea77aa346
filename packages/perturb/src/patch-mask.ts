import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "./random";
import { assertRange, defineView, type ImageView } from "./view";

/** One masking draw: the share of cells blackened, the cell side in pixels, and the seed choosing cells. */
export type PatchMaskParams = { ratio: number; patchSize: number; maskSeed: number };

/**
 * Patch masking (PAPO's information-removing view): the image is cut into `patchSize x patchSize` cells
 * (1 = single pixels, the default) and exactly `round(ratio * cells)` of them, chosen uniformly, are set
 * to black; ratio uniform in `ratio`.
 *
 * @example
 * const view = patchMask({ patchSize: 14 }); // ratio uniform in [0.3, 0.6]
 * const masked = view.applyTensor(images, { seed: 4 });
 */
export function patchMask(
  options: { ratio?: [number, number]; patchSize?: number } = {},
): ImageView<PatchMaskParams> {
  const ratio = assertRange(options.ratio ?? [0.3, 0.6], "patchMask: ratio", 0, 1);
  const patchSize = options.patchSize ?? 1;
  if (!Number.isInteger(patchSize) || patchSize < 1) {
    throw new Error(`patchMask: patchSize must be a positive integer, got ${patchSize}`);
  }
  return defineView<PatchMaskParams>({
    name: "patchMask",
    sample(seed) {
      const rng = createRng(seed);
      return { ratio: rng.uniform(...ratio), patchSize, maskSeed: Math.floor(rng.next() * 0x100000000) };
    },
    applyRaw(raw, params) {
      const keep = keepMask(raw.width, raw.height, params);
      const data = raw.data.slice();
      for (let p = 0; p < keep.length; p++) {
        if (keep[p] === 0) {
          data[p * 3] = 0;
          data[p * 3 + 1] = 0;
          data[p * 3 + 2] = 0;
        }
      }
      return { data, width: raw.width, height: raw.height };
    },
    applyImage(image, params) {
      const [height, width] = image.shape;
      const keep = keepMask(width, height, params);
      // Spelled out per channel: a same-shape multiply is much cheaper than a broadcast one on the cpu backend.
      const keep3 = new Float32Array(keep.length * 3);
      for (let p = 0; p < keep.length; p++) keep3.fill(keep[p] as number, p * 3, p * 3 + 3);
      return tf.mul(image, tf.tensor3d(keep3, [height, width, 3]));
    },
  });
}

/**
 * Per-pixel keep mask `[height * width]` (1 keep, 0 blackened) of a masking draw.
 *
 * @example
 * const keep = keepMask(4, 4, { ratio: 0.5, patchSize: 2, maskSeed: 1 }); // 2 of the 4 cells zeroed
 */
export function keepMask(width: number, height: number, params: PatchMaskParams): Float32Array {
  const size = params.patchSize;
  const cols = Math.ceil(width / size);
  const rows = Math.ceil(height / size);
  const cells = new Uint32Array(rows * cols);
  for (let i = 0; i < cells.length; i++) cells[i] = i;
  const masked = Math.round(params.ratio * cells.length);
  const rng = createRng(params.maskSeed);
  // Partial Fisher-Yates: the first `masked` entries become a uniform sample without replacement.
  for (let i = 0; i < masked; i++) {
    const j = i + rng.int(cells.length - i);
    const swap = cells[i] as number;
    cells[i] = cells[j] as number;
    cells[j] = swap;
  }
  const keep = new Float32Array(width * height).fill(1);
  for (let i = 0; i < masked; i++) {
    const cell = cells[i] as number;
    const top = Math.floor(cell / cols) * size;
    const left = (cell % cols) * size;
    for (let y = top; y < Math.min(height, top + size); y++)
      keep.fill(0, y * width + left, y * width + Math.min(width, left + size));
  }
  return keep;
}
