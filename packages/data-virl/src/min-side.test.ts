import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { makeImage } from "../test/fixtures.js";
import { ensureMinSide } from "./min-side.js";

async function decodedSize(bytes: Uint8Array) {
  const { width, height, format } = await sharp(bytes).metadata();
  return { width, height, format };
}

describe("ensureMinSide", () => {
  it("upscales a 20x10 PNG to 56x28 and keeps it a PNG", async () => {
    const out = await ensureMinSide(await makeImage(20, 10, "png"), 28);
    expect(out).toMatchObject({ width: 56, height: 28, format: "png" });
    expect(await decodedSize(out.bytes)).toEqual({ width: 56, height: 28, format: "png" });
  });

  it("upscales a 14x40 JPEG to 28x80 (40 * 2) and keeps it a JPEG", async () => {
    const out = await ensureMinSide(await makeImage(14, 40, "jpeg"), 28);
    expect(await decodedSize(out.bytes)).toEqual({ width: 28, height: 80, format: "jpeg" });
  });

  it("rounds the long side: 9x25 becomes 28x78 (25 * 28 / 9 = 77.8)", async () => {
    const out = await ensureMinSide(await makeImage(9, 25, "png"), 28);
    expect(await decodedSize(out.bytes)).toEqual({ width: 28, height: 78, format: "png" });
  });

  it("returns images already large enough byte for byte", async () => {
    const input = await makeImage(28, 100, "jpeg");
    const out = await ensureMinSide(input, 28);
    expect(out.bytes).toBe(input);
    expect(out).toMatchObject({ width: 28, height: 100 });
  });

  it("throws on bytes that are not an image, and on a truncated PNG", async () => {
    await expect(ensureMinSide(new Uint8Array([1, 2, 3, 4, 5]), 28)).rejects.toThrow();
    const png = await makeImage(64, 64, "png");
    await expect(ensureMinSide(png.slice(0, png.length - 30), 28)).rejects.toThrow();
  });
});
