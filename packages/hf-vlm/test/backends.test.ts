import type { Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { fromPretrained } from "../src/from-pretrained";
import { fixtureDir, loadCases, reference } from "./fixtures";

async function run(backend: "cpu" | "wasm") {
  if (backend === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend(backend);
  await tf.ready();
  const cases = await loadCases("tiny-idefics3-untied");
  const policy = await fromPretrained(fixtureDir("tiny-idefics3-untied"));
  const pixels = reference(cases, "images");
  const images = tf.tensor4d(pixels.data, pixels.shape as [number, number, number, number]) as Tensor4D;
  const { input_ids, attention_mask } = cases.cases.mixed;
  const before = tf.memory().numTensors;
  const logits = tf.tidy(() =>
    policy
      .forward({
        images,
        inputIds: tf.tensor2d(input_ids, undefined, "int32"),
        attentionMask: tf.tensor2d(attention_mask),
      })
      .dataSync(),
  );
  const promptIds = [policy.encodePrompt("<image>\nis the sky blue?"), policy.encodePrompt("2+2?")];
  const generation = await policy.generate({ images, promptIds, maxNewTokens: 6, seed: 11 });
  const { value, grads } = tf.variableGrads(
    () =>
      tf.mean(
        policy.forward({
          images,
          inputIds: tf.tensor2d(promptIds.slice(0, 1).concat([promptIds[0] as number[]]), undefined, "int32"),
        }),
      ) as tf.Scalar,
    policy.trainableVariables,
  );
  const gradNorm = tf.tidy(() =>
    Math.sqrt(Object.values(grads).reduce((s, g) => s + (tf.sum(tf.square(g)).dataSync()[0] as number), 0)),
  );
  tf.dispose([value, ...Object.values(grads)]);
  const leaked = tf.memory().numTensors - before;
  images.dispose();
  policy.dispose();
  return { logits: Float32Array.from(logits), generation, gradNorm, leaked };
}

afterAll(async () => {
  await tf.setBackend("cpu");
});

describe("cpu and wasm backends", () => {
  it("give the same logits, samples and gradients, and leak nothing", async () => {
    const cpu = await run("cpu");
    const wasm = await run("wasm");
    let worst = 0;
    for (let i = 0; i < cpu.logits.length; i++)
      worst = Math.max(worst, Math.abs((cpu.logits[i] as number) - (wasm.logits[i] as number)));
    console.log(
      `max |cpu - wasm| logits: ${worst.toExponential(2)}; gradient norms ${cpu.gradNorm} / ${wasm.gradNorm}`,
    );
    expect(worst).toBeLessThan(1e-4);
    expect(wasm.generation.tokens).toEqual(cpu.generation.tokens);
    expect(wasm.gradNorm).toBeCloseTo(cpu.gradNorm, 3);
    expect(cpu.gradNorm).toBeGreaterThan(0);
    expect([cpu.leaked, wasm.leaked]).toEqual([0, 0]);
  });
});
