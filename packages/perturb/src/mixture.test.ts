import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { patternRaw, rawToImage } from "../test/fixtures";
import { colorJitter } from "./color-jitter";
import { compose, informationPreserving, informationRemoving, oneOf } from "./mixture";
import { patchMask } from "./patch-mask";
import { randomRotation } from "./random-rotation";
import { zoomCrop } from "./zoom-crop";

function counts(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

describe("mixtures", () => {
  it("informationPreserving picks jitter, perspective, rotation about a third each", () => {
    const view = informationPreserving();
    const picks = counts(Array.from({ length: 900 }, (_, seed) => view.sample(seed).view));
    expect(Object.keys(picks).sort()).toEqual(["colorJitter", "randomPerspective", "randomRotation"]);
    for (const n of Object.values(picks)) expect(Math.abs(n - 300)).toBeLessThan(60);
  });

  it("informationRemoving picks occlusion and zoom-crop about half each", () => {
    const view = informationRemoving();
    const picks = counts(Array.from({ length: 600 }, (_, seed) => view.sample(seed).view));
    expect(Object.keys(picks).sort()).toEqual(["randomOcclusion", "zoomCrop"]);
    expect(Math.abs((picks.zoomCrop as number) - 300)).toBeLessThan(50);
  });

  it("oneOf honours weights, including zero", () => {
    const view = oneOf([randomRotation(), zoomCrop(), colorJitter()], [3, 1, 0]);
    const picks = counts(Array.from({ length: 800 }, (_, seed) => view.sample(seed).view));
    expect(picks.colorJitter).toBeUndefined();
    expect(Math.abs((picks.randomRotation as number) - 600)).toBeLessThan(50);
  });

  it("renders exactly what its draw records", async () => {
    const raw = patternRaw(20, 16);
    const rotation = randomRotation();
    const crop = zoomCrop();
    const view = oneOf([rotation, crop]);
    for (const seed of [1, 2, 3, 4]) {
      const params = view.sample(seed);
      const chosen = params.index === 0 ? rotation : crop;
      expect(params.view).toBe(chosen.name);
      expect((await view.applyRaw(raw, params)).data).toEqual(
        (await chosen.applyRaw(raw, params.params as never)).data,
      );
    }
  });

  it("compose applies every step in order", async () => {
    const raw = patternRaw(20, 16);
    const crop = zoomCrop();
    const mask = patchMask({ patchSize: 4 });
    const view = compose([crop, mask]);
    const params = view.sample(5);
    expect(params.steps.map((s) => s.view)).toEqual(["zoomCrop", "patchMask"]);
    const byHand = await mask.applyRaw(
      await crop.applyRaw(raw, params.steps[0]?.params as never),
      params.steps[1]?.params as never,
    );
    expect((await view.applyRaw(raw, params)).data).toEqual(byHand.data);
    const image = rawToImage(raw);
    const before = tf.memory().numTensors;
    const out = view.applyImage(image, params);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([image, out]);
  });

  it("views sharing a seed draw independent numbers (I+ and I- of one prompt)", () => {
    const rotation = randomRotation();
    const crop = zoomCrop();
    const xs: number[] = [];
    const ys: number[] = [];
    for (let seed = 0; seed < 400; seed++) {
      xs.push(rotation.sample(seed).degrees);
      ys.push(crop.sample(seed).scale);
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const mx = mean(xs);
    const my = mean(ys);
    const cov = mean(xs.map((x, i) => (x - mx) * ((ys[i] as number) - my)));
    const sd = (v: number[], m: number) => Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
    expect(Math.abs(cov / (sd(xs, mx) * sd(ys, my)))).toBeLessThan(0.15);
  });

  it("rejects bad arguments by name", async () => {
    expect(() => oneOf([])).toThrow(/oneOf: views must be a non-empty array/);
    expect(() => oneOf([zoomCrop()], [1, 2])).toThrow(/got 2 weights for 1 views/);
    expect(() => oneOf([zoomCrop()], [0])).toThrow(/not all 0/);
    expect(() => oneOf([zoomCrop()], [Number.NaN])).toThrow(/finite/);
    expect(() => compose([])).toThrow(/compose: views must be a non-empty array/);
    await expect(compose([zoomCrop()]).applyRaw(patternRaw(4, 4), { steps: [] })).rejects.toThrow(
      /expected 1/,
    );
    await expect(
      oneOf([zoomCrop()]).applyRaw(patternRaw(4, 4), { view: "x", index: 3, params: {} }),
    ).rejects.toThrow(/index 3 is out of range/);
  });
});
