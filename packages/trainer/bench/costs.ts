/**
 * What CPPO costs (issue 7), as JSON and a table: step time of CPPO and PAPO over GRPO on the same batch,
 * generation tokens/s with and without the key/value cache, training-step GFLOP/s next to the backend's
 * matmul GFLOP/s, perturbation images/s, and peak memory and live tensors of a default run. Timings are only
 * meaningful on a quiet machine; run once per backend.
 *
 *   node --conditions=@cppo/source --import tsx bench/costs.ts [--backend cpu|wasm] [--out FILE.json]
 *     [--repeats 5] [--steps 20] [--only ratio,generation,flops,perturb,memory]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { loadTinyVLM } from "@cppo/vlm";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../src/backend";
import { resolveConfig } from "../src/config";
import { openDatasets } from "../src/data";
import { formatTable } from "../src/report";
import { WARM_START_DIR } from "../src/train";
import { type RolloutBatch, rolloutBatch } from "./costs-batch";
import { measureFlops } from "./costs-flops";
import { measureGeneration } from "./costs-generation";
import { measureMemory } from "./costs-memory";
import { measurePerturb } from "./costs-perturb";
import { ALGORITHMS, measureStepRatio } from "./costs-ratio";

const SECTIONS = ["ratio", "generation", "flops", "perturb", "memory"] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    out: { type: "string" },
    repeats: { type: "string", default: "5" },
    steps: { type: "string", default: "20" },
    only: { type: "string", default: SECTIONS.join(",") },
  },
});
const repeats = positiveInteger("--repeats", values.repeats);
const steps = positiveInteger("--steps", values.steps);
const only = (values.only as string).split(",").map((s) => s.trim()) as Section[];
for (const name of only) {
  if (!SECTIONS.includes(name)) {
    throw new Error(`--only: unknown section "${name}", expected some of ${SECTIONS.join(",")}`);
  }
}

const started = performance.now();
const machine = {
  date: new Date().toISOString(),
  cpuModel: cpus()[0]?.model ?? "unknown",
  cpuCount: cpus().length,
  node: process.version,
  tfjs: tf.version_core,
  backend: "",
  loadAverageAtStart: loadavg(),
  loadAverageAtEnd: [] as number[],
};
const backend = await selectBackend(values.backend);
machine.backend = backend.backend;
const out = values.out ?? `bench-results/costs-${backend.name}.json`;
console.log(`costs on ${backend.name}: ${only.join(", ")}; ${repeats} repeats, ${steps} steps`);

const policy = await loadTinyVLM(WARM_START_DIR);
const config = resolveConfig({});
const { train: dataset } = await openDatasets(config);
let batch: RolloutBatch | null = null;
const sharedBatch = async () => {
  batch ??= await rolloutBatch(policy, dataset, config);
  return batch;
};

const results: Record<string, unknown> = {};
let failed = false;
const sections: Record<Section, () => Promise<string>> = {
  async ratio() {
    const r = await measureStepRatio(policy, dataset, repeats);
    results.ratio = r;
    return formatTable([
      ...ALGORITHMS.map((algo) => ({
        algorithm: algo,
        "step s": r.medianStepSeconds[algo],
        "over grpo": r.medianStepSeconds[algo] / r.medianStepSeconds.grpo,
        "step - generation s": r.medianUpdateSeconds[algo],
      })),
      { algorithm: "generation alone", "step s": r.medianGenerationSeconds },
    ]);
  },
  async generation() {
    const g = await measureGeneration(policy, await sharedBatch(), repeats);
    results.generation = g;
    return formatTable([
      { "key/value cache": "on", "tokens/s": Math.round(g.cached.tokensPerSecond), tokens: g.tokens },
      { "key/value cache": "off", "tokens/s": Math.round(g.uncached.tokensPerSecond), tokens: g.tokens },
    ]);
  },
  async flops() {
    const f = await measureFlops(policy, await sharedBatch(), Math.max(3, repeats));
    results.flops = { convention: "2 x multiply-adds; backward = 2 x forward", ...f };
    const { trainingStep: t } = f;
    return formatTable([
      {
        what: `forward+backward ${t.rows} x ${t.sequenceLength} tokens`,
        GFLOP: t.flops / 1e9,
        "GFLOP/s": t.gflopsPerSecond,
      },
      ...Object.entries(f.matMul).map(([size, m]) => ({
        what: `matMul ${size}`,
        GFLOP: m.flops / 1e9,
        "GFLOP/s": m.gflopsPerSecond,
      })),
    ]);
  },
  async perturb() {
    const p = await measurePerturb(repeats);
    results.perturb = { unit: "images per second, 512x512 JPEG", rows: p };
    return formatTable(
      p.map((row) => ({
        view: row.view,
        "apply img/s": row.applyImagesPerSecond,
        "applyTensor img/s": row.applyTensorImagesPerSecond,
      })),
      { digits: 3 },
    );
  },
  async memory() {
    const m = await measureMemory(backend.name, steps);
    results.memory = m;
    return formatTable([
      {
        steps: m.steps,
        "tensors first": m.firstTensors,
        "tensors last": m.lastTensors,
        "tensors max": m.maxTensors,
        "peak RSS MiB": m.peakRssMiB,
        "train s": m.trainSeconds,
      },
    ]);
  },
};

for (const name of only) {
  const sectionStart = performance.now();
  try {
    const table = await sections[name]();
    console.log(`\n${name} (${((performance.now() - sectionStart) / 1000).toFixed(0)} s)\n${table}`);
  } catch (error) {
    failed = true;
    results[name] = { error: (error as Error).message };
    console.error(`\n${name} failed: ${(error as Error).stack ?? error}`);
  }
}
(batch as RolloutBatch | null)?.images.dispose();
policy.dispose();

machine.loadAverageAtEnd = loadavg();
const seconds = (performance.now() - started) / 1000;
await mkdir(dirname(out), { recursive: true });
await writeFile(
  out,
  `${JSON.stringify({ machine, settings: { repeats, steps, only }, seconds, ...results }, null, 2)}\n`,
);
console.log(
  `\n${seconds.toFixed(0)} s; load average ${machine.loadAverageAtEnd.map((l) => l.toFixed(1)).join(" ")}; wrote ${out}`,
);
if (failed) process.exitCode = 1;

function positiveInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${flag} must be a positive integer, got ${text}`);
  return value;
}
