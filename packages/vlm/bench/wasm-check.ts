// Checks TinyVLM on the wasm backend against the cpu backend: same logits, KV cache equals full re-runs,
// gradients flow, and no tensors leak. Run from packages/vlm:  npx tsx bench/wasm-check.ts
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { CharTokenizer, scoreResponses, TINY_VLM_PRESETS, TinyVLM } from "../src/index";

const config = { ...TINY_VLM_PRESETS.nano, seed: 3 };
const tokenizer = new CharTokenizer();
const promptIds = [
  [1, 40, 41, 42],
  [1, 43],
];

async function run(backend: string) {
  await tf.setBackend(backend);
  await tf.ready();
  const policy = TinyVLM.create(config, tokenizer);
  const images = tf.tidy(() => tf.mul(tf.ones([2, 32, 32, 3]), tf.tensor1d([0.2, 0.5, 0.9]))) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const logits = tf.tidy(() =>
    Array.from(
      policy
        .forward({
          images,
          inputIds: tf.tensor2d(
            [
              [1, 40, 41, 42],
              [0, 0, 1, 43],
            ],
            undefined,
            "int32",
          ),
          attentionMask: tf.tensor2d([
            [1, 1, 1, 1],
            [0, 0, 1, 1],
          ]),
        })
        .dataSync(),
    ),
  );
  const cached = await policy.generate({ images, promptIds, maxNewTokens: 12, seed: 4 });
  const full = await policy.generate({ images, promptIds, maxNewTokens: 12, seed: 4, useCache: false });
  assert.deepEqual(cached.tokens, full.tokens, `${backend}: KV-cache tokens differ from full re-runs`);
  const gradNorm = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const s = scoreResponses(policy, { images, promptIds, responseIds: cached.tokens });
      return tf.neg(tf.mean(s.logProbs)) as tf.Scalar;
    }, policy.trainableVariables);
    return Math.sqrt(
      Object.values(grads).reduce((sum, g) => sum + (tf.sum(tf.square(g)).dataSync()[0] as number), 0),
    );
  });
  assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
  images.dispose();
  policy.dispose();
  return { logits, tokens: cached.tokens, gradNorm };
}

const cpu = await run("cpu");
const wasm = await run("wasm");
const maxDiff = cpu.logits.reduce((m, v, i) => Math.max(m, Math.abs(v - (wasm.logits[i] as number))), 0);
assert.ok(maxDiff < 1e-3, `wasm logits differ from cpu by ${maxDiff}`);
assert.ok(Math.abs(cpu.gradNorm - wasm.gradNorm) < 1e-3 * Math.max(1, cpu.gradNorm), "gradient norms differ");
console.log(
  `wasm check passed: max |logit diff| ${maxDiff.toExponential(2)}, grad norm cpu ${cpu.gradNorm.toFixed(5)} wasm ${wasm.gradNorm.toFixed(5)}`,
);
