// Grades the final-answer cases of Math-Verify's test suite (cases.json, see NOTICE.md) with gradeAnswer.
import { readFileSync } from "node:fs";
import { extractBoxed } from "../../src/extract-boxed";
import { gradeAnswer } from "../../src/grade-answer";

export interface MathVerifyCase {
  id: string;
  gold: string;
  pred: string;
  /** Math-Verify's verdict: 1 equal, 0 not equal. */
  expected: 0 | 1;
  /** Why the case is not graded here (free text, a non-default option); absent when graded. */
  skip?: string;
}

export interface Verdict extends MathVerifyCase {
  verdict: 0 | 1;
}

export function loadCases(): MathVerifyCase[] {
  const file = new URL("./cases.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { cases: MathVerifyCase[] }).cases;
}

/** As in `accuracyReward`: a side that contains a balanced box is its last boxed content. */
function answerOf(side: string): string {
  return extractBoxed(side) ?? side;
}

/** Our verdict on every case that is not skipped. */
export function gradeCases(cases: MathVerifyCase[]): Verdict[] {
  return cases
    .filter((c) => c.skip === undefined)
    .map((c) => ({ ...c, verdict: gradeAnswer(answerOf(c.pred), answerOf(c.gold)) ? 1 : 0 }));
}
