import { describe, expect, it } from "vitest";
import { InvalidRowError } from "./invalid-row-error.js";
import { RowDataset } from "./row-dataset.js";

const bad = new Set([3, 4, 9]);
const build = async (row: number) => {
  if (bad.has(row))
    throw new InvalidRowError({
      file: "f.parquet",
      rowId: `r${row}`,
      column: "answer",
      row,
      problem: "empty",
    });
  if (row === 7) throw new Error("disk on fire");
  return `example ${row}`;
};

describe("RowDataset", () => {
  it("throws the row's error from get and iteration when not skipping", async () => {
    const data = new RowDataset([0, 3], build);
    expect(await data.get(0)).toBe("example 0");
    await expect(data.get(1)).rejects.toThrow('f.parquet: row 3 (id "r3"), column "answer": empty');
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const example of data) seen.push(example);
      })(),
    ).rejects.toBeInstanceOf(InvalidRowError);
    expect(seen).toEqual(["example 0"]);
    await expect(data.get(2)).rejects.toThrow(/get\(2\): index out of range \[0, 2\)/);
  });

  it("skips invalid rows in iteration, reports each once, and counts them at the end", async () => {
    const skips: string[] = [];
    const summaries: [number, number][] = [];
    const data = new RowDataset([0, 3, 1, 4, 2, 9], build, {
      skipInvalid: true,
      onSkip: (error) => skips.push(error.rowId),
      onSkipSummary: (skipped, length) => summaries.push([skipped, length]),
    });
    const seen: string[] = [];
    for await (const example of data) seen.push(example);
    expect(seen).toEqual(["example 0", "example 1", "example 2"]);
    expect(skips).toEqual(["r3", "r4", "r9"]);
    expect(summaries).toEqual([[3, 6]]);
    expect(data.skipped).toBe(3);
    expect(data.skippedErrors.map((e) => e.column)).toEqual(["answer", "answer", "answer"]);
    // a second pass reports the count again but does not re-log the rows
    for await (const _ of data) {
    }
    expect(skips).toHaveLength(3);
    expect(summaries).toEqual([
      [3, 6],
      [3, 6],
    ]);
  });

  it("get on an invalid row returns the next valid one, wrapping around", async () => {
    const data = new RowDataset([0, 3, 1, 4, 2, 9], build, { skipInvalid: true, onSkip: () => {} });
    expect(await data.get(1)).toBe("example 1");
    expect(await data.get(3)).toBe("example 2");
    expect(await data.get(5)).toBe("example 0");
    expect(data.skipped).toBe(3);
  });

  it("still throws errors that are not about a row, and fails when every row is invalid", async () => {
    const data = new RowDataset([7], build, { skipInvalid: true, onSkip: () => {} });
    await expect(data.get(0)).rejects.toThrow("disk on fire");
    const none = new RowDataset([3, 4], build, { skipInvalid: true, onSkip: () => {} });
    await expect(none.get(0)).rejects.toThrow(/all 2 rows are invalid/);
  });
});
