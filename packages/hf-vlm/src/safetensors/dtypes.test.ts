import { describe, expect, it } from "vitest";
import { bf16ToFloat32, f16ToFloat32, f32FromBytes, float32ToBf16 } from "./dtypes";

const bytesOf = (...words: number[]) => new Uint8Array(new Uint16Array(words).buffer);

describe("bf16ToFloat32", () => {
  it("reads the top halves of float32s", () => {
    // 0x3f80 = 1, 0xc000 = -2, 0x3e20 = 0.15625, 0x7f80 = +inf, 0x0001 = smallest subnormal 2^-133
    const out = bf16ToFloat32(bytesOf(0x3f80, 0xc000, 0x3e20, 0x7f80, 0x0001));
    expect([...out.subarray(0, 4)]).toEqual([1, -2, 0.15625, Number.POSITIVE_INFINITY]);
    expect(out[4]).toBe(2 ** -133);
  });

  it("reads bytes at an odd offset", () => {
    const buffer = new Uint8Array(5);
    buffer.set([0x80, 0x3f, 0x40, 0x40], 1);
    expect([...bf16ToFloat32(buffer.subarray(1))]).toEqual([1, 3]);
  });
});

describe("f16ToFloat32", () => {
  it("decodes normals, subnormals, zeros, infinities and NaN", () => {
    // 0x3c00 = 1, 0xc500 = -5, 0x3555 = 0.333251953125, 0x0001 = 2^-24, 0x03ff = 1023 * 2^-24,
    // 0x8000 = -0, 0xfc00 = -inf, 0x7e00 = NaN, 0x7bff = 65504 (largest)
    const out = f16ToFloat32(bytesOf(0x3c00, 0xc500, 0x3555, 0x0001, 0x03ff, 0x8000, 0xfc00, 0x7e00, 0x7bff));
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(-5);
    expect(out[2]).toBe(0.333251953125);
    expect(out[3]).toBe(2 ** -24);
    expect(out[4]).toBe(1023 * 2 ** -24);
    expect(Object.is(out[5], -0)).toBe(true);
    expect(out[6]).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(out[7])).toBe(true);
    expect(out[8]).toBe(65504);
  });
});

describe("f32FromBytes", () => {
  it("copies unaligned bytes", () => {
    const buffer = new Uint8Array(9);
    buffer.set(new Uint8Array(new Float32Array([1.5, -7]).buffer), 1);
    expect([...f32FromBytes(buffer.subarray(1))]).toEqual([1.5, -7]);
  });
});

describe("float32ToBf16", () => {
  it("rounds to nearest, ties to even", () => {
    // 1 + 2^-8 is halfway between bf16 1 (0x3f80) and 1 + 2^-7 (0x3f81): ties to even, 0x3f80.
    // 1 + 3 * 2^-8 is halfway between 0x3f81 and 0x3f82: ties to even, 0x3f82.
    // 1 + 2^-8 + 2^-20 is above halfway: rounds up to 0x3f81.
    const out = new Uint16Array(
      float32ToBf16(new Float32Array([1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -8 + 2 ** -20, -2])).buffer,
    );
    expect([...out]).toEqual([0x3f80, 0x3f82, 0x3f81, 0xc000]);
  });

  it("round-trips values that are already bfloat16 and keeps NaN", () => {
    const values = bf16ToFloat32(bytesOf(0x3f80, 0xbe20, 0x7f80, 0x0001));
    expect([...new Uint16Array(float32ToBf16(values).buffer)]).toEqual([0x3f80, 0xbe20, 0x7f80, 0x0001]);
    expect(Number.isNaN(bf16ToFloat32(float32ToBf16(new Float32Array([Number.NaN])))[0])).toBe(true);
  });
});
