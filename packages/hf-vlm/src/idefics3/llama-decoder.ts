import type { Tensor, Tensor3D, Tensor4D, Tensor5D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { LlamaConfig } from "./config";
import { activation, linear, rmsNorm } from "./layers";
import { applyRotary, rotaryTables } from "./rope";
import type { Weights } from "./weights";

// a type alias (not an interface) so tf.tidy accepts it as a TensorContainer
/** One layer's cached keys and values, `[B, kvHeads, T, headDim]` (keys after rotation). */
export type LayerCache = { keys: Tensor4D; values: Tensor4D };

const M = "model.text_model.";

/**
 * Grouped-query attention of one layer. Query head `h` reads key/value head `floor(h / (heads / kvHeads))`,
 * as transformers' repeat_kv: the queries of one key/value group are stacked so a single batched matMul
 * serves them without copying keys. `bias [B, 1, 1, Lq, Lk]` is added to the scores (0 or a large negative).
 */
function attention(
  x: Tensor3D,
  w: Weights,
  prefix: string,
  config: LlamaConfig,
  rotary: { cos: Tensor; sin: Tensor },
  bias: Tensor5D,
  past: LayerCache | undefined,
): { output: Tensor3D; cache: LayerCache } {
  const [batch, length] = x.shape;
  const { numHeads, numKvHeads, headDim } = config;
  const group = numHeads / numKvHeads;
  const heads = (name: string, count: number) =>
    tf.transpose(
      tf.reshape(linear(x, w.get(`${prefix}${name}.weight`)), [batch, length, count, headDim]),
      [0, 2, 1, 3],
    );
  const q = applyRotary(heads("q_proj", numHeads), rotary.cos, rotary.sin);
  const kNew = applyRotary(heads("k_proj", numKvHeads), rotary.cos, rotary.sin) as Tensor4D;
  const vNew = heads("v_proj", numKvHeads) as Tensor4D;
  const keys = past === undefined ? kNew : (tf.concat([past.keys, kNew], 2) as Tensor4D);
  const values = past === undefined ? vNew : (tf.concat([past.values, vNew], 2) as Tensor4D);
  const total = keys.shape[2];
  const grouped = tf.reshape(q, [batch, numKvHeads, group * length, headDim]);
  const scores = tf.mul(tf.matMul(grouped, tf.transpose(keys, [0, 1, 3, 2])), headDim ** -0.5);
  const masked = tf.add(tf.reshape(scores, [batch, numKvHeads, group, length, total]), bias);
  const probs = tf.reshape(tf.softmax(masked), [batch, numKvHeads, group * length, total]);
  const mixed = tf.reshape(tf.matMul(probs, values), [batch, numHeads, length, headDim]);
  const merged = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch, length, numHeads * headDim]);
  return { output: linear(merged, w.get(`${prefix}o_proj.weight`)) as Tensor3D, cache: { keys, values } };
}

/** Inputs of {@link llamaDecoder}. */
export interface DecoderInput {
  /** `[B, L, D]` input embeddings (token embeddings with image features already placed). */
  embeds: Tensor3D;
  /** Position of the first of the `L` inputs (the same for every row: rows are left-padded). */
  start: number;
  /** `[B, 1, 1, L, T]`: 0 where a query may attend a key, a large negative number elsewhere. */
  bias: Tensor5D;
  /** Per layer, the keys and values of the `T - L` earlier positions. */
  past?: LayerCache[];
}

/**
 * The Llama decoder of Idefics3 (LlamaModel): pre-RMSNorm layers of rotary grouped-query attention and a
 * SwiGLU MLP, then the final norm. Returns `hidden [B, L, D]` and every layer's grown key/value cache.
 *
 * @example
 * const { hidden } = llamaDecoder(weights, config.text, { embeds, start: 0, bias });
 */
export function llamaDecoder(
  w: Weights,
  config: LlamaConfig,
  input: DecoderInput,
): { hidden: Tensor3D; caches: LayerCache[] } {
  const act = activation(config.hiddenAct, "text_config");
  const { embeds, start, bias, past } = input;
  const rotary = rotaryTables(start, embeds.shape[1], config.headDim, config.ropeTheta);
  let x = embeds;
  const caches: LayerCache[] = [];
  for (let i = 0; i < config.numLayers; i++) {
    const q = `${M}layers.${i}.`;
    const h = rmsNorm(x, w.get(`${q}input_layernorm.weight`), config.rmsNormEps) as Tensor3D;
    const { output, cache } = attention(h, w, `${q}self_attn.`, config, rotary, bias, past?.[i]);
    caches.push(cache);
    x = tf.add(x, output) as Tensor3D;
    const h2 = rmsNorm(x, w.get(`${q}post_attention_layernorm.weight`), config.rmsNormEps);
    const gated = tf.mul(
      act(linear(h2, w.get(`${q}mlp.gate_proj.weight`))),
      linear(h2, w.get(`${q}mlp.up_proj.weight`)),
    );
    x = tf.add(x, linear(gated, w.get(`${q}mlp.down_proj.weight`))) as Tensor3D;
  }
  return { hidden: rmsNorm(x, w.get(`${M}norm.weight`), config.rmsNormEps) as Tensor3D, caches };
}
