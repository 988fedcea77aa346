import type { Tensor2D, Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { registerTrainingGradients } from "./gradients";
import type { VisionLanguagePolicy } from "./policy";

/**
 * `logProbs [B, T]`: log-softmax of `logits [B, T, V]` gathered at `ids [B, T]`. Differentiable w.r.t. logits.
 *
 * @example
 * tokenLogProbs(tf.tensor3d([[[0, 0]]]), tf.tensor2d([[1]], undefined, "int32")); // [[-0.693]]
 */
export function tokenLogProbs(logits: Tensor3D, ids: Tensor2D): Tensor2D {
  if (logits.rank !== 3) throw new Error(`tokenLogProbs: logits must be [B, T, V], got [${logits.shape}]`);
  if (ids.rank !== 2 || ids.shape[0] !== logits.shape[0] || ids.shape[1] !== logits.shape[1]) {
    throw new Error(
      `tokenLogProbs: ids must be [${logits.shape[0]}, ${logits.shape[1]}] like logits, got [${ids.shape}]`,
    );
  }
  registerTrainingGradients();
  const vocab = logits.shape[2];
  return tf.tidy(() => {
    const picked = tf.oneHot(tf.cast(ids, "int32"), vocab);
    return tf.sum(tf.mul(tf.logSoftmax(logits), picked), -1) as Tensor2D;
  });
}

/** Inputs of {@link scoreResponses}: one unpadded prompt and response per image. */
export interface ScoreInput {
  /** `[B, H, W, 3]` floats in [0, 1]. */
  images: Tensor4D;
  promptIds: number[][];
  responseIds: number[][];
}

/** Outputs of {@link scoreResponses}; the caller owns (and disposes) all three. */
export interface ScoredResponses {
  /** `[B, T, V]`: row b's slot t holds the logits that predict response token t. */
  logits: Tensor3D;
  /** `[B, T]`: log-probability of each response token (0 at padding). */
  logProbs: Tensor2D;
  /** `[B, T]` float: 1 on real response tokens, 0 on padding. */
  responseMask: Tensor2D;
}

/**
 * Scores responses under the policy in one forward pass: `inputIds` is the left-padded prompt followed by the
 * right-padded response, and response token t of row b is scored by the logit that predicts it. Differentiable
 * (use inside `tf.variableGrads`); every loss of the trainer starts here.
 *
 * @example
 * const { logProbs, responseMask } = scoreResponses(policy, { images, promptIds: [[1, 40]], responseIds: [[41, 2]] });
 */
export function scoreResponses(policy: VisionLanguagePolicy, input: ScoreInput): ScoredResponses {
  const { images, promptIds, responseIds } = input;
  const batch = images.shape[0];
  if (!Array.isArray(promptIds) || promptIds.length !== batch) {
    throw new Error(
      `scoreResponses: promptIds must hold one prompt per image (${batch}), got ${promptIds?.length}`,
    );
  }
  if (!Array.isArray(responseIds) || responseIds.length !== batch) {
    throw new Error(
      `scoreResponses: responseIds must hold one response per image (${batch}), got ${responseIds?.length}`,
    );
  }
  promptIds.forEach((prompt, b) => {
    if (prompt.length === 0)
      throw new Error(`scoreResponses: promptIds[${b}] is empty (start prompts with bosId)`);
  });
  const { padId } = policy.tokenizer;
  const promptWidth = Math.max(...promptIds.map((p) => p.length));
  const responseWidth = Math.max(0, ...responseIds.map((r) => r.length));
  const width = promptWidth + responseWidth;
  const ids = new Int32Array(batch * width).fill(padId);
  const mask = new Float32Array(batch * width);
  const targets = new Int32Array(batch * responseWidth).fill(padId);
  const responseMask = new Float32Array(batch * responseWidth);
  for (let b = 0; b < batch; b++) {
    const prompt = promptIds[b] as number[];
    const response = responseIds[b] as number[];
    const start = b * width + promptWidth - prompt.length;
    ids.set(prompt, start);
    ids.set(response, b * width + promptWidth);
    mask.fill(1, start, b * width + promptWidth + response.length);
    targets.set(response, b * responseWidth);
    responseMask.fill(1, b * responseWidth, b * responseWidth + response.length);
  }
  return tf.tidy(() => {
    const all = policy.forward({
      images,
      inputIds: tf.tensor2d(ids, [batch, width], "int32"),
      attentionMask: tf.tensor2d(mask, [batch, width], "float32"),
    });
    const logits = tf.slice(all, [0, promptWidth - 1, 0], [-1, responseWidth, -1]) as Tensor3D;
    const maskTensor = tf.tensor2d(responseMask, [batch, responseWidth], "float32");
    const logProbs = tf.mul(
      tokenLogProbs(logits, tf.tensor2d(targets, [batch, responseWidth], "int32")),
      maskTensor,
    ) as Tensor2D;
    return { logits, logProbs, responseMask: maskTensor };
  });
}
