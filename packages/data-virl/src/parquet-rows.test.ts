import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadataAsync } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type VirlRow, writeVirlParquet } from "../test/fixtures.js";
import { fileAsyncBuffer } from "./file-async-buffer.js";
import { ParquetRows } from "./parquet-rows.js";

const rows: VirlRow[] = Array.from({ length: 23 }, (_, i) => ({
  question: `<image>\nquestion ${i}`,
  answer: `\\boxed{${i}}`,
  passRate32B: i / 32,
  passRate7B: i % 3 === 0 ? -1 : i / 64,
  category: ["Spatial", "Chart", "Math"][i % 3] as string,
  source: "src",
  qid: `q${i}`,
  image: i % 5 === 0 ? [`images/q${i}-0.png`, `images/q${i}-1.png`] : [`images/q${i}-0.png`],
}));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parquet-rows-"));
  await writeVirlParquet(join(dir, "snappy.parquet"), rows, { rowGroupSize: 5 });
  await writeVirlParquet(join(dir, "gzip.parquet"), rows, { rowGroupSize: 10, codec: "GZIP" });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("ParquetRows", () => {
  it("sees the row groups the writer made, and a dictionary-encoded category column", async () => {
    const table = await ParquetRows.open(join(dir, "snappy.parquet"), ["qid"]);
    expect(table.numRows).toBe(23);
    expect(table.groupStarts).toEqual([0, 5, 10, 15, 20, 23]);
    const metadata = await parquetMetadataAsync(await fileAsyncBuffer(join(dir, "snappy.parquet")));
    const category = metadata.row_groups[0]?.columns.find(
      (c) => c.meta_data?.path_in_schema[0] === "category",
    );
    expect(category?.meta_data?.codec).toBe("SNAPPY");
    expect(category?.meta_data?.encodings).toContain("RLE_DICTIONARY");
  });

  it("scans small columns row group by row group", async () => {
    const table = await ParquetRows.open(join(dir, "snappy.parquet"), ["qid"]);
    const seen: [number, number][] = [];
    const qids: string[] = [];
    await table.scan(["qid", "image"], (block, first) => {
      seen.push([first, block.length]);
      for (const row of block) {
        qids.push(row.qid as string);
        expect(Object.keys(row).sort()).toEqual(["image", "qid"]);
      }
    });
    expect(seen).toEqual([
      [0, 5],
      [5, 5],
      [10, 5],
      [15, 5],
      [20, 3],
    ]);
    expect(qids).toEqual(rows.map((r) => r.qid));
  });

  it("reads any row, across groups and windows smaller than a group, in any order", async () => {
    for (const [file, blockRows] of [
      ["snappy.parquet", 512],
      ["snappy.parquet", 2],
      ["gzip.parquet", 3],
    ] as const) {
      const table = await ParquetRows.open(join(dir, file), ["qid"], { blockRows, cachedBlocks: 2 });
      for (const i of [22, 0, 7, 13, 4, 19, 10, 9]) {
        const row = await table.row(i, ["qid", "question", "image", "PassRate_7BBase"]);
        const expected = rows[i] as VirlRow;
        expect(row.qid).toBe(expected.qid);
        expect(row.question).toBe(expected.question);
        expect(row.image).toEqual(expected.image);
        expect(row.PassRate_7BBase).toBeCloseTo(expected.passRate7B, 6);
      }
    }
  });

  it("names the file for a missing parquet and lists the columns for a missing one", async () => {
    await expect(ParquetRows.open(join(dir, "nope.parquet"), [])).rejects.toThrow(
      `parquet file not found: ${join(dir, "nope.parquet")}`,
    );
    await expect(ParquetRows.open(join(dir, "snappy.parquet"), ["qid", "solution"])).rejects.toThrow(
      /snappy\.parquet: missing column\(s\) "solution"; found "question", "answer"/,
    );
  });

  it("rejects rows out of range", async () => {
    const table = await ParquetRows.open(join(dir, "snappy.parquet"), []);
    await expect(table.row(23, ["qid"])).rejects.toThrow(/row 23 out of range \[0, 23\)/);
  });
});
