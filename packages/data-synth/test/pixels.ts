import sharp from "sharp";

/** Decoded RGB pixels of a PNG, for measuring what was drawn independently of the generator. */
export interface RgbImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export async function decodePng(png: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

export function pixel(image: RgbImage, x: number, y: number): [number, number, number] {
  const i = (y * image.width + x) * image.channels;
  return [image.data[i] as number, image.data[i + 1] as number, image.data[i + 2] as number];
}

export function isColour(image: RgbImage, x: number, y: number, rgb: readonly number[]): boolean {
  const [r, g, b] = pixel(image, x, y);
  return (
    Math.abs(r - (rgb[0] as number)) + Math.abs(g - (rgb[1] as number)) + Math.abs(b - (rgb[2] as number)) <
    30
  );
}

export const BLACK = [0, 0, 0] as const;
export const WHITE = [255, 255, 255] as const;

/** Pixels matching `rgb`, as [x, y] pairs. */
export function pixelsOf(image: RgbImage, rgb: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) if (isColour(image, x, y, rgb)) out.push([x, y]);
  }
  return out;
}

/** Number of 8-connected blobs of pixels matching `rgb`. */
export function countBlobs(image: RgbImage, rgb: readonly number[]): number {
  const seen = new Uint8Array(image.width * image.height);
  let blobs = 0;
  for (const [sx, sy] of pixelsOf(image, rgb)) {
    if (seen[sy * image.width + sx]) continue;
    blobs++;
    const stack: Array<[number, number]> = [[sx, sy]];
    seen[sy * image.width + sx] = 1;
    while (stack.length > 0) {
      const [x, y] = stack.pop() as [number, number];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= image.width || ny >= image.height) continue;
          if (seen[ny * image.width + nx] || !isColour(image, nx, ny, rgb)) continue;
          seen[ny * image.width + nx] = 1;
          stack.push([nx, ny]);
        }
      }
    }
  }
  return blobs;
}

/** A connected set of pixels: its bounding box (inclusive) and pixel count. */
export interface Blob {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  pixels: number;
}

/** 8-connected blobs of the pixels for which `where(x, y)` holds, in scan order of their first pixel. */
export function blobsWhere(image: RgbImage, where: (x: number, y: number) => boolean): Blob[] {
  const { width, height } = image;
  const seen = new Uint8Array(width * height);
  const out: Blob[] = [];
  for (let sy = 0; sy < height; sy++) {
    for (let sx = 0; sx < width; sx++) {
      if (seen[sy * width + sx] || !where(sx, sy)) continue;
      const blob: Blob = { minX: sx, maxX: sx, minY: sy, maxY: sy, pixels: 0 };
      const stack: Array<[number, number]> = [[sx, sy]];
      seen[sy * width + sx] = 1;
      while (stack.length > 0) {
        const [x, y] = stack.pop() as [number, number];
        blob.pixels++;
        blob.minX = Math.min(blob.minX, x);
        blob.maxX = Math.max(blob.maxX, x);
        blob.minY = Math.min(blob.minY, y);
        blob.maxY = Math.max(blob.maxY, y);
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            const ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
            if (seen[ny * width + nx] || !where(nx, ny)) continue;
            seen[ny * width + nx] = 1;
            stack.push([nx, ny]);
          }
        }
      }
      out.push(blob);
    }
  }
  return out;
}

/** A pixel that is neither white nor black: ink of some colour. */
export function isInk(image: RgbImage, x: number, y: number): boolean {
  return !isColour(image, x, y, WHITE) && !isColour(image, x, y, BLACK);
}

/** Starts of the runs of consecutive values in a sorted list of integers, and each run's length. */
export function runs(sorted: number[]): Array<{ start: number; length: number }> {
  const out: Array<{ start: number; length: number }> = [];
  for (const value of sorted) {
    const last = out[out.length - 1];
    if (last && value === last.start + last.length) last.length++;
    else out.push({ start: value, length: 1 });
  }
  return out;
}
