import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
import type { RawImage } from "../src/image-io";

/** A textured RGB test image: red = 5x, green = 6y, blue a hashed pattern, so shifts are visible. */
export function patternRaw(width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      data[p] = (x * 5) % 256;
      data[p + 1] = (y * 6) % 256;
      data[p + 2] = ((x * 13 + y * 29) % 97) * 2;
    }
  }
  return { data, width, height };
}

export async function encodeRaw(raw: RawImage, format: "png" | "jpeg" | "webp" = "png"): Promise<Uint8Array> {
  const out = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
  return new Uint8Array(out);
}

export async function decodeToRaw(bytes: Uint8Array): Promise<RawImage & { format: string | undefined }> {
  const image = sharp(bytes);
  const { format } = await image.metadata();
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, format };
}

export function rawToBatch(raw: RawImage): Tensor4D {
  return tf.tidy(() =>
    tf.div(tf.tensor4d(Array.from(raw.data), [1, raw.height, raw.width, 3], "float32"), 255),
  ) as Tensor4D;
}

export function rawToImage(raw: RawImage): Tensor3D {
  return tf.tidy(() =>
    tf.div(tf.tensor3d(Array.from(raw.data), [raw.height, raw.width, 3], "float32"), 255),
  ) as Tensor3D;
}

/** Mean |a * scaleA - b * scaleB| over two equally long pixel arrays. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, scaleA = 1, scaleB = 1): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) * scaleA - (b[i] as number) * scaleB);
  return sum / a.length;
}

/** A tiny seeded generator (xorshift) for the tests' own simulations, independent of @cppo/random. */
export function testRng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}
