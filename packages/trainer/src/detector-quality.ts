import { labelPerception, tokenPerceptionLabels } from "@cppo/data-synth";
import { selectPerceptionTokens, tokenEntropy } from "@cppo/entropy";
import type { ImageView } from "@cppo/perturb";
import { mixSeed, mulberry32, shuffle } from "@cppo/random";
import { scoreResponses, type VisionLanguagePolicy } from "@cppo/vlm";
import type { Tensor, Tensor2D, Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { decodeImages, encodePrompt, type TrainExample } from "./data";
import { generateForRows } from "./generate-for-rows";

/**
 * An example the detector can be measured on: its drawn values come from `perceptionValues`, else from
 * data-synth's own `values` field, so `SynthExample`s and the examples `openDatasets` returns for
 * data-synth work as they are.
 */
export type DetectorExample = TrainExample & { values?: Record<string, number> };

export interface MeasureDetectorOptions {
  policy: VisionLanguagePolicy;
  /** Examples without drawn values are skipped. */
  examples: readonly DetectorExample[];
  /** The information-removing view `I-`. */
  view: ImageView;
  seed: number;
  /** Default [0.05, 0.2, 0.5, 1.0]. */
  topFractions?: readonly number[];
  /** Responses sampled per example (default 1). */
  samplesPerExample?: number;
  maxNewTokens: number;
  temperature?: number;
}

/** Micro-averaged over all tokens of all responses; a precision or recall with a zero denominator is 0. */
export interface SelectionQuality {
  /** Tokens selected, and among them true perception tokens. */
  selected: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** The same number of tokens per response, chosen uniformly at random among its tokens. */
  random: { truePositives: number; precision: number; recall: number };
}

export interface DetectorQuality {
  /** Examples that had drawn values, and responses sampled from them. */
  examples: number;
  responses: number;
  /** Response tokens, true perception tokens among them, and candidates (tokens with `dH > 0`). */
  tokens: number;
  perceptionTokens: number;
  candidates: number;
  /** `perceptionTokens / tokens`: the expected precision of a random choice. */
  baseRate: number;
  byFraction: Array<{ topFraction: number } & SelectionQuality>;
}

const DEFAULT_TOP_FRACTIONS = [0.05, 0.2, 0.5, 1.0];
/** Responses generated and scored at once: bounds the `[2 * CHUNK, T, V]` logits in memory. */
const CHUNK = 16;
const SALT = { removing: 1, generate: 2, random: 3 } as const;

/**
 * Precision and recall of CPPO's perception-token detector (METHOD section 4, without advantage gating)
 * against data-synth's ground truth, on responses sampled from `policy`, next to a random choice of the same
 * number of tokens per response. The sampled tokens (EOS included) are scored as training scores them, and a
 * token is a true perception token when its decoded text covers a character `labelPerception` marks. The same
 * seed gives the same responses and numbers.
 *
 * @example
 * const quality = await measureDetector({ policy, examples, view: informationRemoving(), seed: step, maxNewTokens: 64 });
 * quality.byFraction[2]; // { topFraction: 0.5, selected, truePositives, precision, recall, random: {...} }
 */
export async function measureDetector(options: MeasureDetectorOptions): Promise<DetectorQuality> {
  const { policy, view, seed, maxNewTokens, temperature } = options;
  const { topFractions = DEFAULT_TOP_FRACTIONS, samplesPerExample = 1 } = options;
  for (const p of topFractions) {
    if (!(p > 0 && p <= 1)) throw new Error(`measureDetector: topFractions must lie in (0, 1], got ${p}`);
  }
  if (!(Number.isInteger(samplesPerExample) && samplesPerExample >= 1)) {
    throw new Error(
      `measureDetector: samplesPerExample must be a positive integer, got ${samplesPerExample}`,
    );
  }
  const labelled = options.examples.flatMap((example) => {
    const values = example.perceptionValues ?? example.values;
    return values ? [{ example, values }] : [];
  });
  if (labelled.length === 0) {
    throw new Error(
      `measureDetector: none of the ${options.examples.length} examples has drawn values ` +
        "(perceptionValues, or values as in data-synth): the detector can only be measured on data-synth",
    );
  }

  const { tokenizer } = policy;
  const promptIds = labelled.map(({ example }) => encodePrompt(tokenizer, example.prompt));
  const rowsOf = labelled.flatMap((_, e) => Array.from({ length: samplesPerExample }, () => e));
  const truth: Uint8Array[] = [];
  const selected: Uint8Array[][] = topFractions.map(() => []);
  let candidates = 0;
  const images = await decodeImages(
    labelled.map(({ example }) => example),
    policy.imageSize,
  );
  const owned: Tensor[] = [images];
  try {
    // One I- per example, shared by its samples, as in training.
    const removed = view.applyTensor(images, { seed: mixSeed(seed, SALT.removing) });
    owned.push(removed);
    for (let start = 0, chunk = 0; start < rowsOf.length; start += CHUNK, chunk++) {
      const rows = rowsOf.slice(start, start + CHUNK);
      const sampled = await generateForRows(policy, images, promptIds, rows, {
        maxNewTokens,
        temperature,
        seed: mixSeed(seed, SALT.generate, chunk),
      });
      // Scored as sampled (EOS included), as training scores them: re-encoding the decoded text would split
      // sampled special tokens into characters.
      const responseIds = rows.map((e, r) => {
        const ids = sampled[r] ?? [];
        const { values } = labelled[e] as (typeof labelled)[number];
        const pieces = ids.map((id) => tokenizer.decode([id]));
        truth.push(tokenPerceptionLabels(labelPerception(pieces.join(""), values), spansOf(pieces)));
        return ids;
      });
      const scored = detect(policy, { images, removed, rows, promptIds, responseIds, topFractions });
      candidates += scored.candidates;
      for (const [f, masks] of scored.masks.entries()) selected[f]?.push(...masks);
    }
  } finally {
    tf.dispose(owned);
  }

  const tokens = truth.reduce((sum, row) => sum + row.length, 0);
  const perceptionTokens = truth.reduce((sum, row) => sum + countOnes(row), 0);
  return {
    examples: labelled.length,
    responses: truth.length,
    tokens,
    perceptionTokens,
    candidates,
    baseRate: tokens > 0 ? perceptionTokens / tokens : 0,
    byFraction: topFractions.map((topFraction, f) => ({
      topFraction,
      ...selectionQuality({
        selected: selected[f] as Uint8Array[],
        truth,
        seed: mixSeed(seed, SALT.random, f),
      }),
    })),
  };
}

/** The detector's masks (one row per response, trimmed to its length) for every fraction, on one chunk. */
function detect(
  policy: VisionLanguagePolicy,
  input: {
    images: Tensor4D;
    removed: Tensor4D;
    rows: number[];
    promptIds: number[][];
    responseIds: number[][];
    topFractions: readonly number[];
  },
): { masks: Uint8Array[][]; candidates: number } {
  const { images, removed, rows, promptIds, responseIds, topFractions } = input;
  const n = rows.length;
  const lengths = responseIds.map((ids) => ids.length);
  if (lengths.every((l) => l === 0)) {
    return { masks: topFractions.map(() => lengths.map(() => new Uint8Array(0))), candidates: 0 };
  }
  const outputs = tf.tidy(() => {
    const index = tf.tensor1d(rows, "int32");
    const rowPrompts = rows.map((e) => promptIds[e] as number[]);
    const scored = scoreResponses(policy, {
      images: tf.concat([tf.gather(images, index), tf.gather(removed, index)]) as Tensor4D,
      promptIds: [...rowPrompts, ...rowPrompts],
      responseIds: [...responseIds, ...responseIds],
    });
    const both = tokenEntropy(scored.logits) as Tensor2D;
    const entropy = tf.slice(both, [0, 0], [n, -1]) as Tensor2D;
    const entropyRemoved = tf.slice(both, [n, 0], [n, -1]) as Tensor2D;
    const responseMask = tf.slice(scored.responseMask, [0, 0], [n, -1]) as Tensor2D;
    const candidates = tf.sum(
      tf.mul(tf.cast(tf.greater(tf.sub(entropyRemoved, entropy), 0), "float32"), responseMask),
    );
    const masks = topFractions.map((topFraction) =>
      selectPerceptionTokens({ entropy, entropyRemoved, responseMask, topFraction }),
    );
    return [candidates, ...masks];
  });
  try {
    const [candidates, ...masks] = outputs.map((t) => t.dataSync());
    const width = outputs[1]?.shape[1] ?? 0;
    return {
      candidates: candidates?.[0] ?? 0,
      masks: masks.map((mask) =>
        lengths.map((length, r) =>
          Uint8Array.from(mask.subarray(r * width, r * width + length), (v) => (v > 0 ? 1 : 0)),
        ),
      ),
    };
  } finally {
    tf.dispose(outputs);
  }
}

/**
 * Micro-averaged precision and recall of `selected` against `truth` (one 0/1 row per response, of the
 * response's length), and of a seeded random choice of as many tokens per response as `selected` has.
 * Precision is 0 when nothing is selected, recall 0 when no token is true.
 *
 * @example
 * selectionQuality({ selected: [Uint8Array.of(1, 0, 1)], truth: [Uint8Array.of(1, 1, 0)], seed: 0 });
 * // { selected: 2, truePositives: 1, precision: 0.5, recall: 0.5, random: { ... } }
 */
export function selectionQuality(input: {
  selected: readonly ArrayLike<number>[];
  truth: readonly ArrayLike<number>[];
  seed: number;
}): SelectionQuality {
  const { selected, truth, seed } = input;
  if (selected.length !== truth.length) {
    throw new Error(`selectionQuality: ${selected.length} selected rows for ${truth.length} truth rows`);
  }
  const rng = mulberry32(seed);
  let chosen = 0;
  let hits = 0;
  let real = 0;
  let randomHits = 0;
  selected.forEach((row, r) => {
    const truthRow = truth[r] as ArrayLike<number>;
    if (row.length !== truthRow.length) {
      throw new Error(
        `selectionQuality: row ${r} has ${row.length} selected entries and ${truthRow.length} truth entries`,
      );
    }
    const indices = Array.from({ length: row.length }, (_, t) => t);
    const k = indices.filter((t) => row[t]).length;
    chosen += k;
    hits += indices.filter((t) => row[t] && truthRow[t]).length;
    real += indices.filter((t) => truthRow[t]).length;
    randomHits += shuffle(indices, rng)
      .slice(0, k)
      .filter((t) => truthRow[t]).length;
  });
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    selected: chosen,
    truePositives: hits,
    precision: ratio(hits, chosen),
    recall: ratio(hits, real),
    random: {
      truePositives: randomHits,
      precision: ratio(randomHits, chosen),
      recall: ratio(randomHits, real),
    },
  };
}

/** The `[start, end)` span of each piece in their concatenation. */
function spansOf(pieces: readonly string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let end = 0;
  for (const piece of pieces) {
    spans.push([end, end + piece.length]);
    end += piece.length;
  }
  return spans;
}

function countOnes(row: Uint8Array): number {
  return row.reduce((sum, v) => sum + (v > 0 ? 1 : 0), 0);
}
