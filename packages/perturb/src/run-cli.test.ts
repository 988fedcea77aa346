import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeToRaw, encodeRaw, patternRaw } from "../test/fixtures";
import { runCli } from "./run-cli";
import { viewNames } from "./view-by-name";

function captureIo(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t), isTTY },
    },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

let dir: string;
let inDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cppo-perturb-cli-"));
  inDir = join(dir, "in");
  await mkdir(inDir);
  await writeFile(join(inDir, "a.png"), await encodeRaw(patternRaw(24, 16)));
  await writeFile(join(inDir, "b.jpg"), await encodeRaw(patternRaw(20, 20), "jpeg"));
  await writeFile(join(inDir, "broken.png"), new TextEncoder().encode("\x89PNG but not really"));
  await writeFile(join(inDir, "notes.txt"), "not an image");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("runCli", () => {
  it("writes <name>.<view>.<k>.<ext> copies, reports the corrupt file and exits 1", async () => {
    const outDir = join(dir, "out1");
    const cap = captureIo();
    const code = await runCli(
      [inDir, outDir, "--view", "informationRemoving", "--copies", "3", "--seed", "1"],
      cap.io,
    );
    expect(code).toBe(1);
    expect((await readdir(outDir)).sort()).toEqual([
      "a.informationRemoving.1.png",
      "a.informationRemoving.2.png",
      "a.informationRemoving.3.png",
      "b.informationRemoving.1.jpg",
      "b.informationRemoving.2.jpg",
      "b.informationRemoving.3.jpg",
    ]);
    expect(cap.stderr()).toMatch(/failed .*broken\.png: .*could not be decoded/);
    expect(cap.stderr()).toContain("1 file(s) could not be processed: broken.png");
    expect(cap.stdout()).toContain("ok a.png -> 3 copies");
    expect(cap.stdout()).toContain("6 file(s) written");
    expect(cap.stderr()).not.toContain("\r");
    const copy = await decodeToRaw(
      new Uint8Array(await readFile(join(outDir, "b.informationRemoving.2.jpg"))),
    );
    expect([copy.format, copy.width, copy.height]).toEqual(["jpeg", 20, 20]);
  });

  it("is deterministic for a seed and differs across seeds", async () => {
    const run = async (seed: string, name: string) => {
      await runCli([inDir, join(dir, name), "--view", "zoomCrop", "--seed", seed], captureIo().io);
      return readFile(join(dir, name, "a.zoomCrop.1.png"));
    };
    const first = await run("7", "s7a");
    expect(first.equals(await run("7", "s7b"))).toBe(true);
    expect(first.equals(await run("8", "s8"))).toBe(false);
  });

  it("draws a progress bar on a TTY", async () => {
    const cap = captureIo(true);
    await runCli([inDir, join(dir, "tty"), "--view", "colorJitter"], cap.io);
    expect(cap.stderr()).toContain("\r[########################] 3/3");
    expect(cap.stdout()).not.toContain("ok a.png");
  });

  it("documents every flag in --help", async () => {
    const cap = captureIo();
    expect(await runCli(["--help"], cap.io)).toBe(0);
    for (const flag of ["--view", "--copies", "--seed", "--help", "<in-dir>", "<out-dir>"]) {
      expect(cap.stdout()).toContain(flag);
    }
    for (const name of viewNames) expect(cap.stdout()).toContain(name);
  });

  it("rejects bad usage with exit code 2 and a named reason", async () => {
    const cases: [string[], RegExp][] = [
      [[inDir], /expected <in-dir> <out-dir>, got 1/],
      [[inDir, "x", "--view", "blur"], /--view must be one of .*got "blur"/],
      [[inDir, "x", "--copies", "0"], /--copies must be an integer >= 1, got "0"/],
      [[inDir, "x", "--seed", "1.5"], /--seed must be an integer, got "1.5"/],
      [[inDir, "x", "--bogus"], /Unknown option '--bogus'/],
      [[join(dir, "missing"), join(dir, "x")], /cannot read input directory/],
    ];
    for (const [argv, message] of cases) {
      const cap = captureIo();
      expect(await runCli(argv, cap.io)).toBe(2);
      expect(cap.stderr()).toMatch(message);
    }
  });
});
