import { describe, expect, it } from "vitest";
import { escapeXml } from "./escape-xml";

describe("escapeXml", () => {
  it("escapes the five XML special characters", () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;",
    );
  });

  it("keeps tab, newline, CR and non-ASCII text", () => {
    expect(escapeXml("\t\n\r é 三角形 🙂")).toBe("\t\n\r é 三角形 🙂");
  });

  it("replaces characters XML cannot carry, even escaped, with U+FFFD", () => {
    expect(escapeXml("a\u0000b\u001bc\u000bd")).toBe("a\uFFFDb\uFFFDc\uFFFDd");
    expect(escapeXml("x\uD800y")).toBe("x\uFFFDy");
    expect(escapeXml("\uFFFE\uFFFF")).toBe("\uFFFD\uFFFD");
  });

  it("returns an empty string for an empty string", () => {
    expect(escapeXml("")).toBe("");
  });
});
