import { mkdir, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCheckpoint } from "./checkpoint-files";
import { writeSafetensors } from "./safetensors/write";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "checkpoint-files-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function folder(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe("openCheckpoint", () => {
  it("reads a single model.safetensors", async () => {
    const dir = await folder("single");
    await writeSafetensors(join(dir, "model.safetensors"), [
      { name: "a.weight", shape: [2], data: new Float32Array([3, 4]) },
    ]);
    const tensors = await openCheckpoint(dir);
    expect(tensors.names).toEqual(["a.weight"]);
    expect(tensors.shape("a.weight")).toEqual([2]);
    expect([...(await tensors.read("a.weight"))]).toEqual([3, 4]);
    await expect(tensors.read("b.weight")).rejects.toThrow(/single: the checkpoint has no tensor "b.weight"/);
  });

  it("reads the shards of model.safetensors.index.json", async () => {
    const dir = await folder("sharded");
    await writeSafetensors(join(dir, "model-00001-of-00002.safetensors"), [
      { name: "a", shape: [1], data: new Float32Array([1]) },
    ]);
    await writeSafetensors(
      join(dir, "model-00002-of-00002.safetensors"),
      [{ name: "b", shape: [1], data: new Float32Array([2]) }],
      { dtype: "BF16" },
    );
    const index = {
      metadata: {},
      weight_map: { a: "model-00001-of-00002.safetensors", b: "model-00002-of-00002.safetensors" },
    };
    await writeFile(join(dir, "model.safetensors.index.json"), JSON.stringify(index));
    const tensors = await openCheckpoint(dir);
    expect(tensors.names.sort()).toEqual(["a", "b"]);
    expect([...(await tensors.read("b"))]).toEqual([2]);
    expect(tensors.dtype("b")).toBe("BF16");
  });

  it("names what is missing: no weights at all, or a listed shard", async () => {
    const empty = await folder("empty");
    await expect(openCheckpoint(empty)).rejects.toThrow(
      /empty: no weights found \(expected model.safetensors or model.safetensors.index.json\)/,
    );
    const dir = await folder("lost-shard");
    await writeFile(
      join(dir, "model.safetensors.index.json"),
      JSON.stringify({ weight_map: { a: "part-2.safetensors" } }),
    );
    await expect(openCheckpoint(dir)).rejects.toThrow(
      /part-2\.safetensors: shard listed in model.safetensors.index.json is missing/,
    );
  });

  it("names a truncated weights file", async () => {
    const dir = await folder("truncated");
    const file = join(dir, "model.safetensors");
    await writeSafetensors(file, [{ name: "w", shape: [100], data: new Float32Array(100) }]);
    await truncate(file, 300);
    await expect(openCheckpoint(dir)).rejects.toThrow(/model\.safetensors is truncated: tensor "w"/);
  });
});
