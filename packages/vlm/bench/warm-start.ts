// Supervised warm start of TinyVLM on @cppo/data-synth, stopping once accuracy@8 lands in [30%, 60%].
// Run from packages/vlm:  npx tsx bench/warm-start.ts [--backend wasm] [--out ../trainer/assets/warm-start-synth]
//   [--data-version 1|2] [--eval-split test|validation] [--save-every N] [--families a,b]
// --eval-split validation evaluates (and stops) on fresh draws of train-split problems (data seed + 1000, as
// the trainer's validation set), so no choice is made on the test split. --save-every N also saves the model
// after every N steps to <out>/step-N.
import { parseArgs } from "node:util";
import { makeSynthDataset, type SynthExample, type SynthFamily, type SynthVersion } from "@cppo/data-synth";
import { accuracyReward, formatReward } from "@cppo/reward";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import sharp from "sharp";
import {
  CharTokenizer,
  countParameters,
  type SupervisedExample,
  supervisedFineTune,
  TINY_VLM_PRESETS,
  TinyVLM,
} from "../src/index";

const { values: args } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    preset: { type: "string", default: "small" },
    /** Overrides the preset's patch size (smaller patches: more image tokens, finer detail). */
    "patch-size": { type: "string" },
    steps: { type: "string", default: "4000" },
    "batch-size": { type: "string", default: "32" },
    lr: { type: "string", default: "0.002" },
    seed: { type: "string", default: "0" },
    "train-size": { type: "string", default: "100000" },
    /** Decode this many training examples up front and cycle through them (0 = decode lazily per batch). */
    pool: { type: "string", default: "0" },
    "eval-problems": { type: "string", default: "100" },
    "eval-every": { type: "string", default: "250" },
    "min-acc": { type: "string", default: "0.3" },
    "max-acc": { type: "string", default: "0.6" },
    out: { type: "string", default: "../trainer/assets/warm-start-synth" },
    "data-version": { type: "string", default: "1" },
    "eval-split": { type: "string", default: "test" },
    "save-every": { type: "string", default: "0" },
    /** Train and evaluate on these families only (default: all of the data version's). */
    families: { type: "string" },
  },
});
const num = (key: keyof typeof args) => Number(args[key]);
const SAMPLES = 8;
const MAX_NEW_TOKENS = 48;

await tf.setBackend(args.backend as string);
await tf.ready();

const tokenizer = new CharTokenizer();
const presetName = args.preset as keyof typeof TINY_VLM_PRESETS;
const config = {
  ...TINY_VLM_PRESETS[presetName],
  ...(args["patch-size"] === undefined ? {} : { patchSize: num("patch-size") }),
  seed: num("seed"),
};
const policy = TinyVLM.create(config, tokenizer);
const imageSize = config.imageSize;

async function decodeImage(png: Uint8Array): Promise<Float32Array> {
  const { data, info } = await sharp(png)
    .removeAlpha()
    .resize(imageSize, imageSize, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decodeImage: expected 3 channels, got ${info.channels}`);
  return Float32Array.from(data, (v) => v / 255);
}

/** The image enters through the patches, so the `<image>` placeholder is dropped from the prompt text. */
const promptIdsOf = (example: SynthExample) => [
  tokenizer.bosId,
  ...tokenizer.encode(example.prompt.replace("<image>\n", "").replace("<image>", "")),
];

async function toSupervised(example: SynthExample): Promise<SupervisedExample> {
  return {
    image: await decodeImage(example.images[0] as Uint8Array),
    promptIds: promptIdsOf(example),
    responseIds: [...tokenizer.encode(example.referenceResponse), tokenizer.eosId],
  };
}

const version = Number(args["data-version"]) as SynthVersion;
const validation = args["eval-split"] === "validation";
if (!validation && args["eval-split"] !== "test") {
  throw new Error(`--eval-split must be test or validation, got ${args["eval-split"]}`);
}
const families = args.families?.split(",") as SynthFamily[] | undefined;
const train = makeSynthDataset({
  split: "train",
  size: num("train-size"),
  seed: num("seed"),
  imageSize,
  version,
  families,
});
const test = makeSynthDataset({
  split: validation ? "train" : "test",
  size: num("eval-problems"),
  seed: num("seed") + (validation ? 1000 : 0),
  imageSize,
  version,
  families,
});
const testExamples = await Promise.all(Array.from({ length: test.length }, (_, i) => test.get(i)));
const testImages = await Promise.all(testExamples.map((e) => decodeImage(e.images[0] as Uint8Array)));

/** accuracy@8 and format rate at temperature 1 on the test problems (8 samples each). */
async function evaluate(seed: number): Promise<{
  accuracy: number;
  format: number;
  passAt8: number;
  tokensPerSecond: number;
  byFamily: Record<string, number>;
}> {
  let correct = 0;
  const byFamily: Record<string, number> = {};
  let formatted = 0;
  let passed = 0;
  let tokens = 0;
  const started = performance.now();
  const chunk = 25;
  for (let start = 0; start < testExamples.length; start += chunk) {
    const problems = testExamples.slice(start, start + chunk);
    const rows = problems.flatMap((_, p) => Array.from({ length: SAMPLES }, () => start + p));
    const images = tf.tidy(() =>
      tf.stack(rows.map((i) => tf.tensor3d(testImages[i] as Float32Array, [imageSize, imageSize, 3]))),
    ) as tf.Tensor4D;
    const generation = await policy.generate({
      images,
      promptIds: rows.map((i) => promptIdsOf(testExamples[i] as SynthExample)),
      maxNewTokens: MAX_NEW_TOKENS,
      temperature: 1,
      seed: seed + start,
    });
    images.dispose();
    const hits = new Array<number>(problems.length).fill(0);
    generation.tokens.forEach((ids, r) => {
      tokens += ids.length;
      const text = tokenizer.decode(ids[ids.length - 1] === tokenizer.eosId ? ids.slice(0, -1) : ids);
      const example = testExamples[rows[r] as number] as SynthExample;
      const acc = accuracyReward(text, example.groundTruth);
      correct += acc;
      byFamily[example.family] = (byFamily[example.family] ?? 0) + acc;
      formatted += formatReward(text);
      const problem = Math.floor(r / SAMPLES);
      hits[problem] = (hits[problem] as number) + acc;
    });
    passed += hits.filter((h) => h > 0).length;
  }
  const total = testExamples.length * SAMPLES;
  const seconds = (performance.now() - started) / 1000;
  return {
    accuracy: correct / total,
    format: formatted / total,
    passAt8: passed / testExamples.length,
    tokensPerSecond: tokens / seconds,
    byFamily: Object.fromEntries(
      Object.entries(byFamily).map(([family, hits]) => [
        family,
        hits / (SAMPLES * testExamples.filter((e) => e.family === family).length),
      ]),
    ),
  };
}

const parameters = countParameters(config, tokenizer.vocabSize);
console.log(
  `backend=${tf.getBackend()} preset=${presetName} parameters=${parameters} batch=${num("batch-size")} lr=${num("lr")} data version ${version}, evaluating on ${args["eval-split"]}`,
);
const started = performance.now();
let lastLoss = Number.NaN;
let result: Awaited<ReturnType<typeof evaluate>> | undefined;
let stoppedAt = -1;
const poolSize = Math.min(num("pool"), train.length);
const pool =
  poolSize > 0
    ? await Promise.all(Array.from({ length: poolSize }, async (_, i) => toSupervised(await train.get(i))))
    : [];
if (poolSize > 0)
  console.log(
    `decoded ${poolSize} training examples in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
await supervisedFineTune(policy, {
  examples:
    poolSize > 0 ? pool : { length: train.length, get: async (i) => toSupervised(await train.get(i)) },
  steps: num("steps"),
  batchSize: num("batch-size"),
  learningRate: num("lr"),
  seed: num("seed"),
  onStep: async ({ step, loss }) => {
    lastLoss = loss;
    const done = step + 1;
    if (num("save-every") > 0 && done % num("save-every") === 0)
      await policy.save(`${args.out}/step-${done}`);
    if (done % 50 === 0) {
      const elapsed = (performance.now() - started) / 1000;
      console.log(`step ${done} loss ${loss.toFixed(4)} ${(elapsed / done).toFixed(2)} s/step`);
    }
    if (done % num("eval-every") !== 0) return;
    const evaluation = await evaluate(1000);
    console.log(
      `eval step ${done}: accuracy@8 ${(evaluation.accuracy * 100).toFixed(1)}% format ${(evaluation.format * 100).toFixed(1)}% pass@8 ${(evaluation.passAt8 * 100).toFixed(1)}% (${evaluation.tokensPerSecond.toFixed(0)} tokens/s) by family ${JSON.stringify(evaluation.byFamily)}`,
    );
    if (evaluation.accuracy >= num("min-acc") && evaluation.format > 0.9) {
      result = evaluation;
      stoppedAt = done;
      return "stop";
    }
  },
});
const seconds = (performance.now() - started) / 1000;
result ??= await evaluate(1000);
await policy.save(args.out as string);
const summary = {
  backend: tf.getBackend(),
  preset: presetName,
  parameters,
  steps: stoppedAt > 0 ? stoppedAt : num("steps"),
  batchSize: num("batch-size"),
  learningRate: num("lr"),
  trainSeconds: Math.round(seconds),
  finalLoss: lastLoss,
  accuracyAt8: result.accuracy,
  formatRate: result.format,
  passAt8: result.passAt8,
  inBand: result.accuracy >= num("min-acc") && result.accuracy <= num("max-acc"),
  out: args.out,
  dataVersion: version,
  evalSplit: args["eval-split"],
};
console.log(JSON.stringify(summary, null, 2));
console.log(
  `regenerate with: cd packages/vlm && npx tsx bench/warm-start.ts --backend ${summary.backend} --preset ${presetName} --steps ${summary.steps} --batch-size ${summary.batchSize} --lr ${summary.learningRate} --seed ${num("seed")} --data-version ${version} --eval-split ${args["eval-split"]} --out ${args.out}`,
);
policy.dispose();
