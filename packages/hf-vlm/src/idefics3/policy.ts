import { mulberry32 } from "@cppo/random";
import type { ForwardInput, GenerateInput, Generation, VisionLanguagePolicy } from "@cppo/vlm";
import { registerTrainingGradients, sampleToken } from "@cppo/vlm";
import type { Tensor2D, Tensor3D, Tensor4D, Variable } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { ChatTemplate } from "../chat-template";
import type { HfTokenizer } from "../hf-tokenizer";
import type { ImageProcessor } from "../image-processor";
import { attentionBias } from "./attention-bias";
import type { Idefics3Config } from "./config";
import { connector } from "./connector";
import { type ImageSlots, imageSlots, placeImageFeatures } from "./image-slots";
import { linear } from "./layers";
import { type LayerCache, llamaDecoder } from "./llama-decoder";
import { idefics3Parameters, type ParameterSpec } from "./parameters";
import { encodeIdefics3Prompt } from "./prompt";
import { visionTower } from "./siglip-vision";
import type { Weights } from "./weights";

/** What the policy is built from; {@link loadIdefics3} reads it from a Hugging Face folder. */
export interface Idefics3Parts {
  config: Idefics3Config;
  /** `config.json` as read, written back on save. */
  rawConfig: Record<string, unknown>;
  tokenizer: HfTokenizer;
  template: ChatTemplate;
  images: ImageProcessor;
  /** The folder the model came from; its tokenizer and processor files are copied on save. */
  sourceDir: string;
  /** Parameters by Hugging Face name, in the layouts of `parameters.ts`. */
  variables: Map<string, Variable>;
  /** Leave the vision tower out of {@link Idefics3Policy.trainableVariables}. */
  freezeVision: boolean;
}

/** Generation options of {@link Idefics3Policy.generate}; `useCache: false` re-runs the whole sequence each step. */
export interface Idefics3GenerateInput extends GenerateInput {
  useCache?: boolean;
}

const EMBED = "model.text_model.embed_tokens.weight";

/**
 * An Idefics3 model (SmolVLM, Idefics3-8B) as a {@link VisionLanguagePolicy}: SigLIP vision tower,
 * pixel-shuffle connector, Llama decoder, with Hugging Face's logits. Build one with `fromPretrained`.
 *
 * `forward` takes the ids the Hugging Face processor makes (image blocks expanded; `encodePrompt` makes them
 * from a dataset prompt), `images [B, S, S, 3]` in [0, 1] at the vision tower's size (normalised inside), and
 * returns `logits [B, L, V]` with text positions 0..L-1 in every row, as LlamaModel without explicit position
 * ids; left padding changes nothing at the real positions because rotary attention sees only distances.
 *
 * @example
 * const policy = await fromPretrained("models/SmolVLM-256M-Instruct");
 * const ids = policy.encodePrompt("<image>\nWhat is shown?");
 * const { tokens } = await policy.generate({ images, promptIds: [ids], maxNewTokens: 32, seed: 0 });
 */
export class Idefics3Policy implements VisionLanguagePolicy {
  readonly config: Idefics3Config;
  readonly tokenizer: HfTokenizer;
  readonly imageSize: number;
  readonly imageProcessor: ImageProcessor;
  private readonly parts: Idefics3Parts;
  private readonly specs: ParameterSpec[];
  private readonly weights: Weights;
  private disposed = false;

  constructor(parts: Idefics3Parts) {
    this.parts = parts;
    this.config = parts.config;
    this.tokenizer = parts.tokenizer;
    this.imageProcessor = parts.images;
    this.imageSize = parts.config.vision.imageSize;
    this.specs = idefics3Parameters(parts.config);
    const variables = parts.variables;
    for (const spec of this.specs) {
      if (!variables.has(spec.name))
        throw new Error(`Idefics3Policy: no variable for parameter "${spec.name}"`);
    }
    const tied = parts.config.tieWordEmbeddings;
    this.weights = {
      get: (name) => {
        const variable = variables.get(tied && name === "lm_head.weight" ? EMBED : name);
        if (variable === undefined) throw new Error(`Idefics3Policy: unknown parameter "${name}"`);
        return variable;
      },
    };
    registerTrainingGradients();
  }

  /** The parameters the trainer updates: all of them, or all but the vision tower's with `freeze: "vision"`. */
  get trainableVariables(): Variable[] {
    this.assertAlive();
    return this.specs
      .filter((s) => !(this.parts.freezeVision && s.vision))
      .map((s) => this.weights.get(s.name) as Variable);
  }

  /** Every parameter with its Hugging Face name and checkpoint spec (values in the in-memory layout). */
  namedParameters(): Array<{ spec: ParameterSpec; variable: Variable }> {
    this.assertAlive();
    return this.specs.map((spec) => ({ spec, variable: this.weights.get(spec.name) as Variable }));
  }

  /** Whether the vision tower is frozen (left out of {@link trainableVariables}). */
  get freezeVision(): boolean {
    return this.parts.freezeVision;
  }

  /** The source folder's `config.json`, as read. */
  get rawConfig(): Record<string, unknown> {
    return this.parts.rawConfig;
  }

  /** The folder the model was loaded from. */
  get sourceDir(): string {
    return this.parts.sourceDir;
  }

  /**
   * Prompt ids for a dataset prompt: the chat template's user turn (image first unless the prompt places
   * its `<image>` marker), the generation prompt, and the image expanded to `imageSeqLen` `<image>` tokens
   * between `<fake_token_around_image><global-img>` and `<fake_token_around_image>`.
   *
   * @example
   * policy.encodePrompt("<image>\n2+2?"); // ids of "<|im_start|>User:<fake_token_around_image>...2+2?<end_of_utterance>\nAssistant:"
   */
  encodePrompt(prompt: string): number[] {
    return encodeIdefics3Prompt(prompt, {
      tokenizer: this.tokenizer,
      template: this.parts.template,
      imageSeqLen: this.config.imageSeqLen,
    });
  }

  forward(input: ForwardInput): Tensor3D {
    this.assertAlive();
    const { images, inputIds, attentionMask } = input;
    if (inputIds?.rank !== 2)
      throw new Error(`Idefics3Policy.forward: inputIds must be [B, L], got [${inputIds?.shape}]`);
    if (inputIds.dtype !== "int32")
      throw new Error(`Idefics3Policy.forward: inputIds must be int32, got ${inputIds.dtype}`);
    const [batch, length] = inputIds.shape;
    if (
      attentionMask !== undefined &&
      (attentionMask.rank !== 2 || attentionMask.shape[0] !== batch || attentionMask.shape[1] !== length)
    ) {
      throw new Error(
        `Idefics3Policy.forward: attentionMask must be [${batch}, ${length}] like inputIds, got [${attentionMask.shape}]`,
      );
    }
    const ids = inputIds.dataSync() as Int32Array;
    this.checkIds(ids, "forward: inputIds");
    const slots = imageSlots(ids, batch, length, this.config.imageTokenId, this.config.imageSeqLen);
    if (slots.rows.length > 0) this.checkImages(images, batch, "forward");
    return tf.tidy(() => {
      const mask = (
        attentionMask === undefined ? tf.ones([batch, length]) : tf.cast(attentionMask, "float32")
      ) as Tensor2D;
      const embeds = this.embedInputs(inputIds, images, slots);
      const { hidden } = llamaDecoder(this.weights, this.config.text, {
        embeds,
        start: 0,
        bias: attentionBias(mask, length),
      });
      return this.project(hidden);
    });
  }

  /**
   * Samples up to `maxNewTokens` per row from left-padded prompts. With the key/value cache (default) each
   * step runs one token through the decoder; `useCache: false` re-runs the whole sequence (same tokens).
   */
  async generate(input: Idefics3GenerateInput): Promise<Generation> {
    this.assertAlive();
    const { images, promptIds, maxNewTokens, temperature = 1, topP = 1, seed, useCache = true } = input;
    const batch = promptIds?.length ?? 0;
    if (!Array.isArray(promptIds) || batch === 0)
      throw new Error("Idefics3Policy.generate: promptIds must hold at least one prompt");
    promptIds.forEach((ids, b) => {
      if (!Array.isArray(ids) || ids.length === 0)
        throw new Error(`Idefics3Policy.generate: promptIds[${b}] is empty`);
      this.checkIds(ids, `generate: promptIds[${b}]`);
    });
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) {
      throw new Error(
        `Idefics3Policy.generate: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`,
      );
    }
    if (!(temperature >= 0) || !Number.isFinite(temperature)) {
      throw new Error(`Idefics3Policy.generate: temperature must be >= 0, got ${temperature}`);
    }
    if (!(topP > 0 && topP <= 1))
      throw new Error(`Idefics3Policy.generate: topP must be in (0, 1], got ${topP}`);
    const { padId, eosId } = this.tokenizer;
    const width = Math.max(...promptIds.map((p) => p.length));
    const padded = new Int32Array(batch * width).fill(padId);
    const mask = new Float32Array(batch * width);
    promptIds.forEach((p, b) => {
      padded.set(p, b * width + width - p.length);
      mask.fill(1, b * width + width - p.length, (b + 1) * width);
    });
    const slots = imageSlots(padded, batch, width, this.config.imageTokenId, this.config.imageSeqLen);
    if (slots.rows.length > 0) this.checkImages(images, batch, "generate");

    const rngs = promptIds.map((_, b) =>
      mulberry32(Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)),
    );
    const tokens: number[][] = promptIds.map(() => []);
    const logProbs: number[][] = promptIds.map(() => []);
    const done = promptIds.map(() => maxNewTokens === 0);
    const vocab = this.config.text.vocabSize;
    const sample = (logits: Float32Array) => {
      for (let b = 0; b < batch; b++) {
        if (done[b]) continue;
        const { token, logProb } = sampleToken(
          logits.subarray(b * vocab, (b + 1) * vocab),
          temperature,
          topP,
          rngs[b] as () => number,
        );
        (tokens[b] as number[]).push(token);
        (logProbs[b] as number[]).push(logProb);
        if (token === eosId || (tokens[b] as number[]).length >= maxNewTokens) done[b] = true;
      }
    };
    const lastTokens = () => tokens.map((row) => (row.length > 0 ? (row[row.length - 1] as number) : padId));

    if (!useCache) {
      for (let step = 0; !done.every(Boolean); step++) {
        const logits = tf.tidy(() => {
          const total = width + step;
          const ids = new Int32Array(batch * total);
          const fullMask = new Float32Array(batch * total);
          for (let b = 0; b < batch; b++) {
            ids.set(padded.subarray(b * width, (b + 1) * width), b * total);
            fullMask.set(mask.subarray(b * width, (b + 1) * width), b * total);
            for (let s = 0; s < step; s++) {
              ids[b * total + width + s] = (tokens[b] as number[])[s] ?? padId;
              fullMask[b * total + width + s] = 1;
            }
          }
          const all = this.forward({
            images,
            inputIds: tf.tensor2d(ids, [batch, total], "int32"),
            attentionMask: tf.tensor2d(fullMask, [batch, total]),
          });
          return tf.reshape(tf.slice(all, [0, total - 1, 0], [-1, 1, -1]), [batch, vocab]);
        });
        const values = (await logits.data()) as Float32Array;
        logits.dispose();
        sample(values);
      }
      return { tokens, logProbs, lengths: tokens.map((t) => t.length) };
    }

    let caches: LayerCache[] = [];
    let keyMask: Tensor2D | undefined;
    try {
      const prefill = tf.tidy(() => {
        const ids = tf.tensor2d(padded, [batch, width], "int32");
        const promptMask = tf.tensor2d(mask, [batch, width]);
        const embeds = this.embedInputs(ids, images, slots);
        const out = llamaDecoder(this.weights, this.config.text, {
          embeds,
          start: 0,
          bias: attentionBias(promptMask, width),
        });
        const last = tf.slice(out.hidden, [0, width - 1, 0], [-1, 1, -1]) as Tensor3D;
        return {
          logits: tf.reshape(this.project(last), [batch, vocab]),
          caches: out.caches,
          keyMask: promptMask,
        };
      });
      caches = prefill.caches as LayerCache[];
      keyMask = prefill.keyMask as Tensor2D;
      let logits = prefill.logits as Tensor2D;
      for (let step = 0; ; step++) {
        const values = (await logits.data()) as Float32Array;
        logits.dispose();
        sample(values);
        if (done.every(Boolean)) break;
        const previous = { caches, keyMask: keyMask as Tensor2D };
        const next = tf.tidy(() => {
          const grown = tf.concat([previous.keyMask, tf.ones([batch, 1])], 1) as Tensor2D;
          const embeds = tf.reshape(tf.gather(this.weights.get(EMBED), tf.tensor1d(lastTokens(), "int32")), [
            batch,
            1,
            this.config.text.hiddenSize,
          ]) as Tensor3D;
          const out = llamaDecoder(this.weights, this.config.text, {
            embeds,
            start: width + step,
            bias: attentionBias(grown, 1),
            past: previous.caches,
          });
          return {
            logits: tf.reshape(this.project(out.hidden), [batch, vocab]),
            caches: out.caches,
            keyMask: grown,
          };
        });
        for (const cache of previous.caches) tf.dispose([cache.keys, cache.values]);
        previous.keyMask.dispose();
        caches = next.caches as LayerCache[];
        keyMask = next.keyMask as Tensor2D;
        logits = next.logits as Tensor2D;
      }
    } finally {
      for (const cache of caches) tf.dispose([cache.keys, cache.values]);
      keyMask?.dispose();
    }
    return { tokens, logProbs, lengths: tokens.map((t) => t.length) };
  }

  /**
   * Writes the model back in Hugging Face's layout (config.json, model.safetensors in float32, and the
   * source folder's tokenizer, template and processor files), atomically: see {@link saveIdefics3}.
   */
  async save(dir: string): Promise<void> {
    this.assertAlive();
    const { saveIdefics3 } = await import("./save");
    await saveIdefics3(this, dir);
  }

  /** An independent copy with its own variables (the frozen reference policy). */
  clone(): Idefics3Policy {
    this.assertAlive();
    const variables = new Map<string, Variable>();
    for (const [name, variable] of this.parts.variables) {
      variables.set(name, tf.variable(variable, variable.trainable, undefined, "float32"));
    }
    return new Idefics3Policy({ ...this.parts, variables });
  }

  dispose(): void {
    if (this.disposed) return;
    for (const variable of this.parts.variables.values()) variable.dispose();
    this.disposed = true;
  }

  /** `features [N, imageSeqLen, D]` of images `[N, S, S, 3]` in [0, 1]: the connector's output. */
  imageFeatures(images: Tensor4D): Tensor3D {
    this.assertAlive();
    this.checkImages(images, images.shape[0], "imageFeatures");
    return tf.tidy(() => {
      const hidden = visionTower(this.weights, this.config.vision, this.imageProcessor.normalize(images));
      return connector(this.weights, hidden, this.config.scaleFactor);
    });
  }

  private embedInputs(inputIds: Tensor2D, images: Tensor4D, slots: ImageSlots): Tensor3D {
    const tokens = tf.gather(this.weights.get(EMBED), inputIds) as Tensor3D;
    if (slots.rows.length === 0) return tokens;
    const rows = slots.rows.length === images.shape[0] ? images : (tf.gather(images, slots.rows) as Tensor4D);
    const hidden = visionTower(this.weights, this.config.vision, this.imageProcessor.normalize(rows));
    return placeImageFeatures(tokens, connector(this.weights, hidden, this.config.scaleFactor), slots);
  }

  /** `hidden [B, L, D]` -> `logits [B, L, V]` through lm_head (the token embedding when tied). */
  private project(hidden: Tensor3D): Tensor3D {
    const [batch, length, d] = hidden.shape;
    const vocab = this.config.text.vocabSize;
    if (!this.config.tieWordEmbeddings) return linear(hidden, this.weights.get("lm_head.weight")) as Tensor3D;
    const flat = tf.matMul(
      tf.reshape(hidden, [batch * length, d]),
      this.weights.get(EMBED) as Tensor2D,
      false,
      true,
    );
    return tf.reshape(flat, [batch, length, vocab]);
  }

  private checkImages(images: Tensor4D | undefined, batch: number, where: string): void {
    const size = this.imageSize;
    const shape = images?.shape;
    if (
      images === undefined ||
      images.rank !== 4 ||
      shape?.[0] !== batch ||
      shape[1] !== size ||
      shape[2] !== size ||
      shape[3] !== 3
    ) {
      throw new Error(
        `Idefics3Policy.${where}: images must be [${batch}, ${size}, ${size}, 3] in [0, 1], got [${shape ?? "none"}]`,
      );
    }
  }

  private checkIds(ids: ArrayLike<number>, where: string): void {
    const vocab = this.config.text.vocabSize;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!Number.isInteger(id) || id < 0 || id >= vocab) {
        throw new Error(`Idefics3Policy.${where} holds id ${id}, outside the vocabulary [0, ${vocab})`);
      }
    }
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error("Idefics3Policy: the model was disposed");
  }
}
