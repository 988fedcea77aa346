import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSafetensorsHeader, readTensor, type TensorEntry } from "./read";

/** A safetensors file built byte by byte: `header` JSON, then `data`. */
function fileBytes(header: unknown, data: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([prefix, json, data]);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "safetensors-read-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readSafetensorsHeader / readTensor", () => {
  it("reads F32, F16 and BF16 tensors at their offsets, including unaligned ones", async () => {
    // b: F16 [2] = [1, -2] at 0..4; a: F32 [2, 1] = [0.5, 3] at 4..12 (4-aligned only by accident of layout:
    // the JSON header length is odd, so the data section itself starts unaligned); c: BF16 [1] = [1] at 12..14
    const data = new Uint8Array([
      0x00,
      0x3c,
      0x00,
      0xc0,
      ...new Uint8Array(new Float32Array([0.5, 3]).buffer),
      0x80,
      0x3f,
    ]);
    const header = {
      __metadata__: { format: "pt" },
      b: { dtype: "F16", shape: [2], data_offsets: [0, 4] },
      a: { dtype: "F32", shape: [2, 1], data_offsets: [4, 12] },
      c: { dtype: "BF16", shape: [1], data_offsets: [12, 14] },
    };
    const file = join(dir, "ok.safetensors");
    await writeFile(file, fileBytes(header, data));
    const parsed = await readSafetensorsHeader(file);
    expect(parsed.metadata).toEqual({ format: "pt" });
    expect([...parsed.tensors.keys()]).toEqual(["b", "a", "c"]);
    expect(parsed.tensors.get("a")?.shape).toEqual([2, 1]);
    const handle = await open(file, "r");
    try {
      expect([...(await readTensor(handle, parsed.tensors.get("a") as TensorEntry))]).toEqual([0.5, 3]);
      expect([...(await readTensor(handle, parsed.tensors.get("b") as TensorEntry))]).toEqual([1, -2]);
      expect([...(await readTensor(handle, parsed.tensors.get("c") as TensorEntry))]).toEqual([1]);
    } finally {
      await handle.close();
    }
  });

  it("names the file and tensor when the file is truncated", async () => {
    const header = { w: { dtype: "F32", shape: [4], data_offsets: [0, 16] } };
    const file = join(dir, "cut.safetensors");
    await writeFile(file, fileBytes(header, new Uint8Array(10)));
    await expect(readSafetensorsHeader(file)).rejects.toThrow(
      /cut\.safetensors is truncated: tensor "w" ends at byte/,
    );
  });

  it("names the file when the header itself is cut", async () => {
    const file = join(dir, "cut-header.safetensors");
    await writeFile(
      file,
      fileBytes({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)).subarray(0, 20),
    );
    await expect(readSafetensorsHeader(file)).rejects.toThrow(
      /cut-header\.safetensors: header length \d+ does not fit/,
    );
  });

  it("rejects dtypes it does not read and offsets that disagree with the shape", async () => {
    const file = join(dir, "int.safetensors");
    await writeFile(
      file,
      fileBytes({ ids: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)),
    );
    await expect(readSafetensorsHeader(file)).rejects.toThrow(
      /tensor "ids" has dtype I64, expected F32, F16 or BF16/,
    );
    const bad = join(dir, "bad-size.safetensors");
    await writeFile(
      bad,
      fileBytes({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)),
    );
    await expect(readSafetensorsHeader(bad)).rejects.toThrow(
      /"w" \[3\] F32 needs 12 bytes, data_offsets give 8/,
    );
  });

  it("names a missing file", async () => {
    await expect(readSafetensorsHeader(join(dir, "nope.safetensors"))).rejects.toThrow(
      /nope\.safetensors: cannot open the safetensors file \(ENOENT\)/,
    );
  });
});
