// Time of tokenEntropy and selectPerceptionTokens on trainer-sized inputs (cpu backend).
// Run: npx tsx bench/select-perception-tokens.ts
import "@tensorflow/tfjs-backend-cpu";
import { benchTime } from "@cppo/test-utils/bench";
import * as tf from "@tensorflow/tfjs-core";
import { selectPerceptionTokens, tokenEntropy } from "../src/index";

await tf.setBackend("cpu");
for (const [B, T, V] of [
  [16, 128, 64],
  [40, 256, 128],
] as const) {
  const logits = tf.randomNormal([B, T, V], 0, 3, "float32", 1) as tf.Tensor3D;
  const logitsRemoved = tf.randomNormal([B, T, V], 0, 2, "float32", 2) as tf.Tensor3D;
  const entropy = tokenEntropy(logits);
  const entropyRemoved = tokenEntropy(logitsRemoved);
  const responseMask = tf.ones([B, T]) as tf.Tensor2D;
  benchTime(`tokenEntropy [${B}, ${T}, ${V}]`, 5, () => tokenEntropy(logits));
  benchTime(`selectPerceptionTokens [${B}, ${T}]`, 5, () =>
    selectPerceptionTokens({ entropy, entropyRemoved, responseMask }),
  );
  tf.dispose([logits, logitsRemoved, entropy, entropyRemoved, responseMask]);
}
