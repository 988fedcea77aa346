import { describe, expect, it } from "vitest";
import { hashString, mix32 } from "./hash";

// FNV-1a then the murmur3 finaliser, over BigInt so no 32-bit trick is shared with the code under test.
function reference(text: string, seed = 0): number {
  const m = 0xffffffffn;
  let h = (0x811c9dc5n ^ BigInt(seed >>> 0)) & m;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x01000193n) & m;
  h ^= h >> 16n;
  h = (h * 0x85ebca6bn) & m;
  h ^= h >> 13n;
  h = (h * 0xc2b2ae35n) & m;
  h ^= h >> 16n;
  return Number(h);
}

describe("hashString", () => {
  it("matches known values and a BigInt reimplementation", () => {
    expect(hashString("")).toBe(2872998923);
    expect(hashString("abc")).toBe(482950588);
    expect(hashString("abc", 7)).toBe(3531537131);
    for (const text of ["", "a", "bars|red+blue?|red=4,blue=7", "ünïcødé ✓", "x".repeat(300)]) {
      for (const seed of [0, 1, 12345, 2 ** 31]) expect(hashString(text, seed)).toBe(reference(text, seed));
    }
  });

  it("is an unsigned 32-bit hash that spreads nearby keys over buckets", () => {
    expect(hashString("abc")).not.toBe(hashString("abd"));
    expect(hashString("abc", 1)).not.toBe(hashString("abc", 2));
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const h = hashString(`key${i}`);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      buckets[h % 4] = (buckets[h % 4] as number) + 1;
    }
    // expected 1000 each, binomial standard deviation ~27
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(120);
    let below = 0;
    for (let i = 0; i < 10_000; i++) if (hashString(`qid-${i}`, 5) / 2 ** 32 < 0.25) below++;
    expect(Math.abs(below / 10_000 - 0.25)).toBeLessThan(0.02);
  });
});

describe("mix32", () => {
  it("is the murmur3 finaliser, modulo 2^32", () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(1364076727); // from an independent Python reimplementation
    expect(mix32(2 ** 32 + 1)).toBe(mix32(1));
    expect(mix32(-1)).toBe(mix32(0xffffffff));
  });
});
