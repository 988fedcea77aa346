import { open, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { readSafetensorsHeader, readTensor } from "../src/safetensors/read";

/** The tiny random Idefics3 folders written by scripts/make-fixtures.py. */
export const FIXTURES = ["tiny-idefics3-tied", "tiny-idefics3-untied"] as const;
export type FixtureName = (typeof FIXTURES)[number];

export function fixtureDir(name: FixtureName): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export interface FixtureCase {
  input_ids: number[][];
  attention_mask: number[][];
}

/** What the Python reference computed for one fixture. */
export interface FixtureCases {
  image_seq_len: number;
  rendered: { image: string[]; text: string[] };
  cases: Record<"image" | "text" | "mixed", FixtureCase>;
  greedy: { tokens: number[][]; min_top2_gap: number };
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
}

export async function loadCases(name: FixtureName): Promise<FixtureCases> {
  const base = fileURLToPath(new URL(`./fixtures/${name}.cases`, import.meta.url));
  const json = JSON.parse(await readFile(`${base}.json`, "utf8"));
  const header = await readSafetensorsHeader(`${base}.safetensors`);
  const handle = await open(`${base}.safetensors`, "r");
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  try {
    for (const [key, entry] of header.tensors)
      tensors.set(key, { shape: entry.shape, data: await readTensor(handle, entry) });
  } finally {
    await handle.close();
  }
  return { ...json, tensors };
}

/** Largest |a - b| over positions where `mask` is 1 (`a`, `b` flat `[B, L, V]`). */
export function maxDiffAtRealPositions(
  a: Float32Array,
  b: Float32Array,
  mask: number[][],
  vocab: number,
): number {
  let worst = 0;
  const length = (mask[0] as number[]).length;
  mask.forEach((row, r) => {
    row.forEach((m, l) => {
      if (m !== 1) return;
      const at = (r * length + l) * vocab;
      for (let v = 0; v < vocab; v++)
        worst = Math.max(worst, Math.abs((a[at + v] as number) - (b[at + v] as number)));
    });
  });
  return worst;
}

/** A reference tensor of the fixture; an error when the fixture lacks it. */
export function reference(cases: FixtureCases, key: string): { shape: number[]; data: Float32Array } {
  const found = cases.tensors.get(key);
  if (found === undefined)
    throw new Error(`the fixture has no tensor "${key}": rerun scripts/make-fixtures.py`);
  return found;
}
