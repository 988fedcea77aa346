import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { meanAbsDiff, rawToImage } from "../test/fixtures";
import { resolveFill } from "./fill";
import type { RawImage } from "./image-io";
import { informationPreserving, type OneOfParams } from "./mixture";
import { randomPerspective } from "./random-perspective";
import { randomRotation } from "./random-rotation";
import type { ImageView } from "./view";
import { viewByName } from "./view-by-name";

const side = 21;
const grey: RawImage = { data: new Uint8Array(side * side * 3).fill(100), width: side, height: side };
const corner = (data: ArrayLike<number>, scale = 1) =>
  [data[0], data[1], data[2]].map((v) => Math.round((v as number) * scale));

describe("fill", () => {
  it("accepts a grey level or [r, g, b] in [0, 255] and names what is wrong otherwise", () => {
    expect(resolveFill(undefined, "f")).toEqual([0, 0, 0]);
    expect(resolveFill(255, "f")).toEqual([255, 255, 255]);
    expect(resolveFill([1, 2, 3], "f")).toEqual([1, 2, 3]);
    expect(() => randomRotation({ fill: 256 })).toThrow("randomRotation: fill values must be finite");
    expect(() => randomPerspective({ fill: [1, 2] as never })).toThrow(
      "randomPerspective: fill must be a number or an [r, g, b] triple",
    );
    expect(() => randomRotation({ fill: [0, Number.NaN, 0] })).toThrow(/fill values/);
  });

  it("paints the corners a 45-degree rotation uncovers, on both paths, grey or coloured", async () => {
    for (const fill of [255, [250, 10, 128]] as const) {
      const rgb = typeof fill === "number" ? [fill, fill, fill] : [...fill];
      const view = randomRotation({ degrees: [45, 45], fill });
      const raw = await view.applyRaw(grey, view.sample(0));
      expect(corner(raw.data)).toEqual(rgb);
      const centre = ((side * side - 1) / 2) * 3;
      expect(Array.from(raw.data.slice(centre, centre + 3))).toEqual([100, 100, 100]);
      const image = rawToImage(grey);
      const out = view.applyImage(image, view.sample(0));
      const values = out.dataSync();
      expect(corner(values, 255)).toEqual(rgb);
      // The two paths blend the fill into the picture's border alike.
      expect(meanAbsDiff(raw.data, values, 1, 255)).toBeLessThan(0.51);
      tf.dispose([image, out]);
    }
  });

  it("is black by default and reaches perspective, informationPreserving and viewByName", async () => {
    const insets: [number, number][] = [
      [0.1, 0.1],
      [0.1, 0.1],
      [0.1, 0.1],
      [0.1, 0.1],
    ];
    const black = await randomPerspective().applyRaw(grey, { applied: true, insets });
    expect(corner(black.data)).toEqual([0, 0, 0]);
    const white = await randomPerspective({ fill: 255 }).applyRaw(grey, { applied: true, insets });
    expect(corner(white.data)).toEqual([255, 255, 255]);
    for (const view of [
      informationPreserving({ fill: 255 }),
      viewByName("informationPreserving", { fill: 255 }) as ImageView<OneOfParams>,
    ]) {
      let seed = 0;
      const degrees = (s: number) => (view.sample(s).params as { degrees?: number }).degrees ?? 0;
      while (view.sample(seed).view !== "randomRotation" || Math.abs(degrees(seed)) < 5) seed++;
      // At 5 degrees or more the corner of a 64 px image maps more than 2 px outside the picture.
      const big: RawImage = { data: new Uint8Array(64 * 64 * 3).fill(100), width: 64, height: 64 };
      const out = await view.applyRaw(big, view.sample(seed));
      expect(corner(out.data)).toEqual([255, 255, 255]);
    }
  });
});
