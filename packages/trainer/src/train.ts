import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mixSeed } from "@cppo/random";
import { loadTinyVLM, type VisionLanguagePolicy } from "@cppo/vlm";
import { Adam } from "./adam";
import {
  checkpointsDir,
  loadCheckpoint,
  restoreVariables,
  saveCheckpoint,
  toNamedTensors,
} from "./checkpoint";
import { resolveConfig, type TrainConfig, type TrainConfigInput } from "./config";
import { type Dataset, openDatasets } from "./data";
import { measureDetector } from "./detector-quality";
import { type EvaluationResult, evaluate } from "./evaluate";
import { detectorRecord, evaluationRecord } from "./evaluation-records";
import { writePerceptionExample } from "./perception-example";
import {
  createMetricsLog,
  createProgress,
  formatTable,
  readMetrics,
  writeFileAtomic,
  writeRunPlots,
} from "./report";
import { mathRewardFunction, type RewardFunction } from "./reward-function";
import {
  NonFiniteLossError,
  type StepMetrics,
  type StepSample,
  trainStep,
  viewsFromConfig,
} from "./train-step";

/** The warm-start TinyVLM shipped with the package (`cppo sft` regenerates it). */
export const WARM_START_DIR = fileURLToPath(new URL("../assets/warm-start-synth", import.meta.url));

export interface TrainOptions {
  /** The policy to train (default: TinyVLM from `config.policy.checkpoint` or the warm-start checkpoint). */
  policy?: VisionLanguagePolicy;
  /** Training problems (default: from `config.data`). */
  dataset?: Dataset;
  /** Evaluation problems for accuracy@k before and after (default: from `config.data`). */
  testDataset?: Dataset;
  /** Reward of one response (default: the paper's 0.9 accuracy + 0.1 format). */
  reward?: RewardFunction;
  /** Continue the run in this folder from its newest checkpoint. */
  resume?: string;
  /** When aborted, the trainer finishes the current step, writes a checkpoint and returns. */
  signal?: AbortSignal;
  /** Called after every step; return "stop" to end the run early (after a checkpoint). */
  onStep?: (metrics: StepMetrics, sample: StepSample) => undefined | "stop" | Promise<undefined | "stop">;
  /** Where progress and messages go (default process.stderr); `null` prints nothing. */
  stream?: NodeJS.WritableStream | null;
}

export interface TrainResult {
  runDir: string;
  config: TrainConfig;
  /** Steps completed (including those of a resumed run's earlier part). */
  steps: number;
  /** "done", or "stopped" when a signal or onStep ended the run early. */
  status: "done" | "stopped";
  metrics: StepMetrics[];
  before: EvaluationResult | null;
  after: EvaluationResult | null;
  seconds: number;
}

/**
 * Trains a policy with GRPO, PAPO or CPPO (`config.algo`) and writes a run directory: `config.json`,
 * `metrics.jsonl`, `checkpoints/`, `policy/` (final weights), plots, `eval-before.json`/`eval-after.json`
 * and, for CPPO, `perception.svg`. With `resume` it continues exactly from the newest checkpoint.
 *
 * @example
 * const result = await train({ algo: "cppo", steps: 20 }, { reward: (text, ex) => (text.includes(ex.groundTruth) ? 1 : 0) });
 * console.log(result.after?.accuracyAtK);
 */
export async function train(input: TrainConfigInput, options: TrainOptions = {}): Promise<TrainResult> {
  const started = performance.now();
  const config = resolveConfig(input);
  const runDir = options.resume ?? config.runDir ?? defaultRunDir(config);
  const resolved: TrainConfig = { ...config, runDir };
  const out = options.stream === undefined ? process.stderr : options.stream;
  const say = (line: string) => out?.write(`${line}\n`);

  const checkpoint = options.resume ? await loadCheckpoint(options.resume) : null;

  const datasets =
    options.dataset && (options.testDataset || (!config.eval.before && !config.eval.after))
      ? { train: options.dataset, test: options.testDataset ?? null }
      : { ...(await openDatasets(config)), ...(options.dataset ? { train: options.dataset } : {}) };
  const testDataset = options.testDataset ?? datasets.test;
  const ownsPolicy = !options.policy;
  const policy = options.policy ?? (await loadPolicy(config.policy.checkpoint));
  // Everything is loaded and valid before the run directory is touched.
  await mkdir(runDir, { recursive: true });
  await writeFileAtomic(join(runDir, "config.json"), `${JSON.stringify(resolved, null, 2)}\n`);
  const reference = config.kl.coef > 0 ? policy.clone() : null;
  const optimizer = new Adam(config.optim);
  let step = 0;
  let dataPosition = 0;
  if (checkpoint) {
    restoreVariables(policy.trainableVariables, checkpoint.policy, `${checkpoint.dir}/policy`);
    if (reference)
      restoreVariables(reference.trainableVariables, checkpoint.reference, `${checkpoint.dir}/reference`);
    const state = toNamedTensors(checkpoint.optimizer);
    optimizer.setWeights(state);
    for (const { tensor } of state) tensor.dispose();
    step = checkpoint.state.step;
    dataPosition = checkpoint.state.dataPosition;
    say(`resuming ${runDir} from step ${step}`);
  }

  const evalOptions = () => ({
    policy,
    dataset: testDataset as Dataset,
    k: config.eval.k,
    temperature: config.eval.temperature,
    maxNewTokens: config.eval.maxNewTokens ?? config.rollout.maxNewTokens,
    // The same samples' seeds before and after, so the difference measures the policy, not sampling noise.
    seed: mixSeed(config.seed, 0xe7a1),
    reward: options.reward,
  });
  const metricsLog = await createMetricsLog(join(runDir, "metrics.jsonl"), { truncateAfterStep: step });
  const evalsLog = await createMetricsLog(join(runDir, "evals.jsonl"), { truncateAfterStep: step });
  const detectorLog = config.eval.detector
    ? await createMetricsLog(join(runDir, "detector.jsonl"), { truncateAfterStep: step })
    : null;
  const views = viewsFromConfig(config);
  /** accuracy@k on the test split (a line of evals.jsonl) and, when asked, the detector's scores. */
  const observe = async (atStep: number): Promise<EvaluationResult> => {
    const result = await evaluate(evalOptions());
    await evalsLog.append(evaluationRecord(atStep, result));
    if (detectorLog && testDataset) {
      const problems = Math.min(config.eval.detectorProblems, testDataset.length);
      const examples = await Promise.all(Array.from({ length: problems }, (_, i) => testDataset.get(i)));
      const quality = await measureDetector({
        policy,
        examples,
        view: views.removing,
        seed: mixSeed(config.seed, 0xde7ec7),
        maxNewTokens: config.eval.maxNewTokens ?? config.rollout.maxNewTokens,
      });
      await detectorLog.append(detectorRecord(atStep, quality));
    }
    return result;
  };
  const metrics: StepMetrics[] = [];
  let before: EvaluationResult | null = null;
  let after: EvaluationResult | null = null;
  let status: TrainResult["status"] = "done";
  const save = () =>
    saveCheckpoint(
      runDir,
      {
        policy: policy.trainableVariables,
        reference: reference?.trainableVariables ?? [],
        optimizer: optimizer.getWeights(),
        state: { step, dataPosition, rng: { seed: config.seed, step } },
      },
      config.log.keepCheckpoints,
    );
  try {
    if (config.eval.before && testDataset) {
      before = await readJsonIfExists<EvaluationResult>(join(runDir, "eval-before.json"));
      if (!before) {
        say(`evaluating accuracy@${config.eval.k} on ${testDataset.length} test problems before training...`);
        before = await observe(0);
        await writeFileAtomic(join(runDir, "eval-before.json"), `${JSON.stringify(before, null, 2)}\n`);
        say(
          `  accuracy@${config.eval.k} ${pct(before.accuracyAtK)}  pass@${config.eval.k} ${pct(before.passAtK)}`,
        );
      }
    }
    const progress = createProgress({
      total: config.steps,
      label: config.algo,
      stream: out ?? devNull(),
      startStep: step,
    });
    const reward = options.reward ?? mathRewardFunction;
    let savedAt = checkpoint ? step : -1;
    while (step < config.steps) {
      const parts = { config, policy, reference, optimizer, dataset: datasets.train, reward };
      const result = await trainStep(parts, { step, dataPosition }, views).catch((error: unknown) => {
        if (error instanceof NonFiniteLossError) {
          progress.done();
          const last =
            savedAt >= 0
              ? `the last good checkpoint is step ${savedAt} in ${checkpointsDir(runDir)}`
              : "no checkpoint was written yet";
          error.message += `; ${last}. Lower optim.learningRate or raise kl.coef and resume.`;
        }
        throw error;
      });
      step += 1;
      dataPosition = result.dataPosition;
      metrics.push(result.metrics);
      await metricsLog.append(toRecord(result.metrics));
      progress.update(step, {
        reward: result.metrics.rewardMean,
        acc: result.metrics.accuracy,
        kl: result.metrics.kl,
        ...(config.algo === "cppo" ? { cpl: result.metrics.cpl } : {}),
      });
      if (step % config.log.sampleEvery === 0 || step === 1) {
        const s = result.sample;
        progress.log(
          `sample @${step} [${s.exampleId}] reward ${s.reward.toFixed(2)} truth ${s.groundTruth}: ${oneLine(s.response)}`,
        );
      }
      const stop =
        (await options.onStep?.(result.metrics, result.sample)) === "stop" ||
        options.signal?.aborted === true;
      const every = config.eval.every;
      if (every && step % every === 0 && step < config.steps && !stop && testDataset) {
        progress.log(`evaluating accuracy@${config.eval.k} at step ${step}...`);
        const result = await observe(step);
        progress.log(
          `  accuracy@${config.eval.k} ${pct(result.accuracyAtK)}  pass@${config.eval.k} ${pct(result.passAtK)}`,
        );
      }
      if (step % config.log.checkpointEvery === 0 || step === config.steps || stop) {
        await save();
        savedAt = step;
      }
      if (stop) {
        status = "stopped";
        break;
      }
    }
    progress.done();
    if (savedAt !== step) await save();
    if (status === "stopped") {
      say(
        `stopped after step ${step}; checkpoint in ${checkpointsDir(runDir)}. Resume with: cppo train --resume ${runDir}`,
      );
    } else {
      await policy.save(join(runDir, "policy"));
      const records = await readMetrics(join(runDir, "metrics.jsonl"));
      if (config.log.plots && records.length > 0) await writeRunPlots(runDir, records);
      if (config.algo === "cppo" && datasets.train.length > 0) {
        const picture = await writePerceptionExample(join(runDir, "perception"), {
          policy,
          example: await datasets.train.get(0),
          view: views.removing,
          seed: config.seed,
          topFraction: config.cpl.topFraction,
        });
        if (picture.precision !== undefined && picture.recall !== undefined) {
          say(
            `perception tokens of one reference response vs data-synth's labels: precision ${pct(picture.precision)}, recall ${pct(picture.recall)} (${join(runDir, "perception.svg")})`,
          );
        }
      }
      if (config.eval.after && testDataset) {
        say(`evaluating accuracy@${config.eval.k} after training...`);
        after = await observe(step);
        await writeFileAtomic(join(runDir, "eval-after.json"), `${JSON.stringify(after, null, 2)}\n`);
        say(
          `  accuracy@${config.eval.k} ${pct(after.accuracyAtK)}  pass@${config.eval.k} ${pct(after.passAtK)}`,
        );
      }
    }
  } finally {
    await metricsLog.close();
    await evalsLog.close();
    await detectorLog?.close();
    optimizer.dispose();
    reference?.dispose();
    if (ownsPolicy) policy.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  if (status === "done") {
    const k = config.eval.k;
    say(
      formatTable([
        { what: `accuracy@${k} before`, value: before ? pct(before.accuracyAtK) : "-" },
        { what: `accuracy@${k} after`, value: after ? pct(after.accuracyAtK) : "-" },
        { what: "time", value: `${seconds.toFixed(0)} s` },
        { what: "run directory", value: runDir },
      ]),
    );
  }
  return { runDir, config: resolved, steps: step, status, metrics, before, after, seconds };
}

/** TinyVLM from `checkpoint`, or the bundled warm start (with advice when it is missing). */
async function loadPolicy(checkpoint: string | undefined): Promise<VisionLanguagePolicy> {
  if (checkpoint) return loadTinyVLM(checkpoint);
  if (!(await stat(join(WARM_START_DIR, "config.json")).catch(() => null))) {
    throw new Error(
      `the bundled warm-start checkpoint is missing (${WARM_START_DIR}); create it with "cppo sft" or pass --checkpoint DIR`,
    );
  }
  return loadTinyVLM(WARM_START_DIR);
}

/** `runs/<algo>-s<seed>-<UTC time>` under the working directory. */
export function defaultRunDir(config: TrainConfig): string {
  const time = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  return join("runs", `${config.algo}-s${config.seed}-${time}`);
}

/** A metrics line: snake_case keys, as the report module and plots expect. */
export function toRecord(metrics: StepMetrics): { step: number } & Record<string, number> {
  const record: { step: number } & Record<string, number> = { step: metrics.step };
  for (const [key, value] of Object.entries(metrics)) {
    record[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  }
  return record;
}

async function readJsonIfExists<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return null;
  }
}

function pct(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

function devNull(): NodeJS.WritableStream {
  return { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
}
