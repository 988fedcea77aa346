import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, fixtureDir } from "../../test/fixtures";
import { fromPretrained } from "../from-pretrained";
import { readSafetensorsHeader } from "../safetensors/read";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "idefics3-save-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.each(FIXTURES)("saveIdefics3: %s", (name) => {
  it("writes a Hugging Face folder that loads back to the same logits", async () => {
    const policy = await fromPretrained(fixtureDir(name));
    const out = join(root, name);
    const before = tf.memory().numTensors;
    await policy.save(out);
    expect(tf.memory().numTensors).toBe(before);
    const files = (await readdir(out)).sort();
    expect(files).toEqual([
      "chat_template.json",
      "config.json",
      "generation_config.json",
      "model.safetensors",
      "preprocessor_config.json",
      "processor_config.json",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
    const config = JSON.parse(await readFile(join(out, "config.json"), "utf8"));
    const source = JSON.parse(await readFile(join(fixtureDir(name), "config.json"), "utf8"));
    expect(config).toEqual({ ...source, torch_dtype: "float32" });

    // the names, shapes and dtype transformers expects; lm_head.weight only when untied
    const header = await readSafetensorsHeader(join(out, "model.safetensors"));
    expect(header.metadata).toEqual({ format: "pt" });
    const sourceTensors = new Map<string, number[]>();
    for (const file of (await readdir(fixtureDir(name))).filter((f) => f.endsWith(".safetensors"))) {
      for (const [tensor, entry] of (await readSafetensorsHeader(join(fixtureDir(name), file))).tensors) {
        sourceTensors.set(tensor, entry.shape);
      }
    }
    expect(new Map([...header.tensors].map(([k, e]) => [k, e.shape]))).toEqual(sourceTensors);
    expect([...header.tensors.values()].every((e) => e.dtype === "F32")).toBe(true);
    expect(header.tensors.has("lm_head.weight")).toBe(!source.tie_word_embeddings);

    const reloaded = await fromPretrained(out);
    const ids = tf.tensor2d([policy.encodePrompt("<image>\n2+2?")], undefined, "int32");
    const images = tf.fill([1, policy.imageSize, policy.imageSize, 3], 0.25) as tf.Tensor4D;
    const a = policy.forward({ images, inputIds: ids });
    const b = reloaded.forward({ images, inputIds: ids });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBe(0);
    tf.dispose([ids, images, a, b]);
    policy.dispose();
    reloaded.dispose();
  });
});

describe("saveIdefics3 over an existing folder", () => {
  it("replaces it whole and leaves no staging folder", async () => {
    const policy = await fromPretrained(fixtureDir("tiny-idefics3-tied"));
    const out = join(root, "again");
    await policy.save(out);
    await policy.save(out);
    expect((await readdir(root)).filter((f) => f.startsWith(".again"))).toEqual([]);
    policy.dispose();
  });
});
