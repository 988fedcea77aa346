import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let tempCounter = 0;

/**
 * Replaces `path` with `data` so that a reader or a crash sees either the old file or the whole new one,
 * never a part: writes a temporary file in the same folder, flushes it to disk, renames it over `path`, then
 * flushes the folder so the rename itself survives a power cut. The temporary file is removed on failure.
 * The folder must exist.
 *
 * @example
 * await writeFileAtomic("runs/a/checkpoint.json", JSON.stringify({ step: 100 }));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  if (typeof path !== "string" || path.length === 0) {
    throw new Error(`writeFileAtomic: path must be a non-empty string, got ${String(path)}`);
  }
  if (typeof data !== "string" && !(data instanceof Uint8Array)) {
    throw new Error(`writeFileAtomic: data for ${path} must be a string or Uint8Array, got ${typeof data}`);
  }
  const folder = dirname(path);
  const { handle, tempPath } = await openTemp(folder, basename(path));
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, path);
  } catch (error) {
    await unlink(tempPath).catch(() => {});
    throw new Error(`writeFileAtomic: could not write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  await syncFolder(folder);
}

async function openTemp(folder: string, name: string) {
  // pid + counter is unique among live writers; the exclusive flag ("wx") guards against leftovers.
  for (let attempt = 0; ; attempt++) {
    const tempPath = join(folder, `.${name}.${process.pid}.${tempCounter++}.tmp`);
    try {
      return { handle: await open(tempPath, "wx"), tempPath };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && attempt < 100) continue;
      const reason = code === "ENOENT" ? `folder ${folder} does not exist` : (error as Error).message;
      throw new Error(`writeFileAtomic: could not create a temporary file in ${folder}: ${reason}`, {
        cause: error,
      });
    }
  }
}

async function syncFolder(folder: string): Promise<void> {
  // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  const handle = await open(folder, "r").catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle.close();
  }
}
