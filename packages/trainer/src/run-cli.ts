import { stat } from "node:fs/promises";
import { join } from "node:path";
import { loadTinyVLM } from "@cppo/vlm";
import { selectBackend } from "./backend";
import { type FlagSpec, helpText, parseArgs } from "./cli-args";
import { ARMS, armsNamed, runComparison, summarizeComparison, writeComparisonReport } from "./compare";
import { mergeConfig, readConfigFile, resolveConfig } from "./config";
import { openDatasets } from "./data";
import { evaluate } from "./evaluate";
import { formatTable, writeFileAtomic } from "./report";
import { sft } from "./sft";
import { train, WARM_START_DIR } from "./train";

/** Where the CLI writes; tests pass their own streams. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted on SIGINT: training checkpoints and returns. */
  signal?: AbortSignal;
}

const backendFlag: FlagSpec = {
  name: "backend",
  kind: "string",
  description: "tfjs backend: tensorflow-gpu, tensorflow, wasm or cpu (default: fastest installed)",
};

const TRAIN_FLAGS: FlagSpec[] = [
  { name: "config", kind: "string", description: "JSON or YAML config file" },
  {
    name: "resume",
    kind: "string",
    description: "continue the run in this directory from its newest checkpoint",
  },
  backendFlag,
];

const EVAL_FLAGS: FlagSpec[] = [
  {
    name: "policy",
    kind: "string",
    description: "TinyVLM checkpoint folder, or a run directory (uses its policy/)",
  },
  { name: "data", kind: "string", description: "synth, virl39k or geometry3k", defaultValue: "synth" },
  { name: "data-root", kind: "string", description: "folder of the data set files (virl39k, geometry3k)" },
  { name: "size", kind: "integer", description: "number of test problems", defaultValue: 48 },
  { name: "image-size", kind: "integer", description: "synth: image side in pixels", defaultValue: 32 },
  { name: "k", kind: "integer", description: "samples per problem (accuracy@k)", defaultValue: 8 },
  { name: "temperature", kind: "number", description: "sampling temperature", defaultValue: 1 },
  { name: "max-new-tokens", kind: "integer", description: "longest response", defaultValue: 48 },
  { name: "batch-size", kind: "integer", description: "problems per generation call", defaultValue: 8 },
  { name: "seed", kind: "integer", description: "seed of the data and the sampling", defaultValue: 0 },
  { name: "out", kind: "string", description: "write the result as JSON here" },
  backendFlag,
];

const SFT_FLAGS: FlagSpec[] = [
  {
    name: "out",
    kind: "string",
    description: "folder to save the TinyVLM to",
    defaultValue: "<the bundled warm-start>",
  },
  {
    name: "preset",
    kind: "string",
    description: "TinyVLM size: nano, small, base or large",
    defaultValue: "small",
  },
  { name: "steps", kind: "integer", description: "optimisation steps", defaultValue: 2000 },
  { name: "batch-size", kind: "integer", description: "examples per step", defaultValue: 32 },
  { name: "lr", kind: "number", description: "Adam learning rate", defaultValue: 2e-3 },
  { name: "train-size", kind: "integer", description: "synthetic training problems", defaultValue: 100000 },
  { name: "image-size", kind: "integer", description: "image side in pixels", defaultValue: 32 },
  { name: "seed", kind: "integer", description: "seed of the model and the data", defaultValue: 0 },
  backendFlag,
];

const COMPARE_FLAGS: FlagSpec[] = [
  { name: "out", kind: "string", description: "folder of the comparison", defaultValue: "runs/compare" },
  {
    name: "arms",
    kind: "string",
    description: `comma-separated arms (${ARMS.map((a) => a.name).join(", ")})`,
    defaultValue: ARMS.map((a) => a.name).join(","),
  },
  { name: "seeds", kind: "string", description: "comma-separated seeds", defaultValue: "0,1,2" },
  { name: "workers", kind: "integer", description: "runs trained at once", defaultValue: 2 },
  {
    name: "report-only",
    kind: "boolean",
    description: "only summarise the finished runs and write the report",
  },
  { name: "config", kind: "string", description: "JSON or YAML settings shared by every run" },
  backendFlag,
];

/** What every run of `cppo compare` shares unless the flags say otherwise. */
export const COMPARISON_DEFAULTS = { steps: 100, eval: { every: 25 }, log: { plots: false } };

const COMMANDS = {
  train: {
    summary:
      "Train a policy with GRPO, PAPO or CPPO on data-synth (default), ViRL39K or Geometry3K, evaluating accuracy@k before and after.",
    flags: TRAIN_FLAGS,
    config: true,
  },
  eval: {
    summary: "Evaluate a policy: accuracy@k, pass@k, std over the k runs, format rate.",
    flags: EVAL_FLAGS,
    config: false,
  },
  compare: {
    summary:
      "Train several arms (GRPO, PAPO, CPPO, the CPL ablations) with several seeds from the same warm start and write tables and plots of accuracy@k, step time and the detector.",
    flags: COMPARE_FLAGS,
    config: true,
  },
  sft: {
    summary: "Warm start: supervised fine-tuning of a TinyVLM on data-synth's reference responses.",
    flags: SFT_FLAGS,
    config: false,
  },
} as const;

const MAIN_HELP = `Usage: cppo <command> [flags]

GRPO, PAPO and CPPO (Contrastive Perception Policy Optimization) for vision-language models in TensorFlow.js.

Commands:
  train    ${COMMANDS.train.summary}
  eval     ${COMMANDS.eval.summary}
  compare  ${COMMANDS.compare.summary}
  sft      ${COMMANDS.sft.summary}

Run "cppo <command> --help" for its flags.
`;

/**
 * The `cppo` command. Returns the exit code (0 ok, 1 error, 2 bad usage, 130 interrupted).
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout.write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  const spec = COMMANDS[command as keyof typeof COMMANDS];
  if (!spec) {
    io.stderr.write(`cppo: unknown command "${command}"\n\n${MAIN_HELP}`);
    return 2;
  }
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(rest, spec.flags, spec.config);
  } catch (error) {
    io.stderr.write(`cppo ${command}: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(helpText(command, spec.summary, spec.flags, spec.config));
    return 0;
  }
  try {
    if (command === "train") return await trainCommand(args, io);
    if (command === "compare") return await compareCommand(args, io);
    const backend = await selectBackend(args.flags.backend as string | undefined);
    reportBackend(backend, io);
    if (command === "eval") return await evalCommand(args.flags, io);
    return await sftCommand(args.flags, io);
  } catch (error) {
    io.stderr.write(`cppo ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}

async function trainCommand(args: ReturnType<typeof parseArgs>, io: CliIo): Promise<number> {
  const resume = args.flags.resume as string | undefined;
  let base: Record<string, unknown> = {};
  if (resume) {
    const saved = join(resume, "config.json");
    if (!(await stat(saved).catch(() => null))) throw new Error(`cannot resume: ${saved} does not exist`);
    base = await readConfigFile(saved);
  }
  if (args.flags.config) base = mergeConfig(base, await readConfigFile(args.flags.config as string));
  const config = resolveConfig(
    mergeConfig(base, args.overrides),
    args.flags.config ? `config (${args.flags.config} and flags)` : "config",
  );
  const backend = await selectBackend(args.flags.backend as string | undefined);
  reportBackend(backend, io);
  const result = await train(config, { resume, signal: io.signal, stream: io.stderr });
  if (result.status === "stopped") return 130;
  return 0;
}

async function compareCommand(args: ReturnType<typeof parseArgs>, io: CliIo): Promise<number> {
  const { flags } = args;
  const out = (flags.out as string | undefined) ?? "runs/compare";
  const arms = armsNamed(listFlag(flags.arms, ARMS.map((a) => a.name).join(","), "arms"));
  const seeds = listFlag(flags.seeds, "0,1,2", "seeds").map((text) => {
    const seed = Number(text);
    if (!Number.isInteger(seed) || seed < 0)
      throw new Error(`--seeds: "${text}" is not a non-negative integer`);
    return seed;
  });
  let shared: Record<string, unknown> = COMPARISON_DEFAULTS;
  if (flags.config) shared = mergeConfig(shared, await readConfigFile(flags.config as string));
  shared = mergeConfig(shared, args.overrides);
  if (!flags["report-only"]) {
    const started = performance.now();
    await runComparison({
      out,
      arms,
      seeds,
      shared,
      workers: (flags.workers as number | undefined) ?? 2,
      backend: flags.backend as string | undefined,
      stream: io.stderr,
      signal: io.signal,
    });
    io.stderr.write(`trained in ${((performance.now() - started) / 60000).toFixed(1)} min\n`);
    if (io.signal?.aborted) return 130;
  }
  const summary = await summarizeComparison(out, arms, seeds);
  io.stdout.write(await writeComparisonReport(out, summary));
  io.stderr.write(`wrote ${join(out, "results.md")}, results.json and the plots\n`);
  return summary.missing.length > 0 ? 1 : 0;
}

function listFlag(value: unknown, fallback: string, name: string): string[] {
  const items = String(value ?? fallback)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new Error(`--${name} needs at least one value`);
  return items;
}

async function evalCommand(flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const policyDir = (flags.policy as string | undefined) ?? WARM_START_DIR;
  const runPolicy = join(policyDir, "policy");
  const dir = (await stat(join(runPolicy, "config.json")).catch(() => null)) ? runPolicy : policyDir;
  const policy = await loadTinyVLM(dir);
  try {
    const seed = (flags.seed as number | undefined) ?? 0;
    const config = resolveConfig({
      seed,
      data: {
        source: (flags.data as string | undefined) ?? "synth",
        root: flags["data-root"],
        testSize: (flags.size as number | undefined) ?? 48,
        imageSize: (flags["image-size"] as number | undefined) ?? 32,
        trainSize: 1,
      },
    });
    const { test } = await openDatasets(config);
    const k = (flags.k as number | undefined) ?? 8;
    io.stderr.write(`evaluating ${dir} on ${test.length} ${config.data.source} test problems, k = ${k}\n`);
    const result = await evaluate({
      policy,
      dataset: test,
      k,
      temperature: (flags.temperature as number | undefined) ?? 1,
      maxNewTokens: (flags["max-new-tokens"] as number | undefined) ?? 48,
      batchSize: (flags["batch-size"] as number | undefined) ?? 8,
      seed,
    });
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    io.stdout.write(
      formatTable([
        {
          problems: result.problems,
          [`accuracy@${k}`]: pct(result.accuracyAtK),
          std: pct(result.std),
          [`pass@${k}`]: pct(result.passAtK),
          format: pct(result.formatRate),
        },
      ]),
    );
    if (flags.out) {
      await writeFileAtomic(flags.out as string, `${JSON.stringify(result, null, 2)}\n`);
      io.stderr.write(`wrote ${flags.out}\n`);
    }
    return 0;
  } finally {
    policy.dispose();
  }
}

async function sftCommand(flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const out = (flags.out as string | undefined) ?? WARM_START_DIR;
  const steps = (flags.steps as number | undefined) ?? 2000;
  const started = performance.now();
  const { policy, losses } = await sft({
    out,
    preset: flags.preset as "small" | undefined,
    steps,
    batchSize: flags["batch-size"] as number | undefined,
    learningRate: flags.lr as number | undefined,
    trainSize: flags["train-size"] as number | undefined,
    imageSize: flags["image-size"] as number | undefined,
    seed: flags.seed as number | undefined,
    onStep: ({ step, loss }) => {
      if (step % 50 === 0 || step === steps)
        io.stderr.write(`sft step ${step}/${steps} loss ${loss.toFixed(4)}\n`);
      return io.signal?.aborted ? "stop" : undefined;
    },
  });
  policy.dispose();
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  io.stdout.write(
    `saved the warm start to ${out} (final loss ${losses[losses.length - 1]?.toFixed(4)}, ${seconds} s)\n`,
  );
  return 0;
}

function reportBackend(backend: Awaited<ReturnType<typeof selectBackend>>, io: CliIo): void {
  for (const reason of backend.skipped) io.stderr.write(`backend skipped: ${reason}\n`);
  io.stderr.write(`backend: ${backend.name}\n`);
}
