import { mulberry32, permutation } from "@cppo/random";
import type { Tensor, Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { VisionLanguagePolicy } from "./policy";
import { scoreResponses } from "./score";

/** One teacher-forcing example: an `[H, W, 3]` image (tensor or flat floats), a prompt and its reference response. */
export interface SupervisedExample {
  image: Tensor3D | Float32Array;
  promptIds: number[];
  responseIds: number[];
}

/** Examples as an array or as a random-access provider (`get` may be async). */
export type SupervisedExamples =
  | readonly SupervisedExample[]
  | { length: number; get(index: number): SupervisedExample | Promise<SupervisedExample> };

export interface SupervisedFineTuneOptions {
  examples: SupervisedExamples;
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Global gradient-norm clip; 0 or Infinity turns it off. */
  gradClip?: number;
  /** Called after every step; return `"stop"` to end training early. */
  onStep?: (info: { step: number; loss: number; gradNorm: number }) => unknown;
}

/**
 * Teacher-forced cross-entropy on the response tokens (EOS is appended to responses that lack it), with Adam,
 * global gradient-norm clipping and a seeded batch order (reshuffled every epoch). Returns the per-step losses.
 *
 * @example
 * const { losses } = await supervisedFineTune(policy, { examples, steps: 100, batchSize: 16, learningRate: 3e-3, seed: 0 });
 */
export async function supervisedFineTune(
  policy: VisionLanguagePolicy,
  options: SupervisedFineTuneOptions,
): Promise<{ losses: number[] }> {
  const { examples, steps, batchSize, learningRate, seed, gradClip = 1.0, onStep } = options;
  const count = examples.length;
  if (!Number.isInteger(count) || count <= 0)
    throw new Error(`supervisedFineTune: examples is empty (length ${count})`);
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`supervisedFineTune: steps must be an integer >= 0, got ${steps}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new Error(`supervisedFineTune: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!(learningRate > 0))
    throw new Error(`supervisedFineTune: learningRate must be > 0, got ${learningRate}`);
  if (!(gradClip >= 0)) throw new Error(`supervisedFineTune: gradClip must be >= 0, got ${gradClip}`);

  const size = policy.imageSize;
  const { eosId } = policy.tokenizer;
  const get = (index: number) =>
    Array.isArray(examples)
      ? (examples[index] as SupervisedExample)
      : (examples as Exclude<SupervisedExamples, readonly SupervisedExample[]>).get(index);
  const next = mulberry32(seed);
  let order: number[] = [];
  let cursor = 0;
  const variables = policy.trainableVariables;
  const optimizer = tf.train.adam(learningRate);
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const batch: SupervisedExample[] = [];
      while (batch.length < batchSize) {
        if (cursor >= order.length) {
          order = permutation(count, next);
          cursor = 0;
        }
        batch.push(await get(order[cursor++] as number));
      }
      const promptIds = batch.map((e) => e.promptIds);
      const responseIds = batch.map((e) =>
        e.responseIds[e.responseIds.length - 1] === eosId ? e.responseIds : [...e.responseIds, eosId],
      );
      const images = tf.tidy(() => tf.stack(batch.map((e, i) => toImage(e.image, size, i))) as Tensor4D);
      const { loss, gradNorm } = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const scored = scoreResponses(policy, { images, promptIds, responseIds });
          return tf.div(
            tf.neg(tf.sum(scored.logProbs)),
            tf.maximum(tf.sum(scored.responseMask), 1),
          ) as tf.Scalar;
        }, variables);
        const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
        const normValue = norm.dataSync()[0] as number;
        const scale = gradClip > 0 && normValue > gradClip ? gradClip / normValue : 1;
        const clipped: Record<string, Tensor> = {};
        for (const [name, g] of Object.entries(grads)) clipped[name] = scale === 1 ? g : tf.mul(g, scale);
        optimizer.applyGradients(clipped as Parameters<typeof optimizer.applyGradients>[0]);
        return { loss: value.dataSync()[0] as number, gradNorm: normValue };
      });
      images.dispose();
      if (!Number.isFinite(loss)) throw new Error(`supervisedFineTune: loss became ${loss} at step ${step}`);
      losses.push(loss);
      if ((await onStep?.({ step, loss, gradNorm })) === "stop") break;
    }
  } finally {
    optimizer.dispose();
  }
  return { losses };
}

function toImage(image: Tensor3D | Float32Array, size: number, index: number): Tensor3D {
  if (image instanceof Float32Array) {
    if (image.length !== size * size * 3) {
      throw new Error(
        `supervisedFineTune: example image ${index} has ${image.length} floats, expected ${size}x${size}x3`,
      );
    }
    return tf.tensor3d(image, [size, size, 3]);
  }
  if (image.rank !== 3 || image.shape[0] !== size || image.shape[1] !== size || image.shape[2] !== 3) {
    throw new Error(
      `supervisedFineTune: example image ${index} has shape [${image.shape}], expected [${size}, ${size}, 3]`,
    );
  }
  return image;
}
