export type { TinyVLMCheckpointConfig, WeightsManifest } from "./checkpoint";
export { loadTinyVLM, saveTinyVLM } from "./checkpoint";
export type { ForwardShape } from "./flops";
export { forwardFlops } from "./flops";
export { registerTrainingGradients } from "./gradients";
export type { ForwardInput, GenerateInput, Generation, Tokenizer, VisionLanguagePolicy } from "./policy";
export { sampleToken } from "./sample";
export type { ScoredResponses, ScoreInput } from "./score";
export { scoreResponses, tokenLogProbs } from "./score";
export type {
  SupervisedExample,
  SupervisedExamples,
  SupervisedFineTuneOptions,
} from "./supervised-fine-tune";
export { supervisedFineTune } from "./supervised-fine-tune";
export type { TinyGenerateInput, TinyVLMConfig } from "./tiny-vlm";
export { countParameters, TINY_VLM_PRESETS, TinyVLM } from "./tiny-vlm";
export type { CharTokenizerJSON } from "./tokenizer";
export { CharTokenizer } from "./tokenizer";
