import { type FileHandle, open } from "node:fs/promises";
import { DTYPE_BYTES, type FloatDtype, isFloatDtype, toFloat32 } from "./dtypes";

/** One tensor's entry in a safetensors header; offsets are absolute positions in the file. */
export interface TensorEntry {
  name: string;
  dtype: FloatDtype;
  shape: number[];
  /** First byte of the tensor's data in the file. */
  begin: number;
  /** One past its last byte. */
  end: number;
}

/** A parsed safetensors header. */
export interface SafetensorsHeader {
  file: string;
  tensors: Map<string, TensorEntry>;
  metadata: Record<string, string>;
  fileSize: number;
}

// Headers above this are not safetensors files (the format caps them at 100 MB).
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Reads and checks the header of a safetensors file: every tensor is a float type this package reads, its
 * byte range matches its shape and lies inside the file (a truncated file is an error naming the first tensor
 * it cuts).
 *
 * @example
 * const header = await readSafetensorsHeader("model.safetensors");
 * header.tensors.get("lm_head.weight")?.shape; // [49280, 576]
 */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file}: cannot open the safetensors file (${error.code ?? error.message})`);
  });
  try {
    return await readHeader(handle, file);
  } finally {
    await handle.close();
  }
}

async function readHeader(handle: FileHandle, file: string): Promise<SafetensorsHeader> {
  const fileSize = (await handle.stat()).size;
  if (fileSize < 8) throw new Error(`${file}: ${fileSize} bytes, too short for a safetensors header`);
  const prefix = Buffer.alloc(8);
  await handle.read(prefix, 0, 8, 0);
  const headerBytes = Number(prefix.readBigUInt64LE(0));
  if (headerBytes > MAX_HEADER_BYTES || 8 + headerBytes > fileSize) {
    throw new Error(
      `${file}: header length ${headerBytes} does not fit in the file's ${fileSize} bytes (truncated or not a safetensors file)`,
    );
  }
  const text = Buffer.alloc(headerBytes);
  await handle.read(text, 0, headerBytes, 8);
  let json: unknown;
  try {
    json = JSON.parse(text.toString("utf8"));
  } catch (error) {
    throw new Error(`${file}: the header is not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error(`${file}: the header must be a JSON object`);
  }
  const dataStart = 8 + headerBytes;
  const tensors = new Map<string, TensorEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    tensors.set(name, parseEntry(file, name, value, dataStart, fileSize));
  }
  return { file, tensors, metadata, fileSize };
}

function parseEntry(file: string, name: string, value: unknown, dataStart: number, fileSize: number) {
  const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (!isFloatDtype(entry?.dtype)) {
    throw new Error(`${file}: tensor "${name}" has dtype ${String(entry?.dtype)}, expected F32, F16 or BF16`);
  }
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${file}: tensor "${name}" has no valid shape`);
  }
  const offsets = entry.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isInteger(o) && o >= 0)
  ) {
    throw new Error(`${file}: tensor "${name}" has no valid data_offsets`);
  }
  const [start, stop] = offsets as [number, number];
  const expected = shape.reduce((a: number, b: number) => a * b, 1) * DTYPE_BYTES[entry.dtype];
  if (stop - start !== expected) {
    throw new Error(
      `${file}: tensor "${name}" [${shape}] ${entry.dtype} needs ${expected} bytes, data_offsets give ${stop - start}`,
    );
  }
  if (dataStart + stop > fileSize) {
    throw new Error(
      `${file} is truncated: tensor "${name}" ends at byte ${dataStart + stop}, the file has ${fileSize} bytes`,
    );
  }
  return {
    name,
    dtype: entry.dtype,
    shape: shape as number[],
    begin: dataStart + start,
    end: dataStart + stop,
  };
}

/**
 * Reads one tensor's bytes from an open file and converts them to float32.
 *
 * @example
 * const values = await readTensor(handle, header.tensors.get("model.text_model.norm.weight")!);
 */
export async function readTensor(handle: FileHandle, entry: TensorEntry): Promise<Float32Array> {
  const bytes = new Uint8Array(entry.end - entry.begin);
  let done = 0;
  while (done < bytes.length) {
    const { bytesRead } = await handle.read(bytes, done, bytes.length - done, entry.begin + done);
    if (bytesRead === 0) throw new Error(`tensor "${entry.name}": the file ended while reading it`);
    done += bytesRead;
  }
  return toFloat32(bytes, entry.dtype);
}
