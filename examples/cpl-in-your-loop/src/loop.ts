import { contrastivePerceptionLoss } from "@cppo/cpl";
import { gateByAdvantage, selectPerceptionTokens, tokenEntropy } from "@cppo/entropy";
import * as tf from "@tensorflow/tfjs";
import { LinearPolicy, sampledLogProbs } from "./policy";
import { makeImages, reward } from "./task";

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
  const { iterations, seed, cplWeight, groupSize = 8, learningRate = 2 } = options;
  const policy = new LinearPolicy(seed);
  const optimizer = tf.train.sgd(learningRate);
  const history: IterationRecord[] = [];
  let rng = seed;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const quadrants = Array.from({ length: 4 * groupSize }, (_, n) => Math.floor(n / groupSize));
    const images = makeImages(quadrants);
    // CPPO: an information-preserving view (slightly dimmed) and an information-removing one (flat grey).
    const preserved = tf.tidy(() => images.mul(0.9).add(0.05) as tf.Tensor2D);
    const removed = tf.tidy(() => tf.onesLike(images).mul(0.3) as tf.Tensor2D);

    // Gumbel-max sampling: tf.multinomial's seeded draws are correlated across rows on the cpu backend.
    const tokens = tf.tidy(() => {
      const logits = policy.logits(images);
      const uniform = tf.randomUniform(logits.shape, 1e-9, 1, "float32", rng++);
      return logits.sub(uniform.log().neg().log()).argMax(-1).toFloat() as tf.Tensor2D;
    });
    const tokenRows = tokens.arraySync();
    const rewards = tokenRows.map((row, n) => reward(row, quadrants[n] ?? 0));
    const advantages = tf.tidy(() => {
      const grouped = tf.tensor2d(rewards, [4, groupSize]);
      return grouped.sub(grouped.mean(1, true)).reshape([-1]) as tf.Tensor1D;
    });
    const responseMask = tf.onesLike(tokens) as tf.Tensor2D;

    // CPPO: perception tokens are those whose entropy rises most without the image; keep successful rows.
    const perceptionMask = tf.tidy(() =>
      gateByAdvantage(
        selectPerceptionTokens({
          entropy: tokenEntropy(policy.logits(images)) as tf.Tensor2D,
          entropyRemoved: tokenEntropy(policy.logits(removed)) as tf.Tensor2D,
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
