import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeHub, startFakeHub } from "@cppo/test-utils/fake-hub";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeImage, writeVirlParquet, writeZip } from "../test/fixtures.js";
import { type DownloadEvent, downloadViRL39K } from "./download-virl39k.js";

let dir: string;
let files: Map<string, Buffer>;
let hub: FakeHub;
let honour = true;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "download-virl39k-"));
  const source = join(dir, "source");
  const rows = [0, 1, 2].map((i) => ({
    question: `<image>\nQ${i}`,
    answer: `\\boxed{${i}}`,
    passRate32B: 0.5,
    passRate7B: -1,
    category: "Chart",
    source: "s",
    qid: `d${i}`,
    image: [`images/d${i}-0.png`],
  }));
  await writeVirlParquet(join(source, "39Krelease.parquet"), rows);
  const images: Record<string, Uint8Array> = {};
  for (const i of [0, 1, 2]) images[`images/d${i}-0.png`] = await makeImage(64 + i, 48, "png", 50 * i);
  await writeZip(join(source, "images.zip"), images);
  files = new Map([
    ["39Krelease.parquet", await readFile(join(source, "39Krelease.parquet"))],
    ["images.zip", await readFile(join(source, "images.zip"))],
  ]);
  const routes = new Map(
    [...files].map(([name, body]) => [`datasets/test-org/virl/resolve/main/${name}`, body]),
  );
  hub = await startFakeHub(routes, { honourRange: () => honour });
});
afterAll(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  hub.log.length = 0;
  honour = true;
});

describe("downloadViRL39K", () => {
  const cacheDir = () => join(dir, "cache");
  const download = (events: DownloadEvent[], extra = {}) =>
    downloadViRL39K({
      cacheDir: cacheDir(),
      hubUrl: hub.url,
      repo: "test-org/virl",
      onFile: (e) => events.push(e),
      ...extra,
    });

  it("downloads both files through the hub client, then loads them", async () => {
    const events: DownloadEvent[] = [];
    const data = await download(events, { accessToken: "hf_test" });
    expect(events.map((e) => [e.file, e.action, e.size, e.transferred])).toEqual([
      [
        "39Krelease.parquet",
        "downloaded",
        files.get("39Krelease.parquet")?.length,
        files.get("39Krelease.parquet")?.length,
      ],
      ["images.zip", "downloaded", files.get("images.zip")?.length, files.get("images.zip")?.length],
    ]);
    for (const [name, body] of files) expect(await readFile(join(cacheDir(), name))).toEqual(body);
    expect(hub.log.map((l) => [l.method, l.url, l.range])).toEqual([
      ["GET", "/datasets/test-org/virl/resolve/main/39Krelease.parquet", "bytes=0-0"],
      ["GET", "/datasets/test-org/virl/resolve/main/39Krelease.parquet", null],
      ["GET", "/datasets/test-org/virl/resolve/main/images.zip", "bytes=0-0"],
      ["GET", "/datasets/test-org/virl/resolve/main/images.zip", null],
    ]);
    expect(hub.log.every((l) => l.auth === "Bearer hf_test")).toBe(true);
    expect(data.length).toBe(3);
    const example = await data.get(2);
    expect([example.id, example.groundTruth, example.passRate7B]).toEqual(["d2", "2", null]);
  });

  it("skips files already complete, asking the hub only for their size", async () => {
    const events: DownloadEvent[] = [];
    await download(events);
    expect(events.map((e) => e.action)).toEqual(["skipped", "skipped"]);
    expect(hub.log.map((l) => l.range)).toEqual(["bytes=0-0", "bytes=0-0"]);
  });

  it("resumes a partial .part with a Range request for the missing tail", async () => {
    const zip = files.get("images.zip") as Buffer;
    await rm(join(cacheDir(), "images.zip"));
    await writeFile(join(cacheDir(), "images.zip.part"), zip.subarray(0, 100));
    const events: DownloadEvent[] = [];
    const data = await download(events);
    expect(events.map((e) => [e.action, e.transferred])).toEqual([
      ["skipped", 0],
      ["resumed", zip.length - 100],
    ]);
    expect(hub.log.at(-1)?.range).toBe(`bytes=100-${zip.length - 1}`);
    expect(await readFile(join(cacheDir(), "images.zip"))).toEqual(zip);
    await expect(readFile(join(cacheDir(), "images.zip.part"))).rejects.toThrow(/ENOENT/);
    expect((await data.get(0)).id).toBe("d0");
  });

  it("restarts from byte 0 when the server ignores the Range header", async () => {
    honour = false;
    const zip = files.get("images.zip") as Buffer;
    await rm(join(cacheDir(), "images.zip"));
    await writeFile(join(cacheDir(), "images.zip.part"), zip.subarray(0, 100));
    const events: DownloadEvent[] = [];
    await download(events);
    expect(events.at(-1)).toEqual({
      file: "images.zip",
      action: "restarted",
      size: zip.length,
      transferred: zip.length,
    });
    expect(await readFile(join(cacheDir(), "images.zip"))).toEqual(zip);
  });

  it("restarts a .part whose recorded ETag is not the hub's (the file changed since)", async () => {
    const zip = files.get("images.zip") as Buffer;
    await rm(join(cacheDir(), "images.zip"));
    await writeFile(join(cacheDir(), "images.zip.part"), zip.subarray(0, 100));
    await writeFile(join(cacheDir(), "images.zip.part.etag"), "an-older-version");
    const events: DownloadEvent[] = [];
    await download(events);
    expect(events.at(-1)).toEqual({
      file: "images.zip",
      action: "restarted",
      size: zip.length,
      transferred: zip.length,
    });
    expect(hub.log.at(-1)?.range).toBeNull();
    expect(await readFile(join(cacheDir(), "images.zip"))).toEqual(zip);
    await expect(readFile(join(cacheDir(), "images.zip.part.etag"))).rejects.toThrow(/ENOENT/);
  });

  it("checks the sha256 the hub gives as ETag, and deletes a corrupt resumed file", async () => {
    const zip = files.get("images.zip") as Buffer;
    await rm(join(cacheDir(), "images.zip"));
    await writeFile(join(cacheDir(), "images.zip.part"), Buffer.alloc(100, 0xff));
    const sha = createHash("sha256").update(zip).digest("hex");
    await expect(download([])).rejects.toThrow(
      new RegExp(
        `images\\.zip has sha256 [0-9a-f]{64}, the hub says ${sha}; the partial download was deleted`,
      ),
    );
    await expect(readFile(join(cacheDir(), "images.zip.part"))).rejects.toThrow(/ENOENT/);
    const events: DownloadEvent[] = [];
    await download(events);
    expect(events.at(-1)?.action).toBe("downloaded");
    expect(await readFile(join(cacheDir(), "images.zip"))).toEqual(zip);
  });

  it("replaces a complete-looking file of the wrong size, and names a file the hub does not have", async () => {
    await writeFile(join(cacheDir(), "39Krelease.parquet"), "stale");
    const events: DownloadEvent[] = [];
    await download(events);
    expect(events.map((e) => e.action)).toEqual(["downloaded", "skipped"]);
    expect(await readFile(join(cacheDir(), "39Krelease.parquet"))).toEqual(files.get("39Krelease.parquet"));
    await expect(download([], { repo: "test-org/other" })).rejects.toThrow(
      "downloadViRL39K: 39Krelease.parquet not found in dataset test-org/other at revision main",
    );
  });
});
