import { forwardFlops, scoreResponses, type TinyVLM } from "@cppo/vlm";
import * as tf from "@tensorflow/tfjs-core";
import type { RolloutBatch } from "./costs-batch";
import { median, timeRuns } from "./costs-timing";

export interface Throughput {
  flops: number;
  seconds: number[];
  gflopsPerSecond: number;
}

export interface FlopsResult {
  /** Forward + backward of the policy, counted as 3 x `forwardFlops` (backward = 2 x forward). */
  trainingStep: Throughput & { rows: number; sequenceLength: number; forwardFlops: number };
  /** `tf.matMul` of two n x n float32 matrices, 2 n^3 flops. */
  matMul: Record<string, Throughput>;
}

const MATMUL_SIZES = [512, 1024];

/**
 * GFLOP/s of `tf.variableGrads` over `scoreResponses` on the rollout batch (its own sampled responses, the shape
 * of a GRPO micro-batch) next to the active backend's large-matmul GFLOP/s; medians of `runs` after a warm-up.
 */
export async function measureFlops(policy: TinyVLM, batch: RolloutBatch, runs: number): Promise<FlopsResult> {
  const { tokens: responseIds } = await policy.generate({ ...batch, useCache: true });
  const input = { images: batch.images, promptIds: batch.promptIds, responseIds };
  const sequenceLength =
    Math.max(...batch.promptIds.map((p) => p.length)) + Math.max(0, ...responseIds.map((r) => r.length));
  const rows = batch.promptIds.length;
  const forward = forwardFlops(policy.config, {
    batch: rows,
    sequenceLength,
    vocabSize: policy.tokenizer.vocabSize,
  });
  const gradientStep = () => {
    const { value, grads } = tf.variableGrads(
      () => tf.tidy(() => tf.neg(tf.mean(scoreResponses(policy, input).logProbs))) as tf.Scalar,
      policy.trainableVariables,
    );
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  const trainingSeconds = await timeRuns(runs, gradientStep);
  const matMul: Record<string, Throughput> = {};
  for (const n of MATMUL_SIZES) {
    const [a, b] = [1, 2].map((seed) => tf.randomUniform([n, n], -1, 1, "float32", seed));
    const seconds = await timeRuns(runs, () => {
      const product = tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
      product.dataSync();
      product.dispose();
    });
    tf.dispose([a, b]);
    matMul[`${n}x${n}`] = throughput(2 * n ** 3, seconds);
  }
  return {
    trainingStep: {
      ...throughput(3 * forward, trainingSeconds),
      rows,
      sequenceLength,
      forwardFlops: forward,
    },
    matMul,
  };
}

function throughput(flops: number, seconds: number[]): Throughput {
  return { flops, seconds, gflopsPerSecond: flops / median(seconds) / 1e9 };
}
