import type { Variable } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { loadChatTemplate } from "../chat-template";
import { openCheckpoint } from "../checkpoint-files";
import { HfTokenizer } from "../hf-tokenizer";
import { ImageProcessor } from "../image-processor";
import { parseIdefics3Config } from "./config";
import { activation } from "./layers";
import { idefics3Parameters, type ParameterSpec } from "./parameters";
import { Idefics3Policy } from "./policy";

/** Options of `fromPretrained` that apply to Idefics3 models. */
export interface Idefics3LoadOptions {
  /** `"vision"` leaves the vision tower out of `trainableVariables` (verl's `freeze_vision_tower`). */
  freeze?: "vision" | "none";
}

/** Checkpoint values `[out, in]` / `[D, 3, P, P]` -> the in-memory layout of `spec`. */
export function toStoredLayout(spec: ParameterSpec, values: Float32Array): Variable {
  return tf.tidy(() => {
    const tensor = tf.tensor(values, spec.shape, "float32");
    const stored =
      spec.layout === "plain" ? tensor : tf.transpose(tf.reshape(tensor, [spec.shape[0] as number, -1]));
    return tf.variable(stored, true, undefined, "float32");
  });
}

/**
 * Builds an {@link Idefics3Policy} from a Hugging Face folder whose `config.json` (already parsed as
 * `rawConfig`) has `model_type: "idefics3"`. Every parameter is checked against the shape the config implies;
 * a missing tensor or a shape mismatch is an error naming the tensor.
 */
export async function loadIdefics3(
  dir: string,
  rawConfig: Record<string, unknown>,
  options: Idefics3LoadOptions = {},
): Promise<Idefics3Policy> {
  const file = `${dir}/config.json`;
  const config = parseIdefics3Config(rawConfig, file);
  activation(config.vision.hiddenAct, `${file}: vision_config`);
  activation(config.text.hiddenAct, `${file}: text_config`);
  const checkpoint = await openCheckpoint(dir);
  const specs = idefics3Parameters(config);
  for (const spec of specs) {
    const shape = checkpoint.shape(spec.name);
    if (shape === undefined) {
      const hint = spec.name === "lm_head.weight" ? " (config.json says tie_word_embeddings: false)" : "";
      throw new Error(`${dir}: missing tensor "${spec.name}" (expected shape [${spec.shape}])${hint}`);
    }
    if (shape.length !== spec.shape.length || shape.some((s, i) => s !== spec.shape[i])) {
      throw new Error(
        `${dir}: tensor "${spec.name}" has shape [${shape}], config.json implies [${spec.shape}]`,
      );
    }
  }
  const tokenizer = await HfTokenizer.fromDir(dir, config.text.vocabSize);
  const template = await loadChatTemplate(dir, tokenizer.specialTokens);
  const images = await ImageProcessor.fromDir(dir, config.vision.imageSize);
  const variables = new Map<string, Variable>();
  try {
    for (const spec of specs)
      variables.set(spec.name, toStoredLayout(spec, await checkpoint.read(spec.name)));
  } catch (error) {
    for (const variable of variables.values()) variable.dispose();
    throw error;
  }
  return new Idefics3Policy({
    config,
    rawConfig,
    tokenizer,
    template,
    images,
    sourceDir: dir,
    variables,
    freezeVision: options.freeze === "vision",
  });
}
