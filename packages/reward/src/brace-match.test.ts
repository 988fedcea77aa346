import { describe, expect, it } from "vitest";
import { matchBraces } from "./brace-match";

describe("matchBraces", () => {
  it("pairs nested braces", () => {
    expect(Array.from(matchBraces("a{b{c}}"))).toEqual([-1, 6, -1, 5, -1, -1, -1]);
  });

  it("leaves unclosed braces at -1 and ignores stray closers", () => {
    expect(Array.from(matchBraces("{a}}{"))).toEqual([2, -1, -1, -1, -1]);
  });

  it("does not count escaped braces", () => {
    const text = "{\\{1\\}}";
    expect(matchBraces(text)[0]).toBe(text.length - 1);
  });

  it("handles an empty string", () => {
    expect(matchBraces("").length).toBe(0);
  });
});
