import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import type { SchemaElement } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import sharp from "sharp";

/** A solid-colour image of the given size, encoded as PNG or JPEG by sharp. */
export async function makeImage(
  width: number,
  height: number,
  format: "png" | "jpeg",
  red = 200,
): Promise<Uint8Array> {
  const buffer = await sharp({ create: { width, height, channels: 3, background: { r: red, g: 80, b: 40 } } })
    .toFormat(format)
    .toBuffer();
  return new Uint8Array(buffer);
}

export interface VirlRow {
  question: string | null;
  answer: string | null;
  passRate32B: number;
  passRate7B: number;
  category: string;
  source: string;
  qid: string;
  image: string[];
}

const listOfStrings = (name: string): SchemaElement[] => [
  { name, repetition_type: "OPTIONAL" as const, converted_type: "LIST" as const, num_children: 1 },
  { name: "list", repetition_type: "REPEATED" as const, num_children: 1 },
  {
    name: "element",
    type: "BYTE_ARRAY" as const,
    converted_type: "UTF8" as const,
    repetition_type: "OPTIONAL" as const,
  },
];
const text = (name: string): SchemaElement => ({
  name,
  type: "BYTE_ARRAY" as const,
  converted_type: "UTF8" as const,
  repetition_type: "OPTIONAL" as const,
});
const float = (name: string): SchemaElement => ({
  name,
  type: "FLOAT" as const,
  repetition_type: "OPTIONAL" as const,
});

/** Writes rows in the ViRL39K schema (column order as released), with `rowGroupSize` rows per row group. */
export async function writeVirlParquet(
  path: string,
  rows: readonly VirlRow[],
  options: { rowGroupSize?: number; codec?: "SNAPPY" | "GZIP" | "UNCOMPRESSED"; omit?: string } = {},
): Promise<void> {
  const columns: { name: string; data: unknown[]; schema: SchemaElement[] }[] = [
    { name: "question", data: rows.map((r) => r.question), schema: [text("question")] },
    { name: "answer", data: rows.map((r) => r.answer), schema: [text("answer")] },
    {
      name: "PassRate_32BTrained",
      data: rows.map((r) => r.passRate32B),
      schema: [float("PassRate_32BTrained")],
    },
    { name: "PassRate_7BBase", data: rows.map((r) => r.passRate7B), schema: [float("PassRate_7BBase")] },
    { name: "category", data: rows.map((r) => r.category), schema: [text("category")] },
    { name: "source", data: rows.map((r) => r.source), schema: [text("source")] },
    { name: "qid", data: rows.map((r) => r.qid), schema: [text("qid")] },
    { name: "image", data: rows.map((r) => r.image), schema: listOfStrings("image") },
  ].filter((column) => column.name !== options.omit);
  const buffer = parquetWriteBuffer({
    columnData: columns.map(({ name, data }) => ({
      name,
      data: data as string[],
      // the released file dictionary-encodes its repetitive text columns
      ...(name === "category" || name === "source" ? { encoding: "RLE_DICTIONARY" as const } : {}),
    })),
    schema: [{ name: "root", num_children: columns.length }, ...columns.flatMap((c) => c.schema)],
    rowGroupSize: options.rowGroupSize ?? 1000,
    codec: options.codec ?? "SNAPPY",
    compressors: { GZIP: (input) => new Uint8Array(gzipSync(input)) },
  });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, new Uint8Array(buffer));
}

export interface GeometryRow {
  images: { bytes: Uint8Array | null; path: string }[];
  problem: string;
  answer: string;
  id: string;
  choices: string[];
  ground_truth: string;
}

/** Writes rows in the Hugging Face Geometry3K schema (`images` as list<struct<bytes, path>>). */
export async function writeGeometryParquet(path: string, rows: readonly GeometryRow[]): Promise<void> {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "images", data: rows.map((r) => r.images) },
      { name: "problem", data: rows.map((r) => r.problem) },
      { name: "answer", data: rows.map((r) => r.answer) },
      { name: "id", data: rows.map((r) => r.id) },
      { name: "choices", data: rows.map((r) => r.choices) },
      { name: "ground_truth", data: rows.map((r) => r.ground_truth) },
    ],
    schema: [
      { name: "root", num_children: 6 },
      { name: "images", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      { name: "element", repetition_type: "OPTIONAL", num_children: 2 },
      { name: "bytes", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" },
      { name: "path", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
      text("problem"),
      text("answer"),
      text("id"),
      ...listOfStrings("choices"),
      text("ground_truth"),
    ],
    rowGroupSize: 2,
  });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, new Uint8Array(buffer));
}

/** Writes `files` (relative path to bytes) into a real zip, deflated. */
export async function writeZip(path: string, files: Record<string, Uint8Array>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, zipSync(files, { level: 6 }));
}

/** Writes `files` (relative path to bytes) under `root`. */
export async function writeFolder(root: string, files: Record<string, Uint8Array>): Promise<void> {
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(dirname(`${root}/${name}`), { recursive: true });
    await writeFile(`${root}/${name}`, bytes);
  }
}
