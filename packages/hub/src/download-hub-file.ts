import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { downloadFile, fileDownloadInfo } from "@huggingface/hub";

/** What happened to one file during {@link downloadHubFile}. */
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

/** A repository on the Hub and how to reach it. */
export interface HubRepo {
  type: "model" | "dataset";
  /** `owner/name`. */
  name: string;
  /** Default `main`. */
  revision?: string;
  /** Hub base URL, e.g. a mirror. Default https://huggingface.co. */
  hubUrl?: string;
  accessToken?: string;
  fetch?: typeof fetch;
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
 * Downloads one file of a Hub repository to `target` with `@huggingface/hub`, or returns null when the
 * repository has no such file. The file is written to `<target>.part` and renamed once its size (and, for
 * LFS files whose ETag is a sha256, its hash) matches the hub's; a `target` of the hub's size is skipped; a
 * leftover `.part` is resumed with an HTTP Range request, and fetched again from scratch if the server does
 * not honour the range or the file changed on the hub since (its ETag is kept beside it). `label` prefixes
 * error messages.
 *
 * @example
 * const event = await downloadHubFile({ type: "model", name: "HuggingFaceTB/SmolVLM-256M-Instruct" }, "config.json", "cache/config.json");
 */
export async function downloadHubFile(
  repo: HubRepo,
  path: string,
  target: string,
  label = "downloadHubFile",
): Promise<DownloadEvent | null> {
  const { type, name, revision = "main", hubUrl, accessToken, fetch } = repo;
  const hub = { repo: { type, name }, revision, hubUrl, accessToken, fetch };
  const info = await fileDownloadInfo({ ...hub, path });
  if (info === null) return null;
  await mkdir(dirname(target), { recursive: true });
  if ((await sizeOf(target)) === info.size)
    return { file: path, action: "skipped", size: info.size, transferred: 0 };
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
  const blob = await downloadFile({ ...hub, path, downloadInfo: info });
  if (blob === null) return null;
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
    throw new Error(`${label}: ${part} has ${written} bytes after download, the hub reports ${info.size}`);
  }
  // Hub ETags of LFS files are their sha256, which catches a corrupt .part that was resumed.
  if (/^[0-9a-f]{64}$/.test(etag)) {
    const actual = await sha256Of(part);
    if (actual !== etag) {
      await rm(part, { force: true });
      await rm(etagFile, { force: true });
      throw new Error(
        `${label}: ${path} has sha256 ${actual}, the hub says ${etag}; the partial download was deleted, run again`,
      );
    }
  }
  await rm(target, { force: true });
  await rename(part, target);
  await rm(etagFile, { force: true });
  return { file: path, action, size: info.size, transferred };
}
