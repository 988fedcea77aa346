import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { downloadFile, fileDownloadInfo } from "@huggingface/hub";
import { type LoadViRL39KOptions, loadViRL39K, VIRL39K_PARQUET, type ViRL39KDataset } from "./virl39k.js";

/** The files {@link downloadViRL39K} fetches, in order. */
export const VIRL39K_FILES = [VIRL39K_PARQUET, "images.zip"] as const;

/** What happened to one file during {@link downloadViRL39K}. */
export interface DownloadEvent {
  file: string;
  /** `skipped`: already complete; `resumed`: a partial `.part` was continued with a Range request;
   * `restarted`: a partial `.part` could not be continued and was fetched again from byte 0. */
  action: "skipped" | "downloaded" | "resumed" | "restarted";
  /** Size reported by the hub. */
  size: number;
  /** Bytes transferred for this file. */
  transferred: number;
}

/** Options of {@link downloadViRL39K}; loader options are passed on to {@link loadViRL39K}. */
export interface DownloadViRL39KOptions extends Omit<LoadViRL39KOptions, "root"> {
  /** Folder the files are downloaded to and then loaded from. */
  cacheDir: string;
  /** Hub base URL, e.g. a mirror. Default https://huggingface.co. */
  hubUrl?: string;
  /** Dataset repository. Default `TIGER-Lab/ViRL39K`. */
  repo?: string;
  revision?: string;
  accessToken?: string;
  fetch?: typeof fetch;
  /** Called once per file with what was done. */
  onFile?: (event: DownloadEvent) => void;
}

class Overshoot extends Error {}

/** Appends `stream` to `path` from byte `offset`, refusing to grow the file past `limit` bytes. */
async function appendStream(path: string, stream: ReadableStream<Uint8Array>, offset: number, limit: number) {
  const handle = await open(path, offset === 0 ? "w" : "a");
  let position = offset;
  try {
    for await (const chunk of stream) {
      if (position + chunk.byteLength > limit) throw new Overshoot();
      await handle.write(chunk);
      position += chunk.byteLength;
    }
  } finally {
    await handle.close();
  }
  return position - offset;
}

async function sizeOf(path: string): Promise<number | null> {
  return (await stat(path).catch(() => null))?.size ?? null;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Downloads `39Krelease.parquet` and `images.zip` from the Hugging Face Hub into `cacheDir` with
 * `@huggingface/hub`, then loads them with {@link loadViRL39K}. Each file is written to `<file>.part` and
 * renamed once its size (and, for LFS files whose ETag is a sha256, its hash) matches the hub's; files of the
 * hub's size are skipped; a leftover `.part` is resumed with an HTTP Range request, and fetched again from
 * scratch if the server does not honour the range or the file changed on the hub since (ETag kept beside it).
 *
 * @example
 * const train = await downloadViRL39K({ cacheDir: "/data/virl", shuffleSeed: 0 });
 * console.log(train.length); // single-image rows of 38,870
 */
export async function downloadViRL39K(options: DownloadViRL39KOptions): Promise<ViRL39KDataset> {
  const {
    cacheDir,
    hubUrl,
    repo = "TIGER-Lab/ViRL39K",
    revision = "main",
    accessToken,
    fetch,
    onFile,
  } = options;
  await mkdir(cacheDir, { recursive: true });
  const hub = { repo: { type: "dataset" as const, name: repo }, revision, hubUrl, accessToken, fetch };
  for (const file of VIRL39K_FILES) {
    const info = await fileDownloadInfo({ ...hub, path: file });
    if (info === null)
      throw new Error(`downloadViRL39K: ${file} not found in dataset ${repo} at revision ${revision}`);
    const target = join(cacheDir, file);
    if ((await sizeOf(target)) === info.size) {
      onFile?.({ file, action: "skipped", size: info.size, transferred: 0 });
      continue;
    }
    const part = `${target}.part`;
    const etagFile = `${part}.etag`;
    const etag = info.etag.replace(/^W\//, "").replaceAll('"', "");
    let offset = (await sizeOf(part)) ?? 0;
    let action: DownloadEvent["action"] = offset > 0 ? "resumed" : "downloaded";
    const partEtag = await readFile(etagFile, "utf8").catch(() => null);
    // A .part of another version of the file (or longer than it) cannot be continued.
    if (offset > info.size || (offset > 0 && partEtag !== null && partEtag !== etag)) {
      offset = 0;
      action = "restarted";
    }
    if (offset === 0) await writeFile(etagFile, etag);
    const blob = await downloadFile({ ...hub, path: file, downloadInfo: info });
    if (blob === null)
      throw new Error(`downloadViRL39K: ${file} not found in dataset ${repo} at revision ${revision}`);
    let transferred = 0;
    try {
      transferred = await appendStream(part, blob.slice(offset).stream(), offset, info.size);
    } catch (error) {
      if (!(error instanceof Overshoot) || offset === 0) throw error;
      // The server sent more than the missing tail: it ignored the Range header, so start over.
      action = "restarted";
      offset = 0;
      transferred = await appendStream(part, blob.stream(), 0, info.size);
    }
    const written = await sizeOf(part);
    if (written !== info.size) {
      throw new Error(
        `downloadViRL39K: ${part} has ${written} bytes after download, the hub reports ${info.size}`,
      );
    }
    // Hub ETags of LFS files are their sha256, which catches a corrupt .part that was resumed.
    if (/^[0-9a-f]{64}$/.test(etag)) {
      const actual = await sha256Of(part);
      if (actual !== etag) {
        await rm(part, { force: true });
        await rm(etagFile, { force: true });
        throw new Error(
          `downloadViRL39K: ${file} has sha256 ${actual}, the hub says ${etag}; the partial download was deleted, run again`,
        );
      }
    }
    await rm(target, { force: true });
    await rename(part, target);
    await rm(etagFile, { force: true });
    onFile?.({ file, action, size: info.size, transferred });
  }
  return loadViRL39K({ ...options, root: cacheDir });
}
