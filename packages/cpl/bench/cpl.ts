// Forward time of the CPL (sampled-token and full-distribution forms) on the cpu backend.
// Run: npx tsx bench/cpl.ts. Gradients are left out: tfjs-core's Node build registers no gradient functions.
import "@tensorflow/tfjs-backend-cpu";
import { benchTime } from "@cppo/test-utils/bench";
import * as tf from "@tensorflow/tfjs-core";
import { contrastivePerceptionLoss, contrastivePerceptionLossFromLogits } from "../src/index";

await tf.setBackend("cpu");
const [B, T, V] = [40, 256, 64];
const logProbs = tf.neg(tf.randomUniform([B, T], 0, 3, "float32", 1)) as tf.Tensor2D;
const logProbsPreserved = tf.add(logProbs, tf.randomNormal([B, T], 0, 0.1, "float32", 2)) as tf.Tensor2D;
const logProbsRemoved = tf.add(logProbs, tf.randomNormal([B, T], 0, 0.5, "float32", 3)) as tf.Tensor2D;
const mask = tf.cast(tf.greater(tf.randomUniform([B, T], 0, 1, "float32", 4), 0.7), "float32") as tf.Tensor2D;
benchTime(`contrastivePerceptionLoss [${B}, ${T}]`, 10, () =>
  contrastivePerceptionLoss({ logProbs, logProbsPreserved, logProbsRemoved, mask }),
);
const logits = tf.randomNormal([B, T, V], 0, 2, "float32", 5) as tf.Tensor3D;
const logitsPreserved = tf.add(logits, tf.randomNormal([B, T, V], 0, 0.1, "float32", 6)) as tf.Tensor3D;
const logitsRemoved = tf.randomNormal([B, T, V], 0, 2, "float32", 7) as tf.Tensor3D;
benchTime(`contrastivePerceptionLossFromLogits [${B}, ${T}, ${V}]`, 2, () =>
  contrastivePerceptionLossFromLogits({ logits, logitsPreserved, logitsRemoved, mask }),
);
