import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { readSafetensorsHeader, readTensor, type TensorEntry } from "./safetensors/read";

/** The tensors of a Hugging Face checkpoint folder, read one at a time from their safetensors files. */
export interface CheckpointTensors {
  /** Every tensor name in the checkpoint, as Hugging Face wrote it. */
  readonly names: string[];
  /** Shape of a tensor, or undefined when the checkpoint does not hold it. */
  shape(name: string): number[] | undefined;
  /** The tensor's values as float32; an error naming the tensor and the folder when it is missing. */
  read(name: string): Promise<Float32Array>;
  /** The on-disk dtype of a tensor (the first tensor's, for `torch_dtype`-style reports). */
  dtype(name: string): string | undefined;
}

export const SINGLE_FILE = "model.safetensors";
export const SHARD_INDEX = "model.safetensors.index.json";

async function exists(path: string): Promise<boolean> {
  return (await open(path, "r")
    .then((h) => h.close().then(() => true))
    .catch(() => false)) as boolean;
}

/**
 * Opens the weights of a Hugging Face folder: `model.safetensors`, or the shards listed in
 * `model.safetensors.index.json` (`weight_map`: tensor name -> shard file). Headers are read up front, so a
 * missing or truncated shard is an error here, naming the file.
 *
 * @example
 * const tensors = await openCheckpoint("models/SmolVLM-256M-Instruct");
 * tensors.shape("model.text_model.embed_tokens.weight"); // [49280, 576]
 */
export async function openCheckpoint(dir: string): Promise<CheckpointTensors> {
  const indexPath = join(dir, SHARD_INDEX);
  const files: string[] = [];
  if (await exists(indexPath)) {
    let index: { weight_map?: Record<string, string> };
    try {
      index = JSON.parse(await readFile(indexPath, "utf8"));
    } catch (error) {
      throw new Error(`${indexPath}: not valid JSON (${(error as Error).message})`);
    }
    const map = index.weight_map;
    if (map === undefined || typeof map !== "object") throw new Error(`${indexPath}: no "weight_map" object`);
    files.push(...new Set(Object.values(map)));
  } else if (await exists(join(dir, SINGLE_FILE))) {
    files.push(SINGLE_FILE);
  } else {
    throw new Error(`${dir}: no weights found (expected ${SINGLE_FILE} or ${SHARD_INDEX})`);
  }
  const entries = new Map<string, { file: string; entry: TensorEntry }>();
  for (const file of files) {
    const path = join(dir, file);
    if (!(await exists(path))) throw new Error(`${path}: shard listed in ${SHARD_INDEX} is missing`);
    const header = await readSafetensorsHeader(path);
    for (const [name, entry] of header.tensors) {
      if (entries.has(name)) throw new Error(`${dir}: tensor "${name}" is in two shards`);
      entries.set(name, { file: path, entry });
    }
  }
  return {
    names: [...entries.keys()],
    shape: (name) => entries.get(name)?.entry.shape,
    dtype: (name) => entries.get(name)?.entry.dtype,
    async read(name) {
      const found = entries.get(name);
      if (found === undefined) throw new Error(`${dir}: the checkpoint has no tensor "${name}"`);
      const handle = await open(found.file, "r");
      try {
        return await readTensor(handle, found.entry);
      } finally {
        await handle.close();
      }
    },
  };
}
