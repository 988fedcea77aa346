export type { Arm } from "./arms";
export { ABLATION_LADDER, ARMS, armsNamed, METHOD_ARMS } from "./arms";
export type { ComparisonOptions, ComparisonRunOutcome, PlannedRun } from "./run-comparison";
export { planRuns, runComparison } from "./run-comparison";
export type { MeanStd } from "./statistics";
export { meanStd, median } from "./statistics";
export type { ArmSummary, ComparisonSummary, RunSummary } from "./summarize";
export { summarizeComparison } from "./summarize";
export { writeComparisonReport } from "./write-report";
