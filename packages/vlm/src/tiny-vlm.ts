import { mulberry32 } from "@cppo/random";
import type { Tensor, Tensor2D, Tensor3D, Tensor4D, Variable } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { matMulT, registerTrainingGradients } from "./gradients";
import type { ForwardInput, GenerateInput, Generation, Tokenizer, VisionLanguagePolicy } from "./policy";
import { sampleToken } from "./sample";

/** Hyper-parameters of a {@link TinyVLM}. `imageSize` must be a multiple of `patchSize`. */
export interface TinyVLMConfig {
  imageSize: number;
  patchSize: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  dFF: number;
  /** Longest token sequence (prompt + response) the learned positions cover. */
  maxTokens: number;
  seed: number;
}

/** Presets from ~50k to ~3.3M parameters (with the default 104-token {@link CharTokenizer}). */
export const TINY_VLM_PRESETS = {
  nano: { imageSize: 32, patchSize: 8, dModel: 48, nLayers: 2, nHeads: 4, dFF: 144, maxTokens: 160, seed: 0 },
  nano64: {
    imageSize: 64,
    patchSize: 8,
    dModel: 48,
    nLayers: 2,
    nHeads: 4,
    dFF: 144,
    maxTokens: 160,
    seed: 0,
  },
  small: {
    imageSize: 32,
    patchSize: 8,
    dModel: 64,
    nLayers: 4,
    nHeads: 4,
    dFF: 192,
    maxTokens: 160,
    seed: 0,
  },
  base: {
    imageSize: 32,
    patchSize: 8,
    dModel: 128,
    nLayers: 4,
    nHeads: 4,
    dFF: 384,
    maxTokens: 192,
    seed: 0,
  },
  large: {
    imageSize: 32,
    patchSize: 8,
    dModel: 256,
    nLayers: 4,
    nHeads: 8,
    dFF: 1024,
    maxTokens: 256,
    seed: 0,
  },
} as const satisfies Record<string, TinyVLMConfig>;

/** Generation options of {@link TinyVLM.generate}; `useCache: false` re-runs the whole sequence every step. */
export interface TinyGenerateInput extends GenerateInput {
  useCache?: boolean;
}

type Weights = Map<string, Variable>;

// a type alias (not an interface) so tf.tidy accepts it as a TensorContainer
type LayerCache = { keys: Tensor4D; values: Tensor4D };

const MASKED = -1e9;
const LN_EPS = 1e-5;

/** `[name, shape, init std]` of every variable, in save order. Std 0 means zeros, -1 means ones. */
function variableSpecs(config: TinyVLMConfig, vocabSize: number): Array<[string, number[], number]> {
  const { dModel: d, dFF, nLayers, patchSize, imageSize, maxTokens } = config;
  const patchDim = patchSize * patchSize * 3;
  const nPatches = (imageSize / patchSize) ** 2;
  const residualStd = 0.02 / Math.sqrt(2 * nLayers);
  const specs: Array<[string, number[], number]> = [
    ["patch.kernel", [patchDim, d], 1 / Math.sqrt(patchDim)],
    ["patch.bias", [d], 0],
    ["patch.position", [nPatches, d], 0.02],
    ["token.embedding", [vocabSize, d], 0.02],
    ["token.position", [maxTokens, d], 0.02],
  ];
  for (let i = 0; i < nLayers; i++) {
    specs.push(
      [`layer${i}.ln1.gamma`, [d], -1],
      [`layer${i}.ln1.beta`, [d], 0],
      [`layer${i}.attn.qkv.kernel`, [d, 3 * d], 0.02],
      [`layer${i}.attn.qkv.bias`, [3 * d], 0],
      [`layer${i}.attn.out.kernel`, [d, d], residualStd],
      [`layer${i}.attn.out.bias`, [d], 0],
      [`layer${i}.ln2.gamma`, [d], -1],
      [`layer${i}.ln2.beta`, [d], 0],
      [`layer${i}.mlp.up.kernel`, [d, dFF], 0.02],
      [`layer${i}.mlp.up.bias`, [dFF], 0],
      [`layer${i}.mlp.down.kernel`, [dFF, d], residualStd],
      [`layer${i}.mlp.down.bias`, [d], 0],
    );
  }
  specs.push(["final.ln.gamma", [d], -1], ["final.ln.beta", [d], 0]);
  return specs;
}

/**
 * Number of parameters of a TinyVLM with this config and vocabulary, without building it.
 *
 * @example
 * countParameters(TINY_VLM_PRESETS.small, new CharTokenizer().vocabSize); // 237_376
 */
export function countParameters(config: TinyVLMConfig, vocabSize: number): number {
  validateConfig(config);
  return variableSpecs(config, vocabSize).reduce(
    (sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1),
    0,
  );
}

function validateConfig(config: TinyVLMConfig): void {
  const positive = ["imageSize", "patchSize", "dModel", "nLayers", "nHeads", "dFF", "maxTokens"] as const;
  for (const key of positive) {
    const value = config[key];
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`TinyVLM config.${key} must be a positive integer, got ${value}`);
    }
  }
  if (config.imageSize % config.patchSize !== 0) {
    throw new Error(
      `TinyVLM config.imageSize (${config.imageSize}) must be a multiple of patchSize (${config.patchSize})`,
    );
  }
  if (config.dModel % config.nHeads !== 0) {
    throw new Error(
      `TinyVLM config.dModel (${config.dModel}) must be divisible by nHeads (${config.nHeads})`,
    );
  }
  if (!Number.isFinite(config.seed))
    throw new Error(`TinyVLM config.seed must be a finite number, got ${config.seed}`);
}

function gaussians(count: number, std: number, next: () => number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - next();
    const v = next();
    const r = std * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

function gelu(x: Tensor): Tensor {
  // tanh approximation; built from public ops so every backend can differentiate it
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor): Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, LN_EPS))), gamma), beta);
}

/** `x [..., in] @ kernel [in, out] + bias`. */
function dense(x: Tensor, kernel: Tensor, bias: Tensor): Tensor {
  const inDim = x.shape[x.shape.length - 1] as number;
  const outShape = [...x.shape.slice(0, -1), kernel.shape[1] as number];
  return tf.reshape(tf.add(tf.matMul(tf.reshape(x, [-1, inDim]), kernel as Tensor2D), bias), outShape);
}

/**
 * A small vision-language transformer: non-overlapping patch embedding with learned positions, token
 * embedding with learned positions, pre-LayerNorm decoder blocks over `[patches; tokens]`, GELU MLP, final
 * LayerNorm and an output projection tied to the token embedding.
 *
 * Attention: the image patches form a bidirectional prefix (every patch sees every patch, never a token);
 * each token sees all patches and the real tokens at or before it. Token positions come from the attention
 * mask (`cumsum - 1`), so left-padded prompts give the same logits as unpadded ones.
 *
 * @example
 * const policy = TinyVLM.create({ ...TINY_VLM_PRESETS.nano, seed: 1 }, new CharTokenizer());
 * const logits = policy.forward({ images: tf.zeros([1, 32, 32, 3]), inputIds: tf.tensor2d([[1, 20]], undefined, "int32") });
 * logits.shape; // [1, 2, 104]
 */
export class TinyVLM implements VisionLanguagePolicy {
  readonly config: TinyVLMConfig;
  readonly tokenizer: Tokenizer;
  readonly imageSize: number;
  private readonly weights: Weights;
  private disposed = false;

  private constructor(config: TinyVLMConfig, tokenizer: Tokenizer, weights: Weights) {
    this.config = { ...config };
    this.tokenizer = tokenizer;
    this.imageSize = config.imageSize;
    this.weights = weights;
    registerTrainingGradients();
  }

  /**
   * A freshly initialised model (seeded: the same config gives the same weights on every backend).
   *
   * @example
   * const policy = TinyVLM.create(TINY_VLM_PRESETS.small, new CharTokenizer());
   */
  static create(config: TinyVLMConfig, tokenizer: Tokenizer): TinyVLM {
    validateConfig(config);
    const next = mulberry32(config.seed);
    const weights: Weights = new Map();
    for (const [name, shape, std] of variableSpecs(config, tokenizer.vocabSize)) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = std > 0 ? gaussians(size, std, next) : new Float32Array(size).fill(std < 0 ? 1 : 0);
      weights.set(
        name,
        tf.tidy(() => tf.variable(tf.tensor(values, shape, "float32"))),
      );
    }
    return new TinyVLM(config, tokenizer, weights);
  }

  /**
   * Builds a model from named weight arrays (used by {@link loadTinyVLM}); every expected variable must be given
   * with its exact shape.
   */
  static fromWeights(
    config: TinyVLMConfig,
    tokenizer: Tokenizer,
    values: Map<string, { shape: number[]; data: Float32Array }>,
    source = "weights",
  ): TinyVLM {
    validateConfig(config);
    const specs = variableSpecs(config, tokenizer.vocabSize);
    for (const [name, shape] of specs) {
      const entry = values.get(name);
      if (entry === undefined)
        throw new Error(`${source}: missing variable "${name}" (expected shape [${shape}])`);
      if (entry.shape.length !== shape.length || entry.shape.some((s, i) => s !== shape[i])) {
        throw new Error(`${source}: variable "${name}" has shape [${entry.shape}], expected [${shape}]`);
      }
    }
    const weights: Weights = new Map();
    for (const [name, shape] of specs) {
      const entry = values.get(name) as { data: Float32Array };
      weights.set(
        name,
        tf.tidy(() => tf.variable(tf.tensor(entry.data, shape, "float32"))),
      );
    }
    return new TinyVLM(config, tokenizer, weights);
  }

  get trainableVariables(): Variable[] {
    this.assertAlive();
    return [...this.weights.values()];
  }

  /** Variables by name, in save order. */
  namedVariables(): Array<[string, Variable]> {
    this.assertAlive();
    return [...this.weights.entries()];
  }

  get parameterCount(): number {
    return countParameters(this.config, this.tokenizer.vocabSize);
  }

  forward(input: ForwardInput): Tensor3D {
    this.assertAlive();
    const { images, inputIds } = input;
    this.checkImages(images, "forward");
    if (inputIds.rank !== 2 || inputIds.shape[0] !== images.shape[0]) {
      throw new Error(
        `TinyVLM.forward: inputIds must be [B, L] with B = ${images.shape[0]}, got [${inputIds.shape}]`,
      );
    }
    if (inputIds.dtype !== "int32")
      throw new Error(`TinyVLM.forward: inputIds must be int32, got ${inputIds.dtype}`);
    const [batch, length] = inputIds.shape;
    if (length > this.config.maxTokens) {
      throw new Error(
        `TinyVLM.forward: inputIds has ${length} tokens, more than maxTokens = ${this.config.maxTokens}`,
      );
    }
    const mask = input.attentionMask;
    if (mask !== undefined && (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== length)) {
      throw new Error(
        `TinyVLM.forward: attentionMask must be [${batch}, ${length}] like inputIds, got [${mask.shape}]`,
      );
    }
    return tf.tidy(() => {
      const tokenMask = mask === undefined ? tf.ones([batch, length]) : tf.cast(mask, "float32");
      const { hidden } = this.encode(images, inputIds, tokenMask as Tensor2D, false);
      return this.project(tf.slice(hidden, [0, this.numPatches, 0], [-1, -1, -1]) as Tensor3D);
    });
  }

  /**
   * Samples up to `maxNewTokens` per row. With the key/value cache (default) each step costs one token's
   * worth of compute; `useCache: false` re-runs the full sequence each step (same tokens, for checking).
   */
  async generate(input: TinyGenerateInput): Promise<Generation> {
    this.assertAlive();
    const { images, promptIds, maxNewTokens, temperature = 1, topP = 1, seed, useCache = true } = input;
    this.checkImages(images, "generate");
    const batch = images.shape[0];
    if (!Array.isArray(promptIds) || promptIds.length !== batch) {
      throw new Error(
        `TinyVLM.generate: promptIds must hold one prompt per image (${batch}), got ${promptIds?.length}`,
      );
    }
    promptIds.forEach((ids, b) => {
      this.checkIds(ids, `generate: promptIds[${b}]`, 1);
    });
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) {
      throw new Error(`TinyVLM.generate: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
    }
    const longest = Math.max(...promptIds.map((p) => p.length));
    if (longest + maxNewTokens > this.config.maxTokens) {
      throw new Error(
        `TinyVLM.generate: longest prompt (${longest}) + maxNewTokens (${maxNewTokens}) exceeds maxTokens = ${this.config.maxTokens}`,
      );
    }
    if (!(temperature >= 0) || !Number.isFinite(temperature)) {
      throw new Error(`TinyVLM.generate: temperature must be >= 0, got ${temperature}`);
    }
    if (!(topP > 0 && topP <= 1)) throw new Error(`TinyVLM.generate: topP must be in (0, 1], got ${topP}`);

    const rngs = promptIds.map((_, b) =>
      mulberry32(Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)),
    );
    const tokens: number[][] = promptIds.map(() => []);
    const logProbs: number[][] = promptIds.map(() => []);
    const done = promptIds.map(() => maxNewTokens === 0);
    const { eosId, padId } = this.tokenizer;
    const padded = leftPad(promptIds, padId);

    const sampleStep = (logits: Float32Array) => {
      const vocab = this.tokenizer.vocabSize;
      for (let b = 0; b < batch; b++) {
        if (done[b]) continue;
        const row = logits.subarray(b * vocab, (b + 1) * vocab);
        const { token, logProb } = sampleToken(row, temperature, topP, rngs[b] as () => number);
        (tokens[b] as number[]).push(token);
        (logProbs[b] as number[]).push(logProb);
        if (token === eosId || (tokens[b] as number[]).length >= maxNewTokens) done[b] = true;
      }
    };
    const lastTokens = () => tokens.map((row) => (row.length > 0 ? (row[row.length - 1] as number) : padId));

    if (useCache) {
      let caches: LayerCache[] = [];
      let keyMask: Tensor2D | undefined;
      try {
        const prefill = tf.tidy(() => {
          const ids = tf.tensor2d(padded.ids, [batch, longest], "int32");
          const mask = tf.tensor2d(padded.mask, [batch, longest], "float32");
          const { hidden, caches: built } = this.encode(images, ids, mask, true);
          const last = tf.slice(hidden, [0, hidden.shape[1] - 1, 0], [-1, 1, -1]) as Tensor3D;
          const fullMask = tf.concat([tf.ones([batch, this.numPatches]), mask], 1);
          return { logits: tf.reshape(this.project(last), [batch, -1]), caches: built, keyMask: fullMask };
        });
        caches = prefill.caches as LayerCache[];
        keyMask = prefill.keyMask as Tensor2D;
        let logits = prefill.logits as Tensor2D;
        for (let step = 0; step < maxNewTokens && !done.every(Boolean); step++) {
          const values = (await logits.data()) as Float32Array;
          logits.dispose();
          sampleStep(values);
          if (done.every(Boolean) || step + 1 >= maxNewTokens) break;
          const positions = padded.lengths.map((n) => n + step);
          const mask = keyMask as Tensor2D;
          const next = tf.tidy(() => this.decodeStep(lastTokens(), positions, caches, mask));
          for (const cache of caches) tf.dispose([cache.keys, cache.values]);
          mask.dispose();
          caches = next.caches;
          keyMask = next.keyMask;
          logits = next.logits;
        }
        if (!logits.isDisposed) logits.dispose();
      } finally {
        for (const cache of caches) tf.dispose([cache.keys, cache.values]);
        keyMask?.dispose();
      }
    } else {
      for (let step = 0; step < maxNewTokens && !done.every(Boolean); step++) {
        const logits = tf.tidy(() => {
          const width = longest + step;
          const { ids, mask } = padded;
          const allIds = new Int32Array(batch * width);
          const allMask = new Float32Array(batch * width);
          for (let b = 0; b < batch; b++) {
            allIds.set(ids.subarray(b * longest, (b + 1) * longest), b * width);
            allMask.set(mask.subarray(b * longest, (b + 1) * longest), b * width);
            const row = tokens[b] as number[];
            for (let s = 0; s < step; s++) {
              allIds[b * width + longest + s] = row[s] ?? padId;
              allMask[b * width + longest + s] = 1;
            }
          }
          const full = this.forward({
            images,
            inputIds: tf.tensor2d(allIds, [batch, width], "int32"),
            attentionMask: tf.tensor2d(allMask, [batch, width], "float32"),
          });
          return tf.reshape(tf.slice(full, [0, width - 1, 0], [-1, 1, -1]), [batch, -1]);
        });
        const values = (await logits.data()) as Float32Array;
        logits.dispose();
        sampleStep(values);
      }
    }
    return { tokens, logProbs, lengths: tokens.map((row) => row.length) };
  }

  /**
   * Writes `config.json`, `weights.json` and `weights.bin` into `dir` atomically (see {@link saveTinyVLM}).
   */
  async save(dir: string): Promise<void> {
    this.assertAlive();
    const { saveTinyVLM } = await import("./checkpoint");
    await saveTinyVLM(this, dir);
  }

  clone(): TinyVLM {
    this.assertAlive();
    const weights: Weights = new Map();
    for (const [name, variable] of this.weights)
      weights.set(
        name,
        tf.tidy(() => tf.variable(variable.clone() as Tensor)),
      );
    return new TinyVLM(this.config, this.tokenizer, weights);
  }

  dispose(): void {
    if (this.disposed) return;
    for (const variable of this.weights.values()) variable.dispose();
    this.disposed = true;
  }

  private get numPatches(): number {
    return (this.config.imageSize / this.config.patchSize) ** 2;
  }

  private w(name: string): Variable {
    return this.weights.get(name) as Variable;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error("TinyVLM: the model was disposed");
  }

  private checkImages(images: Tensor4D, where: string): void {
    const size = this.config.imageSize;
    if (images.rank !== 4 || images.shape[1] !== size || images.shape[2] !== size || images.shape[3] !== 3) {
      throw new Error(`TinyVLM.${where}: images must be [B, ${size}, ${size}, 3], got [${images.shape}]`);
    }
  }

  private checkIds(ids: readonly number[], where: string, minLength: number): void {
    if (!Array.isArray(ids) || ids.length < minLength) {
      throw new Error(
        `TinyVLM.${where} must hold at least ${minLength} token id(s) (start prompts with bosId)`,
      );
    }
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.tokenizer.vocabSize) {
        throw new Error(
          `TinyVLM.${where} holds id ${id}, outside the vocabulary [0, ${this.tokenizer.vocabSize})`,
        );
      }
    }
  }

  /** `[B, H, W, 3]` -> `[B, P, d]` patch embeddings with positions. */
  private embedPatches(images: Tensor4D): Tensor3D {
    const { imageSize, patchSize } = this.config;
    const grid = imageSize / patchSize;
    const batch = images.shape[0];
    const patches = tf.reshape(
      tf.transpose(tf.reshape(images, [batch, grid, patchSize, grid, patchSize, 3]), [0, 1, 3, 2, 4, 5]),
      [batch, grid * grid, patchSize * patchSize * 3],
    );
    return tf.add(
      dense(patches, this.w("patch.kernel"), this.w("patch.bias")),
      this.w("patch.position"),
    ) as Tensor3D;
  }

  /** Runs the blocks over `[patches; tokens]`; `hidden [B, P + L, d]` after the final LayerNorm. */
  private encode(
    images: Tensor4D,
    inputIds: Tensor2D,
    tokenMask: Tensor2D,
    keepCache: boolean,
  ): { hidden: Tensor3D; caches: LayerCache[] } {
    const [batch, length] = inputIds.shape;
    const nPatches = this.numPatches;
    const positions = tf.cast(tf.maximum(tf.sub(tf.cumsum(tokenMask, 1), 1), 0), "int32");
    const tokens = tf.add(
      tf.gather(this.w("token.embedding"), inputIds),
      tf.gather(this.w("token.position"), positions),
    ) as Tensor3D;
    let x = tf.concat([this.embedPatches(images), tokens], 1) as Tensor3D;

    // allowed[q, k]: patch queries see patches only; token queries see patches and real tokens at or before them
    const total = nPatches + length;
    const allowed = new Float32Array(total * total);
    for (let q = 0; q < total; q++) {
      const last = q < nPatches ? nPatches - 1 : q;
      for (let k = 0; k <= last; k++) allowed[q * total + k] = 1;
    }
    const keyMask = tf.concat([tf.ones([batch, nPatches]), tokenMask], 1);
    const visible = tf.mul(tf.tensor2d(allowed, [total, total]), tf.reshape(keyMask, [batch, 1, 1, total]));
    const bias = tf.mul(tf.sub(1, visible), MASKED) as Tensor4D;

    const caches: LayerCache[] = [];
    for (let i = 0; i < this.config.nLayers; i++) {
      const { output, keys, values } = this.block(i, x, bias, undefined);
      x = output;
      if (keepCache) caches.push({ keys, values });
    }
    const hidden = layerNorm(x, this.w("final.ln.gamma"), this.w("final.ln.beta")) as Tensor3D;
    return { hidden, caches };
  }

  /** One decoder block. With `past`, the new keys/values are appended to the cached ones. */
  private block(
    layer: number,
    x: Tensor3D,
    bias: Tensor4D,
    past: LayerCache | undefined,
  ): { output: Tensor3D; keys: Tensor4D; values: Tensor4D } {
    const { dModel, nHeads } = this.config;
    const headDim = dModel / nHeads;
    const [batch, length] = x.shape;
    const p = `layer${layer}.`;
    const h = layerNorm(x, this.w(`${p}ln1.gamma`), this.w(`${p}ln1.beta`));
    const qkv = dense(h, this.w(`${p}attn.qkv.kernel`), this.w(`${p}attn.qkv.bias`));
    const [q, k, v] = tf
      .split(qkv, 3, -1)
      .map(
        (t) => tf.transpose(tf.reshape(t, [batch, length, nHeads, headDim]), [0, 2, 1, 3]) as Tensor4D,
      ) as [Tensor4D, Tensor4D, Tensor4D];
    const keys = past === undefined ? k : (tf.concat([past.keys, k], 2) as Tensor4D);
    const values = past === undefined ? v : (tf.concat([past.values, v], 2) as Tensor4D);
    const scores = tf.add(tf.mul(matMulT(q, keys, false, true), 1 / Math.sqrt(headDim)), bias);
    const mixed = tf.matMul(tf.softmax(scores), values);
    const merged = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch, length, dModel]);
    const attended = tf.add(x, dense(merged, this.w(`${p}attn.out.kernel`), this.w(`${p}attn.out.bias`)));
    const h2 = layerNorm(attended, this.w(`${p}ln2.gamma`), this.w(`${p}ln2.beta`));
    const up = gelu(dense(h2, this.w(`${p}mlp.up.kernel`), this.w(`${p}mlp.up.bias`)));
    const output = tf.add(attended, dense(up, this.w(`${p}mlp.down.kernel`), this.w(`${p}mlp.down.bias`)));
    return { output: output as Tensor3D, keys, values };
  }

  /** One cached decoding step for `tokens [B]` at `positions [B]`; returns next logits and grown caches. */
  private decodeStep(
    tokens: number[],
    positions: number[],
    caches: LayerCache[],
    keyMask: Tensor2D,
  ): { logits: Tensor2D; caches: LayerCache[]; keyMask: Tensor2D } {
    const batch = tokens.length;
    const ids = tf.tensor1d(tokens, "int32");
    const pos = tf.tensor1d(positions, "int32");
    let x = tf.reshape(
      tf.add(tf.gather(this.w("token.embedding"), ids), tf.gather(this.w("token.position"), pos)),
      [batch, 1, -1],
    ) as Tensor3D;
    const grown = tf.concat([keyMask, tf.ones([batch, 1])], 1) as Tensor2D;
    const total = grown.shape[1];
    const bias = tf.reshape(tf.mul(tf.sub(1, grown), MASKED), [batch, 1, 1, total]) as Tensor4D;
    const next: LayerCache[] = [];
    for (let i = 0; i < this.config.nLayers; i++) {
      const { output, keys, values } = this.block(i, x, bias, caches[i]);
      x = output;
      next.push({ keys, values });
    }
    const hidden = layerNorm(x, this.w("final.ln.gamma"), this.w("final.ln.beta")) as Tensor3D;
    return {
      logits: tf.reshape(this.project(hidden), [batch, -1]) as Tensor2D,
      caches: next,
      keyMask: grown,
    };
  }

  /** `hidden [B, L, d]` -> `logits [B, L, V]` through the tied token embedding. */
  private project(hidden: Tensor3D): Tensor3D {
    const [batch, length, d] = hidden.shape;
    const flat = matMulT(tf.reshape(hidden, [batch * length, d]), this.w("token.embedding"), false, true);
    return tf.reshape(flat, [batch, length, this.tokenizer.vocabSize]);
  }
}

/** Left-pads prompts to the longest one: flat `ids`/`mask [B * maxLen]` and each prompt's real length. */
export function leftPad(
  prompts: number[][],
  padId: number,
): { ids: Int32Array; mask: Float32Array; lengths: number[]; width: number } {
  const width = Math.max(0, ...prompts.map((p) => p.length));
  const ids = new Int32Array(prompts.length * width).fill(padId);
  const mask = new Float32Array(prompts.length * width);
  prompts.forEach((prompt, b) => {
    const start = b * width + width - prompt.length;
    ids.set(prompt, start);
    mask.fill(1, start, start + prompt.length);
  });
  return { ids, mask, lengths: prompts.map((p) => p.length), width };
}
