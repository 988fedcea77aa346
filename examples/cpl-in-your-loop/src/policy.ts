import * as tf from "@tensorflow/tfjs";
import { RESPONSE_LENGTH, SIDE, VOCAB } from "./task";

/** The "existing" policy: per response position, a linear map from the image to token logits. */
export class LinearPolicy {
  readonly weights: tf.Variable<tf.Rank.R3>;
  readonly bias: tf.Variable<tf.Rank.R2>;

  constructor(seed: number) {
    const initialWeights = tf.randomNormal([RESPONSE_LENGTH, SIDE * SIDE, VOCAB], 0, 0.1, "float32", seed);
    const initialBias = tf.zeros([RESPONSE_LENGTH, VOCAB]);
    this.weights = tf.variable(initialWeights) as tf.Variable<tf.Rank.R3>;
    this.bias = tf.variable(initialBias) as tf.Variable<tf.Rank.R2>;
    tf.dispose([initialWeights, initialBias]);
  }

  /** images `[N, D]` to logits `[N, T, V]`. */
  logits(images: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const perPosition = this.weights.transpose([1, 0, 2]).reshape([SIDE * SIDE, RESPONSE_LENGTH * VOCAB]);
      const flat = tf.matMul(images, perPosition).reshape([images.shape[0], RESPONSE_LENGTH, VOCAB]);
      return flat.add(this.bias) as tf.Tensor3D;
    });
  }

  dispose(): void {
    this.weights.dispose();
    this.bias.dispose();
  }
}

/** Log-probability `[N, T]` of `tokens [N, T]` under `logits [N, T, V]`. */
export function sampledLogProbs(logits: tf.Tensor3D, tokens: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    return tf.sum(tf.mul(logProbs, tf.oneHot(tokens.toInt(), VOCAB)), -1) as tf.Tensor2D;
  });
}
