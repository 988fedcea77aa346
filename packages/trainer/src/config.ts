import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const aggregation = z
  .enum(["token-mean", "seq-mean-token-mean", "seq-mean-token-sum", "seq-mean-token-sum-norm"])
  .default("token-mean");

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();

/**
 * The whole training configuration. Strict at every level: an unknown key is an error. Defaults are sized for a
 * CPU demo (a tiny model, minutes of training); the README lists each key with the paper's value.
 */
export const trainConfigSchema = z.strictObject({
  algo: z.enum(["grpo", "papo", "cppo"]).default("cppo").describe("training algorithm: grpo, papo or cppo"),
  seed: z.number().int().nonnegative().default(0).describe("seed of every random choice of the run"),
  steps: positiveInt.default(40).describe("optimisation steps (each: one rollout batch, then its updates)"),
  runDir: z.string().min(1).optional().describe("run directory (default runs/<algo>-<seed>-<time>)"),
  data: z
    .strictObject({
      source: z.enum(["synth", "virl39k", "geometry3k"]).default("synth").describe("training data set"),
      root: z.string().min(1).optional().describe("folder of the data set files (virl39k, geometry3k)"),
      seed: z
        .number()
        .int()
        .nonnegative()
        .default(1)
        .describe("synth: seed of the generated problems (the warm start was fitted on seed 0's)"),
      trainSize: positiveInt.default(2000).describe("synth: number of training problems generated"),
      testSize: positiveInt.default(200).describe("problems of the test split used for evaluation"),
      evalSplit: z
        .enum(["test", "validation"])
        .default("test")
        .describe(
          "synth: evaluate on the test split (problems never trained on) or, for tuning, on validation: fresh draws of train-split problems (seed data.seed + 1000)",
        ),
      imageSize: positiveInt.default(32).describe("synth: side of the rendered images in pixels"),
    })
    .prefault({})
    .describe("where the problems come from"),
  policy: z
    .strictObject({
      checkpoint: z
        .string()
        .min(1)
        .optional()
        .describe("TinyVLM checkpoint folder to start from (default: the bundled warm-start checkpoint)"),
    })
    .prefault({})
    .describe("the policy to train"),
  rollout: z
    .strictObject({
      promptsPerStep: positiveInt.default(8).describe("prompts per step (paper: 512)"),
      groupSize: positiveInt.default(5).describe("responses sampled per prompt, G (paper: 5)"),
      maxNewTokens: positiveInt.default(48).describe("longest response in tokens"),
      temperature: z.number().positive().default(1).describe("sampling temperature (paper: 1.0)"),
    })
    .prefault({})
    .describe("sampling of responses"),
  optim: z
    .strictObject({
      learningRate: z.number().positive().default(2e-4).describe("Adam learning rate (paper: 1e-6 for 3B)"),
      beta1: z.number().min(0).max(1).default(0.9).describe("Adam beta1"),
      beta2: z.number().min(0).max(1).default(0.999).describe("Adam beta2"),
      epsilon: z.number().positive().default(1e-8).describe("Adam epsilon"),
      gradClip: z.number().positive().default(1).describe("global gradient-norm clip (paper: 1.0)"),
      ppoEpochs: positiveInt.default(1).describe("passes over each rollout batch (paper: 1)"),
      miniBatchPrompts: positiveInt
        .optional()
        .describe("prompts per optimiser update (default: all prompts of the step; paper: 64 of 512)"),
      microBatchPrompts: positiveInt
        .optional()
        .describe("prompts per forward/backward pass, gradients accumulated (default: the whole mini-batch)"),
    })
    .prefault({})
    .describe("optimiser"),
  views: z
    .strictObject({
      preserving: z
        .enum(["informationPreserving", "colorJitter", "randomPerspective", "randomRotation"])
        .default("informationPreserving")
        .describe("CPPO's I+ (METHOD section 3: one of jitter, perspective, rotation)"),
      removing: z
        .enum(["informationRemoving", "randomOcclusion", "zoomCrop", "patchMask"])
        .default("informationRemoving")
        .describe("CPPO's I- (METHOD section 3: one of occlusion, zoom-crop)"),
      masked: z
        .enum(["patchMask", "informationRemoving", "randomOcclusion", "zoomCrop"])
        .default("patchMask")
        .describe("PAPO's masked image (pixels blackened at ratio 0.3 to 0.6)"),
    })
    .prefault({})
    .describe("perturbed views of the image"),
  policyLoss: z
    .strictObject({
      clipLow: nonNegative.default(0.2).describe("PPO clip epsilon below 1 (paper: 0.2)"),
      clipHigh: nonNegative.default(0.2).describe("PPO clip epsilon above 1 (paper: 0.2)"),
      dualClip: z
        .number()
        .gt(1)
        .nullable()
        .default(3)
        .describe("dual-clip constant c for A < 0, null disables"),
      aggregation: aggregation.describe("how token losses become one number"),
      scaleByStd: z.boolean().default(true).describe("divide advantages by the group std (false: Dr. GRPO)"),
      advantageEps: nonNegative.default(1e-6).describe("added to the group std before dividing"),
      entropyCoef: nonNegative.default(0).describe("entropy bonus weight (paper: 0)"),
    })
    .prefault({})
    .describe("GRPO clipped surrogate"),
  kl: z
    .strictObject({
      coef: nonNegative
        .default(0.01)
        .describe("beta, weight of the KL to the reference policy (paper: 0.01)"),
      estimator: z.enum(["k1", "k2", "k3", "abs"]).default("k3").describe("per-token KL estimator"),
    })
    .prefault({})
    .describe("KL penalty to the frozen initial policy"),
  cpl: z
    .strictObject({
      coef: nonNegative.default(0.02).describe("lambda, weight of the CPL (paper: 0.01 scripts, 0.02 best)"),
      tau: z.number().positive().default(0.1).describe("temperature of the contrastive loss (paper: 0.1)"),
      topFraction: z
        .number()
        .gt(0)
        .max(1)
        .default(0.5)
        .describe("fraction p of candidate tokens kept per response (paper: 0.5)"),
      allTokens: z.boolean().default(false).describe("ablation: CPL on every response token, no detection"),
      advantageGating: z.boolean().default(true).describe("drop tokens of responses with advantage <= 0"),
      estimator: z
        .enum(["k3", "full"])
        .default("k3")
        .describe("k3 on sampled tokens (paper) or full-distribution KL"),
      anchorGradient: z
        .boolean()
        .default(true)
        .describe(
          "CPL gradient also through the original image's outputs (paper: true); false moves only the views' outputs",
        ),
    })
    .prefault({})
    .describe("Contrastive Perception Loss (algo cppo)"),
  papo: z
    .strictObject({
      klCoef: nonNegative
        .default(0.02)
        .describe("weight of the implicit perception loss (PAPO: 0.01 to 0.1)"),
      entropyCoef: nonNegative
        .default(0.03)
        .describe("weight of the double-entropy regulariser (PAPO: 0.03)"),
      klClamp: z
        .tuple([z.number(), z.number()])
        .nullable()
        .default([0, 0.2])
        .describe("per-token clamp [low, high] of PAPO's KL, null for none (flag: --papo.klClamp 0,0.2)"),
    })
    .prefault({})
    .describe("PAPO baseline (algo papo)"),
  eval: z
    .strictObject({
      k: positiveInt.default(8).describe("samples per problem for accuracy@k (paper: 8)"),
      temperature: z.number().positive().default(1).describe("sampling temperature of evaluation"),
      maxNewTokens: positiveInt.optional().describe("longest response (default: rollout.maxNewTokens)"),
      every: positiveInt
        .optional()
        .describe("also evaluate every N steps; every evaluation is a line of evals.jsonl (learning curves)"),
      detector: z
        .boolean()
        .default(false)
        .describe(
          "data-synth: at every evaluation also score the perception-token detector (detector.jsonl)",
        ),
      detectorProblems: positiveInt
        .default(32)
        .describe("test problems whose sampled responses the detector is scored on"),
      before: z.boolean().default(true).describe("evaluate on the test split before training"),
      after: z.boolean().default(true).describe("evaluate on the test split after training"),
    })
    .prefault({})
    .describe("evaluation around training"),
  log: z
    .strictObject({
      checkpointEvery: positiveInt.default(10).describe("write a checkpoint every N steps (and at the end)"),
      keepCheckpoints: positiveInt.default(2).describe("checkpoints kept on disk (the newest N)"),
      sampleEvery: positiveInt.default(10).describe("print one sampled completion every N steps"),
      plots: z.boolean().default(true).describe("write plots of the metrics at the end"),
    })
    .prefault({})
    .describe("what the run writes and prints"),
});

/** The resolved configuration (every default filled in). */
export type TrainConfig = z.output<typeof trainConfigSchema>;
/** What a config file or the library caller may pass: any subset of {@link TrainConfig}. */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

/**
 * The defaults of every key.
 *
 * @example
 * defaultConfig().cpl.tau; // 0.1
 */
export function defaultConfig(): TrainConfig {
  return trainConfigSchema.parse({});
}

/**
 * Validates a partial config and fills in defaults. Throws one Error listing every bad key path.
 *
 * @example
 * resolveConfig({ algo: "grpo", cpl: { tau: 0.2 } }).cpl.tau; // 0.2
 * resolveConfig({ cpl: { tua: 1 } }); // Error: invalid config: cpl: unknown key "tua"
 */
export function resolveConfig(input: unknown, source = "config"): TrainConfig {
  const result = trainConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return `  ${keys.join(", ")}: unknown key${keys.length > 1 ? "s" : ""}`;
    }
    return `  ${path || "(root)"}: ${issue.message}`;
  });
  throw new Error(`invalid ${source}:\n${lines.join("\n")}`);
}

/**
 * Reads a JSON or YAML config file (by extension; anything not `.json` is parsed as YAML) without validating.
 *
 * @example
 * const raw = await readConfigFile("cppo.yaml");
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`cannot parse config file ${path}: ${(error as Error).message}`);
  }
  if (value == null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new Error(
      `config file ${path} must hold an object of settings, got ${Array.isArray(value) ? "a list" : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Deep-merges plain objects: keys of `override` win, nested objects merge.
 *
 * @example
 * mergeConfig({ cpl: { tau: 0.1, coef: 1 } }, { cpl: { tau: 0.2 } }); // { cpl: { tau: 0.2, coef: 1 } }
 */
export function mergeConfig(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeConfig(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
