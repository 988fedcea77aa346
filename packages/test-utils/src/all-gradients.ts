// tfjs-core's Node bundle ships no gradient functions (the @tensorflow/tfjs union registers them); the
// ESM sources do, and vitest can load them.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
