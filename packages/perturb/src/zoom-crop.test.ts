import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { rawToImage } from "../test/fixtures";
import type { RawImage } from "./image-io";
import { cropBox, zoomCrop } from "./zoom-crop";

// Red = 4x, green = 4y: bilinear resampling of a linear ramp is exact, so every output pixel has a known value.
const size = 64;
const ramp: RawImage = { data: new Uint8Array(size * size * 3), width: size, height: size };
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    ramp.data[(y * size + x) * 3] = 4 * x;
    ramp.data[(y * size + x) * 3 + 1] = 4 * y;
  }
}

describe("cropBox", () => {
  it("rounds the crop to whole pixels inside the image", () => {
    expect(cropBox(100, 50, { scale: 0.6, x: 0, y: 1 })).toEqual({ top: 20, left: 0, height: 30, width: 60 });
    expect(cropBox(64, 64, { scale: 0.6, x: 0.25, y: 0.75 })).toEqual({
      top: 20,
      left: 7,
      height: 38,
      width: 38,
    });
  });
});

describe("zoomCrop", () => {
  it("lands where the crop box says: first and last pixels on the crop's, linear in between", async () => {
    const view = zoomCrop();
    const params = { scale: 0.6, x: 0.25, y: 0.75 };
    // Box: columns 7..44, rows 20..57; output pixel X reads column 7 + X * 37 / 63.
    const expectedRed = (x: number) => 4 * (7 + (x * 37) / 63);
    const expectedGreen = (y: number) => 4 * (20 + (y * 37) / 63);
    const encoded = await view.applyRaw(ramp, params);
    const image = rawToImage(ramp);
    const tensorOut = view.applyImage(image, params);
    const t = tensorOut.dataSync();
    for (let y = 0; y < size; y += 3) {
      for (let x = 0; x < size; x += 3) {
        const p = (y * size + x) * 3;
        expect(Math.abs((encoded.data[p] as number) - expectedRed(x))).toBeLessThanOrEqual(0.501);
        expect(Math.abs((encoded.data[p + 1] as number) - expectedGreen(y))).toBeLessThanOrEqual(0.501);
        expect(Math.abs((t[p] as number) * 255 - expectedRed(x))).toBeLessThan(1e-3);
        expect(Math.abs((t[p + 1] as number) * 255 - expectedGreen(y))).toBeLessThan(1e-3);
      }
    }
    const last = (size * size - 1) * 3;
    expect([encoded.data[last], encoded.data[last + 1]]).toEqual([4 * 44, 4 * 57]);
    tf.dispose([image, tensorOut]);
  });

  it("draws scale in range and positions in [0, 1)", () => {
    const view = zoomCrop();
    for (let seed = 0; seed < 50; seed++) {
      const p = view.sample(seed);
      expect(p.scale).toBeGreaterThanOrEqual(0.6);
      expect(p.scale).toBeLessThan(0.7);
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThan(1);
    }
    expect(() => zoomCrop({ scale: [0, 0.5] })).toThrow(/scale must be above 0/);
    expect(() => zoomCrop({ scale: [0.5, 1.5] })).toThrow(/zoomCrop: scale/);
  });
});
