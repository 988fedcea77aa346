import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { EvaluationResult } from "../evaluate";
import { type MetricsRecord, readMetrics } from "../report";
import type { Arm } from "./arms";
import { planRuns } from "./run-comparison";
import { type MeanStd, meanStd, median } from "./statistics";

/** What one finished run of a comparison measured. */
export interface RunSummary {
  arm: string;
  seed: number;
  dir: string;
  /** accuracy@k on the test split before and after training. */
  before: number;
  after: number;
  passAfter: number;
  /** accuracy@k at every evaluation, step 0 first. */
  curve: Array<{ step: number; accuracy: number }>;
  steps: number;
  /** Median seconds per training step, and their sum. */
  stepSeconds: number;
  trainSeconds: number;
  /** The run's detector.jsonl, when it measured the detector. */
  detector: MetricsRecord[];
}

/** One arm over its seeds. */
export interface ArmSummary {
  arm: string;
  label: string;
  runs: RunSummary[];
  before: MeanStd;
  after: MeanStd;
  /** after - before, per seed. */
  change: MeanStd;
  /** Median over seeds of each run's median seconds per step (robust to a run that shared the machine). */
  stepSeconds: number;
  /** Mean and std over seeds of accuracy@k at each evaluated step. */
  curve: Array<{ step: number } & MeanStd>;
}

export interface ComparisonSummary {
  k: number;
  testProblems: number;
  /** What the runs evaluated on: "test", or "validation" (`data.evalSplit`) when tuning. */
  evaluationSet: string;
  arms: ArmSummary[];
  /** Runs of the plan that have not finished (no eval-after.json). */
  missing: string[];
}

/**
 * Reads the finished runs of a comparison folder into per-arm means and standard deviations over seeds.
 *
 * @example
 * const summary = await summarizeComparison("runs/compare", armsNamed(["grpo", "cppo"]), [0, 1, 2]);
 * summary.arms[1]?.after.mean;
 */
export async function summarizeComparison(
  out: string,
  arms: readonly Arm[],
  seeds: readonly number[],
): Promise<ComparisonSummary> {
  const runs: RunSummary[] = [];
  const missing: string[] = [];
  let k = 0;
  let testProblems = 0;
  let evaluationSet = "test";
  for (const run of planRuns(out, arms, seeds)) {
    const after = await readJson<EvaluationResult>(join(run.dir, "eval-after.json"));
    const before = await readJson<EvaluationResult>(join(run.dir, "eval-before.json"));
    if (!after || !before) {
      missing.push(run.name);
      continue;
    }
    k = after.k;
    const config = await readJson<{ data?: { evalSplit?: string } }>(join(run.dir, "config.json"));
    evaluationSet = config?.data?.evalSplit ?? "test";
    testProblems = after.problems;
    const metrics = await readMetrics(join(run.dir, "metrics.jsonl"));
    const evals = await readMetrics(join(run.dir, "evals.jsonl")).catch(() => []);
    const detector = await readMetrics(join(run.dir, "detector.jsonl")).catch(() => []);
    const stepTimes = metrics.map((m) => m.step_time).filter((t): t is number => typeof t === "number");
    runs.push({
      arm: run.arm.name,
      seed: run.seed,
      dir: run.dir,
      before: before.accuracyAtK,
      after: after.accuracyAtK,
      passAfter: after.passAtK,
      curve: evals.map((e) => ({ step: e.step, accuracy: e.accuracy_at_k as number })),
      steps: metrics.length,
      stepSeconds: median(stepTimes),
      trainSeconds: stepTimes.reduce((a, b) => a + b, 0),
      detector,
    });
  }
  return {
    k,
    testProblems,
    evaluationSet,
    missing,
    arms: arms.map((arm) =>
      summarizeArm(
        arm,
        runs.filter((r) => r.arm === arm.name),
      ),
    ),
  };
}

function summarizeArm(arm: Arm, runs: RunSummary[]): ArmSummary {
  const steps = [...new Set(runs.flatMap((r) => r.curve.map((p) => p.step)))].sort((a, b) => a - b);
  return {
    arm: arm.name,
    label: arm.label,
    runs,
    before: meanStd(runs.map((r) => r.before)),
    after: meanStd(runs.map((r) => r.after)),
    change: meanStd(runs.map((r) => r.after - r.before)),
    stepSeconds: median(runs.map((r) => r.stepSeconds)),
    curve: steps.map((step) => ({
      step,
      ...meanStd(runs.flatMap((r) => r.curve.filter((p) => p.step === step).map((p) => p.accuracy))),
    })),
  };
}

async function readJson<T>(path: string): Promise<T | null> {
  const text = await readFile(path, "utf8").catch(() => null);
  return text === null ? null : (JSON.parse(text) as T);
}
