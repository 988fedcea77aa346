import { describe, expect, it } from "vitest";
import { formatNumber } from "./format-number";

describe("formatNumber", () => {
  it("prints integers unchanged and zero (also -0) as 0", () => {
    expect(formatNumber(250)).toBe("250");
    expect(formatNumber(-7)).toBe("-7");
    expect(formatNumber(123456789)).toBe("123456789");
    expect(formatNumber(-0)).toBe("0");
  });

  it("rounds other numbers to significant digits and drops trailing zeros", () => {
    expect(formatNumber(0.123456)).toBe("0.1235");
    expect(formatNumber(0.5)).toBe("0.5");
    expect(formatNumber(2.5, 1)).toBe("3");
    expect(formatNumber(-12.3456, 3)).toBe("-12.3");
    expect(formatNumber(0.0012345, 2)).toBe("0.0012");
  });

  it("uses exponent form below 1e-3 and from 1e6 on", () => {
    expect(formatNumber(0.0000123)).toBe("1.23e-5");
    expect(formatNumber(-0.00045678, 2)).toBe("-4.6e-4");
    expect(formatNumber(1234567.5)).toBe("1.235e6");
    expect(formatNumber(1e20 + 0.5)).toBe("1e20");
  });

  it("names non-finite values", () => {
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe("inf");
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe("-inf");
  });

  it("rejects a bad digits argument", () => {
    expect(() => formatNumber(1.5, 0)).toThrow(/digits must be an integer in \[1, 21\], got 0/);
    expect(() => formatNumber(1.5, 2.5)).toThrow(/digits/);
  });
});
