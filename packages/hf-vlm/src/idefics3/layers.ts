import type { Tensor, Tensor2D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

// Building blocks from public tfjs ops only, so every backend runs and differentiates them (the gradients
// @cppo/vlm registers cover each op used here).

/** `x [..., in] @ kernel [in, out] (+ bias [out])`. */
export function linear(x: Tensor, kernel: Tensor, bias?: Tensor): Tensor {
  const inDim = x.shape[x.shape.length - 1] as number;
  const outShape = [...x.shape.slice(0, -1), kernel.shape[1] as number];
  const flat = tf.matMul(tf.reshape(x, [-1, inDim]), kernel as Tensor2D);
  return tf.reshape(bias === undefined ? flat : tf.add(flat, bias), outShape);
}

/** LayerNorm over the last axis (biased variance, as torch.nn.LayerNorm). */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number): Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, eps))), weight), bias);
}

/** LlamaRMSNorm: `weight * x / sqrt(mean(x^2) + eps)` over the last axis. */
export function rmsNorm(x: Tensor, weight: Tensor, eps: number): Tensor {
  const meanSquare = tf.mean(tf.square(x), -1, true);
  return tf.mul(weight, tf.div(x, tf.sqrt(tf.add(meanSquare, eps))));
}

/** GELU with the tanh approximation (transformers' `gelu_pytorch_tanh`). */
export function geluTanh(x: Tensor): Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/** SiLU, `x * sigmoid(x)`. */
export function silu(x: Tensor): Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

const ACTIVATIONS: Record<string, (x: Tensor) => Tensor> = {
  gelu_pytorch_tanh: geluTanh,
  gelu_new: geluTanh,
  gelu_fast: geluTanh,
  silu,
  swish: silu,
};

/** The activation transformers calls `name` in `hidden_act`; an error naming `where` for unknown ones. */
export function activation(name: string, where: string): (x: Tensor) => Tensor {
  const fn = ACTIVATIONS[name];
  if (fn === undefined) {
    throw new Error(
      `${where}: hidden_act "${name}" is not supported (supported: ${Object.keys(ACTIVATIONS).join(", ")})`,
    );
  }
  return fn;
}
