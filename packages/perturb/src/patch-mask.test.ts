import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { rawToImage } from "../test/fixtures";
import type { RawImage } from "./image-io";
import { keepMask, patchMask } from "./patch-mask";

const bright = (w: number, h: number): RawImage => ({
  data: new Uint8Array(w * h * 3).fill(200),
  width: w,
  height: h,
});

describe("patchMask", () => {
  it("blackens exactly round(ratio * pixels) pixels in pixel mode", async () => {
    const view = patchMask({ ratio: [0.3, 0.3] });
    const out = await view.applyRaw(bright(20, 20), view.sample(4));
    let black = 0;
    for (let p = 0; p < 400; p++) {
      const rgb = [out.data[p * 3], out.data[p * 3 + 1], out.data[p * 3 + 2]];
      if (rgb.every((v) => v === 0)) black++;
      else expect(rgb).toEqual([200, 200, 200]);
    }
    expect(black).toBe(120);
  });

  it("masks whole cells, edge cells clipped to the image", () => {
    // 10x10 in 3x3 cells: a 4x4 grid (last row and column 1 pixel wide); half of 16 cells masked.
    const keep = keepMask(10, 10, { ratio: 0.5, patchSize: 3, maskSeed: 8 });
    let maskedCells = 0;
    for (let cy = 0; cy < 4; cy++) {
      for (let cx = 0; cx < 4; cx++) {
        const values = new Set<number>();
        for (let y = cy * 3; y < Math.min(10, cy * 3 + 3); y++) {
          for (let x = cx * 3; x < Math.min(10, cx * 3 + 3); x++) values.add(keep[y * 10 + x] as number);
        }
        expect(values.size).toBe(1);
        if (values.has(0)) maskedCells++;
      }
    }
    expect(maskedCells).toBe(8);
  });

  it("encoded and tensor paths agree exactly; ratio drawn in range", async () => {
    const view = patchMask({ patchSize: 4 });
    const raw = bright(18, 13);
    const image = rawToImage(raw);
    const params = view.sample(2);
    expect(params.ratio).toBeGreaterThanOrEqual(0.3);
    expect(params.ratio).toBeLessThan(0.6);
    const tensorOut = view.applyImage(image, params);
    const t = tensorOut.dataSync();
    const r = await view.applyRaw(raw, params);
    expect(Array.from(t, (v) => Math.round(v * 255))).toEqual(Array.from(r.data));
    tf.dispose([image, tensorOut]);
    expect(() => patchMask({ patchSize: 0 })).toThrow(/patchSize must be a positive integer/);
    expect(() => patchMask({ ratio: [0.5, 1.5] })).toThrow(/patchMask: ratio/);
  });
});
