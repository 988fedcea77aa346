import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accuracyReward, formatReward, mathReward, scoreResponse } from "./rewards";

const FORMAT_PATTERN = /^<think>.*<\/think>.*\\boxed\{.*\}$/s;

describe("formatReward", () => {
  it.each<[string, 0 | 1]>([
    ["<think>2+2=4</think> The answer is \\boxed{4}", 1],
    ["<think>\nline one\nline two\n</think>\nSo:\n\\boxed{\n4\n}", 1],
    ["<think></think>\\boxed{}", 1],
    ["<think>a</think>\\boxed{1} then \\boxed{2}", 1],
    ["<think>a</think>\\boxed{1} stray }", 1],
    ["<think>a</think><think>b</think>\\boxed{1}", 1],
    ["<think>a</think>\\boxed{1}.", 0],
    ["<think>a</think>\\boxed{1}\n", 0],
    ["<think>a</think>\\boxed{1} is the answer", 0],
    [" <think>a</think>\\boxed{1}", 0],
    ["<think>a\\boxed{1}", 0],
    ["a</think>\\boxed{1}", 0],
    ["<think>a</think> 1", 0],
    ["<think>\\boxed{1}</think>", 0],
    ["<think>a</think>\\fbox{1}", 0],
    ["</think><think>\\boxed{1}", 0],
    ["<think>a</think>\\boxed 1}", 0],
    ["", 0],
  ])("%j -> %d", (text, expected) => {
    expect(formatReward(text)).toBe(expected);
    expect(FORMAT_PATTERN.test(text) ? 1 : 0).toBe(expected);
  });

  it("agrees with the METHOD regular expression on random texts built from its pieces", () => {
    const piece = fc.constantFrom(
      "<think>",
      "</think>",
      "\\boxed{",
      "\\boxed",
      "{",
      "}",
      "a",
      "\n",
      " ",
      "<",
      "/",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join("");
        expect(formatReward(text)).toBe(FORMAT_PATTERN.test(text) ? 1 : 0);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});

describe("accuracyReward", () => {
  it("grades the last balanced boxed answer", () => {
    expect(accuracyReward("<think>..</think>\\boxed{3} no, \\boxed{0.5}", "\\frac{1}{2}")).toBe(1);
    expect(accuracyReward("<think>..</think>\\boxed{0.5} no, \\boxed{3}", "\\frac{1}{2}")).toBe(0);
    expect(accuracyReward("\\boxed{0.5} and \\boxed{3", "\\frac12")).toBe(1);
  });

  it("gives 0 when nothing is boxed, even if the answer is in the text", () => {
    expect(accuracyReward("<think>..</think> the answer is 4", "4")).toBe(0);
  });

  it("accepts a truth that is itself boxed", () => {
    expect(accuracyReward("\\boxed{7/2}", "\\boxed{\\frac{7}{2}}")).toBe(1);
    expect(accuracyReward("\\boxed{7/2}", "The answer is $\\boxed{3\\frac12}$.")).toBe(1);
    expect(accuracyReward("\\boxed{4}", "\\boxed{5}")).toBe(0);
  });

  it("passes grading options through", () => {
    expect(accuracyReward("\\boxed{1.001}", "1")).toBe(0);
    expect(accuracyReward("\\boxed{1.001}", "1", { relativeTolerance: 1e-2 })).toBe(1);
  });
});

describe("mathReward and scoreResponse", () => {
  const cases: Array<[string, string, 0 | 1, 0 | 1]> = [
    ["<think>2+2</think>\\boxed{4}", "4", 1, 1],
    ["\\boxed{4}", "4", 1, 0],
    ["<think>2+2</think>\\boxed{5}", "4", 0, 1],
    ["<think>2+2</think> it is 4", "4", 0, 0],
  ];

  it.each(cases)("%j against %j: accuracy %d, format %d", (text, truth, accuracy, format) => {
    expect(mathReward(text, truth)).toBeCloseTo(0.9 * accuracy + 0.1 * format, 12);
    expect(mathReward(text, truth, { formatWeight: 0.25 })).toBeCloseTo(0.75 * accuracy + 0.25 * format, 12);
    expect(mathReward(text, truth, { formatWeight: 0 })).toBe(accuracy);
    const score = scoreResponse(text, truth);
    expect(score.accuracy).toBe(accuracy);
    expect(score.format).toBe(format);
    expect(score.reward).toBeCloseTo(0.9 * accuracy + 0.1 * format, 12);
  });

  it("reports the extracted answer", () => {
    expect(scoreResponse("<think>..</think>\\boxed{\\frac72}", "3\\frac{1}{2}")).toEqual({
      reward: 1,
      accuracy: 1,
      format: 1,
      extracted: "\\frac72",
    });
    expect(scoreResponse("no box", "1").extracted).toBeNull();
  });

  it("rejects bad arguments with clear errors", () => {
    expect(() => mathReward("x", "1", { formatWeight: 1.5 })).toThrow(
      /formatWeight must be a number in \[0, 1\], got 1.5/,
    );
    expect(() => mathReward("x", "1", { formatWeight: Number.NaN })).toThrow(/formatWeight/);
    expect(() => mathReward(undefined as unknown as string, "1")).toThrow(
      /text must be a string, got undefined/,
    );
    expect(() => scoreResponse("x", 3 as unknown as string)).toThrow(/truth must be a string, got number/);
    expect(() => formatReward(null as unknown as string)).toThrow(/text must be a string/);
  });
});
