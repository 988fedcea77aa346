/**
 * Child process of the memory benchmark: a default CPPO run of `--steps` steps in a temporary folder, then one
 * JSON line on stdout with the tensors alive after every step and this process's peak resident memory.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../src/backend";
import { train } from "../src/train";

const { values } = parseArgs({
  options: { backend: { type: "string", default: "wasm" }, steps: { type: "string", default: "20" } },
});
await selectBackend(values.backend);
const runDir = await mkdtemp(join(tmpdir(), "cppo-costs-memory-"));
const tensorsAfterStep: number[] = [];
try {
  const started = performance.now();
  await train(
    { algo: "cppo", steps: Number(values.steps), runDir, eval: { before: false, after: false } },
    {
      stream: null,
      onStep: () => {
        tensorsAfterStep.push(tf.memory().numTensors);
        return undefined;
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  // maxRSS is in kilobytes.
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ tensorsAfterStep, peakRssMiB, seconds })}\n`);
} finally {
  await rm(runDir, { recursive: true, force: true });
}
