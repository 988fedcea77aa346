import type { Tensor, Variable } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

/** A tensor with a name, as in `optimizer.getWeights()`. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Adam whose bias corrections are computed from the step count in float64, so a run restored from
 * `getWeights()` continues bit-for-bit (tfjs's own Adam re-derives its running beta powers differently after
 * `setWeights`, which breaks exact resume). State: `[step, m_0..m_{n-1}, v_0..v_{n-1}]`.
 *
 * @example
 * const w = tf.variable(tf.scalar(1));
 * const adam = new Adam({ learningRate: 0.1 });
 * adam.applyGradients([w], [tf.scalar(2)]); // first step moves by the learning rate: w = 0.9
 */
export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private step = 0;
  private firstMoments: Variable[] = [];
  private secondMoments: Variable[] = [];
  /** The step count as a tensor for `getWeights`, owned here so callers never dispose it. */
  private stepTensor: { step: number; tensor: Tensor } | null = null;

  constructor(options: AdamOptions) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /** Number of updates applied so far. */
  get iterations(): number {
    return this.step;
  }

  /** One update of `variables` with `gradients` (same order and shapes every call). */
  applyGradients(variables: readonly Variable[], gradients: readonly Tensor[]): void {
    if (variables.length !== gradients.length) {
      throw new Error(`Adam: got ${gradients.length} gradients for ${variables.length} variables`);
    }
    if (this.firstMoments.length === 0) {
      this.firstMoments = variables.map((v) => tf.variable(tf.zerosLike(v), false));
      this.secondMoments = variables.map((v) => tf.variable(tf.zerosLike(v), false));
    } else if (this.firstMoments.length !== variables.length) {
      throw new Error(`Adam: state holds ${this.firstMoments.length} variables, got ${variables.length}`);
    }
    this.step += 1;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      variables.forEach((variable, i) => {
        const g = gradients[i] as Tensor;
        const m = this.firstMoments[i] as Variable;
        const v = this.secondMoments[i] as Variable;
        const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(newM);
        v.assign(newV);
        const mHat = tf.div(newM, correction1);
        const vHat = tf.div(newV, correction2);
        const update = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), this.learningRate);
        variable.assign(tf.sub(variable, update));
      });
    });
  }

  /** The state as named tensors (the caller must not dispose them; copy before the next update). */
  getWeights(): NamedTensor[] {
    if (this.stepTensor?.step !== this.step) {
      this.stepTensor?.tensor.dispose();
      this.stepTensor = { step: this.step, tensor: tf.scalar(this.step, "int32") };
    }
    return [
      { name: "iterations", tensor: this.stepTensor.tensor },
      ...this.firstMoments.map((tensor, i) => ({ name: `m/${i}`, tensor })),
      ...this.secondMoments.map((tensor, i) => ({ name: `v/${i}`, tensor })),
    ];
  }

  /** Restores a state written by `getWeights` (tensors are copied). */
  setWeights(weights: readonly NamedTensor[]): void {
    const [iterations, ...moments] = weights;
    if (iterations?.name !== "iterations" || moments.length % 2 !== 0) {
      throw new Error("Adam.setWeights: expected [iterations, m..., v...] as written by getWeights()");
    }
    const step = iterations.tensor.dataSync()[0] as number;
    this.disposeMoments();
    const half = moments.length / 2;
    this.firstMoments = moments.slice(0, half).map((w) => tf.variable(w.tensor.clone(), false));
    this.secondMoments = moments.slice(half).map((w) => tf.variable(w.tensor.clone(), false));
    this.step = step;
  }

  dispose(): void {
    this.disposeMoments();
    this.stepTensor?.tensor.dispose();
    this.stepTensor = null;
  }

  private disposeMoments(): void {
    for (const v of [...this.firstMoments, ...this.secondMoments]) v.dispose();
    this.firstMoments = [];
    this.secondMoments = [];
  }
}
