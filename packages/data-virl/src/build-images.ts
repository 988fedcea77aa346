import type { ImageSource } from "./image-source.js";
import { InvalidRowError } from "./invalid-row-error.js";
import { ensureMinSide } from "./min-side.js";

/** Where a row came from, for error messages. */
export interface RowContext {
  file: string;
  rowId: string;
  row: number;
}

/** Decodes, checks and upscales each image of a row; failures become {@link InvalidRowError}s on `column`. */
export async function checkImages(
  images: readonly { name: string; bytes: Uint8Array | null }[],
  minSide: number,
  column: string,
  context: RowContext,
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const { name, bytes } of images) {
    if (bytes === null)
      throw new InvalidRowError({ ...context, column, problem: `image ${name} is missing` });
    try {
      out.push((await ensureMinSide(bytes, minSide)).bytes);
    } catch (cause) {
      throw new InvalidRowError({
        ...context,
        column,
        problem: `image ${name} cannot be decoded (${(cause as Error).message})`,
        cause,
      });
    }
  }
  return out;
}

/** Reads the images a row names from `source`, then checks them with {@link checkImages}. */
export async function readImages(
  paths: readonly string[],
  source: ImageSource,
  minSide: number,
  column: string,
  context: RowContext,
): Promise<Uint8Array[]> {
  const loaded = [];
  for (const path of paths) {
    let bytes: Uint8Array | null;
    try {
      bytes = await source.read(path);
    } catch (cause) {
      throw new InvalidRowError({
        ...context,
        column,
        problem: `image ${path} cannot be read from ${source.location} (${(cause as Error).message})`,
        cause,
      });
    }
    if (bytes === null) {
      throw new InvalidRowError({
        ...context,
        column,
        problem: `image file ${path} is absent from ${source.location}`,
      });
    }
    loaded.push({ name: path, bytes });
  }
  return checkImages(loaded, minSide, column, context);
}
