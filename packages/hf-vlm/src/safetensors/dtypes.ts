/** Safetensors dtypes this package reads; all are converted to float32 on load. */
export type FloatDtype = "F32" | "F16" | "BF16";

/** Bytes per element of each {@link FloatDtype}. */
export const DTYPE_BYTES: Record<FloatDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** Whether `dtype` (a safetensors header's `dtype` field) is one of the float types this package reads. */
export function isFloatDtype(dtype: unknown): dtype is FloatDtype {
  return dtype === "F32" || dtype === "F16" || dtype === "BF16";
}

/** Little-endian 16-bit words of `bytes`, without assuming the buffer offset is aligned. */
function words16(bytes: Uint8Array): Uint16Array {
  if (bytes.byteOffset % 2 === 0)
    return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  return new Uint16Array(bytes.slice().buffer);
}

/**
 * bfloat16 bytes (little-endian) to float32: a bfloat16 is the top half of a float32, so this is exact.
 *
 * @example
 * bf16ToFloat32(new Uint8Array([0x80, 0x3f])); // Float32Array [1]
 */
export function bf16ToFloat32(bytes: Uint8Array): Float32Array {
  const halves = words16(bytes);
  const bits = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) bits[i] = (halves[i] as number) << 16;
  return new Float32Array(bits.buffer);
}

/**
 * IEEE half-precision bytes (little-endian) to float32, exact (subnormals, infinities and NaN included).
 *
 * @example
 * f16ToFloat32(new Uint8Array([0x00, 0x3c])); // Float32Array [1]
 */
export function f16ToFloat32(bytes: Uint8Array): Float32Array {
  const halves = words16(bytes);
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i] as number;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[i] = mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

/**
 * Little-endian float32 bytes to a Float32Array (a view when the bytes are aligned, else a copy).
 *
 * @example
 * f32FromBytes(new Uint8Array(new Float32Array([2.5]).buffer)); // Float32Array [2.5]
 */
export function f32FromBytes(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(bytes.slice().buffer);
}

/**
 * float32 to bfloat16 bytes with round-to-nearest-even (as PyTorch's `.to(torch.bfloat16)`); NaN stays NaN.
 *
 * @example
 * float32ToBf16(new Float32Array([1])); // Uint8Array [0x80, 0x3f]
 */
export function float32ToBf16(values: Float32Array): Uint8Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const b = bits[i] as number;
    if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
      out[i] = (b >>> 16) | 0x40;
      continue;
    }
    const roundingBias = 0x7fff + ((b >>> 16) & 1);
    out[i] = ((b + roundingBias) >>> 16) & 0xffff;
  }
  return new Uint8Array(out.buffer);
}

/**
 * Converts the raw bytes of one tensor of `dtype` to float32.
 *
 * @example
 * toFloat32(new Uint8Array([0x80, 0x3f]), "BF16"); // Float32Array [1]
 */
export function toFloat32(bytes: Uint8Array, dtype: FloatDtype): Float32Array {
  if (dtype === "F32") return f32FromBytes(bytes);
  return dtype === "BF16" ? bf16ToFloat32(bytes) : f16ToFloat32(bytes);
}
