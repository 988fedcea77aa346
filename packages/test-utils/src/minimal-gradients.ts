// Registers only the gradients of elementwise arithmetic, reductions, reshapes and `where`: no comparison
// ops. Trainers with a hand-written gradient registry (as in @cppo/vlm) look like this; the losses must
// differentiate under it. Import this INSTEAD of "@cppo/test-utils" (each test file runs in its own process).
import { registerGradient } from "@tensorflow/tfjs-core";
import { absGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Abs_grad";
import { addGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Add_grad";
import { castGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Cast_grad";
import { clipByValueGradConfig } from "@tensorflow/tfjs-core/dist/gradients/ClipByValue_grad";
import { expGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Exp_grad";
import { identityGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Identity_grad";
import { logGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Log_grad";
import { log1pGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Log1p_grad";
import { maximumGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Maximum_grad";
import { meanGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Mean_grad";
import { minimumGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Minimum_grad";
import { multiplyGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Multiply_grad";
import { negGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Neg_grad";
import { divGradConfig } from "@tensorflow/tfjs-core/dist/gradients/RealDiv_grad";
import { reluGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Relu_grad";
import { reshapeGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Reshape_grad";
import { selectGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Select_grad";
import { sigmoidGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Sigmoid_grad";
import { squareGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Square_grad";
import { subGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Sub_grad";
import { sumGradConfig } from "@tensorflow/tfjs-core/dist/gradients/Sum_grad";

for (const config of [
  absGradConfig,
  addGradConfig,
  castGradConfig,
  clipByValueGradConfig,
  expGradConfig,
  identityGradConfig,
  log1pGradConfig,
  logGradConfig,
  maximumGradConfig,
  meanGradConfig,
  minimumGradConfig,
  multiplyGradConfig,
  negGradConfig,
  divGradConfig,
  reluGradConfig,
  reshapeGradConfig,
  selectGradConfig,
  sigmoidGradConfig,
  squareGradConfig,
  subGradConfig,
  sumGradConfig,
]) {
  registerGradient(config);
}
