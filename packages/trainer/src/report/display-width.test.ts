import { describe, expect, it } from "vitest";
import { displayWidth } from "./display-width";

describe("displayWidth", () => {
  it("counts one column per ASCII or Latin character", () => {
    expect(displayWidth("")).toBe(0);
    expect(displayWidth("abc 12")).toBe(6);
    expect(displayWidth("é")).toBe(1);
  });

  it("counts two for CJK, Hangul, full-width forms and emoji", () => {
    expect(displayWidth("三角形")).toBe(6);
    expect(displayWidth("한")).toBe(2);
    expect(displayWidth("Ａ")).toBe(2);
    expect(displayWidth("🙂x")).toBe(3);
  });

  it("counts nothing for combining marks, joiners and variation selectors", () => {
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth("\u2764\uFE0F")).toBe(1);
  });
});
