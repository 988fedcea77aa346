import sharp from "sharp";

/** Decoded facts about an encoded image after {@link ensureMinSide}. */
export interface SizedImage {
  bytes: Uint8Array;
  width: number;
  height: number;
  format: string;
}

/**
 * Decodes `bytes` fully (so a corrupt image fails here, not in the trainer) and, when the short side is under
 * `minSide`, upscales so the short side is exactly `minSide`, keeping the aspect ratio, re-encoded in the same
 * format. Images already large enough come back byte for byte. Throws on undecodable input.
 *
 * @example
 * const { bytes, width, height } = await ensureMinSide(png20x10, 28); // width 56, height 28
 */
export async function ensureMinSide(bytes: Uint8Array, minSide: number): Promise<SizedImage> {
  const { info } = await sharp(bytes, { failOn: "error" }).raw().toBuffer({ resolveWithObject: true });
  const metadata = await sharp(bytes).metadata();
  const format = metadata.format ?? "unknown";
  // EXIF orientation 5-8 swaps the displayed axes; the decoded buffer above is pre-rotation.
  const swapped = (metadata.orientation ?? 1) >= 5;
  const width = swapped ? info.height : info.width;
  const height = swapped ? info.width : info.height;
  const short = Math.min(width, height);
  if (short >= minSide) return { bytes, width, height, format };
  const scale = minSide / short;
  const newWidth = width === short ? minSide : Math.round(width * scale);
  const newHeight = height === short ? minSide : Math.round(height * scale);
  const resized = await sharp(bytes)
    .rotate()
    .resize(newWidth, newHeight, { fit: "fill" })
    .toFormat(format as keyof sharp.FormatEnum)
    .toBuffer();
  return { bytes: new Uint8Array(resized), width: newWidth, height: newHeight, format };
}
