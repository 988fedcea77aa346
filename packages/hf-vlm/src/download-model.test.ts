import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DownloadEvent } from "@cppo/hub";
import { type FakeHub, startFakeHub } from "@cppo/test-utils/fake-hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureDir } from "../test/fixtures";
import { downloadModel } from "./download-model";
import { fromPretrained } from "./from-pretrained";

let hub: FakeHub;
let root: string;
let served: string[];
beforeAll(async () => {
  const source = fixtureDir("tiny-idefics3-untied");
  served = (await readdir(source)).sort();
  const routes = new Map<string, Buffer>();
  for (const file of served)
    routes.set(`test-org/tiny/resolve/main/${file}`, await readFile(join(source, file)));
  hub = await startFakeHub(routes);
  root = await mkdtemp(join(tmpdir(), "download-model-"));
});
afterAll(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

describe("downloadModel", () => {
  it("fetches config, index, every shard and the tokenizer files, and the folder loads", async () => {
    const events: DownloadEvent[] = [];
    const dir = await downloadModel("test-org/tiny", {
      dir: join(root, "tiny"),
      hubUrl: hub.url,
      onFile: (e) => events.push(e),
    });
    expect((await readdir(dir)).sort()).toEqual(served);
    expect(events.map((e) => e.file).slice(0, 4)).toEqual([
      "config.json",
      "model.safetensors.index.json",
      "model-00001-of-00002.safetensors",
      "model-00002-of-00002.safetensors",
    ]);
    expect(events.every((e) => e.action === "downloaded")).toBe(true);
    const policy = await fromPretrained(dir);
    expect(policy.config.tieWordEmbeddings).toBe(false);
    policy.dispose();

    const again: DownloadEvent[] = [];
    await downloadModel("test-org/tiny", { dir, hubUrl: hub.url, onFile: (e) => again.push(e) });
    expect(again.map((e) => e.action)).toEqual(events.map(() => "skipped"));
  });

  it("names a repository the hub does not have", async () => {
    await expect(
      downloadModel("test-org/none", { dir: join(root, "none"), hubUrl: hub.url }),
    ).rejects.toThrow("downloadModel: config.json not found in model test-org/none at revision main");
    await expect(downloadModel("not a repo", { dir: root })).rejects.toThrow(
      /"not a repo" is not a repository id/,
    );
  });
});
