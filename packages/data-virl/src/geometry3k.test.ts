import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GeometryRow, makeImage, writeGeometryParquet } from "../test/fixtures.js";
import { findGeometry3KFile, loadGeometry3K } from "./geometry3k.js";
import { InvalidRowError } from "./invalid-row-error.js";
import { REFERENCE_INSTRUCTION } from "./prompt.js";

let dir: string;
let rows: GeometryRow[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "geometry3k-"));
  const png = await makeImage(60, 40, "png");
  const tiny = await makeImage(10, 20, "jpeg");
  const base = { choices: ["1", "2", "3", "4"], ground_truth: "B" };
  rows = [
    {
      ...base,
      id: "2101",
      images: [{ bytes: png, path: "img_diagram.png" }],
      problem: "<image>Find x.",
      answer: "2",
    },
    {
      ...base,
      id: "2102",
      images: [{ bytes: tiny, path: "small.jpg" }],
      problem: "Find the area.",
      answer: " 12.5 ",
    },
    { ...base, id: "2103", images: [{ bytes: png, path: "p.png" }], problem: "<image>Find y.", answer: "" },
    {
      ...base,
      id: "2104",
      images: [{ bytes: null, path: "gone.png" }],
      problem: "<image>Find z.",
      answer: "3",
    },
    {
      ...base,
      id: "2105",
      images: [{ bytes: new Uint8Array(50).fill(1), path: "junk.png" }],
      problem: "<image>w",
      answer: "4",
    },
  ];
  await writeGeometryParquet(join(dir, "hf", "data", "test-00000-of-00001.parquet"), rows);
  await writeGeometryParquet(join(dir, "flat", "validation.parquet"), rows.slice(0, 2));
  await mkdir(join(dir, "empty"), { recursive: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("loadGeometry3K", () => {
  it("finds data/<split>-00000-of-00001.parquet or <split>.parquet, and names both when neither exists", async () => {
    expect(await findGeometry3KFile(join(dir, "hf"), "test")).toBe(
      join(dir, "hf", "data", "test-00000-of-00001.parquet"),
    );
    expect(await findGeometry3KFile(join(dir, "flat"), "validation")).toBe(
      join(dir, "flat", "validation.parquet"),
    );
    await expect(loadGeometry3K({ root: join(dir, "empty"), split: "train" })).rejects.toThrow(
      /no parquet for split "train": expected .*data\/train-00000-of-00001\.parquet or .*train\.parquet/,
    );
    await expect(loadGeometry3K({ root: join(dir, "hf"), split: "dev" as "test" })).rejects.toThrow(
      /split must be/,
    );
  });

  it("builds examples: <image> handling, the instruction, the answer as ground truth, the image bytes", async () => {
    const data = await loadGeometry3K({ root: join(dir, "hf"), split: "test" });
    expect(data.length).toBe(5);
    expect(await data.get(0)).toEqual({
      id: "2101",
      prompt: `<image>Find x.\n${REFERENCE_INSTRUCTION}`,
      groundTruth: "2",
      images: [rows[0]?.images[0]?.bytes],
      category: "geometry",
      source: "geometry3k",
      passRate32B: null,
      passRate7B: null,
    });
    const second = await data.get(1);
    expect(second.prompt).toBe(`<image>\nFind the area.\n${REFERENCE_INSTRUCTION}`);
    expect(second.groundTruth).toBe("12.5");
    const { width, height, format } = await sharp(second.images[0]).metadata();
    expect([width, height, format]).toEqual([28, 56, "jpeg"]);
    const flat = await loadGeometry3K({ root: join(dir, "flat"), split: "validation", instruction: "" });
    expect((await flat.get(0)).prompt).toBe("<image>Find x.");
  });

  it("raises bad rows from get(i) with file, id and column; skips them with skipInvalid", async () => {
    const file = join(dir, "hf", "data", "test-00000-of-00001.parquet");
    const data = await loadGeometry3K({ root: join(dir, "hf"), split: "test" });
    const cases: [number, string, RegExp][] = [
      [2, "answer", /empty answer/],
      [3, "images", /image gone\.png is missing/],
      [4, "images", /image junk\.png cannot be decoded/],
    ];
    for (const [i, column, problem] of cases) {
      const error = (await data.get(i).catch((e: unknown) => e)) as InvalidRowError;
      expect(error).toBeInstanceOf(InvalidRowError);
      expect([error.file, error.rowId, error.column]).toEqual([file, rows[i]?.id, column]);
      expect(error.message).toMatch(problem);
    }
    const skipped: string[] = [];
    const skipping = await loadGeometry3K({
      root: join(dir, "hf"),
      split: "test",
      skipInvalid: true,
      onSkip: (e) => skipped.push(e.rowId),
      onSkipSummary: () => {},
    });
    const ids: string[] = [];
    for await (const example of skipping) ids.push(example.id);
    expect(ids).toEqual(["2101", "2102"]);
    expect(skipped).toEqual(["2103", "2104", "2105"]);
    expect(skipping.skipped).toBe(3);
  });
});
