import type { FileHandle } from "node:fs/promises";
import * as fsp from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { writeFileAtomic } from "./atomic-write";
import { here, runAndKill } from "./test-child";

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, open: vi.fn(actual.open) };
});

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), "cppo-atomic-"));
});
afterEach(async () => {
  vi.mocked(fsp.open).mockClear();
  await fsp.rm(dir, { recursive: true, force: true });
});

describe("writeFileAtomic", () => {
  it("creates and then replaces a file, leaving no temporary file", async () => {
    const target = join(dir, "out.json");
    await writeFileAtomic(target, '{"a":1}');
    expect(await fsp.readFile(target, "utf8")).toBe('{"a":1}');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3, 250]));
    expect([...(await fsp.readFile(target))]).toEqual([1, 2, 3, 250]);
    expect(await fsp.readdir(dir)).toEqual(["out.json"]);
  });

  it("never lets a concurrent reader see a partly written file", async () => {
    const target = join(dir, "big.txt");
    const old = "a".repeat(1 << 21);
    const next = "b".repeat(1 << 21);
    await writeFileAtomic(target, old);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) {
        const text = await fsp.readFile(target, "utf8");
        seen.add(text === old ? "old" : text === next ? "new" : `torn(${text.length})`);
      }
    })();
    for (let i = 0; i < 12; i++) await writeFileAtomic(target, i % 2 === 0 ? next : old);
    writing = false;
    await reader;
    expect([...seen].filter((s) => s.startsWith("torn"))).toEqual([]);
    expect(await fsp.readdir(dir)).toEqual(["big.txt"]);
  });

  it("keeps the old content and removes the temporary file when writing fails half way", async () => {
    const target = join(dir, "ckpt.bin");
    await writeFileAtomic(target, "old content");
    const actualOpen = vi.mocked(fsp.open).getMockImplementation();
    vi.mocked(fsp.open).mockImplementationOnce(async (path, flags) => {
      const handle = (await actualOpen?.(path, flags)) as FileHandle;
      return new Proxy(handle, {
        get(target, key) {
          if (key === "writeFile") {
            return async (data: string) => {
              await target.write(data.slice(0, data.length / 2));
              throw new Error("disk full (simulated)");
            };
          }
          const value = Reflect.get(target, key);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    });
    await expect(writeFileAtomic(target, "new content!")).rejects.toThrow(
      `writeFileAtomic: could not write ${target}: disk full (simulated)`,
    );
    expect(await fsp.readFile(target, "utf8")).toBe("old content");
    expect(await fsp.readdir(dir)).toEqual(["ckpt.bin"]);
  });

  it("removes the temporary file when the rename fails", async () => {
    const target = join(dir, "taken");
    await fsp.mkdir(join(target, "child"), { recursive: true });
    await expect(writeFileAtomic(target, "x")).rejects.toThrow(`could not write ${target}`);
    expect(await fsp.readdir(dir)).toEqual(["taken"]);
  });

  it("names the missing folder", async () => {
    const target = join(dir, "no", "such", "file.json");
    await expect(writeFileAtomic(target, "x")).rejects.toThrow(
      `folder ${join(dir, "no", "such")} does not exist`,
    );
  });

  it("rejects data that is neither a string nor bytes", async () => {
    const target = join(dir, "x.json");
    await expect(writeFileAtomic(target, { a: 1 } as unknown as string)).rejects.toThrow(
      `data for ${target} must be a string or Uint8Array, got object`,
    );
  });

  it("leaves the old or the new file, whole, when the writer is killed mid-write", async () => {
    const target = join(dir, "state.txt");
    const [a, b] = ["a".repeat(1 << 22), "b".repeat(1 << 22)];
    await writeFileAtomic(target, a);
    const marker = join(dir, "started");
    const source = `
      import { writeFile } from "node:fs/promises";
      import { writeFileAtomic } from ${JSON.stringify(here("./atomic-write.ts"))};
      const contents = ["a".repeat(1 << 22), "b".repeat(1 << 22)];
      for (let i = 1; ; i++) {
        await writeFileAtomic(${JSON.stringify(target)}, contents[i % 2]);
        if (i === 3) await writeFile(${JSON.stringify(marker)}, "");
      }
    `;
    await runAndKill(dir, source, async () => (await fsp.readdir(dir)).includes("started"));
    const text = await fsp.readFile(target, "utf8");
    expect(text === a || text === b).toBe(true);
  });
});
