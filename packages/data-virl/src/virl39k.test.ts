import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeImage, type VirlRow, writeFolder, writeVirlParquet, writeZip } from "../test/fixtures.js";
import { InvalidRowError } from "./invalid-row-error.js";
import { REFERENCE_INSTRUCTION } from "./prompt.js";
import type { VirlExample } from "./types.js";
import { loadViRL39K } from "./virl39k.js";

const row = (qid: string, fields: Partial<VirlRow>): VirlRow => ({
  question: "<image>\nWhat is shown?",
  answer: "\\boxed{1}",
  passRate32B: 0.5,
  passRate7B: 0.5,
  category: "Chart",
  source: "A",
  qid,
  image: [`images/${qid}-0.png`],
  ...fields,
});

const mainRows: VirlRow[] = [
  row("q0", {
    question: "<image>\nWhat is 1+2?",
    answer: "The sum is \\boxed{3}.",
    passRate32B: 0.5,
    passRate7B: 0.25,
  }),
  row("q1", {
    question: "How many?",
    answer: "\\boxed{\\frac{1}{2}}",
    image: ["images/q1-0.jpg"],
    passRate7B: -1,
  }),
  row("q2", {
    question: "<image><image>Compare.",
    answer: "\\boxed{B}",
    image: ["images/q2-0.png", "images/q2-1.jpg"],
  }),
  row("q3", { question: "<image>small", answer: "\\boxed{7}", category: "Spatial", passRate32B: 0 }),
  row("q4", { answer: "\\boxed{x}", image: ["images/q4-0.jpg"], category: "Math", passRate32B: -1 }),
  row("q5", { question: "Which one?", answer: "\\boxed{A}", image: ["images/q5-0.jpg", "images/q5-1.png"] }),
  row("q6", { answer: "\\boxed{6}", source: "B" }),
  row("q7", { answer: "\\boxed{7}", source: "B", category: "Math" }),
  row("q8", { answer: "\\boxed{8}" }),
];

const badRows: VirlRow[] = [
  row("b0", {}),
  row("b1", { image: ["images/absent.png"] }),
  row("b2", { image: ["images/garbage.png"] }),
  row("b3", { answer: "" }),
  row("b4", { answer: "the answer is 42" }),
  row("b5", { question: "<image> then <image>" }),
  row("b6", { answer: null }),
  row("b7", { image: ["images/b0-0.png"] }),
];

let dir: string;
const images: Record<string, Uint8Array> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "virl39k-"));
  let shade = 0;
  for (const { image } of mainRows) {
    for (const path of image) {
      shade += 20;
      images[path] = await makeImage(40, 30, path.endsWith(".png") ? "png" : "jpeg", shade);
    }
  }
  images["images/q3-0.png"] = await makeImage(20, 10, "png");
  images["images/q4-0.jpg"] = await makeImage(14, 40, "jpeg");
  for (const variant of ["folder", "zip"]) {
    await writeVirlParquet(join(dir, variant, "39Krelease.parquet"), mainRows, { rowGroupSize: 4 });
    await writeVirlParquet(join(dir, `bad-${variant}`, "39Krelease.parquet"), badRows, { rowGroupSize: 3 });
  }
  const bad = {
    "images/b0-0.png": await makeImage(30, 30, "png"),
    "images/garbage.png": new Uint8Array(64).fill(7),
  };
  await writeFolder(join(dir, "folder"), images);
  await writeZip(join(dir, "zip", "images.zip"), images);
  await writeFolder(join(dir, "bad-folder"), bad);
  await writeZip(join(dir, "bad-zip", "images.zip"), bad);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function all<E>(data: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const example of data) out.push(example);
  return out;
}

describe("loadViRL39K", () => {
  it("builds examples from a folder: one <image>, the instruction, the boxed answer, null for -1", async () => {
    const data = await loadViRL39K({ root: join(dir, "folder") });
    expect(data.length).toBe(7);
    expect(data.counts).toEqual({ total: 9, notSingleImage: 2, filtered: 0, otherSplit: 0, overLimit: 0 });
    const q0 = await data.get(0);
    expect(q0).toEqual({
      id: "q0",
      prompt: `<image>\nWhat is 1+2?\n${REFERENCE_INSTRUCTION}`,
      groundTruth: "3",
      images: [images["images/q0-0.png"]],
      category: "Chart",
      source: "A",
      passRate32B: 0.5,
      passRate7B: 0.25,
    });
    const q1 = await data.get(1);
    expect(q1.prompt).toBe(`<image>\nHow many?\n${REFERENCE_INSTRUCTION}`);
    expect(q1.groundTruth).toBe("\\frac{1}{2}");
    expect(q1.passRate7B).toBeNull();
    expect(q1.images[0]).toEqual(images["images/q1-0.jpg"]);
    expect((await data.get(3)).passRate32B).toBeNull();
    expect((await all(data)).map((e) => e.id)).toEqual(["q0", "q1", "q3", "q4", "q6", "q7", "q8"]);
  });

  it("upscales images under 28 px on the short side, in the same format", async () => {
    const data = await loadViRL39K({ root: join(dir, "folder"), instruction: "" });
    const q3 = await data.get(2);
    const q4 = await data.get(3);
    expect(q3.id).toBe("q3");
    const m3 = await sharp(q3.images[0]).metadata();
    const m4 = await sharp(q4.images[0]).metadata();
    expect([m3.width, m3.height, m3.format]).toEqual([56, 28, "png"]);
    expect([m4.width, m4.height, m4.format]).toEqual([28, 80, "jpeg"]);
    expect(q3.prompt).toBe("<image>small");
  });

  it("keeps multi-image rows with singleImageOnly false, one <image> per image", async () => {
    const data = await loadViRL39K({ root: join(dir, "folder"), singleImageOnly: false, instruction: "I" });
    expect(data.length).toBe(9);
    const q2 = await data.get(2);
    expect(q2.prompt).toBe("<image><image>Compare.\nI");
    expect(q2.images).toEqual([images["images/q2-0.png"], images["images/q2-1.jpg"]]);
    const q5 = await data.get(5);
    expect(q5.prompt).toBe("<image>\n<image>\nWhich one?\nI");
    expect(q5.images).toHaveLength(2);
  });

  it("reads the same examples from images.zip as from the folder", async () => {
    const fromFolder = await all(await loadViRL39K({ root: join(dir, "folder"), singleImageOnly: false }));
    const fromZip = await all(await loadViRL39K({ root: join(dir, "zip"), singleImageOnly: false }));
    expect(fromZip).toEqual(fromFolder);
  });

  it("filters by category, source and inclusive pass-rate ranges", async () => {
    const ids = async (options: object) => {
      const data = await loadViRL39K({ root: join(dir, "folder"), ...options });
      return { ids: (await all(data)).map((e: VirlExample) => e.id), filtered: data.counts.filtered };
    };
    expect(await ids({ categories: ["Math", "Spatial"] })).toEqual({ ids: ["q3", "q4", "q7"], filtered: 4 });
    expect(await ids({ sources: ["B"] })).toEqual({ ids: ["q6", "q7"], filtered: 5 });
    // q3 has 0, q4 has -1 (no rate): [0, 0.5] keeps q3 and drops q4
    expect((await ids({ passRate32B: [0, 0.5] })).ids).toEqual(["q0", "q1", "q3", "q6", "q7", "q8"]);
    // q1 has no 7B rate; q0 has 0.25
    expect((await ids({ passRate7B: [0, 0.25] })).ids).toEqual(["q0"]);
  });

  it("rejects bad options with the option's name", async () => {
    const root = join(dir, "folder");
    await expect(loadViRL39K({ root, passRate7B: [0.5, 0.1] })).rejects.toThrow(
      /passRate7B must be \[min, max\]/,
    );
    await expect(loadViRL39K({ root, limit: -1 })).rejects.toThrow(
      /limit must be a non-negative integer, got -1/,
    );
    await expect(
      loadViRL39K({ root, split: { validationFraction: 1.5, seed: 0, part: "train" } }),
    ).rejects.toThrow(/validationFraction must be in \[0, 1\], got 1.5/);
    await expect(loadViRL39K({ root, minImageSide: 0 })).rejects.toThrow(/minImageSide/);
  });
});

describe("loadViRL39K on bad input", () => {
  it("names the missing parquet, the missing column, the missing images", async () => {
    await expect(loadViRL39K({ root: join(dir, "nowhere") })).rejects.toThrow(
      `parquet file not found: ${join(dir, "nowhere", "39Krelease.parquet")}`,
    );
    await writeVirlParquet(join(dir, "no-answer", "39Krelease.parquet"), mainRows, { omit: "answer" });
    await expect(loadViRL39K({ root: join(dir, "no-answer") })).rejects.toThrow(
      /no-answer\/39Krelease\.parquet: missing column\(s\) "answer"/,
    );
    await expect(loadViRL39K({ root: join(dir, "no-answer"), instruction: "" })).rejects.toThrow(/"answer"/);
    await writeVirlParquet(join(dir, "no-images", "39Krelease.parquet"), mainRows);
    await expect(loadViRL39K({ root: join(dir, "no-images") })).rejects.toThrow(
      /found neither .*images\/ nor .*images\.zip/,
    );
  });

  for (const variant of ["folder", "zip"]) {
    it(`raises each bad row from get(i), naming file, qid and column (${variant})`, async () => {
      const data = await loadViRL39K({ root: join(dir, `bad-${variant}`) });
      expect(data.length).toBe(8);
      const file = join(dir, `bad-${variant}`, "39Krelease.parquet");
      const expectations: [number, string, RegExp][] = [
        [
          1,
          "image",
          variant === "zip"
            ? /images\/absent\.png is absent from .*images\.zip/
            : /images\/absent\.png is absent from/,
        ],
        [2, "image", /image images\/garbage\.png cannot be decoded/],
        [3, "answer", /empty answer/],
        [4, "answer", /no non-empty \\boxed\{\.\.\.\} in answer "the answer is 42"/],
        [5, "question", /do not match its 1 image/],
        [6, "answer", /empty answer/],
      ];
      for (const [i, column, problem] of expectations) {
        const error = await data.get(i).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InvalidRowError);
        const { message, file: errorFile, rowId, column: errorColumn } = error as InvalidRowError;
        expect([errorFile, rowId, errorColumn]).toEqual([file, `b${i}`, column]);
        expect(message).toContain(`${file}: row ${i} (id "b${i}"), column "${column}": `);
        expect(message).toMatch(problem);
      }
      expect((await data.get(7)).id).toBe("b7");
    });
  }

  it("skips and reports bad rows with skipInvalid", async () => {
    const skipped: string[] = [];
    let summary: [number, number] | null = null;
    const data = await loadViRL39K({
      root: join(dir, "bad-zip"),
      skipInvalid: true,
      onSkip: (error) => skipped.push(`${error.rowId}:${error.column}`),
      onSkipSummary: (count, length) => {
        summary = [count, length];
      },
    });
    expect((await all(data)).map((e) => e.id)).toEqual(["b0", "b7"]);
    expect(skipped).toEqual(["b1:image", "b2:image", "b3:answer", "b4:answer", "b5:question", "b6:answer"]);
    expect(summary).toEqual([6, 8]);
    expect(data.skipped).toBe(6);
  });
});

describe("loadViRL39K split, shuffle, limit over several row groups", () => {
  const categories = ["Chart", "Math", "Spatial", "Science"];
  const many: VirlRow[] = Array.from({ length: 240 }, (_, i) =>
    row(`m${i}`, {
      question: i % 7 === 0 ? `Question ${i}?` : `<image>\nQuestion ${i}?`,
      answer: `so \\boxed{${i * 3}}`,
      category: categories[i % 4] as string,
      source: `s${i % 3}`,
      passRate32B: (i % 9) / 8,
      passRate7B: i % 5 === 0 ? -1 : (i % 4) / 4,
      image: i % 11 === 0 ? ["images/shared.png", "images/shared.png"] : ["images/shared.png"],
    }),
  );
  const single = many.filter((r) => r.image.length === 1);
  let root: string;
  const load = (options: object = {}) => loadViRL39K({ root, blockRows: 8, ...options });
  const qids = (data: { rows: readonly number[] }) => data.rows.map((r) => (many[r] as VirlRow).qid);

  beforeAll(async () => {
    root = join(dir, "many");
    await writeVirlParquet(join(root, "39Krelease.parquet"), many, { rowGroupSize: 32 });
    await writeZip(join(root, "images.zip"), { "images/shared.png": await makeImage(30, 28, "png") });
  });

  it("reads every row right across 8 row groups and windows of 8 rows", async () => {
    const data = await load({ instruction: "" });
    expect(data.length).toBe(single.length);
    const seen = await all(data);
    expect(seen.map((e) => [e.id, e.prompt, e.groundTruth, e.category, e.source])).toEqual(
      single.map((r) => {
        const i = Number(r.qid.slice(1));
        return [r.qid, `<image>\nQuestion ${i}?`, String(i * 3), categories[i % 4], `s${i % 3}`];
      }),
    );
    for (const [k, e] of seen.entries()) {
      const r = single[k] as VirlRow;
      expect(e.passRate32B).toBeCloseTo(r.passRate32B, 6);
      expect(e.passRate7B === null ? -1 : e.passRate7B).toBeCloseTo(r.passRate7B, 6);
    }
  });

  it("splits train/validation disjointly, deterministically, at about the fraction asked", async () => {
    const split = (part: "train" | "validation", seed = 1, extra = {}) =>
      load({ split: { validationFraction: 0.25, seed, part }, ...extra });
    const train = qids(await split("train"));
    const validation = qids(await split("validation"));
    expect(new Set([...train, ...validation]).size).toBe(single.length);
    expect(train.length + validation.length).toBe(single.length);
    expect(qids(await split("validation"))).toEqual(validation);
    // 218 rows at 1/4: mean 54.5, standard deviation 6.4
    expect(Math.abs(validation.length - 54.5)).toBeLessThan(20);
    expect(qids(await split("validation", 2))).not.toEqual(validation);
    // membership does not depend on the other filters
    const mathValidation = qids(await split("validation", 1, { categories: ["Math"] }));
    expect(mathValidation).toEqual(validation.filter((q) => Number(q.slice(1)) % 4 === 1));
  });

  it("shuffles with a seed (same seed, same order), then limits", async () => {
    const plain = qids(await load());
    const a = qids(await load({ shuffleSeed: 5 }));
    expect(qids(await load({ shuffleSeed: 5 }))).toEqual(a);
    expect(qids(await load({ shuffleSeed: 6 }))).not.toEqual(a);
    expect(a).not.toEqual(plain);
    expect([...a].sort()).toEqual([...plain].sort());
    const limited = await load({ shuffleSeed: 5, limit: 10 });
    expect(qids(limited)).toEqual(a.slice(0, 10));
    expect(limited.counts.overLimit).toBe(plain.length - 10);
    expect((await limited.get(9)).id).toBe(a[9]);
  });
});
