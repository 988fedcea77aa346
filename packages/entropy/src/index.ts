export { assertRank, assertSameShape } from "./assert-shape";
export { entropyShift, perceptionScores } from "./entropy-shift";
export { gateByAdvantage } from "./gate-by-advantage";
export type { SelectPerceptionTokensArgs } from "./select-perception-tokens";
export { selectPerceptionTokens } from "./select-perception-tokens";
export { tokenEntropy } from "./token-entropy";
