import * as tf from "@tensorflow/tfjs-core";

/**
 * `log(1 + e^x)` as `relu(x) + log1p(e^-|x|)`, finite for any finite x, with the exact gradient `sigmoid(x)`
 * (the composed form would give 0 at x = 0, where relu and abs have kinks).
 */
export function stableSoftplus<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    return {
      value: tf.add(tf.relu(input), tf.log1p(tf.exp(tf.neg(tf.abs(input))))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sigmoid(saved[0] as tf.Tensor)),
    };
  });
  return op(x) as T;
}
