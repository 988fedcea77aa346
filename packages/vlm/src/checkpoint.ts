import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { TinyVLM, type TinyVLMConfig } from "./tiny-vlm";
import { CharTokenizer } from "./tokenizer";

/** `config.json`: what a checkpoint folder's config file holds. */
export interface TinyVLMCheckpointConfig {
  format: "tinyvlm";
  version: 1;
  model: TinyVLMConfig;
  tokenizer: unknown;
}

/** `weights.json`: one entry per variable; `offset` and `length` count float32 values in `weights.bin`. */
export interface WeightsManifest {
  dtype: "float32";
  byteOrder: "little-endian";
  totalValues: number;
  variables: Array<{ name: string; shape: number[]; dtype: "float32"; offset: number; length: number }>;
}

/**
 * Writes a TinyVLM checkpoint: `config.json` (model config + tokenizer), `weights.json` (manifest of names,
 * shapes, dtypes, offsets) and `weights.bin` (float32 little-endian). The files go to a temporary folder
 * beside `dir` that is then renamed onto `dir`, so readers never see a half-written checkpoint.
 *
 * @example
 * await saveTinyVLM(policy, "checkpoints/step-100");
 */
export async function saveTinyVLM(model: TinyVLM, dir: string): Promise<void> {
  const named = model.namedVariables();
  const manifest: WeightsManifest = {
    dtype: "float32",
    byteOrder: "little-endian",
    totalValues: 0,
    variables: [],
  };
  for (const [name, variable] of named) {
    manifest.variables.push({
      name,
      shape: [...variable.shape],
      dtype: "float32",
      offset: manifest.totalValues,
      length: variable.size,
    });
    manifest.totalValues += variable.size;
  }
  const bytes = new Uint8Array(manifest.totalValues * 4);
  const view = new DataView(bytes.buffer);
  for (const [index, [, variable]] of named.entries()) {
    const values = (await variable.data()) as Float32Array;
    const offset = (manifest.variables[index] as { offset: number }).offset;
    for (let i = 0; i < values.length; i++) view.setFloat32((offset + i) * 4, values[i] as number, true);
  }
  const config: TinyVLMCheckpointConfig = {
    format: "tinyvlm",
    version: 1,
    model: model.config,
    tokenizer: model.tokenizer.toJSON(),
  };

  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(dir)}.tmp-`));
  try {
    await writeFile(join(staging, "weights.bin"), bytes);
    await writeFile(join(staging, "weights.json"), `${JSON.stringify(manifest, null, 1)}\n`);
    await writeFile(join(staging, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
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

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new Error(`loadTinyVLM: cannot read ${file}: ${(error as Error).message}`);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`loadTinyVLM: ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Loads a checkpoint written by {@link saveTinyVLM} / `TinyVLM.save`. Errors name the file and, for weights,
 * the variable that is missing, out of range or of the wrong shape.
 *
 * @example
 * const policy = await loadTinyVLM("packages/trainer/assets/warm-start-synth");
 */
export async function loadTinyVLM(dir: string): Promise<TinyVLM> {
  const configFile = join(dir, "config.json");
  const manifestFile = join(dir, "weights.json");
  const binFile = join(dir, "weights.bin");
  const config = parseJson(await readText(configFile), configFile) as Partial<TinyVLMCheckpointConfig>;
  if (config?.format !== "tinyvlm" || config.version !== 1 || typeof config.model !== "object") {
    throw new Error(
      `loadTinyVLM: ${configFile} must hold { format: "tinyvlm", version: 1, model, tokenizer }`,
    );
  }
  const tokenizer = CharTokenizer.fromJSON(config.tokenizer);
  const manifest = parseJson(await readText(manifestFile), manifestFile) as Partial<WeightsManifest>;
  if (!Array.isArray(manifest?.variables)) {
    throw new Error(`loadTinyVLM: ${manifestFile} must hold a "variables" array`);
  }
  let bin: Buffer;
  try {
    bin = await readFile(binFile);
  } catch (error) {
    throw new Error(`loadTinyVLM: cannot read ${binFile}: ${(error as Error).message}`);
  }
  if (bin.byteLength % 4 !== 0)
    throw new Error(`loadTinyVLM: ${binFile} has ${bin.byteLength} bytes, not whole float32s`);
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const available = bin.byteLength / 4;
  if (manifest.totalValues !== available) {
    throw new Error(
      `loadTinyVLM: ${binFile} holds ${available} float32 values but ${manifestFile} expects ${manifest.totalValues} (truncated or mismatched file?)`,
    );
  }
  const values = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const entry of manifest.variables) {
    const { name, shape, offset, length, dtype } = entry;
    const size = Array.isArray(shape) ? shape.reduce((a, b) => a * b, 1) : Number.NaN;
    if (dtype !== "float32" || size !== length || !Number.isInteger(offset) || offset < 0) {
      throw new Error(
        `loadTinyVLM: ${manifestFile} entry "${name}" is malformed (dtype, shape, offset, length)`,
      );
    }
    if (offset + length > available) {
      throw new Error(
        `loadTinyVLM: ${binFile} is too short for variable "${name}" (needs values up to ${offset + length}, has ${available})`,
      );
    }
    const data = new Float32Array(length);
    for (let i = 0; i < length; i++) data[i] = view.getFloat32((offset + i) * 4, true);
    values.set(name, { shape, data });
  }
  return TinyVLM.fromWeights(
    config.model as TinyVLMConfig,
    tokenizer,
    values,
    `loadTinyVLM: ${manifestFile}`,
  );
}
