/**
 * Seconds per training step of a fresh TinyVLM at the default (CPU demo) rollout sizes, per algorithm.
 * Run: node --conditions=@cppo/source --import tsx bench/step-time.ts [backend] [preset]
 */

import { CharTokenizer, TINY_VLM_PRESETS, TinyVLM } from "@cppo/vlm";
import * as tf from "@tensorflow/tfjs-core";
import { Adam } from "../src/adam";
import { selectBackend } from "../src/backend";
import { resolveConfig } from "../src/config";
import { openDatasets } from "../src/data";
import { evaluate } from "../src/evaluate";
import { mathRewardFunction } from "../src/reward-function";
import { trainStep } from "../src/train-step";

const [backendName, preset = "small"] = process.argv.slice(2);
const backend = await selectBackend(backendName);
console.log(`backend ${backend.name}, preset ${preset}`);
const policy = TinyVLM.create(TINY_VLM_PRESETS[preset as keyof typeof TINY_VLM_PRESETS], new CharTokenizer());
const algos = (process.env.ALGOS ?? "grpo,papo,cppo").split(",") as Array<"grpo" | "papo" | "cppo">;
for (const algo of algos) {
  const config = resolveConfig({ algo, data: { trainSize: 200, testSize: 16 } });
  const { train, test } = await openDatasets(config);
  const reference = policy.clone();
  const optimizer = new Adam({ learningRate: config.optim.learningRate });
  const parts = { config, policy, reference, optimizer, dataset: train, reward: mathRewardFunction };
  let position = 0;
  const times: number[] = [];
  for (let step = 0; step < 3; step++) {
    const result = await trainStep(parts, { step, dataPosition: position });
    position = result.dataPosition;
    times.push(result.metrics.stepTime);
  }
  console.log(
    `${algo}: step seconds ${times.map((t) => t.toFixed(2)).join(" ")} tensors ${tf.memory().numTensors}`,
  );
  optimizer.dispose();
  reference.dispose();
  if (algo === "cppo") {
    const started = performance.now();
    await evaluate({ policy, dataset: test, k: 8, maxNewTokens: config.rollout.maxNewTokens, seed: 0 });
    console.log(
      `eval of ${test.length} problems x 8: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}
