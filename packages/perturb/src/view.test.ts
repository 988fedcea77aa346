import type { Tensor4D } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeToRaw, encodeRaw, meanAbsDiff, patternRaw, rawToBatch } from "../test/fixtures";
import { colorJitter } from "./color-jitter";
import { compose, informationPreserving, informationRemoving } from "./mixture";
import { patchMask } from "./patch-mask";
import { batchSeed } from "./random";
import { randomOcclusion } from "./random-occlusion";
import { randomPerspective } from "./random-perspective";
import { randomRotation } from "./random-rotation";
import { defineView, type ImageView } from "./view";
import { zoomCrop } from "./zoom-crop";

const views: ImageView[] = [
  colorJitter(),
  randomPerspective({ probability: 1 }),
  randomRotation(),
  randomOcclusion(),
  zoomCrop(),
  patchMask(),
  informationPreserving(),
  informationRemoving(),
  compose([colorJitter(), zoomCrop()]),
];

const raw = patternRaw(32, 24);
let png: Uint8Array;
beforeAll(async () => {
  png = await encodeRaw(raw);
});

describe.each(views.map((view) => [view.name, view] as const))("%s", (_name, view) => {
  it("gives identical bytes for the same seed and different bytes for different seeds", async () => {
    const a = await view.apply(png, { seed: 11 });
    expect(Buffer.from(await view.apply(png, { seed: 11 })).equals(Buffer.from(a))).toBe(true);
    const others = await Promise.all([12, 13, 14].map((seed) => view.apply(png, { seed })));
    expect(others.some((o) => !Buffer.from(o).equals(Buffer.from(a)))).toBe(true);
  });

  it("keeps format, width and height of JPEG and WebP input", async () => {
    for (const format of ["jpeg", "webp"] as const) {
      const out = await decodeToRaw(await view.apply(await encodeRaw(raw, format), { seed: 3 }));
      expect([out.format, out.width, out.height]).toEqual([format, 32, 24]);
    }
  });

  it("applyTensor draws per image with batchSeed, agrees with the encoded path, leaks nothing", async () => {
    const single = rawToBatch(raw);
    const batch = tf.concat([single, single, single]) as Tensor4D;
    const before = tf.memory().numTensors;
    const out = view.applyTensor(batch, { seed: 5 });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(out.shape).toEqual([3, 24, 32, 3]);
    const values = out.dataSync();
    const stride = 24 * 32 * 3;
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    const draws = [0, 1, 2].map((b) => JSON.stringify(view.sample(batchSeed(5, b))));
    expect(new Set(draws).size).toBeGreaterThan(1);
    for (let b = 0; b < 3; b++) {
      const encoded = await decodeToRaw(await view.apply(png, { seed: batchSeed(5, b) }));
      expect(meanAbsDiff(encoded.data, values.subarray(b * stride, (b + 1) * stride), 1 / 255)).toBeLessThan(
        0.01,
      );
    }
    tf.dispose([single, batch, out]);
  });

  it("names what is wrong with bad input", async () => {
    const good = rawToBatch(raw);
    const cases: [tf.Tensor, RegExp][] = [
      [tf.zeros([4, 4, 3]), /rank 4/],
      [tf.zeros([1, 4, 4, 3], "int32"), /dtype float32/],
      [tf.fill([1, 4, 4, 3], 1.5), /values must lie in \[0, 1\]/],
      [tf.fill([1, 4, 4, 3], Number.NaN), /values must lie in \[0, 1\]/],
      [tf.zeros([0, 4, 4, 3]), /zero-sized/],
      [tf.zeros([1, 4, 4, 1]), /3 channels/],
    ];
    for (const [tensor, message] of cases) {
      expect(() => view.applyTensor(tensor as Tensor4D, { seed: 1 })).toThrow(message);
      expect(() => view.applyTensor(tensor as Tensor4D, { seed: 1 })).toThrow(`${view.name}: images`);
    }
    expect(() => view.applyTensor(good, { seed: 1.5 })).toThrow(
      `${view.name}: options.seed must be an integer, got 1.5`,
    );
    expect(() => view.applyTensor(good, {} as never)).toThrow(/options.seed must be an integer/);
    expect(() => view.sample(Number.NaN)).toThrow(/seed must be an integer/);
    await expect(view.apply(png, { seed: 0.1 })).rejects.toThrow(/options.seed must be an integer/);
    await expect(view.apply(new TextEncoder().encode("<html>"), { seed: 1 })).rejects.toThrow(
      `${view.name}: image bytes could not be decoded`,
    );
    await expect(view.apply(new Uint8Array(0), { seed: 1 })).rejects.toThrow(/is empty/);
    tf.dispose([good, ...cases.map(([t]) => t)]);
  });
});

describe("defineView", () => {
  it("builds a working view from a kernel", async () => {
    const invert = defineView({
      name: "invert",
      sample: () => ({}),
      applyRaw: (image) => ({ ...image, data: image.data.map((v) => 255 - v) }),
      applyImage: (image) => tf.sub(1, image),
    });
    const out = await decodeToRaw(await invert.apply(png, { seed: 0 }));
    expect(out.data[0]).toBe(255 - (raw.data[0] as number));
    const batch = rawToBatch(raw);
    const inverted = invert.applyTensor(batch, { seed: 0 });
    expect(inverted.dataSync()[3]).toBeCloseTo(1 - 5 / 255, 6);
    tf.dispose([batch, inverted]);
  });
});
