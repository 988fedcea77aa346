import type { DetectorQuality } from "./detector-quality";
import type { EvaluationResult } from "./evaluate";
import type { MetricsRecord } from "./report";

/**
 * A line of `evals.jsonl`: accuracy@k and its companions at one step (0 = before training).
 *
 * @example
 * evaluationRecord(25, result); // { step: 25, accuracy_at_k: 0.34, pass_at_k: 0.8, std: 0.02, ... }
 */
export function evaluationRecord(step: number, result: EvaluationResult): MetricsRecord {
  return {
    step,
    accuracy_at_k: result.accuracyAtK,
    pass_at_k: result.passAtK,
    std: result.std,
    format_rate: result.formatRate,
    k: result.k,
    problems: result.problems,
  };
}

/**
 * A line of `detector.jsonl`: the detector's precision and recall per top fraction, next to a random
 * selection of the same size, at one step. Keys are `precision@0.5`, `random_precision@0.5`, and so on.
 *
 * @example
 * detectorRecord(0, quality)["recall@0.2"];
 */
export function detectorRecord(step: number, quality: DetectorQuality): MetricsRecord {
  const record: MetricsRecord = {
    step,
    responses: quality.responses,
    tokens: quality.tokens,
    perception_tokens: quality.perceptionTokens,
    base_rate: quality.baseRate,
  };
  for (const row of quality.byFraction) {
    const at = `@${row.topFraction}`;
    record[`selected${at}`] = row.selected;
    record[`precision${at}`] = row.precision;
    record[`recall${at}`] = row.recall;
    record[`random_precision${at}`] = row.random.precision;
    record[`random_recall${at}`] = row.random.recall;
  }
  return record;
}
