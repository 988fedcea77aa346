import { describe, expect, it } from "vitest";
import { extractBoxed } from "./extract-boxed";

describe("extractBoxed", () => {
  it.each([
    ["\\boxed{5}", "5"],
    ["The answer is $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{2}"],
    ["\\boxed{\\frac{\\sqrt{3}}{2}}", "\\frac{\\sqrt{3}}{2}"],
    ["first \\boxed{1} then \\boxed{2}", "2"],
    ["\\boxed{1}\n\\boxed{(3, 4)}", "(3, 4)"],
    ["\\boxed{a \\boxed{b}}", "b"],
    ["\\boxed{1} then \\boxed{2", "1"],
    ["\\boxed{1} and \\boxed{{2}", "1"],
    ["\\fbox{7}", "7"],
    ["\\boxed{1} \\fbox{7}", "7"],
    ["\\boxed {5}", "5"],
    ["\\boxed 5$ done", "5"],
    ["\\boxed{\\{1,2\\}}", "\\{1,2\\}"],
    ["\\boxed{}", ""],
    ["\\boxed{ 12 }", " 12 "],
    ["\\boxed{x^{2}}}", "x^{2}"],
  ])("%j -> %j", (text, expected) => {
    expect(extractBoxed(text)).toBe(expected);
  });

  it.each([
    ["no box at all"],
    [""],
    ["\\boxed{unclosed"],
    ["\\boxed{{unclosed}"],
    ["\\boxedfoo{3}"],
    ["\\boxed"],
    ["boxed{3}"],
    ["\\boxed\\{3\\}"],
  ])("%j -> null", (text) => {
    expect(extractBoxed(text)).toBeNull();
  });

  it("rejects a non-string with a clear error", () => {
    expect(() => extractBoxed(42 as unknown as string)).toThrow(/text must be a string, got number/);
  });
});
