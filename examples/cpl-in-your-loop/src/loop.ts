import { contrastivePerceptionLoss } from "@cppo/cpl";
import { gateByAdvantage, selectPerceptionTokens, tokenEntropy } from "@cppo/entropy";
import * as tf from "@tensorflow/tfjs-core";
import { LinearPolicy, sampledLogProbs } from "./policy";
import { makeImages, RESPONSE_LENGTH, reward } from "./task";

export interface LoopOptions {
  iterations: number;
  seed: number;
  /** Weight of the Contrastive Perception Loss; 0 runs the plain loop. */
  cplWeight: number;
  groupSize?: number;
  learningRate?: number;
}

export interface IterationRecord {
  iteration: number;
  meanReward: number;
  /** Share of selected perception tokens at each response position. */
  selectedShare: number[];
}

/** A REINFORCE loop with a group-mean baseline, plus CPL from two @cppo packages (the marked lines). */
export function runLoop(options: LoopOptions): IterationRecord[] {
  const { iterations, seed, cplWeight, groupSize = 8, learningRate = 0.5 } = options;
  const policy = new LinearPolicy(seed);
  const optimizer = tf.train.sgd(learningRate);
  const history: IterationRecord[] = [];
  let rng = seed;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const quadrants = Array.from({ length: 4 * groupSize }, (_, n) => Math.floor(n / groupSize));
    const images = makeImages(quadrants);
    // CPPO: an information-preserving view (slightly dimmed) and an information-removing one (flat grey).
    const preserved = tf.tidy(() => images.mul(0.9).add(0.05));
    const removed = tf.tidy(() => tf.onesLike(images).mul(0.3));

    const tokens = tf.tidy(() => {
      const flat = policy.logits(images).reshape([-1, 5]) as tf.Tensor2D;
      return tf.multinomial(flat, 1, rng++).reshape([quadrants.length, RESPONSE_LENGTH]) as tf.Tensor2D;
    });
    const tokenRows = tokens.arraySync();
    const rewards = tokenRows.map((row, n) => reward(row, quadrants[n] ?? 0));
    const advantages = tf.tidy(() => {
      const grouped = tf.tensor2d(rewards, [4, groupSize]);
      return grouped.sub(grouped.mean(1, true)).reshape([-1]) as tf.Tensor1D;
    });
    const responseMask = tf.onesLike(tokens);

    // CPPO: perception tokens are those whose entropy rises most without the image; keep successful rows.
    const perceptionMask = tf.tidy(() =>
      gateByAdvantage(
        selectPerceptionTokens({
          entropy: tokenEntropy(policy.logits(images)),
          entropyRemoved: tokenEntropy(policy.logits(removed)),
          responseMask,
        }),
        advantages,
      ),
    );
    const selectedShare = tf.tidy(() => perceptionMask.mean(0).arraySync() as number[]);

    optimizer.minimize(() => {
      const logProbs = sampledLogProbs(policy.logits(images), tokens);
      const policyLoss = tf.neg(tf.mean(tf.mul(logProbs, advantages.expandDims(1))));
      if (cplWeight === 0) return policyLoss as tf.Scalar;
      // CPPO: the one extra term.
      const cpl = contrastivePerceptionLoss({
        logProbs,
        logProbsPreserved: sampledLogProbs(policy.logits(preserved), tokens),
        logProbsRemoved: sampledLogProbs(policy.logits(removed), tokens),
        mask: perceptionMask,
      });
      return policyLoss.add(cpl.mul(cplWeight)) as tf.Scalar;
    });

    history.push({
      iteration,
      meanReward: rewards.reduce((sum, r) => sum + r, 0) / rewards.length,
      selectedShare,
    });
    tf.dispose([images, preserved, removed, tokens, advantages, responseMask, perceptionMask]);
  }
  optimizer.dispose();
  policy.dispose();
  return history;
}
