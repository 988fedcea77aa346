import { spawn } from "node:child_process";
import { mkdir, open, readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { cppoCommand } from "../cli-command";
import { mergeConfig, resolveConfig } from "../config";
import { writeFileAtomic } from "../report";
import type { Arm } from "./arms";

export interface ComparisonOptions {
  /** Folder of the comparison: `runs/<arm>-s<seed>/`, `configs/`, `logs/`. */
  out: string;
  arms: readonly Arm[];
  seeds: readonly number[];
  /** Settings every run shares (steps, evaluation, ...); each arm's own settings win over them. */
  shared?: Record<string, unknown>;
  /** Runs trained at once, each in its own process. Default 2. */
  workers?: number;
  /** tfjs backend of every run (default: the fastest installed). */
  backend?: string;
  /** Progress lines; `null` prints nothing. Default process.stderr. */
  stream?: NodeJS.WritableStream | null;
  /** When aborted, running trainings checkpoint and stop, and no new run starts. */
  signal?: AbortSignal;
}

export interface PlannedRun {
  arm: Arm;
  seed: number;
  name: string;
  dir: string;
}

export interface ComparisonRunOutcome extends PlannedRun {
  status: "done" | "skipped" | "failed" | "stopped";
  seconds: number;
  log: string;
}

/**
 * The runs of a comparison, arms x seeds, in the order they start: seed-major, so the first seed of every
 * arm is done before any arm's second seed.
 *
 * @example
 * planRuns("runs/compare", armsNamed(["grpo", "cppo"]), [0, 1]).map((r) => r.name);
 * // ["grpo-s0", "cppo-s0", "grpo-s1", "cppo-s1"]
 */
export function planRuns(out: string, arms: readonly Arm[], seeds: readonly number[]): PlannedRun[] {
  return seeds.flatMap((seed) =>
    arms.map((arm) => {
      const name = `${arm.name}-s${seed}`;
      return { arm, seed, name, dir: join(resolve(out), "runs", name) };
    }),
  );
}

/**
 * Trains every arm with every seed, `workers` runs at a time, each as a `cppo train` child process writing
 * its log to `logs/<run>.log`. Re-running the same command continues: finished runs (those with
 * `eval-after.json` or, without evaluation, `policy/`) are skipped, interrupted ones resume from their newest
 * checkpoint. Throws after all runs ended if any failed, naming their logs.
 *
 * @example
 * await runComparison({ out: "runs/compare", arms: armsNamed(["grpo", "cppo"]), seeds: [0, 1, 2], shared: { steps: 100 } });
 */
export async function runComparison(options: ComparisonOptions): Promise<ComparisonRunOutcome[]> {
  const { arms, seeds, shared = {}, workers = 2, backend, signal } = options;
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`workers must be an integer >= 1, got ${workers}`);
  if (arms.length === 0) throw new Error("a comparison needs at least one arm");
  if (seeds.length === 0) throw new Error("a comparison needs at least one seed");
  const out = resolve(options.out);
  const stream = options.stream === undefined ? process.stderr : options.stream;
  const say = (line: string) => stream?.write(`${line}\n`);
  const runs = planRuns(out, arms, seeds);
  // Every configuration is validated before the first run starts.
  const configs = runs.map((run) =>
    resolveConfig(
      mergeConfig(mergeConfig(shared, run.arm.config as Record<string, unknown>), {
        seed: run.seed,
        runDir: run.dir,
      }),
      `config of ${run.name}`,
    ),
  );
  await mkdir(join(out, "configs"), { recursive: true });
  await mkdir(join(out, "logs"), { recursive: true });

  const outcomes: ComparisonRunOutcome[] = [];
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < runs.length && !signal?.aborted) {
      const index = next++;
      const run = runs[index] as PlannedRun;
      const configPath = join(out, "configs", `${run.name}.json`);
      await writeFileAtomic(configPath, `${JSON.stringify(configs[index], null, 2)}\n`);
      const log = join(out, "logs", `${run.name}.log`);
      const started = performance.now();
      const state = await runState(run.dir, configs[index]?.eval.after ?? true);
      let status: ComparisonRunOutcome["status"] = "skipped";
      if (state !== "done") {
        say(`start ${run.name}${state === "resume" ? " (resuming)" : ""}: log ${log}`);
        const args = state === "resume" ? ["--resume", run.dir] : ["--config", configPath];
        const code = await trainInChild([...args, ...(backend ? ["--backend", backend] : [])], log, signal);
        status = code === 0 ? "done" : code === 130 ? "stopped" : "failed";
      }
      const seconds = (performance.now() - started) / 1000;
      outcomes.push({ ...run, status, seconds, log });
      finished += 1;
      say(`[${finished}/${runs.length}] ${run.name} ${status} (${seconds.toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, runs.length) }, worker));
  const failed = outcomes.filter((o) => o.status === "failed");
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${runs.length} runs failed; see ${failed.map((f) => f.log).join(", ")}. Re-run the same command to retry them.`,
    );
  }
  return outcomes;
}

/** "done" when the run finished, "resume" when it has a checkpoint, "fresh" otherwise. */
async function runState(dir: string, evaluatesAfter: boolean): Promise<"done" | "resume" | "fresh"> {
  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );
  if (await exists(join(dir, evaluatesAfter ? "eval-after.json" : join("policy", "config.json"))))
    return "done";
  const checkpoints = await readdir(join(dir, "checkpoints")).catch(() => [] as string[]);
  return checkpoints.length > 0 ? "resume" : "fresh";
}

/** Runs `cppo train <args>` with output appended to `log`; resolves to its exit code. */
async function trainInChild(args: string[], log: string, signal: AbortSignal | undefined): Promise<number> {
  const { command, args: prefix, cwd } = cppoCommand();
  const file = await open(log, "a");
  try {
    return await new Promise<number>((resolveCode, reject) => {
      const child = spawn(command, [...prefix, "train", ...args], {
        cwd,
        stdio: ["ignore", file.fd, file.fd],
      });
      const interrupt = () => child.kill("SIGINT");
      signal?.addEventListener("abort", interrupt, { once: true });
      child.on("error", reject);
      child.on("exit", (code, killedBy) => {
        signal?.removeEventListener("abort", interrupt);
        resolveCode(code ?? (killedBy === "SIGINT" ? 130 : 1));
      });
    });
  } finally {
    await file.close();
  }
}
