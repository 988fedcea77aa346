import { describe, expect, it } from "vitest";
import { gradeCases, loadCases } from "../test/math-verify/agreement";

// Math-Verify's own verdicts on its test cases (test/math-verify/NOTICE.md), not ours.
describe("Math-Verify's final-answer cases", () => {
  const cases = loadCases();
  const verdicts = gradeCases(cases);

  it("are the 268 rows of the pinned suite, 214 of them graded here", () => {
    expect(cases).toHaveLength(268);
    expect(verdicts).toHaveLength(214);
  });

  it("have no false accept", () => {
    const falseAccepts = verdicts.filter((v) => v.verdict === 1 && v.expected === 0).map((v) => v.id);
    expect(falseAccepts).toEqual([]);
  });

  it("agree on the separator and percent-word cases", () => {
    const byId = new Map(verdicts.map((v) => [v.id, v]));
    const agreeing = [
      "test_all.py::test_math_extraction_additional_cases[23]", // 32,\! 349 = 32349
      "test_all.py::test_math_extraction_additional_cases[24]", // 32, 349 != 32349
      "test_all.py::test_percent_notation[0]", // 28 percent
      "test_all.py::test_percent_notation[1]", // 28 pct
      "test_all.py::test_percent_notation[8]", // \boxed{28 percentage}
    ];
    for (const id of agreeing) {
      const v = byId.get(id);
      expect(v, id).toBeDefined();
      expect(v?.verdict, id).toBe(v?.expected);
    }
  });
});
