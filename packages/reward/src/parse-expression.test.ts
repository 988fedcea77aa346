import { describe, expect, it } from "vitest";
import { evaluateExpression, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from "./parse-expression";

describe("evaluateExpression", () => {
  it.each<[string, number]>([
    ["42", 42],
    ["-3.25", -3.25],
    [".5", 0.5],
    ["1+2*3", 7],
    ["(1+2)*3", 9],
    ["10-4-3", 3],
    ["12/4/3", 1],
    ["2^10", 1024],
    ["2^{10}", 1024],
    ["2^3^2", 512],
    ["-2^2", -4],
    ["(-2)^2", 4],
    ["2^-1", 0.5],
    ["\\frac{1}{2}", 0.5],
    ["\\frac12", 0.5],
    ["\\dfrac{3}{4}", 0.75],
    ["\\tfrac{1}{8}", 0.125],
    ["\\frac{1+2}{4-1}", 1],
    ["\\frac{\\frac{1}{2}}{2}", 0.25],
    ["\\sqrt{16}", 4],
    ["\\sqrt4", 2],
    ["\\sqrt[3]{27}", 3],
    ["\\sqrt[3]{-8}", -2],
    ["2\\sqrt{3}", 2 * Math.sqrt(3)],
    ["\\frac{\\sqrt{3}}{2}", Math.sqrt(3) / 2],
    ["\\frac{1}{2}\\sqrt{3}", Math.sqrt(3) / 2],
    ["\\pi", Math.PI],
    ["2\\pi", 2 * Math.PI],
    ["\\frac\\pi2", Math.PI / 2],
    ["\\frac{\\pi}{3}", Math.PI / 3],
    ["3\\cdot 4", 12],
    ["3\\times4", 12],
    ["3 \\div 4", 0.75],
    ["3×4", 12],
    ["6÷4", 1.5],
    ["5−2", 3],
    ["2π", 2 * Math.PI],
    ["√9", 3],
    ["2(3+1)", 8],
    ["(1+1)(2+2)", 8],
    ["3\\frac{1}{2}", 3.5],
    ["-3\\frac12", -3.5],
    ["2\\frac{\\pi}{2}", Math.PI],
    ["4 4/9", 4 + 4 / 9],
    ["-4 4/9", -(4 + 4 / 9)],
    ["1 + 2 1/2", 3.5],
    ["11 6/6", 12],
    ["\\left(1+2\\right)\\cdot2", 6],
    ["{1+2}", 3],
    ["[2]", 2],
  ])("%j = %d", (text, expected) => {
    const value = evaluateExpression(text);
    expect(value).not.toBeNull();
    expect(value as number).toBeCloseTo(expected, 12);
  });

  it.each([
    [""],
    ["x"],
    ["2x"],
    ["1 +"],
    ["(1+2"],
    ["1+2)"],
    ["\\frac{1}"],
    ["\\alpha"],
    ["1/0"],
    ["\\sqrt{-1}"],
    ["9^9^9^9"],
    ["10^400"],
    ["."],
    ["1..2"],
    ["2 3"],
    ["1\\,000"],
    ["2 3/4/5"],
    ["2 3/4.5"],
    ["2.5 1/2"],
    ["4 444/9"],
    ["1 000/9"],
    ["\\infty"],
    ["(1,2)"],
    ["5%"],
  ])("%j is not a finite arithmetic value", (text) => {
    expect(evaluateExpression(text)).toBeNull();
  });

  it("substitutes one-letter variables", () => {
    expect(evaluateExpression("x^2 + 1", { x: 3 })).toBe(10);
    expect(evaluateExpression("2x", { x: 3 })).toBe(6);
    expect(evaluateExpression("x(y+1)", { x: 2, y: 4 })).toBe(10);
    expect(evaluateExpression("x \\cdot y", { x: 2, y: 4 })).toBe(8);
    expect(evaluateExpression("\\frac xy", { x: 1, y: 4 })).toBe(0.25);
    expect(evaluateExpression("\\sqrt{x}", { x: 9 })).toBe(3);
    expect(evaluateExpression("xy", { x: 2, y: 4 })).toBeNull();
    expect(evaluateExpression("x2", { x: 2 })).toBeNull();
    expect(evaluateExpression("x + z", { x: 2 })).toBeNull();
    expect(evaluateExpression("toString", {})).toBeNull();
    expect(evaluateExpression("c", { constructor: 1 } as Record<string, number>)).toBeNull();
    expect(() => evaluateExpression("x", null as unknown as Record<string, number>)).toThrow(
      /variables must be/,
    );
  });

  it("gives up on input longer than MAX_EXPRESSION_LENGTH", () => {
    const longSum = Array.from({ length: MAX_EXPRESSION_LENGTH }, () => "1").join("+");
    expect(evaluateExpression(longSum)).toBeNull();
    expect(evaluateExpression("1+1".padStart(MAX_EXPRESSION_LENGTH, " "))).toBe(2);
  });

  it("gives up on nesting deeper than MAX_EXPRESSION_DEPTH instead of overflowing the stack", () => {
    const levels = MAX_EXPRESSION_DEPTH;
    expect(evaluateExpression(`${"(".repeat(levels)}1${")".repeat(levels)}`)).toBeNull();
    expect(evaluateExpression(`${"-".repeat(levels + 1)}1`)).toBeNull();
    expect(evaluateExpression(`${"(".repeat(20)}1${")".repeat(20)}`)).toBe(1);
  });

  it("rejects a non-string with a clear error", () => {
    expect(() => evaluateExpression(null as unknown as string)).toThrow(/text must be a string, got object/);
  });
});
