import { open, rename, rm } from "node:fs/promises";
import { float32ToBf16 } from "./dtypes";

/** A named float32 tensor to write; `data` may be a function, called when the tensor's turn comes. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array | (() => Promise<Float32Array>);
}

/** Options of {@link writeSafetensors}. */
export interface WriteSafetensorsOptions {
  /** On-disk dtype. Default F32 (lossless for trained weights). */
  dtype?: "F32" | "BF16";
  /** `__metadata__` entries. Default `{ format: "pt" }`, which PyTorch loaders expect. */
  metadata?: Record<string, string>;
}

/**
 * Writes tensors as a safetensors file: 8-byte header length, JSON header padded with spaces to a multiple of
 * 8 bytes, then the data in header order, one tensor in memory at a time. Written to `<file>.tmp-<pid>` and renamed, so a crash never leaves
 * a half-written file under `file`.
 *
 * @example
 * await writeSafetensors("model.safetensors", [{ name: "w", shape: [2], data: new Float32Array([1, 2]) }]);
 */
export async function writeSafetensors(
  file: string,
  tensors: readonly NamedTensor[],
  options: WriteSafetensorsOptions = {},
): Promise<void> {
  const { dtype = "F32", metadata = { format: "pt" } } = options;
  const bytesPer = dtype === "F32" ? 4 : 2;
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const { name, shape } of tensors) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (name in header) throw new Error(`writeSafetensors: tensor "${name}" is given twice`);
    header[name] = { dtype, shape, data_offsets: [offset, offset + count * bytesPer] };
    offset += count * bytesPer;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));

  const temporary = `${file}.tmp-${process.pid}`;
  const handle = await open(temporary, "w");
  try {
    await handle.write(prefix);
    await handle.write(Buffer.from(json, "utf8"));
    for (const { name, shape, data: source } of tensors) {
      const data = typeof source === "function" ? await source() : source;
      const count = shape.reduce((a, b) => a * b, 1);
      if (count !== data.length) {
        throw new Error(
          `writeSafetensors: tensor "${name}" has ${data.length} values, shape [${shape}] needs ${count}`,
        );
      }
      const bytes =
        dtype === "F32" ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : float32ToBf16(data);
      await handle.write(bytes);
    }
    await handle.close();
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
}
