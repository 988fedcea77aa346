import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFolder, writeZip } from "../test/fixtures.js";
import { folderImageSource, zipImageSource } from "./image-source.js";

const a = new Uint8Array(3000).map((_, i) => (i * 7) % 251);
const b = new Uint8Array([9, 8, 7]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "image-source-"));
  await writeFolder(join(dir, "folder"), { "images/a.jpg": a, "images/sub/b.png": b, "outside.png": b });
  await writeZip(join(dir, "prefixed.zip"), { "images/a.jpg": a, "images/sub/b.png": b });
  await writeZip(join(dir, "flat.zip"), { "a.jpg": a });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("folderImageSource", () => {
  it("reads files by relative path and returns null for absent ones or ones outside root", async () => {
    const source = folderImageSource(join(dir, "folder", "images", ".."));
    expect(await source.read("images/a.jpg")).toEqual(a);
    expect(await source.read("images/sub/b.png")).toEqual(b);
    expect(await source.read("images/missing.jpg")).toBeNull();
    expect(await folderImageSource(join(dir, "folder", "images")).read("../outside.png")).toBeNull();
  });
});

describe("zipImageSource", () => {
  it("reads deflated entries in place, with or without the images/ prefix inside the zip", async () => {
    const prefixed = await zipImageSource(join(dir, "prefixed.zip"));
    expect(await prefixed.read("images/a.jpg")).toEqual(a);
    expect(await prefixed.read("images/sub/b.png")).toEqual(b);
    expect(await prefixed.read("images/missing.jpg")).toBeNull();
    const flat = await zipImageSource(join(dir, "flat.zip"));
    expect(await flat.read("images/a.jpg")).toEqual(a);
    expect(flat.location).toBe(join(dir, "flat.zip"));
  });

  it("names the file when it is not a zip", async () => {
    await writeFolder(dir, { "bad.zip": new Uint8Array(100) });
    await expect(zipImageSource(join(dir, "bad.zip"))).rejects.toThrow(/bad\.zip: not a readable zip/);
  });
});
