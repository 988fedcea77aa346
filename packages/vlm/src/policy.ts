import type { Tensor2D, Tensor3D, Tensor4D, Variable } from "@tensorflow/tfjs-core";

/** Maps text to token ids and back. A character tokenizer ships here; a subword one fits the same shape. */
export interface Tokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  encode(text: string): number[];
  /** Token ids with the `[start, end)` character span of `text` each one covers. */
  encodeWithOffsets(text: string): { ids: number[]; offsets: Array<[number, number]> };
  /** Stops at nothing: special tokens are written out as their text, padding is dropped. */
  decode(ids: readonly number[]): string;
  toJSON(): unknown;
}

export interface ForwardInput {
  /** `[B, H, W, 3]` floats in [0, 1]. */
  images: Tensor4D;
  /** `[B, L]` int32 token ids: left-padded prompt followed by the (right-padded) response. */
  inputIds: Tensor2D;
  /** `[B, L]` 1 for real tokens, 0 for padding. Defaults to all ones. */
  attentionMask?: Tensor2D;
}

export interface GenerateInput {
  /** `[B, H, W, 3]` floats in [0, 1]. */
  images: Tensor4D;
  /** One prompt per image, token ids without padding. */
  promptIds: number[][];
  maxNewTokens: number;
  temperature?: number;
  topP?: number;
  seed: number;
}

export interface Generation {
  /** Sampled response ids per row, ending with the EOS id when one was sampled. */
  tokens: number[][];
  /** Log-probability of each sampled token under the policy itself (temperature 1, no top-p truncation). */
  logProbs: number[][];
  lengths: number[];
}

/** What the trainer needs from a vision-language model. Implement it to train your own tfjs model. */
export interface VisionLanguagePolicy {
  readonly tokenizer: Tokenizer;
  /** Side of the square images the policy takes. */
  readonly imageSize: number;
  /** `logits [B, L, V]`: position `l` predicts token `l + 1` of `inputIds`. */
  forward(input: ForwardInput): Tensor3D;
  generate(input: GenerateInput): Promise<Generation>;
  readonly trainableVariables: Variable[];
  /** Writes `config.json` and `weights.bin` + `weights.json` into `dir` (atomically). */
  save(dir: string): Promise<void>;
  /** An independent copy with its own variables (the frozen reference policy). */
  clone(): VisionLanguagePolicy;
  dispose(): void;
}
