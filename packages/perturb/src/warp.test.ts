import { describe, expect, it } from "vitest";
import type { RawImage } from "./image-io";
import { projectiveFromPoints, warpRaw } from "./warp";

const image: RawImage = {
  width: 3,
  height: 2,
  data: Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180]),
};

describe("projectiveFromPoints", () => {
  it("recovers a known projective map from four correspondences", () => {
    const t = [1.1, 0.2, 3, -0.1, 0.9, -2, 0.001, 0.002];
    const apply = ([x, y]: [number, number]): [number, number] => {
      const k = (t[6] as number) * x + (t[7] as number) * y + 1;
      return [
        ((t[0] as number) * x + (t[1] as number) * y + (t[2] as number)) / k,
        ((t[3] as number) * x + (t[4] as number) * y + (t[5] as number)) / k,
      ];
    };
    const from: [number, number][] = [
      [0, 0],
      [40, 5],
      [35, 30],
      [2, 28],
    ];
    const solved = projectiveFromPoints(from, from.map(apply));
    for (let i = 0; i < 8; i++) expect(solved[i]).toBeCloseTo(t[i] as number, 9);
  });

  it("rejects degenerate input", () => {
    const same: [number, number][] = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    expect(() => projectiveFromPoints(same, same)).toThrow(/degenerate/);
    expect(() => projectiveFromPoints([], [])).toThrow(/4 point pairs/);
  });
});

describe("warpRaw", () => {
  it("is the identity for the identity map", () => {
    expect(warpRaw(image, [1, 0, 0, 0, 1, 0, 0, 0]).data).toEqual(image.data);
  });

  it("shifts by one pixel with black fill, and halves at a half-pixel shift", () => {
    // out(x, y) = in(x - 1, y): column 0 reads outside (0), column 1 reads column 0.
    const shifted = warpRaw(image, [1, 0, -1, 0, 1, 0, 0, 0]);
    expect(Array.from(shifted.data)).toEqual([
      0, 0, 0, 10, 20, 30, 40, 50, 60, 0, 0, 0, 100, 110, 120, 130, 140, 150,
    ]);
    const half = warpRaw(image, [1, 0, 0.5, 0, 1, 0, 0, 0]);
    // out(0, 0) = (in(0,0) + in(1,0)) / 2; out(2, 0) = (in(2,0) + 0) / 2.
    expect(Array.from(half.data.slice(0, 9))).toEqual([25, 35, 45, 55, 65, 75, 35, 40, 45]);
  });

  it("reads the fill colour outside the image", () => {
    const shifted = warpRaw(image, [1, 0, -1, 0, 1, 0, 0, 0], [1, 2, 250]);
    expect(Array.from(shifted.data.slice(0, 6))).toEqual([1, 2, 250, 10, 20, 30]);
    const half = warpRaw(image, [1, 0, 0.5, 0, 1, 0, 0, 0], [1, 2, 250]);
    // out(2, 0) = (in(2, 0) + fill) / 2, rounded.
    expect(Array.from(half.data.slice(6, 9))).toEqual([36, 41, 170]);
  });
});
