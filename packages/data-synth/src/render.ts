import sharp from "sharp";

/**
 * Rasterises an SVG document to an RGB PNG (no alpha) of `imageSize` x `imageSize` pixels.
 *
 * @example
 * const png = await renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"/>', 32);
 */
export async function renderPng(svg: string, imageSize: number): Promise<Uint8Array> {
  const buffer = await sharp(Buffer.from(svg), { density: 72 })
    .resize(imageSize, imageSize, { fit: "fill", kernel: "nearest" })
    .flatten({ background: "#ffffff" })
    .removeAlpha()
    .png({ compressionLevel: 9, palette: false })
    .toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
