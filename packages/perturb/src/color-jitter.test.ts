import type { Tensor3D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { decodeToRaw, encodeRaw, meanAbsDiff, patternRaw, rawToBatch, rawToImage } from "../test/fixtures";
import { type ColorJitterParams, colorJitter } from "./color-jitter";

// Plain-number restatement of the torchvision formulas, per step, clamping after each.
function jitterByHand(pixels: Float32Array, params: ColorJitterParams): Float32Array {
  let out = Float32Array.from(pixels);
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const grey = (p: number) =>
    0.299 * (out[p] as number) + 0.587 * (out[p + 1] as number) + 0.114 * (out[p + 2] as number);
  for (const step of params.order) {
    const f = params[step];
    const next = new Float32Array(out.length);
    let mean = 0;
    for (let p = 0; p < out.length; p += 3) mean += grey(p);
    mean /= out.length / 3;
    for (let p = 0; p < out.length; p += 3) {
      const target = step === "brightness" ? 0 : step === "contrast" ? mean : grey(p);
      for (let c = 0; c < 3; c++) next[p + c] = clamp(f * (out[p + c] as number) + (1 - f) * target);
    }
    out = next;
  }
  return out;
}

describe("colorJitter", () => {
  const raw = patternRaw(16, 12);

  it("is the identity at factor 1 on both paths (PNG, exact)", async () => {
    const view = colorJitter({ brightness: [1, 1], contrast: [1, 1], saturation: [1, 1] });
    const out = await decodeToRaw(await view.apply(await encodeRaw(raw), { seed: 3 }));
    expect(out.data).toEqual(raw.data);
    const batch = rawToBatch(raw);
    const jittered = view.applyTensor(batch, { seed: 3 });
    expect(meanAbsDiff(jittered.dataSync(), batch.dataSync())).toBeLessThan(1e-7);
    tf.dispose([batch, jittered]);
  });

  it("matches the formulas written out by hand, and the encoded path matches the tensor path", async () => {
    const view = colorJitter();
    const image = rawToImage(raw);
    const pixels = image.dataSync() as Float32Array;
    for (const seed of [1, 2, 3, 4]) {
      const params = view.sample(seed);
      const tensorOut = view.applyImage(image, params);
      expect(meanAbsDiff(tensorOut.dataSync(), jitterByHand(pixels, params))).toBeLessThan(1e-5);
      const encoded = await view.applyRaw(raw, params);
      expect(meanAbsDiff(encoded.data, tensorOut.dataSync(), 1 / 255)).toBeLessThan(0.01);
      tensorOut.dispose();
    }
    image.dispose();
  });

  it("draws factors inside the ranges and a permutation of the three steps", () => {
    const view = colorJitter({ brightness: [0.5, 0.6] });
    for (let seed = 0; seed < 50; seed++) {
      const p = view.sample(seed);
      expect(p.brightness).toBeGreaterThanOrEqual(0.5);
      expect(p.brightness).toBeLessThan(0.6);
      expect(p.contrast).toBeGreaterThanOrEqual(0.2);
      expect(p.contrast).toBeLessThan(1.8);
      expect(p.saturation).toBeGreaterThanOrEqual(0.2);
      expect([...p.order].sort()).toEqual(["brightness", "contrast", "saturation"]);
    }
  });

  it("zero saturation gives grey pixels", () => {
    const view = colorJitter({ brightness: [1, 1], contrast: [1, 1], saturation: [0, 0] });
    const image: Tensor3D = rawToImage(raw);
    const out = view.applyImage(image, view.sample(0)).dataSync();
    for (let p = 0; p < out.length; p += 3) {
      expect(out[p]).toBeCloseTo(out[p + 1] as number, 5);
      expect(out[p]).toBeCloseTo(out[p + 2] as number, 5);
    }
    image.dispose();
  });

  it("rejects bad ranges by name", () => {
    expect(() => colorJitter({ brightness: [1.3, 0.2] })).toThrow(/colorJitter: brightness must satisfy/);
    expect(() => colorJitter({ contrast: [-1, 1] })).toThrow(/colorJitter: contrast/);
    expect(() => colorJitter({ saturation: [0, Number.NaN] })).toThrow(/finite/);
  });
});
