// Generation speed with the key/value cache against re-running the whole sequence at every step.
// Run from packages/vlm:  npx tsx bench/generate.ts [--backend cpu|wasm] [--preset small] [--batch 8] [--tokens 48]
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { CharTokenizer, countParameters, TINY_VLM_PRESETS, TinyVLM } from "../src/index";

const { values: args } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    preset: { type: "string", default: "small" },
    batch: { type: "string", default: "8" },
    tokens: { type: "string", default: "48" },
  },
});
await tf.setBackend(args.backend as string);
await tf.ready();

const tokenizer = new CharTokenizer();
const preset = args.preset as keyof typeof TINY_VLM_PRESETS;
const config = TINY_VLM_PRESETS[preset];
const policy = TinyVLM.create(config, tokenizer);
const batch = Number(args.batch);
const maxNewTokens = Number(args.tokens);
const images = tf.randomUniform(
  [batch, config.imageSize, config.imageSize, 3],
  0,
  1,
  "float32",
  1,
) as tf.Tensor4D;
const promptIds = Array.from({ length: batch }, (_, b) => [
  tokenizer.bosId,
  ...tokenizer.encode(`red+blue?${"x".repeat(b % 3)}`),
]);

async function timeIt(
  useCache: boolean,
): Promise<{ tokensPerSecond: number; tokens: number; seconds: number }> {
  await policy.generate({ images, promptIds, maxNewTokens: 4, seed: 0, useCache });
  const started = performance.now();
  const out = await policy.generate({ images, promptIds, maxNewTokens, seed: 0, useCache });
  const seconds = (performance.now() - started) / 1000;
  const tokens = out.lengths.reduce((a, b) => a + b, 0);
  return { tokensPerSecond: tokens / seconds, tokens, seconds };
}

const cached = await timeIt(true);
const rerun = await timeIt(false);
console.log(
  JSON.stringify(
    {
      backend: tf.getBackend(),
      preset,
      parameters: countParameters(config, tokenizer.vocabSize),
      batch,
      maxNewTokens,
      kvCache: cached,
      fullRerun: rerun,
      speedup: cached.tokensPerSecond / rerun.tokensPerSecond,
    },
    null,
    2,
  ),
);
images.dispose();
policy.dispose();
