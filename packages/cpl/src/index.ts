export type { ContrastivePerceptionLossArgs } from "./contrastive-perception-loss";
export { contrastivePerceptionLoss } from "./contrastive-perception-loss";
export type { CplPerTokenArgs } from "./cpl-per-token";
export { cplPerToken } from "./cpl-per-token";
export type { ContrastivePerceptionLossFromLogitsArgs, CplFromLogitsArgs } from "./from-logits";
export { contrastivePerceptionLossFromLogits, cplPerTokenFromLogits } from "./from-logits";
