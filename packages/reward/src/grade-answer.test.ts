import { describe, expect, it } from "vitest";
import { gradeAnswer } from "./grade-answer";

// [given, truth, expected], each written and judged by hand.
const EQUAL: Array<[string, string]> = [
  // METHOD section 1 examples
  ["0.5", "\\frac{1}{2}"],
  ["2\\sqrt{3}", "\\sqrt{12}"],
  ["3\\frac{1}{2}", "\\frac72"],
  // fraction spellings
  ["\\frac12", "\\frac{1}{2}"],
  ["\\dfrac{1}{2}", "\\frac{1}{2}"],
  ["\\tfrac{1}{2}", "\\frac12"],
  ["1/2", "\\frac{1}{2}"],
  ["\\frac{1}{2}", "1/2"],
  ["-\\frac{3}{4}", "\\frac{-3}{4}"],
  ["-3/4", "-\\dfrac34"],
  ["1/2", "0.5"],
  ["\\frac{4}{2}", "2"],
  ["3\\frac{1}{2}", "3.5"],
  ["\\frac{7}{2}", "3\\tfrac12"],
  // decimals and numbers
  ["0.50", "0.5"],
  [".5", "0.5"],
  ["2.0", "2"],
  ["-0", "0"],
  ["0.3333333", "\\frac{1}{3}"],
  ["\\frac{2}{4}", "0.5"],
  // roots and pi
  ["\\sqrt{12}", "2\\sqrt3"],
  ["\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}"],
  ["\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}"],
  ["\\sqrt[3]{8}", "2"],
  ["2\\pi", "\\pi \\cdot 2"],
  ["\\frac{\\pi}{2}", "\\frac\\pi2"],
  ["4\\times 3", "12"],
  // degrees
  ["30^\\circ", "30"],
  ["30^{\\circ}", "30"],
  ["30°", "30^\\circ"],
  ["30 degrees", "30"],
  ["\\angle = 45^\\circ", "45"],
  // text, spacing, delimiters
  ["\\text{Yes}", "yes"],
  ["\\text{No solution}", "no solution"],
  ["NO", "no"],
  ["\\left( 1, 2 \\right)", "(1,2)"],
  ["1\\!000", "1000"],
  ["1\\,000", "1000"],
  ["$5$", "5"],
  ["\\$5.00", "5"],
  ["5.", "5"],
  ["\\displaystyle\\frac{1}{2}", "1/2"],
  ["\\[ 9 \\]", "9"],
  ["\\[\n9\n\\]", "9"],
  ["\\( \\frac12 \\)", "0.5"],
  ["5,", "5"],
  ["(1, 2),", "(1,2)"],
  // thousands separators
  ["1,000", "1000"],
  ["1{,}000", "1000"],
  ["12,345,678", "12345678"],
  ["-1,000", "-1000"],
  ["32,\\! 349", "32349"],
  ["11,\\! 111,\\! 111,\\! 100", "11111111100"],
  // digits joined across spaces only as one whole number in groups of three
  ["1 000", "1000"],
  ["1~000", "1000"],
  ["1.000", "1"],
  ["007", "7"],
  ["12 345 678", "12,345,678"],
  ["1\\,000\\,000", "1000000"],
  ["1 000.5", "1000.5"],
  ["(1 000, 2 000)", "(1000, 2000)"],
  ["(1{,}000, 2,\\!000)", "(1000, 2000)"],
  // mixed numbers a b/c and a\frac{b}{c} are a + b/c, negative ones -(a + b/c)
  ["4 4/9", "40/9"],
  ["4 4/9", "\\frac{40}{9}"],
  ["4 \\frac49", "4 4/9"],
  ["11 5/6", "\\frac{71}{6}"],
  ["11 6/6", "12"],
  ["1 000 4/9", "\\frac{9004}{9}"],
  ["-4 4/9", "-\\frac{40}{9}"],
  ["-4\\frac{4}{9}", "-40/9"],
  ["2 1/2", "2.5"],
  // x = 5, units
  ["x = 5", "5"],
  ["x=\\frac12", "0.5"],
  ["y = 2x + 1", "2x+1"],
  ["5 \\text{ cm}", "5"],
  ["5 cm", "5 \\text{cm}"],
  ["5\\text{ cm}^2", "5"],
  ["24 square units", "24"],
  ["3 km", "3"],
  ["10 inches", "10"],
  ["6 m", "6"],
  ["\\frac{1}{2} \\text{ units}", "0.5"],
  // percent: the sign is dropped, the number is not rescaled
  ["50\\%", "50"],
  ["50%", "50\\%"],
  ["28 percent", "28\\%"],
  ["28 pct", "28"],
  ["28 percentage", "28%"],
  ["28 \\text{ percent}", "28"],
  // choice letters
  ["(A)", "A"],
  ["A", "A"],
  ["A.", "A"],
  ["\\text{(A)}", "A"],
  ["b", "B"],
  // expressions in one-letter variables, compared at fixed points
  ["x+1", "1+x"],
  ["2x + 1", "1 + 2x"],
  ["x^2", "x \\cdot x"],
  ["\\frac{x}{2}", "0.5x"],
  ["(x+1)^2", "x^2+2x+1"],
  ["\\sqrt{x}^2", "x"],
  ["(a+b)^2", "a^2 + 2 \\cdot a \\cdot b + b^2"],
  // tuples, intervals, sets
  ["(1, 2)", "(1,2)"],
  ["(\\frac12, 3)", "(0.5, 3)"],
  ["[1, 2)", "[1,2)"],
  ["(-\\infty, 3]", "(-\\infty,3]"],
  ["(1,000, 2)", "(1, 000, 2)"],
  ["1, 2, 3", "1,2,3"],
  ["x=1, y=2", "1, 2"],
  ["\\{1, 2\\}", "\\{2, 1\\}"],
  ["(3 cm, 4 cm)", "(3, 4)"],
];

const NOT_EQUAL: Array<[string, string]> = [
  // METHOD section 1 examples
  ["(1,2)", "(2,1)"],
  ["2/4", "\\frac{1}{2}"],
  ["50%", "0.5"],
  // reduced-form requirement extends to every fraction spelling
  ["\\frac{2}{4}", "\\frac{1}{2}"],
  ["\\frac{2}{4}", "1/2"],
  ["3\\frac12", "\\frac{14}{4}"],
  // wrong values
  ["0.5", "\\frac{1}{3}"],
  ["0.333", "\\frac{1}{3}"],
  ["3.14", "\\pi"],
  ["2\\sqrt{3}", "\\sqrt{13}"],
  ["3\\frac{1}{2}", "1.5"],
  ["1,000", "1"],
  ["50\\%", "0.5"],
  ["5", "-5"],
  ["1000", "10000"],
  ["1000001", "1000000"],
  ["12345678901234567", "12345678901234568"],
  // separators: a comma next to a space is a list; a first group of 0 is never a thousands group
  ["32, 349", "32349"],
  ["32, 349", "32,349"],
  ["12, 345", "12345"],
  ["1 ,000", "1000"],
  ["0,111", "111"],
  ["0{,}111", "111"],
  ["1{,}5", "15"],
  ["0{,}5", "5"],
  ["0{,}5", "0.5"],
  ["(0{,}5, 1)", "(5, 1)"],
  // a decimal comma is not read: 1,5 is the list (1, 5)
  ["1,5", "1.5"],
  ["0,111", "0.111"],
  ["1000,99", "1000.99"],
  // digits across a space that are not groups of three are refused
  ["2 3", "23"],
  ["2\\,3", "23"],
  ["2~3", "2 3 0"],
  ["12 34", "1234"],
  ["1 0000", "10000"],
  ["0 111", "111"],
  ["1 000 0", "10000"],
  ["2 .5", "2.5"],
  ["1 000/9", "1000/9"],
  ["1 000/9", "1"],
  ["4 444/9", "4444/9"],
  ["4 444/9", "\\frac{480}{9}"],
  ["1 000 444/9", "1000444/9"],
  ["1 000 444/9", "\\frac{9444}{9}"],
  // mixed numbers are not glued together
  ["4 4/9", "44/9"],
  ["11 6/6", "116/6"],
  ["11 5/6", "115/6"],
  ["1 000 4/9", "10004/9"],
  ["-4 4/9", "40/9"],
  ["-4 4/9", "-4+4/9"],
  ["4 2/4", "4\\frac12"],
  ["28 percent", "0.28"],
  ["1.000", "1000"],
  // chains, labels other than one variable, relations, words and unescaped braces (README policy table)
  ["x = 5+5+1 = 11", "11"],
  ["1 = x = 0", "0"],
  ["(p,q)=(3,2)", "(3,2)"],
  ["f(x)=1", "1"],
  ["x \\leq 5", "5 \\geq x"],
  ["6 \\text{ and } 8", "6, 8"],
  ["{1,3}", "(1,3)"],
  ["-2 \\le x \\le 7", "x \\in [-2,7]"],
  ["0<f(x)<1", "(0,1)"],
  ["AB=4,CD=5", "4, 5"],
  ["\\tan^2 y + 1", "\\sec^2 y"],
  // structure
  ["[1,2]", "[1,2)"],
  ["(1,2)", "(1,2,3)"],
  ["(1,2)", "1,2"],
  ["(1, 2)", "\\{1, 2\\}"],
  ["\\{1, 2\\}", "\\{1, 3\\}"],
  ["1,2", "2,1"],
  // choices and text
  ["(A)", "B"],
  ["(B) 12", "C"],
  ["\\text{yes}", "no"],
  ["x", "y"],
  // expressions in variables
  ["\\sqrt{x^2}", "x"],
  ["x+1", "y+1"],
  ["x^2", "2x"],
  ["x+1", "x+1.001"],
  ["no", "on"],
  ["ab", "ba"],
  // empties and unparseable
  ["", "5"],
  ["5", ""],
  ["", ""],
  ["\\frac{1}{0}", "\\frac{2}{0}"],
];

describe("gradeAnswer", () => {
  it("has a table of at least 60 hand-graded pairs", () => {
    expect(EQUAL.length + NOT_EQUAL.length).toBeGreaterThanOrEqual(60);
  });

  it.each(EQUAL)("%j = %j", (given, truth) => {
    expect(gradeAnswer(given, truth)).toBe(true);
    expect(gradeAnswer(truth, given)).toBe(true);
  });

  it.each(NOT_EQUAL)("%j != %j", (given, truth) => {
    expect(gradeAnswer(given, truth)).toBe(false);
  });

  it("is symmetric on the non-equal pairs except for a choice with its text", () => {
    for (const [given, truth] of NOT_EQUAL) expect(gradeAnswer(truth, given)).toBe(false);
  });

  it("reads a response that states the choice with its text against a letter truth, one way only", () => {
    expect(gradeAnswer("(C) 12", "C")).toBe(true);
    expect(gradeAnswer("\\text{(C) } 12", "c")).toBe(true);
    expect(gradeAnswer("C", "(C) 12")).toBe(false);
  });

  it("compares numbers with the given relative tolerance", () => {
    expect(gradeAnswer("1.0000001", "1")).toBe(true);
    expect(gradeAnswer("1.00001", "1")).toBe(false);
    expect(gradeAnswer("1.00001", "1", { relativeTolerance: 1e-4 })).toBe(true);
    expect(gradeAnswer("1000001", "1000000", { relativeTolerance: 0 })).toBe(false);
    expect(gradeAnswer("\\sqrt{2}^2", "2", { relativeTolerance: 0 })).toBe(true);
  });

  it("rejects bad arguments with clear errors", () => {
    expect(() => gradeAnswer(1 as unknown as string, "1")).toThrow(/given must be a string, got number/);
    expect(() => gradeAnswer("1", undefined as unknown as string)).toThrow(/truth must be a string/);
    expect(() => gradeAnswer("1", "1", { relativeTolerance: -1 })).toThrow(/relativeTolerance must be in/);
    expect(() => gradeAnswer("1", "1", { relativeTolerance: Number.NaN })).toThrow(/relativeTolerance/);
  });
});
