import type { Tensor } from "@tensorflow/tfjs-core";

/** Parameters by Hugging Face name (held in the layouts of `parameters.ts`). */
export interface Weights {
  get(name: string): Tensor;
}
