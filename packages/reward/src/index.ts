export { matchBraces } from "./brace-match";
export { extractBoxed } from "./extract-boxed";
export type { GradeOptions } from "./grade-answer";
export { gradeAnswer } from "./grade-answer";
export { MAX_NORMALIZE_LENGTH, normalizeAnswer } from "./normalize";
export { evaluateExpression, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from "./parse-expression";
export type { ResponseScore, RewardOptions } from "./rewards";
export { accuracyReward, formatReward, mathReward, scoreResponse } from "./rewards";
