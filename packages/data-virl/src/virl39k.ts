import { stat } from "node:fs/promises";
import { join } from "node:path";
import { hashString, mulberry32, shuffle } from "@cppo/random";
import { extractBoxed } from "@cppo/reward";
import { readImages } from "./build-images.js";
import { folderImageSource, type ImageSource, zipImageSource } from "./image-source.js";
import { InvalidRowError } from "./invalid-row-error.js";
import { ParquetRows } from "./parquet-rows.js";
import { buildPrompt, REFERENCE_INSTRUCTION } from "./prompt.js";
import { RowDataset, type SkipOptions } from "./row-dataset.js";
import type { VirlExample } from "./types.js";

/** File name of the ViRL39K table inside `root`. */
export const VIRL39K_PARQUET = "39Krelease.parquet";

const INDEX_COLUMNS = [
  "qid",
  "category",
  "source",
  "PassRate_32BTrained",
  "PassRate_7BBase",
  "image",
] as const;
const ROW_COLUMNS = ["question", "answer"] as const;

/** A seeded train/validation split; membership depends only on `qid` and `seed`. */
export interface SplitOptions {
  /** Share of rows in the validation part, in [0, 1]. */
  validationFraction: number;
  seed: number;
  part: "train" | "validation";
}

/** Options of {@link loadViRL39K}. */
export interface LoadViRL39KOptions extends SkipOptions {
  /** Folder holding `39Krelease.parquet` and either `images/` or `images.zip`. */
  root: string;
  /** Keep only rows with exactly one image (the reference's choice). Default true. */
  singleImageOnly?: boolean;
  /** Appended to each question on a new line. Default {@link REFERENCE_INSTRUCTION}. */
  instruction?: string;
  /** Keep only these categories. */
  categories?: readonly string[];
  /** Keep only these sources. */
  sources?: readonly string[];
  /** Inclusive [min, max] on `PassRate_32BTrained`; rows without a rate (-1) are dropped when set. */
  passRate32B?: readonly [number, number];
  /** Inclusive [min, max] on `PassRate_7BBase`; rows without a rate (-1) are dropped when set. */
  passRate7B?: readonly [number, number];
  /** Shuffle the kept rows with this seed (after filtering and splitting, before `limit`). */
  shuffleSeed?: number;
  /** Keep at most this many rows (applied last). */
  limit?: number;
  split?: SplitOptions;
  /** Images whose short side is under this many pixels are upscaled to it. Default 28. */
  minImageSide?: number;
  /** Rows decoded together by `get` (a row group, or a window of it). Default 512. */
  blockRows?: number;
}

/** Counts of the index pass, so that nothing disappears unnoticed. */
export interface ViRL39KCounts {
  /** Rows in the parquet file. */
  total: number;
  /** Rows dropped because they do not have exactly one image (only with `singleImageOnly`). */
  notSingleImage: number;
  /** Rows dropped by the category, source and pass-rate filters. */
  filtered: number;
  /** Rows left out as the other part of `split`. */
  otherSplit: number;
  /** Rows cut by `limit`. */
  overLimit: number;
}

/** The ViRL39K dataset: an {@link ExampleDataset} of {@link VirlExample}s plus skip and index counts. */
export type ViRL39KDataset = RowDataset<VirlExample> & { readonly counts: ViRL39KCounts };

interface IndexEntry {
  qid: string;
  category: string;
  source: string;
  passRate32B: number | null;
  passRate7B: number | null;
  images: string[];
}

function checkRange(name: string, range: readonly [number, number] | undefined): void {
  if (range === undefined) return;
  const [min, max] = range;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new Error(`loadViRL39K: ${name} must be [min, max] with finite min <= max, got [${min}, ${max}]`);
  }
}

function checkOptions(options: LoadViRL39KOptions): void {
  checkRange("passRate32B", options.passRate32B);
  checkRange("passRate7B", options.passRate7B);
  const { limit, split, minImageSide } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new Error(`loadViRL39K: limit must be a non-negative integer, got ${limit}`);
  }
  if (split !== undefined) {
    const fraction = split.validationFraction;
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new Error(`loadViRL39K: split.validationFraction must be in [0, 1], got ${fraction}`);
    }
    if (split.part !== "train" && split.part !== "validation") {
      throw new Error(`loadViRL39K: split.part must be "train" or "validation", got "${split.part}"`);
    }
  }
  if (minImageSide !== undefined && !(Number.isInteger(minImageSide) && minImageSide >= 1)) {
    throw new Error(`loadViRL39K: minImageSide must be a positive integer, got ${minImageSide}`);
  }
}

function passRate(value: unknown): number | null {
  const rate = typeof value === "bigint" ? Number(value) : value;
  return typeof rate === "number" && Number.isFinite(rate) && rate !== -1 ? rate : null;
}

function inRange(value: number | null, range: readonly [number, number] | undefined): boolean {
  if (range === undefined) return true;
  return value !== null && value >= range[0] && value <= range[1];
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** `root/images/` when present, else `root/images.zip`. */
async function openImages(root: string): Promise<ImageSource> {
  if (await isDirectory(join(root, "images"))) return folderImageSource(root);
  const zipPath = join(root, "images.zip");
  if (await isFile(zipPath)) return zipImageSource(zipPath);
  throw new Error(
    `loadViRL39K: found neither ${join(root, "images")}/ nor ${zipPath}; one of them must hold the images`,
  );
}

/**
 * Loads ViRL39K from `root` (`39Krelease.parquet` plus `images/` or `images.zip`). Only the small columns are
 * read up front (qid, category, source, pass rates, image paths) to filter, split, shuffle and limit; `get(i)`
 * reads question and answer from the block of rows holding row i and the images from the folder or zip.
 * Missing files or columns throw here; a bad row throws {@link InvalidRowError} from `get(i)` (or is skipped
 * and reported with `skipInvalid`).
 *
 * @example
 * const train = await loadViRL39K({ root: "/data/virl", split: { validationFraction: 0.02, seed: 0, part: "train" }, shuffleSeed: 1 });
 * const { prompt, images, groundTruth } = await train.get(0);
 * for await (const example of train) console.log(example.id);
 */
export async function loadViRL39K(options: LoadViRL39KOptions): Promise<ViRL39KDataset> {
  checkOptions(options);
  const { root, singleImageOnly = true, instruction = REFERENCE_INSTRUCTION, minImageSide = 28 } = options;
  const parquetPath = join(root, VIRL39K_PARQUET);
  const table = await ParquetRows.open(parquetPath, [...INDEX_COLUMNS, ...ROW_COLUMNS], {
    blockRows: options.blockRows,
  });
  const images = await openImages(root);

  const categories = options.categories && new Set(options.categories);
  const sources = options.sources && new Set(options.sources);
  const index = new Map<number, IndexEntry>();
  const counts: ViRL39KCounts = {
    total: table.numRows,
    notSingleImage: 0,
    filtered: 0,
    otherSplit: 0,
    overLimit: 0,
  };
  let kept: number[] = [];
  await table.scan(INDEX_COLUMNS, (rows, firstRow) => {
    rows.forEach((raw, offset) => {
      const entry: IndexEntry = {
        qid: raw.qid == null ? "" : String(raw.qid),
        category: raw.category == null ? "" : String(raw.category),
        source: raw.source == null ? "" : String(raw.source),
        passRate32B: passRate(raw.PassRate_32BTrained),
        passRate7B: passRate(raw.PassRate_7BBase),
        images: Array.isArray(raw.image) ? raw.image.map(String) : [],
      };
      if (singleImageOnly && entry.images.length !== 1) {
        counts.notSingleImage++;
        return;
      }
      const wanted =
        (!categories || categories.has(entry.category)) &&
        (!sources || sources.has(entry.source)) &&
        inRange(entry.passRate32B, options.passRate32B) &&
        inRange(entry.passRate7B, options.passRate7B);
      if (!wanted) {
        counts.filtered++;
        return;
      }
      const split = options.split;
      if (
        split &&
        hashString(entry.qid, split.seed) / 2 ** 32 < split.validationFraction !==
          (split.part === "validation")
      ) {
        counts.otherSplit++;
        return;
      }
      index.set(firstRow + offset, entry);
      kept.push(firstRow + offset);
    });
  });
  if (options.shuffleSeed !== undefined) kept = shuffle(kept, mulberry32(options.shuffleSeed));
  if (options.limit !== undefined && kept.length > options.limit) {
    counts.overLimit = kept.length - options.limit;
    for (const row of kept.slice(options.limit)) index.delete(row);
    kept = kept.slice(0, options.limit);
  }

  const build = async (row: number): Promise<VirlExample> => {
    const entry = index.get(row) as IndexEntry;
    const context = { file: parquetPath, rowId: entry.qid, row };
    const raw = await table.row(row, ROW_COLUMNS);
    const fail = (column: string, problem: string) => new InvalidRowError({ ...context, column, problem });
    if (entry.qid === "") throw fail("qid", "empty id");
    if (entry.images.length === 0) throw fail("image", "the row lists no image");
    if (typeof raw.question !== "string" || raw.question.trim() === "")
      throw fail("question", "empty question");
    if (typeof raw.answer !== "string" || raw.answer.trim() === "") throw fail("answer", "empty answer");
    const groundTruth = extractBoxed(raw.answer);
    if (groundTruth === null || groundTruth.trim() === "") {
      throw fail("answer", `no non-empty \\boxed{...} in answer ${JSON.stringify(raw.answer.slice(0, 80))}`);
    }
    const prompt = buildPrompt(raw.question, entry.images.length, instruction);
    if (prompt === null) {
      throw fail(
        "question",
        `the <image> tokens in the question do not match its ${entry.images.length} image(s)`,
      );
    }
    return {
      id: entry.qid,
      prompt,
      groundTruth,
      images: await readImages(entry.images, images, minImageSide, "image", context),
      category: entry.category,
      source: entry.source,
      passRate32B: entry.passRate32B,
      passRate7B: entry.passRate7B,
    };
  };
  return Object.assign(new RowDataset(kept, build, options), { counts });
}
