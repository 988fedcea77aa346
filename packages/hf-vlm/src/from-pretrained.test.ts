import { cp, mkdtemp, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureDir } from "../test/fixtures";
import { openCheckpoint } from "./checkpoint-files";
import { fromPretrained, SUPPORTED_MODEL_TYPES } from "./from-pretrained";
import { writeSafetensors } from "./safetensors/write";

let root: string;
let count = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "from-pretrained-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type ConfigJson = Record<string, unknown> & {
  vision_config: Record<string, unknown>;
  text_config: Record<string, unknown>;
};

/** A copy of the tied fixture to break. */
async function copy(): Promise<string> {
  const dir = join(root, `m${count++}`);
  await cp(fixtureDir("tiny-idefics3-tied"), dir, { recursive: true });
  return dir;
}

async function editConfig(dir: string, edit: (config: ConfigJson) => void) {
  const file = join(dir, "config.json");
  const config = JSON.parse(await readFile(file, "utf8"));
  edit(config);
  await writeFile(file, JSON.stringify(config));
}

describe("fromPretrained", () => {
  it("loads a folder and leaves only its variables allocated", async () => {
    const before = tf.memory().numTensors;
    const policy = await fromPretrained(fixtureDir("tiny-idefics3-tied"));
    expect(policy.imageSize).toBe(16);
    expect(policy.config.imageSeqLen).toBe(4);
    expect(tf.memory().numTensors).toBe(before + policy.namedParameters().length);
    policy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(SUPPORTED_MODEL_TYPES).toEqual(["idefics3"]);
  });

  it("names a missing config.json and an unknown model_type", async () => {
    await expect(fromPretrained(join(root, "nowhere"))).rejects.toThrow(
      /nowhere\/config\.json: cannot read \(ENOENT\)/,
    );
    const dir = await copy();
    await editConfig(dir, (c) => {
      c.model_type = "qwen2_5_vl";
    });
    await expect(fromPretrained(dir)).rejects.toThrow(
      /config\.json: model_type "qwen2_5_vl" is not supported \(supported: idefics3\)/,
    );
  });

  it("names a missing weights file and a truncated one", async () => {
    const dir = await copy();
    const weights = join(dir, "model.safetensors");
    const size = (await stat(weights)).size;
    await truncate(weights, size - 100);
    await expect(fromPretrained(dir)).rejects.toThrow(
      /model\.safetensors is truncated: tensor "[^"]+" ends at byte \d+, the file has \d+ bytes/,
    );
    await rm(weights);
    await expect(fromPretrained(dir)).rejects.toThrow(
      /no weights found \(expected model\.safetensors or model\.safetensors\.index\.json\)/,
    );
  });

  it("names a missing tensor and a shape that disagrees with config.json", async () => {
    const dir = await copy();
    const checkpoint = await openCheckpoint(dir);
    const dropped = "model.text_model.layers.1.mlp.down_proj.weight";
    const kept = await Promise.all(
      checkpoint.names
        .filter((n) => n !== dropped)
        .map(async (n) => ({
          name: n,
          shape: checkpoint.shape(n) as number[],
          data: await checkpoint.read(n),
        })),
    );
    await writeSafetensors(join(dir, "model.safetensors"), kept);
    await expect(fromPretrained(dir)).rejects.toThrow(
      /missing tensor "model\.text_model\.layers\.1\.mlp\.down_proj\.weight" \(expected shape \[32,40\]\)/,
    );
    const other = await copy();
    await editConfig(other, (c) => {
      c.vision_config.intermediate_size = 28;
    });
    await expect(fromPretrained(other)).rejects.toThrow(
      /tensor "model\.vision_model\.encoder\.layers\.0\.mlp\.fc1\.weight" has shape \[24,16\], config\.json implies \[28,16\]/,
    );
  });

  it("reads tie_word_embeddings: an untied config needs lm_head.weight", async () => {
    const dir = await copy();
    await editConfig(dir, (c) => {
      c.tie_word_embeddings = false;
    });
    await expect(fromPretrained(dir)).rejects.toThrow(
      /missing tensor "lm_head\.weight" .*tie_word_embeddings: false/,
    );
  });

  it("names unsupported settings and a missing tokenizer", async () => {
    const dir = await copy();
    await editConfig(dir, (c) => {
      c.vision_config.hidden_act = "gelu";
    });
    // exact-erf GELU would need an Erf gradient the training path does not have
    await expect(fromPretrained(dir)).rejects.toThrow(
      /config\.json: vision_config: hidden_act "gelu" is not supported/,
    );
    const other = await copy();
    await editConfig(other, (c) => {
      c.text_config.rope_scaling = { rope_type: "llama3", factor: 8 };
    });
    await expect(fromPretrained(other)).rejects.toThrow(/text_config\.rope_scaling is not supported yet/);
    const third = await copy();
    await rm(join(third, "tokenizer.json"));
    await expect(fromPretrained(third)).rejects.toThrow(/tokenizer\.json: cannot read \(ENOENT\)/);
  });
});
