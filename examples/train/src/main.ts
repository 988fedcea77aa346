/**
 * Train a policy with CPPO through the library API, with a reward function of your own.
 *
 *   pnpm start           # the bundled warm-start TinyVLM, 20 steps, accuracy@8 before and after
 *   pnpm test            # --tiny: a fresh two-layer model, 3 steps, no evaluation (seconds; used in CI)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RewardFunction, selectBackend, train, WARM_START_DIR } from "@cppo/trainer";
import { CharTokenizer, loadTinyVLM, TinyVLM } from "@cppo/vlm";

const tiny = process.argv.includes("--tiny");

/**
 * Partial credit: full reward for the exact integer, half for an answer one off, plus 0.1 for the
 * `<think>...</think> ... \boxed{}` format. `accuracy` tells the trainer's metrics and accuracy@k what counts
 * as correct.
 */
const closeEnough: RewardFunction = (response, example) => {
  const boxed = /\\boxed\{([^}]*)\}\s*$/.exec(response)?.[1]?.trim();
  const format = /<think>[\s\S]*<\/think>[\s\S]*\\boxed\{/.test(response) ? 1 : 0;
  const answer = Number(boxed);
  const truth = Number(example.groundTruth);
  const exact = boxed !== undefined && boxed === example.groundTruth.trim();
  const offByOne = boxed !== undefined && Number.isFinite(answer) && Math.abs(answer - truth) === 1;
  const accuracy = exact ? 1 : 0;
  return { reward: 0.9 * (exact ? 1 : offByOne ? 0.5 : 0) + 0.1 * format, accuracy, format };
};

const backend = await selectBackend(tiny ? "cpu" : undefined);
console.log(`backend: ${backend.name}`);

const policy = tiny
  ? TinyVLM.create(
      { imageSize: 16, patchSize: 8, dModel: 16, nLayers: 1, nHeads: 2, dFF: 32, maxTokens: 96, seed: 0 },
      new CharTokenizer(),
    )
  : await loadTinyVLM(WARM_START_DIR);

const runDir = tiny ? await mkdtemp(join(tmpdir(), "cppo-example-")) : undefined;
const result = await train(
  {
    algo: "cppo",
    steps: tiny ? 3 : 20,
    runDir,
    data: tiny ? { trainSize: 16, testSize: 4, imageSize: 16 } : {},
    rollout: tiny ? { promptsPerStep: 2, groupSize: 2, maxNewTokens: 8 } : {},
    cpl: { coef: 0.02, topFraction: 0.5 },
    eval: tiny ? { before: false, after: false } : { k: 8 },
    log: { checkpointEvery: tiny ? 1 : 10, plots: !tiny },
  },
  { policy, reward: closeEnough },
);
policy.dispose();

const last = result.metrics[result.metrics.length - 1];
if (result.steps !== (tiny ? 3 : 20) || !last || !Number.isFinite(last.loss)) {
  throw new Error(`the example run did not finish cleanly: ${JSON.stringify({ steps: result.steps, last })}`);
}
console.log(`done: ${result.steps} steps in ${result.seconds.toFixed(1)} s, run directory ${result.runDir}`);
if (tiny && runDir) await rm(runDir, { recursive: true, force: true });
