import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { meanAbsDiff, patternRaw, rawToImage } from "../test/fixtures";
import { perspectiveTransform, randomPerspective } from "./random-perspective";

describe("randomPerspective", () => {
  it("applies with the given probability, insets within distortionScale / 2", () => {
    const view = randomPerspective();
    let applied = 0;
    for (let seed = 0; seed < 400; seed++) {
      const p = view.sample(seed);
      if (!p.applied) continue;
      applied++;
      for (const [fx, fy] of p.insets) {
        expect(fx).toBeGreaterThanOrEqual(0);
        expect(fx).toBeLessThan(0.1);
        expect(fy).toBeLessThan(0.1);
      }
    }
    expect(applied / 400).toBeGreaterThan(0.43);
    expect(applied / 400).toBeLessThan(0.57);
    expect(randomPerspective({ probability: 0 }).sample(5).applied).toBe(false);
  });

  it("leaves the image alone when not applied", async () => {
    const raw = patternRaw(10, 8);
    const view = randomPerspective({ probability: 0 });
    expect((await view.applyRaw(raw, view.sample(1))).data).toEqual(raw.data);
  });

  it("sends each image corner to its inset corner and fills outside black", async () => {
    const raw = patternRaw(40, 30);
    const insets: [number, number][] = [
      [0.1, 0.1],
      [0.05, 0],
      [0, 0],
      [0, 0.1],
    ];
    // Output -> input: the moved top-left (4, 3) reads input (0, 0); bottom-right (39, 29) stays put.
    const t = perspectiveTransform(40, 30, insets);
    const map = (x: number, y: number) => {
      const k = t[6] * x + t[7] * y + 1;
      return [(t[0] * x + t[1] * y + t[2]) / k, (t[3] * x + t[4] * y + t[5]) / k];
    };
    expect(map(4, 3)[0]).toBeCloseTo(0, 9);
    expect(map(4, 3)[1]).toBeCloseTo(0, 9);
    expect(map(37, 0)[0]).toBeCloseTo(39, 9);
    expect(map(0, 26)[1]).toBeCloseTo(29, 9);
    expect(map(39, 29)).toEqual([expect.closeTo(39, 9), expect.closeTo(29, 9)]);
    const view = randomPerspective({ probability: 1 });
    const out = await view.applyRaw(raw, { applied: true, insets });
    expect(Array.from(out.data.slice(0, 3))).toEqual([0, 0, 0]);
    const p = (3 * 40 + 4) * 3;
    expect(Array.from(out.data.slice(p, p + 3))).toEqual(Array.from(raw.data.slice(0, 3)));
    const image = rawToImage(raw);
    const tensorOut = view.applyImage(image, { applied: true, insets });
    expect(meanAbsDiff(out.data, tensorOut.dataSync(), 1, 255)).toBeLessThan(1);
    tf.dispose([image, tensorOut]);
  });
});
