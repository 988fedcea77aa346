import type { Tensor3D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";

/** Decoded pixels: RGB, 8 bits per channel, row-major `data [height, width, 3]`. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Formats an encoded view is written back as (the input's own format). */
export type ImageFormat = "png" | "jpeg" | "webp" | "gif" | "tiff" | "avif" | "heif";

const formats: readonly ImageFormat[] = ["png", "jpeg", "webp", "gif", "tiff", "avif", "heif"];

function assertBytes(bytes: unknown, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new Error(`${what} must be a Uint8Array of encoded image bytes`);
  if (bytes.length === 0)
    throw new Error(`${what} is empty (0 bytes); expected an encoded PNG, JPEG or WebP`);
}

/**
 * Decodes encoded bytes to RGB pixels (alpha dropped, EXIF orientation applied) and reports the format.
 *
 * @example
 * const { raw, format } = await readRaw(await fs.readFile("cat.jpg")); // format === "jpeg"
 */
export async function readRaw(
  bytes: Uint8Array,
  what = "image",
): Promise<{ raw: RawImage; format: ImageFormat }> {
  assertBytes(bytes, what);
  let format: string | undefined;
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    const image = sharp(bytes, { failOn: "error" });
    format = (await image.metadata()).format;
    decoded = await image
      .autoOrient()
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new Error(`${what} could not be decoded as an image: ${(error as Error).message}`);
  }
  if (format === "jpg") format = "jpeg";
  if (!formats.includes(format as ImageFormat)) {
    throw new Error(`${what} has unsupported format "${format}"; expected one of ${formats.join(", ")}`);
  }
  const { width, height, channels } = decoded.info;
  if (width === 0 || height === 0) throw new Error(`${what} is zero-sized (${width}x${height})`);
  if (channels !== 3) throw new Error(`${what} decoded to ${channels} channels; expected 3 (RGB)`);
  const data = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length);
  return { raw: { data, width, height }, format: format as ImageFormat };
}

/**
 * Encodes RGB pixels as `format` (JPEG and WebP at quality 90).
 *
 * @example
 * const png = await writeRaw({ data: new Uint8Array(12), width: 2, height: 2 }, "png");
 */
export async function writeRaw(raw: RawImage, format: ImageFormat): Promise<Uint8Array> {
  if (!formats.includes(format))
    throw new Error(`format must be one of ${formats.join(", ")}, got "${format}"`);
  const lossy = format === "jpeg" || format === "webp" || format === "avif" || format === "heif";
  const out = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
    .toFormat(format, lossy ? { quality: 90 } : {})
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * Decodes an image to `[H, W, 3]` float32 in [0, 1], optionally resized (stretched) to `size x size`.
 *
 * @example
 * const image = await decodeImage(bytes, { size: 224 }); // Tensor3D [224, 224, 3]
 * image.dispose();
 */
export async function decodeImage(bytes: Uint8Array, options: { size?: number } = {}): Promise<Tensor3D> {
  const { size } = options;
  if (size !== undefined && (!Number.isInteger(size) || size < 1)) {
    throw new Error(`size must be a positive integer, got ${size}`);
  }
  let { raw } = await readRaw(bytes);
  if (size !== undefined && (raw.width !== size || raw.height !== size)) {
    const resized = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
      .resize(size, size, { fit: "fill" })
      .raw()
      .toBuffer();
    raw = {
      data: new Uint8Array(resized.buffer, resized.byteOffset, resized.length),
      width: size,
      height: size,
    };
  }
  return rawToTensor(raw);
}

/**
 * Encodes `image [H, W, 3]` (float in [0, 1], values rounded to 8 bits) as `format`.
 *
 * @example
 * const png = await encodeImage(tf.zeros([4, 4, 3]), "png");
 */
export async function encodeImage(image: Tensor3D, format: ImageFormat): Promise<Uint8Array> {
  assertImage(image, "image");
  return writeRaw(await tensorToRaw(image), format);
}

/** `[H, W, 3]` float32 in [0, 1] from 8-bit pixels. */
export function rawToTensor(raw: RawImage): Tensor3D {
  const values = new Float32Array(raw.data.length);
  for (let i = 0; i < values.length; i++) values[i] = (raw.data[i] as number) / 255;
  return tf.tensor3d(values, [raw.height, raw.width, 3], "float32");
}

/** 8-bit pixels from `[H, W, 3]` in [0, 1] (clamped, rounded). */
export async function tensorToRaw(image: Tensor3D): Promise<RawImage> {
  const [height, width] = image.shape;
  const values = await image.data();
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++)
    data[i] = Math.round(Math.min(1, Math.max(0, values[i] as number)) * 255);
  return { data, width, height };
}

/** Throws unless `image` is a float32 `[H, W, 3]` tensor with H, W > 0 and values in [0, 1]. */
export function assertImage(image: unknown, what: string): asserts image is Tensor3D {
  if (!(image instanceof tf.Tensor)) throw new Error(`${what} must be a tf.Tensor [H, W, 3]`);
  if (image.rank !== 3) throw new Error(`${what} must be rank 3 [H, W, 3], got shape [${image.shape}]`);
  checkPixels(image, what, "[H, W, 3]");
}

/** Throws unless `images` is a float32 `[B, H, W, 3]` tensor with B, H, W > 0 and values in [0, 1]. */
export function assertImageBatch(images: unknown, what: string): asserts images is tf.Tensor4D {
  if (!(images instanceof tf.Tensor)) throw new Error(`${what} must be a tf.Tensor [B, H, W, 3]`);
  if (images.rank !== 4) throw new Error(`${what} must be rank 4 [B, H, W, 3], got shape [${images.shape}]`);
  checkPixels(images, what, "[B, H, W, 3]");
}

function checkPixels(t: tf.Tensor, what: string, layout: string): void {
  if (t.dtype !== "float32") throw new Error(`${what} must have dtype float32, got ${t.dtype}`);
  if (t.shape[t.rank - 1] !== 3)
    throw new Error(`${what} must be ${layout} with 3 channels, got [${t.shape}]`);
  if (t.size === 0) throw new Error(`${what} is zero-sized: shape [${t.shape}]`);
  const [low, high] = tf.tidy(() => tf.stack([tf.min(t), tf.max(t)]).dataSync());
  if (!(low !== undefined && high !== undefined && low >= 0 && high <= 1)) {
    throw new Error(`${what} values must lie in [0, 1] (and be finite), got range [${low}, ${high}]`);
  }
}
