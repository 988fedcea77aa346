import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { Idefics3VisionConfig } from "./config";
import { activation, layerNorm, linear } from "./layers";
import type { Weights } from "./weights";

const P = "model.vision_model.";

/**
 * `pixels [N, S, S, 3]` (normalised) -> `patches [N, (S/P)^2, 3 * P * P]`, each patch flattened channel-major
 * then row, then column: the order of a `[D, 3, P, P]` convolution kernel, so a matMul with the kernel held as
 * `[3 * P * P, D]` is the stride-P convolution.
 */
export function patchify(pixels: Tensor4D, patchSize: number): Tensor3D {
  const [n, size] = pixels.shape;
  const grid = size / patchSize;
  const split = tf.reshape(pixels, [n, grid, patchSize, grid, patchSize, 3]);
  // [n, gridRow, gridCol, channel, row, col]
  return tf.reshape(tf.transpose(split, [0, 1, 3, 5, 2, 4]), [
    n,
    grid * grid,
    3 * patchSize * patchSize,
  ]) as Tensor3D;
}

/** Multi-head self-attention over all patches (no mask: a full image has no padding patches). */
function attention(x: Tensor3D, w: Weights, prefix: string, config: Idefics3VisionConfig): Tensor3D {
  const [n, length, d] = x.shape;
  const heads = config.numHeads;
  const headDim = d / heads;
  const project = (name: string) =>
    tf.transpose(
      tf.reshape(linear(x, w.get(`${prefix}${name}.weight`), w.get(`${prefix}${name}.bias`)), [
        n,
        length,
        heads,
        headDim,
      ]),
      [0, 2, 1, 3],
    );
  const q = project("q_proj");
  const k = project("k_proj");
  const v = project("v_proj");
  const scores = tf.mul(tf.matMul(q, tf.transpose(k, [0, 1, 3, 2])), headDim ** -0.5);
  const mixed = tf.matMul(tf.softmax(scores), v);
  const merged = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [n, length, d]);
  return linear(merged, w.get(`${prefix}out_proj.weight`), w.get(`${prefix}out_proj.bias`)) as Tensor3D;
}

/**
 * The Idefics3 vision tower (SigLIP encoder): patch embedding plus learned positions (0..N-1 for a full
 * image), pre-LayerNorm encoder layers, post-LayerNorm. `pixels [N, S, S, 3]` normalised ->
 * `[N, (S/P)^2, D]`, Hugging Face's `vision_model(...).last_hidden_state`.
 *
 * @example
 * const hidden = visionTower(weights, config.vision, normalised); // [1, 1024, 768] for SmolVLM-256M
 */
export function visionTower(w: Weights, config: Idefics3VisionConfig, pixels: Tensor4D): Tensor3D {
  const act = activation(config.hiddenAct, "vision_config");
  const eps = config.layerNormEps;
  let x = tf.add(
    linear(
      patchify(pixels, config.patchSize),
      w.get(`${P}embeddings.patch_embedding.weight`),
      w.get(`${P}embeddings.patch_embedding.bias`),
    ),
    w.get(`${P}embeddings.position_embedding.weight`),
  ) as Tensor3D;
  for (let i = 0; i < config.numLayers; i++) {
    const q = `${P}encoder.layers.${i}.`;
    const h = layerNorm(x, w.get(`${q}layer_norm1.weight`), w.get(`${q}layer_norm1.bias`), eps) as Tensor3D;
    x = tf.add(x, attention(h, w, `${q}self_attn.`, config)) as Tensor3D;
    const h2 = layerNorm(x, w.get(`${q}layer_norm2.weight`), w.get(`${q}layer_norm2.bias`), eps);
    const up = act(linear(h2, w.get(`${q}mlp.fc1.weight`), w.get(`${q}mlp.fc1.bias`)));
    x = tf.add(x, linear(up, w.get(`${q}mlp.fc2.weight`), w.get(`${q}mlp.fc2.bias`))) as Tensor3D;
  }
  return layerNorm(x, w.get(`${P}post_layernorm.weight`), w.get(`${P}post_layernorm.bias`), eps) as Tensor3D;
}
