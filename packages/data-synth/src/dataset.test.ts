import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { makeSynthDataset, sampleSplitProblem } from "./dataset";
import type { SynthExample } from "./generate";
import { SYNTH_FAMILIES, SYNTH_V2_FAMILIES, type SynthFamily, type SynthProblem } from "./problem";
import type { SynthSplit } from "./split";
import type { SynthVersion } from "./version";

/** Identity as the brief defines it, rebuilt from the question and the values it asks about (not from `key`). */
function identity(problem: SynthProblem): string {
  const named = problem.question.match(/[a-z]+/g) ?? [];
  const asked = named.filter((name) => name in problem.values).sort();
  return `${problem.family}|${problem.question}|${asked.map((n) => `${n}=${problem.values[n]}`).join(",")}`;
}

function identities(split: SynthSplit, seed: number, count: number, version: SynthVersion = 1): Set<string> {
  const families = version === 1 ? SYNTH_FAMILIES : SYNTH_V2_FAMILIES;
  const out = new Set<string>();
  for (let i = 0; i < count; i++) {
    const family = families[i % families.length] as SynthFamily;
    out.add(identity(sampleSplitProblem(split, seed, i, family, version === 1 ? 32 : 64, version)));
  }
  return out;
}

describe("makeSynthDataset", () => {
  it("keeps test problems out of train, across seeds, over thousands of problems", () => {
    const train = new Set([...identities("train", 0, 3000), ...identities("train", 1, 3000)]);
    const test = new Set([...identities("test", 0, 1000), ...identities("test", 9, 1000)]);
    for (const id of test) expect(train.has(id), id).toBe(false);
    for (const family of SYNTH_FAMILIES) {
      const inTest = [...test].filter((id) => id.startsWith(`${family}|`)).length;
      expect(inTest, `${family} has several distinct test problems`).toBeGreaterThan(4);
    }
    // Roughly a quarter of all problem identities are test problems.
    const share = test.size / (test.size + train.size);
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.4);
  });

  it("is deterministic by seed and differs across seeds", async () => {
    const a = makeSynthDataset({ split: "train", size: 8, seed: 5 });
    const b = makeSynthDataset({ split: "train", size: 8, seed: 5 });
    const c = makeSynthDataset({ split: "train", size: 8, seed: 6 });
    const [ea, eb, ec] = await Promise.all(
      [a, b, c].map((d) => Promise.all([0, 1, 2, 3].map((i) => d.get(i)))),
    );
    expect(eb).toEqual(ea);
    expect((ec as SynthExample[]).map((e) => e.referenceResponse)).not.toEqual(
      (ea as SynthExample[]).map((e) => e.referenceResponse),
    );
  });

  it("pins the first train and test examples of seed 0 (checkpoints trained on them stay reproducible)", async () => {
    const train = makeSynthDataset({ split: "train", size: 4, seed: 0 });
    const test = makeSynthDataset({ split: "test", size: 2, seed: 0 });
    const text = async (d: typeof train, i: number) => {
      const e = await d.get(i);
      return `${e.prompt.slice(8)} ${e.referenceResponse}`;
    };
    expect(await Promise.all([0, 1, 2, 3].map((i) => text(train, i)))).toEqual([
      "taller:green,blue? <think>green=7 blue=4 7>4</think>\\boxed{green}",
      "yellow*4? <think>yellow=6 6*4=24</think>\\boxed{24}",
      "row+col? <think>row=1 col=3 1+3=4</think>\\boxed{4}",
      "top+bottom? <think>top=2 bottom=4 2+4=6</think>\\boxed{6}",
    ]);
    expect(await Promise.all([0, 1].map((i) => text(test, i)))).toEqual([
      "purple-cyan? <think>purple=1 cyan=1 1-1=0</think>\\boxed{0}",
      "red*3? <think>red=6 6*3=18</think>\\boxed{18}",
    ]);
  });

  it("cycles families, gives unique ids, iterates in order, and caches get(i)", async () => {
    const dataset = makeSynthDataset({ split: "test", size: 9, seed: 2, imageSize: 48 });
    expect(dataset.length).toBe(9);
    const iterated: SynthExample[] = [];
    for await (const example of dataset) iterated.push(example);
    expect(iterated.map((e) => e.family)).toEqual([...SYNTH_FAMILIES, ...SYNTH_FAMILIES, "bars"]);
    expect(new Set(iterated.map((e) => e.id)).size).toBe(9);
    for (let i = 0; i < 9; i++) expect(await dataset.get(i)).toBe(iterated[i]);
    const fresh = makeSynthDataset({ split: "test", size: 9, seed: 2, imageSize: 48 });
    expect(await fresh.get(4)).toEqual(iterated[4]);
  });

  it("restricts to the requested families", async () => {
    const dataset = makeSynthDataset({ split: "train", size: 5, families: ["grid", "segments"] });
    const families = await Promise.all([0, 1, 2, 3, 4].map(async (i) => (await dataset.get(i)).family));
    expect(families).toEqual(["grid", "segments", "grid", "segments", "grid"]);
  });

  it("allows an empty dataset", async () => {
    const dataset = makeSynthDataset({ split: "train", size: 0 });
    expect(dataset.length).toBe(0);
    const all: SynthExample[] = [];
    for await (const example of dataset) all.push(example);
    expect(all).toEqual([]);
  });

  it("rejects bad options and indices with messages naming them", async () => {
    const make = (options: object) => () =>
      makeSynthDataset(options as Parameters<typeof makeSynthDataset>[0]);
    expect(make({ split: "train", size: -1 })).toThrow(/size must be a non-negative integer, got -1/);
    expect(make({ split: "train", size: 2.5 })).toThrow(/size.*got 2.5/);
    expect(make({ split: "valid", size: 1 })).toThrow(/split must be "train" or "test", got "valid"/);
    expect(make({ split: "train", size: 1, imageSize: 8 })).toThrow(
      /imageSize must be an integer from 16.*got 8/,
    );
    expect(make({ split: "train", size: 1, families: ["bars", "pie"] })).toThrow(/unknown family "pie"/);
    expect(make({ split: "train", size: 1, families: [] })).toThrow(/families must be a non-empty array/);
    expect(make({ split: "train", size: 1, seed: 0.5 })).toThrow(/seed must be an integer/);
    const dataset = makeSynthDataset({ split: "train", size: 3 });
    await expect(dataset.get(3)).rejects.toThrow(/index 3 out of range \[0, 3\)/);
    await expect(dataset.get(-1)).rejects.toThrow(/index -1 out of range/);
    await expect(dataset.get(1.5)).rejects.toThrow(/index 1.5 out of range/);
  });
});

describe("makeSynthDataset, version 1 stays as it was", () => {
  it("gives the same 800 problems, pixel for pixel, as before version 2 existed", async () => {
    // The digest was computed from main before version 2 was added (text, labels, values and decoded pixels).
    const hash = createHash("sha256");
    for (const split of ["train", "test"] as const) {
      for (const imageSize of [32, 48]) {
        const dataset = makeSynthDataset({ split, size: 200, seed: 3, imageSize });
        for (let i = 0; i < dataset.length; i++) {
          const e = await dataset.get(i);
          hash.update(
            JSON.stringify([
              e.id,
              e.prompt,
              e.groundTruth,
              e.family,
              e.referenceResponse,
              [...e.perceptionLabels],
              e.values,
            ]),
          );
          hash.update(
            await sharp(e.images[0] as Uint8Array)
              .raw()
              .toBuffer(),
          );
        }
      }
    }
    expect(hash.digest("hex")).toBe("31fcf2b39c2e3d3fb5997e9c3f6a95b595750fbd63c3eadab930edfe6d76c219");
  });

  it("is the default version, and version 1 asked for explicitly is the same", async () => {
    const implicit = makeSynthDataset({ split: "test", size: 4, seed: 2 });
    const explicit = makeSynthDataset({ split: "test", size: 4, seed: 2, version: 1 });
    for (let i = 0; i < 4; i++) expect(await explicit.get(i)).toEqual(await implicit.get(i));
    expect((await implicit.get(0)).id).toBe("synth-test-2-0");
  });
});

describe("makeSynthDataset, version 2", () => {
  it("keeps test problems out of train across seeds, with hundreds of distinct test problems per family", () => {
    const train = new Set([...identities("train", 0, 8000, 2), ...identities("train", 1, 8000, 2)]);
    const test = new Set([...identities("test", 0, 4000, 2), ...identities("test", 9, 4000, 2)]);
    for (const id of test) expect(train.has(id), id).toBe(false);
    for (const family of SYNTH_V2_FAMILIES) {
      const inTest = [...test].filter((id) => id.startsWith(`${family}|`)).length;
      expect(inTest, `${family} has many distinct test problems`).toBeGreaterThan(140);
    }
    const share = test.size / (test.size + train.size);
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.4);
  });

  it("renders 64 px by default, cycles bars, dots, grid, numbers, and never names a colour", async () => {
    const dataset = makeSynthDataset({ split: "train", size: 8, seed: 4, version: 2 });
    const examples = await Promise.all(Array.from({ length: 8 }, (_, i) => dataset.get(i)));
    expect(examples.map((e) => e.family)).toEqual([...SYNTH_V2_FAMILIES, ...SYNTH_V2_FAMILIES]);
    expect(examples[0]?.id).toBe("synth2-train-4-0");
    for (const e of examples) {
      const { info } = await sharp(e.images[0] as Uint8Array)
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([64, 64, 3]);
    }
    for (let i = 0; i < 400; i++) {
      const problem = sampleSplitProblem("train", 5, i, SYNTH_V2_FAMILIES[i % 4] as SynthFamily, 64, 2);
      expect(problem.question).not.toMatch(/red|green|blue|yellow|purple|cyan/);
      expect(problem.key.startsWith("v2|")).toBe(true);
    }
  });

  it("pins the first train and test examples of seed 0", async () => {
    const text = async (split: SynthSplit, i: number) => {
      const e = await makeSynthDataset({ split, size: 4, seed: 0, version: 2 }).get(i);
      return `${e.prompt.slice(8)} ${e.referenceResponse}`;
    };
    expect(await Promise.all([0, 1, 2, 3].map((i) => text("train", i)))).toEqual(PINNED_V2_TRAIN);
    expect(await Promise.all([0, 1].map((i) => text("test", i)))).toEqual(PINNED_V2_TEST);
  });

  it("rejects a bad version, an image size that is not a multiple of 64 and version 1 families", () => {
    const make = (options: object) => () =>
      makeSynthDataset(options as Parameters<typeof makeSynthDataset>[0]);
    expect(make({ split: "train", size: 1, version: 3 })).toThrow(/version must be 1 or 2, got 3/);
    expect(make({ split: "train", size: 1, version: 2, imageSize: 96 })).toThrow(
      /version 2 imageSize must be a multiple of 64 from 64 to 1024.*got 96/,
    );
    expect(make({ split: "train", size: 1, version: 2, imageSize: 32 })).toThrow(/got 32/);
    expect(make({ split: "train", size: 1, version: 2, families: ["shapes"] })).toThrow(
      /unknown family "shapes" for version 2; expected one of bars, dots, grid, numbers/,
    );
    expect(make({ split: "train", size: 1, families: ["numbers"] })).toThrow(
      /unknown family "numbers" for version 1/,
    );
  });
});

const PINNED_V2_TRAIN = [
  "right-left? <think>right=5 left=4 5-4=1</think>\\boxed{1}",
  "more:right,left? <think>right=10 left=4 10>4</think>\\boxed{right}",
  "xcol*ocol? <think>xcol=4 ocol=2 4*2=8</think>\\boxed{8}",
  "larger:bottom,top? <think>bottom=29 top=31 29<31</think>\\boxed{top}",
];
const PINNED_V2_TEST = [
  "taller:right,mid? <think>right=5 mid=3 5>3</think>\\boxed{right}",
  "right-left? <think>right=2 left=9 2-9=-7</think>\\boxed{-7}",
];
