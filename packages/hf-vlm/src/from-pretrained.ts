import { join } from "node:path";
import type { Idefics3LoadOptions } from "./idefics3/load";
import { loadIdefics3 } from "./idefics3/load";
import type { Idefics3Policy } from "./idefics3/policy";
import { readJson } from "./read-json";

/** Options of {@link fromPretrained}. */
export type FromPretrainedOptions = Idefics3LoadOptions;

/** A policy loaded from a Hugging Face folder (one class per supported `model_type`). */
export type PretrainedPolicy = Idefics3Policy;

type Loader = (
  dir: string,
  raw: Record<string, unknown>,
  options: FromPretrainedOptions,
) => Promise<PretrainedPolicy>;

const LOADERS: Record<string, Loader> = { idefics3: loadIdefics3 };

/** The `model_type`s {@link fromPretrained} reads. */
export const SUPPORTED_MODEL_TYPES = Object.keys(LOADERS);

/**
 * Loads a vision-language model from a folder in Hugging Face's layout (what `huggingface-cli download`
 * or `downloadModel` leaves) as a `VisionLanguagePolicy`, dispatching on `config.json`'s `model_type`.
 * Weights are read from `model.safetensors` or the shards of `model.safetensors.index.json` (F32, F16, BF16,
 * converted to float32 on load); the tokenizer from `tokenizer.json`; the chat template and image
 * preprocessing from the folder's configs.
 *
 * @example
 * const policy = await fromPretrained("models/SmolVLM-256M-Instruct", { freeze: "vision" });
 * policy.imageSize; // 512
 */
export async function fromPretrained(
  dir: string,
  options: FromPretrainedOptions = {},
): Promise<PretrainedPolicy> {
  const file = join(dir, "config.json");
  const raw = (await readJson(file)) as Record<string, unknown>;
  const type = raw.model_type;
  if (typeof type !== "string")
    throw new Error(`${file}: no "model_type" (expected one of ${SUPPORTED_MODEL_TYPES.join(", ")})`);
  const loader = LOADERS[type];
  if (loader === undefined) {
    throw new Error(
      `${file}: model_type "${type}" is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(", ")})`,
    );
  }
  return loader(dir, raw, options);
}
