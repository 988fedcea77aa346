import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSafetensors } from "./write";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "safetensors-write-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeSafetensors", () => {
  it("writes the layout of the format: u64 header length, padded JSON header, data in order", async () => {
    const file = join(dir, "w.safetensors");
    await writeSafetensors(file, [
      { name: "x", shape: [2], data: new Float32Array([1, -2]) },
      { name: "y", shape: [1, 1], data: new Float32Array([0.25]) },
    ]);
    const bytes = await readFile(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8"));
    expect(header).toEqual({
      __metadata__: { format: "pt" },
      x: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
      y: { dtype: "F32", shape: [1, 1], data_offsets: [8, 12] },
    });
    const data = bytes.subarray(8 + headerLength);
    expect(data.length).toBe(12);
    expect([data.readFloatLE(0), data.readFloatLE(4), data.readFloatLE(8)]).toEqual([1, -2, 0.25]);
    expect(await readdir(dir)).toEqual(["w.safetensors"]);
  });

  it("writes bfloat16 as the rounded top halves", async () => {
    const file = join(dir, "b.safetensors");
    await writeSafetensors(file, [{ name: "x", shape: [2], data: new Float32Array([1, -0.15625]) }], {
      dtype: "BF16",
    });
    const bytes = await readFile(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const data = bytes.subarray(8 + headerLength);
    expect([data.readUInt16LE(0), data.readUInt16LE(2)]).toEqual([0x3f80, 0xbe20]);
  });

  it("refuses a tensor whose values do not fill its shape", async () => {
    await expect(
      writeSafetensors(join(dir, "bad.safetensors"), [{ name: "x", shape: [3], data: new Float32Array(2) }]),
    ).rejects.toThrow(/tensor "x" has 2 values, shape \[3\] needs 3/);
  });
});
