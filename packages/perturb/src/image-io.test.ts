import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeToRaw, encodeRaw, patternRaw } from "../test/fixtures";
import { decodeImage, encodeImage, readRaw, writeRaw } from "./image-io";

describe("decodeImage / encodeImage", () => {
  it("round-trips PNG pixels exactly through [H, W, 3] floats in [0, 1]", async () => {
    const raw = patternRaw(9, 7);
    const before = tf.memory().numTensors;
    const image = await decodeImage(await encodeRaw(raw));
    expect(image.shape).toEqual([7, 9, 3]);
    expect(image.dtype).toBe("float32");
    const values = image.dataSync();
    expect(values[3]).toBeCloseTo(5 / 255, 6); // red of pixel (1, 0)
    const back = await decodeToRaw(await encodeImage(image, "png"));
    expect(back.data).toEqual(raw.data);
    image.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("resizes to size x size when asked", async () => {
    const image = await decodeImage(await encodeRaw(patternRaw(20, 10)), { size: 8 });
    expect(image.shape).toEqual([8, 8, 3]);
    image.dispose();
    await expect(decodeImage(await encodeRaw(patternRaw(4, 4)), { size: 0 })).rejects.toThrow(
      /size must be a positive integer/,
    );
  });

  it("drops alpha and expands grey to RGB", async () => {
    const grey = await sharp(Buffer.alloc(16, 77), { raw: { width: 4, height: 4, channels: 1 } })
      .png()
      .toBuffer();
    const { raw, format } = await readRaw(new Uint8Array(grey));
    expect(format).toBe("png");
    expect(raw.data.length).toBe(48);
    expect(raw.data.every((v) => v === 77)).toBe(true);
    const rgba = await sharp({
      create: { width: 2, height: 2, channels: 4, background: { r: 9, g: 8, b: 7, alpha: 1 } },
    })
      .png()
      .toBuffer();
    expect(Array.from((await readRaw(new Uint8Array(rgba))).raw.data.slice(0, 3))).toEqual([9, 8, 7]);
  });

  it("names what is wrong with bad input", async () => {
    await expect(readRaw(new Uint8Array(0))).rejects.toThrow(/image is empty \(0 bytes\)/);
    await expect(readRaw(new TextEncoder().encode("not an image at all"))).rejects.toThrow(
      /image could not be decoded/,
    );
    await expect(readRaw("x" as unknown as Uint8Array)).rejects.toThrow(/must be a Uint8Array/);
    await expect(encodeImage(tf.zeros([2, 2]) as never, "png")).rejects.toThrow(/rank 3/);
    await expect(encodeImage(tf.zeros([2, 2, 3], "int32") as never, "png")).rejects.toThrow(/dtype float32/);
    await expect(encodeImage(tf.fill([2, 2, 3], 2) as never, "png")).rejects.toThrow(/\[0, 1\].*\[2, 2\]/);
    await expect(encodeImage(tf.zeros([0, 2, 3]) as never, "png")).rejects.toThrow(/zero-sized/);
    await expect(encodeImage(tf.zeros([2, 2, 4]) as never, "png")).rejects.toThrow(/3 channels/);
    await expect(writeRaw(patternRaw(2, 2), "bmp" as never)).rejects.toThrow(/format must be one of/);
  });

  it("writes each format back as itself", async () => {
    for (const format of ["png", "jpeg", "webp"] as const) {
      const bytes = await writeRaw(patternRaw(8, 6), format);
      const back = await decodeToRaw(bytes);
      expect(back.format).toBe(format);
      expect([back.width, back.height]).toEqual([8, 6]);
    }
  });
});
