import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Tensor2D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTinyVLM } from "./checkpoint";
import { TEST_CONFIG, testImages } from "./test-helpers";
import { TinyVLM } from "./tiny-vlm";
import { CharTokenizer } from "./tokenizer";

describe("TinyVLM checkpoints", () => {
  const model = TinyVLM.create(TEST_CONFIG, new CharTokenizer());
  let root = "";
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "vlm-checkpoint-"));
  });
  afterAll(async () => {
    model.dispose();
    await rm(root, { recursive: true, force: true });
  });

  const logits = (m: TinyVLM) =>
    tf.tidy(() => {
      const images = testImages(1);
      const inputIds = tf.tensor2d([[1, 30, 31]], undefined, "int32") as Tensor2D;
      return Array.from(m.forward({ images, inputIds }).dataSync());
    });

  it("round-trips to identical logits, config and tokenizer", async () => {
    const dir = join(root, "a");
    await model.save(dir);
    expect((await readdir(dir)).sort()).toEqual(["config.json", "weights.bin", "weights.json"]);
    const config = JSON.parse(await readFile(join(dir, "config.json"), "utf8"));
    expect(config).toMatchObject({
      format: "tinyvlm",
      version: 1,
      model: TEST_CONFIG,
      tokenizer: { type: "char" },
    });
    const bin = await readFile(join(dir, "weights.bin"));
    expect(bin.byteLength).toBe(4 * model.parameterCount);
    const loaded = await loadTinyVLM(dir);
    expect(logits(loaded)).toEqual(logits(model));
    expect(loaded.tokenizer.vocabSize).toBe(model.tokenizer.vocabSize);
    loaded.dispose();
  });

  it("stores float32 little-endian values at the manifest offsets", async () => {
    const dir = join(root, "b");
    await model.save(dir);
    const manifest = JSON.parse(await readFile(join(dir, "weights.json"), "utf8"));
    const bin = await readFile(join(dir, "weights.bin"));
    const entry = manifest.variables.find((v: { name: string }) => v.name === "layer1.mlp.up.kernel");
    const expected = new Map(model.namedVariables()).get("layer1.mlp.up.kernel")?.dataSync() as Float32Array;
    expect(entry.shape).toEqual([TEST_CONFIG.dModel, TEST_CONFIG.dFF]);
    expect(bin.readFloatLE(entry.offset * 4)).toBe(expected[0]);
    expect(bin.readFloatLE((entry.offset + entry.length - 1) * 4)).toBe(expected[expected.length - 1]);
  });

  it("replaces an existing checkpoint without leaving temporary folders", async () => {
    const dir = join(root, "c");
    await model.save(dir);
    const other = TinyVLM.create({ ...TEST_CONFIG, seed: 9 }, new CharTokenizer());
    await other.save(dir);
    const loaded = await loadTinyVLM(dir);
    expect(logits(loaded)).toEqual(logits(other));
    expect((await readdir(root)).filter((name) => name.includes("tmp"))).toEqual([]);
    other.dispose();
    loaded.dispose();
  });

  it("names the file and the variable when a checkpoint is broken", async () => {
    const dir = join(root, "d");
    await model.save(dir);
    const manifestText = await readFile(join(dir, "weights.json"), "utf8");
    const bin = await readFile(join(dir, "weights.bin"));

    await expect(loadTinyVLM(join(root, "missing"))).rejects.toThrow(/cannot read .*missing\/config\.json/);

    await writeFile(join(dir, "weights.bin"), bin.subarray(0, bin.byteLength - 8));
    await expect(loadTinyVLM(dir)).rejects.toThrow(
      /weights\.bin holds \d+ float32 values but .*weights\.json expects/,
    );
    await writeFile(join(dir, "weights.bin"), bin);

    const manifest = JSON.parse(manifestText);
    manifest.variables[3].shape = [7, 7];
    manifest.variables[3].length = 49;
    await writeFile(join(dir, "weights.json"), JSON.stringify(manifest));
    await expect(loadTinyVLM(dir)).rejects.toThrow(
      /variable "token.embedding" has shape \[7,7\], expected \[104,8\]/,
    );

    manifest.variables.splice(3, 1);
    await writeFile(join(dir, "weights.json"), JSON.stringify(manifest));
    await expect(loadTinyVLM(dir)).rejects.toThrow(/weights\.json: missing variable "token.embedding"/);

    await writeFile(join(dir, "weights.json"), "{ not json");
    await expect(loadTinyVLM(dir)).rejects.toThrow(/weights\.json is not valid JSON/);

    await writeFile(join(dir, "weights.json"), manifestText);
    await writeFile(join(dir, "config.json"), JSON.stringify({ format: "other" }));
    await expect(loadTinyVLM(dir)).rejects.toThrow(/config\.json must hold \{ format: "tinyvlm"/);
  });
});
