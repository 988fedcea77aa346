import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { decodeToRaw, encodeRaw, meanAbsDiff, patternRaw, rawToBatch } from "../test/fixtures";
import type { RawImage } from "./image-io";
import { randomRotation } from "./random-rotation";

describe("randomRotation", () => {
  it("is the identity at 0 degrees on both paths (PNG, exact)", async () => {
    const raw = patternRaw(15, 11);
    const view = randomRotation({ degrees: [0, 0] });
    expect((await decodeToRaw(await view.apply(await encodeRaw(raw), { seed: 1 }))).data).toEqual(raw.data);
    const batch = rawToBatch(raw);
    const out = view.applyTensor(batch, { seed: 1 });
    expect(meanAbsDiff(out.dataSync(), batch.dataSync())).toBeLessThan(1e-7);
    tf.dispose([batch, out]);
  });

  it("turns the picture counter-clockwise for positive angles", async () => {
    // 7x7, one white pixel two to the right of the centre (3, 3); after +90 degrees it sits two above it.
    const raw: RawImage = { data: new Uint8Array(7 * 7 * 3), width: 7, height: 7 };
    raw.data.fill(255, (3 * 7 + 5) * 3, (3 * 7 + 5) * 3 + 3);
    const view = randomRotation({ degrees: [90, 90] });
    const out = await view.applyRaw(raw, view.sample(0));
    const lit = [];
    for (let p = 0; p < 49; p++) if ((out.data[p * 3] as number) > 128) lit.push([p % 7, Math.floor(p / 7)]);
    expect(lit).toEqual([[3, 1]]);
    const tensorOut = view.applyImage(
      tf.div(tf.tensor3d(Array.from(raw.data), [7, 7, 3], "float32"), 255) as never,
      { degrees: 90 },
    );
    expect(tensorOut.dataSync()[(1 * 7 + 3) * 3]).toBeCloseTo(1, 5);
    tensorOut.dispose();
  });

  it("encoded and tensor paths agree and angles stay in range", async () => {
    const raw = patternRaw(24, 20);
    const view = randomRotation();
    const batch = rawToBatch(raw);
    for (const seed of [1, 2, 3]) {
      const params = view.sample(seed);
      expect(Math.abs(params.degrees)).toBeLessThanOrEqual(10);
      const image = tf.squeeze(batch, [0]) as tf.Tensor3D;
      const t = view.applyImage(image, params);
      const r = await view.applyRaw(raw, params);
      expect(meanAbsDiff(r.data, t.dataSync(), 1, 255)).toBeLessThan(1);
      tf.dispose([image, t]);
    }
    batch.dispose();
  });
});
