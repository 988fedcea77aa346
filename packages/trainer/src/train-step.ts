import { contrastivePerceptionLoss, contrastivePerceptionLossFromLogits } from "@cppo/cpl";
import { gateByAdvantage, selectPerceptionTokens, tokenEntropy } from "@cppo/entropy";
import { aggregateLoss, clippedPolicyLoss, groupAdvantages, klPenalty, papoPerceptionLoss } from "@cppo/grpo";
import { type ImageView, viewByName } from "@cppo/perturb";
import { mixSeed } from "@cppo/random";
import { scoreResponses, type VisionLanguagePolicy } from "@cppo/vlm";
import type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { Adam } from "./adam";
import type { TrainConfig } from "./config";
import { type Dataset, decodeImages, encodePrompt, type TrainExample, trainingOrder } from "./data";
import { generateForRows } from "./generate-for-rows";
import { clipByGlobalNorm } from "./grad-clip";
import { type RewardFunction, scoreWith } from "./reward-function";

/** What one training step works with. The trainer owns them; `trainStep` only updates the policy and Adam. */
export interface TrainerParts {
  config: TrainConfig;
  policy: VisionLanguagePolicy;
  /** Frozen copy of the initial policy; null when `kl.coef` is 0. */
  reference: VisionLanguagePolicy | null;
  optimizer: Adam;
  dataset: Dataset;
  reward: RewardFunction;
}

/** Per-step numbers written to metrics.jsonl (means over the step's responses or updates). */
export interface StepMetrics {
  step: number;
  rewardMean: number;
  rewardStd: number;
  accuracy: number;
  formatRate: number;
  responseLength: number;
  loss: number;
  policyLoss: number;
  kl: number;
  cpl: number;
  papoKl: number;
  perceptionShare: number;
  clipFractionHigh: number;
  clipFractionLow: number;
  dualClipFraction: number;
  approxKl: number;
  entropy: number;
  gradNorm: number;
  updates: number;
  stepTime: number;
  tokensPerSecond: number;
}

/** One sampled completion, for the log. */
export interface StepSample {
  exampleId: string;
  prompt: string;
  response: string;
  groundTruth: string;
  reward: number;
}

export interface StepResult {
  metrics: StepMetrics;
  /** Data position after this step's prompts. */
  dataPosition: number;
  sample: StepSample;
}

/** A loss or gradient that is NaN or infinite: the step is abandoned before the weights change. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly detail: string,
  ) {
    super(`step ${step}: ${detail} is not finite; the update was skipped and training stopped`);
    this.name = "NonFiniteLossError";
  }
}

const SALT = { generate: 1, preserving: 2, removing: 3, masked: 4 } as const;

/** Per-config views of the image, built once. */
export interface Views {
  preserving: ImageView;
  removing: ImageView;
  masked: ImageView;
}

/**
 * The perturbations named by `config.views`: by default METHOD section 3's I+ and I- and PAPO's patch mask.
 *
 * @example
 * const views = viewsFromConfig(defaultConfig()); // views.removing.name === "informationRemoving"
 */
export function viewsFromConfig(config: Pick<TrainConfig, "views">): Views {
  return {
    preserving: viewByName(config.views.preserving),
    removing: viewByName(config.views.removing),
    masked: viewByName(config.views.masked),
  };
}

/** Exported for tests only (not part of the package API). */
export interface Rollout {
  examples: TrainExample[];
  promptIds: number[][];
  /** One per response: its prompt's index. */
  promptOf: number[];
  responseIds: number[][];
  texts: string[];
  rewards: number[];
  accuracy: number[];
  format: number[];
  advantages: number[];
}

/**
 * One optimisation step (METHOD sections 1 to 5): draw prompts, build `I+`/`I-`, sample G responses each,
 * score them, compute group advantages and old/reference log-probs, then for each of `ppoEpochs` passes and
 * each mini-batch accumulate gradients of `L_GRPO + beta KL + lambda CPL` (or PAPO's term), clip the global
 * norm and take an Adam step. Randomness is derived from (seed, step), so a step is reproducible.
 *
 * @example
 * const { metrics, dataPosition } = await trainStep(parts, { step: 0, dataPosition: 0 });
 */
export async function trainStep(
  parts: TrainerParts,
  at: { step: number; dataPosition: number },
  views: Views = viewsFromConfig(parts.config),
): Promise<StepResult> {
  const started = performance.now();
  const { config, policy, dataset } = parts;
  const { promptsPerStep } = config.rollout;
  const order = trainingOrder(dataset.length, config.seed);
  const examples = await Promise.all(
    Array.from({ length: promptsPerStep }, (_, i) => dataset.get(order(at.dataPosition + i))),
  );
  const images = await decodeImages(examples, policy.imageSize);
  const owned: Tensor[] = [images];
  try {
    const viewSeed = (salt: number) => mixSeed(config.seed, at.step, salt);
    const extraViews: Tensor4D[] = [];
    if (config.algo === "cppo") {
      extraViews.push(views.preserving.applyTensor(images, { seed: viewSeed(SALT.preserving) }));
      extraViews.push(views.removing.applyTensor(images, { seed: viewSeed(SALT.removing) }));
    } else if (config.algo === "papo") {
      extraViews.push(views.masked.applyTensor(images, { seed: viewSeed(SALT.masked) }));
    }
    owned.push(...extraViews);
    const rollout = await collectRollout(parts, examples, images, viewSeed(SALT.generate));
    const update = updatePolicy(parts, rollout, [images, ...extraViews], at.step);
    const stepTime = (performance.now() - started) / 1000;
    const generated = rollout.responseIds.reduce((a, r) => a + r.length, 0);
    const rewardMean = mean(rollout.rewards);
    const metrics: StepMetrics = {
      step: at.step + 1,
      rewardMean,
      rewardStd: Math.sqrt(mean(rollout.rewards.map((r) => (r - rewardMean) ** 2))),
      accuracy: mean(rollout.accuracy),
      formatRate: mean(rollout.format),
      responseLength: generated / rollout.responseIds.length,
      ...update,
      stepTime,
      tokensPerSecond: generated / stepTime,
    };
    const first = examples[0] as TrainExample;
    return {
      metrics,
      dataPosition: at.dataPosition + promptsPerStep,
      sample: {
        exampleId: first.id,
        prompt: first.prompt,
        response: rollout.texts[0] ?? "",
        groundTruth: first.groundTruth,
        reward: rollout.rewards[0] ?? 0,
      },
    };
  } finally {
    tf.dispose(owned);
  }
}

/** Removes a trailing EOS and decodes. */
export function responseText(policy: VisionLanguagePolicy, ids: readonly number[]): string {
  const { eosId } = policy.tokenizer;
  return policy.tokenizer.decode(ids[ids.length - 1] === eosId ? ids.slice(0, -1) : ids);
}

async function collectRollout(
  parts: TrainerParts,
  examples: TrainExample[],
  images: Tensor4D,
  seed: number,
): Promise<Rollout> {
  const { config, policy } = parts;
  const { groupSize, maxNewTokens, temperature } = config.rollout;
  const promptIds = examples.map((e) => encodePrompt(policy.tokenizer, e.prompt));
  const promptOf = Array.from({ length: examples.length * groupSize }, (_, r) => Math.floor(r / groupSize));
  const responseIds = await generateForRows(policy, images, promptIds, promptOf, {
    maxNewTokens,
    temperature,
    seed,
  });
  const texts = responseIds.map((ids) => responseText(policy, ids));
  const scores = await Promise.all(
    texts.map((text, r) => scoreWith(parts.reward, text, examples[promptOf[r] as number] as TrainExample)),
  );
  const rewards = scores.map((s) => s.reward);
  const advantageTensor = groupAdvantages(rewards, groupSize, {
    scaleByStd: config.policyLoss.scaleByStd,
    eps: 1e-6,
  });
  const advantages = Array.from(advantageTensor.dataSync());
  advantageTensor.dispose();
  return {
    examples,
    promptIds,
    promptOf,
    responseIds,
    texts,
    rewards,
    accuracy: scores.map((s) => s.accuracy ?? 0),
    format: scores.map((s) => s.format ?? 0),
    advantages,
  };
}

type UpdateMetrics = Pick<
  StepMetrics,
  | "loss"
  | "policyLoss"
  | "kl"
  | "cpl"
  | "papoKl"
  | "perceptionShare"
  | "clipFractionHigh"
  | "clipFractionLow"
  | "dualClipFraction"
  | "approxKl"
  | "entropy"
  | "gradNorm"
  | "updates"
>;

const LOSS_METRICS = [
  "loss",
  "policyLoss",
  "kl",
  "cpl",
  "papoKl",
  "perceptionShare",
  "clipFractionHigh",
  "clipFractionLow",
  "dualClipFraction",
  "approxKl",
  "entropy",
] as const;
type LossMetric = (typeof LOSS_METRICS)[number];

function updatePolicy(parts: TrainerParts, rollout: Rollout, views: Tensor4D[], step: number): UpdateMetrics {
  const { config, policy, optimizer } = parts;
  const { ppoEpochs } = config.optim;
  const prompts = rollout.examples.length;
  const miniPrompts = Math.min(config.optim.miniBatchPrompts ?? prompts, prompts);
  const microPrompts = Math.min(config.optim.microBatchPrompts ?? miniPrompts, miniPrompts);
  const miniBatches = chunk(range(prompts), miniPrompts);
  // With one update per step the policy before the update is the policy of the forward pass itself.
  const onPolicy = ppoEpochs === 1 && miniBatches.length === 1;
  const oldLogProbs = onPolicy ? null : scoreAll(policy, rollout, views[0] as Tensor4D, microPrompts);
  const refLogProbs =
    parts.reference && config.kl.coef > 0
      ? scoreAll(parts.reference, rollout, views[0] as Tensor4D, microPrompts)
      : null;

  const sums: Record<LossMetric | "gradNorm", number> = Object.fromEntries(
    [...LOSS_METRICS, "gradNorm"].map((k) => [k, 0]),
  ) as Record<LossMetric | "gradNorm", number>;
  let passes = 0;
  let updates = 0;
  const variables = policy.trainableVariables;
  for (let epoch = 0; epoch < ppoEpochs; epoch++) {
    for (const miniBatch of miniBatches) {
      const micros = chunk(miniBatch, microPrompts);
      let accumulated: Tensor[] | null = null;
      for (const micro of micros) {
        const rows = micro.flatMap((p) =>
          range(config.rollout.groupSize).map((g) => p * config.rollout.groupSize + g),
        );
        const weight = micro.length / miniBatch.length;
        const { grads, values } = microBatchGradients(
          parts,
          rollout,
          views,
          rows,
          oldLogProbs,
          refLogProbs,
          variables,
        );
        if (!Number.isFinite(values.loss)) {
          tf.dispose(grads);
          if (accumulated) tf.dispose(accumulated);
          throw new NonFiniteLossError(step + 1, `the loss (${values.loss})`);
        }
        for (const key of LOSS_METRICS) sums[key] += values[key];
        passes += 1;
        const scaled = grads.map((g) => tf.mul(g, weight));
        tf.dispose(grads);
        if (accumulated === null) {
          accumulated = scaled;
        } else {
          const summed: Tensor[] = accumulated.map((a, i) => tf.add(a, scaled[i] as Tensor));
          tf.dispose([...accumulated, ...scaled]);
          accumulated = summed;
        }
      }
      const { gradients, norm } = clipByGlobalNorm(accumulated as Tensor[], config.optim.gradClip);
      tf.dispose(accumulated as Tensor[]);
      if (!Number.isFinite(norm)) {
        tf.dispose(gradients);
        throw new NonFiniteLossError(step + 1, `the gradient norm (${norm})`);
      }
      optimizer.applyGradients(variables, gradients);
      tf.dispose(gradients);
      sums.gradNorm += norm;
      updates += 1;
    }
  }
  const out = Object.fromEntries(LOSS_METRICS.map((k) => [k, sums[k] / passes])) as Record<
    LossMetric,
    number
  >;
  return { ...out, gradNorm: sums.gradNorm / updates, updates };
}

/** Log-probs of every response under `model` and the original image, as plain numbers per response. */
function scoreAll(
  model: VisionLanguagePolicy,
  rollout: Rollout,
  images: Tensor4D,
  microPrompts: number,
): number[][] {
  const out: number[][] = [];
  for (const micro of chunk(range(rollout.examples.length), microPrompts)) {
    const rows = rowsOf(micro, rollout);
    const logProbs = tf.tidy(() => {
      const scored = scoreResponses(model, {
        images: gatherRows(
          images,
          rows.map((r) => rollout.promptOf[r] as number),
        ),
        promptIds: rows.map((r) => rollout.promptIds[rollout.promptOf[r] as number] as number[]),
        responseIds: rows.map((r) => rollout.responseIds[r] as number[]),
      });
      return scored.logProbs;
    });
    const values = logProbs.arraySync();
    logProbs.dispose();
    rows.forEach((r, i) => {
      out[r] = (values[i] as number[]).slice(0, (rollout.responseIds[r] as number[]).length);
    });
  }
  return out;
}

/**
 * Positions in `rows` that are scored under the extra views. With CPPO's advantage gating (and top-k
 * selection) a response with advantage <= 0 has no token in the CPL mask, so its I+/I- passes are skipped.
 */
export function extraViewRows(config: TrainConfig, rollout: Rollout, rows: number[]): number[] {
  const all = range(rows.length);
  if (config.algo !== "cppo" || !config.cpl.advantageGating || config.cpl.allTokens) return all;
  return all.filter((i) => (rollout.advantages[rows[i] as number] as number) > 0);
}

/**
 * Loss values and gradients of one micro-batch. `viewRows` (positions in `rows`) are the rows scored under
 * the extra views; exported for tests only, which compare the gated subset with all rows.
 */
export function microBatchGradients(
  parts: TrainerParts,
  rollout: Rollout,
  views: Tensor4D[],
  rows: number[],
  oldLogProbs: number[][] | null,
  refLogProbs: number[][] | null,
  variables: Variable[],
  viewRows: number[] = extraViewRows(parts.config, rollout, rows),
): { grads: Tensor[]; values: Record<LossMetric, number> } {
  const { config, policy } = parts;
  const n = rows.length;
  const g = viewRows.length;
  // No row reaches the CPL: score the original image only.
  const scoredViews = g === 0 ? views.slice(0, 1) : views;
  const kept: Partial<Record<LossMetric, Tensor>> = {};
  const keep = (name: LossMetric, value: Tensor) => {
    kept[name] = tf.keep(value);
  };
  const { value, grads } = tf.tidy(() => {
    const imageRows = rows.map((r) => rollout.promptOf[r] as number);
    const promptIds = rows.map((r) => rollout.promptIds[rollout.promptOf[r] as number] as number[]);
    const responseIds = rows.map((r) => rollout.responseIds[r] as number[]);
    const ofView = <T>(items: T[], view: number) => (view === 0 ? items : viewRows.map((i) => items[i] as T));
    const allImages = tf.concat(scoredViews.map((v, k) => gatherRows(v, ofView(imageRows, k)))) as Tensor4D;
    const advantages = tf.tensor1d(rows.map((r) => rollout.advantages[r] as number)) as Tensor1D;
    const width = Math.max(0, ...responseIds.map((r) => r.length));
    const padded = (source: number[][]) =>
      tf.tensor2d(
        rows.flatMap((r) => {
          const v = source[r] as number[];
          return [...v, ...new Array(width - v.length).fill(0)];
        }),
        [n, width],
      );
    const old = oldLogProbs ? padded(oldLogProbs) : null;
    const ref = refLogProbs ? padded(refLogProbs) : null;
    const aggregation = config.policyLoss.aggregation;

    return tf.variableGrads(() => {
      // One call, so every block is padded to the same width: [n rows under I; g rows under each view].
      const scored = scoreResponses(policy, {
        images: allImages,
        promptIds: scoredViews.flatMap((_, k) => ofView(promptIds, k)),
        responseIds: scoredViews.flatMap((_, k) => ofView(responseIds, k)),
      });
      const split = (t: Tensor, k: number) => {
        const [start, size] = k === 0 ? [0, n] : [n + (k - 1) * g, g];
        return tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]);
      };
      const logits = split(scored.logits, 0) as Tensor3D;
      const logProbs = split(scored.logProbs, 0) as Tensor2D;
      const mask = split(scored.responseMask, 0) as Tensor2D;
      const policyLoss = clippedPolicyLoss({
        logProbs,
        oldLogProbs: old ?? (detach(logProbs) as Tensor2D),
        advantages,
        mask,
        clipLow: config.policyLoss.clipLow,
        clipHigh: config.policyLoss.clipHigh,
        dualClip: config.policyLoss.dualClip,
        aggregation,
      });
      keep("policyLoss", policyLoss.loss);
      keep("clipFractionHigh", policyLoss.clipFractionHigh);
      keep("clipFractionLow", policyLoss.clipFractionLow);
      keep("dualClipFraction", policyLoss.dualClipFraction);
      keep("approxKl", policyLoss.approxKl);
      let total: Tensor = policyLoss.loss;

      const entropy = tokenEntropy(logits) as Tensor2D;
      const entropyMean = aggregateLoss(entropy, mask, aggregation);
      keep("entropy", entropyMean);
      if (config.policyLoss.entropyCoef > 0)
        total = tf.sub(total, tf.mul(entropyMean, config.policyLoss.entropyCoef));

      if (ref) {
        const kl = aggregateLoss(klPenalty(logProbs, ref, config.kl.estimator), mask, aggregation);
        keep("kl", kl);
        total = tf.add(total, tf.mul(kl, config.kl.coef));
      } else {
        keep("kl", tf.scalar(0));
      }

      if (config.algo === "cppo" && g === 0) {
        keep("cpl", tf.scalar(0));
        keep("perceptionShare", tf.scalar(0));
      } else if (config.algo === "cppo") {
        // The CPL and the detection see only the viewRows: rows outside have an all-zero CPL mask, and an
        // all-zero row changes neither the token-mean nor the seq-means (aggregateLoss skips such rows).
        const subset = g === n ? null : tf.tensor1d(viewRows, "int32");
        const pick = <T extends Tensor>(t: T): T => (subset ? (tf.gather(t, subset) as T) : t);
        const maskSubset = pick(mask);
        // Without the anchor's gradient only the I+ and I- outputs move toward (or away from) the original's.
        const anchor = <T extends Tensor>(t: T): T => (config.cpl.anchorGradient ? t : (detach(t) as T));
        const logitsRemoved = split(scored.logits, 2) as Tensor3D;
        let selected: Tensor2D;
        if (config.cpl.allTokens) {
          selected = maskSubset;
        } else {
          const entropyRemoved = tokenEntropy(logitsRemoved) as Tensor2D;
          selected = selectPerceptionTokens({
            entropy: detach(pick(entropy)) as Tensor2D,
            entropyRemoved: detach(entropyRemoved) as Tensor2D,
            responseMask: detach(maskSubset) as Tensor2D,
            topFraction: config.cpl.topFraction,
          });
        }
        if (config.cpl.advantageGating)
          selected = gateByAdvantage(detach(selected) as Tensor2D, pick(advantages));
        selected = detach(selected) as Tensor2D;
        keep("perceptionShare", tf.div(tf.sum(selected), tf.maximum(tf.sum(mask), 1)));
        // seq-mean-token-sum-norm divides by the micro-batch's width, whichever rows the CPL sees.
        const normLength = width;
        const cpl =
          config.cpl.estimator === "full"
            ? contrastivePerceptionLossFromLogits({
                logits: anchor(pick(logits)),
                logitsPreserved: split(scored.logits, 1) as Tensor3D,
                logitsRemoved,
                mask: selected,
                tau: config.cpl.tau,
                aggregation,
                normLength,
              })
            : contrastivePerceptionLoss({
                logProbs: anchor(pick(logProbs)),
                logProbsPreserved: split(scored.logProbs, 1) as Tensor2D,
                logProbsRemoved: split(scored.logProbs, 2) as Tensor2D,
                mask: selected,
                tau: config.cpl.tau,
                aggregation,
                normLength,
              });
        keep("cpl", cpl);
        total = tf.add(total, tf.mul(cpl, config.cpl.coef));
      } else {
        keep("cpl", tf.scalar(0));
        keep("perceptionShare", tf.scalar(0));
      }

      if (config.algo === "papo") {
        const papo = papoPerceptionLoss({
          logProbs,
          logProbsMasked: split(scored.logProbs, 1) as Tensor2D,
          mask,
          klCoef: config.papo.klCoef,
          entropy,
          entropyMasked: tokenEntropy(split(scored.logits, 1) as Tensor3D) as Tensor2D,
          entropyCoef: config.papo.entropyCoef,
          klClamp: config.papo.klClamp,
          aggregation,
        });
        keep("papoKl", papo.kl);
        total = tf.add(total, papo.loss);
      } else {
        keep("papoKl", tf.scalar(0));
      }
      return total as tf.Scalar;
    }, variables);
  });
  const loss = value.dataSync()[0] as number;
  const values = Object.fromEntries(
    LOSS_METRICS.map((k) => [k, k === "loss" ? loss : ((kept[k]?.dataSync()[0] as number | undefined) ?? 0)]),
  ) as Record<LossMetric, number>;
  // The total can be one of the kept terms (e.g. GRPO without KL): dispose each tensor once.
  tf.dispose([...new Set<Tensor>([value, ...(Object.values(kept) as Tensor[])])]);
  const ordered = variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
  return { grads: ordered, values };
}

/** A copy with no link to the gradient tape (the perception mask and old log-probs are constants). */
function detach(t: Tensor): Tensor {
  return tf.tensor(t.dataSync(), t.shape, t.dtype);
}

function gatherRows(images: Tensor4D, rows: number[]): Tensor4D {
  return tf.tidy(() => tf.gather(images, tf.tensor1d(rows, "int32")) as Tensor4D);
}

function rowsOf(prompts: number[], rollout: Rollout): number[] {
  const groupSize = rollout.promptOf.length / rollout.examples.length;
  return prompts.flatMap((p) => range(groupSize).map((g) => p * groupSize + g));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
