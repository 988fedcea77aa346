import { join } from "node:path";
import { type DownloadEvent, downloadHubFile } from "@cppo/hub";
import { type LoadViRL39KOptions, loadViRL39K, VIRL39K_PARQUET, type ViRL39KDataset } from "./virl39k.js";

/** The files {@link downloadViRL39K} fetches, in order. */
export const VIRL39K_FILES = [VIRL39K_PARQUET, "images.zip"] as const;

export type { DownloadEvent };

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

/**
 * Downloads `39Krelease.parquet` and `images.zip` from the Hugging Face Hub into `cacheDir` with
 * `@huggingface/hub` (through `downloadHubFile` of `@cppo/hub`), then loads them with {@link loadViRL39K}. Each file is written to `<file>.part` and
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
  const repository = { type: "dataset" as const, name: repo, revision, hubUrl, accessToken, fetch };
  for (const file of VIRL39K_FILES) {
    const event = await downloadHubFile(repository, file, join(cacheDir, file), "downloadViRL39K");
    if (event === null)
      throw new Error(`downloadViRL39K: ${file} not found in dataset ${repo} at revision ${revision}`);
    onFile?.(event);
  }
  return loadViRL39K({ ...options, root: cacheDir });
}
