import { describe, expect, it } from "vitest";
import { seriesColour } from "./palette";

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

describe("seriesColour", () => {
  it("starts with the category10 colours", () => {
    expect([0, 1, 2, 9].map(seriesColour)).toEqual(["#1f77b4", "#ff7f0e", "#2ca02c", "#17becf"]);
  });

  it("gives 40 series 40 well-separated #rrggbb colours", () => {
    const colours = Array.from({ length: 40 }, (_, i) => seriesColour(i));
    for (const colour of colours) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
    expect(new Set(colours).size).toBe(40);
    let closest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < colours.length; i++) {
      for (let j = i + 1; j < colours.length; j++) {
        const [a, b] = [rgb(colours[i] ?? ""), rgb(colours[j] ?? "")];
        closest = Math.min(closest, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
      }
    }
    expect(closest).toBeGreaterThan(8);
  });

  it("converts hue to RGB correctly for the first generated colour (hue 0, s 0.65, l 0.42)", () => {
    // C = (1 - |2*0.42 - 1|) * 0.65 = 0.546; r = l + C/2 = 0.693, g = b = l - C/2 = 0.147
    expect(seriesColour(10)).toBe(
      `#${[0.42 + 0.273, 0.42 - 0.273, 0.42 - 0.273]
        .map((v) =>
          Math.round(v * 255)
            .toString(16)
            .padStart(2, "0"),
        )
        .join("")}`,
    );
  });

  it("rejects a bad index", () => {
    expect(() => seriesColour(-1)).toThrow("index must be an integer >= 0, got -1");
  });
});
