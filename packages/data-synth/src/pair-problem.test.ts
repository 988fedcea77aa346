import { describe, expect, it } from "vitest";
import { pairProblem } from "./pair-problem";

describe("pairProblem", () => {
  it("writes the question, response, labels, answer and key of an arithmetic pair", () => {
    const p = pairProblem("grid", 64, "<svg/>", { xrow: 3, ocol: 5, xcol: 1 }, "xrow", "ocol", "*", "v2|");
    expect(p.question).toBe("xrow*ocol?");
    expect(p.referenceResponse).toBe("<think>xrow=3 ocol=5 3*5=15</think>\\boxed{15}");
    expect(p.groundTruth).toBe("15");
    expect(p.key).toBe("v2|grid|xrow*ocol?|xrow=3,ocol=5");
    const labelled = [...p.perceptionLabels].flatMap((l, i) => (l ? [i] : []));
    expect(labelled).toEqual([12, 19]);
    expect(p.svg).toBe("<svg/>");
  });

  it("answers a comparison with the name of the larger value and writes two-digit values whole", () => {
    const p = pairProblem(
      "numbers",
      128,
      "",
      { top: 47, bottom: 85 },
      "top",
      "bottom",
      {
        compare: "larger",
      },
      "v2|",
    );
    expect(p.question).toBe("larger:top,bottom?");
    expect(p.referenceResponse).toBe("<think>top=47 bottom=85 47<85</think>\\boxed{bottom}");
    expect(p.groundTruth).toBe("bottom");
    expect([...p.perceptionLabels].flatMap((l, i) => (l ? [i] : []))).toEqual([11, 12, 21, 22]);
  });

  it("rejects a missing value and a comparison of equal values", () => {
    expect(() => pairProblem("bars", 64, "", { left: 2 }, "left", "mid", "+", "")).toThrow(
      /must hold left and mid/,
    );
    expect(() =>
      pairProblem("bars", 64, "", { left: 2, mid: 2 }, "left", "mid", { compare: "taller" }, ""),
    ).toThrow(/taller needs two different values, got 2/);
  });
});
