import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { checkImages } from "./build-images.js";
import { InvalidRowError } from "./invalid-row-error.js";
import { ParquetRows } from "./parquet-rows.js";
import { buildPrompt, REFERENCE_INSTRUCTION } from "./prompt.js";
import { RowDataset, type SkipOptions } from "./row-dataset.js";
import type { VirlExample } from "./types.js";

export type Geometry3KSplit = "train" | "validation" | "test";

/** Options of {@link loadGeometry3K}. */
export interface LoadGeometry3KOptions extends SkipOptions {
  /** Folder holding `data/<split>-00000-of-00001.parquet` or `<split>.parquet`. */
  root: string;
  split: Geometry3KSplit;
  /** Appended to each problem on a new line. Default {@link REFERENCE_INSTRUCTION}. */
  instruction?: string;
  /** Images whose short side is under this many pixels are upscaled to it. Default 28. */
  minImageSide?: number;
}

const REQUIRED_COLUMNS = ["images", "problem", "answer"] as const;

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/**
 * The one parquet file of `split`: `data/<split>-00000-of-00001.parquet`, else `<split>.parquet`.
 *
 * @example
 * await findGeometry3KFile("/data/geometry3k", "test"); // "/data/geometry3k/data/test-00000-of-00001.parquet"
 */
export async function findGeometry3KFile(root: string, split: Geometry3KSplit): Promise<string> {
  const dataDir = join(root, "data");
  const shards = (await readdir(dataDir).catch(() => [] as string[]))
    .filter((name) => name.startsWith(`${split}-`) && name.endsWith(".parquet"))
    .sort();
  if (shards.length > 1) {
    throw new Error(
      `loadGeometry3K: ${dataDir} has ${shards.length} shards for "${split}"; expected one file`,
    );
  }
  if (shards.length === 1) return join(dataDir, shards[0] as string);
  const flat = join(root, `${split}.parquet`);
  if (await isFile(flat)) return flat;
  throw new Error(
    `loadGeometry3K: no parquet for split "${split}": expected ${join(dataDir, `${split}-00000-of-00001.parquet`)} or ${flat}`,
  );
}

function asText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return null;
}

/**
 * Loads one split of Geometry3K in the Hugging Face parquet layout (columns `images` as a list of
 * `{ bytes, path }` structs, `problem`, `answer`, and optionally `id`, `choices`, `ground_truth`). The prompt is
 * the problem with `<image>` handling and the instruction; the ground truth is `answer` as written.
 *
 * @example
 * const test = await loadGeometry3K({ root: "/data/geometry3k", split: "test" });
 * const { prompt, groundTruth } = await test.get(0);
 */
export async function loadGeometry3K(options: LoadGeometry3KOptions): Promise<RowDataset<VirlExample>> {
  const { root, split, instruction = REFERENCE_INSTRUCTION, minImageSide = 28 } = options;
  if (split !== "train" && split !== "validation" && split !== "test") {
    throw new Error(`loadGeometry3K: split must be "train", "validation" or "test", got "${split}"`);
  }
  const path = await findGeometry3KFile(root, split);
  const table = await ParquetRows.open(path, REQUIRED_COLUMNS, { utf8: false });
  const columns = table.hasColumn("id") ? [...REQUIRED_COLUMNS, "id"] : [...REQUIRED_COLUMNS];

  const build = async (row: number): Promise<VirlExample> => {
    const raw = await table.row(row, columns);
    const id = asText(raw.id) ?? `${split}-${row}`;
    const context = { file: path, rowId: id, row };
    const fail = (column: string, problem: string) => new InvalidRowError({ ...context, column, problem });
    const problem = asText(raw.problem);
    if (problem === null || problem.trim() === "") throw fail("problem", "empty problem");
    const answer = asText(raw.answer)?.trim() ?? "";
    if (answer === "") throw fail("answer", "empty answer");
    if (!Array.isArray(raw.images) || raw.images.length === 0) throw fail("images", "the row has no image");
    const loaded = raw.images.map((image: { bytes?: unknown; path?: unknown } | null, k: number) => ({
      name: asText(image?.path) ?? `#${k}`,
      bytes: image?.bytes instanceof Uint8Array ? image.bytes : null,
    }));
    const prompt = buildPrompt(problem, loaded.length, instruction);
    if (prompt === null)
      throw fail("problem", `the <image> tokens do not match its ${loaded.length} image(s)`);
    return {
      id,
      prompt,
      groundTruth: answer,
      images: await checkImages(loaded, minImageSide, "images", context),
      category: "geometry",
      source: "geometry3k",
      passRate32B: null,
      passRate7B: null,
    };
  };
  const rows = Array.from({ length: table.numRows }, (_, i) => i);
  return new RowDataset(rows, build, options);
}
