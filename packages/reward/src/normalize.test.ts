import { describe, expect, it } from "vitest";
import { MAX_NORMALIZE_LENGTH, normalizeAnswer } from "./normalize";

describe("normalizeAnswer", () => {
  it.each([
    ["  42  ", "42"],
    ["$42$", "42"],
    ["\\$42", "42"],
    ["\\frac12", "1/2"],
    ["\\frac 1 2", "1/2"],
    ["\\frac{1}2", "1/2"],
    ["\\frac1{2}", "1/2"],
    ["\\dfrac{1}{2}", "1/2"],
    ["\\tfrac{1}{2}", "1/2"],
    ["1/2", "1/2"],
    ["2/4", "2/4"],
    ["-\\frac{1}{2}", "-1/2"],
    ["\\frac{-1}{2}", "-1/2"],
    ["\\frac{-1}{-2}", "1/2"],
    ["3\\frac{1}{2}", "7/2"],
    ["-3\\frac{1}{2}", "-7/2"],
    ["\\frac{1}{0}", "\\frac{1}{0}"],
    ["\\sqrt2", "\\sqrt{2}"],
    ["\\frac{\\sqrt3}{2}", "\\frac{\\sqrt{3}}{2}"],
    ["\\frac\\pi2", "\\frac{\\pi}{2}"],
    ["\\text{Yes}", "yes"],
    ["\\textbf{\\text{No}}", "no"],
    ["\\mathrm{cm}", "cm"],
    ["\\left( 1, 2 \\right)", "(1,2)"],
    ["\\left. x \\right|", "x|"],
    ["x \\rightarrow 2", "x\\rightarrow2"],
    ["2 \\cdot  x", "2\\cdot x"],
    ["\\pi r^2", "\\pi r^2"],
    ["1\\!000", "1000"],
    ["30^\\circ", "30"],
    ["30^{\\circ}", "30"],
    ["30°", "30"],
    ["30 \\text{ degrees}", "30"],
    ["50\\%", "50"],
    ["50%", "50"],
    ["28 percent", "28"],
    ["28 pct", "28"],
    ["28 \\text{ percentage}", "28"],
    ["\\[ 9 \\]", "9"],
    ["\\( 9 \\)", "9"],
    ["\\[ 1 \\] + \\[ 2", "\\[1\\]+\\[2"],
    ["5,", "5"],
    ["5.,", "5"],
    ["1,000", "1000"],
    ["1{,}000", "1000"],
    ["1,234,567.5", "1234567.5"],
    ["(1,000)", "(1,000)"],
    ["1,2", "1,2"],
    ["1,\\!000", "1000"],
    ["32,\\! 349", "32349"],
    ["32, 349", "32, 349"],
    ["32 ,349", "32, 349"],
    ["0,111", "0,111"],
    ["1{,}5", "1,5"],
    ["1 000", "1000"],
    ["1\\,000\\,000", "1000000"],
    ["-12 345.5", "-12345.5"],
    ["(1 000, 2 000)", "(1000,2000)"],
    ["2 3", "2 3"],
    ["2\\,3", "2 3"],
    ["2  .5", "2 .5"],
    ["0 111", "0 111"],
    ["1 0000", "1 0000"],
    ["1 000 0", "1 000 0"],
    ["4 4/9", "40/9"],
    ["-4 4/9", "-40/9"],
    ["4 \\frac{4}{9}", "40/9"],
    ["1 000 4/9", "9004/9"],
    ["4 444/9", "4 444/9"],
    ["1 000/9", "1 000/9"],
    ["x = 5", "5"],
    ["y=2x+1", "2x+1"],
    ["x_1 = 3", "3"],
    ["\\theta = 30^\\circ", "30"],
    ["x=1,y=2", "x=1,y=2"],
    ["x \\in [1, 2)", "[1,2)"],
    ["\\infty", "\\infty"],
    ["5 cm", "5"],
    ["5\\text{ cm}^2", "5"],
    ["12 square units", "12"],
    ["7 inches", "7"],
    ["3 km", "3"],
    ["2\\pi m", "2\\pi"],
    ["m", "m"],
    ["(A)", "a"],
    ["A", "a"],
    ["A.", "a"],
    ["B)", "b"],
    ["\\text{(C)}", "c"],
    ["Hello World.", "helloworld"],
    ["", ""],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeAnswer(input)).toBe(expected);
  });

  it("is idempotent on its own output", () => {
    const inputs = ["\\frac12", "3\\frac{1}{2}", "(1, \\sqrt2)", "x = 5 cm", "\\text{(A)}", "1,000"];
    for (const input of [
      ...inputs,
      "32, 349",
      "0,111",
      "2 3",
      "4 4/9",
      "1 000 4/9",
      "4 444/9",
      "\\[ 9 \\]",
    ]) {
      const once = normalizeAnswer(input);
      expect(normalizeAnswer(once)).toBe(once);
    }
  });

  it("only trims answers longer than MAX_NORMALIZE_LENGTH", () => {
    const long = ` ${"\\text{A}".repeat(MAX_NORMALIZE_LENGTH)} `;
    expect(normalizeAnswer(long)).toBe(long.trim());
  });

  it("rejects a non-string with a clear error", () => {
    expect(() => normalizeAnswer(5 as unknown as string)).toThrow(/answer must be a string, got number/);
  });
});
