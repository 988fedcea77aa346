import { access } from "node:fs/promises";
import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { fileAsyncBuffer } from "./file-async-buffer.js";
import { LruCache } from "./lru-cache.js";

export type Row = Record<string, unknown>;

/** Options of {@link ParquetRows.open}. */
export interface ParquetRowsOptions {
  /** Largest number of rows decoded at once by `row()`; big row groups are read in windows of this size. */
  blockRows?: number;
  /** How many decoded blocks `row()` keeps. */
  cachedBlocks?: number;
  /** Decode unannotated BYTE_ARRAY columns as text (hyparquet's `utf8`). */
  utf8?: boolean;
}

/**
 * Streaming access to a parquet file on disk: `scan` visits chosen columns row group by row group, `row` reads
 * one row through a small LRU cache of decoded blocks (a row group, or a window of it when the group is large).
 * The table is never held in memory whole.
 *
 * @example
 * const rows = await ParquetRows.open("root/39Krelease.parquet", ["qid", "question"]);
 * await rows.scan(["qid"], (block, start) => console.log(start, block.length));
 * const row = await rows.row(12, ["qid", "question"]);
 */
export class ParquetRows {
  readonly numRows: number;
  /** Physical index of the first row of each row group, then `numRows`. */
  readonly groupStarts: readonly number[];
  private readonly cache: LruCache<string, Promise<Row[]>>;

  private constructor(
    readonly path: string,
    private readonly file: AsyncBuffer,
    private readonly metadata: FileMetaData,
    private readonly options: Required<ParquetRowsOptions>,
  ) {
    this.numRows = Number(metadata.num_rows);
    const starts = [0];
    for (const group of metadata.row_groups) starts.push((starts.at(-1) as number) + Number(group.num_rows));
    this.groupStarts = starts;
    this.cache = new LruCache(options.cachedBlocks);
  }

  /** Opens `path`, reads its footer and checks that every name in `requiredColumns` is a top-level column. */
  static async open(path: string, requiredColumns: readonly string[], options: ParquetRowsOptions = {}) {
    try {
      await access(path);
    } catch {
      throw new Error(`parquet file not found: ${path}`);
    }
    const file = await fileAsyncBuffer(path);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (cause) {
      throw new Error(`${path}: not a readable parquet file (${(cause as Error).message})`, { cause });
    }
    const present = new Set(parquetSchema(metadata).children.map((child) => child.element.name));
    const missing = requiredColumns.filter((name) => !present.has(name));
    if (missing.length > 0) {
      throw new Error(
        `${path}: missing column(s) ${missing.map((m) => `"${m}"`).join(", ")}; found ${[...present].map((m) => `"${m}"`).join(", ")}`,
      );
    }
    return new ParquetRows(path, file, metadata, {
      blockRows: options.blockRows ?? 512,
      cachedBlocks: options.cachedBlocks ?? 4,
      utf8: options.utf8 ?? true,
    });
  }

  hasColumn(name: string): boolean {
    return parquetSchema(this.metadata).children.some((child) => child.element.name === name);
  }

  /** Calls `visit(rows, firstRow)` for each row group in order, decoding only `columns`. */
  async scan(columns: readonly string[], visit: (rows: Row[], firstRow: number) => void): Promise<void> {
    for (let g = 0; g + 1 < this.groupStarts.length; g++) {
      const start = this.groupStarts[g] as number;
      visit(await this.read(columns, start, this.groupStarts[g + 1] as number), start);
    }
  }

  /** Row `index` (physical), with `columns` decoded. */
  async row(index: number, columns: readonly string[]): Promise<Row> {
    if (!Number.isInteger(index) || index < 0 || index >= this.numRows) {
      throw new RangeError(`${this.path}: row ${index} out of range [0, ${this.numRows})`);
    }
    const [start, end] = this.blockOf(index);
    const key = `${start}:${columns.join("\u0000")}`;
    let block = this.cache.get(key);
    if (block === undefined) {
      block = this.read(columns, start, end);
      this.cache.set(key, block);
      block.catch(() => this.cache.delete(key));
    }
    return (await block)[index - start] as Row;
  }

  /** [start, end) of the block holding `index`: its row group, cut into windows of `blockRows`. */
  private blockOf(index: number): [number, number] {
    let lo = 0;
    let hi = this.groupStarts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.groupStarts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    const groupStart = this.groupStarts[lo] as number;
    const groupEnd = this.groupStarts[lo + 1] as number;
    const size = this.options.blockRows;
    const start = groupStart + Math.floor((index - groupStart) / size) * size;
    return [start, Math.min(start + size, groupEnd)];
  }

  private async read(columns: readonly string[], rowStart: number, rowEnd: number): Promise<Row[]> {
    let rows: Row[] = [];
    await parquetRead({
      file: this.file,
      metadata: this.metadata,
      columns: [...columns],
      rowStart,
      rowEnd,
      compressors,
      utf8: this.options.utf8,
      useOffsetIndex: true,
      rowFormat: "object",
      onComplete: (data: Row[]) => {
        rows = data;
      },
    });
    return rows;
  }
}
