export type { AdamOptions, NamedTensor } from "./adam";
export { Adam } from "./adam";
export type { BackendName, SelectedBackend } from "./backend";
export { BACKENDS, selectBackend } from "./backend";
export type { CheckpointContents, CheckpointState, LoadedCheckpoint, SavedTensor } from "./checkpoint";
export {
  checkpointsDir,
  loadCheckpoint,
  restoreVariables,
  saveCheckpoint,
  toNamedTensors,
} from "./checkpoint";
export * from "./compare";
export type { TrainConfig, TrainConfigInput } from "./config";
export { defaultConfig, mergeConfig, readConfigFile, resolveConfig, trainConfigSchema } from "./config";
export type { ConfigKey } from "./config-keys";
export { configKeys } from "./config-keys";
export type { Dataset, TrainExample } from "./data";
export { decodeImages, encodePrompt, openDatasets, stripImageMarker, trainingOrder } from "./data";
export type { DetectorQuality, MeasureDetectorOptions } from "./detector-quality";
export { measureDetector } from "./detector-quality";
export type { EvaluateOptions, EvaluationResult } from "./evaluate";
export { evaluate } from "./evaluate";
export { clipByGlobalNorm } from "./grad-clip";
export type { PerceptionExample } from "./perception-example";
export { detectPerceptionTokens, writePerceptionExample } from "./perception-example";
export type { RewardFunction, RewardResult } from "./reward-function";
export { mathRewardFunction } from "./reward-function";
export type { CliIo } from "./run-cli";
export { runCli } from "./run-cli";
export type { SftOptions, TinyVLMPreset } from "./sft";
export { sft } from "./sft";
export type { TrainOptions, TrainResult } from "./train";
export { defaultRunDir, train, WARM_START_DIR } from "./train";
export type { StepMetrics, StepResult, StepSample, TrainerParts, Views } from "./train-step";
export { NonFiniteLossError, trainStep, viewsFromConfig } from "./train-step";
