import type { Tensor, Tensor2D, Tensor3D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

/** Where the image features go in a batch of token ids. */
export interface ImageSlots {
  /** Rows that hold an image block, in order; their images go through the vision tower. */
  rows: number[];
  /**
   * `[B * L]`: for each position, the row of `[tokenEmbeds (B*L); imageFeatures (rows.length*S)]` it takes,
   * i.e. its own token embedding or the image feature that replaces it.
   */
  source: Int32Array;
}

/**
 * Finds the `<image>` slots of `ids [B * L]` (row-major). A row holds no image, or one image: its first
 * `imageSeqLen` `<image>` tokens take the image's features in order, as transformers' inputs_merger fills the
 * prompt's slots; later `<image>` ids (a sampled response can hold some) stay ordinary token embeddings,
 * as in transformers' cached generation.
 *
 * @example
 * imageSlots(Int32Array.from([5, 9, 9, 6]), 1, 4, 9, 2); // { rows: [0], source: [0, 4, 5, 3] }
 */
export function imageSlots(
  ids: Int32Array,
  batch: number,
  length: number,
  imageTokenId: number,
  imageSeqLen: number,
): ImageSlots {
  const source = new Int32Array(batch * length);
  const rows: number[] = [];
  const textRows = batch * length;
  for (let b = 0; b < batch; b++) {
    let count = 0;
    for (let l = 0; l < length; l++) if (ids[b * length + l] === imageTokenId) count++;
    if (count > 0 && count < imageSeqLen) {
      throw new Error(
        `row ${b} holds ${count} <image> tokens; an image needs ${imageSeqLen} (expand the prompt with encodePrompt)`,
      );
    }
    const image = count > 0 ? rows.push(b) - 1 : -1;
    let filled = 0;
    for (let l = 0; l < length; l++) {
      const at = b * length + l;
      if (image >= 0 && filled < imageSeqLen && ids[at] === imageTokenId) {
        source[at] = textRows + image * imageSeqLen + filled;
        filled++;
      } else {
        source[at] = at;
      }
    }
  }
  return { rows, source };
}

/** `tokenEmbeds [B, L, D]` with the slots of {@link imageSlots} replaced by `features [rows, S, D]`. */
export function placeImageFeatures(
  tokenEmbeds: Tensor3D,
  features: Tensor3D | undefined,
  slots: ImageSlots,
): Tensor3D {
  if (features === undefined) return tokenEmbeds;
  const [batch, length, d] = tokenEmbeds.shape;
  const table = tf.concat(
    [tf.reshape(tokenEmbeds, [batch * length, d]), tf.reshape(features, [-1, d])],
    0,
  ) as Tensor2D;
  const picked: Tensor = tf.gather(table, tf.tensor1d(slots.source, "int32"));
  return tf.reshape(picked, [batch, length, d]) as Tensor3D;
}
