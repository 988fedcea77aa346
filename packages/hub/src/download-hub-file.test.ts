import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeHub, startFakeHub } from "@cppo/test-utils/fake-hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadHubFile } from "./download-hub-file";

const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 251));
let hub: FakeHub;
let dir: string;
beforeAll(async () => {
  hub = await startFakeHub(new Map([["org/model/resolve/main/weights.bin", body]]));
  dir = await mkdtemp(join(tmpdir(), "hub-file-"));
});
afterAll(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

describe("downloadHubFile", () => {
  const repo = () => ({ type: "model" as const, name: "org/model", hubUrl: hub.url, accessToken: "hf_x" });

  it("downloads a model file, then skips it once complete", async () => {
    const target = join(dir, "a", "weights.bin");
    expect(await downloadHubFile(repo(), "weights.bin", target)).toEqual({
      file: "weights.bin",
      action: "downloaded",
      size: 5000,
      transferred: 5000,
    });
    expect(await readFile(target)).toEqual(body);
    expect(
      hub.log.every((r) => r.url === "/org/model/resolve/main/weights.bin" && r.auth === "Bearer hf_x"),
    ).toBe(true);
    expect((await downloadHubFile(repo(), "weights.bin", target))?.action).toBe("skipped");
  });

  it("resumes a partial file with a Range request", async () => {
    const target = join(dir, "b", "weights.bin");
    await mkdir(join(dir, "b"));
    await writeFile(`${target}.part`, body.subarray(0, 1234));
    hub.log.length = 0;
    expect(await downloadHubFile(repo(), "weights.bin", target)).toMatchObject({
      action: "resumed",
      transferred: 5000 - 1234,
    });
    expect(hub.log.at(-1)?.range).toBe("bytes=1234-4999");
    expect(await readFile(target)).toEqual(body);
  });

  it("returns null for a file the repository does not have", async () => {
    expect(await downloadHubFile(repo(), "missing.json", join(dir, "c", "missing.json"))).toBeNull();
  });
});
