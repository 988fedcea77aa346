import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileAsyncBuffer } from "./file-async-buffer.js";

let dir: string;
const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) % 256);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "async-buffer-"));
  await writeFile(join(dir, "f.bin"), bytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("fileAsyncBuffer", () => {
  it("reads exactly the requested byte ranges, clamped to the file", async () => {
    const file = await fileAsyncBuffer(join(dir, "f.bin"));
    expect(file.byteLength).toBe(1000);
    expect(new Uint8Array(await file.slice(10, 20))).toEqual(bytes.subarray(10, 20));
    expect(new Uint8Array(await file.slice(990))).toEqual(bytes.subarray(990));
    expect(new Uint8Array(await file.slice(995, 5000))).toEqual(bytes.subarray(995));
    expect((await file.slice(5, 5)).byteLength).toBe(0);
  });

  it("names the file when it does not exist", async () => {
    await expect(fileAsyncBuffer(join(dir, "missing.bin"))).rejects.toThrow(/missing\.bin/);
  });
});
