import { open, stat } from "node:fs/promises";
import type { AsyncBuffer } from "hyparquet";

/**
 * An hyparquet `AsyncBuffer` over a file on disk: each `slice` opens the file, reads that byte range and closes
 * it, so nothing but the requested ranges is ever in memory and no descriptor outlives a read.
 *
 * @example
 * const file = await fileAsyncBuffer("data/39Krelease.parquet");
 * const metadata = await parquetMetadataAsync(file);
 */
export async function fileAsyncBuffer(path: string): Promise<AsyncBuffer> {
  const { size } = await stat(path);
  return {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const from = Math.max(0, start);
      const length = Math.max(0, Math.min(end, size) - from);
      const out = new Uint8Array(length);
      if (length === 0) return out.buffer;
      const handle = await open(path, "r");
      try {
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(out, done, length - done, from + done);
          if (bytesRead === 0)
            throw new Error(`${path}: file ended at byte ${from + done}, expected ${size} bytes`);
          done += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return out.buffer;
    },
  };
}
