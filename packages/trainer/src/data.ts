import { stat } from "node:fs/promises";
import { makeSynthDataset } from "@cppo/data-synth";
import { loadGeometry3K, loadViRL39K } from "@cppo/data-virl";
import { decodeImage } from "@cppo/perturb";
import { mixSeed, mulberry32, permutation } from "@cppo/random";
import type { Tokenizer } from "@cppo/vlm";
import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { TrainConfig } from "./config";

/** What the trainer needs of one problem (data-synth and data-virl examples have this shape). */
export interface TrainExample {
  id: string;
  /** The question, with a `<image>` marker where the image goes. */
  prompt: string;
  groundTruth: string;
  /** Encoded images (PNG, JPEG, ...); the first one is used. */
  images: Uint8Array[];
  /** data-synth only: a correct response, and 1 per character of it that depends on the image. */
  referenceResponse?: string;
  perceptionLabels?: Uint8Array;
  /** data-synth only: the values drawn into the image (for labelling sampled responses). */
  perceptionValues?: Record<string, number>;
}

/** Random access to problems. */
export interface Dataset<E extends TrainExample = TrainExample> {
  readonly length: number;
  get(i: number): Promise<E>;
}

const ORDER_SALT = 0x0da7a;

/** The validation set of data-synth is drawn from the train split with the training seed plus this. */
export const VALIDATION_SEED_OFFSET = 1000;

/**
 * The training order: position `p` (prompts drawn so far) maps to a dataset index through one seeded
 * permutation per epoch, so the order is a pure function of (seed, position) and resumes exactly.
 *
 * @example
 * const indexAt = trainingOrder(100, 0);
 * indexAt(0); indexAt(100); // first prompt of epoch 0 and of epoch 1
 */
export function trainingOrder(length: number, seed: number): (position: number) => number {
  if (!(length > 0)) throw new Error(`training data set is empty (length ${length})`);
  const cache = new Map<number, number[]>();
  return (position) => {
    const epoch = Math.floor(position / length);
    let order = cache.get(epoch);
    if (!order) {
      order = permutation(length, mulberry32(mixSeed(seed, epoch, ORDER_SALT)));
      cache.clear();
      cache.set(epoch, order);
    }
    return order[position % length] as number;
  };
}

/**
 * Removes the `<image>` markers (the image enters the policy through its patches, not as text).
 *
 * @example
 * stripImageMarker("<image>\nred+blue?"); // "red+blue?"
 */
export function stripImageMarker(prompt: string): string {
  return prompt.replace(/<image>\n?/g, "");
}

/**
 * Token ids of a prompt as the policy sees it: BOS, then the prompt text without image markers.
 *
 * @example
 * encodePrompt(tokenizer, "<image>\n2+2?"); // [bos, "2", "+", "2", "?"]
 */
export function encodePrompt(tokenizer: Tokenizer, prompt: string): number[] {
  return [tokenizer.bosId, ...tokenizer.encode(stripImageMarker(prompt))];
}

/**
 * Decodes the first image of each example to `[N, size, size, 3]` floats in [0, 1].
 *
 * @example
 * const images = await decodeImages(examples, policy.imageSize);
 */
export async function decodeImages(examples: readonly TrainExample[], size: number): Promise<Tensor4D> {
  const decoded: Tensor3D[] = [];
  try {
    for (const example of examples) {
      const bytes = example.images?.[0];
      if (!bytes) throw new Error(`example ${example.id} has no image`);
      decoded.push(await decodeImage(bytes, { size }));
    }
    return tf.stack(decoded) as Tensor4D;
  } finally {
    tf.dispose(decoded);
  }
}

/**
 * The train and test sets named by `config.data`. Real data sets need `data.root`; a missing folder is an
 * error naming it.
 *
 * @example
 * const { train, test } = await openDatasets(defaultConfig());
 */
export async function openDatasets(config: TrainConfig): Promise<{ train: Dataset; test: Dataset }> {
  const { data, seed } = config;
  if (data.source === "synth") {
    const { seed: dataSeed, imageSize } = data;
    return {
      train: makeSynthDataset({ split: "train", size: data.trainSize, seed: dataSeed, imageSize }),
      test:
        data.evalSplit === "validation"
          ? makeSynthDataset({
              split: "train",
              size: data.testSize,
              seed: dataSeed + VALIDATION_SEED_OFFSET,
              imageSize,
            })
          : makeSynthDataset({ split: "test", size: data.testSize, seed: dataSeed, imageSize }),
    };
  }
  const root = data.root;
  if (!root)
    throw new Error(`data.source ${data.source} needs data.root (--data-root DIR): the folder of its files`);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`data root ${root} does not exist or is not a folder`);
  if (data.source === "virl39k") {
    const part = (p: "train" | "validation") => ({ validationFraction: 0.02, seed, part: p });
    return {
      train: await loadViRL39K({ root, split: part("train"), skipInvalid: true }),
      test: await loadViRL39K({ root, split: part("validation"), limit: data.testSize, skipInvalid: true }),
    };
  }
  const test = await loadGeometry3K({ root, split: "test", skipInvalid: true });
  return {
    train: await loadGeometry3K({ root, split: "train", skipInvalid: true }),
    test: firstN(test, data.testSize),
  };
}

function firstN<E extends TrainExample>(dataset: Dataset<E>, n: number): Dataset<E> {
  const length = Math.min(n, dataset.length);
  return { length, get: (i) => dataset.get(i) };
}
