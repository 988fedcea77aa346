/** The SigLIP-style vision tower of an Idefics3 model (`vision_config`). */
export interface Idefics3VisionConfig {
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  imageSize: number;
  patchSize: number;
  layerNormEps: number;
  hiddenAct: string;
}

/** The Llama text decoder of an Idefics3 model (`text_config`). */
export interface LlamaConfig {
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  hiddenAct: string;
  maxPositionEmbeddings: number;
}

/** An Idefics3 model's shapes, as read from its `config.json`. */
export interface Idefics3Config {
  vision: Idefics3VisionConfig;
  text: LlamaConfig;
  /** Pixel-shuffle factor of the connector: `scale^2` patches become one image token. */
  scaleFactor: number;
  imageTokenId: number;
  tieWordEmbeddings: boolean;
  /** `<image>` tokens per image: `(imageSize / patchSize)^2 / scaleFactor^2`. */
  imageSeqLen: number;
}

type Json = Record<string, unknown>;

function pick(source: Json, key: string, fallback: number, where: string): number {
  const value = source[key] ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`${where}.${key} must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function positiveInt(source: Json, key: string, fallback: number, where: string): number {
  const value = pick(source, key, fallback, where);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${where}.${key} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Reads an Idefics3 `config.json` object with transformers' defaults for absent keys (`Idefics3Config`,
 * `Idefics3VisionConfig`, `LlamaConfig`). As in transformers, the top-level `vocab_size` and
 * `tie_word_embeddings` win over `text_config`'s. `file` names the file in errors.
 *
 * @example
 * const config = parseIdefics3Config(JSON.parse(await readFile("config.json", "utf8")), "config.json");
 * config.imageSeqLen; // 64 for SmolVLM-256M
 */
export function parseIdefics3Config(raw: Json, file: string): Idefics3Config {
  const visionRaw = (raw.vision_config ?? {}) as Json;
  const textRaw = (raw.text_config ?? {}) as Json;
  const textType = textRaw.model_type ?? "llama";
  if (textType !== "llama" && textType !== "llama3") {
    throw new Error(
      `${file}: text_config.model_type "${String(textType)}" is not supported (expected llama)`,
    );
  }
  if (textRaw.rope_scaling !== undefined && textRaw.rope_scaling !== null) {
    throw new Error(
      `${file}: text_config.rope_scaling is not supported yet (got ${JSON.stringify(textRaw.rope_scaling)})`,
    );
  }
  for (const [key, where] of [
    ["attention_bias", "text_config"],
    ["mlp_bias", "text_config"],
  ] as const) {
    if (textRaw[key] === true) throw new Error(`${file}: ${where}.${key} = true is not supported yet`);
  }
  const v = `${file}: vision_config`;
  const vision: Idefics3VisionConfig = {
    hiddenSize: positiveInt(visionRaw, "hidden_size", 1152, v),
    intermediateSize: positiveInt(visionRaw, "intermediate_size", 3072, v),
    numLayers: positiveInt(visionRaw, "num_hidden_layers", 12, v),
    numHeads: positiveInt(visionRaw, "num_attention_heads", 16, v),
    imageSize: positiveInt(visionRaw, "image_size", 224, v),
    patchSize: positiveInt(visionRaw, "patch_size", 32, v),
    layerNormEps: pick(visionRaw, "layer_norm_eps", 1e-6, v),
    hiddenAct: String(visionRaw.hidden_act ?? "gelu_pytorch_tanh"),
  };
  const t = `${file}: text_config`;
  const hiddenSize = positiveInt(textRaw, "hidden_size", 4096, t);
  const numHeads = positiveInt(textRaw, "num_attention_heads", 32, t);
  const text: LlamaConfig = {
    vocabSize: positiveInt(raw, "vocab_size", positiveInt(textRaw, "vocab_size", 100000, t), file),
    hiddenSize,
    intermediateSize: positiveInt(textRaw, "intermediate_size", 11008, t),
    numLayers: positiveInt(textRaw, "num_hidden_layers", 32, t),
    numHeads,
    numKvHeads: positiveInt(textRaw, "num_key_value_heads", numHeads, t),
    headDim: positiveInt(textRaw, "head_dim", Math.floor(hiddenSize / numHeads), t),
    rmsNormEps: pick(textRaw, "rms_norm_eps", 1e-6, t),
    ropeTheta: pick(textRaw, "rope_theta", 10000, t),
    hiddenAct: String(textRaw.hidden_act ?? "silu"),
    maxPositionEmbeddings: positiveInt(textRaw, "max_position_embeddings", 2048, t),
  };
  const scaleFactor = positiveInt(raw, "scale_factor", 2, file);
  const grid = vision.imageSize / vision.patchSize;
  if (!Number.isInteger(grid)) {
    throw new Error(
      `${v}.image_size (${vision.imageSize}) must be a multiple of patch_size (${vision.patchSize})`,
    );
  }
  if (grid % scaleFactor !== 0) {
    throw new Error(
      `${file}: scale_factor ${scaleFactor} must divide the ${grid} patches per side of the vision tower`,
    );
  }
  if (vision.hiddenSize % vision.numHeads !== 0) {
    throw new Error(
      `${v}.hidden_size (${vision.hiddenSize}) must be divisible by num_attention_heads (${vision.numHeads})`,
    );
  }
  if (text.numHeads % text.numKvHeads !== 0) {
    throw new Error(
      `${t}.num_attention_heads (${text.numHeads}) must be a multiple of num_key_value_heads (${text.numKvHeads})`,
    );
  }
  if (text.headDim % 2 !== 0)
    throw new Error(`${t}.head_dim (${text.headDim}) must be even for rotary embeddings`);
  const tie = raw.tie_word_embeddings ?? false;
  if (typeof tie !== "boolean") throw new Error(`${file}: tie_word_embeddings must be true or false`);
  return {
    vision,
    text,
    scaleFactor,
    imageTokenId: positiveInt(raw, "image_token_id", 128257, file),
    tieWordEmbeddings: tie,
    imageSeqLen: (grid / scaleFactor) ** 2,
  };
}
