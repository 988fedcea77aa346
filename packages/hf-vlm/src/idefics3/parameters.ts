import type { Idefics3Config } from "./config";

/**
 * How a parameter is held in memory. `linear`: Hugging Face's `[out, in]` weight kept transposed as
 * `[in, out]`, so every projection is a plain matMul; `patch`: the `[D, C, P, P]` convolution kernel kept as
 * `[C * P * P, D]`; `plain`: as stored.
 */
export type ParameterLayout = "plain" | "linear" | "patch";

/** One parameter: its Hugging Face name, its shape in the checkpoint, and how it is held. */
export interface ParameterSpec {
  name: string;
  shape: number[];
  layout: ParameterLayout;
  /** The vision tower's parameters (what `freeze: "vision"` leaves out of training). */
  vision: boolean;
}

/** The in-memory shape of a parameter of this spec. */
export function storedShape(spec: ParameterSpec): number[] {
  const s = spec.shape;
  if (spec.layout === "linear") return [s[1] as number, s[0] as number];
  if (spec.layout === "patch")
    return [(s[1] as number) * (s[2] as number) * (s[3] as number), s[0] as number];
  return s;
}

/**
 * Every parameter of `Idefics3ForConditionalGeneration` under the names transformers writes, in checkpoint
 * order. `lm_head.weight` is absent when the embeddings are tied.
 *
 * @example
 * idefics3Parameters(config).find((p) => p.name === "model.connector.modality_projection.proj.weight")?.shape;
 * // [576, 12288] for SmolVLM-256M
 */
export function idefics3Parameters(config: Idefics3Config): ParameterSpec[] {
  const { vision: v, text: t } = config;
  const specs: ParameterSpec[] = [];
  const add = (name: string, shape: number[], layout: ParameterLayout = "plain", vision = false) =>
    specs.push({ name, shape, layout, vision });
  const dv = v.hiddenSize;
  const p = "model.vision_model.";
  add(`${p}embeddings.patch_embedding.weight`, [dv, 3, v.patchSize, v.patchSize], "patch", true);
  add(`${p}embeddings.patch_embedding.bias`, [dv], "plain", true);
  add(`${p}embeddings.position_embedding.weight`, [(v.imageSize / v.patchSize) ** 2, dv], "plain", true);
  for (let i = 0; i < v.numLayers; i++) {
    const q = `${p}encoder.layers.${i}.`;
    for (const proj of ["q_proj", "k_proj", "v_proj", "out_proj"]) {
      add(`${q}self_attn.${proj}.weight`, [dv, dv], "linear", true);
      add(`${q}self_attn.${proj}.bias`, [dv], "plain", true);
    }
    add(`${q}layer_norm1.weight`, [dv], "plain", true);
    add(`${q}layer_norm1.bias`, [dv], "plain", true);
    add(`${q}mlp.fc1.weight`, [v.intermediateSize, dv], "linear", true);
    add(`${q}mlp.fc1.bias`, [v.intermediateSize], "plain", true);
    add(`${q}mlp.fc2.weight`, [dv, v.intermediateSize], "linear", true);
    add(`${q}mlp.fc2.bias`, [dv], "plain", true);
    add(`${q}layer_norm2.weight`, [dv], "plain", true);
    add(`${q}layer_norm2.bias`, [dv], "plain", true);
  }
  add(`${p}post_layernorm.weight`, [dv], "plain", true);
  add(`${p}post_layernorm.bias`, [dv], "plain", true);
  const d = t.hiddenSize;
  add("model.connector.modality_projection.proj.weight", [d, dv * config.scaleFactor ** 2], "linear");
  const m = "model.text_model.";
  add(`${m}embed_tokens.weight`, [t.vocabSize, d]);
  const qOut = t.numHeads * t.headDim;
  const kvOut = t.numKvHeads * t.headDim;
  for (let i = 0; i < t.numLayers; i++) {
    const q = `${m}layers.${i}.`;
    add(`${q}self_attn.q_proj.weight`, [qOut, d], "linear");
    add(`${q}self_attn.k_proj.weight`, [kvOut, d], "linear");
    add(`${q}self_attn.v_proj.weight`, [kvOut, d], "linear");
    add(`${q}self_attn.o_proj.weight`, [d, qOut], "linear");
    add(`${q}mlp.gate_proj.weight`, [t.intermediateSize, d], "linear");
    add(`${q}mlp.up_proj.weight`, [t.intermediateSize, d], "linear");
    add(`${q}mlp.down_proj.weight`, [d, t.intermediateSize], "linear");
    add(`${q}input_layernorm.weight`, [d]);
    add(`${q}post_attention_layernorm.weight`, [d]);
  }
  add(`${m}norm.weight`, [d]);
  if (!config.tieWordEmbeddings) add("lm_head.weight", [t.vocabSize, d], "linear");
  return specs;
}
