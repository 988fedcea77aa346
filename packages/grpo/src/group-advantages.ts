import * as tf from "@tensorflow/tfjs-core";

/** Options of {@link groupAdvantages}. */
export interface GroupAdvantageOptions {
  /** Divide by the group's std (GRPO). `false` gives Dr. GRPO's `r - mean`. Default true. */
  scaleByStd?: boolean;
  /** Added to the std before dividing. Default 1e-6. */
  eps?: number;
}

/**
 * GRPO group advantages (METHOD section 2): `A_i = (r_i - mean_g) / (std_g + eps)` with the unbiased
 * (n - 1) std of each group. Groups are contiguous: rewards `[g0 r0..r(G-1), g1 r0.., ...]`.
 * A group of size 1 uses mean 0 and std 1, so its advantage is `r / (1 + eps)` (just `r` without std
 * scaling). Equal rewards give 0. A NaN reward makes its whole group NaN and leaves the other groups alone.
 *
 * @param rewards `[N]`, N a multiple of `groupSize`
 * @returns advantages `[N]` float32
 * @example
 * groupAdvantages([1, 0, 0, 1, 1, 1], 3).print(); // [1.1547, -0.5774, -0.5774, 0, 0, 0]
 */
export function groupAdvantages(
  rewards: number[] | tf.Tensor1D,
  groupSize: number,
  { scaleByStd = true, eps = 1e-6 }: GroupAdvantageOptions = {},
): tf.Tensor1D {
  const length = Array.isArray(rewards) ? rewards.length : rewards.size;
  if (!Array.isArray(rewards) && rewards.rank !== 1) {
    throw new Error(`groupAdvantages: rewards must be 1-D [N], got shape [${rewards.shape.join(", ")}]`);
  }
  if (!Number.isInteger(groupSize) || groupSize < 1) {
    throw new Error(`groupAdvantages: groupSize must be an integer >= 1, got ${groupSize}`);
  }
  if (length % groupSize !== 0) {
    throw new Error(
      `groupAdvantages: rewards length ${length} is not a multiple of groupSize ${groupSize} (expected groups of G consecutive responses)`,
    );
  }
  if (!(eps >= 0)) throw new Error(`groupAdvantages: eps must be >= 0, got ${eps}`);

  return tf.tidy(() => {
    const flat = Array.isArray(rewards) ? tf.tensor1d(rewards, "float32") : tf.cast(rewards, "float32");
    if (length === 0) return flat;
    const groups = tf.reshape(flat, [length / groupSize, groupSize]);
    if (groupSize === 1) {
      return (scaleByStd ? tf.div(flat, 1 + eps) : flat) as tf.Tensor1D;
    }
    const mean = tf.mean(groups, 1, true);
    const centred = tf.sub(groups, mean);
    if (!scaleByStd) return tf.reshape(centred, [length]) as tf.Tensor1D;
    const std = tf.sqrt(tf.div(tf.sum(tf.square(centred), 1, true), groupSize - 1));
    return tf.reshape(tf.div(centred, tf.add(std, eps)), [length]) as tf.Tensor1D;
  });
}
