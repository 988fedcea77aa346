import { InvalidRowError } from "./invalid-row-error.js";
import type { ExampleDataset } from "./types.js";

/** How a dataset treats rows that cannot become examples. */
export interface SkipOptions {
  /** Skip invalid rows (reporting each through `onSkip`) instead of throwing. Default false. */
  skipInvalid?: boolean;
  /** Called once per invalid row when `skipInvalid`; default `console.warn`. */
  onSkip?: (error: InvalidRowError) => void;
  /** Called at the end of a full iteration pass that skipped rows; default `console.warn`. */
  onSkipSummary?: (skipped: number, length: number) => void;
}

/**
 * An {@link ExampleDataset} over a fixed list of physical rows, built lazily by `build(row)`. With
 * `skipInvalid`, iteration leaves invalid rows out and `get(i)` on an invalid row returns the next valid one
 * (wrapping around), so a trainer indexing by position always gets an example; every skip is reported once.
 *
 * @example
 * const data = new RowDataset([0, 2, 4], async (row) => ({ id: `r${row}` }), { skipInvalid: true });
 * await data.get(1); // { id: "r2" }
 */
export class RowDataset<E> implements ExampleDataset<E> {
  private readonly invalid = new Map<number, InvalidRowError>();
  private readonly onSkip: (error: InvalidRowError) => void;
  private readonly onSkipSummary: (skipped: number, length: number) => void;

  constructor(
    /** Physical row of each position. */
    readonly rows: readonly number[],
    private readonly build: (row: number) => Promise<E>,
    private readonly skip: SkipOptions = {},
  ) {
    this.onSkip = skip.onSkip ?? ((error) => console.warn(`skipped invalid row: ${error.message}`));
    this.onSkipSummary =
      skip.onSkipSummary ??
      ((skipped, length) => console.warn(`skipped ${skipped} invalid row(s) of ${length}`));
  }

  get length(): number {
    return this.rows.length;
  }

  /** Number of distinct invalid rows met so far (only non-zero with `skipInvalid`). */
  get skipped(): number {
    return this.invalid.size;
  }

  /** The errors of the rows skipped so far, in the order they were met. */
  get skippedErrors(): readonly InvalidRowError[] {
    return [...this.invalid.values()];
  }

  async get(i: number): Promise<E> {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows.length) {
      throw new RangeError(`get(${i}): index out of range [0, ${this.rows.length})`);
    }
    if (!this.skip.skipInvalid) return this.build(this.rows[i] as number);
    for (let step = 0; step < this.rows.length; step++) {
      const example = await this.tryBuild((i + step) % this.rows.length);
      if (example !== undefined) return example;
    }
    throw new Error(
      `get(${i}): all ${this.rows.length} rows are invalid; first: ${this.skippedErrors[0]?.message}`,
    );
  }

  async *[Symbol.asyncIterator](): AsyncIterator<E> {
    let skippedNow = 0;
    for (let i = 0; i < this.rows.length; i++) {
      if (!this.skip.skipInvalid) {
        yield await this.build(this.rows[i] as number);
        continue;
      }
      const example = await this.tryBuild(i);
      if (example === undefined) skippedNow++;
      else yield example;
    }
    if (skippedNow > 0) this.onSkipSummary(skippedNow, this.rows.length);
  }

  private async tryBuild(position: number): Promise<E | undefined> {
    const row = this.rows[position] as number;
    if (this.invalid.has(row)) return undefined;
    try {
      return await this.build(row);
    } catch (error) {
      if (!(error instanceof InvalidRowError)) throw error;
      this.invalid.set(row, error);
      this.onSkip(error);
      return undefined;
    }
  }
}
