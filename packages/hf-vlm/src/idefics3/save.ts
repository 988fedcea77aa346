import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { writeSafetensors } from "../safetensors/write";
import type { ParameterSpec } from "./parameters";
import type { Idefics3Policy } from "./policy";

const WEIGHT_FILE = /(\.safetensors|\.safetensors\.index\.json|\.bin|\.bin\.index\.json|\.pt|\.ckpt)$/;

/** In-memory values of a parameter -> the checkpoint's layout (`[out, in]`, `[D, 3, P, P]`). */
async function checkpointValues(spec: ParameterSpec, variable: tf.Variable): Promise<Float32Array> {
  if (spec.layout === "plain") return (await variable.data()) as Float32Array;
  const back = tf.tidy(() => tf.transpose(variable));
  try {
    return (await back.data()) as Float32Array;
  } finally {
    back.dispose();
  }
}

/**
 * Writes `policy` as a Hugging Face folder that transformers loads: `config.json` (the source's, with
 * `torch_dtype: "float32"`), `model.safetensors` (float32, Hugging Face's names and layouts; no
 * `lm_head.weight` when tied, as transformers writes it), and every other file of the source folder
 * (tokenizer, chat template, processor and generation configs). The files go to a temporary folder beside
 * `dir` that is then renamed onto it, so readers never see a half-written model.
 *
 * @example
 * await saveIdefics3(policy, "checkpoints/step-100");
 */
export async function saveIdefics3(policy: Idefics3Policy, dir: string): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(dir)}.tmp-`));
  try {
    for (const entry of await readdir(policy.sourceDir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name === "config.json" || WEIGHT_FILE.test(entry.name)) continue;
      await copyFile(join(policy.sourceDir, entry.name), join(staging, entry.name));
    }
    const config = { ...policy.rawConfig, torch_dtype: "float32" };
    await writeFile(join(staging, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
    await writeSafetensors(
      join(staging, "model.safetensors"),
      policy.namedParameters().map(({ spec, variable }) => ({
        name: spec.name,
        shape: spec.shape,
        data: () => checkpointValues(spec, variable),
      })),
    );
    const old = `${staging}.old`;
    const existed = await stat(dir).then(
      () => true,
      () => false,
    );
    if (existed) await rename(dir, old);
    await rename(staging, dir);
    if (existed) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
