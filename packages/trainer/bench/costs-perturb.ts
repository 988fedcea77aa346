import { decodeImage, type ImageView, informationPreserving, informationRemoving } from "@cppo/perturb";
import { mulberry32 } from "@cppo/random";
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
import { median, timed, timeRuns } from "./costs-timing";

export const PERTURB_SIDE = 512;

export interface PerturbSpeed {
  view: string;
  /** `apply` on encoded JPEG bytes, one image in flight, sharp.concurrency(1). */
  applyImagesPerSecond: number;
  /** `applyTensor` on a `[batch, 512, 512, 3]` tensor on the active backend, or why it failed. */
  applyTensorImagesPerSecond: number | string;
}

/**
 * Images per second of CPPO's two views on seeded 512x512 JPEGs: the encoded `apply` path one image at a time,
 * and `applyTensor` on a batch. Medians over `repeats` passes after a warm-up.
 */
export async function measurePerturb(
  repeats: number,
  options = { images: 8, batch: 8 },
): Promise<PerturbSpeed[]> {
  const jpegs = await makeJpegs(options.images);
  const decoded = await Promise.all(jpegs.slice(0, options.batch).map((bytes) => decodeImage(bytes)));
  const batch = tf.stack(
    Array.from({ length: options.batch }, (_, i) => decoded[i % decoded.length] as tf.Tensor3D),
  ) as tf.Tensor4D;
  tf.dispose(decoded);
  const concurrency = sharp.concurrency();
  const out: PerturbSpeed[] = [];
  try {
    for (const view of [informationPreserving(), informationRemoving()] as ImageView[]) {
      sharp.concurrency(1);
      const applySeconds = await timeRuns(repeats, async () => {
        for (const [i, bytes] of jpegs.entries()) await view.apply(bytes, { seed: i });
      });
      sharp.concurrency(concurrency);
      let applyTensorImagesPerSecond: number | string;
      try {
        tf.dispose(view.applyTensor(tf.slice(batch, 0, 1) as tf.Tensor4D, { seed: 0 }));
        const seconds: number[] = [];
        for (let r = 0; r < repeats; r++) {
          const { seconds: s } = await timed(async () => {
            const result = view.applyTensor(batch, { seed: r + 1 });
            await result.data();
            result.dispose();
          });
          seconds.push(s);
        }
        applyTensorImagesPerSecond = options.batch / median(seconds);
      } catch (error) {
        applyTensorImagesPerSecond = `error: ${(error as Error).message.slice(0, 80)}`;
      }
      out.push({
        view: view.name,
        applyImagesPerSecond: jpegs.length / median(applySeconds),
        applyTensorImagesPerSecond,
      });
    }
  } finally {
    sharp.concurrency(concurrency);
    batch.dispose();
  }
  return out;
}

/** Seeded noise over a few filled rectangles and a gradient, so JPEG coding costs what it does on photos. */
async function makeJpegs(count: number): Promise<Uint8Array[]> {
  const side = PERTURB_SIDE;
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const next = mulberry32(1000 + i);
    const data = new Uint8Array(side * side * 3);
    const rects = Array.from({ length: 6 }, () => ({
      x: Math.floor(next() * side),
      y: Math.floor(next() * side),
      w: 32 + Math.floor(next() * 160),
      h: 32 + Math.floor(next() * 160),
      rgb: [next() * 255, next() * 255, next() * 255],
    }));
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const rect = rects.find((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h);
        const base = rect?.rgb ?? [x / 2, y / 2, (x + y) / 4];
        for (let c = 0; c < 3; c++) {
          data[(y * side + x) * 3 + c] = Math.max(
            0,
            Math.min(255, (base[c] as number) + (next() - 0.5) * 40),
          );
        }
      }
    }
    const jpeg = await sharp(data, { raw: { width: side, height: side, channels: 3 } })
      .jpeg()
      .toBuffer();
    out.push(new Uint8Array(jpeg));
  }
  return out;
}
